import fc from 'fast-check'
import { fillPlaceholders } from '../../src/domain/templates'

/** What the message texts were filled with before: decisions must stay byte for byte the same. */
const byRegExp = (text: string, lookup: (name: string) => string | undefined) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => lookup(name) ?? whole)

// Texts made of literal pieces, placeholders, and near-misses of placeholders.
const piece = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '{a}',
    '{b}',
    '{target}',
    '{constructor}',
    '{}',
    '{a b}',
    '{{a}}',
    '{a',
    'a}',
    '{é}',
    '$&',
    '$1',
  ),
)
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''))
const values = fc.dictionary(fc.constantFrom('a', 'b', 'target', 'x'), fc.string())

describe('fillPlaceholders', () => {
  it('fills as the regular expression did, for any text and values, also when a text repeats', () => {
    fc.assert(
      fc.property(text, values, (t, v) => {
        const lookup = (name: string) => (Object.hasOwn(v, name) ? v[name] : undefined)
        expect(fillPlaceholders(t, lookup)).toBe(byRegExp(t, lookup))
        // The second fill comes from the kept pieces.
        expect(fillPlaceholders(t, lookup)).toBe(byRegExp(t, lookup))
      }),
      { numRuns: 2000 },
    )
  })

  it('keeps a placeholder the lookup does not know as written, and takes replacement text literally', () => {
    const lookup = (name: string) => ({ target: '$& container' })[name]
    expect(fillPlaceholders('{target} or {other} {target}', lookup)).toBe(
      '$& container or {other} $& container',
    )
  })
})
