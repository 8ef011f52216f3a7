import { decide } from '../../src/domain/engine'
import { PAPER_DEFAULT_POLICY } from '../../src/domain/policies/paper-default'
import { PAPER_POLICY_V2 } from '../../src/domain/policies/paper-v2'
import { canonicalJson } from '../../src/lib/canonical-json'
import { uuidv7 } from '../../src/lib/crypto'
import type { Descriptor } from '../../src/schemas/descriptor'
import type { Policy } from '../../src/schemas/policy'
import type { AssessmentRecord, Store } from '../../src/store/types'
import { randomDescriptor, rng } from '../../test/helpers/generate'

/** Assessment `i` of a seeded history: decided now, created `i` seconds after 2026-01-01. */
function seededRecord(i: number, d: Descriptor, policy: Policy, org: string): AssessmentRecord {
  const decision = decide(d, policy)
  const createdAt = new Date(HISTORY.start + i * 1000)
  const id = uuidv7(createdAt.getTime())
  const doc = { id, createdAt: createdAt.toISOString(), org, ...decision, supersedes: null }
  return {
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
  }
}

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
      records.push(seededRecord(i, randomDescriptor(random, i), PAPER_POLICY_V2, org))
    }
    await store.assessments.insertMany(records)
  }
  return (Date.now() - started) / 1000
}

/** Orgs, policies and overrides of a seeded history (see seedHistory). */
export const HISTORY = {
  orgs: 10,
  /** Every tenth assessment was decided under the first paper policy: stale now. */
  staleEvery: 10,
  /** Every thousandth has an override. */
  overrideEvery: 1000,
  start: Date.UTC(2026, 0, 1),
  /**
   * Every twentieth of the first 10 000 (500 in all) is one application assessed again and
   * again: a name with many matches, all of them old once the history is longer. The others are
   * each named for their own descriptor.
   */
  legacy: { name: 'Legacy payroll ledger', before: 10_000, every: 20, at: 7 },
}

/**
 * A history for the growth measurements: assessments `from` to `to` (exclusive) of ten orgs,
 * one a second from 2026-01-01, one in ten under nirs-paper-v1 (stale), one in a thousand
 * overridden, each decided from its own seeded descriptor. Cumulative: seeding 0..10 000 then
 * 10 000..100 000 gives the same rows as 0..100 000. Returns the seconds it took.
 */
export async function seedHistory(store: Store, from: number, to: number): Promise<number> {
  const started = Date.now()
  const overrides: AssessmentRecord[] = []
  for (let done = from; done < to; done += 500) {
    const records: AssessmentRecord[] = []
    for (let i = done; i < Math.min(to, done + 500); i++) {
      const policy = i % HISTORY.staleEvery === 0 ? PAPER_DEFAULT_POLICY : PAPER_POLICY_V2
      const descriptor = randomDescriptor(rng(i + 1), i)
      // One application assessed again and again, long ago (see HISTORY.legacy).
      if (i < HISTORY.legacy.before && i % HISTORY.legacy.every === HISTORY.legacy.at) {
        descriptor.application.name = HISTORY.legacy.name
      }
      const record = seededRecord(i, descriptor, policy, `org-${i % HISTORY.orgs}`)
      records.push(record)
      if (i % HISTORY.overrideEvery === HISTORY.overrideEvery - 1) overrides.push(record)
    }
    await store.assessments.insertMany(records)
  }
  for (const record of overrides) {
    await store.assessments.insertOverride({
      id: uuidv7(),
      assessmentId: record.id,
      org: record.org,
      keyId: 'seed',
      placement: record.recommendation === 'container' ? 'hypervisor' : 'container',
      reasonCode: 'other',
      reason: 'Seeded override',
      createdAt: new Date(record.createdAt.getTime() + 500),
    })
  }
  return (Date.now() - started) / 1000
}
