import {
  ARCHITECTURE,
  BUSINESS_CRITICALITY,
  type Characteristics,
  DATA_CLASSIFICATION,
  type Descriptor,
  LOAD_VARIABILITY,
  OPERATING_SYSTEM,
  RELEASE_FREQUENCY,
} from '../../src/schemas/descriptor'

/** mulberry32: a small seeded PRNG, so every generated case can be reproduced from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(random: () => number, values: readonly T[]): T =>
  values[Math.floor(random() * values.length)] as T

/** A random valid descriptor; each optional characteristic is present about half the time. */
export function randomDescriptor(random: () => number, index = 0): Descriptor {
  const maybe = <T>(make: () => T): T | undefined => (random() < 0.5 ? make() : undefined)
  const characteristics: Characteristics = {
    businessCriticality: pick(random, BUSINESS_CRITICALITY),
    dataClassification: pick(random, DATA_CLASSIFICATION),
    loadVariability: pick(random, LOAD_VARIABILITY),
    architecture: pick(random, ARCHITECTURE),
    peakToAverageRatio: maybe(() => Math.round((1 + random() ** 3 * 999) * 10) / 10),
    availabilityTarget: maybe(() => pick(random, [90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 99.9999])),
    stateful: maybe(() => random() < 0.5),
    operatingSystem: maybe(() => pick(random, OPERATING_SYSTEM)),
    requiresKernelCustomization: maybe(() => random() < 0.2),
    releaseFrequency: maybe(() => pick(random, RELEASE_FREQUENCY)),
    internetFacing: maybe(() => random() < 0.5),
  }
  for (const key of Object.keys(characteristics) as (keyof Characteristics)[]) {
    if (characteristics[key] === undefined) delete characteristics[key]
  }
  return { application: { name: `Generated application ${index}` }, characteristics }
}
