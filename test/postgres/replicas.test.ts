import { generateKeyPairSync } from 'node:crypto'
import { apiKeyService } from '../../src/services/api-keys'
import { migratePostgres } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import { ledger, publicPortal } from '../fixtures/descriptors'
import { postgresDatabase, type ThrowawayDatabase } from '../helpers/databases'
import { type ServerProcess, startServer } from '../helpers/server-process'

let db: ThrowawayDatabase
let replicas: ServerProcess[]
let key: string
let auditorKey: string

beforeAll(async () => {
  db = await postgresDatabase()
  // As in production: migrate once, then start replicas that check but do not migrate.
  await migratePostgres(db.url)
  const store = await openStore({ databaseUrl: db.url, migrate: false })
  key = (await apiKeyService(store.apiKeys).create('org-r', 'submitter')).key
  auditorKey = (await apiKeyService(store.apiKeys).create('audit-office', 'auditor')).key
  await store.close()
  // Replicas share one signing key, as production configures it.
  const signing = generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()
  replicas = await Promise.all(
    [1, 2].map(() => startServer({ DATABASE_URL: db.url, AUDIT_SIGNING_KEY: signing })),
  )
})

afterAll(async () => {
  const codes = await Promise.all(replicas.map((r) => r.stop()))
  await db.cleanup()
  expect(codes).toEqual([0, 0])
})

async function call(
  replica: ServerProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${replica.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { id: string } }
}

const first = () => replicas[0] as ServerProcess
const second = () => replicas[1] as ServerProcess

describe('two replicas on one PostgreSQL', () => {
  test('concurrent creates on both lose nothing; each reads what the other wrote', async () => {
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        call(i % 2 ? first() : second(), 'POST', '/v1/assessments', publicPortal(`Replica ${i}`)),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(Array(80).fill(201))
    const ids = new Set(results.map((r) => r.body.id))
    expect(ids.size).toBe(80)
    for (const [i, r] of results.entries()) {
      const other = i % 2 ? second() : first()
      expect((await call(other, 'GET', `/v1/assessments/${r.body.id}`)).status).toBe(200)
    }
  })

  test('the same Idempotency-Key sent to both replicas at once yields one assessment', async () => {
    for (let round = 0; round < 10; round++) {
      const headers = { 'idempotency-key': `both-${round}` }
      const results = await Promise.all([
        call(first(), 'POST', '/v1/assessments', ledger(`Race ${round}`), headers),
        call(second(), 'POST', '/v1/assessments', ledger(`Race ${round}`), headers),
        call(first(), 'POST', '/v1/assessments', ledger(`Race ${round}`), headers),
        call(second(), 'POST', '/v1/assessments', ledger(`Race ${round}`), headers),
      ])
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201])
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1)
    }
    const list = await call(first(), 'GET', '/v1/assessments?application=Race&limit=100')
    expect((list.body.items as unknown[]).length).toBe(10)
  })

  test('paging on one replica while the other inserts neither repeats nor skips', async () => {
    for (let i = 0; i < 5; i++) await call(first(), 'POST', '/v1/assessments', publicPortal(`Paged ${i}`))
    const expected = (
      (await call(first(), 'GET', '/v1/assessments?limit=100&application=Paged')).body.items as {
        id: string
      }[]
    ).map((i) => i.id)
    const seen: string[] = []
    let cursor: string | null = null
    let inserts = 0
    do {
      const page: { body: Record<string, unknown> } = await call(
        first(),
        'GET',
        `/v1/assessments?limit=2&application=Paged${cursor ? `&cursor=${cursor}` : ''}`,
      )
      seen.push(...(page.body.items as { id: string }[]).map((i) => i.id))
      cursor = page.body.nextCursor as string | null
      await call(second(), 'POST', '/v1/assessments', publicPortal(`Paged late ${inserts++}`))
    } while (cursor)
    expect(seen).toEqual(expected)
  })

  test('the audit log stays one gapless chain while both replicas write and sign at once', async () => {
    const writes = Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(i % 2 ? first() : second(), 'POST', '/v1/assessments', publicPortal(`Logged ${i}`)),
      ),
    )
    const signs = Promise.all(
      [first(), second(), first(), second()].map((r) =>
        call(r, 'POST', '/v1/audit/checkpoints', undefined, { authorization: `Bearer ${auditorKey}` }),
      ),
    )
    const [created, signed] = await Promise.all([writes, signs])
    expect(created.map((r) => r.status)).toEqual(Array(60).fill(201))
    expect(signed.map((r) => r.status)).toEqual([201, 201, 201, 201])
    const auditor = { authorization: `Bearer ${auditorKey}` }
    await call(first(), 'POST', '/v1/audit/checkpoints', undefined, auditor)
    const verified = await call(second(), 'GET', '/v1/audit/verify', undefined, auditor)
    expect(verified.body).toMatchObject({ ok: true, firstInvalidId: null })
    const store = await openStore({ databaseUrl: db.url, migrate: false })
    try {
      const entries = await store.audit.range(1, 1_000_000)
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1))
      const assessments = entries.filter((e) => e.kind === 'assessment').map((e) => e.recordId)
      for (const r of created) expect(assessments).toContain(r.body.id)
      expect(verified.body.checked).toBe(entries.length)
    } finally {
      await store.close()
    }
  })
})
