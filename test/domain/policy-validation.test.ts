import { PAPER_DEFAULT_POLICY } from '../../src/domain/policies/paper-default'
import { PAPER_POLICY_V2 } from '../../src/domain/policies/paper-v2'
import { SANDBOXED_POLICY, SANDBOXED_POLICY_V2 } from '../../src/domain/policies/sandboxed'
import { validatePolicy } from '../../src/domain/policy-validation'
import type { PolicyDefinition } from '../../src/schemas/policy'
import { agencyPolicy, tiePolicy, tinyPolicy } from '../fixtures/policies'

type Change = (p: PolicyDefinition) => void

describe('policy validation', () => {
  test.each([
    ['the paper policy', PAPER_DEFAULT_POLICY],
    ['the sandboxed policy', SANDBOXED_POLICY],
    ['the tiny test policy', tinyPolicy()],
  ])('%s is sound', (_label, policy) => {
    expect(validatePolicy(policy)).toEqual([])
  })

  test.each<[string, Change, string, RegExp]>([
    ['a platform without ratings', (p) => delete p.ratings.ct, '/ratings/ct', /every platform is rated/],
    ['a missing criterion rating', (p) => delete p.ratings.vm?.speed, '/ratings/vm/speed', /required/],
    [
      'a rating of an unknown criterion',
      (p) => Object.assign(p.ratings.vm as object, { cost: 5 }),
      '/ratings/vm/cost',
      /not a criterion/,
    ],
    [
      'ratings of an unknown platform',
      (p) => Object.assign(p.ratings, { bare: { safety: 1, speed: 1 } }),
      '/ratings/bare',
      /not a platform/,
    ],
    [
      'a duplicate criterion',
      (p) => p.criteria.push({ name: 'safety', baseWeight: 1 }),
      '/criteria/2/name',
      /duplicates/,
    ],
    [
      'a rule weighting an unknown criterion',
      (p) => Object.assign(p.rules[0] as object, { weights: { cost: 1 } }),
      '/rules/0/weights/cost',
      /not a criterion/,
    ],
    [
      'a rule rating an unknown platform',
      (p) => Object.assign(p.rules[0] as object, { ratings: { bare: { speed: 1 } } }),
      '/rules/0/ratings/bare',
      /not a platform/,
    ],
    [
      'a condition value outside the field’s values',
      (p) => Object.assign(p.rules[0]?.when[0] as object, { in: ['wild'] }),
      '/rules/0/when/0/in/0',
      /not a value of loadVariability/,
    ],
    [
      'a number test on an enumeration',
      (p) => Object.assign(p.rules[0]?.when[0] as object, { in: undefined, gte: 2 }),
      '/rules/0/when/0',
      /not a number/,
    ],
    [
      'an `in` test on a number',
      (p) => p.rules[0]?.when.push({ field: 'peakToAverageRatio', in: ['10'] }),
      '/rules/0/when/1/in',
      /is a number/,
    ],
    [
      'an empty condition',
      (p) => p.rules[0]?.when.push({ field: 'stateful' }),
      '/rules/0/when/1',
      /at least one test/,
    ],
    [
      'a condition that never holds',
      (p) => p.rules[0]?.when.push({ field: 'availabilityTarget', gte: 99.9, lt: 99 }),
      '/rules/0/when/1',
      /never holds/,
    ],
    [
      'a placeholder that is not a characteristic',
      (p) => Object.assign(p.rules[0]?.message as object, { en: 'Load {load}' }),
      '/rules/0/message/en',
      /\{load\}/,
    ],
    [
      'a reserved rationale code',
      (p) => Object.assign(p.rules[0] as object, { code: 'RECOMMENDATION' }),
      '/rules/0/code',
      /reserved/,
    ],
    [
      'weights that could all fall to zero',
      (p) =>
        p.rules.push({
          ...(p.rules[0] as PolicyDefinition['rules'][number]),
          weights: { safety: -3, speed: -1 },
        }),
      '/rules',
      /weight 0/,
    ],
    [
      'a constraint excluding an unknown platform',
      (p) => Object.assign(p.constraints[0] as object, { exclude: ['bare'] }),
      '/constraints/0/exclude/0',
      /not a platform/,
    ],
    [
      'a constraint excluding every platform',
      (p) => Object.assign(p.constraints[0] as object, { exclude: ['vm', 'ct'] }),
      '/constraints/0/exclude',
      /every platform/,
    ],
    [
      'confidence margins the wrong way round',
      (p) => Object.assign(p.confidence, { mediumMargin: 20 }),
      '/confidence/mediumMargin',
      /highMargin/,
    ],
    [
      'insufficient-data threshold below the high one',
      (p) => Object.assign(p.confidence, { insufficientAssumed: 2 }),
      '/confidence/insufficientAssumed',
      /maxAssumedForHigh/,
    ],
  ])('%s is refused at %s', (_label, change, path, message) => {
    const policy = tinyPolicy()
    change(policy)
    const problems = validatePolicy(policy)
    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) })
  })
})

describe('policy validation: model 2', () => {
  const modelTwo = (): PolicyDefinition => {
    const { id, version, ...definition } = structuredClone(PAPER_POLICY_V2)
    return definition
  }

  test.each([
    ['nirs-paper-v2', PAPER_POLICY_V2],
    ['nirs-paper-sandboxed-v2', SANDBOXED_POLICY_V2],
    ['the agency test policy', agencyPolicy()],
    ['the tie test policy', tiePolicy()],
  ])('%s is sound', (_label, policy) => {
    expect(validatePolicy(policy)).toEqual([])
  })

  test.each<[string, Change, string, RegExp]>([
    ['model-2 parts in a model-1 policy', (p) => delete p.model, '/readiness', /needs "model": 2/],
    [
      'constraints in a model-2 policy',
      (p) => p.constraints.push(tinyPolicy().constraints[0] as never),
      '/constraints',
      /readiness checks/,
    ],
    [
      'a weighted transition criterion',
      (p) => Object.assign(p.criteria[3] as object, { baseWeight: 1 }),
      '/criteria/3/baseWeight',
      /weighted 0/,
    ],
    [
      'a rule weighting a transition criterion',
      (p) => Object.assign(p.rules[0] as object, { weights: { migrationCost: 1 } }),
      '/rules/0/weights/migrationCost',
      /weighted 0/,
    ],
    [
      'a readiness check on an unknown platform',
      (p) => p.readiness?.[0]?.platforms.push('mainframe'),
      '/readiness/0/platforms/1',
      /not a platform/,
    ],
    [
      'a remedy on a verdict that needs none',
      (p) => Object.assign(p.readiness?.[4] as object, { clearedBy: 'refactor' }),
      '/readiness/4/clearedBy',
      /only a not_ready verdict/,
    ],
    [
      'a gate that restricts every platform',
      (p) => Object.assign(p.gates?.[0] as object, { restrict: ['hypervisor', 'container'] }),
      '/gates/0/restrict',
      /every platform/,
    ],
    [
      'an effort table missing an architecture',
      (p) =>
        delete ((p.transition as NonNullable<typeof p.transition>).effort.container as Record<string, string>)
          .modular,
      '/transition/effort/container/modular',
      /required/,
    ],
    [
      'a source that is not defined',
      (p) => Object.assign(p.rules[0] as object, { source: ['NOWHERE'] }),
      '/rules/0/source/0',
      /not a key of sources/,
    ],
    [
      'a rating source for an unknown criterion',
      (p) => Object.assign(p.ratingSources?.hypervisor as object, { cost: ['PAPER_MIGRATION'] }),
      '/ratingSources/hypervisor/cost',
      /not a criterion/,
    ],
  ])('refuses %s', (_label, change, path, message) => {
    const policy = modelTwo()
    change(policy)
    const problems = validatePolicy(policy)
    expect(problems).toContainEqual({ path, message: expect.stringMatching(message) })
  })
})
