import type { ResolvedCharacteristics } from '../schemas/descriptor'
import type { LocalizedText, Policy } from '../schemas/policy'
import { allHold, fillText } from './conditions'
import { clamp } from './numbers'
import { type PreparedRule, preparedFor } from './prepared-policy'

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
  const { criteria } = policy
  // Plain loops, not map/forEach/reduce: every decision scores once, and the closures and
  // intermediate arrays of the functional form were a sixth of its garbage. The same additions
  // in the same order (ranking.ts's figures-only copy is held bit-for-bit equal to this).
  // The base figures and the rules' changes as the prepared policy lists them (prepared-policy.ts),
  // the changes non-zero ones only: adding the zeros left out changes no figure (a -0 that stays
  // one is clamped to 0 below), and looking up every criterion of every platform by name for
  // each fired rule was most of this function.
  const form = preparedFor(policy)
  const rawWeights = form.baseWeights.slice()
  const ratings = form.baseRatings.map((row) => row.slice())
  const fired: Scoring['fired'] = []
  const prepared = form.rules
  for (let r = 0; r < policy.rules.length; r++) {
    const rule = policy.rules[r] as (typeof policy.rules)[number]
    if (!allHold(rule.when, characteristics)) continue
    const changes = prepared[r] as PreparedRule
    for (const [i, delta] of changes.weights) rawWeights[i] = (rawWeights[i] as number) + delta
    for (const [p, i, delta] of changes.ratings) {
      const row = ratings[p] as number[]
      row[i] = (row[i] as number) + delta
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
