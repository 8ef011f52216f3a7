import type { Decision } from '../schemas/decision'
import {
  type Application,
  CHARACTERISTIC_VALUES,
  type CharacteristicName,
  type Characteristics,
  type ResolvedCharacteristics,
} from '../schemas/descriptor'
import type { LocalizedText, Policy } from '../schemas/policy'
import { resolveCharacteristics } from './characteristics'
import { allHold, fillText } from './conditions'
import { ENGINE_MESSAGES, format } from './messages'
import { clamp, round, TIE_EPSILON } from './numbers'
import { flipWeight, type ScoringState, winnerOf } from './sensitivity'

export interface DecisionInput {
  application: Application
  characteristics: Characteristics
}

type Confidence = Decision['confidence']

/** Everything the policy's data says about one set of characteristics, exact (unrounded). */
interface Ranking {
  weights: number[]
  ratings: number[][]
  scores: number[]
  fired: { code: string; message: LocalizedText }[]
  constraints: Decision['constraints']
  /** Platform indices that no constraint excludes (all of them if constraints exclude every one). */
  eligible: number[]
  noneEligible: boolean
  /** Eligible platforms, best first; ties go to the earlier platform of the policy. */
  ranked: number[]
}

function rank(characteristics: ResolvedCharacteristics, policy: Policy): Ranking {
  const { platforms, criteria } = policy
  const rawWeights = criteria.map((c) => c.baseWeight)
  const ratings = platforms.map((p) => criteria.map((c) => policy.ratings[p]?.[c.name] ?? 0))
  const fired: Ranking['fired'] = []

  for (const rule of policy.rules) {
    if (!allHold(rule.when, characteristics)) continue
    criteria.forEach((criterion, i) => {
      rawWeights[i] = (rawWeights[i] as number) + (rule.weights?.[criterion.name] ?? 0)
      platforms.forEach((platform, p) => {
        const row = ratings[p] as number[]
        row[i] = (row[i] as number) + (rule.ratings?.[platform]?.[criterion.name] ?? 0)
      })
    })
    fired.push({ code: rule.code, message: fillText(rule.message, characteristics) })
  }

  // A rule may lower a weight, never below zero. Policy validation keeps the total positive;
  // should it still reach zero, every criterion counts the same rather than dividing by zero.
  const clampedWeights = rawWeights.map((w) => Math.max(0, w))
  const total = clampedWeights.reduce((a, b) => a + b, 0)
  const weights = clampedWeights.map((w) => (total > 0 ? w / total : 1 / criteria.length))
  const clampedRatings = ratings.map((row) => row.map((r) => clamp(r, 0, 100)))
  const scores = clampedRatings.map((row) => row.reduce((sum, r, i) => sum + r * (weights[i] as number), 0))

  const excluded = new Set<string>()
  const constraints: Decision['constraints'] = []
  for (const constraint of policy.constraints) {
    if (!allHold(constraint.when, characteristics)) continue
    for (const platform of constraint.exclude) excluded.add(platform)
    constraints.push({
      code: constraint.code,
      excludes: [...constraint.exclude],
      message: fillText(constraint.message, characteristics),
    })
  }

  let eligible = platforms.map((_, p) => p).filter((p) => !excluded.has(platforms[p] as string))
  const noneEligible = eligible.length === 0
  if (noneEligible) eligible = platforms.map((_, p) => p)
  const ranked = [...eligible].sort((a, b) => {
    const diff = (scores[b] as number) - (scores[a] as number)
    return Math.abs(diff) > TIE_EPSILON ? diff : a - b
  })
  return { weights, ratings: clampedRatings, scores, fired, constraints, eligible, noneEligible, ranked }
}

/**
 * For each enumerable characteristic, the nearest other value (in the enumeration's order)
 * that would change the recommendation, all else equal.
 */
function counterfactuals(
  characteristics: ResolvedCharacteristics,
  policy: Policy,
  winner: string,
): Decision['counterfactuals'] {
  const hints: Decision['counterfactuals'] = []
  for (const [field, values] of Object.entries(CHARACTERISTIC_VALUES) as [
    CharacteristicName,
    readonly (string | boolean)[] | 'number',
  ][]) {
    if (values === 'number') continue
    const at = values.indexOf(characteristics[field] as string | boolean)
    const byDistance = values
      .map((value, i) => ({ value, distance: Math.abs(i - at) }))
      .filter((v) => v.distance > 0)
      .sort((a, b) => a.distance - b.distance)
    for (const { value } of byDistance) {
      const changed = rank({ ...characteristics, [field]: value }, policy)
      const platform = policy.platforms[changed.ranked[0] as number] as string
      if (platform !== winner && !changed.noneEligible) {
        hints.push({
          field,
          value,
          recommendation: platform,
          message: format(ENGINE_MESSAGES.COUNTERFACTUAL, { field, value: String(value), platform }),
        })
        break
      }
    }
  }
  return hints
}

/**
 * The decision engine: descriptor + policy -> decision. Pure and deterministic: everything it
 * knows about platforms, criteria, weights and constraints comes from the policy's data.
 */
export function decide(input: DecisionInput, policy: Policy): Decision {
  const { characteristics, assumed } = resolveCharacteristics(input.characteristics)
  const { platforms, criteria } = policy
  const r = rank(characteristics, policy)
  const winner = r.ranked[0] as number
  const runnerUp = r.ranked[1]
  const margin = runnerUp === undefined ? null : (r.scores[winner] as number) - (r.scores[runnerUp] as number)
  const name = (p: number) => platforms[p] as string

  const summary = r.noneEligible
    ? {
        code: 'NO_ELIGIBLE_PLATFORM',
        message: format(ENGINE_MESSAGES.NO_ELIGIBLE_PLATFORM, { winner: name(winner) }),
      }
    : runnerUp === undefined
      ? { code: 'ONLY_ELIGIBLE', message: format(ENGINE_MESSAGES.ONLY_ELIGIBLE, { winner: name(winner) }) }
      : {
          code: 'RECOMMENDATION',
          message: format(ENGINE_MESSAGES.RECOMMENDATION, {
            winner: name(winner),
            winnerScore: round(r.scores[winner] as number, 1),
            runnerUp: name(runnerUp),
            runnerUpScore: round(r.scores[runnerUp] as number, 1),
          }),
        }
  const rationale: Decision['rationale'] = [summary, ...r.fired]

  const rules = policy.confidence
  let confidence: Confidence =
    margin === null || margin >= rules.highMargin ? 'high' : margin >= rules.mediumMargin ? 'medium' : 'low'
  if (r.noneEligible) confidence = 'low'
  if (margin !== null && margin < rules.mediumMargin) {
    rationale.push({
      code: 'THIN_MARGIN',
      message: format(ENGINE_MESSAGES.THIN_MARGIN, { margin: round(margin, 1) }),
    })
  }
  if (assumed.length > rules.maxAssumedForHigh && confidence === 'high') confidence = 'medium'
  if (assumed.length >= rules.insufficientAssumed) {
    confidence = 'low'
    rationale.push({
      code: 'INSUFFICIENT_DATA',
      message: format(ENGINE_MESSAGES.INSUFFICIENT_DATA, { count: assumed.length }),
    })
  } else if (assumed.length > 0) {
    rationale.push({
      code: 'ASSUMED_INPUTS',
      message: format(ENGINE_MESSAGES.ASSUMED_INPUTS, { assumed: assumed.join(', ') }),
    })
  }

  const state: ScoringState = {
    weights: r.weights,
    ratings: r.eligible.map((p) => r.ratings[p] as number[]),
  }
  // Sensitivity works on the eligible platforms and must agree with the ranking.
  if (r.eligible[winnerOf(r.eligible.map((p) => r.scores[p] as number))] !== winner) {
    throw new Error('decision engine invariant broken: ranking and sensitivity disagree')
  }

  const perPlatform = (values: (p: number) => number, digits: number) =>
    Object.fromEntries(platforms.map((platform, p) => [platform, round(values(p), digits)]))

  return {
    application: input.application,
    characteristics,
    assumed,
    recommendation: name(winner),
    confidence,
    scores: perPlatform((p) => r.scores[p] as number, 1),
    margin: margin === null ? null : round(margin, 1),
    criteria: criteria.map((criterion, i) => ({
      name: criterion.name,
      weight: round(r.weights[i] as number, 4),
      scores: perPlatform((p) => r.ratings[p]?.[i] as number, 1),
      contributions: perPlatform((p) => (r.ratings[p]?.[i] as number) * (r.weights[i] as number), 2),
    })),
    constraints: r.constraints,
    rationale,
    sensitivity: criteria.map((criterion, i) => {
      const x = flipWeight(state, i)
      return { criterion: criterion.name, flipsAtWeight: x === null ? null : round(x, 4) }
    }),
    counterfactuals: r.noneEligible ? [] : counterfactuals(characteristics, policy, name(winner)),
    policy: { id: policy.id, version: policy.version },
  }
}
