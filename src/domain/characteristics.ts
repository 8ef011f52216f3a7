import {
  BLOCKER_NAMES,
  CHARACTERISTIC_NAMES,
  type Characteristics,
  OPTIONAL_CHARACTERISTICS,
  type OptionalCharacteristic,
  type ResolvedCharacteristics,
} from '../schemas/descriptor'
import type { DecisionModel } from '../schemas/policy'

type Required = Pick<
  Characteristics,
  'businessCriticality' | 'dataClassification' | 'loadVariability' | 'architecture'
>

/**
 * What is assumed for a missing optional characteristic. Each assumption is the typical
 * value for an application with the same required characteristics, so that an assumption
 * never pushes the answer harder than the required facts already do: the peak ratio grows
 * with load variability and the availability target with criticality.
 */
const ASSUMPTIONS: { [K in OptionalCharacteristic]: (c: Required) => ResolvedCharacteristics[K] } = {
  peakToAverageRatio: (c) => ({ steady: 1.5, moderate: 3, high: 8, extreme: 20 })[c.loadVariability],
  availabilityTarget: (c) =>
    ({ low: 99, medium: 99.5, high: 99.9, mission_critical: 99.95 })[c.businessCriticality],
  stateful: (c) => c.architecture === 'monolith' || c.architecture === 'modular',
  operatingSystem: () => 'linux',
  requiresKernelCustomization: () => false,
  releaseFrequency: () => 'quarterly',
  internetFacing: () => false,
}

export interface Resolution {
  characteristics: ResolvedCharacteristics
  /** Names of the optional characteristics that were assumed, in schema order. */
  assumed: OptionalCharacteristic[]
}

/**
 * Fills every missing optional characteristic with its stated assumption. Under model 2 a
 * missing blocker is `unknown` (it is never assumed away, and not listed as assumed). The
 * result has its keys in one fixed order, whatever order the caller sent.
 */
export function resolveCharacteristics(submitted: Characteristics, model: DecisionModel = 1): Resolution {
  const given = submitted as Record<string, unknown>
  const resolved: Record<string, unknown> = {}
  const assumed: OptionalCharacteristic[] = []
  // One pass in CHARACTERISTIC_NAMES order, which lists the optional characteristics in their
  // own order (descriptor.ts), so `assumed` keeps schema order (engine.test.ts lists it). A value
  // inherited rather than given is neither used nor replaced by an assumption, as before.
  for (const name of CHARACTERISTIC_NAMES) {
    const v = given[name]
    if (v !== undefined) {
      if (Object.hasOwn(given, name)) resolved[name] = v
    } else if (OPTIONAL_SET.has(name)) {
      resolved[name] = ASSUMPTIONS[name as OptionalCharacteristic](submitted)
      assumed.push(name as OptionalCharacteristic)
    } else if (model === 2 && BLOCKER_SET.has(name)) resolved[name] = 'unknown'
  }
  return { characteristics: resolved as ResolvedCharacteristics, assumed }
}

const BLOCKER_FIELDS: readonly string[] = BLOCKER_NAMES
const OPTIONAL_SET = new Set<string>(OPTIONAL_CHARACTERISTICS)
const BLOCKER_SET = new Set<string>(BLOCKER_NAMES)

/**
 * One characteristic as resolveCharacteristics() resolves it (undefined where it leaves the key
 * out), without building the whole set: ranking.ts looks up a few dozen values per decision.
 */
export function resolvedValue(submitted: Characteristics, name: string, model: DecisionModel): unknown {
  const given = submitted as Record<string, unknown>
  if (Object.hasOwn(given, name) && given[name] !== undefined) return given[name]
  if (given[name] !== undefined) return undefined
  if (OPTIONAL_SET.has(name)) return ASSUMPTIONS[name as OptionalCharacteristic](submitted)
  return model === 2 && BLOCKER_SET.has(name) ? 'unknown' : undefined
}

/**
 * The characteristics as they were submitted, recovered from a decision: the resolved ones less
 * those assumed, and less blockers left `unknown` (a missing answer and `unknown` decide alike).
 * Deciding these again under the same policy gives the same decision.
 */
export function submittedCharacteristics(decision: {
  characteristics: ResolvedCharacteristics
  assumed: readonly string[]
}): Characteristics {
  const given: Record<string, unknown> = { ...decision.characteristics }
  for (const name of decision.assumed) delete given[name]
  for (const name of BLOCKER_FIELDS) if (given[name] === 'unknown') delete given[name]
  return given as Characteristics
}
