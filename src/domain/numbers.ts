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

/**
 * Rounds `values` to `digits` decimals so that the rounded values add up exactly to `total`
 * (itself given to `digits` decimals), moving as few values as possible, each by one unit of
 * the last digit, those with the largest rounding error first (largest remainder). Shown
 * figures then add up as shown, while each stays within about a unit of its exact value.
 */
export function apportion(values: readonly number[], total: number, digits: number): number[] {
  const factor = 10 ** digits
  // Loops, and the bookkeeping below only when the rounded values miss the total: most do not,
  // and every decision apportions once for its weights and once per platform (BENCHMARKS.md, the
  // twenty-second session). The same figures as ever: integers summed in the same order, and the
  // same moves when they miss.
  const units: number[] = []
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    const unit = Math.round((values[i] as number) * factor)
    units.push(unit)
    sum += unit
  }
  let missing = Math.round(total * factor) - sum
  if (missing !== 0) {
    // An exact zero (a criterion weighted 0) stays zero, unless nothing else can move.
    const movable = values.map((v, i) => {
      const scaled = v * factor
      return { i, error: scaled - (units[i] as number), zero: scaled === 0 }
    })
    const order = movable.some((m) => !m.zero) ? movable.filter((m) => !m.zero) : movable
    while (missing !== 0 && order.length > 0) {
      const step = missing > 0 ? 1 : -1
      // The values rounded furthest in the other direction move first.
      order.sort((a, b) => step * (b.error - a.error) || a.i - b.i)
      for (const entry of order) {
        if (missing === 0) break
        units[entry.i] = (units[entry.i] as number) + step
        entry.error -= step
        missing -= step
      }
    }
  }
  for (let i = 0; i < units.length; i++) units[i] = (units[i] as number) / factor
  return units
}
