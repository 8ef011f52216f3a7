import { TIE_EPSILON } from './numbers'

/**
 * Exact figures of a decision that sensitivity works on: normalised weights per criterion and
 * the ratings of the eligible platforms, in policy order.
 */
export interface ScoringState {
  weights: number[]
  /** ratings[p][i]: rating of eligible platform p on criterion i. */
  ratings: number[][]
}

/**
 * Platform p's score with criterion j set to weight x. A loop, not map and reduce: sensitivity
 * computes a dozen of these per decision, and their closures and arrays were a tenth of what a
 * decision allocated (BENCHMARKS.md, the twenty-second session). The same additions in the same
 * order as the reduce it replaced (from 0, criterion by criterion), so every figure is the same.
 */
function scoreAt(state: ScoringState, p: number, j: number, x: number): number {
  const { weights } = state
  const ratings = state.ratings[p] as number[]
  // Setting criterion j to weight x rescales the others in proportion, so that they keep
  // their relative importance and the weights still sum to 1.
  const scale = (1 - x) / (1 - (weights[j] as number))
  let sum = 0
  for (let i = 0; i < ratings.length; i++) {
    sum = sum + (ratings[i] as number) * (i === j ? x : (weights[i] as number) * scale)
  }
  return sum
}

function scoresAt(state: ScoringState, j: number, x: number): number[] {
  const scores: number[] = []
  for (let p = 0; p < state.ratings.length; p++) scores.push(scoreAt(state, p, j, x))
  return scores
}

/** Index of the best score; earlier platforms win ties. */
export function winnerOf(scores: readonly number[]): number {
  let best = 0
  for (let p = 1; p < scores.length; p++) {
    if ((scores[p] as number) > (scores[best] as number) + TIE_EPSILON) best = p
  }
  return best
}

/**
 * For criterion j: the weight nearest to its current one at which the recommendation would
 * change, or null when no weight in 0..1 changes it. Every platform score is linear in the
 * weight, so the only candidates are the points where the winner's line meets another's.
 */
export function flipWeight(state: ScoringState, j: number): number | null {
  const wj = state.weights[j] as number
  if (state.ratings.length < 2 || wj >= 1) return null
  const current = winnerOf(scoresAt(state, j, wj))
  const at0 = scoresAt(state, j, 0)
  const at1 = scoresAt(state, j, 1)
  const candidates: number[] = []
  for (let b = 0; b < state.ratings.length; b++) {
    if (b === current) continue
    const d0 = (at0[current] as number) - (at0[b] as number)
    const d1 = (at1[current] as number) - (at1[b] as number)
    if (d0 === d1) continue
    const x = d0 / (d0 - d1)
    if (x >= 0 && x <= 1) candidates.push(x)
  }
  candidates.sort((a, b) => Math.abs(a - wj) - Math.abs(b - wj))
  for (const x of candidates) {
    // The winner changes at x if it differs just beyond x, seen from the current weight.
    const beyond = x >= wj ? Math.min(1, x + 1e-7) : Math.max(0, x - 1e-7)
    if (winnerOf(scoresAt(state, j, beyond)) !== current) return x
  }
  return null
}

/**
 * Model 2: for criterion j, the weight nearest to its current one at which another eligible
 * platform becomes strictly better than `current` (an index into state.ratings), or null when
 * none does for any weight in 0..1. Each platform's score is linear in the weight, so each rival
 * can overtake at one point only, on the side where its line rises against the current one's.
 * At an exact tie that point is the current weight itself: any move that way flips the answer.
 */
export function flipPoint(state: ScoringState, j: number, current: number): number | null {
  const wj = state.weights[j] as number
  if (state.ratings.length < 2 || wj >= 1) return null
  const current0 = scoreAt(state, current, j, 0)
  const current1 = scoreAt(state, current, j, 1)
  let best: number | null = null
  for (let b = 0; b < state.ratings.length; b++) {
    if (b === current) continue
    const f0 = current0 - scoreAt(state, b, j, 0)
    const f1 = current1 - scoreAt(state, b, j, 1)
    const slope = f1 - f0
    if (Math.abs(slope) <= TIE_EPSILON) continue
    // The current platform leads at wj, so the crossing lies on the side where the lead shrinks.
    const root = Math.min(1, Math.max(0, f0 / (f0 - f1)))
    const x = slope < 0 ? Math.max(root, wj) : Math.min(root, wj)
    const overtakes = slope < 0 ? x < 1 : x > 0
    if (!overtakes) continue
    if (best === null || Math.abs(x - wj) < Math.abs(best - wj)) best = x
  }
  return best
}
