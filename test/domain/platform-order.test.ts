import fc from 'fast-check'
import { sortInPlace } from '../../src/domain/platform-order'

/**
 * The engine's sort must order exactly as V8's Array.prototype.sort did when the stored
 * decisions were made, also under comparators that are not consistent (the engine's tie margin
 * is not transitive): then the result depends on which comparisons an algorithm makes, in which
 * order, so these comparators answer from an arbitrary table, even contradicting themselves.
 */
describe('sortInPlace', () => {
  const answers = fc.constantFrom(-2, -1, 0, 1, 0.5, -1e-12, Number.NaN)

  it('orders as Array.prototype.sort under arbitrary comparators, up to 70 elements', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 70 }),
        fc.array(answers, { minLength: 144, maxLength: 144 }),
        (items, table) => {
          // Each pair of values answers from the table: a comparator with no consistency at all.
          const compare = (a: number, b: number) => table[a * 12 + b] as number
          const expected = items.slice().sort(compare)
          expect(sortInPlace(items.slice(), compare)).toEqual(expected)
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('orders as Array.prototype.sort under the engine-like tie comparator, with equal elements', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 12 }),
        (scores, picks) => {
          const items = picks.filter((p) => p < scores.length)
          // Scores within 0.1 are a tie broken by index: not transitive.
          const compare = (a: number, b: number) => {
            const diff = (scores[b] as number) - (scores[a] as number)
            return Math.abs(diff) > 0.1 ? diff : a - b
          }
          expect(sortInPlace(items.slice(), compare)).toEqual(items.slice().sort(compare))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('sorts only the first `length` items when told, leaving the rest as they were', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 80 }),
        fc.nat(),
        fc.array(answers, { minLength: 144, maxLength: 144 }),
        (items, cut, table) => {
          const length = items.length === 0 ? 0 : cut % (items.length + 1)
          const compare = (a: number, b: number) => table[a * 12 + b] as number
          const expected = [...items.slice(0, length).sort(compare), ...items.slice(length)]
          expect(sortInPlace(items.slice(), compare, length)).toEqual(expected)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('sorts in place and returns the array it was given', () => {
    const items = [3, 1, 2]
    expect(sortInPlace(items, (a, b) => a - b)).toBe(items)
    expect(items).toEqual([1, 2, 3])
  })

  it('is stable: equal elements keep their order, also after a descending run', () => {
    const items = [
      { k: 3, id: 'a' },
      { k: 2, id: 'b' },
      { k: 1, id: 'c' },
      { k: 1, id: 'd' },
      { k: 2, id: 'e' },
    ]
    expect(sortInPlace(items, (a, b) => a.k - b.k).map((i) => i.id)).toEqual(['c', 'd', 'b', 'e', 'a'])
  })
})
