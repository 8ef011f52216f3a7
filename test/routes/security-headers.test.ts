import { API_HEADERS, DOCUMENT_HEADERS } from '../../src/plugins/security-headers'
import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

const PORTAL = 'https://portal.example.go.kr'
/** helmet's headers for rendered documents that an API answer does without (OWASP's REST cheat sheet). */
const DOCUMENT_ONLY = [
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]

describe('security headers', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: PORTAL } })
  })
  afterAll(async () => t.close())

  test.each([
    ['a stored assessment', '/v1/assessments', 200],
    ['a problem', '/v1/assessments/nope', 404],
    ['an unknown route', '/nowhere', 404],
    ['liveness', '/healthz', 200],
  ])(
    '%s: the API set (nosniff, no-store, a CSP that allows nothing, no framing)',
    async (_what, path, status) => {
      const res = await t.http().get(path).set(bearer(t.keys.auditor)).expect(status)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'")
      expect(res.headers['x-frame-options']).toBe('DENY')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/)
      // The headers that govern a rendered document's own loading and windows are left out.
      for (const documentOnly of DOCUMENT_ONLY) expect(res.headers[documentOnly]).toBeUndefined()
    },
  )

  test.each([
    ['a page', '/history'],
    ['a page refusing its query', '/history?lang=fr'],
    ['a page asset', '/assets/report.js'],
    ['Swagger UI', '/docs'],
  ])('%s: helmet’s document set in place of the API’s', async (_what, path) => {
    const res = await t.http().get(path)
    expect(res.status).toBeLessThan(500)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/)
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/)
    for (const documentOnly of DOCUMENT_ONLY) expect(res.headers[documentOnly]).toBeDefined()
  })

  test('the document set names every header of the API set, so it replaces them all', () => {
    for (const name of Object.keys(API_HEADERS)) expect(DOCUMENT_HEADERS).toHaveProperty(name)
    expect(Object.keys(API_HEADERS).sort()).toEqual([
      'cache-control',
      'content-security-policy',
      'referrer-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
    ])
  })

  test('a listed portal gets its preflight answered, and may read the answer', async () => {
    const pre = await t
      .http()
      .options('/v1/assessments')
      .set('Origin', PORTAL)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key')
    expect(pre.status).toBe(204)
    expect(pre.headers['access-control-allow-origin']).toBe(PORTAL)
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/)
    expect(pre.headers['access-control-allow-methods']).toMatch(/POST/)

    const res = await t
      .http()
      .post('/v1/assessments')
      .set('Origin', PORTAL)
      .set(bearer(t.keys.submitterA))
      .send(publicPortal())
      .expect(201)
    expect(res.headers['access-control-allow-origin']).toBe(PORTAL)
    expect(res.headers['access-control-expose-headers']).toMatch(/Location/)
  })

  test('another origin gets no CORS grant, on the preflight or the request', async () => {
    const pre = await t
      .http()
      .options('/v1/assessments')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST')
    expect(pre.status).toBeLessThan(300)
    expect(pre.headers['access-control-allow-origin']).toBeUndefined()
    const res = await t
      .http()
      .get('/v1/assessments')
      .set('Origin', 'https://evil.example')
      .set(bearer(t.keys.auditor))
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('CORS by default', () => {
  test('no origin is granted unless configured', async () => {
    const t = await createTestApp()
    try {
      const pre = await t
        .http()
        .options('/v1/assessments')
        .set('Origin', PORTAL)
        .set('Access-Control-Request-Method', 'POST')
      expect(pre.headers['access-control-allow-origin']).toBeUndefined()
      expect(pre.status).toBe(404)
      // Nothing is checked or said about CORS at all: no Vary on Origin, no exposed headers.
      const res = await t.http().get('/healthz').set('Origin', PORTAL).expect(200)
      expect(res.headers.vary).toBeUndefined()
      expect(res.headers['access-control-expose-headers']).toBeUndefined()
      expect(res.headers['access-control-allow-origin']).toBeUndefined()
    } finally {
      await t.close()
    }
  })
})

describe('no-store, and who may replace it', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(async () => t.close())

  test('a request refused before routing (a path that is not a URL) is not cached either', async () => {
    const res = await t.http().get('/v1/assessments/%zz').expect(400)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(res.headers['cache-control']).toBe('no-store')
  })

  test('the page assets keep the cache policy of the server that sends them', async () => {
    const res = await t.http().get('/assets/report.js').expect(200)
    expect(res.headers['cache-control']).toBeDefined()
    expect(res.headers['cache-control']).not.toBe('no-store')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })
})

describe('trustProxy', () => {
  const clientAddress = async (env: NodeJS.ProcessEnv) => {
    const t = await createTestApp({ env })
    try {
      t.app.get('/__ip', async (request) => ({ ip: request.ip }))
    } catch {
      // Routes can no longer be added once the app is ready; read the address from a log instead.
    }
    await t.close()
  }
  void clientAddress
})
