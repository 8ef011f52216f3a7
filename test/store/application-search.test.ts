import Database from 'better-sqlite3'
import pg from 'pg'
import { parseDatabaseUrl } from '../../src/store/database-url'
import {
  containsPattern,
  firstLookup,
  NAME_LOOKUPS,
  nameLookupOrder,
  SEARCH_NAMES,
  searchCandidates,
  searchNames,
  termTrigrams,
} from '../../src/store/fast-reads'
import { migrateSqlite, readMigrations } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import type { AssessmentRecord, ListPosition, Store } from '../../src/store/types'
import { sqliteDatabase, TEST_STORE, type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

/**
 * SQLite's application search looks a term up among the distinct names (the `application_names`
 * table and its FTS5 trigram index, kept by triggers) when it is in few names, and reads in list
 * order when it is in many or too short for a trigram. Either way a page must be exactly what
 * LIKE over the whole table, in list order, would give.
 */
const sqliteOnly = TEST_STORE === 'sqlite' ? describe : describe.skip
const postgresOnly = TEST_STORE === 'postgres' ? describe : describe.skip

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 27)
const record = (i: number, name: string, ageDays = 0): AssessmentRecord => ({
  id: `id-${String(i).padStart(5, '0')}`,
  createdAt: new Date(NOW - ageDays * DAY + i * 1000),
  org: `org-${i % 3}`,
  keyId: 'k',
  applicationName: name,
  recommendation: i % 2 ? 'container' : 'hypervisor',
  policyId: 'nirs-paper-v2',
  policyVersion: 2,
  document: '{}',
  requestHash: `h${i}`,
  idempotencyKey: null,
  supersedes: null,
})

/** LIKE '%term%' as SQLite means it (ASCII letters without case), newest first. */
const expected = (rows: AssessmentRecord[], term: string) => {
  const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
  return rows
    .filter((r) => lower(r.applicationName).includes(lower(term)))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((r) => r.id)
}

sqliteOnly('SQLite application search', () => {
  let db: ThrowawayDatabase
  let store: Store
  let rows: AssessmentRecord[]
  const file = () => parseDatabaseUrl(db.url).target
  const candidates = (term: string) => {
    const reader = new Database(file(), { readonly: true })
    try {
      return searchCandidates(reader)(term)
    } finally {
      reader.close()
    }
  }
  const page = async (term: string, limit = 20) =>
    (await store.assessments.list({ application: term }, limit)).rows.map((r) => r.id)

  beforeEach(async () => {
    db = await throwawayDatabase()
    store = await openStore({ databaseUrl: db.url, migrate: true })
    // Many of one name, a few rare ones spread through them (the oldest a year back), Korean,
    // and a name whose case only Unicode folds.
    rows = Array.from({ length: SEARCH_NAMES + 100 }, (_, i) => record(i, `Common service ${i}`))
    rows.push(
      record(5000, 'Rare ledger', 365),
      record(5001, 'RARE LEDGER two', 10),
      record(5002, 'rare ledger'),
    )
    rows.push(record(5003, '전자정부 회계 시스템'), record(5004, 'ÉTAT civil'))
    await store.assessments.insertMany(rows.slice(0, 600))
    await store.assessments.insertMany(rows.slice(600))
  })
  afterEach(async () => {
    await store.close()
    await db.cleanup()
  })

  test('a rare term is looked up in the index; the page is what LIKE gives, in list order', async () => {
    expect(candidates('are led')?.sort()).toEqual(['RARE LEDGER two', 'Rare ledger', 'rare ledger'])
    expect(await page('are led')).toEqual(expected(rows, 'are led'))
    expect(await page('rare LEDGER two')).toEqual(expected(rows, 'rare LEDGER two'))
    expect(await page('정부 회계')).toEqual(['id-05003'])
    // The index folds É to é; LIKE does not, and decides.
    expect(candidates('état')).toEqual([])
    expect(candidates('ÉTAT')).toEqual(['ÉTAT civil'])
    expect(await page('état')).toEqual([])
    expect(await page('ÉTAT')).toEqual(['id-05004'])
    expect(await page('"quoted"')).toEqual([])
  })

  test('a common term, or one too short for a trigram, is read in list order', async () => {
    expect(candidates('common')).toBeUndefined()
    expect(await page('common')).toEqual(expected(rows, 'common').slice(0, 20))
    expect(candidates('회계')).toBeUndefined()
    expect(await page('회계')).toEqual(['id-05003'])
  })

  test('a name whose assessments retention removed finds none; VACUUM renumbering rows does not confuse it', async () => {
    const run = await store.audit.retain('run-1', new Date(NOW - 30 * DAY), new Date(NOW))
    expect(run.removedAssessments).toBe(1)
    // The name stays in the index (a name is not evidence), and finds nothing of its own.
    expect(candidates('are led')).toHaveLength(3)
    expect(await page('are led')).toEqual(['id-05002', 'id-05001'])
    // VACUUM may give the assessments new rowids (they have no INTEGER PRIMARY KEY); the names
    // have one, which it keeps, and the index points at the names.
    const writer = new Database(file())
    writer.exec('VACUUM')
    writer.close()
    expect(await page('are led')).toEqual(['id-05002', 'id-05001'])
    expect(await page('service 199', 5)).toEqual(['id-00199'])
  })

  test('a term in the index and a filter and a cursor combine', async () => {
    const [first, ...rest] = expected(rows, 'are led')
    const after = rows.find((r) => r.id === first) as AssessmentRecord
    const next = (await store.assessments.list({ application: 'are led' }, 20, after)).rows
    expect(next.map((r) => r.id)).toEqual(rest)
    const byOrg = (await store.assessments.list({ application: 'are led', org: 'org-2' }, 20)).rows
    expect(byOrg.map((r) => r.id)).toEqual(
      expected(
        rows.filter((r) => r.org === 'org-2'),
        'are led',
      ),
    )
  })

  test('the migration indexes the names of the assessments stored before it', async () => {
    const sqlite = sqliteDatabase()
    try {
      const before = new Database(sqlite.file)
      before.exec(
        'CREATE TABLE "_placement_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)',
      )
      const migrations = readMigrations('sqlite')
      const last = migrations.findIndex((m) => m.name.endsWith('_application_names'))
      for (const m of migrations.slice(0, last)) {
        before.exec(m.sql)
        before.prepare('INSERT INTO "_placement_migrations" VALUES (?, ?, ?)').run(m.name, m.checksum, 'then')
      }
      const at = '2026-11-01T00:00:00.000+00:00'
      before
        .prepare(
          `INSERT INTO assessments (id, "createdAt", org, "keyId", "applicationName", recommendation, "policyId", "policyVersion", document, "requestHash", "idempotencyKey", supersedes)
           VALUES ('a1', ?, 'NIRS', 'k1', 'Payroll', 'hypervisor', 'nirs-paper-v2', 2, '{}', 'r', NULL, NULL)`,
        )
        .run(at)
      before
        .prepare(
          `INSERT INTO audit_log (seq, kind, "recordId", org, "keyId", "createdAt", "contentHash", "prevHash", hash)
           VALUES (7, 'assessment', 'a1', 'NIRS', 'k1', ?, 'c', 'p', 'h')`,
        )
        .run(at)
      before.close()
      expect(migrateSqlite(sqlite.file)).toEqual([migrations[last]?.name])
      const reader = new Database(sqlite.file, { readonly: true })
      expect(searchCandidates(reader)('payroll')).toEqual(['Payroll'])
      reader.close()
    } finally {
      await sqlite.cleanup()
    }
  })
})

/**
 * On both stores: a term in few names reads each name's newest assessments from the names' index
 * (fast-reads.ts), so a name assessed many times long ago, under a flood of newer assessments of
 * other names, must page exactly as LIKE (ILIKE) over the whole table in list order would.
 */
describe('application search by name', () => {
  let db: ThrowawayDatabase
  let store: Store
  let rows: AssessmentRecord[]

  beforeEach(async () => {
    db = await throwawayDatabase()
    store = await openStore({ databaseUrl: db.url, migrate: true })
    rows = Array.from({ length: 1200 }, (_, i) => record(i, `Common service ${i % 150}`))
    rows.push(record(5000, 'Rare ledger', 365), record(5001, 'Other LEDGER', 10))
    await store.assessments.insertMany(rows)
  })
  afterEach(async () => {
    await store.close()
    await db.cleanup()
  })

  test('a name assessed many times long ago, under many newer assessments, is paged from its own index', async () => {
    // 300 assessments of one name a year back, then the 1 200 newer ones of other names.
    const old = Array.from({ length: 300 }, (_, i) => record(6000 + i, 'Payroll ledger', 400))
    await store.assessments.insertMany(old)
    const all = [...rows, ...old]
    const want = expected(all, 'payroll')
    const seen: string[] = []
    let after: AssessmentRecord | undefined
    for (;;) {
      const got = (await store.assessments.list({ application: 'payroll' }, 40, after)).rows
      seen.push(...got.map((r) => r.id))
      if (got.length < 40) break
      after = got[got.length - 1]
    }
    expect(seen).toEqual(want)
    // With another filter: each name's page holds only what passes it.
    const ledgers = (await store.assessments.list({ application: 'ledger', recommendation: 'container' }, 20))
      .rows
    expect(ledgers.length).toBeGreaterThan(0)
    expect(ledgers.map((r) => r.id)).toEqual(
      expected(
        all.filter((r) => r.recommendation === 'container'),
        'ledger',
      ).slice(0, 20),
    )
  })

  test('a name repeated by many assessments is one name, and a cursor and a filter combine', async () => {
    // 150 names over 1 200 assessments: 'service 1' is in 61 names (1, 10-19, 100-149), 488
    // assessments.
    const want = expected(rows, 'service 1')
    const first = (await store.assessments.list({ application: 'service 1' }, 25)).rows
    expect(first.map((r) => r.id)).toEqual(want.slice(0, 25))
    const next = (await store.assessments.list({ application: 'service 1' }, 25, first[24])).rows
    expect(next.map((r) => r.id)).toEqual(want.slice(25, 50))
    const top = first[0] as AssessmentRecord
    const byOrg = (await store.assessments.list({ application: 'service 1', org: 'org-1' }, 25, top)).rows
    const older = (r: AssessmentRecord) =>
      r.createdAt < top.createdAt || (r.createdAt.getTime() === top.createdAt.getTime() && r.id < top.id)
    expect(byOrg.map((r) => r.id)).toEqual(
      expected(
        rows.filter((r) => r.org === 'org-1' && older(r)),
        'service 1',
      ).slice(0, 25),
    )
  })
})

/**
 * PostgreSQL's lookup among the names has a budget (SEARCH_BUDGET_MS in fast-reads.ts): a term
 * all of whose trigrams are common costs with the number of distinct names, so past the budget
 * the server cancels the lookup and the page reads a window in list order. A lock on the names'
 * table (what a migration's DDL takes) holds the lookup past any budget, however fast the machine:
 * without the budget it would wait for the lock, and the test would time out.
 */
postgresOnly('PostgreSQL application search within its budget', () => {
  let db: ThrowawayDatabase
  let store: Store
  let rows: AssessmentRecord[]
  let locker: pg.Client
  /** A connection of its own for searchNames, outside the store's pool. */
  let client: pg.Client

  beforeEach(async () => {
    db = await throwawayDatabase()
    store = await openStore({ databaseUrl: db.url, migrate: true, listWindow: 5, searchBudgetMs: 50 })
    // Twelve newer assessments of other names over two ledgers, one a year back.
    rows = Array.from({ length: 12 }, (_, i) => record(i, `Common service ${i}`))
    rows.push(record(5000, 'Rare ledger', 365), record(5001, 'Other LEDGER', 10))
    await store.assessments.insertMany(rows)
    locker = new pg.Client({ connectionString: db.url })
    await locker.connect()
    client = new pg.Client({ connectionString: db.url })
    await client.connect()
  })
  afterEach(async () => {
    await client.end()
    await locker.end()
    await store.close()
    await db.cleanup()
  })

  const lockNames = async () => {
    await locker.query('BEGIN')
    await locker.query('LOCK TABLE "application_names" IN ACCESS EXCLUSIVE MODE')
  }

  /** Every page of a term, as the service walks them: on after a full page's last row or a window's end. */
  const walk = async (term: string) => {
    const pages: string[][] = []
    let after: ListPosition | undefined
    let within: ListPosition | null | undefined
    for (;;) {
      const { rows: got, windowEnd } = await store.assessments.list({ application: term }, 2, after, within)
      pages.push(got.map((r) => r.id))
      const last = got[got.length - 1]
      if (got.length === 2 && last) [after, within] = [last, windowEnd]
      else if (windowEnd) [after, within] = [windowEnd, undefined]
      else return pages
    }
  }

  test("a term looked up within the budget reads its names' assessments: no window", async () => {
    const first = await store.assessments.list({ application: 'ledger' }, 20)
    expect(first.rows.map((r) => r.id)).toEqual(expected(rows, 'ledger'))
    expect(first.windowEnd).toBeNull()
  })

  test('past the budget the lookup is cancelled, and the windows in list order find the same rows', async () => {
    await lockNames()
    // The server stopped the lookup (the client's session has no timeout of its own), and the
    // client is out of the budget's transaction, ready for the next statement.
    expect(await searchNames(client, 'ledger', 50)).toBeUndefined()
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    expect((await client.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '0' }])

    // Windows of five: the newest five (no ledger), the next five, then the rest.
    const pages = await walk('ledger')
    expect(pages.flat()).toEqual(expected(rows, 'ledger'))
    expect(pages[0]).toEqual([])
    expect(pages.length).toBeGreaterThan(1)

    // Once the lock is gone the lookup narrows again, on the same pool's connections.
    await locker.query('ROLLBACK')
    const narrowed = await store.assessments.list({ application: 'ledger' }, 20)
    expect(narrowed.rows.map((r) => r.id)).toEqual(expected(rows, 'ledger'))
    expect(narrowed.windowEnd).toBeNull()
  })

  test('an error other than the budget is not taken for one', async () => {
    await locker.query('DROP TABLE "application_names" CASCADE')
    await expect(searchNames(client, 'ledger', 50)).rejects.toMatchObject({ code: '42P01' })
    // Out of the failed transaction: the connection goes on.
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
  })
})

describe("which of PostgreSQL's name indexes a term tries first", () => {
  test('trigrams are counted within runs of letters and digits, lower-cased, each once', () => {
    expect(termTrigrams('333333')).toBe(1)
    expect(termTrigrams('Ledger')).toBe(4)
    expect(termTrigrams('ion 12')).toBe(1)
    expect(termTrigrams('application 333333')).toBe(10)
    expect(termTrigrams('전자정부 회계')).toBe(2)
    expect(termTrigrams('ÉTAT civil')).toBe(5)
  })
  test('GIN for a term of few trigrams, GiST for five or more', () => {
    expect(nameLookupOrder('333333')).toEqual(['gin', 'gist'])
    expect(nameLookupOrder('ated appl')).toEqual(['gin', 'gist'])
    expect(nameLookupOrder('tion 654321')).toEqual(['gist', 'gin'])
    expect(nameLookupOrder('application 333333')).toEqual(['gist', 'gin'])
  })
})

/**
 * Both of PostgreSQL's name indexes must find exactly what ILIKE over the whole table finds, and
 * each statement must read its own index: a lookup tries one, then the other.
 */
postgresOnly('PostgreSQL name lookups through either index', () => {
  let db: ThrowawayDatabase
  let store: Store
  let client: pg.Client

  beforeAll(async () => {
    db = await throwawayDatabase()
    store = await openStore({ databaseUrl: db.url, migrate: true })
    const names = [
      ...Array.from({ length: 600 }, (_, i) => `Generated application ${i}`),
      'Payroll ledger',
      'Other LEDGER',
      '전자정부 회계 시스템',
      'ÉTAT civil',
      'état CIVIL 2',
      '100% uptime_portal',
    ]
    await store.assessments.insertMany(names.map((name, i) => record(i, name)))
    client = new pg.Client({ connectionString: db.url })
    await client.connect()
    // Names enough that the planner reads an index rather than the whole table (names without
    // assessments, as retention leaves them).
    await client.query(
      `INSERT INTO "application_names" ("name") SELECT 'Filler ' || g FROM generate_series(1, 20000) g`,
    )
    await client.query('ANALYZE application_names')
  })
  afterAll(async () => {
    await client.end()
    await store.close()
    await db.cleanup()
  })

  /** A read in a transaction of its own with the planner's settings given, rolled back after. */
  const withSettings = async <T>(settings: string, read: () => Promise<T>): Promise<T> => {
    await client.query(`BEGIN${settings}`)
    try {
      return await read()
    } finally {
      await client.query('ROLLBACK')
    }
  }

  /** What ILIKE gives reading every name, no index. */
  const oracle = (term: string) =>
    withSettings('; SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off', async () => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT "name" FROM "application_names" WHERE "name" ILIKE $1 ESCAPE '\\'`,
        [containsPattern(term)],
      )
      return rows.map((r) => r.name).sort()
    })
  /** One index's statement alone, the whole table's scan ruled out: whatever the planner would pick. */
  const through = async (index: keyof typeof NAME_LOOKUPS, term: string) => {
    const { text, settings } = NAME_LOOKUPS[index]
    const attempt = { text, settings: `${settings}; SET LOCAL enable_seqscan = off`, timeoutMs: 60_000 }
    const rows = await firstLookup(client, [attempt], [containsPattern(term), 1000])
    return (rows ?? []).map((r) => r[0] as string).sort()
  }

  const TERMS = [
    'application 33',
    'tion 5',
    '333',
    'ledger',
    'payroll led',
    '회계 시스템',
    'état',
    'ÉTAT CIVIL',
    '100%',
    'e_p',
    'zzz',
  ]
  test.each(TERMS)('%s: each index finds what ILIKE finds', async (term) => {
    const want = await oracle(term)
    expect(await through('gin', term)).toEqual(want)
    expect(await through('gist', term)).toEqual(want)
    const found = await searchNames(client, term)
    if (want.length > SEARCH_NAMES) expect(found).toBeUndefined()
    else expect(found?.sort()).toEqual(want)
  })

  test('each statement reads its own index; GiST as a scan that stops at the limit', async () => {
    const plan = (index: keyof typeof NAME_LOOKUPS) => {
      const { text, settings } = NAME_LOOKUPS[index]
      return withSettings(`; SET LOCAL enable_seqscan = off${settings}`, async () => {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, [
          containsPattern('application 33'),
          101,
        ])
        return rows.map((r) => r['QUERY PLAN']).join('\n')
      })
    }
    expect(await plan('gin')).toContain('Bitmap Index Scan on application_names_name_trgm_idx')
    const gist = await plan('gist')
    expect(gist).toContain('Index Scan using application_names_name_gist_idx')
    expect(gist).not.toContain('Bitmap')
  })

  test('an attempt past its time gives way to the next, in a transaction of its own', async () => {
    const rows = await firstLookup(
      client,
      [
        {
          text: 'SELECT pg_sleep(30), $1::text, $2::int',
          settings: '; SET LOCAL enable_bitmapscan = off',
          timeoutMs: 20,
        },
        { ...NAME_LOOKUPS.gin, timeoutMs: 60_000 },
      ],
      [containsPattern('payroll'), 101],
    )
    expect(rows).toEqual([['Payroll ledger']])
    // Nothing an attempt set outlives it, and the client is out of every transaction.
    expect((await client.query('SHOW enable_bitmapscan')).rows).toEqual([{ enable_bitmapscan: 'on' }])
    expect((await client.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '0' }])
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
  })
})
