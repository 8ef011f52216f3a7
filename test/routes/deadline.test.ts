import { openStore } from '../../src/store/open-store'
import type { Store } from '../../src/store/types'
import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

let db: ThrowawayDatabase
let store: Store
let t: TestApp
/** Writes wait for this gate, as they would for a database that has stalled. */
let openGate: () => void = () => {}

beforeEach(async () => {
  db = await throwawayDatabase()
  store = await openStore({ databaseUrl: db.url, migrate: true })
  const gate = new Promise<void>((resolve) => {
    openGate = resolve
  })
  const insert = store.assessments.insert.bind(store.assessments)
  store.assessments.insert = async (record) => {
    await gate
    return insert(record)
  }
  t = await createTestApp({ store, env: { DATABASE_URL: db.url, REQUEST_DEADLINE_MS: '300' } })
})

afterEach(async () => {
  openGate()
  await t.app.close()
  await db.cleanup()
})

describe('request deadline', () => {
  test('a request whose database work stalls is answered 503 at its deadline, and a keyed retry is safe', async () => {
    const started = Date.now()
    const res = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .set('Idempotency-Key', 'stalled-1')
      .send(publicPortal('Stalled'))
    const elapsed = Date.now() - started
    expect(res.status).toBe(503)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body.type).toBe('urn:placement:problem:service-unavailable')
    expect(res.body.detail).toMatch(/within 300 ms.*Idempotency-Key/)
    expect(elapsed).toBeGreaterThanOrEqual(290)
    expect(elapsed).toBeLessThan(2000)
    // Liveness does not wait on the database.
    await t.http().get('/healthz').expect(200)

    // The database answers again: the late write lands, and the retry finds it instead of a twin.
    openGate()
    await (store.assessments as unknown as { flushed(): Promise<void> }).flushed?.()
    const retry = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .set('Idempotency-Key', 'stalled-1')
      .send(publicPortal('Stalled'))
    expect([200, 201]).toContain(retry.status)
    const list = await t.http().get('/v1/assessments').set(bearer(t.keys.submitterA)).expect(200)
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([retry.body.id])
  })
})
