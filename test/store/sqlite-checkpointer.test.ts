import { execFile } from 'node:child_process'
import { renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { Mutex } from 'async-mutex'
import Database from 'better-sqlite3'
import { verifyLog } from '../../src/audit-log/verify'
import { CHECKPOINT_EVERY_ROWS, sqliteAssessmentWriter } from '../../src/store/assessment-writer'
import { migrateSqlite } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import { sqliteCheckpointer } from '../../src/store/sqlite-checkpointer'
import { assessmentRecord } from '../helpers/assessment-record'
import { sqliteDatabase, TEST_STORE } from '../helpers/databases'

/**
 * SQLite's WAL checkpoints run on a worker thread (sqlite-checkpointer.ts) instead of inside the
 * writer's commits on the event loop. What must hold: the thread really checkpoints, rows written
 * while it does are all there and the log verifies, and a thread that fails is noticed and
 * replaced by the writer checkpointing as it commits.
 */
const sqliteOnly = TEST_STORE === 'sqlite' ? describe : describe.skip
const ROOT = path.resolve(__dirname, '..', '..')

// As large as a stored assessment: four pages of log per row.
const DOCUMENT = JSON.stringify({ text: '한국어 and "quotes" '.repeat(600) })
const record = (i: number) =>
  assessmentRecord(i, {
    createdAt: new Date(Date.UTC(2026, 10, 27, 9, 0, 0, i)),
    recommendation: 'hypervisor',
    policyVersion: 2,
    document: DOCUMENT,
  })

sqliteOnly('SQLite checkpoints on a thread of their own', () => {
  test('the writer asks for them; the thread copies the whole log back when writes pause', async () => {
    const sqlite = sqliteDatabase()
    migrateSqlite(sqlite.file)
    const writer = sqliteAssessmentWriter(sqlite.file, new Mutex())
    try {
      for (let i = 0; i < CHECKPOINT_EVERY_ROWS * 2; i += 10) {
        await writer.write(Array.from({ length: 10 }, (_, k) => record(i + k)))
      }
      const result = await writer.checkpointer.checkpoint()
      expect(result.log).toBeGreaterThan(0)
      expect(result.checkpointed).toBe(result.log)
      // The database file itself now holds the rows (not only the log).
      expect(statSync(sqlite.file).size).toBeGreaterThan(CHECKPOINT_EVERY_ROWS * DOCUMENT.length)
      const reader = new Database(sqlite.file, { readonly: true })
      expect(reader.prepare('SELECT COUNT(*) AS n FROM assessments').get()).toEqual({
        n: CHECKPOINT_EVERY_ROWS * 2,
      })
      reader.close()
    } finally {
      await writer.close()
      await sqlite.cleanup()
    }
  })

  test('rows written concurrently while checkpoints run are all kept, and the log verifies', async () => {
    const sqlite = sqliteDatabase()
    const store = await openStore({ databaseUrl: sqlite.url, migrate: true })
    try {
      const total = CHECKPOINT_EVERY_ROWS * 4
      await Promise.all(Array.from({ length: total }, (_, i) => store.assessments.insert(record(i))))
      const head = await store.audit.head()
      expect(head.seq).toBe(total)
      expect(
        await verifyLog({ items: store.audit.walk(), unlogged: () => store.audit.unlogged() }),
      ).toMatchObject({
        ok: true,
        checked: total,
      })
      expect(await store.assessments.findById(record(total - 1).id)).toEqual(record(total - 1))
    } finally {
      await store.close()
      await sqlite.cleanup()
    }
  })

  test('a thread that cannot open the database is reported', async () => {
    const failures: Error[] = []
    const reported = new Promise<void>((resolve) => {
      const checkpointer = sqliteCheckpointer(path.join('/nonexistent-dir', 'x.db'), {
        busyTimeoutMs: 100,
        onFailure: (error) => {
          failures.push(error)
          resolve()
        },
      })
      checkpointer.request()
    })
    await reported
    expect(failures).toHaveLength(1)
    expect(failures[0]?.message).toMatch(/directory|open/i)
  })

  test('a writer whose thread failed checkpoints as it commits, and goes on writing', async () => {
    const sqlite = sqliteDatabase()
    migrateSqlite(sqlite.file)
    let reported: (error: Error) => void = () => {}
    const failed = new Promise<Error>((resolve) => {
      reported = resolve
    })
    const writer = sqliteAssessmentWriter(sqlite.file, new Mutex(), 5000, (error) => reported(error))
    const moved = `${sqlite.dir}-moved`
    try {
      await writer.write([record(0)])
      // The writer keeps its open files; the thread, started on the first request, finds no
      // database where the path pointed.
      renameSync(sqlite.dir, moved)
      for (let i = 1; i <= CHECKPOINT_EVERY_ROWS; i += 20) {
        await writer.write(Array.from({ length: 20 }, (_, k) => record(i + k)))
      }
      expect((await failed).message).toMatch(/directory|open/i)
      for (let i = 200; i < 600; i += 20) {
        await writer.write(Array.from({ length: 20 }, (_, k) => record(i + k)))
      }
      renameSync(moved, sqlite.dir)
      const probe = new Database(sqlite.file, { readonly: true })
      expect(probe.prepare('SELECT COUNT(*) AS n FROM assessments').get()).toEqual({ n: 501 })
      probe.close()
      // With its own checkpoints back (past 1 000 pages of log), the log was copied and started
      // over on the way: the 400 rows since are some 1 600 pages, the log holds fewer.
      const pages = statSync(`${sqlite.file}-wal`).size / 4096
      expect(pages).toBeLessThan(1200)
    } finally {
      await writer.close()
      rmSync(moved, { recursive: true, force: true })
      await sqlite.cleanup()
    }
  })

  test('closing waits for the thread to end, also in a process with nothing else to wait for', async () => {
    // In its own process: under Jest something always keeps the event loop alive. The thread
    // does not hold the process open while it runs (a server's handles do), but close() must:
    // a script that closed a store and went on (`npm run growth`, from SQLite to PostgreSQL)
    // ended inside close(), status 0, with the rest of its work never done.
    const sqlite = sqliteDatabase()
    try {
      const wal = new Database(sqlite.file)
      wal.pragma('journal_mode = WAL')
      wal.close()
      // close() right after the first request: the thread is still starting (loading the driver,
      // opening the file) when it is told to close.
      const script = `
        const { sqliteCheckpointer } = require('./src/store/sqlite-checkpointer')
        const checkpointer = sqliteCheckpointer(${JSON.stringify(sqlite.file)}, {
          busyTimeoutMs: 5000,
          onFailure: (error) => console.log('failed: ' + error.message),
        })
        checkpointer.request()
        checkpointer.close().then(() => console.log('closed'))
      `
      const { stdout } = await promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
        cwd: ROOT,
      })
      expect(stdout.trim()).toBe('closed')
    } finally {
      await sqlite.cleanup()
    }
  })
})
