import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { postgresDatabase, type ThrowawayDatabase } from '../helpers/databases'
import { TcpProxy } from '../helpers/tcp-proxy'

let db: ThrowawayDatabase
let proxy: TcpProxy
let t: TestApp

beforeEach(async () => {
  db = await postgresDatabase()
  proxy = await TcpProxy.start(new URL(db.url))
  t = await createTestApp({
    env: {
      DATABASE_URL: proxy.urlFor(db.url),
      MIGRATE_ON_START: 'true',
      // Longer than the statement timeout: waiting for a pooled connection must not add to it.
      DB_CONNECT_TIMEOUT_MS: '3000',
      DB_STATEMENT_TIMEOUT_MS: '1000',
    },
  })
})

afterEach(async () => {
  proxy.restore()
  await t.app.close()
  await proxy.close()
  await db.cleanup()
})

const create = (name: string) =>
  t.http().post('/v1/assessments').set(bearer(t.keys.submitterA)).send(publicPortal(name))

function expectUnavailable(res: {
  status: number
  headers: Record<string, string>
  body: Record<string, unknown>
}) {
  expect(res.status).toBe(503)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.headers['retry-after']).toBe('5')
  expect(res.body.type).toBe('urn:placement:problem:service-unavailable')
  expect(JSON.stringify(res.body)).not.toMatch(/terminated|ECONN|5432/)
}

describe('PostgreSQL outage', () => {
  test('a lost database gives 503 problems, then the service recovers on its own', async () => {
    const before = await create('Before').expect(201)

    proxy.cut()
    expectUnavailable(await create('During'))
    expectUnavailable(await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)))
    expectUnavailable(await t.http().get('/readyz'))
    await t.http().get('/healthz').expect(200)

    proxy.restore()
    await t.http().get('/readyz').expect(200)
    const after = await create('After').expect(201)
    const list = await t.http().get('/v1/assessments').set(bearer(t.keys.auditor)).expect(200)
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([after.body.id, before.body.id])
  })

  test('a database that stops answering gives 503 within the timeouts, not a hang', async () => {
    await create('Warm-up').expect(201)
    proxy.stall()
    const started = Date.now()
    expectUnavailable(await create('Stalled'))
    // Statement timeout 1 s + the client's 1 s grace, with room for a slow machine.
    expect(Date.now() - started).toBeLessThan(5000)
    proxy.restore()
    await t.http().get('/readyz').expect(200)
    await create('Recovered').expect(201)
  })

  test('under load, a blackholed database answers every request 503 within the bound', async () => {
    const bound = t.config.DB_STATEMENT_TIMEOUT_MS + 1000
    // Fill the pool with live connections first, so that requests queue for them.
    await Promise.all(Array.from({ length: 24 }, (_, i) => create(`Warm-up ${i}`).expect(201)))
    // 40 requests of every kind in flight, with more than the pool's 10 connections' worth,
    // some started before the database stops answering and some after.
    const timed = async (send: () => PromiseLike<{ status: number }>) => {
      const started = Date.now()
      const res = await send()
      return { status: res.status, ms: Date.now() - started }
    }
    const one = (i: number) =>
      timed(() =>
        i % 4 === 0
          ? t.http().get('/v1/assessments').set(bearer(t.keys.auditor))
          : i % 4 === 1
            ? t
                .http()
                .post('/v1/evaluate')
                .set(bearer(t.keys.submitterA))
                .send(publicPortal(`E${i}`))
            : create(`Load ${i}`),
      )
    const early = Array.from({ length: 20 }, (_, i) => one(i))
    proxy.stall()
    const late = Array.from({ length: 20 }, (_, i) => one(i + 20))
    const results = await Promise.all([...early, ...late])
    for (const r of results) {
      expect([201, 200, 503]).toContain(r.status)
      // The bound the README states, plus room for a loaded machine's scheduling.
      expect(r.ms).toBeLessThan(bound + 750)
    }
    expect(results.filter((r) => r.status === 503).length).toBeGreaterThan(20)
    proxy.restore()
    await t.http().get('/readyz').expect(200)
    await create('Recovered').expect(201)
  })
})
