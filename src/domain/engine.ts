import type { Decision } from '../schemas/decision'
import type { Policy } from '../schemas/policy'
import { decideModel1, recommendModel1 } from './decide-model-1'
import { decideModel2 } from './decide-model-2'
import type { DecisionInput } from './decision-input'
import { rank } from './ranking'

export type { DecisionInput } from './decision-input'

/**
 * The decision engine: descriptor + policy -> decision. Pure and deterministic: everything it
 * knows about platforms, criteria, weights, readiness and gates comes from the policy's data.
 * The policy's `model` pins how it decides, so a decision made under a policy version is
 * reproduced identically by every later release.
 */
export function decide(input: DecisionInput, policy: Policy): Decision {
  return policy.model === 2 ? decideModel2(input, policy) : decideModel1(input, policy)
}

/** The recommendation decide() would give, without explanations: for re-deciding many at once. */
export function recommend(input: DecisionInput, policy: Policy): string {
  if (policy.model !== 2) return recommendModel1(input, policy)
  return policy.platforms[rank(input.characteristics, policy).winner] as string
}
