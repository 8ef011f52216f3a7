import { ledger, publicPortal } from '../fixtures/descriptors'
import { PAPER_CASES } from '../fixtures/paper-cases'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const batch = (items: unknown[], headers: Record<string, string> = {}, key = t.keys.submitterA) =>
  t.http().post('/v1/assessments/batch').set(bearer(key)).set(headers).send({ items })

const count = async () =>
  (await t.http().get('/v1/assessments?limit=100').set(bearer(t.keys.auditor)).expect(200)).body.items.length

describe('POST /v1/assessments/batch', () => {
  test('each item is judged on its own; results in input order; a summary for the planner', async () => {
    const bad = {
      ...publicPortal(),
      characteristics: { ...publicPortal().characteristics, loadVariability: 'wild' },
    }
    const mc = {
      ...publicPortal('Core payments'),
      characteristics: {
        ...publicPortal().characteristics,
        businessCriticality: 'mission_critical',
        dataClassification: 'public',
        peakToAverageRatio: 50,
      },
    }
    const items = [
      publicPortal('A'),
      bad,
      ledger('B'),
      { ...ledger('C'), policyId: 'nope-v9' },
      mc,
      ...PAPER_CASES.map((c) => c.descriptor),
    ]
    const res = await batch(items).expect(200)
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([
      201,
      400,
      201,
      400,
      201,
      ...PAPER_CASES.map(() => 201),
    ])
    expect(res.body.results[0].assessment.application.name).toBe('A')
    expect(res.body.results[1].problem).toMatchObject({
      type: 'urn:placement:problem:validation-failed',
      status: 400,
      errors: [expect.objectContaining({ path: '/characteristics/loadVariability' })],
    })
    expect(res.body.results[3].problem.errors).toEqual([expect.objectContaining({ path: '/policyId' })])
    expect(res.body.summary).toMatchObject({
      total: items.length,
      stored: items.length - 2,
      replayed: 0,
      invalid: 2,
    })
    expect(res.body.summary.byRecommendation).toEqual({ container: 5, hypervisor: 7 })
    expect(res.body.summary.flagged).toContain(4)
    expect(await count()).toBe(items.length - 2)
    // Every stored item is read back as it was answered, and chained into the audit log in order.
    const stored = res.body.results.filter((r: { status: number }) => r.status === 201)
    for (const r of stored) {
      const read = await t
        .http()
        .get(`/v1/assessments/${r.assessment.id}`)
        .set(bearer(t.keys.submitterA))
        .expect(200)
      expect(read.body).toEqual(r.assessment)
    }
    const events = await t
      .http()
      .get('/v1/audit/events')
      .query({ kind: 'assessment', limit: 500 })
      .set(bearer(t.keys.auditor))
      .expect(200)
    expect(events.body.items.map((e: { recordId: string }) => e.recordId)).toEqual(
      stored.map((r: { assessment: { id: string } }) => r.assessment.id),
    )
  })

  test('idempotent as a whole: the same batch again returns the same assessments; another batch is a 409', async () => {
    const items = [publicPortal('A'), ledger('B'), { nonsense: true }]
    const headers = { 'Idempotency-Key': 'inventory-2026-11' }
    const first = await batch(items, headers).expect(200)
    const again = await batch(items, headers).expect(200)
    expect(again.headers['idempotent-replayed']).toBe('true')
    const ids = (r: { body: { results: { assessment?: { id: string } }[] } }) =>
      r.body.results.map((x) => x.assessment?.id ?? null)
    expect(ids(again)).toEqual(ids(first))
    expect(again.body.summary).toMatchObject({ stored: 0, replayed: 2, invalid: 1 })
    await batch([publicPortal('A'), ledger('Changed')], headers).expect(409)
    expect(await count()).toBe(2)
    // Two at once, the same key: one set of assessments.
    const both = await Promise.all([
      batch(items, { 'Idempotency-Key': 'race' }),
      batch(items, { 'Idempotency-Key': 'race' }),
    ])
    expect(both.map((r) => r.status)).toEqual([200, 200])
    expect(ids(both[0] as never)).toEqual(ids(both[1] as never))
    expect(await count()).toBe(4)
  })

  test('the envelope is checked: not a list, empty, over 500, unknown fields; roles as for one assessment', async () => {
    await batch([]).expect(400)
    await t
      .http()
      .post('/v1/assessments/batch')
      .set(bearer(t.keys.submitterA))
      .send({ items: {} })
      .expect(400)
    await t
      .http()
      .post('/v1/assessments/batch')
      .set(bearer(t.keys.submitterA))
      .send({ items: [publicPortal()], extra: 1 })
      .expect(400)
    const many = await batch(Array.from({ length: 501 }, () => ledger())).expect(400)
    expect(many.body.errors[0].path).toBe('/items')
    await batch([publicPortal()], {}, t.keys.auditor).expect(403)
    expect(await count()).toBe(0)
  })

  test('a full batch of 500 is stored in one go', async () => {
    const items = Array.from({ length: 500 }, (_, i) => publicPortal(`Inventory ${i}`))
    const res = await batch(items).expect(200)
    expect(res.body.summary).toMatchObject({ total: 500, stored: 500, invalid: 0 })
    const head = await t.http().get('/v1/audit').set(bearer(t.keys.auditor)).expect(200)
    expect(head.body.size).toBeGreaterThanOrEqual(500)
  })
})
