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

const isText = (value: object): value is LocalizedText =>
  Object.keys(value).length === 2 && typeof (value as LocalizedText).en === 'string' && 'ko' in value

/**
 * A stored or fresh decision with its messages in one language: every `{ en, ko }` text in it,
 * however deep (rationale, constraints, hints, readiness blockers, conflicts), becomes the one
 * string asked for. Decisions hold no other two-key objects with exactly these keys.
 */
export function localize<T extends Decision>(decision: T, language: Language): Localized<T> {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk)
    if (value === null || typeof value !== 'object') return value
    if (isText(value)) return value[language]
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
  }
  return walk(decision) as Localized<T>
}
