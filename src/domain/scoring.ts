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
  // Plain loops, not map/forEach/reduce: every decision scores once, and the closures and
  // intermediate arrays of the functional form were a sixth of its garbage. The same additions
  // in the same order (ranking.ts's figures-only copy is held bit-for-bit equal to this).
  const rawWeights: number[] = []
  for (const criterion of criteria) rawWeights.push(criterion.baseWeight)
  const ratings: number[][] = []
  for (const platform of platforms) {
    const base = own(policy.ratings, platform)
    const row: number[] = []
    for (const criterion of criteria) row.push(own(base, criterion.name) ?? 0)
    ratings.push(row)
  }
  const fired: Scoring['fired'] = []

  for (const rule of policy.rules) {
    if (!allHold(rule.when, characteristics)) continue
    for (let i = 0; i < criteria.length; i++) {
      const name = (criteria[i] as (typeof criteria)[number]).name
      rawWeights[i] = (rawWeights[i] as number) + (own(rule.weights, name) ?? 0)
      for (let p = 0; p < platforms.length; p++) {
        const row = ratings[p] as number[]
        row[i] = (row[i] as number) + (own(own(rule.ratings, platforms[p] as string), name) ?? 0)
      }
    }
    // A hint's what-if needs only the figures, not the text of every rule it fires.
    fired.push({
      code: rule.code,
      message: messages ? fillText(rule.message, characteristics) : rule.message,
    })
  }

  // A rule may lower a weight, never below zero. Policy validation keeps the total positive;
  // should it still reach zero, every criterion counts the same rather than dividing by zero.
  let total = 0
  for (let i = 0; i < rawWeights.length; i++) {
    const clamped = Math.max(0, rawWeights[i] as number)
    rawWeights[i] = clamped
    total += clamped
  }
  const weights = rawWeights
  for (let i = 0; i < weights.length; i++) {
    weights[i] = total > 0 ? (weights[i] as number) / total : 1 / criteria.length
  }
  const scores: number[] = []
  for (const row of ratings) {
    let sum = 0
    for (let i = 0; i < row.length; i++) {
      const rating = clamp(row[i] as number, 0, 100)
      row[i] = rating
      sum += rating * (weights[i] as number)
    }
    scores.push(sum)
  }
  return { weights, ratings, scores, fired }
}
