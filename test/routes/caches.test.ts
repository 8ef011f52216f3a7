import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { publicPortal } from '../fixtures/descriptors'
import { tinyPolicy } from '../fixtures/policies'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { TEST_STORE, type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'
import { rawDatabase } from '../helpers/raw-db'

const exec = promisify(execFile)
const ROOT = path.resolve(__dirname, '..', '..')

/** The service's promise (README): a change made by any process is seen everywhere within this. */
const BOUND_MS = 1000

let db: ThrowawayDatabase
let a: TestApp
let b: TestApp
/** API key lookups that reached each replica's store. */
const lookups = { a: 0, b: 0 }

beforeEach(async () => {
  db = await throwawayDatabase()
  a = await createTestApp({ env: { DATABASE_URL: db.url } })
  b = await createTestApp({ env: { DATABASE_URL: db.url } })
  lookups.a = 0
  lookups.b = 0
  for (const [name, t] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const find = t.app.store.apiKeys.findByHash.bind(t.app.store.apiKeys)
    t.app.store.apiKeys.findByHash = (hash) => {
      lookups[name]++
      return find(hash)
    }
  }
})
afterEach(async () => {
  await b.app.close()
  await a.close()
  await db.cleanup()
})

/** Sends requests until `done` says so; resolves with the time it took, or rejects past 5 s. */
async function timeUntil(send: () => Promise<boolean>): Promise<number> {
  const started = Date.now()
  while (!(await send())) {
    if (Date.now() - started > 5000) throw new Error('the change was never seen')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return Date.now() - started
}

const evaluate = (t: TestApp, key: string) =>
  t.http().post('/v1/evaluate').set(bearer(key)).send(publicPortal())

describe('cached keys', () => {
  test('a known key is looked up once, not on every request', async () => {
    for (let i = 0; i < 20; i++) await evaluate(a, a.keys.submitterA).expect(200)
    expect(lookups.a).toBe(1)
  })

  test('unknown keys are never kept, so guessing cannot fill the cache', async () => {
    for (let i = 0; i < 50; i++) await evaluate(a, `plc_guess${i}`).expect(401)
    expect(lookups.a).toBe(50)
    expect(a.app.apiKeys.cached()).toBe(0)
  })

  test('a key revoked by the CLI, another process, stops working on every replica within the bound', async () => {
    const key = await a.app.apiKeys.create('org-c', 'submitter')
    await evaluate(a, key.key).expect(200)
    await evaluate(b, key.key).expect(200)
    const before = { ...lookups }
    await evaluate(a, key.key).expect(200)
    await evaluate(b, key.key).expect(200)
    // Served from the caches.
    expect(lookups).toEqual(before)

    await exec(
      process.execPath,
      ['--require', 'tsx/cjs', 'src/cli/main.ts', 'keys', 'revoke', key.record.id],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url },
      },
    )
    const [onA, onB] = await Promise.all(
      [a, b].map((t) => timeUntil(async () => (await evaluate(t, key.key)).status === 401)),
    )
    expect(onA).toBeLessThan(BOUND_MS)
    expect(onB).toBeLessThan(BOUND_MS)
  })

  test('while the store cannot be asked whether anything changed, the caches are not used', async () => {
    const key = await a.app.apiKeys.create('org-d', 'submitter')
    await evaluate(a, key.key).expect(200)
    // The change marker stops answering, and the key is revoked behind the service's back.
    a.app.store.changeMarker = () => Promise.reject(new Error('no answer'))
    const raw = await rawDatabase(db.url)
    await raw.exec(
      'INSERT INTO api_key_revocations ("keyId", "revokedAt") SELECT "id", "createdAt" FROM api_keys WHERE "id" = $1',
      [key.record.id],
    )
    await raw.close()
    const took = await timeUntil(async () => (await evaluate(a, key.key)).status === 401)
    expect(took).toBeLessThan(BOUND_MS + 300)
  })
})

describe('cached active policy', () => {
  test('an activation on one replica is used by the other within the bound', async () => {
    await a.http().post('/v1/policies').set(bearer(a.keys.admin)).send(tinyPolicy('cache')).expect(201)
    expect((await evaluate(b, b.keys.submitterA).expect(200)).body.policy.id).toBe('nirs-paper-v2')
    await a.http().post('/v1/policies/cache-v1/activate').set(bearer(a.keys.admin)).expect(200)
    // The replica that activated uses it at once.
    expect((await evaluate(a, a.keys.submitterA).expect(200)).body.policy.id).toBe('cache-v1')
    const took = await timeUntil(
      async () => (await evaluate(b, b.keys.submitterA)).body.policy?.id === 'cache-v1',
    )
    expect(took).toBeLessThan(BOUND_MS)
  })
})

const onPostgres = TEST_STORE === 'postgres' ? describe : describe.skip

onPostgres('PostgreSQL pushes changes (LISTEN/NOTIFY)', () => {
  test('with polling all but off, a revocation elsewhere is still seen at once', async () => {
    const slow = { DATABASE_URL: db.url, CACHE_POLL_MS: '60000', CACHE_MAX_STALE_MS: '600000' }
    const c = await createTestApp({ env: slow })
    const d = await createTestApp({ env: slow })
    try {
      const key = await c.app.apiKeys.create('org-n', 'submitter')
      await evaluate(d, key.key).expect(200)
      await c.app.apiKeys.revoke(key.record.id)
      const took = await timeUntil(async () => (await evaluate(d, key.key)).status === 401)
      expect(took).toBeLessThan(BOUND_MS)
    } finally {
      await d.app.close()
      await c.app.close()
    }
  })
})
