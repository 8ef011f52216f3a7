import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { canonicalJson, canonicalJsonSha256 } from '../../src/lib/canonical-json'

/**
 * The definition canonical JSON had when the first audit hashes were stored: every plain
 * object's keys re-inserted in sorted order, then JSON.stringify. The text must stay byte for
 * byte the same, or stored logs would stop verifying.
 */
function legacyCanonicalJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys)
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      return Object.fromEntries(entries.map(([k, x]) => [k, sortKeys(x)]))
    }
    return v
  }
  return JSON.stringify(sortKeys(value))
}

// Keys that order differently as text and as array indices, and keys JSON must escape.
const key = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '0',
    '1',
    '2',
    '9',
    '10',
    '01',
    '-1',
    '1.5',
    '4294967294',
    '4294967295',
    '__proto__',
    'é',
    '\u0000',
  ),
  fc.nat().map(String),
)
const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: false }),
)
/** Nested arrays and objects (keys as own properties, `__proto__` too) over the given leaves. */
const treesOf = (leaves: fc.Arbitrary<unknown>, items: number, keys: number) =>
  fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, leaves, tie('array'), tie('object')),
    array: fc.array(tie('tree'), { maxLength: items }),
    object: fc.array(fc.tuple(key, tie('tree')), { maxLength: keys }).map((pairs) => {
      const o: Record<string, unknown> = {}
      for (const [k, v] of pairs)
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
      return o
    }),
  })).tree
const tree = treesOf(leaf, 5, 6)

describe('canonical JSON', () => {
  test('is the text it has always been, for any value', () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(canonicalJson(value)).toBe(legacyCanonicalJson(value))
      }),
      { numRuns: 2000, seed: 20261127 },
    )
  })

  test('is the same text for objects of many keys (sorted another way than a few)', () => {
    const wide = fc.array(fc.tuple(key, leaf), { minLength: 17, maxLength: 40 }).map((pairs) => {
      const o: Record<string, unknown> = {}
      for (const [k, v] of pairs)
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
      return o
    })
    fc.assert(
      fc.property(wide, (value) => {
        expect(canonicalJson(value)).toBe(legacyCanonicalJson(value))
      }),
      { numRuns: 500, seed: 20261127 },
    )
  })

  test('sorts keys, array indices first as an object lists them', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: new Date(0) }], 10: 'x', 9: 'y', '01': 'z' })).toBe(
      '{"9":"y","10":"x","01":"z","a":[{"c":"1970-01-01T00:00:00.000Z"}],"b":1}',
    )
  })

  test('hashed as it is written, it hashes to the SHA-256 of the prefix and the text', () => {
    // Long strings (past the size that goes to the hash on its own), two-byte text, emoji and
    // lone surrogates among them, so that pieces fed to the hash apart join as the text would.
    const long = fc.oneof(
      fc.string({ minLength: 2000, maxLength: 5000 }),
      fc.string({ unit: 'binary', minLength: 1000, maxLength: 3000 }),
      fc.constant(`{"message":"배치 \ud83d\ude00 \\ "quoted"", "x":"${'가'.repeat(3000)}"}`),
      fc.constant(`lone \ud800 ${'a'.repeat(2100)}`),
    )
    const withLong = treesOf(fc.oneof(leaf, long), 4, 5)
    fc.assert(
      fc.property(fc.string(), withLong, (prefix, value) => {
        const text = `${prefix}${canonicalJson(value)}`
        expect(canonicalJsonSha256(prefix, value)).toBe(createHash('sha256').update(text).digest('hex'))
      }),
      { numRuns: 600, seed: 20261128 },
    )
  })
})
