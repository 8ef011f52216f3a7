import type { Decision } from '../schemas/decision'
import { ENGINE_MESSAGES, format } from './messages'

type Hint = Decision['counterfactuals'][number]

/**
 * The nearest other value of one characteristic (in its enumeration's order, nearer first, the
 * lower of two equally near) that changes the recommendation, all else equal; null if none does.
 * `decideWith` re-decides with the value changed; each model says what "all else equal" means.
 */
export function nearestFlip(
  field: string,
  values: readonly (string | boolean)[],
  current: string | boolean | undefined,
  winner: string,
  decideWith: (value: string | boolean) => { platform: string; noneEligible: boolean },
): Hint | null {
  const at = values.indexOf(current as string | boolean)
  const byDistance = values
    .map((value, i) => ({ value, distance: Math.abs(i - at) }))
    .filter((v) => v.distance > 0)
    .sort((a, b) => a.distance - b.distance)
  for (const { value } of byDistance) {
    const { platform, noneEligible } = decideWith(value)
    if (platform !== winner && !noneEligible) {
      return {
        field,
        value,
        recommendation: platform,
        message: format(ENGINE_MESSAGES.COUNTERFACTUAL, { field, value: String(value), platform }),
      }
    }
  }
  return null
}
