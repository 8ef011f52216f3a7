import fc from 'fast-check'

/**
 * JSON values with localized texts (`{ en, ko }`) among near-texts: a non-string `en` or `ko`, a
 * third key before or after them, `en` alone, nested in arrays and objects with the given keys.
 * What localizing must tell apart, for localize.test.ts and assessment-answers.test.ts.
 */
export function jsonWithTexts(text: fc.Arbitrary<string>, keys: readonly string[]): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom(...keys), fc.string())
  return fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 1 }),
      text,
      fc.record({ en: text, ko: text }),
      fc.record({ en: fc.jsonValue({ maxDepth: 1 }), ko: text }),
      fc.record({ en: text, ko: fc.jsonValue({ maxDepth: 1 }) }),
      fc.record({ en: text, ko: text, z: tie('node') }),
      fc.record({ a: text, en: text, ko: text }),
      fc.record({ en: text }),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    ),
  })).node
}
