import { ledger, publicPortal } from '../fixtures/descriptors'
import { PAPER_CASES } from '../fixtures/paper-cases'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const create = (key: string, body: object = publicPortal(), headers: Record<string, string> = {}) =>
  t.http().post('/v1/assessments').set(bearer(key)).set(headers).send(body)

describe('POST /v1/assessments', () => {
  test('decides, stores and answers 201 with Location', async () => {
    const res = await create(t.keys.submitterA).expect(201)
    expect(res.headers.location).toBe(`/v1/assessments/${res.body.id}`)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.body).toMatchObject({
      org: 'org-a',
      application: publicPortal().application,
      characteristics: publicPortal().characteristics,
      recommendation: 'container',
      confidence: 'high',
      policy: { id: 'nirs-paper-v2', version: 2 },
      assumed: [],
    })
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt)
    expect(res.body.criteria.map((c: { name: string }) => c.name)).toEqual([
      'stability',
      'security',
      'elasticity',
      'migrationCost',
    ])
    expect(res.body.rationale[0]).toEqual({
      code: 'RECOMMENDATION',
      message: expect.stringContaining('container'),
    })
    const read = await t
      .http()
      .get(res.headers.location as string)
      .set(bearer(t.keys.submitterA))
      .expect(200)
    expect(read.body).toEqual(res.body)
  })

  test('an admin may create; the assessment belongs to the admin key’s org', async () => {
    const res = await create(t.keys.admin, ledger()).expect(201)
    expect(res.body.org).toBe('nirs')
    expect(res.body.recommendation).toBe('hypervisor')
  })

  test('an auditor may not create (403) and nothing is stored', async () => {
    const res = await create(t.keys.auditor).expect(403)
    expect(res.body).toMatchObject({ status: 403, type: 'urn:placement:problem:forbidden' })
    expect(res.body.detail).toContain('auditor')
    const list = await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)).expect(200)
    expect(list.body.items).toEqual([])
  })

  test.each(PAPER_CASES.map((c) => [c.descriptor.application.name, c] as const))(
    'paper case over HTTP: %s',
    async (_name, paperCase) => {
      const res = await create(t.keys.submitterA, paperCase.descriptor).expect(201)
      expect(res.body.recommendation).toBe(paperCase.expect)
    },
  )

  test('rationale is in Korean when Accept-Language prefers it', async () => {
    const ko = await create(t.keys.submitterA, ledger(), {
      'Accept-Language': 'ko-KR,ko;q=0.9,en;q=0.5',
    }).expect(201)
    expect(ko.headers['content-language']).toBe('ko')
    for (const item of ko.body.rationale) expect(item.message).toMatch(/[가-힣]/)
    const en = await t
      .http()
      .get(ko.headers.location as string)
      .set(bearer(t.keys.submitterA))
      .expect(200)
    expect(en.headers['content-language']).toBe('en')
    expect(en.body.rationale.map((r: { code: string }) => r.code)).toEqual(
      ko.body.rationale.map((r: { code: string }) => r.code),
    )
    expect(en.body.rationale[1].message).toMatch(/^[A-Za-z]/)
  })

  test('an unknown policyId is a 400 naming the path', async () => {
    const res = await create(t.keys.submitterA, { ...publicPortal(), policyId: 'no-such-policy' }).expect(400)
    expect(res.body.errors).toEqual([{ path: '/policyId', message: expect.any(String) }])
  })

  test('a known policyId is honoured', async () => {
    const res = await create(t.keys.submitterA, { ...publicPortal(), policyId: 'nirs-paper-v1' }).expect(201)
    expect(res.body.policy).toEqual({ id: 'nirs-paper-v1', version: 1 })
  })
})

describe('Idempotency-Key', () => {
  test('the same key and body return the first assessment', async () => {
    const first = await create(t.keys.submitterA, publicPortal(), { 'Idempotency-Key': 'req-1' }).expect(201)
    const again = await create(t.keys.submitterA, publicPortal(), { 'Idempotency-Key': 'req-1' }).expect(201)
    expect(again.body).toEqual(first.body)
    expect(again.headers.location).toBe(first.headers.location)
    expect(again.headers['idempotent-replayed']).toBe('true')
    const list = await t.http().get('/v1/assessments').set(bearer(t.keys.submitterA)).expect(200)
    expect(list.body.items).toHaveLength(1)
  })

  test('the same key with another body is a 409 problem', async () => {
    await create(t.keys.submitterA, publicPortal(), { 'Idempotency-Key': 'req-2' }).expect(201)
    const res = await create(t.keys.submitterA, ledger(), { 'Idempotency-Key': 'req-2' }).expect(409)
    expect(res.body).toMatchObject({ status: 409, type: 'urn:placement:problem:idempotency-conflict' })
  })

  test('the same key sent many times at once yields one assessment', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        create(t.keys.submitterA, publicPortal(), { 'Idempotency-Key': 'race' }),
      ),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(201))
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1)
    const list = await t.http().get('/v1/assessments').set(bearer(t.keys.submitterA)).expect(200)
    expect(list.body.items).toHaveLength(1)
  })

  test('keys are scoped per org: another org may use the same key', async () => {
    const a = await create(t.keys.submitterA, publicPortal(), { 'Idempotency-Key': 'shared' }).expect(201)
    const b = await create(t.keys.submitterB, ledger(), { 'Idempotency-Key': 'shared' }).expect(201)
    expect(b.body.id).not.toBe(a.body.id)
  })

  test('a malformed key is a 400', async () => {
    const res = await create(t.keys.submitterA, publicPortal(), {
      'Idempotency-Key': 'x'.repeat(256),
    }).expect(400)
    expect(res.body.errors[0].path).toBe('/idempotency-key')
  })
})

describe('authentication and roles', () => {
  test.each([
    ['no Authorization header', undefined],
    ['an unknown key', 'plc_unknownunknownunknownunknownunknownunkno'],
    ['a malformed header', 'Basic dXNlcjpwYXNz'],
  ])('%s is a 401 problem on every /v1 route', async (_label, header) => {
    const calls = [
      t.http().post('/v1/assessments').send(publicPortal()),
      t.http().post('/v1/evaluate').send(publicPortal()),
      t.http().get('/v1/assessments'),
      t.http().get('/v1/assessments/anything'),
    ]
    for (const call of calls) {
      if (header) call.set('Authorization', header.startsWith('Basic') ? header : `Bearer ${header}`)
      const res = await call.expect(401)
      expect(res.headers['www-authenticate']).toBe('Bearer')
      expect(res.body).toMatchObject({ status: 401, type: 'urn:placement:problem:unauthorized' })
    }
  })

  test('a revoked key is a 401', async () => {
    const created = await t.app.apiKeys.create('org-c', 'submitter')
    await create(created.key).expect(201)
    expect(await t.app.apiKeys.revoke(created.record.id)).toBe(true)
    await create(created.key).expect(401)
  })

  test('authentication comes before validation: a bad body without a key is 401', async () => {
    await t.http().post('/v1/assessments').send({ nonsense: true }).expect(401)
  })
})

describe('GET /v1/assessments/{id}', () => {
  test('another org’s assessment is 404 to a submitter, visible to auditor and admin', async () => {
    const { body } = await create(t.keys.submitterA).expect(201)
    const other = await t.http().get(`/v1/assessments/${body.id}`).set(bearer(t.keys.submitterB)).expect(404)
    const missing = await t
      .http()
      .get('/v1/assessments/does-not-exist')
      .set(bearer(t.keys.submitterB))
      .expect(404)
    // Indistinguishable from an id that does not exist, but for the id itself.
    expect(other.body.type).toBe(missing.body.type)
    expect(other.body.title).toBe(missing.body.title)
    await t.http().get(`/v1/assessments/${body.id}`).set(bearer(t.keys.auditor)).expect(200)
    await t.http().get(`/v1/assessments/${body.id}`).set(bearer(t.keys.admin)).expect(200)
  })

  test('an over-long id is a 400', async () => {
    await t
      .http()
      .get(`/v1/assessments/${'x'.repeat(65)}`)
      .set(bearer(t.keys.auditor))
      .expect(400)
  })
})

describe('POST /v1/evaluate', () => {
  test.each(['submitterA', 'auditor', 'admin'] as const)(
    '%s may evaluate; nothing is stored',
    async (who) => {
      const res = await t.http().post('/v1/evaluate').set(bearer(t.keys[who])).send(ledger()).expect(200)
      expect(res.body.recommendation).toBe('hypervisor')
      expect(res.body).not.toHaveProperty('id')
      expect(res.body).not.toHaveProperty('createdAt')
      expect(res.body).not.toHaveProperty('org')
      expect(res.headers.location).toBeUndefined()
      const list = await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)).expect(200)
      expect(list.body.items).toEqual([])
    },
  )

  test('evaluate and create give the same decision for the same descriptor', async () => {
    const evaluated = await t
      .http()
      .post('/v1/evaluate')
      .set(bearer(t.keys.admin))
      .send(publicPortal())
      .expect(200)
    const created = await create(t.keys.admin).expect(201)
    const { id, createdAt, org, supersedes, stale, overrides, finalPlacement, ...decision } = created.body
    expect(decision).toEqual(evaluated.body)
    expect({ supersedes, stale, overrides, finalPlacement }).toEqual({
      supersedes: null,
      stale: false,
      overrides: [],
      finalPlacement: evaluated.body.recommendation,
    })
  })
})
