import type { Mutex } from 'async-mutex'
import Database from 'better-sqlite3'
import pg from 'pg'
import { type AuditEntry, chain, contentHash, type NewEntry } from '../audit-log/entry'
import { ASSESSMENT_COLUMNS, AUDIT_ENTRY_COLUMNS, STORED_DATE } from './fast-reads'
import { type Checkpointer, sqliteCheckpointer } from './sqlite-checkpointer'
import type { AssessmentRecord } from './types'

/**
 * The hot write path: a group-commit batch of assessments and their audit-log entries in one
 * transaction of the driver itself. Through Prisma a batch cost five queries' worth of its
 * per-query machinery plus about 2 ms of CPU per row in `createMany` (BENCHMARKS.md); here it is
 * prepared statements. The transaction is the ledger's (audit-ledger.ts `record`): the head row
 * is locked by the first statement, entries are chained onto it, the head moves, all or nothing.
 * Prisma stays the one source of the model and its migrations; test/store/fast-reads.test.ts
 * keeps the column lists (fast-reads.ts) equal to the models' fields.
 */

export interface AssessmentWriter {
  /** Stores the records and chains their entries, in one transaction; resolves once committed. */
  write(records: readonly AssessmentRecord[]): Promise<void>
  close(): void | Promise<void>
}

export const assessmentEntry = (record: AssessmentRecord): NewEntry => ({
  kind: 'assessment',
  recordId: record.id,
  org: record.org,
  keyId: record.keyId,
  createdAt: record.createdAt,
  record: { ...record },
})

/** SQLite's own default: a checkpoint by the committing connection past 1 000 pages of log. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000
/** About 1.5 MB of log with assessments of 15 KB: a checkpoint a sixth the size of SQLite's default one. */
export const CHECKPOINT_EVERY_ROWS = 100
/** The log's bound: 4 096 frames of 4 KB pages, 16 MB. */
export const RESTART_LOG_FRAMES = 4096

export interface SqliteAssessmentWriter extends AssessmentWriter {
  checkpointer: Checkpointer
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ')

/**
 * SQLite: a write connection of its own, as durable as Prisma's (WAL, `synchronous=FULL`,
 * foreign keys on). better-sqlite3 is synchronous, so a batch commits within one turn of the
 * event loop; `turn` is the ledger's in-process lock, taken so that no Prisma transaction of this
 * process holds the write lock meanwhile (this connection would wait for it synchronously, and
 * the transaction could never finish: a deadlock until the busy timeout).
 */
export function sqliteAssessmentWriter(
  file: string,
  turn: Mutex,
  busyTimeoutMs = 5000,
  onCheckpointFailure?: (error: Error) => void,
): SqliteAssessmentWriter {
  const db = new Database(file, { timeout: busyTimeoutMs })
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  // Checkpoints run on a thread of their own (sqlite-checkpointer.ts), asked for every
  // CHECKPOINT_EVERY_ROWS rows; should that thread fail, this connection checkpoints again itself.
  db.pragma('wal_autocheckpoint = 0')
  const checkpointer = sqliteCheckpointer(file, {
    busyTimeoutMs,
    onFailure: (error) => {
      db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`)
      onCheckpointFailure?.(error)
    },
  })
  let rowsSinceCheckpoint = 0
  const dateTime = STORED_DATE.sqlite
  const lockHead = db.prepare('UPDATE "audit_head" SET "seq" = "seq" WHERE "id" = 1')
  const readHead = db.prepare('SELECT "seq", "hash" FROM "audit_head" WHERE "id" = 1')
  const moveHead = db.prepare('UPDATE "audit_head" SET "seq" = ?, "hash" = ? WHERE "id" = 1')
  const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ')
  const insertAssessment = db.prepare(
    `INSERT INTO "assessments" (${quoted(ASSESSMENT_COLUMNS)}) VALUES (${placeholders(ASSESSMENT_COLUMNS.length)})`,
  )
  const insertEntry = db.prepare(
    `INSERT INTO "audit_log" (${quoted(AUDIT_ENTRY_COLUMNS)}) VALUES (${placeholders(AUDIT_ENTRY_COLUMNS.length)})`,
  )
  const writeAll = db.transaction((records: readonly AssessmentRecord[]) => {
    lockHead.run()
    const head = readHead.get() as { seq: number; hash: string }
    const entries = chain(head, records.map(assessmentEntry))
    for (const record of records) {
      insertAssessment.run(
        ASSESSMENT_COLUMNS.map((c) => (c === 'createdAt' ? dateTime(record.createdAt) : record[c])),
      )
    }
    for (const entry of entries) {
      insertEntry.run(
        AUDIT_ENTRY_COLUMNS.map((c) => (c === 'createdAt' ? dateTime(entry.createdAt) : entry[c])),
      )
    }
    const last = entries[entries.length - 1] as AuditEntry
    moveHead.run(last.seq, last.hash)
  })
  return {
    write: (records) =>
      records.length === 0
        ? Promise.resolve()
        : turn.runExclusive(() => {
            // IMMEDIATE: the write lock at BEGIN, as the ledger's first statement takes it.
            writeAll.immediate(records)
            rowsSinceCheckpoint += records.length
            if (rowsSinceCheckpoint >= CHECKPOINT_EVERY_ROWS) {
              rowsSinceCheckpoint = 0
              // Under steady writes a passive checkpoint never catches the log's end, and SQLite
              // starts the log over only once it has: past a bound, this connection copies the
              // little that is left and restarts it (the thread has copied the rest).
              if (checkpointer.logFrames() >= RESTART_LOG_FRAMES) db.pragma('wal_checkpoint(RESTART)')
              checkpointer.request()
            }
          }),
    checkpointer,
    close: async () => {
      await checkpointer.close()
      db.close()
    },
  }
}

/** Rows per INSERT statement: 12 parameters each, well under PostgreSQL's 65 535. */
const ROWS_PER_INSERT = 1000

const utc = STORED_DATE.postgres

/** A value of an entry as an SQL literal: short texts the service made, quoted by `pg` itself. */
function literal(name: string, value: unknown): string {
  if (value === null) return 'NULL'
  if (typeof value === 'number') return String(value)
  const text = pg.escapeLiteral(String(value))
  return name === 'createdAt' ? `${text}::timestamp(3)` : text
}

/**
 * PostgreSQL: a connection of the store's pool (its timeouts apply). The head row's lock orders
 * the writers of every replica, as the ledger's transactions do; a batch takes it only once its
 * rows are in, so that what the next batch waits for is the entries and the commit alone.
 * Inserting 15 KB documents under the lock made the next batch wait for them: per batch of 11
 * rows, 5.8 ms of inserts and 2 ms of commit were one batch's turn, which the other batch in
 * flight spent waiting (BENCHMARKS.md, the eleventh session).
 *
 * Three round trips a batch, as many as when the lock came first:
 * 1. BEGIN.
 * 2. The rows, then the head's lock, in one statement: the UPDATE's condition reads what the
 *    rows' INSERT returns, so PostgreSQL inserts them all before it reaches the head row (and
 *    waits there if another writer holds it). Rows as plain parameters, not arrays: `pg` escapes
 *    every element of an array parameter, and a stored document is 12 KB of quotes (28 us a row).
 *    Unnamed: the text depends on the batch's size. More rows than one statement takes go first
 *    in plain INSERTs.
 * 3. The entries, the head's move and COMMIT as one simple query, whose values (numbers, hashes,
 *    ids, org names, times) are written as literals quoted by `pg`: a query with parameters
 *    cannot carry a COMMIT, and every round trip under the lock is the next batch's wait.
 *
 * No deadlock: a transaction waits for the head only after its rows are in, and the holder of
 * the head writes nothing another writer holds (entries by their new sequence numbers, the head).
 * Two batches racing for one idempotency key meet at the key's unique index, before either
 * waits for the head; the second fails when the first commits, and the group commit retries its
 * rows one by one, as before.
 */
export function postgresAssessmentWriter(pool: pg.Pool): AssessmentWriter {
  const width = ASSESSMENT_COLUMNS.length
  const insertAssessments = (rows: number) =>
    `INSERT INTO "assessments" (${quoted(ASSESSMENT_COLUMNS)}) VALUES ${Array.from(
      { length: rows },
      (_, r) =>
        `(${ASSESSMENT_COLUMNS.map((c, i) => `$${r * width + i + 1}${c === 'createdAt' ? '::timestamp(3)' : ''}`).join(', ')})`,
    ).join(', ')}`
  const insertThenLock = (rows: number) =>
    `WITH "rows" AS (${insertAssessments(rows)} RETURNING 1) ` +
    `UPDATE "audit_head" SET "seq" = "seq" WHERE "id" = 1 AND (SELECT count(*) FROM "rows") = ${rows} ` +
    'RETURNING "seq", "hash"'
  const chainAndCommit = (entries: readonly AuditEntry[]) => {
    const last = entries[entries.length - 1] as AuditEntry
    const values = entries
      .map(
        (e) =>
          `(${AUDIT_ENTRY_COLUMNS.map((n) => literal(n, n === 'createdAt' ? utc(e.createdAt) : e[n])).join(', ')})`,
      )
      .join(', ')
    return (
      `WITH "entries" AS (INSERT INTO "audit_log" (${quoted(AUDIT_ENTRY_COLUMNS)}) VALUES ${values}) ` +
      `UPDATE "audit_head" SET "seq" = ${literal('seq', last.seq)}, "hash" = ${literal('hash', last.hash)} WHERE "id" = 1; COMMIT`
    )
  }
  const rowValues = (chunk: readonly AssessmentRecord[]) =>
    chunk.flatMap((r) => ASSESSMENT_COLUMNS.map((n) => (n === 'createdAt' ? utc(r.createdAt) : r[n])))

  return {
    async write(records) {
      if (records.length === 0) return
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        await client.query('BEGIN')
        let at = 0
        for (; records.length - at > ROWS_PER_INSERT; at += ROWS_PER_INSERT) {
          const chunk = records.slice(at, at + ROWS_PER_INSERT)
          await client.query({ text: insertAssessments(chunk.length), values: rowValues(chunk) })
        }
        const last = records.slice(at)
        const locked = client.query<{ seq: number; hash: string }>({
          text: insertThenLock(last.length),
          values: rowValues(last),
        })
        // The records' content hashes (SHA-256 of each whole row) while the server inserts them,
        // not under the lock.
        const items = records.map((r) => {
          const item = assessmentEntry(r)
          return { ...item, contentHash: contentHash(item.kind, item.record) }
        })
        const head = (await locked).rows[0]
        if (!head) throw new Error('the audit log has no head row')
        await client.query(chainAndCommit(chain(head, items)))
      } catch (error) {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackError) {
          // The connection itself failed: it must not go back to the pool.
          broken = rollbackError as Error
        }
        throw error
      } finally {
        client.release(broken)
      }
    },
    close: () => {},
  }
}
