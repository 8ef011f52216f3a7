import {
  BLOCKER_NAMES,
  type Characteristics,
  OPTIONAL_CHARACTERISTICS,
  type ResolvedCharacteristics,
} from '../schemas/descriptor'
import type { Condition, Policy } from '../schemas/policy'
import { resolvedValue } from './characteristics'
import { factOf } from './conditions'
import { sortInPlace } from './platform-order'
import {
  allHoldIn,
  allHoldOnFactsIn,
  NAMES,
  type PreparedCheck,
  type PreparedGate,
  type PreparedPolicy,
  preparedFor,
} from './prepared-policy'

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

/** With `characteristics`, the submitted ones as resolveCharacteristics() resolved them under model 2. */
function valuesOf(submitted: Characteristics, characteristics?: ResolvedCharacteristics): Values {
  const resolved: unknown[] = []
  const facts: unknown[] = []
  const given = characteristics as Record<string, unknown> | undefined
  for (const name of NAMES) {
    resolved.push(given === undefined ? resolvedValue(submitted, name, 2) : given[name])
    facts.push(factOf(submitted, name as Condition['field']))
  }
  return { resolved, facts }
}

// Assumptions read only the required characteristics (characteristics.ts types them so): a
// change to any other characteristic changes that one value and nothing else.
const PATCHABLE = new Set<string>([...OPTIONAL_CHARACTERISTICS, ...BLOCKER_NAMES])
/** The index in CHARACTERISTIC_NAMES of each patchable characteristic (a variant looks its field up here). */
const PATCHABLE_AT = new Map(NAMES.flatMap((name, at) => (PATCHABLE.has(name) ? [[name, at] as const] : [])))

/** The recommendation for a descriptor as submitted. */
export function rank(submitted: Characteristics, policy: Policy): Ranking {
  return rankValues(preparedFor(policy), valuesOf(submitted))
}

/**
 * For the counterfactual hints: the recommendation with one characteristic changed, all else as
 * submitted, looking the others up once for all the variants. `characteristics`: the submitted
 * ones already resolved (model 2), when the caller has them (analyse() has).
 */
export function variantRanker(
  submitted: Characteristics,
  policy: Policy,
  characteristics?: ResolvedCharacteristics,
): (field: string, value: string | boolean) => Ranking {
  const form = preparedFor(policy)
  const base = valuesOf(submitted, characteristics)
  let baseScores: number[] | undefined
  let baseTests: { applies: Uint8Array; restricts: Uint8Array } | undefined
  let baseRanking: Ranking | undefined
  return (field, value) => {
    const at = PATCHABLE_AT.get(field)
    if (at === undefined) return rankValues(form, valuesOf({ ...submitted, [field]: value }))
    // scores() reads a characteristic only through the rules' conditions: when no rule names the
    // one changed, every score is the submitted descriptor's, computed once for all its variants
    // (most hints vary a readiness blocker, which only checks and gates read).
    const rescore = form.ruleFields.has(at)
    if (!rescore) baseScores ??= scores(form, base.resolved)
    // Likewise a check or gate that does not read the changed characteristic tests as it does
    // for the submitted values: those are tested once, and each variant tests only the one or
    // two that read what it changes (testing all of them was a sixth of a decision).
    if (baseTests === undefined) {
      testAll(form, base)
      baseTests = { applies: form.work.applies.slice(), restricts: form.work.restricts.slice() }
    }
    // The one value changed in the submitted values themselves, and put back: a copy of both
    // arrays for every variant was a fifth of a decision's garbage.
    const { resolved, facts } = base
    const resolvedWas = resolved[at]
    const factWas = facts[at]
    resolved[at] = value
    facts[at] = value
    try {
      form.work.applies.set(baseTests.applies)
      form.work.restricts.set(baseTests.restricts)
      const retested = test(form, base, at)
      if (rescore) return ranked(form, resolved, scores(form, resolved))
      // The same scores and the same tests as submitted: the submitted descriptor's ranking
      // (ranked() reads nothing else a variant can change). Answering a blocker `no` where it
      // was not given, say, changes no check's outcome.
      if (retested) return ranked(form, resolved, baseScores as number[])
      baseRanking ??= ranked(form, resolved, baseScores as number[])
      return baseRanking
    } finally {
      resolved[at] = resolvedWas
      facts[at] = factWas
    }
  }
}

const ARCHITECTURE = NAMES.indexOf('architecture')

function rankValues(form: PreparedPolicy, values: Values): Ranking {
  testAll(form, values)
  return ranked(form, values.resolved, scores(form, values.resolved))
}

/** test() of every check and gate. */
const testAll = (form: PreparedPolicy, values: Values) => test(form, values, -1)

/**
 * Whether each blocking check applies and each gate restricts, into the policy's working arrays
 * (`applies`, `restricts`); with a characteristic's index as `field`, only the checks and gates
 * that read it (-1: all). Whether any of those it tested came out otherwise than before.
 */
function test(form: PreparedPolicy, { resolved, facts }: Values, field: number): boolean {
  const { applies, restricts } = form.work
  const checks = form.blockingChecks
  const gates = form.gates
  if (field < 0) {
    for (let k = 0; k < checks.length; k++) applies[k] = checkApplies(checks[k] as PreparedCheck, facts)
    for (let g = 0; g < gates.length; g++)
      restricts[g] = gateRestricts(gates[g] as PreparedGate, resolved, facts)
    return true
  }
  let changed = false
  for (const k of form.checksReading[field] as number[]) {
    const now = checkApplies(checks[k] as PreparedCheck, facts)
    if (now !== applies[k]) changed = true
    applies[k] = now
  }
  for (const g of form.gatesReading[field] as number[]) {
    const now = gateRestricts(gates[g] as PreparedGate, resolved, facts)
    if (now !== restricts[g]) changed = true
    restricts[g] = now
  }
  return changed
}

/** 1 when a blocking check's conditions hold on the facts. */
const checkApplies = (check: PreparedCheck, facts: readonly unknown[]) =>
  allHoldOnFactsIn(check.when, facts) === true ? 1 : 0

/** 1 when a gate restricts: its conditions hold, and its exception is not established by submitted facts. */
const gateRestricts = (gate: PreparedGate, resolved: readonly unknown[], facts: readonly unknown[]) =>
  allHoldIn(gate.when, resolved) && !(gate.unless && allHoldOnFactsIn(gate.unless, facts) === true) ? 1 : 0

/** The ranking, from the tests in the working arrays and the platforms' scores. */
function ranked(form: PreparedPolicy, resolved: readonly unknown[], score: readonly number[]): Ranking {
  const platforms = form.platforms
  const { lasting, gated, clearEffort, efforts, applies, restricts } = form.work
  lasting.fill(0)
  gated.fill(0)
  clearEffort.fill(0)
  const checks = form.blockingChecks
  for (let k = 0; k < checks.length; k++) {
    if (applies[k] === 0) continue
    const check = checks[k] as PreparedCheck
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
  const gates = form.gates
  for (let g = 0; g < gates.length; g++) {
    if (restricts[g] === 0) continue
    for (const p of (gates[g] as PreparedGate).platforms) gated[p] = 1
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
