import {
  type Characteristics,
  OPTIONAL_CHARACTERISTICS,
  type OptionalCharacteristic,
  type ResolvedCharacteristics,
} from '../schemas/descriptor'

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

/** Fills every missing optional characteristic with its stated assumption. */
export function resolveCharacteristics(submitted: Characteristics): Resolution {
  const resolved: Record<string, unknown> = { ...submitted }
  const assumed: OptionalCharacteristic[] = []
  for (const name of OPTIONAL_CHARACTERISTICS) {
    if (submitted[name] === undefined) {
      resolved[name] = ASSUMPTIONS[name](submitted)
      assumed.push(name)
    }
  }
  // The loop above filled every optional field, so the object is complete.
  return { characteristics: resolved as ResolvedCharacteristics, assumed }
}
