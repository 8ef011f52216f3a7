import { decide } from '../../src/domain/engine'
import { PAPER_POLICY_V2 as paper } from '../../src/domain/policies/paper-v2'
import { SANDBOXED_POLICY_V2 as sandboxed } from '../../src/domain/policies/sandboxed'
import { validatePolicy } from '../../src/domain/policy-validation'
import type { Decision } from '../../src/schemas/decision'
import { CHARACTERISTIC_NAMES, type Characteristics, type Descriptor } from '../../src/schemas/descriptor'
import type { Policy } from '../../src/schemas/policy'
import { NO_BLOCKERS, publicPortal } from '../fixtures/descriptors'
import { PAPER_CASES } from '../fixtures/paper-cases'
import { agencyPolicy, tiePolicy } from '../fixtures/policies'

const asPolicy = (definition: Omit<Policy, 'id' | 'version'>, id = 'test-v1'): Policy => {
  expect(validatePolicy(definition)).toEqual([])
  return { ...definition, id, version: 1 }
}
const portal = (c: Partial<Characteristics> = {}): Descriptor => {
  const d = publicPortal()
  return { ...d, characteristics: { ...d.characteristics, ...c } }
}
/** Mission-critical, yet everything about it points to elastic containers. */
const missionCriticalSpiky = (c: Partial<Characteristics> = {}) =>
  portal({
    businessCriticality: 'mission_critical',
    dataClassification: 'public',
    peakToAverageRatio: 50,
    releaseFrequency: 'daily',
    ...c,
  })
const codes = (items: { code: string }[]) => items.map((i) => i.code)

describe('model 2: the paper’s examples', () => {
  test.each(PAPER_CASES.map((c) => [c.descriptor.application.name, c.expect, c.descriptor] as const))(
    '%s -> %s',
    (_name, expected, descriptor) => {
      const d = decide(descriptor, paper)
      expect(d.recommendation).toBe(expected)
      expect(d.target).toBe(expected)
      expect(d.outcome).toBe('clear')
      expect(d.policy).toEqual({ id: 'nirs-paper-v2', version: 2 })
      // Nothing says the paper’s cases have blockers, but nothing says they have none either.
      expect(d.confidence).toBe('medium')
      expect(codes(d.rationale)).toContain('READINESS_UNKNOWN')
    },
  )

  const variable = PAPER_CASES.filter((c) => c.expect === 'container')
  test.each(variable.map((c) => [c.descriptor.application.name, c.descriptor] as const))(
    '%s as a monolith: target container, interim hypervisor until it is re-architected',
    (_name, descriptor) => {
      const d = decide(
        { ...descriptor, characteristics: { ...descriptor.characteristics, architecture: 'monolith' } },
        paper,
      )
      expect(d).toMatchObject({ recommendation: 'container', target: 'container', interim: 'hypervisor' })
      expect(d.effort).toBe('rearchitect')
      expect(d.efforts).toEqual({ hypervisor: 'rehost', container: 'rearchitect' })
      expect(codes(d.rationale)).toContain('TARGET_INTERIM')
      // The target does not depend on the architecture: only the transition does.
      expect(d.scores).toEqual(decide(descriptor, paper).scores)
    },
  )

  test.each(variable.map((c) => [c.descriptor.application.name, c.descriptor] as const))(
    '%s as a modular application: a refactoring, with the same interim',
    (_name, descriptor) => {
      const d = decide(
        { ...descriptor, characteristics: { ...descriptor.characteristics, architecture: 'modular' } },
        paper,
      )
      expect(d).toMatchObject({ target: 'container', interim: 'hypervisor', effort: 'refactor' })
    },
  )

  test('the mission-critical cases stay on hypervisors under the sandboxed policy too', () => {
    for (const c of PAPER_CASES.filter((p) => p.expect === 'hypervisor')) {
      expect(decide(c.descriptor, sandboxed).recommendation).toBe('hypervisor')
    }
  })
})

describe('model 2: the mission-critical gate', () => {
  test('scores pointing to containers are overruled, and the answer names the conflict', () => {
    const d = decide(missionCriticalSpiky(), paper)
    expect((d.scores.container as number) > (d.scores.hypervisor as number)).toBe(true)
    expect(d).toMatchObject({ recommendation: 'hypervisor', scoreWinner: 'container' })
    expect(d.overruledBy).toEqual(['MISSION_CRITICAL_ISOLATION'])
    expect(d.conflicts).toEqual([
      expect.objectContaining({
        code: 'MISSION_CRITICAL_ISOLATION',
        scoreWinner: 'container',
        recommendation: 'hypervisor',
      }),
    ])
    expect(d.conflicts?.[0]?.message.en).toContain('mission-critical with extreme load variability')
    expect(d.alternative).toMatchObject({ platform: 'container', eligible: false })
    expect(d.alternative?.requires?.en).toContain('sandboxed containers')
    expect(d.alternative?.requires?.ko).toMatch(/[가-힣]/)
    expect(d.constraints).toContainEqual(
      expect.objectContaining({ code: 'MISSION_CRITICAL_ISOLATION', excludes: ['container'], kind: 'gate' }),
    )
    expect(d.confidence).not.toBe('high')
    expect(codes(d.rationale)).toEqual(expect.arrayContaining(['OVERRULED', 'CONFLICT_REVIEW']))
  })

  test('where containers score lower anyway, the gate is no conflict and the margin still shows', () => {
    const banking = PAPER_CASES[0]?.descriptor as Descriptor
    const d = decide(banking, paper)
    expect(d.conflicts).toEqual([])
    expect(d.runnerUp).toBe('container')
    expect(d.margin).toBe(
      Math.round(((d.scores.hypervisor as number) - (d.scores.container as number)) * 10) / 10,
    )
  })

  test('the sandboxed policy admits sandboxed containers: isolated by their own kernel', () => {
    const d = decide(missionCriticalSpiky(), sandboxed)
    expect(d.recommendation).toBe('sandboxed_container')
    expect(d.constraints.map((c) => c.code)).toContain('MISSION_CRITICAL_ISOLATION')
  })

  test('a policy may admit containers under conditions; they must be submitted facts, and it is flagged', () => {
    const agency = asPolicy(agencyPolicy(), 'agency-windows-nodes-v1')
    const admitted = decide(missionCriticalSpiky(), agency)
    expect(admitted.recommendation).toBe('container')
    expect(codes(admitted.rationale)).toContain('GATE_WAIVED')
    expect(admitted.conflicts).toEqual([])
    // Statefulness assumed (not submitted) does not establish the exception.
    const { stateful, ...unstated } = missionCriticalSpiky().characteristics
    const assumed = decide({ ...missionCriticalSpiky(), characteristics: unstated }, agency)
    expect(assumed.recommendation).toBe('hypervisor')
    expect(codes(assumed.conflicts ?? [])).toEqual(['MISSION_CRITICAL_ISOLATION'])
  })
})

describe('model 2: readiness', () => {
  test('every blocker answered no: every platform ready, and confidence can be high', () => {
    const d = decide(portal(), paper)
    expect(d.readiness?.container).toEqual({ verdict: 'ready', blockers: [] })
    expect(d.confidence).toBe('high')
  })

  test('unanswered blockers are unknown, never assumed away, and cap confidence', () => {
    const { operatingSystem, ...rest } = portal().characteristics
    const unanswered = Object.fromEntries(Object.entries(rest).filter(([k]) => !(k in NO_BLOCKERS)))
    const d = decide({ ...portal(), characteristics: unanswered as unknown as Characteristics }, paper)
    expect(d.characteristics.specialHardware).toBe('unknown')
    expect(d.assumed).toEqual(['operatingSystem'])
    expect(d.readiness?.container?.verdict).toBe('unknown')
    const os = d.readiness?.container?.blockers.find((b) => b.code === 'CONTAINER_OS')
    expect(os).toMatchObject({ status: 'unanswered', verdict: 'unknown' })
    expect(os?.message.en).toMatch(/^Not answered: operatingSystem\. Where it applies: /)
    expect(d.confidence).toBe('medium')
  })

  test("an unanswered check's message is quoted as the policy wrote it, dollar signs and all", () => {
    // A policy's text is data: `$&` or `$'` in it are not replacement patterns.
    const says = {
      en: "Costs $& and $$ and $' and $` and $1: check first.",
      ko: "비용 $& 와 $$ 와 $' 와 $` 와 $1: 먼저 확인.",
    }
    const { id: _id, version: _version, ...definition } = paper
    const policy = asPolicy({
      ...definition,
      readiness: (paper.readiness ?? []).map((c) =>
        c.code === 'SPECIAL_HARDWARE' ? { ...c, message: says } : c,
      ),
    })
    const { specialHardware: _unanswered, ...rest } = portal().characteristics
    const d = decide({ ...portal(), characteristics: rest as Characteristics }, policy)
    const finding = d.readiness?.container?.blockers.find((b) => b.code === 'SPECIAL_HARDWARE')
    expect(finding?.status).toBe('unanswered')
    expect(finding?.message).toEqual({
      en: `Not answered: specialHardware. Where it applies: ${says.en}`,
      ko: `답변 없음: specialHardware. 해당되는 경우: ${says.ko}`,
    })
  })

  test('an applying blocker with no remedy rules a platform out, said as a constraint', () => {
    const d = decide(portal({ specialHardware: 'yes' }), paper)
    expect(d.recommendation).toBe('hypervisor')
    expect(d.readiness?.container?.verdict).toBe('not_ready')
    expect(d.readiness?.hypervisor?.verdict).toBe('ready_with_conditions')
    expect(d.constraints).toEqual([
      expect.objectContaining({ code: 'SPECIAL_HARDWARE', excludes: ['container'], kind: 'readiness' }),
    ])
    expect(d).toMatchObject({ scoreWinner: 'container', overruledBy: ['SPECIAL_HARDWARE'] })
  })

  test('a blocker a refactoring clears keeps the target and raises the effort, with an interim', () => {
    const d = decide(portal({ staticClustering: 'yes' }), paper)
    expect(d).toMatchObject({ target: 'container', effort: 'refactor', interim: 'hypervisor' })
    expect(d.readiness?.container?.verdict).toBe('not_ready')
    expect(codes(d.rationale)).toContain('NOT_READY_TODAY')
    expect(d.constraints).toEqual([])
  })

  test('no eligible platform at all is its own outcome, explained, never a silent fallback', () => {
    const d = decide(portal({ nonX86Platform: 'yes' }), paper)
    expect(d.outcome).toBe('no_eligible_platform')
    expect(d.confidence).toBe('low')
    expect(d.rationale[0]?.code).toBe('NO_ELIGIBLE_PLATFORM')
    expect(d.rationale[0]?.message.en).toContain('NON_X86_PLATFORM')
    expect(d.interim).toBeNull()
    expect(d.counterfactuals).toEqual([])
  })

  test('a hypervisor can be ruled out too, and an unusual OS makes it unknown', () => {
    const other = decide(portal({ operatingSystem: 'other' }), paper)
    expect(other.readiness?.hypervisor?.verdict).toBe('unknown')
    expect(other.readiness?.container?.verdict).toBe('not_ready')
  })

  test('what the agency runs is stated in its policy: Windows container nodes admit Windows', () => {
    const windows = portal({ operatingSystem: 'windows' })
    expect(decide(windows, paper).recommendation).toBe('hypervisor')
    expect(decide(windows, asPolicy(agencyPolicy())).recommendation).toBe('container')
  })

  test('kernel customisation overrules the scores; the sandboxed policy names an eligible alternative', () => {
    const kernel = portal({ requiresKernelCustomization: true })
    const two = decide(kernel, paper)
    expect(two).toMatchObject({ recommendation: 'hypervisor', scoreWinner: 'container' })
    expect(two.overruledBy).toEqual(['KERNEL_CUSTOMIZATION'])
    expect(codes(two.rationale)).toContain('OVERRULED')
    const three = decide(kernel, sandboxed)
    expect(three.recommendation).toBe('sandboxed_container')
    expect(three.readiness?.sandboxed_container?.verdict).toBe('ready_with_conditions')
    expect(three.alternative).toMatchObject({ platform: 'hypervisor', eligible: true, requires: null })
  })
})

describe('model 2: ties', () => {
  const tie = asPolicy(tiePolicy(), 'tie-v1')
  const steady = (architecture: Characteristics['architecture']) =>
    portal({ loadVariability: 'steady', architecture })

  test('an exact tie is no clear preference with both platforms; the cheaper move is named first', () => {
    const monolith = decide(steady('monolith'), tie)
    expect(monolith.scores).toEqual({ ct: 75, vm: 75 })
    expect(monolith).toMatchObject({ outcome: 'no_clear_preference', recommendation: 'vm', margin: 0 })
    expect(monolith.candidates).toEqual(['vm', 'ct'])
    expect(monolith.confidence).toBe('low')
    expect(monolith.rationale[0]?.message.en).toContain('the cheaper move')
    const containerized = decide(steady('containerized'), tie)
    expect(containerized.recommendation).toBe('ct')
  })

  test('sensitivity is right at a tie: any move of a weight flips it, so the flip is where it stands', () => {
    const d = decide(steady('monolith'), tie)
    expect(d.sensitivity).toEqual([
      { criterion: 'safety', flipsAtWeight: 0.5 },
      { criterion: 'speed', flipsAtWeight: 0.5 },
    ])
  })

  test('near ties within the policy’s tie margin are flagged; outside it they are not', () => {
    // The homepage under the sandboxed policy: sandboxed and plain containers within 2 points.
    const homepage = PAPER_CASES[5]?.descriptor as Descriptor
    const near = decide(homepage, sandboxed)
    expect(near.outcome).toBe('no_clear_preference')
    expect(near.candidates).toEqual(['sandboxed_container', 'container'])
    expect(near.confidence).toBe('low')
    const strict = asPolicy({ ...sandboxed, confidence: { ...sandboxed.confidence, tieMargin: 0 } })
    expect(decide(homepage, strict).outcome).toBe('clear')
    expect(decide(portal(), paper).outcome).toBe('clear')
  })
})

describe('model 2: numbers that add up as shown', () => {
  const check = (d: Decision) => {
    const hundredths = (x: number) => Math.round(x * 100)
    const tenThousandths = (x: number) => Math.round(x * 10000)
    expect(d.criteria.reduce((s, c) => s + tenThousandths(c.weight), 0)).toBe(10000)
    for (const platform of Object.keys(d.scores)) {
      const sum = d.criteria.reduce((s, c) => s + hundredths(c.contributions[platform] as number), 0)
      expect(sum).toBe(hundredths(d.scores[platform] as number))
    }
    if (d.runnerUp) {
      expect(d.margin).toBe(
        Math.round(((d.scores[d.recommendation] as number) - (d.scores[d.runnerUp] as number)) * 10) / 10,
      )
    }
    // The stored exact figures are the unrounded ones.
    for (const platform of Object.keys(d.scores)) {
      expect(
        Math.abs((d.exact?.scores[platform] as number) - (d.scores[platform] as number)),
      ).toBeLessThanOrEqual(0.05 + 1e-9)
    }
  }

  test.each([...PAPER_CASES.map((c) => c.descriptor), portal(), missionCriticalSpiky()].map((d) => [d]))(
    'weights sum to 1, contributions to the score, the margin is the shown difference: %#',
    (descriptor) => {
      check(decide(descriptor, paper))
      check(decide(descriptor, sandboxed))
    },
  )

  test('the transition criterion weighs 0 and contributes 0', () => {
    const d = decide(portal(), paper)
    expect(d.criteria.find((c) => c.name === 'migrationCost')).toMatchObject({
      weight: 0,
      role: 'transition',
      contributions: { hypervisor: 0, container: 0 },
    })
  })
})

describe('model 2: hints and echo', () => {
  test('hints are only for what a planner can act on, and are true applied to the input as submitted', () => {
    for (const descriptor of [
      ...PAPER_CASES.map((c) => c.descriptor),
      portal(),
      portal({ staticClustering: 'yes' }),
    ]) {
      const d = decide(descriptor, paper)
      for (const hint of d.counterfactuals) {
        expect(paper.actionable).toContain(hint.field)
        const applied = decide(
          { ...descriptor, characteristics: { ...descriptor.characteristics, [hint.field]: hint.value } },
          paper,
        )
        expect(applied.recommendation).toBe(hint.recommendation)
      }
      expect(d.counterfactuals.map((h) => h.field)).not.toContain('operatingSystem')
    }
  })

  test('characteristics come back in one fixed order, whatever order they were sent in', () => {
    const d = portal()
    const reversed = {
      ...d,
      characteristics: Object.fromEntries(Object.entries(d.characteristics).reverse()),
    }
    const keys = Object.keys(decide(reversed as Descriptor, paper).characteristics)
    expect(keys).toEqual(CHARACTERISTIC_NAMES.filter((k) => keys.includes(k)))
    expect(keys).toEqual(Object.keys(decide(d, paper).characteristics))
  })
})
