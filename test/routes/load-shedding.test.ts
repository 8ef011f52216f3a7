import type { FastifyInstance } from 'fastify'
import { openStore } from '../../src/store/open-store'
import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

/** Waits, turn by turn of the event loop, until the service's own measure says so. */
async function until(app: FastifyInstance, underPressure: boolean) {
  const started = Date.now()
  while (app.isUnderPressure() !== underPressure) {
    if (Date.now() - started > 10000) throw new Error('the pressure measure did not change')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function expectShed(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) {
  expect(res.status).toBe(503)
  expect(res.headers['retry-after']).toBe('5')
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.body.type).toBe('urn:placement:problem:service-unavailable')
  expect(res.body.detail).toMatch(/overloaded/)
}

describe('load shedding', () => {
  let db: ThrowawayDatabase
  let t: TestApp
  let waiting = 0
  beforeAll(async () => {
    db = await throwawayDatabase()
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    const load = store.load
    // The database's queue, as a flood would fill it.
    store.load = () => ({ ...load(), waiting: load().waiting + waiting })
    t = await createTestApp({
      store,
      env: {
        DATABASE_URL: db.url,
        PRESSURE_MAX_DB_WAITING: '10',
        PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '100',
        PRESSURE_SAMPLE_INTERVAL_MS: '400',
      },
    })
  })
  afterAll(async () => {
    await t.app.close()
    await db.cleanup()
  })

  test('a database queue past its limit: new requests get 503 at once, liveness still answers', async () => {
    waiting = 1000
    await until(t.app, true)
    expectShed(await t.http().post('/v1/evaluate').set(bearer(t.keys.submitterA)).send(publicPortal()))
    expectShed(await t.http().get('/readyz'))
    await t.http().get('/healthz').expect(200)
    waiting = 0
    await until(t.app, false)
    await t.http().post('/v1/evaluate').set(bearer(t.keys.submitterA)).send(publicPortal()).expect(200)
  })

  test('a lagging event loop: requests are shed until it recovers', async () => {
    // Keep the event loop lagging, as a stream of expensive requests would: 150 ms of work at a
    // time with a turn of the loop between (so requests still get through), until told to stop.
    let lagging = true
    const lagger = (async () => {
      while (lagging) {
        const slice = Date.now() + 150
        while (Date.now() < slice) {
          // busy
        }
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    await until(t.app, true)
    expectShed(await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)))
    await t.http().get('/healthz').expect(200)
    lagging = false
    await lagger
    await until(t.app, false)
    await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)).expect(200)
  })
})
