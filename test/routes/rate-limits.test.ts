import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

const evaluate = (t: TestApp, key: string) =>
  t.http().post('/v1/evaluate').set(bearer(key)).send(publicPortal())

describe('per-key rate limit', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' } })
  })
  afterAll(async () => t.close())

  test('a key past its limit gets 429 problems with Retry-After; another key is not held up', async () => {
    for (let i = 0; i < 5; i++) {
      const ok = await evaluate(t, t.keys.submitterA).expect(200)
      expect(ok.headers['ratelimit-limit']).toBe('5')
      expect(ok.headers['ratelimit-remaining']).toBe(String(4 - i))
    }
    const refused = await evaluate(t, t.keys.submitterA).expect(429)
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(refused.body.type).toBe('urn:placement:problem:rate-limited')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect(refused.headers['ratelimit-remaining']).toBe('0')
    // A refused request costs no database write and no decision; other keys go on.
    await t.http().get('/v1/assessments').set(bearer(t.keys.submitterA)).expect(429)
    await evaluate(t, t.keys.submitterB).expect(200)
    // Probes are never limited.
    await t.http().get('/healthz').expect(200)
  })
})

describe('per-address limit before authentication', () => {
  const refusedAfterFailures = async (t: TestApp, from: (i: number) => string) => {
    for (let i = 0; i < 3; i++) {
      await t.http().get('/v1/assessments').set('X-Forwarded-For', from(i)).set(bearer('guess')).expect(401)
    }
  }

  test('an address that keeps failing authentication is refused, but for keys already in use', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_UNAUTHENTICATED_MAX: '3' } })
    try {
      // The auditor works from this address before the guessing starts.
      await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)).expect(200)
      await refusedAfterFailures(t, () => '203.0.113.9')
      const res = await t
        .http()
        .get('/v1/assessments')
        .set('Authorization', 'Bearer another-guess')
        .expect(429)
      expect(res.body.type).toBe('urn:placement:problem:rate-limited')
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
      // No key at all: refused before anything is looked up.
      await t.http().get('/v1/assessments').expect(429)
      // A key this replica already verified goes on working...
      await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)).expect(200)
      // ...a key it has not seen yet waits for the window, as a guess would.
      await t.http().get('/v1/assessments').set(bearer(t.keys.submitterB)).expect(429)
      // Without TRUST_PROXY, X-Forwarded-For is the client's say-so and is not believed.
      await t
        .http()
        .get('/v1/assessments')
        .set('X-Forwarded-For', '198.51.100.1')
        .set(bearer(t.keys.submitterB))
        .expect(429)
    } finally {
      await t.close()
    }
  })

  test('behind a trusted proxy, each forwarded client address is counted on its own', async () => {
    const t = await createTestApp({
      env: { RATE_LIMIT_UNAUTHENTICATED_MAX: '3', TRUST_PROXY: '127.0.0.1,::1' },
    })
    try {
      await refusedAfterFailures(t, () => '203.0.113.9')
      await t
        .http()
        .get('/v1/assessments')
        .set('X-Forwarded-For', '203.0.113.9')
        .set(bearer(t.keys.auditor))
        .expect(429)
      await t
        .http()
        .get('/v1/assessments')
        .set('X-Forwarded-For', '198.51.100.1')
        .set(bearer(t.keys.auditor))
        .expect(200)
    } finally {
      await t.close()
    }
  })
})

const redisUrl = process.env.TEST_REDIS_URL
const withRedis = redisUrl ? describe : describe.skip
if (!redisUrl) process.stderr.write('Shared rate-limit test SKIPPED: set TEST_REDIS_URL to a Redis server.\n')

withRedis('rate limits shared by replicas (Redis)', () => {
  test('two replicas count one key together', async () => {
    const a = await createTestApp({ env: { RATE_LIMIT_MAX: '4', RATE_LIMIT_REDIS_URL: redisUrl } })
    const b = await createTestApp({
      env: { DATABASE_URL: a.config.DATABASE_URL, RATE_LIMIT_MAX: '4', RATE_LIMIT_REDIS_URL: redisUrl },
    })
    try {
      const key = await a.key('org-shared', 'submitter')
      await evaluate(a, key).expect(200)
      await evaluate(b, key).expect(200)
      await evaluate(a, key).expect(200)
      await evaluate(b, key).expect(200)
      await evaluate(a, key).expect(429)
      await evaluate(b, key).expect(429)
    } finally {
      await b.app.close()
      await a.close()
    }
  })
})
