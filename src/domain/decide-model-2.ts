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
import { rationaleOf, type Standing } from './model-2-rationale'
import { apportion, round, TIE_EPSILON } from './numbers'
import { sortInPlace } from './platform-order'
import { variantRanker } from './ranking'
import { assessReadiness, maxEffort, type PlatformReadiness } from './readiness'
import { type Scoring, score } from './scoring'
import { flipPoint } from './sensitivity'

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
      return changed.noneEligible ? null : (policy.platforms[changed.winner] as string)
    })
    if (hint) found.push(hint)
  }
  return found
}

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
 *
 * Each part of the answer has a function of its own, this one only puts them together: V8
 * optimizes a function as one unit, and as one body of some 5 000 bytes of bytecode this took
 * 80-180 ms to optimize, again after every deoptimization (BENCHMARKS.md, the twenty-first
 * session).
 */
export function decideModel2(input: DecisionInput, policy: Policy): Decision {
  const a = analyse(input.characteristics, policy)
  const { scores } = a.scoring
  const winner = a.ranked[0] as number
  const runnerUp = runnerUpOf(policy, a, winner)
  const candidates = candidatesOf(policy, a, winner)
  const outcome: Standing['outcome'] = a.noneEligible
    ? 'no_eligible_platform'
    : candidates.length > 1
      ? 'no_clear_preference'
      : 'clear'
  // Shown figures add up as shown; the exact ones are kept beside them.
  const shownScores = scores.map((s) => round(s, 1))
  const found = conflictsOf(policy, a, winner)
  const transition = transitionOf(policy, a, winner)
  const standing: Standing = {
    policy,
    a,
    winner,
    runnerUp,
    candidates,
    outcome,
    exactMargin: runnerUp === undefined ? null : (scores[winner] as number) - (scores[runnerUp] as number),
    shownScores,
    shownMargin:
      runnerUp === undefined
        ? null
        : round((shownScores[winner] as number) - (shownScores[runnerUp] as number), 1),
    conflicts: found.conflicts,
    effort: transition.effort,
    needsInterim: transition.needsInterim,
    interimIndex: transition.interimIndex,
    overruledBy: overruledByOf(policy, a, winner, candidates),
  }
  return answerOf(input, standing, found)
}

/**
 * The margin is measured against the best other platform that a lasting blocker does not rule
 * out and that scores no higher: a platform a gate keeps out still shows how close the call
 * was, unless the gate overruled it (then the conflict, not the margin, says so).
 */
function runnerUpOf(policy: Policy, a: Analysis, winner: number): number | undefined {
  if (a.noneEligible) return a.ranked[1]
  const { scores } = a.scoring
  return sortInPlace(
    policy.platforms
      .map((_, p) => p)
      .filter(
        (p) =>
          p !== winner &&
          (a.readiness[p] as PlatformReadiness).lasting.length === 0 &&
          (scores[p] as number) <= (scores[winner] as number) + TIE_EPSILON,
      ),
    byPreference(scores, a.efforts),
  )[0]
}

/** The eligible platforms within the policy's tie margin of the winner, the winner first. */
function candidatesOf(policy: Policy, a: Analysis, winner: number): number[] {
  if (a.noneEligible) return [winner]
  const { scores } = a.scoring
  const tieMargin = policy.confidence.tieMargin ?? 0
  return a.ranked.filter(
    (p) =>
      p === winner || (scores[winner] as number) - (scores[p] as number) < Math.max(tieMargin, TIE_EPSILON),
  )
}

/** What the gates and lasting blockers exclude: the contract's `constraints`. */
function constraintsOf(policy: Policy, a: Analysis): Decision['constraints'] {
  const { platforms } = policy
  const c = a.characteristics
  const constraints: Decision['constraints'] = []
  // An array only for a check that excludes a platform: most exclude none, and a filter per
  // check was a fifteenth of what a decision allocated (BENCHMARKS.md, the twenty-second session).
  for (const check of policy.readiness ?? []) {
    let excludes: string[] | undefined
    for (let p = 0; p < platforms.length; p++) {
      if (!(a.readiness[p] as PlatformReadiness).lasting.includes(check.code)) continue
      excludes ??= []
      excludes.push(platforms[p] as string)
    }
    if (excludes === undefined) continue
    constraints.push({ code: check.code, excludes, message: fillText(check.message, c), kind: 'readiness' })
  }
  for (const gate of a.gates.applied) {
    const excludes = gate.restrict.filter((p) => platforms.includes(p))
    constraints.push({ code: gate.code, excludes, message: fillText(gate.message, c), kind: 'gate' })
  }
  return constraints
}

interface Conflicts {
  conflicts: NonNullable<Decision['conflicts']>
  /** The best platform no lasting blocker rules out, gates or not. */
  ungatedWinner: number | undefined
  /** The first gate that kept the ungated winner from being recommended. */
  conflictGate: Gate | undefined
}

/** A gate is a conflict when, without it, a restricted platform would have been recommended. */
function conflictsOf(policy: Policy, a: Analysis, winner: number): Conflicts {
  const { platforms } = policy
  const c = a.characteristics
  const conflicts: Conflicts['conflicts'] = []
  const ungatedWinner = sortInPlace(
    platforms.map((_, p) => p).filter((p) => (a.readiness[p] as PlatformReadiness).lasting.length === 0),
    byPreference(a.scoring.scores, a.efforts),
  )[0]
  let conflictGate: Gate | undefined
  if (ungatedWinner !== undefined && a.gated.has(ungatedWinner) && !a.noneEligible) {
    const scoreWinner = platforms[ungatedWinner] as string
    for (const gate of a.gates.applied) {
      if (!gate.restrict.includes(scoreWinner)) continue
      conflictGate ??= gate
      conflicts.push({
        code: gate.code,
        scoreWinner,
        recommendation: platforms[winner] as string,
        message: fillText(gate.message, c),
        requires: fillText(gate.requires, c),
      })
    }
  }
  return { conflicts, ungatedWinner, conflictGate }
}

/** The platform beside the recommendation: the one a gate kept out, or the runner-up. */
function alternativeOf(s: Standing, { ungatedWinner, conflictGate }: Conflicts): Decision['alternative'] {
  const { a, runnerUp, policy } = s
  const c = a.characteristics
  const name = (p: number) => policy.platforms[p] as string
  if (conflictGate && ungatedWinner !== undefined) {
    return {
      platform: name(ungatedWinner),
      score: s.shownScores[ungatedWinner] as number,
      eligible: false,
      requires: fillText(conflictGate.requires, c),
    }
  }
  if (runnerUp === undefined || a.noneEligible) return null
  const gate = a.gated.has(runnerUp)
    ? a.gates.applied.find((g) => g.restrict.includes(name(runnerUp)))
    : undefined
  return {
    platform: name(runnerUp),
    score: s.shownScores[runnerUp] as number,
    eligible: !a.gated.has(runnerUp),
    requires: gate ? fillText(gate.requires, c) : null,
  }
}

/** The transition: the effort of the move, and where to run until a re-architecture is done. */
function transitionOf(
  policy: Policy,
  a: Analysis,
  winner: number,
): Pick<Standing, 'effort' | 'needsInterim' | 'interimIndex'> {
  const effort = a.efforts[winner] as EffortClass
  const transition = policy.transition
  if (transition === undefined || a.noneEligible)
    return { effort, needsInterim: false, interimIndex: undefined }
  const from = EFFORT_CLASSES.indexOf(transition.interimFrom)
  if (EFFORT_CLASSES.indexOf(effort) < from) return { effort, needsInterim: false, interimIndex: undefined }
  const interimIndex = sortInPlace(
    a.todayEligible.filter((p) => EFFORT_CLASSES.indexOf(a.efforts[p] as EffortClass) < from),
    byPreference(a.scoring.scores, a.efforts),
  )[0]
  return { effort, needsInterim: true, interimIndex }
}

/** The codes that kept the best score from being the recommendation, unless it is a candidate. */
function overruledByOf(policy: Policy, a: Analysis, winner: number, candidates: number[]): string[] {
  if (a.scoreWinner === winner || candidates.includes(a.scoreWinner)) return []
  const scoreWinner = policy.platforms[a.scoreWinner] as string
  return [
    ...(a.readiness[a.scoreWinner] as PlatformReadiness).lasting,
    ...a.gates.applied.filter((g) => g.restrict.includes(scoreWinner)).map((g) => g.code),
  ]
}

/**
 * An object keyed by platform or criterion name, in the policy's order. A loop, not
 * Object.fromEntries() over pairs: an answer builds a dozen of these, and the pairs and
 * fromEntries were a fourteenth of a decision. Assignment is safe: platform and criterion names
 * match ^[a-z] (policy.ts), so none is `__proto__`.
 */
function byName<T>(names: readonly string[], value: (index: number) => T): Record<string, T> {
  const out: Record<string, T> = {}
  for (let i = 0; i < names.length; i++) out[names[i] as string] = value(i)
  return out
}

/** Per criterion: its shown weight, each platform's rating and contribution (adding up as shown). */
function criteriaOf(policy: Policy, a: Analysis, shownScores: number[]): Decision['criteria'] {
  const { platforms } = policy
  const { weights, ratings } = a.scoring
  const shownWeights = apportion(weights, 1, 4)
  const contributions = platforms.map((_, p) =>
    apportion(
      weights.map((w, i) => w * ((ratings[p] as number[])[i] as number)),
      shownScores[p] as number,
      1,
    ),
  )
  return policy.criteria.map((criterion, i) => ({
    name: criterion.name,
    weight: shownWeights[i] as number,
    scores: byName(platforms, (p) => round((ratings[p] as number[])[i] as number, 1)),
    contributions: byName(platforms, (p) => (contributions[p] as number[])[i] as number),
    role: criterion.role ?? 'fit',
  }))
}

/** Per criterion: the weight nearest its own at which another eligible platform would win. */
function sensitivityOf(policy: Policy, a: Analysis, winner: number): Decision['sensitivity'] {
  const pool = a.noneEligible ? a.ranked : a.targetEligible
  const state = { weights: a.scoring.weights, ratings: pool.map((p) => a.scoring.ratings[p] as number[]) }
  const current = pool.indexOf(winner)
  return policy.criteria.map((criterion, i) => {
    const x = flipPoint(state, i, current)
    return { criterion: criterion.name, flipsAtWeight: x === null ? null : round(x, 4) }
  })
}

/** The answer, its members in the contract's order. */
function answerOf(input: DecisionInput, s: Standing, found: Conflicts): Decision {
  const { policy, a, winner, runnerUp, shownScores } = s
  const { platforms } = policy
  const name = (p: number) => platforms[p] as string
  const constraints = constraintsOf(policy, a)
  const alternative = alternativeOf(s, found)
  const { rationale, confidence } = rationaleOf(s)
  const { scores, weights } = a.scoring
  return {
    application: input.application,
    characteristics: a.characteristics,
    assumed: a.assumed,
    recommendation: name(winner),
    confidence,
    scores: byName(platforms, (p) => shownScores[p] as number),
    margin: s.shownMargin,
    criteria: criteriaOf(policy, a, shownScores),
    constraints,
    rationale,
    sensitivity: sensitivityOf(policy, a, winner),
    counterfactuals: a.noneEligible ? [] : hints(input, policy, a),
    policy: { id: policy.id, version: policy.version },
    model: 2,
    outcome: s.outcome,
    runnerUp: runnerUp === undefined ? null : name(runnerUp),
    candidates: s.candidates.map(name),
    scoreWinner: name(a.scoreWinner),
    overruledBy: s.overruledBy,
    target: name(winner),
    effort: s.effort,
    interim: s.interimIndex === undefined ? null : name(s.interimIndex),
    efforts: byName(platforms, (p) => a.efforts[p] as EffortClass),
    readiness: byName(platforms, (p) => {
      const r = a.readiness[p] as PlatformReadiness
      return { verdict: r.verdict, blockers: r.findings.map((f) => ({ ...f })) }
    }),
    conflicts: s.conflicts,
    alternative,
    exact: {
      scores: byName(platforms, (p) => scores[p] as number),
      weights: byName(
        policy.criteria.map((criterion) => criterion.name),
        (i) => weights[i] as number,
      ),
      margin: s.exactMargin,
    },
  }
}
