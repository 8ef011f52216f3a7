import path from 'node:path'
import Database from 'better-sqlite3'
import { parseDatabaseUrl } from '../../src/store/database-url'
import { MigrationError, migrateSqlite, readMigrations } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import type { AssessmentRecord } from '../../src/store/types'
import { DuplicateIdempotencyKey } from '../../src/store/types'
import { tempDatabase } from '../helpers/app'

let db: ReturnType<typeof tempDatabase>
beforeEach(() => {
  db = tempDatabase()
})
afterEach(() => db.cleanup())

const file = () => db.url.slice('file:'.length)

function record(i: number, extra: Partial<AssessmentRecord> = {}): AssessmentRecord {
  return {
    id: `id-${String(i).padStart(4, '0')}`,
    createdAt: new Date(Date.UTC(2026, 10, 26, 12, 0, 0, i)),
    org: 'org',
    keyId: 'key',
    applicationName: `App ${i}`,
    recommendation: 'container',
    policyId: 'p',
    policyVersion: 1,
    document: `{"i":${i}}`,
    requestHash: `h${i}`,
    idempotencyKey: null,
    ...extra,
  }
}

describe('database URLs', () => {
  test.each([
    ['file:./data/placement.db', 'sqlite'],
    ['file:/tmp/x.db', 'sqlite'],
    ['postgresql://u@h:5432/db', 'postgres'],
    ['postgres://u@h/db', 'postgres'],
  ])('%s is %s', (url, kind) => {
    expect(parseDatabaseUrl(url).kind).toBe(kind)
  })

  test.each(['mysql://x', 'file:', 'placement.db'])('%s is refused', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(/DATABASE_URL/)
  })
})

describe('migrations', () => {
  test('apply once, in order, and are recorded', () => {
    expect(migrateSqlite(file())).toEqual(readMigrations('sqlite').map((m) => m.name))
    expect(migrateSqlite(file())).toEqual([])
    const sqlite = new Database(file(), { readonly: true })
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    sqlite.close()
    expect(tables).toEqual(
      expect.arrayContaining([
        { name: 'api_keys' },
        { name: 'assessments' },
        { name: '_placement_migrations' },
      ]),
    )
  })

  test('a migration edited after it was applied stops the start', () => {
    migrateSqlite(file())
    const sqlite = new Database(file())
    sqlite.prepare('UPDATE _placement_migrations SET checksum = ?').run('tampered')
    sqlite.close()
    expect(() => migrateSqlite(file())).toThrow(MigrationError)
  })

  test('a database from a newer version (unknown migration) stops the start', () => {
    migrateSqlite(file())
    const sqlite = new Database(file())
    sqlite
      .prepare('INSERT INTO _placement_migrations VALUES (?, ?, ?)')
      .run('29990101000000_future', 'x', 'now')
    sqlite.close()
    expect(() => migrateSqlite(file())).toThrow(/does not know/)
  })

  test('the store creates the data folder', async () => {
    const nested = path.join(db.dir, 'a', 'b', 'placement.db')
    const store = await openStore({ databaseUrl: `file:${nested}`, migrate: true })
    await store.ping()
    await store.close()
  })
})

describe('assessment repository on SQLite', () => {
  test('committed rows survive closing and reopening the store', async () => {
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.assessments.insert(record(i))))
    await store.close()
    const again = await openStore({ databaseUrl: db.url, migrate: true })
    const rows = await again.assessments.list({}, 100)
    await again.close()
    expect(rows).toHaveLength(25)
    expect(rows[0]).toEqual(record(24))
  })

  test('a duplicate idempotency key in a batch fails only that row', async () => {
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    const results = await Promise.allSettled([
      store.assessments.insert(record(1, { idempotencyKey: 'k' })),
      store.assessments.insert(record(2)),
      store.assessments.insert(record(3, { idempotencyKey: 'k' })),
      store.assessments.insert(record(4)),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateIdempotencyKey)
    expect(await store.assessments.list({}, 10)).toHaveLength(3)
    await store.close()
  })
})
