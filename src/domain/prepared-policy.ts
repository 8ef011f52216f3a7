import { CHARACTERISTIC_NAMES } from '../schemas/descriptor'
import { type Condition, EFFORT_CLASSES, type EffortClass, type Policy } from '../schemas/policy'
import { holdsFor, type Truth, truthFor } from './conditions'
import { TIE_EPSILON } from './numbers'

/**
 * A policy in the form the engine's hot loops read: index arrays instead of lookups by name,
 * the rules' non-zero changes only, and the characteristics each check and gate reads. Made
 * once per policy object (policies are immutable) and kept while the object lives. ranking.ts
 * ranks on it; scoring.ts applies the rules' changes from it.
 */
/** A condition with the index of its characteristic in CHARACTERISTIC_NAMES (-1: none). */
export interface PreparedCondition {
  at: number
  condition: Condition
}

export interface PreparedRule {
  when: PreparedCondition[]
  /** [criterion, weight change] for the criteria the rule changes. */
  weights: [number, number][]
  /** [platform, criterion, rating change]. */
  ratings: [number, number, number][]
}

export interface PreparedCheck {
  when: PreparedCondition[]
  /** Indices of the characteristics its conditions read. */
  reads: number[]
  platforms: number[]
  /** Effort index that clears it; -1 when nothing does (a lasting blocker). */
  clearedBy: number
}

export interface PreparedGate {
  when: PreparedCondition[]
  unless: PreparedCondition[] | undefined
  /** Indices of the characteristics its conditions and exception read. */
  reads: number[]
  platforms: number[]
}

export interface PreparedPolicy {
  platforms: number
  criteria: number
  baseWeights: number[]
  baseRatings: number[][]
  rules: PreparedRule[]
  /** Indices (in CHARACTERISTIC_NAMES) of the characteristics any rule's condition reads. */
  ruleFields: Set<number>
  /** Only the checks that can block (`not_ready`): the others never change eligibility or effort. */
  blockingChecks: PreparedCheck[]
  gates: PreparedGate[]
  /** Per characteristic (index in CHARACTERISTIC_NAMES): the blocking checks and the gates that read it. */
  checksReading: number[][]
  gatesReading: number[][]
  /** Effort index of moving each platform's way, by architecture. */
  moveEffort: Map<string, number>[]
  /**
   * Working arrays for ranking.ts (scores(), test(), ranked()), reused by every ranking under
   * this policy: a decision ranks dozens of variants, and fresh arrays for each were most of the
   * engine's garbage. All are synchronous, and a ranking is done before the next one starts.
   */
  work: {
    weights: Float64Array
    /** ratings[p * criteria + i] */
    ratings: Float64Array
    lasting: Uint8Array
    gated: Uint8Array
    clearEffort: Int32Array
    efforts: Int32Array
    /** Per blocking check: whether it applies (its conditions hold on the facts). */
    applies: Uint8Array
    /** Per gate: whether it restricts (its conditions hold, its exception does not). */
    restricts: Uint8Array
    /** The platforms to sort, first `count` of `platforms` entries. */
    candidates: number[]
    /** The scores the comparator reads, set before each sort. */
    scores: readonly number[]
    /** The comparator, made once: a closure per ranking was garbage too. */
    order: (a: number, b: number) => number
  }
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined

const effortIndex = (e: EffortClass) => EFFORT_CLASSES.indexOf(e)
export const NAMES: readonly string[] = CHARACTERISTIC_NAMES
const conditions = (when: readonly Condition[]): PreparedCondition[] =>
  when.map((condition) => ({ at: NAMES.indexOf(condition.field), condition }))
const fieldsOf = (...whens: (readonly Condition[] | undefined)[]) => [
  ...new Set(whens.flatMap((when) => (when ?? []).map((c) => NAMES.indexOf(c.field)))),
]

/** allHold() on values looked up once per decision. */
export function allHoldIn(when: readonly PreparedCondition[], values: readonly unknown[]): boolean {
  for (const { at, condition } of when) if (!holdsFor(condition, values[at])) return false
  return true
}

/** allHoldOnFacts() on values looked up once per decision (Kleene conjunction). */
export function allHoldOnFactsIn(when: readonly PreparedCondition[], facts: readonly unknown[]): Truth {
  let result: Truth = true
  for (const { at, condition } of when) {
    const truth = truthFor(condition, facts[at])
    if (truth === false) return false
    if (truth === 'unknown') result = 'unknown'
  }
  return result
}

function prepare(policy: Policy): PreparedPolicy {
  const { platforms, criteria } = policy
  const indicesOf = (names: readonly string[]) =>
    platforms.map((platform, p) => (names.includes(platform) ? p : -1)).filter((p) => p >= 0)
  const blockingChecks = (policy.readiness ?? [])
    .filter((check) => check.verdict === 'not_ready')
    .map((check) => ({
      when: conditions(check.when),
      reads: fieldsOf(check.when),
      platforms: indicesOf(check.platforms),
      clearedBy: check.clearedBy === undefined ? -1 : effortIndex(check.clearedBy),
    }))
  const gates = (policy.gates ?? []).map((gate) => ({
    when: conditions(gate.when),
    unless: gate.unless && conditions(gate.unless),
    reads: fieldsOf(gate.when, gate.unless),
    platforms: indicesOf(gate.restrict),
  }))
  const reading = (tests: readonly { reads: number[] }[]) =>
    NAMES.map((_, at) => tests.flatMap((t, k) => (t.reads.includes(at) ? [k] : [])))
  const rules = policy.rules.map((rule) => ({
    when: conditions(rule.when),
    weights: criteria
      .map((c, i): [number, number] => [i, own(rule.weights, c.name) ?? 0])
      .filter(([, delta]) => delta !== 0),
    ratings: criteria.flatMap((c, i) =>
      platforms
        .map((platform, p): [number, number, number] => [p, i, own(own(rule.ratings, platform), c.name) ?? 0])
        .filter(([, , delta]) => delta !== 0),
    ),
  }))
  return {
    ruleFields: new Set(rules.flatMap((rule) => rule.when.map(({ at }) => at))),
    blockingChecks,
    gates,
    checksReading: reading(blockingChecks),
    gatesReading: reading(gates),
    platforms: platforms.length,
    criteria: criteria.length,
    baseWeights: criteria.map((c) => c.baseWeight),
    baseRatings: platforms.map((p) => criteria.map((c) => own(own(policy.ratings, p), c.name) ?? 0)),
    rules,
    moveEffort: platforms.map((platform) => {
      const row = own(policy.transition?.effort, platform)
      return new Map(Object.entries(row ?? {}).map(([architecture, e]) => [architecture, effortIndex(e)]))
    }),
    work: preparedWork(platforms.length, criteria.length, blockingChecks.length, gates.length),
  }
}

function preparedWork(
  platforms: number,
  criteria: number,
  checks: number,
  gates: number,
): PreparedPolicy['work'] {
  const efforts = new Int32Array(platforms)
  const work: PreparedPolicy['work'] = {
    weights: new Float64Array(criteria),
    ratings: new Float64Array(platforms * criteria),
    lasting: new Uint8Array(platforms),
    gated: new Uint8Array(platforms),
    clearEffort: new Int32Array(platforms),
    efforts,
    applies: new Uint8Array(checks),
    restricts: new Uint8Array(gates),
    candidates: [],
    scores: [],
    // analyse()'s byPreference(): the better exact score, then the cheaper move, then policy order.
    order: (a, b) => {
      const diff = (work.scores[b] as number) - (work.scores[a] as number)
      if (Math.abs(diff) > TIE_EPSILON) return diff
      const effort = (efforts[a] as number) - (efforts[b] as number)
      return effort !== 0 ? effort : a - b
    },
  }
  return work
}

const prepared = new WeakMap<Policy, PreparedPolicy>()
export function preparedFor(policy: Policy): PreparedPolicy {
  let form = prepared.get(policy)
  if (!form) {
    form = prepare(policy)
    prepared.set(policy, form)
  }
  return form
}
