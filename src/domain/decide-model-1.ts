import type { Decision } from '../schemas/decision'
import {
  BLOCKER_NAMES,
  CHARACTERISTIC_VALUES,
  type CharacteristicName,
  type ResolvedCharacteristics,
} from '../schemas/descriptor'
import type { LocalizedText, Policy } from '../schemas/policy'
import { resolveCharacteristics } from './characteristics'
import { allHold, fillText } from './conditions'
import type { DecisionInput } from './decision-input'
import { nearestFlip } from './hints'
import { ENGINE_MESSAGES, format } from './messages'
import { round, TIE_EPSILON } from './numbers'
import { sortInPlace } from './platform-order'
import { score } from './scoring'
import { flipWeight, type ScoringState, winnerOf } from './sensitivity'

const BLOCKER_FIELDS = new Set<string>(BLOCKER_NAMES)

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

function rank(characteristics: ResolvedCharacteristics, policy: Policy, messages = true): Ranking {
  const { platforms } = policy
  const { weights, ratings, scores, fired } = score(characteristics, policy, { messages })

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
  const ranked = sortInPlace([...eligible], (a, b) => {
    const diff = (scores[b] as number) - (scores[a] as number)
    return Math.abs(diff) > TIE_EPSILON ? diff : a - b
  })
  return { weights, ratings, scores, fired, constraints, eligible, noneEligible, ranked }
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
    // Model 1 never knew blockers: its hints stay those it gave when it shipped.
    if (values === 'number' || BLOCKER_FIELDS.has(field)) continue
    const hint = nearestFlip(field, values, characteristics[field] as string | boolean, winner, (value) => {
      const changed = rank({ ...characteristics, [field]: value }, policy)
      return changed.noneEligible ? null : (policy.platforms[changed.ranked[0] as number] as string)
    })
    if (hint) hints.push(hint)
  }
  return hints
}

/**
 * Model 1, the first release's decision: a weighted sum, hard constraints that exclude
 * platforms, the best eligible score wins (exact ties: the earlier platform). Kept exactly as
 * it shipped, so that every decision made under a model-1 policy replays identically.
 */
export function decideModel1(input: DecisionInput, policy: Policy): Decision {
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

/** Only the recommendation model 1 would give: what a policy's impact needs, without the text. */
export function recommendModel1(input: DecisionInput, policy: Policy): string {
  const { characteristics } = resolveCharacteristics(input.characteristics)
  return policy.platforms[rank(characteristics, policy, false).ranked[0] as number] as string
}
