import { once } from 'node:events'
import { openStore } from '../src/store/open-store'
import { publicPortal } from './fixtures/descriptors'
import { type ThrowawayDatabase, throwawayDatabase } from './helpers/databases'
import { listening, spawnServer } from './helpers/server-process'

let db: ThrowawayDatabase
beforeEach(async () => {
  db = await throwawayDatabase()
})
afterEach(() => db.cleanup())

describe('the server process', () => {
  test('a bad setting stops the start with a clear message and exit code 1', async () => {
    const child = spawnServer({ PORT: 'eighty', DATABASE_URL: db.url })
    let stderr = ''
    child.stderr?.on('data', (d) => {
      stderr += d
    })
    child.stdout?.on('data', (d) => {
      stderr += String(d)
        .split('\n')
        .filter((l) => !l.includes('request'))
        .join('\n')
    })
    const [code] = await once(child, 'exit')
    expect(code).toBe(1)
    expect(stderr).toContain('PORT="eighty"')
    expect(stderr).not.toMatch(/at .*\.ts:\d+/)
  })

  test('SIGTERM finishes in-flight requests, closes the store and exits 0; every 201 is kept', async () => {
    const child = spawnServer({ DATABASE_URL: db.url, MIGRATE_ON_START: 'true' })
    const base = await listening(child)
    const seed = await openStore({ databaseUrl: db.url, migrate: false })
    const { apiKeyService } = await import('../src/services/api-keys')
    const { key } = await apiKeyService(seed.apiKeys).create('org', 'submitter')
    await seed.close()

    const post = (i: number) =>
      fetch(`${base}/v1/assessments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(publicPortal(`Shutdown ${i}`)),
      }).then(
        async (res) => ({
          status: res.status,
          type: res.headers.get('content-type') ?? '',
          body: (await res.json()) as { id?: string },
        }),
        () => ({ status: 0, type: '', body: {} as { id?: string } }),
      )

    const first = await post(-1)
    expect(first.status).toBe(201)
    const inFlight = Array.from({ length: 40 }, (_, i) => post(i))
    // Signal once the server is answering the burst, so that the rest are genuinely in flight.
    await Promise.race(inFlight)
    child.kill('SIGTERM')
    const results = await Promise.all(inFlight)
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)

    // Every request either completed or was refused; none failed half-way.
    for (const r of results) {
      expect([0, 201, 503]).toContain(r.status)
      if (r.status === 503) expect(r.type).toMatch(/^application\/problem\+json/)
    }
    const acknowledged = [first, ...results].filter((r) => r.status === 201).map((r) => r.body.id as string)
    const store = await openStore({ databaseUrl: db.url, migrate: false })
    for (const id of acknowledged) expect(await store.assessments.findById(id)).not.toBeNull()
    await store.close()
  })
})
