import fc from 'fast-check'
import { decide } from '../../src/domain/engine'
import { PAPER_POLICY_V2 } from '../../src/domain/policies/paper-v2'
import type { Decision } from '../../src/schemas/decision'
import type { Policy } from '../../src/schemas/policy'
import { decodeCursor, encodeCursor } from '../../src/services/cursor'
import { type Language, localizeInPlace, pickLanguage } from '../../src/services/localize'
import { BUILT_IN_POLICIES } from '../../src/services/policies'
import { PAPER_CASES } from '../fixtures/paper-cases'
import { randomDescriptor, rng } from '../helpers/generate'
import { jsonWithTexts } from '../helpers/near-texts'

/** What localize was first defined as; the faster walk must give the same values. */
function formerLocalize(decision: unknown, language: Language): unknown {
  const isText = (value: object) =>
    Object.keys(value).length === 2 && typeof (value as { en?: unknown }).en === 'string' && 'ko' in value
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk)
    if (value === null || typeof value !== 'object') return value
    if (isText(value)) return (value as Record<string, unknown>)[language]
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
  }
  return walk(decision)
}

describe('localize', () => {
  // Texts, near-texts and prototype keys among ordinary JSON.
  const value = jsonWithTexts(fc.string(), ['en', 'ko', '__proto__', 'constructor', 'message'])

  it('gives what its first definition gave, also through JSON (own __proto__ keys)', () => {
    fc.assert(
      fc.property(value, fc.constantFrom<Language>('en', 'ko'), (v, language) => {
        const parsed = JSON.parse(JSON.stringify(v)) as Decision
        const expected = JSON.stringify(formerLocalize(parsed, language))
        // JSON.stringify writes an own __proto__ key: one made into a prototype would be missing.
        expect(JSON.stringify(localizeInPlace(parsed, language))).toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })

  it('keeps an own __proto__ key of a parsed document as a key', () => {
    const parsed = JSON.parse('{"a":{"__proto__":{"en":"x","ko":"y"},"b":[{"__proto__":1}]}}') as Decision
    expect(JSON.stringify(localizeInPlace(parsed, 'ko'))).toBe(
      '{"a":{"__proto__":"y","b":[{"__proto__":1}]}}',
    )
    expect(Object.getPrototypeOf((parsed as unknown as { a: object }).a)).toBe(Object.prototype)
  })

  it.each(PAPER_CASES.map((c) => [c.descriptor.application.name, c.descriptor] as const))(
    'turns every message of a real decision into the one language: %s',
    (_name, descriptor) => {
      for (const language of ['en', 'ko'] as const) {
        const decision = decide(descriptor, PAPER_POLICY_V2)
        const expected = JSON.stringify(formerLocalize(decision, language))
        const text = JSON.stringify(localizeInPlace(decision, language))
        expect(text).toBe(expected)
        expect(text).not.toMatch(/"ko":|"en":/)
      }
    },
  )

  /** Freezes every object reachable from a value: assigning to one then throws (strict mode). */
  function deepFreeze<T>(value: T, seen = new Set<object>()): T {
    if (value === null || typeof value !== 'object' || seen.has(value)) return value
    seen.add(value)
    for (const v of Object.values(value)) deepFreeze(v, seen)
    return Object.freeze(value)
  }

  it('rewrites only the decision: the engine hands out none of the policy objects it rewrites', () => {
    const random = rng(11)
    for (const builtIn of BUILT_IN_POLICIES) {
      const policy = deepFreeze(structuredClone(builtIn)) as Policy
      for (let i = 0; i < 200; i++) {
        const descriptor = randomDescriptor(random, i)
        for (const language of ['en', 'ko'] as const) {
          const decision = decide(descriptor, policy)
          const expected = JSON.stringify(formerLocalize(decision, language))
          expect(JSON.stringify(localizeInPlace(decision, language))).toBe(expected)
        }
      }
      expect(policy).toEqual(builtIn)
    }
  })

  it('would notice a frozen object it had to rewrite', () => {
    const shared = deepFreeze({ message: { en: 'x', ko: 'y' } })
    expect(() => localizeInPlace({ shared } as unknown as Decision, 'en')).toThrow(TypeError)
  })
})

describe('Accept-Language', () => {
  test.each([
    [undefined, 'en'],
    ['', 'en'],
    ['ko', 'ko'],
    ['ko-KR', 'ko'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR, ko;q=0.8, en;q=0.5', 'ko'],
    ['en;q=0.3, ko;q=0.7', 'ko'],
    ['ko;q=0, en', 'en'],
    ['de, fr', 'en'],
    ['*', 'en'],
    ['ko;q=abc', 'en'],
  ])('%p -> %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language)
  })
})

describe('list cursors', () => {
  test('round trip', () => {
    const position = {
      createdAt: new Date('2026-11-26T12:00:00.123Z'),
      id: '01a2186f-fa5f-7983-b0b6-824d73f390e6',
    }
    expect(decodeCursor(encodeCursor(position))).toEqual(position)
  })

  test.each([
    ['not base64 json', 'zzz'],
    ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['bad date', Buffer.from('["yesterday","x"]').toString('base64url')],
    ['non-canonical date', Buffer.from('["2026-11-26","x"]').toString('base64url')],
    ['empty id', Buffer.from('["2026-11-26T12:00:00.000Z",""]').toString('base64url')],
    ['number id', Buffer.from('["2026-11-26T12:00:00.000Z",5]').toString('base64url')],
  ])('%s is refused', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(/cursor/)
  })
})
