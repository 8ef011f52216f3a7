import { type TSchema, type TUnsafe, Type } from '@sinclair/typebox'

/**
 * A string enumeration as a plain JSON Schema `enum`. TypeBox's union of literals compiles
 * to `anyOf` of `const`s, which gives clients one vague error per alternative; `enum` gives
 * one clear message listing the allowed values.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

/** `{ [platform]: number }`: one figure per platform of the policy. */
export const PlatformNumbersSchema = Type.Record(Type.String(), Type.Number(), {
  $id: 'PlatformNumbers',
  description: 'One figure per platform of the policy, keyed by platform name.',
})

/** A value that may be null, as OpenAPI 3.1 / JSON Schema spell it. */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()])
}

/**
 * Patterns for strings that may reach a database column. PostgreSQL text cannot hold U+0000, and
 * an unpaired UTF-16 surrogate cannot be encoded as UTF-8 at all, so both are refused at the edge,
 * on both stores alike, rather than failing in the database. Patterns are compiled with the `u`
 * flag (ajv's default), so a paired surrogate (an emoji, a rare Hanja) is one code point and passes.
 */
export const PATTERNS = {
  text: '^[^\\u0000\\ud800-\\udfff]*$',
  visibleText: '^[^\\u0000\\ud800-\\udfff]*[^\\u0000\\ud800-\\udfff\\s][^\\u0000\\ud800-\\udfff]*$',
  token: '^[\\x21-\\x7E]+$',
} as const

/** What a client is told when a string fails one of PATTERNS. */
export const PATTERN_MESSAGES: Record<string, string> = {
  [PATTERNS.text]: 'must not contain the NUL character (U+0000) or an unpaired surrogate (U+D800 to U+DFFF)',
  [PATTERNS.visibleText]:
    'must contain a visible character, and no NUL character (U+0000) or unpaired surrogate (U+D800 to U+DFFF)',
  [PATTERNS.token]: 'must be printable ASCII without spaces',
}

type StringOptions = Parameters<typeof Type.String>[0]
/** Free text: anything but NUL. */
export const Text = (options: StringOptions = {}) => Type.String({ ...options, pattern: PATTERNS.text })
/** Free text with at least one visible character. */
export const VisibleText = (options: StringOptions = {}) =>
  Type.String({ ...options, pattern: PATTERNS.visibleText })
/** An identifier: printable ASCII, no spaces. */
export const Token = (options: StringOptions = {}) => Type.String({ ...options, pattern: PATTERNS.token })
