import path from 'node:path'
import Database from 'better-sqlite3'
import { parseDatabaseUrl } from '../../src/store/database-url'
import { MigrationError, migrateSqlite, readMigrations } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import { sqliteDatabase } from '../helpers/databases'

let db: ReturnType<typeof sqliteDatabase>
beforeEach(() => {
  db = sqliteDatabase()
})
afterEach(() => db.cleanup())

const file = () => db.file

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

  test('without migrating, an unmigrated database is refused with the fix in the message', async () => {
    await expect(openStore({ databaseUrl: db.url, migrate: false })).rejects.toThrow(/npm run db:migrate/)
    migrateSqlite(file())
    const store = await openStore({ databaseUrl: db.url, migrate: false })
    await store.close()
  })

  test('the store creates the data folder', async () => {
    const nested = path.join(db.dir, 'a', 'b', 'placement.db')
    const store = await openStore({ databaseUrl: `file:${nested}`, migrate: true })
    await store.ping()
    await store.close()
  })
})
