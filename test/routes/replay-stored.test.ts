import { submittedCharacteristics } from '../../src/domain/characteristics'
import { decide } from '../../src/domain/engine'
import type { Decision } from '../../src/schemas/decision'
import type { Descriptor } from '../../src/schemas/descriptor'
import { localizeInPlace } from '../../src/services/localize'
import { BUILT_IN_POLICIES } from '../../src/services/policies'
import { ledger, NO_BLOCKERS, publicPortal } from '../fixtures/descriptors'
import { PAPER_CASES } from '../fixtures/paper-cases'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { randomDescriptor, rng } from '../helpers/generate'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const random = rng(7)
const descriptors: Descriptor[] = [
  ...PAPER_CASES.map((c) => c.descriptor),
  publicPortal(),
  ledger(),
  { ...ledger(), characteristics: { ...ledger().characteristics, ...NO_BLOCKERS, staticClustering: 'yes' } },
  ...Array.from({ length: 12 }, (_, i) => randomDescriptor(random, i)),
]

/** The decision part of a stored assessment: what the engine alone must reproduce. */
function decisionOf(stored: Record<string, unknown>) {
  const { id, createdAt, org, supersedes, stale, overrides, finalPlacement, changes, ...decision } = stored
  return decision
}

describe('stored assessments of every built-in policy re-decide identically', () => {
  test.each(BUILT_IN_POLICIES.map((p) => [p.id, p] as const))('%s', async (id, policy) => {
    for (const descriptor of descriptors) {
      const created = await t
        .http()
        .post('/v1/assessments')
        .set(bearer(t.keys.submitterA))
        .send({ ...descriptor, policyId: id })
        .expect(201)
      for (const language of ['en', 'ko'] as const) {
        const read = await t
          .http()
          .get(`/v1/assessments/${created.body.id}`)
          .set(bearer(t.keys.auditor))
          .set('Accept-Language', language)
          .expect(200)
        const stored = decisionOf(read.body) as unknown as Decision
        expect(stored.policy).toEqual({ id, version: policy.version })
        // Only what was stored goes in: the application and the characteristics as submitted.
        const again = decide(
          { application: stored.application, characteristics: submittedCharacteristics(stored) },
          policy,
        )
        expect(stored).toEqual(JSON.parse(JSON.stringify(localizeInPlace(again, language))))
      }
    }
  })
})
