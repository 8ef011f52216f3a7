import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'

/**
 * Which store this Jest project runs against: the `postgres` project sets
 * PLACEMENT_TEST_STORE (see jest.config.js); everything else runs on SQLite.
 */
export const TEST_STORE: 'sqlite' | 'postgres' =
  process.env.PLACEMENT_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite'

export interface ThrowawayDatabase {
  url: string
  cleanup: () => Promise<void>
}

/** A SQLite file in a folder of its own. */
export function sqliteDatabase(): ThrowawayDatabase & { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'placement-test-'))
  const file = path.join(dir, 'test.db')
  return {
    url: `file:${file}`,
    dir,
    file,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

function adminUrl(): string {
  const url = process.env.TEST_POSTGRES_URL
  if (!url) throw new Error('TEST_POSTGRES_URL is not set')
  return url
}

/** A new, empty PostgreSQL database on the TEST_POSTGRES_URL server, dropped by cleanup. */
export async function postgresDatabase(): Promise<ThrowawayDatabase> {
  const name = `placement_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl() })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: adminUrl() })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}

/** A throw-away database on the store under test. */
export function throwawayDatabase(): Promise<ThrowawayDatabase> {
  return TEST_STORE === 'postgres' ? postgresDatabase() : Promise.resolve(sqliteDatabase())
}
