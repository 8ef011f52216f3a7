/** Rounds half away from zero to `digits` decimals; answers carry rounded figures only. */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + Number.EPSILON)) / factor
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/**
 * Two exact scores closer than this count as a tie (broken by the policy's platform order),
 * so that floating-point noise can never decide a placement.
 */
export const TIE_EPSILON = 1e-9
