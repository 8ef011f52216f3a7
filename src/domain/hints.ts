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
  // Outwards from the current value, the lower side first at each distance: the order a stable
  // sort by distance gives, without building and sorting an array for every field of every
  // decision. (Not found, at = -1: every value in order.)
  const farthest = Math.max(at, values.length - 1 - at)
  for (let distance = 1; distance <= farthest; distance++) {
    const lower = at - distance
    const upper = at + distance
    const hint =
      (lower >= 0 ? tryValue(field, values[lower] as string | boolean, winner, decideWith) : null) ??
      (upper < values.length ? tryValue(field, values[upper] as string | boolean, winner, decideWith) : null)
    if (hint) return hint
  }
  return null
}

function tryValue(
  field: string,
  value: string | boolean,
  winner: string,
  decideWith: (value: string | boolean) => { platform: string; noneEligible: boolean },
): Hint | null {
  const { platform, noneEligible } = decideWith(value)
  if (platform === winner || noneEligible) return null
  return {
    field,
    value,
    recommendation: platform,
    message: format(ENGINE_MESSAGES.COUNTERFACTUAL, { field, value: String(value), platform }),
  }
}
