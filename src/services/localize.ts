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

type Localized<T extends Decision> = Omit<T, 'constraints' | 'rationale'> & {
  constraints: (Omit<Decision['constraints'][number], 'message'> & { message: string })[]
  rationale: { code: string; message: string }[]
}

/** A stored or fresh decision with its messages in one language. */
export function localize<T extends Decision>(decision: T, language: Language): Localized<T> {
  return {
    ...decision,
    constraints: decision.constraints.map((c) => ({ ...c, message: c.message[language] })),
    rationale: decision.rationale.map((r) => ({ code: r.code, message: r.message[language] })),
  }
}
