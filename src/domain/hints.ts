import type { Decision } from '../schemas/decision'
import { ENGINE_MESSAGES, format } from './messages'

type Hint = Decision['counterfactuals'][number]

/**
 * The nearest other value of one characteristic (in its enumeration's order, nearer first, the
 * lower of two equally near) that changes the recommendation, all else equal; null if none does.
 * `decideWith` re-decides with the value changed, giving the platform it recommends then, or null
 * when no platform is eligible (no hint); each model says what "all else equal" means. A name or
 * null rather than an object: a decision tries some twenty values (BENCHMARKS.md, the
 * twenty-second session).
 */
export function nearestFlip(
  field: string,
  values: readonly (string | boolean)[],
  current: string | boolean | undefined,
  winner: string,
  decideWith: (value: string | boolean) => string | null,
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
  decideWith: (value: string | boolean) => string | null,
): Hint | null {
  const platform = decideWith(value)
  if (platform === null || platform === winner) return null
  return {
    field,
    value,
    recommendation: platform,
    message: format(ENGINE_MESSAGES.COUNTERFACTUAL, { field, value: String(value), platform }),
  }
}
