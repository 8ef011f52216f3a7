import fc from 'fast-check'
import { uuidv7 } from '../../src/lib/crypto'

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidv7', () => {
  test('any 48-bit time: the version 7 layout, the time in its first 48 bits, big-endian', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (now) => {
        const id = uuidv7(now)
        expect(id).toMatch(V7)
        expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now)
      }),
    )
  })

  test('ids of the same millisecond differ in their random bits, which vary everywhere they may', () => {
    const now = Date.UTC(2026, 10, 27)
    const ids = Array.from({ length: 2000 }, () => uuidv7(now))
    expect(new Set(ids).size).toBe(ids.length)
    // Every random hex position (after the time and the version, the variant's own two bits
    // aside) takes at least 8 different values over 2 000 ids.
    for (const position of [15, 16, 17, 20, 21, 22, ...Array.from({ length: 12 }, (_, i) => 24 + i)]) {
      expect(new Set(ids.map((id) => id[position])).size).toBeGreaterThanOrEqual(8)
    }
    expect(new Set(ids.map((id) => id[19]))).toEqual(new Set(['8', '9', 'a', 'b']))
  })

  test('ids sort by their time', () => {
    const earlier = uuidv7(Date.UTC(2026, 0, 1))
    const later = uuidv7(Date.UTC(2026, 0, 1) + 1)
    expect(earlier < later).toBe(true)
  })

  test('a time outside 48 bits is refused, not wrapped', () => {
    for (const bad of [-1, 2 ** 48, 1.5, Number.NaN]) expect(() => uuidv7(bad)).toThrow(RangeError)
  })
})
