import Database from 'better-sqlite3'
import type pg from 'pg'
import type { AssessmentRecord, OverrideRecord } from './types'

/**
 * The hottest reads (an assessment by id, the overrides of a page of assessments) as prepared
 * statements of the drivers themselves. Through Prisma each costs about forty times what the
 * statement does (BENCHMARKS.md: 40 % of a read was Prisma's per-query machinery, 3 % SQLite);
 * Prisma stays the one source of the model and its migrations, and test/store/fast-reads.test.ts
 * keeps these column lists equal to the models' fields.
 */
export const ASSESSMENT_COLUMNS = [
  'id',
  'createdAt',
  'org',
  'keyId',
  'applicationName',
  'recommendation',
  'policyId',
  'policyVersion',
  'document',
  'requestHash',
  'idempotencyKey',
  'supersedes',
] as const
export const OVERRIDE_COLUMNS = [
  'id',
  'assessmentId',
  'org',
  'keyId',
  'placement',
  'reasonCode',
  'reason',
  'createdAt',
] as const

export interface FastReads {
  assessmentById(id: string): Promise<AssessmentRecord | null>
  /** Oldest first, as the repository's own. */
  overridesFor(assessmentIds: string[]): Promise<OverrideRecord[]>
  close(): void
}

type Row = Record<string, unknown>
const withDate = <T>(row: Row): T => ({ ...row, createdAt: new Date(row.createdAt as string | Date) }) as T

/** SQLite: a read-only connection of its own (WAL: it sees every commit, and never blocks a writer). */
export function sqliteFastReads(file: string): FastReads {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 })
  const columns = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ')
  const byId = db.prepare(`SELECT ${columns(ASSESSMENT_COLUMNS)} FROM assessments WHERE "id" = ?`)
  // The ids as one JSON array: one statement prepared once, whatever the page's size.
  const overridesOf = db.prepare(
    `SELECT ${columns(OVERRIDE_COLUMNS)} FROM overrides WHERE "assessmentId" IN (SELECT value FROM json_each(?)) ORDER BY "createdAt", "id"`,
  )
  return {
    assessmentById: async (id) => {
      const row = byId.get(id) as Row | undefined
      return row ? withDate<AssessmentRecord>(row) : null
    },
    overridesFor: async (ids) => {
      if (ids.length === 0) return []
      const rows = overridesOf.all(JSON.stringify(ids)) as Row[]
      return rows.map((r) => withDate<OverrideRecord>(r))
    },
    close: () => db.close(),
  }
}

/**
 * PostgreSQL: the store's own pool (its timeouts apply). Prisma keeps `DateTime` as a timestamp
 * without time zone in UTC; read as UTC explicitly, whatever the process's zone.
 */
export function postgresFastReads(pool: pg.Pool): FastReads {
  const columns = (names: readonly string[]) =>
    names
      .map((n) => (n === 'createdAt' ? `("createdAt" AT TIME ZONE 'UTC') AS "createdAt"` : `"${n}"`))
      .join(', ')
  const byId = `SELECT ${columns(ASSESSMENT_COLUMNS)} FROM assessments WHERE "id" = $1`
  const overrides = `SELECT ${columns(OVERRIDE_COLUMNS)} FROM overrides WHERE "assessmentId" = ANY($1) ORDER BY "createdAt", "id"`
  return {
    assessmentById: async (id) => {
      const { rows } = await pool.query<Row>({ name: 'placement-assessment-by-id', text: byId, values: [id] })
      return rows[0] ? withDate<AssessmentRecord>(rows[0]) : null
    },
    overridesFor: async (ids) => {
      if (ids.length === 0) return []
      const { rows } = await pool.query<Row>({
        name: 'placement-overrides-for',
        text: overrides,
        values: [ids],
      })
      return rows.map((r) => withDate<OverrideRecord>(r))
    },
    close: () => {},
  }
}
