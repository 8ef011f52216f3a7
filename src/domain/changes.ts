import type { Changes, Decision } from '../schemas/decision'

/** What changed from one decision to another about the same application. */
export function changesBetween(before: Decision, after: Decision): Changes {
  const platforms = [...new Set([...Object.keys(before.scores), ...Object.keys(after.scores)])]
  return {
    recommendation: { from: before.recommendation, to: after.recommendation },
    confidence: { from: before.confidence, to: after.confidence },
    margin: { from: before.margin, to: after.margin },
    policy: { from: before.policy, to: after.policy },
    scores: Object.fromEntries(
      platforms.map((p) => [p, { from: before.scores[p] ?? null, to: after.scores[p] ?? null }]),
    ),
  }
}
