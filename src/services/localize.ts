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

type WithText<T> = Omit<T, 'message'> & { message: string }
type Localized<T extends Decision> = Omit<T, 'constraints' | 'rationale' | 'counterfactuals'> & {
  constraints: WithText<Decision['constraints'][number]>[]
  rationale: WithText<Decision['rationale'][number]>[]
  counterfactuals: WithText<Decision['counterfactuals'][number]>[]
}

/** A stored or fresh decision with its messages in one language. */
export function localize<T extends Decision>(decision: T, language: Language): Localized<T> {
  const pick = <I extends { message: LocalizedText }>(item: I) => ({
    ...item,
    message: item.message[language],
  })
  return {
    ...decision,
    constraints: decision.constraints.map(pick),
    rationale: decision.rationale.map(pick),
    counterfactuals: decision.counterfactuals.map(pick),
  }
}
