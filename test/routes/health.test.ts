import { createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

describe('operations routes', () => {
  test('GET /healthz answers without a key', async () => {
    const res = await t.http().get('/healthz').expect(200)
    expect(res.body).toEqual({ status: 'ok' })
    expect(res.headers['x-request-id']).toBeDefined()
  })

  test('GET /readyz is 200 while the database answers', async () => {
    await t.http().get('/readyz').expect(200, { status: 'ready' })
  })

  test('GET /readyz is a 503 problem with Retry-After when the database does not answer', async () => {
    t.app.store.ping = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432')
    }
    const res = await t.http().get('/readyz').expect(503)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body).toMatchObject({ status: 503, type: 'urn:placement:problem:service-unavailable' })
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED')
  })

  test('GET /docs serves Swagger UI and the same document as openapi.yaml', async () => {
    const ui = await t.http().get('/docs').expect(200)
    expect(ui.text).toContain('swagger')
    expect(ui.headers['content-security-policy']).toContain("script-src 'self'")
    expect(ui.headers['content-security-policy']).not.toContain('upgrade-insecure-requests')
    const init = await t.http().get('/docs/static/swagger-initializer.js').expect(200)
    expect(init.text).not.toContain('validator.swagger.io')
    const spec = await t.http().get('/docs/json').expect(200)
    expect(spec.body.openapi).toBe('3.1.0')
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/assessments',
        '/v1/assessments/{id}',
        '/v1/evaluate',
        '/healthz',
        '/readyz',
      ]),
    )
    const asset = await t.http().get('/docs/static/swagger-ui-bundle.js').expect(200)
    expect(asset.text.length).toBeGreaterThan(100_000)
  })

  test('a caller-supplied X-Request-Id is echoed back when it is safe', async () => {
    const res = await t.http().get('/healthz').set('X-Request-Id', 'portal-42').expect(200)
    expect(res.headers['x-request-id']).toBe('portal-42')
    for (const unsafe of ['has spaces', 'x'.repeat(65), '{"json":1}']) {
      const res = await t.http().get('/healthz').set('X-Request-Id', unsafe).expect(200)
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    }
  })
})
