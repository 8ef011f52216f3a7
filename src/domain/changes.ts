import type { Changes, Decision } from '../schemas/decision'

/** What changed from one decision to another about the same application. */
export function changesBetween(before: Decision, after: Decision): Changes {
  const platforms = [...new Set([...Object.keys(before.scores), ...Object.keys(after.scores)])]
  const changes: Changes = {
    recommendation: { from: before.recommendation, to: after.recommendation },
    confidence: { from: before.confidence, to: after.confidence },
    margin: { from: before.margin, to: after.margin },
    policy: { from: before.policy, to: after.policy },
    scores: Object.fromEntries(
      platforms.map((p) => [p, { from: before.scores[p] ?? null, to: after.scores[p] ?? null }]),
    ),
  }
  // Model 2 says more: where it ends up and where it runs meanwhile, and each platform's readiness.
  if (before.model === 2 || after.model === 2) {
    changes.outcome = { from: before.outcome ?? null, to: after.outcome ?? null }
    changes.interim = { from: before.interim ?? null, to: after.interim ?? null }
    changes.readiness = Object.fromEntries(
      platforms.map((p) => [
        p,
        { from: before.readiness?.[p]?.verdict ?? null, to: after.readiness?.[p]?.verdict ?? null },
      ]),
    )
  }
  return changes
}
