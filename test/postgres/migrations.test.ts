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
})
