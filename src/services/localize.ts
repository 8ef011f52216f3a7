import type { Decision } from '../schemas/decision'
import type { LocalizedText } from '../schemas/policy'

export type Language = keyof LocalizedText
const SUPPORTED: readonly Language[] = ['en', 'ko']

/** The supported language the client prefers most (RFC 9110 Accept-Language), English by default. */
export function pickLanguage(header: string | undefined): Language {
  if (!header) return 'en'
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      const quality = q ? Number(q.slice(2)) : 1
      return {
        primary: tag.trim().toLowerCase().split('-')[0],
        quality: Number.isFinite(quality) ? quality : 0,
        index,
      }
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
  return (ranked.find((entry) => SUPPORTED.includes(entry.primary as Language))?.primary as Language) ?? 'en'
}

type Text<T> = T extends LocalizedText ? string : T extends object ? { [K in keyof T]: Text<T[K]> } : T
type Localized<T> = { [K in keyof T]: Text<T[K]> }

/**
 * A stored or fresh decision with its messages in one language: every `{ en, ko }` text in it,
 * however deep (rationale, constraints, hints, readiness blockers, conflicts), becomes the one
 * string asked for. Decisions hold no other two-key objects with exactly these keys.
 */
export function localize<T extends Decision>(decision: T, language: Language): Localized<T> {
  return walk(decision, language) as Localized<T>
}

/**
 * Plain loops rather than `Object.fromEntries(Object.entries(…).map(…))`: every answer with a
 * decision goes through here, and the pairs and arrays that built cost 40 % more than parsing the
 * stored document (BENCHMARKS.md).
 */
function walk(value: unknown, language: Language): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    const out = new Array(value.length)
    for (let i = 0; i < value.length; i++) out[i] = walk(value[i], language)
    return out
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  if (keys.length === 2 && typeof record.en === 'string' && 'ko' in record) return record[language]
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const v = walk(record[key], language)
    // An own "__proto__" (JSON.parse makes one) stays a property, as fromEntries kept it.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true })
    else out[key] = v
  }
  return out
}
