import {
  BLOCKER_NAMES,
  CHARACTERISTIC_NAMES,
  type Characteristics,
  OPTIONAL_CHARACTERISTICS,
} from '../schemas/descriptor'
import { type Condition, EFFORT_CLASSES, type EffortClass, type Policy } from '../schemas/policy'
import { resolvedValue } from './characteristics'
import { factOf, holdsFor, type Truth, truthFor } from './conditions'
import { TIE_EPSILON } from './numbers'
import { sortInPlace } from './platform-order'

/**
 * Model 2's recommendation alone: the platform analyse() (decide-model-2.ts) ranks first, and
 * whether none is eligible, without findings, text or the figures an answer shows. An answer
 * re-decides its descriptor a dozen or more times for its counterfactual hints, and a policy's
 * impact re-decides every stored assessment; both need only this. It works on a form of the
 * policy prepared once per policy object (index arrays instead of lookups by name), with the same
 * arithmetic in the same order, so its scores are bit-for-bit analyse()'s: ranking.test.ts holds
 * the two equal over generated descriptors and every built-in model-2 policy.
 */
export interface Ranking {
  /** Index of the recommended platform in the policy's order. */
  winner: number
  noneEligible: boolean
}

/** A condition with the index of its characteristic in CHARACTERISTIC_NAMES (-1: none). */
interface PreparedCondition {
  at: number
  condition: Condition
}

interface PreparedRule {
  when: PreparedCondition[]
  /** [criterion, weight change] for the criteria the rule changes. */
  weights: [number, number][]
  /** [platform, criterion, rating change]. */
  ratings: [number, number, number][]
}

interface PreparedCheck {
  when: PreparedCondition[]
  platforms: number[]
  /** Effort index that clears it; -1 when nothing does (a lasting blocker). */
  clearedBy: number
}

interface PreparedGate {
  when: PreparedCondition[]
  unless: PreparedCondition[] | undefined
  platforms: number[]
}

interface PreparedPolicy {
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
  /** Effort index of moving each platform's way, by architecture. */
  moveEffort: Map<string, number>[]
  /**
   * Working arrays for scores() and rankValues(), reused by every ranking under this policy: a
   * decision ranks dozens of variants, and fresh arrays for each were most of the engine's
   * garbage. Both functions are synchronous and neither calls the other while it uses them.
   */
  work: {
    weights: Float64Array
    /** ratings[p * criteria + i] */
    ratings: Float64Array
    lasting: Uint8Array
    gated: Uint8Array
    clearEffort: Int32Array
    efforts: Int32Array
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
const NAMES: readonly string[] = CHARACTERISTIC_NAMES
const conditions = (when: readonly Condition[]): PreparedCondition[] =>
  when.map((condition) => ({ at: NAMES.indexOf(condition.field), condition }))

/** allHold() on values looked up once per decision. */
function allHoldIn(when: readonly PreparedCondition[], values: readonly unknown[]): boolean {
  for (const { at, condition } of when) if (!holdsFor(condition, values[at])) return false
  return true
}

/** allHoldOnFacts() on values looked up once per decision (Kleene conjunction). */
function allHoldOnFactsIn(when: readonly PreparedCondition[], facts: readonly unknown[]): Truth {
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
  const ruleFields = new Set(policy.rules.flatMap((rule) => conditions(rule.when).map(({ at }) => at)))
  return {
    ruleFields,
    platforms: platforms.length,
    criteria: criteria.length,
    baseWeights: criteria.map((c) => c.baseWeight),
    baseRatings: platforms.map((p) => criteria.map((c) => own(own(policy.ratings, p), c.name) ?? 0)),
    rules: policy.rules.map((rule) => ({
      when: conditions(rule.when),
      weights: criteria
        .map((c, i): [number, number] => [i, own(rule.weights, c.name) ?? 0])
        .filter(([, delta]) => delta !== 0),
      ratings: criteria.flatMap((c, i) =>
        platforms
          .map((platform, p): [number, number, number] => [
            p,
            i,
            own(own(rule.ratings, platform), c.name) ?? 0,
          ])
          .filter(([, , delta]) => delta !== 0),
      ),
    })),
    blockingChecks: (policy.readiness ?? [])
      .filter((check) => check.verdict === 'not_ready')
      .map((check) => ({
        when: conditions(check.when),
        platforms: indicesOf(check.platforms),
        clearedBy: check.clearedBy === undefined ? -1 : effortIndex(check.clearedBy),
      })),
    gates: (policy.gates ?? []).map((gate) => ({
      when: conditions(gate.when),
      unless: gate.unless && conditions(gate.unless),
      platforms: indicesOf(gate.restrict),
    })),
    moveEffort: platforms.map((platform) => {
      const row = own(policy.transition?.effort, platform)
      return new Map(Object.entries(row ?? {}).map(([architecture, e]) => [architecture, effortIndex(e)]))
    }),
    work: preparedWork(platforms.length, criteria.length),
  }
}

function preparedWork(platforms: number, criteria: number): PreparedPolicy['work'] {
  const efforts = new Int32Array(platforms)
  const work: PreparedPolicy['work'] = {
    weights: new Float64Array(criteria),
    ratings: new Float64Array(platforms * criteria),
    lasting: new Uint8Array(platforms),
    gated: new Uint8Array(platforms),
    clearEffort: new Int32Array(platforms),
    efforts,
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
function preparedFor(policy: Policy): PreparedPolicy {
  let form = prepared.get(policy)
  if (!form) {
    form = prepare(policy)
    prepared.set(policy, form)
  }
  return form
}

/**
 * score() in scoring.ts, figures only: the same additions, in the same order (a Float64Array
 * holds a number exactly). Plain loops over the policy's working arrays: a decision ranks its
 * descriptor dozens of times for its hints.
 */
function scores(form: PreparedPolicy, resolved: readonly unknown[]): number[] {
  const { criteria } = form
  const { weights, ratings } = form.work
  for (let i = 0; i < criteria; i++) weights[i] = form.baseWeights[i] as number
  for (let p = 0; p < form.platforms; p++) {
    const row = form.baseRatings[p] as number[]
    for (let i = 0; i < criteria; i++) ratings[p * criteria + i] = row[i] as number
  }
  for (const rule of form.rules) {
    if (!allHoldIn(rule.when, resolved)) continue
    for (const [i, delta] of rule.weights) weights[i] = (weights[i] as number) + delta
    for (const [p, i, delta] of rule.ratings) {
      const at = p * criteria + i
      ratings[at] = (ratings[at] as number) + delta
    }
  }
  let total = 0
  for (let i = 0; i < criteria; i++) {
    const clamped = Math.max(0, weights[i] as number)
    weights[i] = clamped
    total += clamped
  }
  for (let i = 0; i < criteria; i++) {
    weights[i] = total > 0 ? (weights[i] as number) / total : 1 / criteria
  }
  const result: number[] = []
  for (let p = 0; p < form.platforms; p++) {
    let sum = 0
    for (let i = 0; i < criteria; i++) {
      sum += Math.min(100, Math.max(0, ratings[p * criteria + i] as number)) * (weights[i] as number)
    }
    result.push(sum)
  }
  return result
}

/** Every characteristic once, in CHARACTERISTIC_NAMES order, as analyse() sees it. */
interface Values {
  /** Resolved (assumptions filled): what the rules and gates test. */
  resolved: unknown[]
  /** As submitted (a blocker not given is unknown): what readiness and a gate's exception test. */
  facts: unknown[]
}

const valuesOf = (submitted: Characteristics): Values => ({
  resolved: NAMES.map((name) => resolvedValue(submitted, name, 2)),
  facts: NAMES.map((name) => factOf(submitted, name as Condition['field'])),
})

// Assumptions read only the required characteristics (characteristics.ts types them so): a
// change to any other characteristic changes that one value and nothing else.
const PATCHABLE = new Set<string>([...OPTIONAL_CHARACTERISTICS, ...BLOCKER_NAMES])

/** The recommendation for a descriptor as submitted. */
export function rank(submitted: Characteristics, policy: Policy): Ranking {
  return rankValues(preparedFor(policy), valuesOf(submitted))
}

/**
 * For the counterfactual hints: the recommendation with one characteristic changed, all else as
 * submitted, looking the others up once for all the variants.
 */
export function variantRanker(
  submitted: Characteristics,
  policy: Policy,
): (field: string, value: string | boolean) => Ranking {
  const form = preparedFor(policy)
  const base = valuesOf(submitted)
  let baseScores: number[] | undefined
  return (field, value) => {
    const at = NAMES.indexOf(field)
    if (!PATCHABLE.has(field) || at < 0) return rankValues(form, valuesOf({ ...submitted, [field]: value }))
    // scores() reads a characteristic only through the rules' conditions: when no rule names the
    // one changed, every score is the submitted descriptor's, computed once for all its variants
    // (most hints vary a readiness blocker, which only checks and gates read).
    const rescore = form.ruleFields.has(at)
    if (!rescore) baseScores ??= scores(form, base.resolved)
    // The one value changed in the submitted values themselves, and put back: a copy of both
    // arrays for every variant was a fifth of a decision's garbage.
    const { resolved, facts } = base
    const resolvedWas = resolved[at]
    const factWas = facts[at]
    resolved[at] = value
    facts[at] = value
    try {
      return rescore ? rankValues(form, base) : rankValues(form, base, baseScores)
    } finally {
      resolved[at] = resolvedWas
      facts[at] = factWas
    }
  }
}

const ARCHITECTURE = NAMES.indexOf('architecture')

function rankValues(
  form: PreparedPolicy,
  { resolved, facts }: Values,
  score: readonly number[] = scores(form, resolved),
): Ranking {
  const platforms = form.platforms
  const { lasting, gated, clearEffort, efforts } = form.work
  lasting.fill(0)
  gated.fill(0)
  clearEffort.fill(0)
  for (const check of form.blockingChecks) {
    if (allHoldOnFactsIn(check.when, facts) !== true) continue
    for (const p of check.platforms) {
      if (check.clearedBy < 0) lasting[p] = 1
      else clearEffort[p] = Math.max(clearEffort[p] as number, check.clearedBy)
    }
  }
  const architecture = resolved[ARCHITECTURE] as string
  for (let p = 0; p < platforms; p++) {
    const byArchitecture = form.moveEffort[p] as Map<string, number>
    efforts[p] = Math.max(byArchitecture.get(architecture) ?? 0, clearEffort[p] as number)
  }
  for (const gate of form.gates) {
    if (!allHoldIn(gate.when, resolved)) continue
    if (gate.unless && allHoldOnFactsIn(gate.unless, facts) === true) continue
    for (const p of gate.platforms) gated[p] = 1
  }

  // The eligible platforms in policy order, or all of them when none is: the same array
  // analyse() sorts.
  const { candidates } = form.work
  let count = 0
  for (let p = 0; p < platforms; p++) if (gated[p] === 0 && lasting[p] === 0) candidates[count++] = p
  const noneEligible = count === 0
  if (noneEligible) for (let p = 0; p < platforms; p++) candidates[count++] = p
  // The same comparator and the same sort as analyse(): ties within TIE_EPSILON are not
  // transitive, so only the same sort of the same array is sure to put the same platform first.
  form.work.scores = score
  sortInPlace(candidates, form.work.order, count)
  return { winner: candidates[0] as number, noneEligible }
}
