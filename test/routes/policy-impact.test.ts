import { decide } from '../../src/domain/engine'
import { PAPER_DEFAULT_POLICY } from '../../src/domain/policies/paper-default'
import { ledger, publicPortal } from '../fixtures/descriptors'
import { PAPER_CASES } from '../fixtures/paper-cases'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { randomDescriptor, rng } from '../helpers/generate'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const impact = (id: string, body?: object, key = t.keys.auditor) => {
  const req = t.http().post(`/v1/policies/${id}/impact`).set(bearer(key))
  return body === undefined ? req.send() : req.send(body)
}

describe('POST /v1/policies/{id}/impact', () => {
  test('agrees with re-deciding each assessment one by one, and stores nothing', async () => {
    const random = rng(99)
    const monoliths = PAPER_CASES.map((c) => ({
      ...c.descriptor,
      characteristics: { ...c.descriptor.characteristics, architecture: 'monolith' },
    }))
    const items = [...monoliths, ...Array.from({ length: 60 }, (_, i) => randomDescriptor(random, i))]
    await t.http().post('/v1/assessments/batch').set(bearer(t.keys.submitterA)).send({ items }).expect(200)
    const before = (await t.http().get('/v1/audit').set(bearer(t.keys.auditor))).body.size

    const res = await impact('nirs-paper-v1').expect(200)
    // The same, one by one: every stored assessment decided again under v1 through the API.
    const expected: { id: string; from: string; to: string }[] = []
    const list = await t.http().get('/v1/assessments?limit=100').set(bearer(t.keys.auditor)).expect(200)
    for (const a of list.body.items) {
      const submitted = Object.fromEntries(
        Object.entries(a.characteristics).filter(([k, v]) => !a.assumed.includes(k) && v !== 'unknown'),
      )
      const again = decide(
        { application: a.application, characteristics: submitted as never },
        PAPER_DEFAULT_POLICY,
      )
      if (again.recommendation !== a.recommendation)
        expected.push({ id: a.id, from: a.recommendation, to: again.recommendation })
    }
    expect(res.body).toMatchObject({
      policy: { id: 'nirs-paper-v1', version: 1 },
      checked: items.length,
      changed: expected.length,
      truncated: false,
    })
    expect(
      res.body.items.map((i: { id: string; from: string; to: string }) => ({
        id: i.id,
        from: i.from,
        to: i.to,
      })),
    ).toEqual(expected)
    // The paper's container examples as monoliths are exactly what model 1 would send to hypervisors.
    expect(res.body.byChange).toContainEqual(expect.objectContaining({ from: 'container', to: 'hypervisor' }))
    expect(expected.length).toBeGreaterThanOrEqual(4)
    expect((await t.http().get('/v1/audit').set(bearer(t.keys.auditor))).body.size).toBe(before)
  })

  test('filters select what is measured; roles and unknown policies', async () => {
    await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .send(publicPortal('Grant portal'))
      .expect(201)
    await t.http().post('/v1/assessments').set(bearer(t.keys.submitterB)).send(ledger('Ledger')).expect(201)
    expect((await impact('nirs-paper-sandboxed-v2', { org: 'org-b' }).expect(200)).body.checked).toBe(1)
    expect((await impact('nirs-paper-sandboxed-v2', { application: 'grant' }).expect(200)).body.checked).toBe(
      1,
    )
    expect((await impact('nirs-paper-sandboxed-v2').expect(200)).body.checked).toBe(2)
    await impact('nirs-paper-v1', {}, t.keys.submitterA).expect(403)
    await impact('nirs-paper-v1', {}, t.keys.admin).expect(200)
    await impact('nope-v1').expect(404)
    await impact('nirs-paper-v1', { colour: 'red' }).expect(400)
  })
})
