import fc from 'fast-check'
import { resolveCharacteristics } from '../../src/domain/characteristics'
import { analyse } from '../../src/domain/decide-model-2'
import { rank, variantRanker } from '../../src/domain/ranking'
import {
  BLOCKER_ANSWERS,
  BLOCKER_NAMES,
  CHARACTERISTIC_VALUES,
  type CharacteristicName,
  type Characteristics,
} from '../../src/schemas/descriptor'
import type { Policy } from '../../src/schemas/policy'
import { BUILT_IN_POLICIES } from '../../src/services/policies'
import { randomDescriptor, rng } from '../helpers/generate'

/**
 * ranking.ts decides the recommendation alone, on a prepared form of the policy, for the hints
 * and for policy impact. It must agree with analyse() (what an answer says) everywhere: every
 * built-in model-2 policy, generated descriptors with characteristics and blockers left out,
 * and every one-value change a hint tries, including changes to characteristics that
 * assumptions depend on (not among the built-ins' actionable ones, so added here).
 */
const MODEL_2 = BUILT_IN_POLICIES.filter((p) => p.model === 2)
const WIDENED: Policy[] = MODEL_2.map((p) => ({
  ...p,
  actionable: [
    ...(p.actionable ?? []),
    'architecture',
    'loadVariability',
    'businessCriticality',
    'releaseFrequency',
  ],
}))
/**
 * Variants of a characteristic no rule reads reuse the submitted descriptor's scores; a rule
 * that reads a readiness blocker (none of the built-ins has one) must make its variants score
 * again.
 */
const BLOCKER_RULE: Policy[] = MODEL_2.map((p) => ({
  ...p,
  rules: [
    ...p.rules,
    {
      code: 'PRIVILEGED',
      when: [{ field: 'privilegedAccess', in: ['yes'] }],
      ratings: { container: { security: -60, stability: -40 } },
      message: { en: 'Needs privileged access.', ko: '특권 접근이 필요합니다.' },
    },
  ],
}))

/**
 * A variant tests again only the checks and gates that read what it changes. The built-ins' one
 * gate reads a characteristic no hint changes; here gates read ones hints do change, in `when`
 * (an optional characteristic, tested resolved) and in `unless` (a blocker, tested as submitted).
 */
const GATES_READ_HINTS: Policy[] = MODEL_2.map((p) => ({
  ...p,
  gates: [
    ...(p.gates ?? []).map((gate) => ({
      ...gate,
      unless: [{ field: 'localState' as const, in: ['no'] }],
    })),
    {
      code: 'KERNEL_OFF_SHARED',
      when: [{ field: 'requiresKernelCustomization' as const, in: [true] }],
      restrict: [p.platforms[1] as string],
      unless: [{ field: 'privilegedAccess' as const, in: ['yes'] }],
      message: { en: 'Kernel changes.', ko: '커널 변경.' },
      requires: { en: 'A kernel of its own.', ko: '자체 커널.' },
    },
  ],
}))

const expected = (c: Characteristics, policy: Policy) => {
  const a = analyse(c, policy, false)
  return { winner: a.ranked[0], noneEligible: a.noneEligible }
}

const descriptors = fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => {
  const random = rng(seed)
  const { characteristics } = randomDescriptor(random)
  const withBlockers: Record<string, unknown> = { ...characteristics }
  for (const name of BLOCKER_NAMES) {
    const r = random()
    if (r < 0.5) withBlockers[name] = BLOCKER_ANSWERS[Math.floor(random() * BLOCKER_ANSWERS.length)]
  }
  return withBlockers as Characteristics
})

describe.each([
  ...MODEL_2.map((p) => [p.id, p] as const),
  ...WIDENED.map((p) => [`${p.id} (widened)`, p] as const),
  ...BLOCKER_RULE.map((p) => [`${p.id} (a rule reads a blocker)`, p] as const),
  ...GATES_READ_HINTS.map((p) => [`${p.id} (gates read what hints change)`, p] as const),
])('ranking agrees with analyse(): %s', (_id, policy) => {
  test('for the descriptor as submitted and every variant a hint tries', () => {
    fc.assert(
      fc.property(descriptors, (c) => {
        expect(rank(c, policy)).toEqual(expected(c, policy))
        // As analyse() calls it (with the characteristics it resolved) and without them.
        const rankers = [
          variantRanker(c, policy),
          variantRanker(c, policy, resolveCharacteristics(c, 2).characteristics),
        ]
        for (const field of policy.actionable ?? []) {
          const values = CHARACTERISTIC_VALUES[field as CharacteristicName]
          if (values === 'number') continue
          for (const value of values) {
            const want = expected({ ...c, [field]: value } as Characteristics, policy)
            for (const rankWith of rankers) expect(rankWith(field, value)).toEqual(want)
          }
        }
      }),
      { numRuns: 300, seed: 20261127 },
    )
  })
})
