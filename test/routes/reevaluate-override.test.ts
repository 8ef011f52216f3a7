import { ledger, publicPortal } from '../fixtures/descriptors'
import { tinyPolicy } from '../fixtures/policies'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const create = async (key: string, body: object = publicPortal()) =>
  (await t.http().post('/v1/assessments').set(bearer(key)).send(body).expect(201)).body
const reevaluate = (id: string, key: string, body?: object) => {
  const req = t.http().post(`/v1/assessments/${id}/reevaluate`).set(bearer(key))
  return body === undefined ? req.send() : req.send(body)
}
const override = (id: string, key: string, body: object) =>
  t.http().post(`/v1/assessments/${id}/override`).set(bearer(key)).send(body)

describe('POST /v1/assessments/{id}/reevaluate', () => {
  test('decides again under the active policy; a new linked assessment says what changed', async () => {
    const original = await create(t.keys.submitterA)
    await t.http().post('/v1/policies').set(bearer(t.keys.admin)).send(tinyPolicy()).expect(201)
    await t.http().post('/v1/policies/tiny-v1/activate').set(bearer(t.keys.admin)).expect(200)

    const res = await reevaluate(original.id, t.keys.submitterA).expect(201)
    expect(res.headers.location).toBe(`/v1/assessments/${res.body.id}`)
    expect(res.body).toMatchObject({
      supersedes: original.id,
      org: 'org-a',
      application: original.application,
      policy: { id: 'tiny-v1', version: 1 },
      stale: false,
    })
    expect(res.body.id).not.toBe(original.id)
    expect(res.body.changes).toEqual({
      recommendation: { from: 'container', to: res.body.recommendation },
      confidence: { from: original.confidence, to: res.body.confidence },
      margin: { from: original.margin, to: res.body.margin },
      policy: { from: { id: 'nirs-paper-v2', version: 2 }, to: { id: 'tiny-v1', version: 1 } },
      scores: {
        hypervisor: { from: original.scores.hypervisor, to: null },
        container: { from: original.scores.container, to: null },
        vm: { from: null, to: res.body.scores.vm },
        ct: { from: null, to: res.body.scores.ct },
      },
      // The original was decided by model 2, the new one by model 1, which says none of these.
      outcome: { from: 'clear', to: null },
      interim: { from: null, to: null },
      readiness: {
        hypervisor: { from: original.readiness.hypervisor.verdict, to: null },
        container: { from: 'ready', to: null },
        vm: { from: null, to: null },
        ct: { from: null, to: null },
      },
    })
    // The original is unchanged, apart from now being stale.
    const again = await t
      .http()
      .get(`/v1/assessments/${original.id}`)
      .set(bearer(t.keys.submitterA))
      .expect(200)
    expect({ ...again.body, stale: false }).toEqual(original)
    expect(again.body.stale).toBe(true)
  })

  test('re-evaluating under a named policy re-makes the assumptions of the original input', async () => {
    const original = await create(t.keys.submitterA, ledger())
    const res = await reevaluate(original.id, t.keys.submitterA, {
      policyId: 'nirs-paper-sandboxed-v2',
    }).expect(201)
    expect(res.body.policy.id).toBe('nirs-paper-sandboxed-v2')
    expect(res.body.assumed).toEqual(original.assumed)
    expect(res.body.characteristics).toEqual(original.characteristics)
    expect(Object.keys(res.body.changes.scores).sort()).toEqual([
      'container',
      'hypervisor',
      'sandboxed_container',
    ])
  })

  test('under the same policy nothing changes but the record', async () => {
    const original = await create(t.keys.submitterA)
    const res = await reevaluate(original.id, t.keys.admin).expect(201)
    expect(res.body.changes.recommendation).toEqual({ from: 'container', to: 'container' })
    expect(res.body.org).toBe('org-a')
    expect(res.body.scores).toEqual(original.scores)
  })

  test('who may: not another org’s submitter (404), not an auditor (403); unknown ids and policies', async () => {
    const original = await create(t.keys.submitterA)
    await reevaluate(original.id, t.keys.submitterB).expect(404)
    await reevaluate(original.id, t.keys.auditor).expect(403)
    await reevaluate('no-such-id', t.keys.admin).expect(404)
    const bad = await reevaluate(original.id, t.keys.submitterA, { policyId: 'nope-v1' }).expect(400)
    expect(bad.body.errors[0].path).toBe('/policyId')
    await reevaluate(original.id, t.keys.submitterA, { policy: 'x' }).expect(400)
  })
})

describe('POST /v1/assessments/{id}/override', () => {
  const reason = {
    placement: 'hypervisor',
    reasonCode: 'vendor_support',
    reason: 'The vendor certifies this release on VMs only.',
  }

  test('records a different final placement as a linked record; the recommendation stays visible', async () => {
    const original = await create(t.keys.submitterA)
    const res = await override(original.id, t.keys.submitterA, reason).expect(201)
    expect(res.headers.location).toBe(`/v1/assessments/${original.id}`)
    expect(res.body).toMatchObject({
      assessmentId: original.id,
      org: 'org-a',
      recommendation: 'container',
      ...reason,
    })
    const read = await t.http().get(`/v1/assessments/${original.id}`).set(bearer(t.keys.auditor)).expect(200)
    expect(read.body.recommendation).toBe('container')
    expect(read.body.finalPlacement).toBe('hypervisor')
    expect(read.body.overrides).toEqual([res.body])
    const { overrides, finalPlacement, ...rest } = read.body
    const { overrides: o0, finalPlacement: f0, ...before } = original
    expect(rest).toEqual(before)
  })

  test('lists filter overridden decisions', async () => {
    const a = await create(t.keys.submitterA, publicPortal('Overridden one'))
    const b = await create(t.keys.submitterA, publicPortal('Left alone'))
    await override(a.id, t.keys.admin, reason).expect(201)
    const names = async (overridden: string) =>
      (
        await t.http().get('/v1/assessments').query({ overridden }).set(bearer(t.keys.submitterA)).expect(200)
      ).body.items.map((i: { id: string }) => i.id)
    expect(await names('true')).toEqual([a.id])
    expect(await names('false')).toEqual([b.id])
  })

  test('the latest of several overrides is the final placement', async () => {
    const original = await create(t.keys.submitterA)
    await override(original.id, t.keys.submitterA, reason).expect(201)
    const sandbox = await create(t.keys.submitterA, {
      ...publicPortal(),
      policyId: 'nirs-paper-sandboxed-v1',
    })
    await override(sandbox.id, t.keys.submitterA, { ...reason, placement: 'container' }).expect(201)
    await override(sandbox.id, t.keys.submitterA, {
      ...reason,
      placement: 'hypervisor',
      reasonCode: 'cost',
    }).expect(201)
    const read = await t
      .http()
      .get(`/v1/assessments/${sandbox.id}`)
      .set(bearer(t.keys.submitterA))
      .expect(200)
    expect(read.body.overrides.map((o: { placement: string }) => o.placement)).toEqual([
      'container',
      'hypervisor',
    ])
    expect(read.body.finalPlacement).toBe('hypervisor')
  })

  test.each([
    [{ ...reason, placement: 'bare_metal' }, '/placement', /one of: hypervisor, container/],
    [{ ...reason, placement: 'container' }, '/placement', /already the recommendation/],
    [{ placement: 'hypervisor', reasonCode: 'vendor_support' }, '/reason', /required/],
    [{ ...reason, reason: '   ' }, '/reason', /visible character/],
    [{ ...reason, reason: 'nul \u0000 here' }, '/reason', /NUL/],
    [{ ...reason, placement: 'hyper visor' }, '/placement', /printable ASCII/],
    [{ ...reason, reasonCode: 'because' }, '/reasonCode', /must be one of/],
    [{ ...reason, extra: 1 }, '/extra', /not a known property/],
  ])('bad override %p is a 400 at %s', async (body, path, message) => {
    const original = await create(t.keys.submitterA)
    const res = await override(original.id, t.keys.submitterA, body).expect(400)
    expect(res.body.errors).toContainEqual({ path, message: expect.stringMatching(message) })
    const read = await t
      .http()
      .get(`/v1/assessments/${original.id}`)
      .set(bearer(t.keys.submitterA))
      .expect(200)
    expect(read.body.overrides).toEqual([])
  })

  test('who may: not another org’s submitter (404), not an auditor (403)', async () => {
    const original = await create(t.keys.submitterA)
    await override(original.id, t.keys.submitterB, reason).expect(404)
    await override(original.id, t.keys.auditor, reason).expect(403)
    await override('no-such-id', t.keys.admin, reason).expect(404)
  })

  test('an admin acts for the whole deployment: it may override any org’s assessment, and is named', async () => {
    const original = await create(t.keys.submitterA)
    const admin = await t.app.apiKeys.create('nirs', 'admin')
    const res = await override(original.id, admin.key, reason).expect(201)
    // The record belongs to the assessment's org; the key that made it is on it and in the log.
    expect(res.body).toMatchObject({ org: 'org-a', keyId: admin.record.id })
    const read = await t
      .http()
      .get(`/v1/assessments/${original.id}`)
      .set(bearer(t.keys.submitterA))
      .expect(200)
    expect(read.body.overrides[0].keyId).toBe(admin.record.id)
    const events = await t
      .http()
      .get('/v1/audit/events')
      .query({ recordId: res.body.id })
      .set(bearer(t.keys.auditor))
      .expect(200)
    expect(events.body.items).toEqual([
      expect.objectContaining({ kind: 'override', keyId: admin.record.id, org: 'org-a' }),
    ])
  })
})
