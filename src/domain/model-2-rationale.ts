import type { Decision } from '../schemas/decision'
import type { EffortClass, Policy } from '../schemas/policy'
import type { Analysis } from './decide-model-2'
import { ENGINE_MESSAGES, format } from './messages'
import { TIE_EPSILON } from './numbers'
import type { PlatformReadiness } from './readiness'

type Confidence = Decision['confidence']
type Rationale = Decision['rationale']

/**
 * What model 2 has established about a descriptor once it has ranked it, before it writes why:
 * the figures and choices the rationale and the confidence are stated from (decide-model-2.ts).
 */
export interface Standing {
  policy: Policy
  a: Analysis
  winner: number
  runnerUp: number | undefined
  /** The platforms within the tie margin of the winner, the winner first. */
  candidates: number[]
  outcome: NonNullable<Decision['outcome']>
  /** Winner's score minus the runner-up's, exact; null without a runner-up. */
  exactMargin: number | null
  shownScores: number[]
  shownMargin: number | null
  conflicts: NonNullable<Decision['conflicts']>
  effort: EffortClass
  needsInterim: boolean
  interimIndex: number | undefined
  /** The codes that kept the best score from being the recommendation (the contract's `overruledBy`). */
  overruledBy: string[]
}

const list = (items: readonly string[]) => items.join(', ')
const CONFIDENCE_ORDER: Confidence[] = ['low', 'medium', 'high']

/**
 * The rationale (the answer first, then why, then how sure) and the confidence it supports.
 *
 * Its own functions rather than one body with the rest of decideModel2: V8 compiles a function
 * as one unit, and the single body took 80-180 ms to optimize, again after each deoptimization;
 * on a busy core with the compiler's thread at low priority (thread-priority.ts) that left it
 * running unoptimized for seconds at a time (BENCHMARKS.md, the twenty-first session).
 */
export function rationaleOf(s: Standing): { rationale: Rationale; confidence: Confidence } {
  const rationale: Rationale = [leadReason(s)]
  const { a, winner } = s
  const name = (p: number) => s.policy.platforms[p] as string
  if (s.overruledBy.length > 0 && !a.noneEligible) {
    rationale.push({
      code: 'OVERRULED',
      message: format(ENGINE_MESSAGES.OVERRULED, {
        scoreWinner: name(a.scoreWinner),
        scoreWinnerScore: s.shownScores[a.scoreWinner] as number,
        winnerScore: s.shownScores[winner] as number,
        codes: list(s.overruledBy),
        winner: name(winner),
      }),
    })
  }
  for (const conflict of s.conflicts) rationale.push({ code: conflict.code, message: conflict.message })
  for (const gate of a.gates.waived) {
    rationale.push({
      code: 'GATE_WAIVED',
      message: format(ENGINE_MESSAGES.GATE_WAIVED, { code: gate.code, platforms: list(gate.restrict) }),
    })
  }
  for (const fired of a.scoring.fired) rationale.push(fired)
  if (s.policy.transition !== undefined && !a.noneEligible) rationale.push(transitionReason(s))
  const winnerReadiness = a.readiness[winner] as PlatformReadiness
  if (winnerReadiness.blocking.length > 0 && !a.noneEligible) {
    rationale.push({
      code: 'NOT_READY_TODAY',
      message: format(ENGINE_MESSAGES.NOT_READY_TODAY, {
        target: name(winner),
        codes: list(winnerReadiness.blocking),
        effort: s.effort,
      }),
    })
  }
  return { rationale, confidence: confidenceOf(s, rationale) }
}

/** The first reason: the recommendation, or why there is no clear or eligible one. */
function leadReason(s: Standing): Rationale[number] {
  const { a, winner, runnerUp, candidates } = s
  const name = (p: number) => s.policy.platforms[p] as string
  const scores = a.scoring.scores
  if (a.noneEligible) {
    const blocked = s.policy.platforms
      .map((platform, p) => {
        const codes = [
          ...(a.readiness[p] as PlatformReadiness).lasting,
          ...a.gates.applied.filter((g) => g.restrict.includes(platform)).map((g) => g.code),
        ]
        return `${platform} (${list(codes)})`
      })
      .join('; ')
    return {
      code: 'NO_ELIGIBLE_PLATFORM',
      message: format(ENGINE_MESSAGES.NO_ELIGIBLE_PLATFORM_READINESS, { blocked, winner: name(winner) }),
    }
  }
  if (s.outcome === 'no_clear_preference') {
    const second = candidates[1] as number
    const higher = (scores[winner] as number) - (scores[second] as number) > TIE_EPSILON
    const cheaper = a.efforts[winner] !== a.efforts[second]
    return {
      code: 'NO_CLEAR_PREFERENCE',
      message: format(ENGINE_MESSAGES.NO_CLEAR_PREFERENCE, {
        candidates: list(candidates.map(name)),
        tieMargin: s.policy.confidence.tieMargin ?? 0,
        scores: candidates.map((p) => `${name(p)} ${s.shownScores[p]}`).join(', '),
        winner: name(winner),
        why: higher
          ? ', on its higher exact score'
          : cheaper
            ? ', the cheaper move'
            : ', first in the policy',
        whyKo: higher ? ' (정확한 점수가 더 높음)' : cheaper ? ' (전환 비용이 더 적음)' : ' (정책의 순서)',
      }),
    }
  }
  if (runnerUp === undefined || a.targetEligible.length === 1) {
    return { code: 'ONLY_ELIGIBLE', message: format(ENGINE_MESSAGES.ONLY_ELIGIBLE, { winner: name(winner) }) }
  }
  return {
    code: 'RECOMMENDATION',
    message: format(ENGINE_MESSAGES.RECOMMENDATION, {
      winner: name(winner),
      winnerScore: s.shownScores[winner] as number,
      runnerUp: name(runnerUp),
      runnerUpScore: s.shownScores[runnerUp] as number,
    }),
  }
}

/** The transition: the effort of the move, and where to run until a re-architecture is done. */
function transitionReason(s: Standing): Rationale[number] {
  const target = s.policy.platforms[s.winner] as string
  if (!s.needsInterim) {
    return {
      code: 'TARGET_DIRECT',
      message: format(ENGINE_MESSAGES.TARGET_DIRECT, { target, effort: s.effort }),
    }
  }
  if (s.interimIndex === undefined) {
    return {
      code: 'TARGET_NO_INTERIM',
      message: format(ENGINE_MESSAGES.TARGET_NO_INTERIM, { target, effort: s.effort }),
    }
  }
  return {
    code: 'TARGET_INTERIM',
    message: format(ENGINE_MESSAGES.TARGET_INTERIM, {
      target,
      effort: s.effort,
      interim: s.policy.platforms[s.interimIndex] as string,
      interimEffort: s.a.efforts[s.interimIndex] as EffortClass,
    }),
  }
}

/**
 * How sure: from the margin, capped by what is unclear, unknown, in conflict or assumed; the
 * reasons for each cap follow the rationale so far, in this order.
 */
function confidenceOf(s: Standing, rationale: Rationale): Confidence {
  const { a, winner } = s
  const rules = s.policy.confidence
  const name = (p: number) => s.policy.platforms[p] as string
  const unanswered = (a.readiness[winner] as PlatformReadiness).findings
    .filter((f) => f.status === 'unanswered')
    .map((f) => f.code)
  const { exactMargin } = s
  let confidence: Confidence =
    exactMargin === null || exactMargin >= rules.highMargin
      ? 'high'
      : exactMargin >= rules.mediumMargin
        ? 'medium'
        : 'low'
  const cap = (level: Confidence) => {
    if (CONFIDENCE_ORDER.indexOf(confidence) > CONFIDENCE_ORDER.indexOf(level)) confidence = level
  }
  if (s.outcome !== 'clear') cap('low')
  if (unanswered.length > 0) {
    cap('medium')
    rationale.push({
      code: 'READINESS_UNKNOWN',
      message: format(ENGINE_MESSAGES.READINESS_UNKNOWN, { winner: name(winner), codes: list(unanswered) }),
    })
  }
  if (s.conflicts.length > 0) {
    cap('medium')
    rationale.push({ code: 'CONFLICT_REVIEW', message: ENGINE_MESSAGES.CONFLICT_REVIEW })
  }
  if (s.outcome === 'clear' && exactMargin !== null && exactMargin < rules.mediumMargin) {
    rationale.push({
      code: 'THIN_MARGIN',
      message: format(ENGINE_MESSAGES.THIN_MARGIN, { margin: s.shownMargin as number }),
    })
  }
  if (a.assumed.length > rules.maxAssumedForHigh) cap('medium')
  if (a.assumed.length >= rules.insufficientAssumed) {
    cap('low')
    rationale.push({
      code: 'INSUFFICIENT_DATA',
      message: format(ENGINE_MESSAGES.INSUFFICIENT_DATA, { count: a.assumed.length }),
    })
  } else if (a.assumed.length > 0) {
    rationale.push({
      code: 'ASSUMED_INPUTS',
      message: format(ENGINE_MESSAGES.ASSUMED_INPUTS, { assumed: a.assumed.join(', ') }),
    })
  }
  return confidence
}
