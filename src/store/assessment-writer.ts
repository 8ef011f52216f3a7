import type { Mutex } from 'async-mutex'
import Database from 'better-sqlite3'
import type pg from 'pg'
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

/** PostgreSQL array types of the audit-log columns, for `unnest`: one statement whatever the batch's size (its values are short). */
const PG_TYPES: Record<string, string> = {
  createdAt: 'timestamp(3)',
  seq: 'int4',
}
const unnest = (names: readonly string[]) =>
  `SELECT * FROM unnest(${names.map((n, i) => `$${i + 1}::${PG_TYPES[n] ?? 'text'}[]`).join(', ')})`

/** The head row, locked until the transaction ends: the chain's next entries are this batch's. */
const LOCK_HEAD = 'UPDATE "audit_head" SET "seq" = "seq" WHERE "id" = 1 RETURNING "seq", "hash"'

/** Rows per INSERT statement: 12 parameters each, well under PostgreSQL's 65 535. */
const ROWS_PER_INSERT = 1000

const utc = STORED_DATE.postgres

/**
 * PostgreSQL: a connection of the store's pool (its timeouts apply). The rows go in first, the
 * head row's lock after them: the lock orders the writers of every replica, as the ledger's
 * transactions do, but only for what the chain needs (the entries and the head's move) and the
 * commit. Inserting 15 KB documents under the lock made the next batch wait for them: per batch
 * of 11 rows, 5.8 ms of inserts plus 2 ms of commit were one batch's turn, and the other batch in
 * flight spent that time waiting for the lock (BENCHMARKS.md, the eleventh session).
 *
 * No deadlock: a transaction waits for the head only after its rows are in, and the holder of
 * the head writes nothing another writer holds (entries by their new sequence numbers, the
 * head). Two batches racing for one idempotency key meet at the key's unique index, before
 * either takes the head; the second fails when the first commits, and the group commit retries
 * its rows one by one, as before.
 */
export function postgresAssessmentWriter(pool: pg.Pool): AssessmentWriter {
  const columnsOf = <T>(
    rows: readonly T[],
    names: readonly string[],
    at: (row: T, name: string) => unknown,
  ) => names.map((n) => rows.map((row) => at(row, n)))
  const width = ASSESSMENT_COLUMNS.length
  const insertAssessments = (rows: number) =>
    `INSERT INTO "assessments" (${quoted(ASSESSMENT_COLUMNS)}) VALUES ${Array.from(
      { length: rows },
      (_, r) =>
        `(${ASSESSMENT_COLUMNS.map((c, i) => `$${r * width + i + 1}${c === 'createdAt' ? '::timestamp(3)' : ''}`).join(', ')})`,
    ).join(', ')}`
  /** Every entry and the head's move: both parts of a data-modifying WITH run, once. */
  const entryColumns = AUDIT_ENTRY_COLUMNS.length
  const chainAll =
    `WITH "entries" AS (INSERT INTO "audit_log" (${quoted(AUDIT_ENTRY_COLUMNS)}) ${unnest(AUDIT_ENTRY_COLUMNS)}) ` +
    `UPDATE "audit_head" SET "seq" = $${entryColumns + 1}, "hash" = $${entryColumns + 2} WHERE "id" = 1`
  return {
    async write(records) {
      if (records.length === 0) return
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        // Five round trips a batch: BEGIN; the rows (chunked under PostgreSQL's 65 535
        // parameters); the head's lock; the entries and the head's move as one statement; COMMIT.
        // Under the lock, only the entries' own hashes are computed.
        // Rows as plain parameters, not arrays: `pg` escapes every element of an array parameter,
        // and a stored document is 12 KB of quotes (28 us a row). Unnamed: the text depends on
        // the batch's size.
        await client.query('BEGIN')
        let items: NewEntry[] | undefined
        for (let at = 0; at < records.length; at += ROWS_PER_INSERT) {
          const chunk = records.slice(at, at + ROWS_PER_INSERT)
          const inserted = client.query({
            text: insertAssessments(chunk.length),
            values: chunk.flatMap((r) =>
              ASSESSMENT_COLUMNS.map((n) => (n === 'createdAt' ? utc(r.createdAt) : r[n])),
            ),
          })
          // The records' content hashes (SHA-256 of each whole row), while the server inserts
          // the first rows rather than under the lock.
          items ??= records.map((r) => {
            const item = assessmentEntry(r)
            return { ...item, contentHash: contentHash(item.kind, item.record) }
          })
          await inserted
        }
        const locked = await client.query<{ seq: number; hash: string }>(LOCK_HEAD)
        const entries = chain(locked.rows[0] as { seq: number; hash: string }, items as NewEntry[])
        const last = entries[entries.length - 1] as AuditEntry
        await client.query({
          name: 'placement-chain-assessments',
          text: chainAll,
          values: [
            ...columnsOf(entries, AUDIT_ENTRY_COLUMNS, (e, n) =>
              n === 'createdAt' ? utc(e.createdAt) : e[n as keyof AuditEntry],
            ),
            last.seq,
            last.hash,
          ],
        })
        await client.query('COMMIT')
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
