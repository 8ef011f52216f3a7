import type { Decision } from '../schemas/decision'
import type { Application, Characteristics } from '../schemas/descriptor'
import type { LocalizedText, Policy } from '../schemas/policy'
import { resolveCharacteristics } from './characteristics'
import { allHold, fillText } from './conditions'
import { ENGINE_MESSAGES, format } from './messages'
import { clamp, round } from './numbers'
import { flipWeight, type ScoringState, winnerOf } from './sensitivity'

export interface DecisionInput {
  application: Application
  characteristics: Characteristics
}

type Confidence = Decision['confidence']
const LOWER: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' }

/**
 * The decision engine: descriptor + policy -> decision. Pure and deterministic: everything it
 * knows about platforms, criteria, weights and constraints comes from the policy's data.
 */
export function decide(input: DecisionInput, policy: Policy): Decision {
  const { characteristics, assumed } = resolveCharacteristics(input.characteristics)
  const { platforms, criteria } = policy

  const rawWeights = criteria.map((c) => c.baseWeight)
  const ratings = platforms.map((p) => criteria.map((c) => policy.ratings[p]?.[c.name] ?? 0))
  const rationale: Decision['rationale'] = []

  for (const rule of policy.rules) {
    if (!allHold(rule.when, characteristics)) continue
    criteria.forEach((criterion, i) => {
      rawWeights[i] = (rawWeights[i] as number) + (rule.weights?.[criterion.name] ?? 0)
      platforms.forEach((platform, p) => {
        const row = ratings[p] as number[]
        row[i] = (row[i] as number) + (rule.ratings?.[platform]?.[criterion.name] ?? 0)
      })
    })
    rationale.push({ code: rule.code, message: fillText(rule.message, characteristics) })
  }

  // A rule may lower a weight, never below zero; the policy guarantees a positive total.
  const clampedWeights = rawWeights.map((w) => Math.max(0, w))
  const total = clampedWeights.reduce((a, b) => a + b, 0)
  const weights = clampedWeights.map((w) => w / total)
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
    return Math.abs(diff) > 1e-9 ? diff : a - b
  })
  const winner = ranked[0] as number
  const runnerUp = ranked[1]
  const margin = runnerUp === undefined ? null : (scores[winner] as number) - (scores[runnerUp] as number)

  const name = (p: number) => platforms[p] as string
  const summary: { code: string; message: LocalizedText } = noneEligible
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
            winnerScore: round(scores[winner] as number, 1),
            runnerUp: name(runnerUp),
            runnerUpScore: round(scores[runnerUp] as number, 1),
          }),
        }
  rationale.unshift(summary)

  const rules = policy.confidence
  let confidence: Confidence =
    margin === null || margin >= rules.highMargin ? 'high' : margin >= rules.mediumMargin ? 'medium' : 'low'
  if (noneEligible) confidence = 'low'
  if (margin !== null && margin < rules.mediumMargin) {
    rationale.push({
      code: 'THIN_MARGIN',
      message: format(ENGINE_MESSAGES.THIN_MARGIN, { margin: round(margin, 1) }),
    })
  }
  if (assumed.length > rules.maxAssumedForHigh && confidence === 'high') confidence = LOWER.high
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
    criteria: criteria.map((c) => c.name),
    weights,
    ratings: eligible.map((p) => clampedRatings[p] as number[]),
  }
  // Sanity: sensitivity works on the eligible platforms and must agree with the ranking.
  if (eligible[winnerOf(eligible.map((p) => scores[p] as number))] !== winner) {
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
    scores: perPlatform((p) => scores[p] as number, 1),
    margin: margin === null ? null : round(margin, 1),
    criteria: criteria.map((criterion, i) => ({
      name: criterion.name,
      weight: round(weights[i] as number, 4),
      scores: perPlatform((p) => clampedRatings[p]?.[i] as number, 1),
      contributions: perPlatform((p) => (clampedRatings[p]?.[i] as number) * (weights[i] as number), 2),
    })),
    constraints,
    rationale,
    sensitivity: criteria.map((criterion, i) => {
      const x = flipWeight(state, i)
      return { criterion: criterion.name, flipsAtWeight: x === null ? null : round(x, 4) }
    }),
    policy: { id: policy.id, version: policy.version },
  }
}
