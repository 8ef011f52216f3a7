import type { ResolvedCharacteristics } from '../schemas/descriptor'
import type { LocalizedText, Policy } from '../schemas/policy'
import { allHold, fillText } from './conditions'
import { clamp } from './numbers'

/** The weighted sum of a policy over one set of characteristics, exact (unrounded). */
export interface Scoring {
  /** Normalised weight per criterion, in policy order; they sum to 1. */
  weights: number[]
  /** ratings[p][i]: rating 0..100 of platform p on criterion i, after the rules. */
  ratings: number[][]
  /** Score 0..100 per platform, in policy order. */
  scores: number[]
  /** The rules that fired, in policy order. */
  fired: { code: string; message: LocalizedText }[]
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined

/**
 * Starts from the base weights and ratings, lets every rule whose conditions hold adjust them,
 * then normalises the weights and sums weight x rating per platform.
 */
export function score(
  characteristics: ResolvedCharacteristics,
  policy: Policy,
  options: { messages?: boolean } = {},
): Scoring {
  const messages = options.messages ?? true
  const { platforms, criteria } = policy
  const rawWeights = criteria.map((c) => c.baseWeight)
  const ratings = platforms.map((p) => criteria.map((c) => own(own(policy.ratings, p), c.name) ?? 0))
  const fired: Scoring['fired'] = []

  for (const rule of policy.rules) {
    if (!allHold(rule.when, characteristics)) continue
    criteria.forEach((criterion, i) => {
      rawWeights[i] = (rawWeights[i] as number) + (own(rule.weights, criterion.name) ?? 0)
      platforms.forEach((platform, p) => {
        const row = ratings[p] as number[]
        row[i] = (row[i] as number) + (own(own(rule.ratings, platform), criterion.name) ?? 0)
      })
    })
    // A hint's what-if needs only the figures, not the text of every rule it fires.
    fired.push({
      code: rule.code,
      message: messages ? fillText(rule.message, characteristics) : rule.message,
    })
  }

  // A rule may lower a weight, never below zero. Policy validation keeps the total positive;
  // should it still reach zero, every criterion counts the same rather than dividing by zero.
  const clampedWeights = rawWeights.map((w) => Math.max(0, w))
  const total = clampedWeights.reduce((a, b) => a + b, 0)
  const weights = clampedWeights.map((w) => (total > 0 ? w / total : 1 / criteria.length))
  const clampedRatings = ratings.map((row) => row.map((r) => clamp(r, 0, 100)))
  const scores = clampedRatings.map((row) => row.reduce((sum, r, i) => sum + r * (weights[i] as number), 0))
  return { weights, ratings: clampedRatings, scores, fired }
}
