import fc from 'fast-check'
import { decide } from '../../src/domain/engine'
import { PAPER_POLICY_V2 as paper } from '../../src/domain/policies/paper-v2'
import { SANDBOXED_POLICY_V2 as sandboxed } from '../../src/domain/policies/sandboxed'
import {
  ARCHITECTURE,
  BLOCKER_ANSWERS,
  BLOCKER_NAMES,
  BUSINESS_CRITICALITY,
  type Characteristics,
  DATA_CLASSIFICATION,
  type Descriptor,
  LOAD_VARIABILITY,
  OPERATING_SYSTEM,
  RELEASE_FREQUENCY,
} from '../../src/schemas/descriptor'
import { READINESS_VERDICTS, type ReadinessVerdict } from '../../src/schemas/policy'
import { NO_BLOCKERS } from '../fixtures/descriptors'

/** Shared-kernel platforms: what the mission-critical gate keeps mission-critical systems off. */
const SHARED_KERNEL = new Set(['container'])
const POLICIES = [paper, sandboxed]

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const descriptorArb: fc.Arbitrary<Descriptor> = fc
  .record({
    businessCriticality: fc.constantFrom(...BUSINESS_CRITICALITY),
    dataClassification: fc.constantFrom(...DATA_CLASSIFICATION),
    loadVariability: fc.constantFrom(...LOAD_VARIABILITY),
    architecture: fc.constantFrom(...ARCHITECTURE),
    peakToAverageRatio: optional(fc.double({ min: 1, max: 1000, noNaN: true })),
    availabilityTarget: optional(fc.constantFrom(90, 99, 99.5, 99.9, 99.95, 99.99, 99.999)),
    stateful: optional(fc.boolean()),
    operatingSystem: optional(fc.constantFrom(...OPERATING_SYSTEM)),
    requiresKernelCustomization: optional(fc.boolean()),
    releaseFrequency: optional(fc.constantFrom(...RELEASE_FREQUENCY)),
    internetFacing: optional(fc.boolean()),
    ...Object.fromEntries(
      BLOCKER_NAMES.map((name) => [name, optional(fc.constantFrom(...BLOCKER_ANSWERS, 'no', 'no'))]),
    ),
  })
  .map((c) => {
    const characteristics = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined))
    return {
      application: { name: 'Generated' },
      characteristics: characteristics as unknown as Characteristics,
    }
  })

const with_ = (d: Descriptor, change: Partial<Characteristics>): Descriptor => ({
  ...d,
  characteristics: { ...d.characteristics, ...change },
})
const rank = (v: ReadinessVerdict) => READINESS_VERDICTS.indexOf(v)
const RUNS = { numRuns: 400, seed: 20261127 }

describe.each(POLICIES.map((p) => [p.id, p] as const))('model 2 properties: %s', (_id, policy) => {
  test('raising criticality or data classification never moves the answer off a hypervisor', () => {
    fc.assert(
      fc.property(descriptorArb, (d) => {
        if (decide(d, policy).recommendation !== 'hypervisor') return
        const c = d.characteristics
        for (const level of BUSINESS_CRITICALITY.slice(
          BUSINESS_CRITICALITY.indexOf(c.businessCriticality) + 1,
        )) {
          expect(decide(with_(d, { businessCriticality: level }), policy).recommendation).toBe('hypervisor')
        }
        for (const level of DATA_CLASSIFICATION.slice(
          DATA_CLASSIFICATION.indexOf(c.dataClassification) + 1,
        )) {
          expect(decide(with_(d, { dataClassification: level }), policy).recommendation).toBe('hypervisor')
        }
      }),
      RUNS,
    )
  })

  test('raising load variability never moves the answer onto a hypervisor', () => {
    fc.assert(
      fc.property(descriptorArb, (d) => {
        if (decide(d, policy).recommendation === 'hypervisor') return
        const c = d.characteristics
        for (const level of LOAD_VARIABILITY.slice(LOAD_VARIABILITY.indexOf(c.loadVariability) + 1)) {
          expect(decide(with_(d, { loadVariability: level }), policy).recommendation).not.toBe('hypervisor')
        }
      }),
      RUNS,
    )
  })

  test('answering a blocker no never lowers any platform’s readiness, nor leaves it below yes', () => {
    fc.assert(
      fc.property(descriptorArb, fc.constantFrom(...BLOCKER_NAMES), (d, blocker) => {
        const before = decide(with_(d, { [blocker]: 'unknown' }), policy).readiness ?? {}
        const no = decide(with_(d, { [blocker]: 'no' }), policy).readiness ?? {}
        const yes = decide(with_(d, { [blocker]: 'yes' }), policy).readiness ?? {}
        for (const platform of policy.platforms) {
          const b = rank(before[platform]?.verdict as ReadinessVerdict)
          expect(rank(no[platform]?.verdict as ReadinessVerdict)).toBeLessThanOrEqual(b)
          expect(rank(no[platform]?.verdict as ReadinessVerdict)).toBeLessThanOrEqual(
            rank(yes[platform]?.verdict as ReadinessVerdict),
          )
        }
      }),
      RUNS,
    )
  })

  test('every hint is true when applied to the descriptor as submitted, and actionable', () => {
    fc.assert(
      fc.property(descriptorArb, (d) => {
        for (const hint of decide(d, policy).counterfactuals) {
          expect(policy.actionable).toContain(hint.field)
          expect(decide(with_(d, { [hint.field]: hint.value }), policy).recommendation).toBe(
            hint.recommendation,
          )
        }
      }),
      { ...RUNS, numRuns: 200 },
    )
  })

  test('shown figures add up; the recommendation is eligible unless the outcome says none is', () => {
    fc.assert(
      fc.property(descriptorArb, (d) => {
        const decision = decide(d, policy)
        const cents = (x: number) => Math.round(x * 100)
        expect(decision.criteria.reduce((s, c) => s + Math.round(c.weight * 10000), 0)).toBe(10000)
        for (const p of policy.platforms) {
          expect(decision.criteria.reduce((s, c) => s + cents(c.contributions[p] as number), 0)).toBe(
            cents(decision.scores[p] as number),
          )
        }
        if (decision.runnerUp) {
          expect(cents(decision.margin as number)).toBe(
            cents(decision.scores[decision.recommendation] as number) -
              cents(decision.scores[decision.runnerUp] as number),
          )
        }
        const excluded = decision.constraints.flatMap((c) => c.excludes)
        if (decision.outcome !== 'no_eligible_platform')
          expect(excluded).not.toContain(decision.recommendation)
        else expect(decision.confidence).toBe('low')
      }),
      RUNS,
    )
  })
})

describe('the mission-critical gate over an exhaustive grid', () => {
  // Every required value, with the optional inputs that pull hardest toward containers.
  const grid: Descriptor[] = []
  for (const businessCriticality of BUSINESS_CRITICALITY)
    for (const dataClassification of DATA_CLASSIFICATION)
      for (const loadVariability of LOAD_VARIABILITY)
        for (const architecture of ARCHITECTURE)
          for (const stateful of [false, true, undefined])
            for (const peakToAverageRatio of [1.5, 100, undefined])
              for (const internetFacing of [false, true])
                for (const blockers of [NO_BLOCKERS, {}]) {
                  const c: Record<string, unknown> = {
                    businessCriticality,
                    dataClassification,
                    loadVariability,
                    architecture,
                    stateful,
                    peakToAverageRatio,
                    internetFacing,
                    releaseFrequency: 'daily',
                    operatingSystem: 'linux',
                    requiresKernelCustomization: false,
                    ...blockers,
                  }
                  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k]
                  grid.push({
                    application: { name: 'grid' },
                    characteristics: c as unknown as Characteristics,
                  })
                }

  test.each(POLICIES.map((p) => [p.id, p] as const))(
    '%s: no mission-critical application goes to a shared-kernel container, and conflicts are named',
    (_id, policy) => {
      let conflicts = 0
      let missionCritical = 0
      for (const d of grid) {
        if (d.characteristics.businessCriticality !== 'mission_critical') continue
        missionCritical++
        const decision = decide(d, policy)
        if (SHARED_KERNEL.has(decision.recommendation)) throw new Error(JSON.stringify(d.characteristics))
        const gateWinner = decision.conflicts?.[0]?.scoreWinner
        if (gateWinner) {
          conflicts++
          expect(SHARED_KERNEL.has(gateWinner)).toBe(true)
          expect(decision.alternative).toMatchObject({ platform: gateWinner, eligible: false })
          expect(decision.confidence).not.toBe('high')
        }
      }
      expect(missionCritical).toBe(grid.length / 4)
      // The grid does reach the conflict region under the paper's policy (extreme load, stateless, public).
      if (policy === paper) expect(conflicts).toBeGreaterThan(0)
    },
  )

  test('without the gate the same grid sends some mission-critical applications to containers', () => {
    const ungated = { ...paper, gates: [] }
    const toContainers = grid.filter(
      (d) =>
        d.characteristics.businessCriticality === 'mission_critical' &&
        decide(d, ungated).recommendation === 'container',
    )
    expect(toContainers.length).toBeGreaterThan(0)
  })
})
