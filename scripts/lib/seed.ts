import { decide } from '../../src/domain/engine'
import { PAPER_POLICY_V2 } from '../../src/domain/policies/paper-v2'
import { canonicalJson } from '../../src/lib/canonical-json'
import { uuidv7 } from '../../src/lib/crypto'
import type { AssessmentRecord, Store } from '../../src/store/types'
import { randomDescriptor, rng } from '../../test/helpers/generate'

/**
 * Fills a store with `count` decided assessments of one org, a second apart from 2026-01-01,
 * 500 to a transaction, through the store's own batch insert (so each is in the audit log).
 * For the scale check and the benchmark's export; returns how long it took in seconds.
 */
export async function seedAssessments(store: Store, count: number, org = 'NIRS'): Promise<number> {
  const random = rng(1)
  const started = Date.now()
  for (let done = 0; done < count; done += 500) {
    const records: AssessmentRecord[] = []
    for (let i = done; i < Math.min(count, done + 500); i++) {
      const d = randomDescriptor(random, i)
      const decision = decide(d, PAPER_POLICY_V2)
      const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 1000)
      const id = uuidv7(createdAt.getTime())
      const doc = { id, createdAt: createdAt.toISOString(), org, ...decision, supersedes: null }
      records.push({
        id,
        createdAt,
        org,
        keyId: 'seed',
        applicationName: d.application.name,
        recommendation: decision.recommendation,
        policyId: decision.policy.id,
        policyVersion: decision.policy.version,
        document: canonicalJson(doc),
        requestHash: String(i),
        idempotencyKey: null,
        supersedes: null,
      })
    }
    await store.assessments.insertMany(records)
  }
  return (Date.now() - started) / 1000
}
