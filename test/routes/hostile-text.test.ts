import { publicPortal } from '../fixtures/descriptors'
import { tinyPolicy } from '../fixtures/policies'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

/** JSON text with a lone surrogate escape, which JSON.parse accepts and UTF-8 cannot encode. */
const withLoneSurrogate = (body: object, field: string) =>
  JSON.stringify(body).replace(`"${field}"`, '"a\\ud800b"')

const problemJson = (res: { headers: Record<string, string> }) =>
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)

describe('hostile text is refused at the edge, the same on both stores', () => {
  test('an unpaired surrogate in an application name is a 400 naming the field, and nothing is stored', async () => {
    const body = withLoneSurrogate({ ...publicPortal(), application: { name: 'MARK' } }, 'MARK')
    const res = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400)
    problemJson(res)
    expect(res.body.errors).toEqual([
      { path: '/application/name', message: expect.stringContaining('unpaired surrogate') },
    ])
    const list = await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)).expect(200)
    expect(list.body.items).toEqual([])
  })

  test('…and in an override reason; a paired surrogate (an emoji, a rare Hanja) is fine', async () => {
    const created = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .send(publicPortal('𠀀 Portal 😀'))
      .expect(201)
    expect(created.body.application.name).toBe('𠀀 Portal 😀')
    // Read back as each store gives the document's bytes (SQLite a BLOB, PostgreSQL a bytea):
    // four-byte characters and Korean come back whole.
    const read = await t
      .http()
      .get(`/v1/assessments/${created.body.id}`)
      .set(bearer(t.keys.submitterA))
      .set('Accept-Language', 'ko')
      .expect(200)
    expect(read.body.application.name).toBe('𠀀 Portal 😀')
    expect(read.body.rationale[0].message).toMatch(/[가-힣]/)
    const body = withLoneSurrogate({ placement: 'hypervisor', reasonCode: 'other', reason: 'MARK' }, 'MARK')
    const res = await t
      .http()
      .post(`/v1/assessments/${created.body.id}/override`)
      .set(bearer(t.keys.submitterA))
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400)
    expect(res.body.errors[0].path).toBe('/reason')
  })

  test('a path that is not a valid URL is a problem, not Fastify’s own JSON', async () => {
    const res = await t.http().get('/v1/assessments/%').set(bearer(t.keys.submitterA)).expect(400)
    problemJson(res)
    expect(res.body).toMatchObject({ type: 'urn:placement:problem:malformed-request', status: 400 })
  })

  test('a policy may not name a platform or criterion after JavaScript’s own properties', async () => {
    const policy = tinyPolicy()
    policy.platforms = ['vm', 'constructor']
    policy.ratings = { vm: policy.ratings.vm as Record<string, number>, constructor: { safety: 1, speed: 1 } }
    policy.criteria = [{ name: 'toString', baseWeight: 1 }, ...policy.criteria]
    const res = await t.http().post('/v1/policies').set(bearer(t.keys.admin)).send(policy).expect(400)
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/platforms/1', message: expect.stringContaining('every JavaScript object has') },
        { path: '/criteria/0/name', message: expect.stringContaining('every JavaScript object has') },
      ]),
    )
  })
})

describe('the work a bad body causes is bounded', () => {
  /** An evaluation whose characteristics carry `count` unknown keys named by `name`. */
  const withUnknownKeys = (count: number, name: (i: number) => string) => {
    const characteristics: Record<string, unknown> = { ...publicPortal().characteristics }
    for (let i = 0; i < count; i++) characteristics[name(i)] = 1
    return t
      .http()
      .post('/v1/evaluate')
      .set(bearer(t.keys.auditor))
      .send({ ...publicPortal(), characteristics })
  }

  test('90 000 unknown keys (just under 1 MiB): a quick 400 with one problem named and the rest said, not megabytes', async () => {
    const res = await withUnknownKeys(90_000, (i) => `k${i}`).expect(400)
    problemJson(res)
    expect(res.body.errors.length).toBeLessThanOrEqual(21)
    expect(res.body.errors[0]).toMatchObject({ path: expect.stringMatching(/^\/characteristics\/k\d+$/) })
    expect(res.body.errors[res.body.errors.length - 1].message).toMatch(/too large to list every problem/)
    expect(res.text.length).toBeLessThan(10_000)
  })

  test('a body of many problems lists twenty and says how many more', async () => {
    const res = await withUnknownKeys(50, (i) => `unknown${i}`).expect(400)
    expect(res.body.errors).toHaveLength(21)
    expect(res.body.errors[20]).toEqual({ path: '/', message: 'and 30 more problem(s), not listed' })
  })
})
