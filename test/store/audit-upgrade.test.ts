import { generateKeyPairSync } from 'node:crypto'
import Database from 'better-sqlite3'
import { auditService } from '../../src/services/audit'
import { readMigrations } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import { sqliteDatabase } from '../helpers/databases'

let db: ReturnType<typeof sqliteDatabase>
beforeEach(() => {
  db = sqliteDatabase()
})
afterEach(() => db.cleanup())

/** A database as the first release left it: its two migrations, keys (one revoked), an assessment. */
function firstReleaseDatabase(file: string) {
  const sqlite = new Database(file)
  sqlite.exec(
    'CREATE TABLE "_placement_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)',
  )
  for (const m of readMigrations('sqlite').slice(0, 2)) {
    sqlite.exec(m.sql)
    sqlite
      .prepare('INSERT INTO "_placement_migrations" VALUES (?, ?, ?)')
      .run(m.name, m.checksum, '2026-11-26T00:00:00.000Z')
  }
  const at = (s: string) => new Date(s).getTime()
  const key = sqlite.prepare(
    'INSERT INTO api_keys (id, org, role, hash, label, "createdAt", "revokedAt") VALUES (?, ?, ?, ?, NULL, ?, ?)',
  )
  key.run('k1', 'NIRS', 'submitter', 'h1', at('2026-11-26T01:00:00Z'), null)
  key.run('k2', 'NIRS', 'admin', 'h2', at('2026-11-26T01:00:01Z'), at('2026-11-26T05:00:00Z'))
  sqlite
    .prepare(
      `INSERT INTO assessments (id, "createdAt", org, "keyId", "applicationName", recommendation, "policyId", "policyVersion", document, "requestHash", "idempotencyKey", supersedes)
       VALUES ('a1', ?, 'NIRS', 'k1', 'ERP', 'hypervisor', 'nirs-paper-v1', 1, '{}', 'r', NULL, NULL)`,
    )
    .run(at('2026-11-26T02:00:00Z'))
  sqlite.close()
}

describe('upgrading a first-release database to the audit log', () => {
  test('earlier records are chained once, oldest first; revocations keep their time; the log verifies', async () => {
    firstReleaseDatabase(db.file)
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    try {
      const entries = await store.audit.range(1, 100)
      expect(entries.map((e) => [e.kind, e.recordId])).toEqual([
        ['key', 'k1'],
        ['key', 'k2'],
        ['assessment', 'a1'],
        ['revocation', 'k2'],
      ])
      const keys = await store.apiKeys.list()
      expect(keys.map((k) => k.revokedAt?.toISOString() ?? null)).toEqual([null, '2026-11-26T05:00:00.000Z'])
      const audit = auditService(store.audit, generateKeyPairSync('ed25519').privateKey, {
        checkpointEvery: 1000,
        checkpointSeconds: 300,
        retentionDays: null,
      })
      await audit.checkpoint()
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 4 })
    } finally {
      await store.close()
    }
    // A second start adopts nothing more: the log is no longer empty.
    const again = await openStore({ databaseUrl: db.url, migrate: true })
    try {
      expect((await again.audit.head()).seq).toBe(4)
    } finally {
      await again.close()
    }
  })
})
