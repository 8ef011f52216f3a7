import Database from 'better-sqlite3'
import pg from 'pg'

/**
 * The database as its owner sees it, behind the service's back: plain SQL through the driver.
 * Statements use $1-style placeholders on both stores (SQLite's are rewritten to ?).
 */
export interface RawDatabase {
  exec(sql: string, params?: unknown[]): Promise<void>
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** Drops the append-only triggers, as an owner who means to tamper would. */
  dropTriggers(): Promise<void>
  close(): Promise<void>
}

export async function rawDatabase(url: string): Promise<RawDatabase> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length))
    db.pragma('busy_timeout = 5000')
    const prepare = (sql: string) => db.prepare(sql.replace(/\$\d+/g, '?'))
    return {
      exec: async (sql, params = []) => {
        if (params.length === 0) db.exec(sql)
        else prepare(sql).run(...params)
      },
      rows: async <T>(sql: string, params: unknown[] = []) => prepare(sql).all(...params) as T[],
      dropTriggers: async () => {
        const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
          name: string
        }[]
        for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`)
      },
      close: async () => {
        db.close()
      },
    }
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return {
    exec: async (sql, params = []) => {
      await client.query(sql, params)
    },
    rows: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    dropTriggers: async () => {
      await client.query('DROP FUNCTION placement_append_only() CASCADE')
    },
    close: async () => {
      await client.end()
    },
  }
}
