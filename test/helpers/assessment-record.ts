import type { AssessmentRecord } from '../../src/store/types'

/** A stored assessment's row for store tests: numbered, small, with `extra` replacing any column. */
export function assessmentRecord(i: number, extra: Partial<AssessmentRecord> = {}): AssessmentRecord {
  return {
    id: `id-${String(i).padStart(4, '0')}`,
    createdAt: new Date(Date.UTC(2026, 10, 26, 12, 0, 0, i)),
    org: 'org',
    keyId: 'key',
    applicationName: `App ${i}`,
    recommendation: 'container',
    policyId: 'p',
    policyVersion: 1,
    document: `{"i":${i}}`,
    requestHash: `h${i}`,
    idempotencyKey: null,
    supersedes: null,
    ...extra,
  }
}
