import pg from 'pg'
import { migratePostgres, pendingPostgres, readMigrations } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import { postgresDatabase, type ThrowawayDatabase } from '../helpers/databases'

let db: ThrowawayDatabase
beforeEach(async () => {
  db = await postgresDatabase()
})
afterEach(() => db.cleanup())

describe('PostgreSQL migrations', () => {
  test('replicas migrating at once apply each migration exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => migratePostgres(db.url)))
    const all = readMigrations('postgres').map((m) => m.name)
    expect(results.flat().sort()).toEqual(all.sort())
    expect(results.filter((r) => r.length > 0)).toHaveLength(1)
    expect(await pendingPostgres(db.url)).toEqual([])
  })

  test('a replica started without migrating refuses an unmigrated database, with the fix in the message', async () => {
    expect(await pendingPostgres(db.url)).toEqual(readMigrations('postgres').map((m) => m.name))
    await expect(openStore({ databaseUrl: db.url, migrate: false })).rejects.toThrow(/npm run db:migrate/)
    await migratePostgres(db.url)
    const store = await openStore({ databaseUrl: db.url, migrate: false })
    await store.ping()
    await store.close()
  })

  test('stored documents are compressed with lz4 where the server has it', async () => {
    await migratePostgres(db.url)
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ lz4: boolean; method: string }>(
        `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'
                          AND 'lz4' = ANY(enumvals)) AS lz4,
                (SELECT attcompression FROM pg_attribute
                  WHERE attrelid = 'assessments'::regclass AND attname = 'document') AS method`,
      )
      // 'l' is lz4; '' is the server's default (pglz), which a server without lz4 keeps.
      expect(rows[0]?.method).toBe(rows[0]?.lz4 ? 'l' : '')
    } finally {
      await client.end()
    }
  })
})
