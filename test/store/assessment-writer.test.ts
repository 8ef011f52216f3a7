import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { Mutex } from 'async-mutex'
import pg from 'pg'
import { verifyLog } from '../../src/audit-log/verify'
import { PrismaClient } from '../../src/generated/sqlite/client'
import { postgresAssessmentWriter, sqliteAssessmentWriter } from '../../src/store/assessment-writer'
import { auditLedger } from '../../src/store/audit-ledger'
import { ASSESSMENT_COLUMNS } from '../../src/store/fast-reads'
import { migrateSqlite } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import type { AssessmentRecord } from '../../src/store/types'
import { sqliteDatabase, TEST_STORE, type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

let db: ThrowawayDatabase
beforeEach(async () => {
  db = await throwawayDatabase()
})
afterEach(() => db.cleanup())

const record = (i: number): AssessmentRecord => ({
  id: `a-${String(i).padStart(4, '0')}`,
  createdAt: new Date(Date.UTC(2026, 10, 27, 9, 0, 0, i)),
  org: `org-${i % 3}`,
  keyId: 'key',
  applicationName: `App ${i}`,
  recommendation: i % 2 ? 'container' : 'hypervisor',
  policyId: 'p',
  policyVersion: 2,
  document: JSON.stringify({ i, text: '한국어 and "quotes"' }),
  requestHash: `h${i}`,
  idempotencyKey: i % 5 === 0 ? `idem-${i}` : null,
  supersedes: i > 0 && i % 7 === 0 ? `a-${String(i - 1).padStart(4, '0')}` : null,
})

/**
 * Assessments are written through the driver's own transaction (assessment-writer.ts) while
 * every other logged record goes through Prisma's. Mixed and concurrent, they must still make
 * one gapless chain that verifies; on SQLite the two connections of one process must take turns
 * rather than wait on each other's lock (which would stall for the busy timeout and fail).
 */
describe('the driver write path', () => {
  test('mixed concurrent writes make one chain that verifies, rows read back as written', async () => {
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    await store.assessments.insert(record(0))
    const started = Date.now()
    const writes: Promise<unknown>[] = []
    for (let i = 1; i <= 60; i++) {
      writes.push(store.assessments.insert(record(i)))
      if (i % 6 === 0) {
        writes.push(
          store.assessments.insertOverride({
            id: `o-${i}`,
            assessmentId: record(0).id,
            org: 'org-0',
            keyId: 'key',
            placement: 'hypervisor',
            reasonCode: 'OTHER',
            reason: `override ${i}`,
            createdAt: new Date(Date.UTC(2026, 10, 27, 10, 0, 0, i)),
          }),
        )
      }
      if (i % 20 === 0) {
        writes.push(
          store.apiKeys.insert({
            id: `k-${i}`,
            org: 'org-1',
            role: 'submitter',
            hash: `hash-${i}`,
            label: null,
            createdAt: new Date(),
            revokedAt: null,
          }),
        )
      }
    }
    writes.push(store.assessments.insertMany([record(61), record(62), record(63)]))
    await Promise.all(writes)
    // Far below SQLite's 5 s busy timeout: nobody waited for a lock held by its own process.
    expect(Date.now() - started).toBeLessThan(4000)

    const head = await store.audit.head()
    expect(head.seq).toBe(64 + 10 + 3)
    const result = await verifyLog({ items: store.audit.walk(), unlogged: () => store.audit.unlogged() })
    expect(result).toMatchObject({ ok: true, checked: head.seq, headHash: head.hash })

    for (const i of [0, 5, 7, 62]) {
      expect(await store.assessments.findById(record(i).id)).toEqual(record(i))
    }
    const listed = (await store.assessments.list({ org: 'org-1' }, 100)).rows
    expect(listed.map((r) => r.id)).toEqual(
      Array.from({ length: 64 }, (_, i) => i)
        .filter((i) => i % 3 === 1)
        .reverse()
        .map((i) => record(i).id),
    )
    const entry = await store.audit.entryFor('assessment', record(7).id)
    expect(entry?.createdAt).toBe(record(7).createdAt.toISOString())

    // The walk reads entries and assessments through the driver: pages in order without a gap,
    // each entry as Prisma reads it, each assessment as it was written.
    const walked = []
    for await (const page of store.audit.walk(7)) walked.push(...page)
    expect(walked.map((item) => item.entry.seq)).toEqual(Array.from({ length: head.seq }, (_, i) => i + 1))
    for (const { entry: e } of walked.filter((_, i) => i % 9 === 0)) {
      expect(e).toEqual(await store.audit.entryFor(e.kind, e.recordId))
    }
    for (const i of [0, 7, 62]) {
      expect(walked.find((item) => item.entry.recordId === record(i).id)?.record).toEqual(record(i))
    }

    // An export's positions (a driver read) are the entries' own; an id without one is left out,
    // and a kind is not another's (an override's id is not an assessment's entry).
    const ids = [0, 7, 62, 63].map((i) => record(i).id)
    const positions = await store.audit.positionsFor('assessment', [...ids, 'no-such-id', 'o-6'])
    expect([...positions.keys()].sort()).toEqual([...ids].sort())
    for (const id of ids) {
      const logged = await store.audit.entryFor('assessment', id)
      expect(positions.get(id)).toEqual({ seq: logged?.seq, hash: logged?.hash })
    }
    expect((await store.audit.positionsFor('override', ['o-6'])).get('o-6')?.seq).toBe(
      (await store.audit.entryFor('override', 'o-6'))?.seq,
    )
    expect((await store.audit.positionsFor('assessment', [])).size).toBe(0)
    await store.close()
  })

  test('a batch of more rows than one statement takes is written whole, its log verifying', async () => {
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    const rows = Array.from({ length: 1005 }, (_, i) => record(i))
    await store.assessments.insertMany(rows)
    const head = await store.audit.head()
    expect(head.seq).toBe(1005)
    expect(
      await verifyLog({ items: store.audit.walk(), unlogged: () => store.audit.unlogged() }),
    ).toMatchObject({
      ok: true,
      checked: 1005,
    })
    for (const i of [0, 999, 1000, 1004]) {
      expect(await store.assessments.findById(record(i).id)).toEqual(record(i))
    }
    await store.close()
  })

  test('a failed batch writes nothing: no row, no entry, the head unmoved', async () => {
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    await store.assessments.insert(record(1))
    const before = await store.audit.head()
    await expect(store.assessments.insertMany([record(2), record(1)])).rejects.toBeDefined()
    expect(await store.audit.head()).toEqual(before)
    expect(await store.assessments.findById(record(2).id)).toBeNull()
    expect(await store.audit.entryFor('assessment', record(2).id)).toBeNull()
    await store.close()
  })
})

const sqliteOnly = TEST_STORE === 'sqlite' ? test : test.skip

describe('SQLite: the driver connection and Prisma take turns within one process', () => {
  // A Prisma transaction holds the write lock across awaits; the driver's connection waits for a
  // lock synchronously, so it would hold the event loop and the transaction could never finish.
  const race = async (shared: boolean) => {
    const sqlite = sqliteDatabase()
    migrateSqlite(sqlite.file)
    const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqlite.file, timeout: 1000 }) })
    const turn = new Mutex()
    const ledger = auditLedger(client, shared ? turn : undefined)
    const writer = sqliteAssessmentWriter(sqlite.file, turn, 200)
    try {
      await ledger.head()
      let release = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      let locked = () => {}
      const lockTaken = new Promise<void>((resolve) => {
        locked = resolve
      })
      const transaction = ledger.record(async () => {
        locked()
        await held
        return { result: 'committed', entries: [] }
      })
      await lockTaken
      const write = writer.write([record(1)]).then(
        () => 'written',
        (error: { code?: string }) => error.code,
      )
      release()
      return { transaction: await transaction, write: await write }
    } finally {
      await writer.close()
      await client.$disconnect()
      await sqlite.cleanup()
    }
  }

  sqliteOnly('with the shared turn both commit', async () => {
    expect(await race(true)).toEqual({ transaction: 'committed', write: 'written' })
  })

  sqliteOnly('without it the driver write fails on the lock (what the turn prevents)', async () => {
    expect(await race(false)).toEqual({ transaction: 'committed', write: 'SQLITE_BUSY' })
  })
})

const postgresOnly = TEST_STORE === 'postgres' ? test : test.skip

/**
 * A store, a writer on a pool of its own, a session holding the log head (its transaction left
 * open) and another watching: `body` runs while the head is held; the holder commits after it.
 */
async function withHeadHeld(
  body: (session: {
    store: Awaited<ReturnType<typeof openStore>>
    writer: ReturnType<typeof postgresAssessmentWriter>
    holder: pg.Client
    observer: pg.Client
  }) => Promise<void>,
) {
  const store = await openStore({ databaseUrl: db.url, migrate: true })
  const pool = new pg.Pool({ connectionString: db.url, max: 4 })
  const holder = new pg.Client({ connectionString: db.url })
  // Another session: a transaction sees the statistics views as of its first look at them.
  const observer = new pg.Client({ connectionString: db.url })
  await holder.connect()
  await observer.connect()
  try {
    await holder.query('BEGIN')
    await holder.query('UPDATE "audit_head" SET "seq" = "seq" WHERE "id" = 1')
    await body({ store, writer: postgresAssessmentWriter(pool), holder, observer })
  } finally {
    await holder.end()
    await observer.end()
    await pool.end()
    await store.close()
  }
}

/**
 * The statements of this database's sessions waiting on a lock, once there are `count` of them
 * (or what there are after about five seconds). Polled: the waits are another process's state,
 * no event here tells of them.
 */
async function lockWaiters(observer: pg.Client, count: number): Promise<string[]> {
  let waiting: string[] = []
  for (let tries = 0; waiting.length < count && tries < 1000; tries++) {
    if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    const { rows } = await observer.query<{ query: string }>(
      `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    )
    waiting = rows.map((r) => r.query)
  }
  return waiting
}

describe('PostgreSQL: a batch inserts its rows before it waits for the log head', () => {
  // The head row's lock orders the writers of every replica; what a batch does under it, the
  // next batch waits for. Rows first, then the head: under the lock only the entries and the commit.
  postgresOnly(
    'while another transaction holds the head, the batch has its rows in and waits for the head alone',
    () =>
      withHeadHeld(async ({ store, writer, holder, observer }) => {
        const write = writer.write([record(1), record(5)])
        // The writer's backend, once it waits on a lock.
        const [waiting] = await lockWaiters(observer, 1)
        expect(waiting).toMatch(/"audit_head"/)
        // Its rows are in already: another row with one of their idempotency keys waits for the
        // writer's transaction (and gives up at the lock timeout) instead of going in.
        const rival = { ...record(6), org: record(5).org, idempotencyKey: record(5).idempotencyKey }
        await observer.query('BEGIN')
        await observer.query(`SET LOCAL lock_timeout = '300ms'`)
        await expect(
          observer.query(
            `INSERT INTO "assessments" (${ASSESSMENT_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${ASSESSMENT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
            ASSESSMENT_COLUMNS.map((c) => (c === 'createdAt' ? rival.createdAt.toISOString() : rival[c])),
          ),
        ).rejects.toMatchObject({ code: '55P03' })
        await observer.query('ROLLBACK')
        await holder.query('COMMIT')
        await write
        expect((await store.audit.head()).seq).toBe(2)
        expect(
          await verifyLog({ items: store.audit.walk(), unlogged: () => store.audit.unlogged() }),
        ).toMatchObject({ ok: true, checked: 2 })
      }),
  )

  postgresOnly(
    'two batches with one idempotency key, one waiting for the head: one commits, the other fails on the key, no deadlock',
    () =>
      withHeadHeld(async ({ store, writer, holder, observer }) => {
        const keyed = record(5)
        const rival = { ...record(6), org: keyed.org, idempotencyKey: keyed.idempotencyKey }
        // The first has its rows in and waits for the head; the second waits on the first's key.
        const outcomes = Promise.allSettled([
          writer.write([record(3), keyed]),
          writer.write([record(4), rival]),
        ])
        expect(await lockWaiters(observer, 2)).toHaveLength(2)
        await holder.query('COMMIT')
        const settled = (await outcomes).map((o) =>
          o.status === 'fulfilled' ? 'committed' : (o.reason as { code?: string }).code,
        )
        expect(settled.sort()).toEqual(['23505', 'committed'])
        expect((await store.audit.head()).seq).toBe(2)
      }),
  )
})
