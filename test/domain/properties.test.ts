import { decide } from '../../src/domain/engine'
import { PAPER_DEFAULT_POLICY as policy } from '../../src/domain/policies/paper-default'
import {
  BUSINESS_CRITICALITY,
  type Characteristics,
  DATA_CLASSIFICATION,
  type Descriptor,
  LOAD_VARIABILITY,
} from '../../src/schemas/descriptor'
import { randomDescriptor, rng } from '../helpers/generate'

const CASES = 3000
const random = rng(20261126)
const descriptors = Array.from({ length: CASES }, (_, i) => randomDescriptor(random, i))

/** Every descriptor with `field` raised to each higher level of `levels`. */
function raisings<K extends keyof Characteristics>(field: K, levels: readonly Characteristics[K][]) {
  const pairs: [Descriptor, Descriptor][] = []
  for (const d of descriptors) {
    const at = levels.indexOf(d.characteristics[field])
    for (const higher of levels.slice(at + 1)) {
      pairs.push([d, { ...d, characteristics: { ...d.characteristics, [field]: higher } }])
    }
  }
  return pairs
}

const describeChange = (a: Descriptor, b: Descriptor) =>
  `${JSON.stringify(a.characteristics)} -> ${JSON.stringify(b.characteristics)}`

describe(`decision engine properties over ${CASES} generated descriptors`, () => {
  test.each([
    ['businessCriticality', BUSINESS_CRITICALITY],
    ['dataClassification', DATA_CLASSIFICATION],
  ] as const)('raising %s never moves the answer toward containers', (field, levels) => {
    const pairs = raisings(field, levels)
    expect(pairs.length).toBeGreaterThan(CASES)
    for (const [before, after] of pairs) {
      if (decide(before, policy).recommendation !== 'hypervisor') continue
      const moved = decide(after, policy).recommendation
      if (moved !== 'hypervisor') throw new Error(`moved to ${moved}: ${describeChange(before, after)}`)
    }
  })

  test('raising loadVariability never moves the answer toward hypervisors', () => {
    const pairs = raisings('loadVariability', LOAD_VARIABILITY)
    expect(pairs.length).toBeGreaterThan(CASES)
    for (const [before, after] of pairs) {
      if (decide(before, policy).recommendation !== 'container') continue
      const moved = decide(after, policy).recommendation
      if (moved !== 'container') throw new Error(`moved to ${moved}: ${describeChange(before, after)}`)
    }
  })

  test('the same input always gives the same output, whatever the key order', () => {
    for (const d of descriptors) {
      const reordered: Descriptor = {
        characteristics: Object.fromEntries(Object.entries(d.characteristics).reverse()) as Characteristics,
        application: d.application,
      }
      expect(decide(reordered, policy)).toEqual(decide(d, policy))
    }
  })

  test('both platforms are recommended somewhere, and every answer is well formed', () => {
    const seen = new Set<string>()
    for (const d of descriptors) {
      const decision = decide(d, policy)
      seen.add(decision.recommendation)
      expect(['high', 'medium', 'low']).toContain(decision.confidence)
      for (const s of Object.values(decision.scores)) expect(s).toBeGreaterThanOrEqual(0)
      for (const s of decision.sensitivity) {
        if (s.flipsAtWeight !== null) {
          expect(s.flipsAtWeight).toBeGreaterThanOrEqual(0)
          expect(s.flipsAtWeight).toBeLessThanOrEqual(1)
        }
      }
    }
    expect([...seen].sort()).toEqual(['container', 'hypervisor'])
  })
})
