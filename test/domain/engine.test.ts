import { decide } from '../../src/domain/engine'
import { PAPER_DEFAULT_POLICY, PAPER_DEFAULT_POLICY as policy } from '../../src/domain/policies/paper-default'
import { SANDBOXED_POLICY } from '../../src/domain/policies/sandboxed'
import type { Characteristics, Descriptor } from '../../src/schemas/descriptor'
import type { Policy } from '../../src/schemas/policy'
import { ledger, publicPortal } from '../fixtures/descriptors'
import { PAPER_CASES } from '../fixtures/paper-cases'
import { tinyPolicy } from '../fixtures/policies'

const withTraits = (c: Partial<Characteristics>) => {
  const d = publicPortal()
  return { ...d, characteristics: { ...d.characteristics, ...c } }
}

describe('decision engine: the paper’s own examples', () => {
  test.each(PAPER_CASES.map((c) => [c.descriptor.application.name, c.expect, c] as const))(
    '%s -> %s',
    (_name, expected, paperCase) => {
      const decision = decide(paperCase.descriptor, policy)
      expect(decision.recommendation).toBe(expected)
      expect(decision.constraints).toEqual([])
    },
  )
})

describe('decision engine: shape of every decision', () => {
  const all = [...PAPER_CASES.map((c) => c.descriptor), publicPortal(), ledger()]

  test.each(all.map((d) => [d.application.name, d] as const))('%s', (_name, descriptor) => {
    const decision = decide(descriptor, policy)
    const weights = decision.criteria.map((c) => c.weight)
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3)
    expect(decision.criteria.map((c) => c.name)).toEqual([
      'stability',
      'security',
      'elasticity',
      'migrationCost',
    ])
    for (const platform of policy.platforms) {
      const score = decision.scores[platform] as number
      expect(score).toBeGreaterThanOrEqual(0)
      expect(score).toBeLessThanOrEqual(100)
      // A platform's score is the sum of its criteria's contributions.
      const sum = decision.criteria.reduce((s, c) => s + (c.contributions[platform] as number), 0)
      expect(sum).toBeCloseTo(score, 0)
    }
    const [top, next] = Object.values(decision.scores).sort((a, b) => b - a)
    expect(decision.margin).toBeCloseTo((top as number) - (next as number), 0)
    expect(decision.policy).toEqual({ id: 'nirs-paper-v1', version: 1 })
    for (const item of [...decision.rationale, ...decision.constraints]) {
      expect(item.message.en).not.toMatch(/\{\w+\}/)
      expect(item.message.ko).not.toMatch(/\{\w+\}/)
      expect(item.message.ko).toMatch(/[가-힣]/)
    }
    expect(decision.rationale[0]?.code).toBe('RECOMMENDATION')
  })
})

describe('decision engine: hard constraints', () => {
  test.each([
    ['windows', { operatingSystem: 'windows' }, 'NON_LINUX_OS'],
    ['another OS', { operatingSystem: 'other' }, 'NON_LINUX_OS'],
    ['kernel customisation', { requiresKernelCustomization: true }, 'KERNEL_CUSTOMIZATION'],
  ] as const)('%s excludes containers even for a cloud-native service', (_label, traits, code) => {
    const decision = decide(withTraits(traits), policy)
    expect(decision.recommendation).toBe('hypervisor')
    expect(decision.constraints).toEqual([expect.objectContaining({ code, excludes: ['container'] })])
    expect(decision.margin).toBeNull()
    expect(decision.rationale[0]?.code).toBe('ONLY_ELIGIBLE')
    // Without the constraint the same service would go to containers.
    expect(decide(publicPortal(), policy).recommendation).toBe('container')
  })

  test('a policy whose constraints exclude everything still answers, flagged for review', () => {
    const strict: Policy = {
      ...policy,
      constraints: [
        { ...(policy.constraints[0] as Policy['constraints'][number]), exclude: ['hypervisor', 'container'] },
      ],
    }
    const decision = decide(withTraits({ operatingSystem: 'windows' }), strict)
    expect(decision.confidence).toBe('low')
    expect(decision.rationale[0]?.code).toBe('NO_ELIGIBLE_PLATFORM')
  })
})

describe('decision engine: confidence and assumptions', () => {
  test('a complete descriptor with a wide margin is high confidence', () => {
    const decision = decide(publicPortal(), policy)
    expect(decision.assumed).toEqual([])
    expect(decision.confidence).toBe('high')
    expect(decision.rationale.map((r) => r.code)).not.toContain('ASSUMED_INPUTS')
  })

  test('missing optional inputs are assumed, listed and lower confidence', () => {
    const decision = decide(ledger(), policy)
    expect(decision.assumed).toEqual([
      'peakToAverageRatio',
      'availabilityTarget',
      'stateful',
      'operatingSystem',
      'requiresKernelCustomization',
      'releaseFrequency',
      'internetFacing',
    ])
    expect(decision.characteristics).toMatchObject({
      peakToAverageRatio: 1.5,
      availabilityTarget: 99.95,
      stateful: true,
      operatingSystem: 'linux',
      requiresKernelCustomization: false,
      releaseFrequency: 'quarterly',
      internetFacing: false,
    })
    expect(decision.confidence).toBe('low')
    expect(decision.rationale.map((r) => r.code)).toContain('INSUFFICIENT_DATA')
  })

  test('three assumed inputs cap confidence at medium', () => {
    const d = publicPortal()
    const { peakToAverageRatio, availabilityTarget, stateful, ...rest } = d.characteristics
    const decision = decide({ ...d, characteristics: rest }, policy)
    expect(decision.assumed).toHaveLength(3)
    expect(decision.confidence).toBe('medium')
    expect(decision.rationale.find((r) => r.code === 'ASSUMED_INPUTS')?.message.en).toContain('stateful')
  })

  test('a thin margin is low confidence and says so', () => {
    // A low-criticality stateful modular system under extreme load: the criteria pull both ways.
    const decision = decide(
      withTraits({
        businessCriticality: 'low',
        dataClassification: 'internal',
        loadVariability: 'extreme',
        architecture: 'modular',
        peakToAverageRatio: 20,
        availabilityTarget: 99.5,
        stateful: true,
        releaseFrequency: 'monthly',
        internetFacing: false,
      }),
      policy,
    )
    expect(decision.margin).not.toBeNull()
    expect(decision.margin as number).toBeLessThan(5)
    expect(decision.confidence).toBe('low')
    expect(decision.rationale.map((r) => r.code)).toContain('THIN_MARGIN')
  })

  test('the same input always gives the same output', () => {
    for (const c of PAPER_CASES) {
      expect(decide(c.descriptor, policy)).toEqual(decide(structuredClone(c.descriptor), policy))
    }
  })
})

describe('decision engine: sensitivity', () => {
  // The hand-checkable fixture policy; with steady load its one rule does not fire.
  const tiny: Policy = { ...tinyPolicy(), id: 'tiny-v1', version: 1 }
  const steady = withTraits({ loadVariability: 'steady' })

  test('flip weights match the hand calculation', () => {
    // See the fixture for the arithmetic.
    const decision = decide(steady, tiny)
    expect(decision.scores).toEqual({ vm: 77.5, ct: 70 })
    expect(decision.recommendation).toBe('vm')
    expect(decision.sensitivity).toEqual([
      { criterion: 'safety', flipsAtWeight: 0.6667 },
      { criterion: 'speed', flipsAtWeight: 0.3333 },
    ])
  })

  test('a criterion on which the winner is never worse never flips the answer', () => {
    const dominant: Policy = {
      ...tiny,
      ratings: { vm: { safety: 90, speed: 100 }, ct: { safety: 60, speed: 90 } },
    }
    expect(decide(steady, dominant).sensitivity.map((s) => s.flipsAtWeight)).toEqual([null, null])
  })

  test('for the paper cases, moving a weight to its flip point does change the winner', () => {
    for (const c of PAPER_CASES) {
      const decision = decide(c.descriptor, policy)
      decision.sensitivity.forEach((s, i) => {
        if (s.flipsAtWeight === null) return
        const w = decision.criteria.map((k) => k.weight)
        const wi = w[i] as number
        // Step just past the flip point, away from the current weight, others in proportion.
        const x = s.flipsAtWeight + (s.flipsAtWeight > wi ? 0.001 : -0.001)
        const scaled = w.map((wj, j) => (j === i ? x : (wj * (1 - x)) / (1 - wi)))
        const score = (p: string) =>
          decision.criteria.reduce((sum, k, j) => sum + (scaled[j] as number) * (k.scores[p] as number), 0)
        const other = policy.platforms.find((p) => p !== decision.recommendation) as string
        expect(score(other)).toBeGreaterThan(score(decision.recommendation))
      })
    }
  })
})

describe('decision engine: counterfactual hints', () => {
  test('each hint names the nearest single change that flips the answer, and it does', () => {
    for (const c of [...PAPER_CASES.map((p) => p.descriptor), publicPortal(), ledger()]) {
      const decision = decide(c, policy)
      for (const hint of decision.counterfactuals) {
        expect(hint.recommendation).not.toBe(decision.recommendation)
        const changed = decide(
          { ...c, characteristics: { ...decision.characteristics, [hint.field]: hint.value } },
          policy,
        )
        expect(changed.recommendation).toBe(hint.recommendation)
        expect(hint.message.en).toBe(
          `With ${hint.field} '${hint.value}' the recommendation would be ${hint.recommendation}.`,
        )
        expect(hint.message.ko).toContain(hint.recommendation)
      }
    }
  })

  test('the homepage would go to a hypervisor were it a monolith or on Windows', () => {
    const homepage = PAPER_CASES.find((c) => c.descriptor.application.name === 'Agency main homepage')
    const hints = decide(homepage?.descriptor as Descriptor, policy).counterfactuals
    expect(hints).toContainEqual(
      expect.objectContaining({ field: 'operatingSystem', value: 'windows', recommendation: 'hypervisor' }),
    )
    expect(hints.map((h) => h.field)).not.toContain('internetFacing')
  })

  test('the nearest flipping value is named, skipping nearer ones that do not flip', () => {
    const d = withTraits({ loadVariability: 'steady', businessCriticality: 'mission_critical' })
    const decision = decide(d, policy)
    expect(decision.recommendation).toBe('hypervisor')
    expect(decision.counterfactuals.find((h) => h.field === 'loadVariability')).toMatchObject({
      value: 'high',
      recommendation: 'container',
    })
    const moderate = { ...d, characteristics: { ...d.characteristics, loadVariability: 'moderate' as const } }
    expect(decide(moderate, policy).recommendation).toBe('hypervisor')
  })
})

describe('decision engine: generic over platforms (the sandboxed-container policy)', () => {
  test('answers with one of three platforms, scoring each', () => {
    const decision = decide(
      withTraits({
        dataClassification: 'confidential',
        businessCriticality: 'high',
        loadVariability: 'extreme',
      }),
      SANDBOXED_POLICY,
    )
    expect(Object.keys(decision.scores)).toEqual(['hypervisor', 'container', 'sandboxed_container'])
    expect(decision.recommendation).toBe('sandboxed_container')
    expect(decision.policy).toEqual({ id: 'nirs-paper-sandboxed-v1', version: 1 })
  })

  test('mission-critical systems stay on hypervisors', () => {
    for (const c of PAPER_CASES.filter((p) => p.expect === 'hypervisor')) {
      expect(decide(c.descriptor, SANDBOXED_POLICY).recommendation).toBe('hypervisor')
    }
  })

  test('kernel customisation excludes plain containers only: a sandbox has its own guest kernel', () => {
    const decision = decide(withTraits({ requiresKernelCustomization: true }), SANDBOXED_POLICY)
    expect(decision.constraints.flatMap((c) => c.excludes)).toEqual(['container'])
    expect(decision.recommendation).toBe('sandboxed_container')
  })

  test('Windows excludes both container platforms', () => {
    const decision = decide(withTraits({ operatingSystem: 'windows' }), SANDBOXED_POLICY)
    expect(decision.recommendation).toBe('hypervisor')
    expect(decision.margin).toBeNull()
  })

  test('the default policy’s answer set is unchanged', () => {
    expect(PAPER_DEFAULT_POLICY.platforms).toEqual(['hypervisor', 'container'])
  })
})
