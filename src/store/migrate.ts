import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { sha256Hex } from '../lib/crypto'
import type { StoreKind } from './types'

/**
 * Applies the committed Prisma migrations (prisma/<store>/migrations/*) in name order and
 * records each in `_placement_migrations`. The service runs this itself rather than the
 * Prisma CLI: it needs no CLI at run time, takes milliseconds (each test migrates its own
 * database), and serialises replicas that start at once behind a database lock.
 */

export interface Migration {
  name: string
  sql: string
  checksum: string
}

const MIGRATIONS_ROOT = path.resolve(__dirname, '..', '..', 'prisma')
const TABLE = '_placement_migrations'
// Any constant: the key of the PostgreSQL advisory lock that serialises migrating replicas.
const PG_MIGRATION_LOCK = 72_270_401

export function readMigrations(kind: StoreKind): Migration[] {
  const dir = path.join(MIGRATIONS_ROOT, kind, 'migrations')
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: sha256Hex(sql) }
    })
}

export class MigrationError extends Error {
  override name = 'MigrationError'
}

function pending(all: Migration[], applied: Map<string, string>): Migration[] {
  for (const [name, checksum] of applied) {
    const known = all.find((m) => m.name === name)
    if (!known) throw new MigrationError(`database has migration ${name}, which this version does not know`)
    if (known.checksum !== checksum) {
      throw new MigrationError(`migration ${name} was changed after it was applied`)
    }
  }
  return all.filter((m) => !applied.has(m.name))
}

/** Names of the committed migrations a SQLite file lacks (all of them for a new file). */
export function pendingSqlite(file: string): string[] {
  const db = new Database(file, { fileMustExist: false })
  try {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TABLE)
    const rows = exists ? (db.prepare(`SELECT name, checksum FROM "${TABLE}"`).all() as Migration[]) : []
    return pending(readMigrations('sqlite'), new Map(rows.map((r) => [r.name, r.checksum]))).map(
      (m) => m.name,
    )
  } finally {
    db.close()
  }
}

/** Names of the committed migrations a PostgreSQL database lacks. */
export async function pendingPostgres(connectionString: string): Promise<string[]> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    const { rows: exists } = await client.query('SELECT to_regclass($1) AS t', [`"${TABLE}"`])
    const rows = exists[0]?.t
      ? (await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${TABLE}"`)).rows
      : []
    return pending(readMigrations('postgres'), new Map(rows.map((r) => [r.name, r.checksum]))).map(
      (m) => m.name,
    )
  } finally {
    await client.end()
  }
}

/** Migrates a SQLite file; returns the names applied. */
export function migrateSqlite(file: string): string[] {
  const db = new Database(file)
  try {
    // WAL lets readers go on during a write; it is a property of the file, so set it once here.
    db.pragma('journal_mode = WAL')
    db.exec(
      `CREATE TABLE IF NOT EXISTS "${TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    )
    // IMMEDIATE takes the write lock first, so two processes starting at once take turns.
    db.exec('BEGIN IMMEDIATE')
    try {
      const rows = db.prepare(`SELECT name, checksum FROM "${TABLE}"`).all() as Migration[]
      const todo = pending(readMigrations('sqlite'), new Map(rows.map((r) => [r.name, r.checksum])))
      const record = db.prepare(`INSERT INTO "${TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`)
      for (const m of todo) {
        db.exec(m.sql)
        record.run(m.name, m.checksum, new Date().toISOString())
      }
      db.exec('COMMIT')
      return todo.map((m) => m.name)
    } catch (error) {
      db.exec('ROLLBACK')
      throw error
    }
  } finally {
    db.close()
  }
}

/** Migrates a PostgreSQL database in one transaction; safe when replicas start together. */
export async function migratePostgres(connectionString: string): Promise<string[]> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query('BEGIN')
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PG_MIGRATION_LOCK])
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
      )
      const { rows } = await client.query<{ name: string; checksum: string }>(
        `SELECT name, checksum FROM "${TABLE}"`,
      )
      const todo = pending(readMigrations('postgres'), new Map(rows.map((r) => [r.name, r.checksum])))
      for (const m of todo) {
        await client.query(m.sql)
        await client.query(`INSERT INTO "${TABLE}" (name, checksum, applied_at) VALUES ($1, $2, now())`, [
          m.name,
          m.checksum,
        ])
      }
      await client.query('COMMIT')
      return todo.map((m) => m.name)
    } catch (error) {
      await client.query('ROLLBACK')
      throw error
    }
  } finally {
    await client.end()
  }
}
