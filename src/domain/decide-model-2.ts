import type { Decision } from '../schemas/decision'
import {
  CHARACTERISTIC_VALUES,
  type CharacteristicName,
  type Characteristics,
  type OptionalCharacteristic,
  type ResolvedCharacteristics,
} from '../schemas/descriptor'
import { EFFORT_CLASSES, type EffortClass, type Gate, type Policy } from '../schemas/policy'
import { resolveCharacteristics } from './characteristics'
import { allHold, allHoldOnFacts, fillText } from './conditions'
import type { DecisionInput } from './decision-input'
import { nearestFlip } from './hints'
import { ENGINE_MESSAGES, format } from './messages'
import { apportion, round, TIE_EPSILON } from './numbers'
import { sortInPlace } from './platform-order'
import { variantRanker } from './ranking'
import { assessReadiness, maxEffort, type PlatformReadiness } from './readiness'
import { type Scoring, score } from './scoring'
import { flipPoint } from './sensitivity'

type Confidence = Decision['confidence']

/** Everything model 2 establishes about one descriptor, before any text is written. */
export interface Analysis {
  characteristics: ResolvedCharacteristics
  assumed: OptionalCharacteristic[]
  scoring: Scoring
  readiness: PlatformReadiness[]
  /** Per platform: the effort of moving the application there as it is. */
  efforts: EffortClass[]
  /** Gates that hold and restrict platforms, and gates whose exception (`unless`) holds. */
  gates: { applied: Gate[]; waived: Gate[] }
  /** Platform indices the gates restrict. */
  gated: Set<number>
  /** May be the target: no lasting blocker, no gate. */
  targetEligible: number[]
  /** May run the application as it is today: no blocker at all, no gate. */
  todayEligible: number[]
  noneEligible: boolean
  /** Target-eligible platforms, best first (all platforms when none is eligible). */
  ranked: number[]
  /** The best score of all, eligible or not. */
  scoreWinner: number
}

/**
 * Orders platforms by exact score, best first. Scores equal to floating-point noise are a tie:
 * the cheaper move wins it, then the policy's platform order, so noise never decides.
 */
function byPreference(scores: number[], efforts: EffortClass[]) {
  return (a: number, b: number) => {
    const diff = (scores[b] as number) - (scores[a] as number)
    if (Math.abs(diff) > TIE_EPSILON) return diff
    const effort =
      EFFORT_CLASSES.indexOf(efforts[a] as EffortClass) - EFFORT_CLASSES.indexOf(efforts[b] as EffortClass)
    return effort !== 0 ? effort : a - b
  }
}

export function analyse(submitted: Characteristics, policy: Policy, messages = true): Analysis {
  const { characteristics, assumed } = resolveCharacteristics(submitted, 2)
  const { platforms } = policy
  const scoring = score(characteristics, policy, { messages })
  const readiness = assessReadiness(submitted, policy, messages)
  const architecture = characteristics.architecture
  const efforts = platforms.map((platform, p) => {
    const table = policy.transition?.effort
    const row = table && Object.hasOwn(table, platform) ? table[platform] : undefined
    const moved = row && Object.hasOwn(row, architecture) ? (row[architecture] as EffortClass) : 'none'
    return maxEffort(moved, (readiness[p] as PlatformReadiness).clearEffort)
  })

  const gates: Analysis['gates'] = { applied: [], waived: [] }
  const gated = new Set<number>()
  for (const gate of policy.gates ?? []) {
    if (!allHold(gate.when, characteristics)) continue
    // An exception to a protective gate must be established by submitted facts, not assumed.
    if (gate.unless && allHoldOnFacts(gate.unless, submitted) === true) {
      gates.waived.push(gate)
      continue
    }
    gates.applied.push(gate)
    platforms.forEach((platform, p) => {
      if (gate.restrict.includes(platform)) gated.add(p)
    })
  }

  const all = platforms.map((_, p) => p)
  const order = byPreference(scoring.scores, efforts)
  const targetEligible = all.filter(
    (p) => !gated.has(p) && (readiness[p] as PlatformReadiness).lasting.length === 0,
  )
  const todayEligible = targetEligible.filter(
    (p) => (readiness[p] as PlatformReadiness).blocking.length === 0,
  )
  const noneEligible = targetEligible.length === 0
  const ranked = sortInPlace([...(noneEligible ? all : targetEligible)], order)
  const scoreWinner = sortInPlace([...all], order)[0] as number
  return {
    characteristics,
    assumed,
    scoring,
    readiness,
    efforts,
    gates,
    gated,
    targetEligible,
    todayEligible,
    noneEligible,
    ranked,
    scoreWinner,
  }
}

/**
 * For each characteristic the policy calls actionable (something a planner can change or
 * answer), the nearest other value that alone changes the recommendation. Each hint is found by
 * deciding the descriptor as submitted with that one value changed, so it is true as stated.
 */
function hints(input: DecisionInput, policy: Policy, a: Analysis): Decision['counterfactuals'] {
  const winner = policy.platforms[a.ranked[0] as number] as string
  const found: Decision['counterfactuals'] = []
  const rankWith = variantRanker(input.characteristics, policy, a.characteristics)
  for (const field of policy.actionable ?? []) {
    const values = CHARACTERISTIC_VALUES[field as CharacteristicName]
    if (values === 'number') continue
    const current = a.characteristics[field as CharacteristicName] as string | boolean
    const hint = nearestFlip(field, values, current, winner, (value) => {
      const changed = rankWith(field, value)
      return { platform: policy.platforms[changed.winner] as string, noneEligible: changed.noneEligible }
    })
    if (hint) found.push(hint)
  }
  return found
}

const effortText = (e: EffortClass) => e
const list = (items: readonly string[]) => items.join(', ')

/**
 * Model 2: the target, readiness and the transition, each said plainly.
 *
 * 1. Fit: the policy's rules weigh the criteria; transition criteria (the cost of the move)
 *    weigh 0, so the target follows the application's lasting characteristics only.
 * 2. Readiness: checks on the submitted facts give each platform a verdict; an unanswered
 *    blocker is unknown, never assumed away. A lasting `not_ready` rules a platform out as the
 *    target; one that an effort clears (`clearedBy`) only raises the effort of the move.
 * 3. Gates: a policy may keep some applications off some platforms (mission-critical off
 *    shared-kernel containers) unless stated conditions hold; the answer names the conflict.
 * 4. The target is the best eligible score (within the tie margin: no clear preference); when
 *    the move costs a re-architecture, the interim placement is the best platform that takes
 *    the application as it is.
 */
export function decideModel2(input: DecisionInput, policy: Policy): Decision {
  const a = analyse(input.characteristics, policy)
  const { platforms, criteria } = policy
  const { scores, weights, ratings } = a.scoring
  const name = (p: number) => platforms[p] as string
  const c = a.characteristics
  const winner = a.ranked[0] as number
  // The margin is measured against the best other platform that a lasting blocker does not rule
  // out and that scores no higher: a platform a gate keeps out still shows how close the call
  // was, unless the gate overruled it (then the conflict, not the margin, says so).
  const runnerUp = a.noneEligible
    ? a.ranked[1]
    : sortInPlace(
        platforms
          .map((_, p) => p)
          .filter(
            (p) =>
              p !== winner &&
              (a.readiness[p] as PlatformReadiness).lasting.length === 0 &&
              (scores[p] as number) <= (scores[winner] as number) + TIE_EPSILON,
          ),
        byPreference(scores, a.efforts),
      )[0]
  const tieMargin = policy.confidence.tieMargin ?? 0
  const exactMargin =
    runnerUp === undefined ? null : (scores[winner] as number) - (scores[runnerUp] as number)
  const candidates = a.noneEligible
    ? [winner]
    : a.ranked.filter(
        (p) =>
          p === winner ||
          (scores[winner] as number) - (scores[p] as number) < Math.max(tieMargin, TIE_EPSILON),
      )
  const outcome: NonNullable<Decision['outcome']> = a.noneEligible
    ? 'no_eligible_platform'
    : candidates.length > 1
      ? 'no_clear_preference'
      : 'clear'

  // Shown figures add up as shown; the exact ones are kept beside them.
  const shownScores = scores.map((s) => round(s, 1))
  const shownWeights = apportion(weights, 1, 4)
  const contributions = platforms.map((_, p) =>
    apportion(
      weights.map((w, i) => w * ((ratings[p] as number[])[i] as number)),
      shownScores[p] as number,
      1,
    ),
  )
  const shownMargin =
    runnerUp === undefined
      ? null
      : round((shownScores[winner] as number) - (shownScores[runnerUp] as number), 1)
  // A loop, not Object.fromEntries() over pairs: an answer builds a dozen of these, and the pairs
  // and fromEntries were a fourteenth of a decision. Assignment is safe: platform names match
  // ^[a-z] (policy.ts), so none is `__proto__`.
  const perPlatform = <T>(value: (p: number) => T) => {
    const out: Record<string, T> = {}
    for (let p = 0; p < platforms.length; p++) out[platforms[p] as string] = value(p)
    return out
  }

  // What the gates and lasting blockers exclude: the contract's `constraints`.
  const constraints: Decision['constraints'] = []
  for (const check of policy.readiness ?? []) {
    const excludes = platforms.filter((_, p) =>
      (a.readiness[p] as PlatformReadiness).lasting.includes(check.code),
    )
    if (excludes.length === 0) continue
    constraints.push({ code: check.code, excludes, message: fillText(check.message, c), kind: 'readiness' })
  }
  for (const gate of a.gates.applied) {
    const excludes = gate.restrict.filter((p) => platforms.includes(p))
    constraints.push({ code: gate.code, excludes, message: fillText(gate.message, c), kind: 'gate' })
  }

  // A gate is a conflict when, without it, a restricted platform would have been recommended.
  const conflicts: NonNullable<Decision['conflicts']> = []
  const ungated = sortInPlace(
    platforms.map((_, p) => p).filter((p) => (a.readiness[p] as PlatformReadiness).lasting.length === 0),
    byPreference(scores, a.efforts),
  )
  const ungatedWinner = ungated[0]
  let conflictGate: Gate | undefined
  if (ungatedWinner !== undefined && a.gated.has(ungatedWinner) && !a.noneEligible) {
    for (const gate of a.gates.applied) {
      if (!gate.restrict.includes(name(ungatedWinner))) continue
      conflictGate ??= gate
      conflicts.push({
        code: gate.code,
        scoreWinner: name(ungatedWinner),
        recommendation: name(winner),
        message: fillText(gate.message, c),
        requires: fillText(gate.requires, c),
      })
    }
  }

  const gateRequirement = (p: number) => {
    const gate = a.gates.applied.find((g) => g.restrict.includes(name(p)))
    return gate ? fillText(gate.requires, c) : null
  }
  const alternative: Decision['alternative'] =
    conflictGate && ungatedWinner !== undefined
      ? {
          platform: name(ungatedWinner),
          score: shownScores[ungatedWinner] as number,
          eligible: false,
          requires: fillText(conflictGate.requires, c),
        }
      : runnerUp !== undefined && !a.noneEligible
        ? {
            platform: name(runnerUp),
            score: shownScores[runnerUp] as number,
            eligible: !a.gated.has(runnerUp),
            requires: a.gated.has(runnerUp) ? gateRequirement(runnerUp) : null,
          }
        : null

  // The transition: the effort of the move, and where to run until a re-architecture is done.
  const effort = a.efforts[winner] as EffortClass
  const transition = policy.transition
  const needsInterim =
    transition !== undefined &&
    !a.noneEligible &&
    EFFORT_CLASSES.indexOf(effort) >= EFFORT_CLASSES.indexOf(transition.interimFrom)
  const interimIndex = needsInterim
    ? sortInPlace(
        a.todayEligible.filter(
          (p) =>
            EFFORT_CLASSES.indexOf(a.efforts[p] as EffortClass) <
            EFFORT_CLASSES.indexOf((transition as NonNullable<typeof transition>).interimFrom),
        ),
        byPreference(scores, a.efforts),
      )[0]
    : undefined
  const interim = interimIndex === undefined ? null : name(interimIndex)

  // Rationale: the answer first, then why, then how sure.
  const rationale: Decision['rationale'] = []
  const scoreList = (ps: number[]) => ps.map((p) => `${name(p)} ${shownScores[p]}`).join(', ')
  if (a.noneEligible) {
    const blocked = platforms
      .map((platform, p) => {
        const codes = [
          ...(a.readiness[p] as PlatformReadiness).lasting,
          ...a.gates.applied.filter((g) => g.restrict.includes(platform)).map((g) => g.code),
        ]
        return `${platform} (${list(codes)})`
      })
      .join('; ')
    rationale.push({
      code: 'NO_ELIGIBLE_PLATFORM',
      message: format(ENGINE_MESSAGES.NO_ELIGIBLE_PLATFORM_READINESS, { blocked, winner: name(winner) }),
    })
  } else if (outcome === 'no_clear_preference') {
    const second = candidates[1] as number
    const higher = (scores[winner] as number) - (scores[second] as number) > TIE_EPSILON
    const cheaper = a.efforts[winner] !== a.efforts[second]
    rationale.push({
      code: 'NO_CLEAR_PREFERENCE',
      message: format(ENGINE_MESSAGES.NO_CLEAR_PREFERENCE, {
        candidates: list(candidates.map(name)),
        tieMargin,
        scores: scoreList(candidates),
        winner: name(winner),
        why: higher
          ? ', on its higher exact score'
          : cheaper
            ? ', the cheaper move'
            : ', first in the policy',
        whyKo: higher ? ' (정확한 점수가 더 높음)' : cheaper ? ' (전환 비용이 더 적음)' : ' (정책의 순서)',
      }),
    })
  } else if (runnerUp === undefined || a.targetEligible.length === 1) {
    rationale.push({
      code: 'ONLY_ELIGIBLE',
      message: format(ENGINE_MESSAGES.ONLY_ELIGIBLE, { winner: name(winner) }),
    })
  } else {
    rationale.push({
      code: 'RECOMMENDATION',
      message: format(ENGINE_MESSAGES.RECOMMENDATION, {
        winner: name(winner),
        winnerScore: shownScores[winner] as number,
        runnerUp: name(runnerUp),
        runnerUpScore: shownScores[runnerUp] as number,
      }),
    })
  }
  const overruledBy =
    a.scoreWinner === winner || candidates.includes(a.scoreWinner)
      ? []
      : [
          ...(a.readiness[a.scoreWinner] as PlatformReadiness).lasting,
          ...a.gates.applied.filter((g) => g.restrict.includes(name(a.scoreWinner))).map((g) => g.code),
        ]
  if (overruledBy.length > 0 && !a.noneEligible) {
    rationale.push({
      code: 'OVERRULED',
      message: format(ENGINE_MESSAGES.OVERRULED, {
        scoreWinner: name(a.scoreWinner),
        scoreWinnerScore: shownScores[a.scoreWinner] as number,
        winnerScore: shownScores[winner] as number,
        codes: list(overruledBy),
        winner: name(winner),
      }),
    })
  }
  for (const conflict of conflicts) rationale.push({ code: conflict.code, message: conflict.message })
  for (const gate of a.gates.waived) {
    rationale.push({
      code: 'GATE_WAIVED',
      message: format(ENGINE_MESSAGES.GATE_WAIVED, { code: gate.code, platforms: list(gate.restrict) }),
    })
  }
  rationale.push(...a.scoring.fired)
  if (transition !== undefined && !a.noneEligible) {
    rationale.push(
      !needsInterim
        ? {
            code: 'TARGET_DIRECT',
            message: format(ENGINE_MESSAGES.TARGET_DIRECT, {
              target: name(winner),
              effort: effortText(effort),
            }),
          }
        : interimIndex === undefined
          ? {
              code: 'TARGET_NO_INTERIM',
              message: format(ENGINE_MESSAGES.TARGET_NO_INTERIM, {
                target: name(winner),
                effort: effortText(effort),
              }),
            }
          : {
              code: 'TARGET_INTERIM',
              message: format(ENGINE_MESSAGES.TARGET_INTERIM, {
                target: name(winner),
                effort: effortText(effort),
                interim: name(interimIndex),
                interimEffort: effortText(a.efforts[interimIndex] as EffortClass),
              }),
            },
    )
  }
  const winnerReadiness = a.readiness[winner] as PlatformReadiness
  if (winnerReadiness.blocking.length > 0 && !a.noneEligible) {
    rationale.push({
      code: 'NOT_READY_TODAY',
      message: format(ENGINE_MESSAGES.NOT_READY_TODAY, {
        target: name(winner),
        codes: list(winnerReadiness.blocking),
        effort: effortText(effort),
      }),
    })
  }
  const unanswered = winnerReadiness.findings.filter((f) => f.status === 'unanswered').map((f) => f.code)

  const rules = policy.confidence
  let confidence: Confidence =
    exactMargin === null || exactMargin >= rules.highMargin
      ? 'high'
      : exactMargin >= rules.mediumMargin
        ? 'medium'
        : 'low'
  const cap = (level: Confidence) => {
    const order: Confidence[] = ['low', 'medium', 'high']
    if (order.indexOf(confidence) > order.indexOf(level)) confidence = level
  }
  if (outcome !== 'clear') cap('low')
  if (unanswered.length > 0) {
    cap('medium')
    rationale.push({
      code: 'READINESS_UNKNOWN',
      message: format(ENGINE_MESSAGES.READINESS_UNKNOWN, { winner: name(winner), codes: list(unanswered) }),
    })
  }
  if (conflicts.length > 0) {
    cap('medium')
    rationale.push({ code: 'CONFLICT_REVIEW', message: ENGINE_MESSAGES.CONFLICT_REVIEW })
  }
  if (outcome === 'clear' && exactMargin !== null && exactMargin < rules.mediumMargin) {
    rationale.push({
      code: 'THIN_MARGIN',
      message: format(ENGINE_MESSAGES.THIN_MARGIN, { margin: shownMargin as number }),
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

  const sensitivityPool = a.noneEligible ? a.ranked : a.targetEligible
  const state = { weights, ratings: sensitivityPool.map((p) => ratings[p] as number[]) }
  const current = sensitivityPool.indexOf(winner)

  return {
    application: input.application,
    characteristics: c,
    assumed: a.assumed,
    recommendation: name(winner),
    confidence,
    scores: perPlatform((p) => shownScores[p] as number),
    margin: shownMargin,
    criteria: criteria.map((criterion, i) => ({
      name: criterion.name,
      weight: shownWeights[i] as number,
      scores: perPlatform((p) => round((ratings[p] as number[])[i] as number, 1)),
      contributions: perPlatform((p) => (contributions[p] as number[])[i] as number),
      role: criterion.role ?? 'fit',
    })),
    constraints,
    rationale,
    sensitivity: criteria.map((criterion, i) => {
      const x = flipPoint(state, i, current)
      return { criterion: criterion.name, flipsAtWeight: x === null ? null : round(x, 4) }
    }),
    counterfactuals: a.noneEligible ? [] : hints(input, policy, a),
    policy: { id: policy.id, version: policy.version },
    model: 2,
    outcome,
    runnerUp: runnerUp === undefined ? null : name(runnerUp),
    candidates: candidates.map(name),
    scoreWinner: name(a.scoreWinner),
    overruledBy,
    target: name(winner),
    effort,
    interim,
    efforts: perPlatform((p) => a.efforts[p] as EffortClass),
    readiness: perPlatform((p) => {
      const r = a.readiness[p] as PlatformReadiness
      return { verdict: r.verdict, blockers: r.findings.map((f) => ({ ...f })) }
    }),
    conflicts,
    alternative,
    exact: {
      scores: perPlatform((p) => scores[p] as number),
      weights: Object.fromEntries(criteria.map((criterion, i) => [criterion.name, weights[i] as number])),
      margin: exactMargin,
    },
  }
}
