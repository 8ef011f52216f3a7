/**
 * The engine's own sort, for ordering a policy's platforms (and a hint's values) by a comparator.
 *
 * Why not Array.prototype.sort: the engine's comparators treat scores within TIE_EPSILON as a tie,
 * which is not transitive, and with such a comparator only the same algorithm is sure to put the
 * same element first. The recommendation of every stored assessment was found with V8's sort, so
 * replays and the golden decisions depend on it; an engine that named its own algorithm would no
 * longer depend on the JavaScript runtime's choice of one. This is exactly what V8's TimSort does
 * with fewer than 64 elements (its minimum run covers the whole array): the leading run, reversed
 * if strictly descending, then binary insertion of the rest. Policies have at most 10 platforms.
 * A longer array falls back to Array.prototype.sort itself, so the two never differ (test:
 * platform-order.test.ts compares them under arbitrary, even inconsistent, comparators).
 *
 * It is also cheaper: V8's sort allocates its bookkeeping (about 1 KB) on every call, and a
 * decision sorts some thirty times for its counterfactual hints; those allocations were a quarter
 * of the engine's garbage (BENCHMARKS.md). This allocates nothing.
 */
export function sortInPlace<T>(
  items: T[],
  compare: (a: T, b: T) => number,
  /** Sorts only the first `length` items (a working array reused with fewer in use). */
  length = items.length,
): T[] {
  if (length < 2) return items
  if (length >= MIN_MERGE) {
    const sorted = items.slice(0, length).sort(compare)
    for (let i = 0; i < length; i++) items[i] = sorted[i] as T
    return items
  }
  const run = countAndMakeRun(items, length, compare)
  binaryInsertion(items, run, length, compare)
  return items
}

/** Below this length V8's TimSort sorts by binary insertion alone (its minimum run length). */
const MIN_MERGE = 64

/** V8's CallCompare: a comparator's NaN counts as equal. */
function order<T>(compare: (a: T, b: T) => number, a: T, b: T): number {
  const result = compare(a, b)
  return Number.isNaN(result) ? 0 : result
}

/**
 * The length of the run at the start: non-descending, or strictly descending (then reversed in
 * place, which keeps a strict run stable).
 */
function countAndMakeRun<T>(items: T[], high: number, compare: (a: T, b: T) => number): number {
  let runLength = 2
  const descending = order(compare, items[1] as T, items[0] as T) < 0
  let previous = items[1] as T
  for (let i = 2; i < high; i++) {
    const current = items[i] as T
    const result = order(compare, current, previous)
    if (descending ? result >= 0 : result < 0) break
    previous = current
    runLength++
  }
  if (descending) {
    for (let low = 0, last = runLength - 1; low < last; low++, last--) {
      const swap = items[low] as T
      items[low] = items[last] as T
      items[last] = swap
    }
  }
  return runLength
}

/** Inserts items[start..high) into the sorted items[0..start), each after its equals. */
function binaryInsertion<T>(items: T[], start: number, high: number, compare: (a: T, b: T) => number): void {
  for (let next = start; next < high; next++) {
    const pivot = items[next] as T
    let left = 0
    let right = next
    while (left < right) {
      const mid = left + ((right - left) >> 1)
      if (order(compare, pivot, items[mid] as T) < 0) right = mid
      else left = mid + 1
    }
    for (let p = next; p > left; p--) items[p] = items[p - 1] as T
    items[left] = pivot
  }
}
