import Database from 'better-sqlite3'
import pg from 'pg'
import { parseDatabaseUrl } from '../../src/store/database-url'
import {
  listStatement,
  needsWindow,
  searchCandidates,
  searchNames,
  windowEndStatement,
} from '../../src/store/fast-reads'
import { openStore } from '../../src/store/open-store'
import type { AssessmentFilter, AssessmentRecord, ListPosition } from '../../src/store/types'
import { TEST_STORE, type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

/**
 * Every list filter that narrows by equality must be served by an index that ends with the
 * list's order (createdAt, id): a page is then an index range read, whatever the history's
 * length. Checked on each store's own plans for the statements the service runs (BENCHMARKS.md
 * has the same plans at a million rows). On PostgreSQL sequential scans are switched off, so
 * that the small table here cannot make a scan the cheaper plan: a filter with no usable index
 * would still show one.
 */
const FILTERS: [string, AssessmentFilter, string, ListPosition?][] = [
  ['no filter', {}, 'assessments_createdAt_id_idx'],
  ['org', { org: 'org-3' }, 'assessments_org_createdAt_id_idx'],
  ['recommendation', { recommendation: 'container' }, 'assessments_recommendation_createdAt_id_idx'],
  ['policyId', { policyId: 'nirs-paper-v1' }, 'assessments_policyId_createdAt_id_idx'],
  [
    'dates',
    { from: new Date(Date.UTC(2026, 0, 1, 0, 10)), to: new Date(Date.UTC(2026, 0, 1, 0, 20)) },
    'assessments_createdAt_id_idx',
  ],
  [
    'cursor',
    {},
    'assessments_createdAt_id_idx',
    { createdAt: new Date(Date.UTC(2026, 0, 1, 0, 30)), id: 'z' },
  ],
  [
    'org and cursor',
    { org: 'org-rare' },
    'assessments_org_createdAt_id_idx',
    { createdAt: new Date(Date.UTC(2026, 0, 1, 0, 30)), id: 'z' },
  ],
]

const record = (i: number): AssessmentRecord => ({
  id: `id-${String(i).padStart(5, '0')}`,
  createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
  // One org in a hundred rows: what a page after a cursor must find by the org's index, not by
  // reading every row in order (with a common org both plans are cheap on a table this small).
  org: i % 100 === 7 ? 'org-rare' : `org-${i % 10}`,
  keyId: 'k',
  applicationName: `Application ${i}`,
  recommendation: i % 3 ? 'hypervisor' : 'container',
  policyId: i % 10 ? 'nirs-paper-v2' : 'nirs-paper-v1',
  policyVersion: i % 10 ? 2 : 1,
  document: '{}',
  requestHash: `h${i}`,
  idempotencyKey: null,
  supersedes: null,
})

let db: ThrowawayDatabase
beforeAll(async () => {
  db = await throwawayDatabase()
  const store = await openStore({ databaseUrl: db.url, migrate: true })
  await store.assessments.insertMany(Array.from({ length: 3000 }, (_, i) => record(i)))
  await store.close()
})
afterAll(() => db.cleanup())

// An ordered read of the index, so that the plan shows whether the index can give the page in
// order and seek to its start; the small table would otherwise make a bitmap read and a sort
// of a few rows the cheaper plan.
const ORDERED_READ = ['SET enable_seqscan = off', 'SET enable_bitmapscan = off']

/** A read-only SQLite connection to the test's database, for `use`. */
async function withSqlite<T>(use: (sqlite: Database.Database) => Promise<T>): Promise<T> {
  const sqlite = new Database(parseDatabaseUrl(db.url).target, { readonly: true })
  try {
    return await use(sqlite)
  } finally {
    sqlite.close()
  }
}

/** A PostgreSQL session with fresh statistics and the given planner settings, for `use`. */
async function withPlanner<T>(
  settings: readonly string[],
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  try {
    await client.query('ANALYZE assessments')
    for (const setting of settings) await client.query(setting)
    return await use(client)
  } finally {
    await client.end()
  }
}

async function plan(
  filter: AssessmentFilter,
  after?: ListPosition,
  settings = ORDERED_READ,
): Promise<string> {
  if (TEST_STORE === 'sqlite') {
    return withSqlite(async (sqlite) => {
      const named =
        filter.application === undefined ? undefined : searchCandidates(sqlite)(filter.application)
      const { text, values } = listStatement('sqlite', filter, 21, { after, named })
      return (sqlite.prepare(`EXPLAIN QUERY PLAN ${text}`).all(values) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n')
    })
  }
  return withPlanner(settings, async (client) => {
    const named = filter.application === undefined ? undefined : await searchNames(client, filter.application)
    const { text, values } = listStatement('postgres', filter, 21, { after, named })
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)
    return rows.map((r) => r['QUERY PLAN']).join('\n')
  })
}

describe('list queries read an index in the list order', () => {
  // Rows as objects: a row shorter than the callback's parameter list would be read as `done`.
  const rows = FILTERS.map(([name, filter, index, after]) => ({ name, filter, index, after }))
  test.each(rows)('$name', async ({ filter, index, after }) => {
    const shown = await plan(filter, after)
    expect(shown).toContain(index)
    // The page's bounds seek in the index (its conditions), not a filter on what was read.
    expect(shown).not.toMatch(/Filter: \(?\(?(ROW|"createdAt"|org|"policyId"|recommendation)/)
    // A cursor positions the read: SQLite shows the bound in its search, PostgreSQL in its Index
    // Cond beside the equality (not only as a row comparison, which it cannot seek by there).
    if (after) expect(shown).toMatch(/createdAt<\?|\(createdAt,id\)<\(\?,\?\)|Index Cond: .*"createdAt" <=/)
    // No sort of what was read: the index gives the order. No full read of the table.
    expect(shown).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort Key|Seq Scan on assessments|SCAN a\b(?! USING)/)
  })

  test('application search: the names a trigram index finds, each read from its own index', async () => {
    const shown = await plan({ application: 'application 1234' })
    if (TEST_STORE === 'postgres') {
      // The names found (through their own trigram index), each name's newest assessments read
      // from its index in list order: never a read of the history in order.
      expect(shown).toMatch(
        /Index (Only )?Scan Backward using "assessments_applicationName_createdAt_id_idx"/,
      )
      expect(shown).toMatch(/Index Cond: \("applicationName" = n.value\)/)
      // The names themselves through their trigram index. The few thousand names here are cheaper
      // to read whole, so the plan is asked with each ILIKE test priced as it is over many names.
      const client = new pg.Client({ connectionString: db.url })
      await client.connect()
      try {
        await client.query('ANALYZE application_names')
        await client.query('SET cpu_operator_cost = 1')
        const names = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT "name" FROM "application_names" WHERE "name" ILIKE '%application 1234%' LIMIT 101`,
        )
        expect(names.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('application_names_name_trgm_idx')
      } finally {
        await client.end()
      }
      expect(shown).not.toMatch(/Seq Scan on assessments|Scan Backward using "assessments_createdAt_id_idx"/)
    } else {
      // SQLite: the names the trigram index found, each name's newest assessments read from its
      // index in list order, then sorted together; never a read of the history in order.
      expect(shown).toMatch(
        /SEARCH c USING (COVERING )?INDEX assessments_applicationName_createdAt_id_idx \(applicationName=\?\)/,
      )
      expect(shown).not.toMatch(/SCAN (a|b|c)\b/)
    }
  })

  ;(TEST_STORE === 'sqlite' ? test : test.skip)(
    'SQLite: a term in most names is read in list order, which finds a page soonest',
    async () => {
      const shown = await plan({ application: 'application' })
      expect(shown).toContain('SCAN a USING INDEX assessments_createdAt_id_idx')
    },
  )

  test('overridden: the overrides read first, their assessments looked up by id, never a read in list order', async () => {
    // In list order with a probe each, a page of old overrides would read the whole history.
    const shown = await plan({ overridden: true })
    expect(shown).toMatch(/overrides/)
    expect(shown).toMatch(/assessments_pkey|sqlite_autoindex_assessments_1 \(id=\?\)/)
    expect(shown).not.toMatch(/Seq Scan on assessments|SCAN a\b|assessments_createdAt_id_idx/)
  })
})

/**
 * A filter that no index serves whole is read a window at a time (ListedRows in types.ts): the
 * window's end is found by reading the walked index alone, and the page reads that index between
 * the cursor and the window's end. Here a window of 10 rows in 3 000.
 */
const WINDOWED: [string, AssessmentFilter, string, boolean?][] = [
  ['a short application term', { application: 'n 1' }, 'assessments_createdAt_id_idx'],
  // A rare org and a rare policy: PostgreSQL's planner, which weighs indexes by its statistics,
  // then reads their own indexes, as it would at scale; SQLite is told which (INDEXED BY).
  [
    'org and recommendation',
    { org: 'org-rare', recommendation: 'container' },
    'assessments_org_createdAt_id_idx',
  ],
  [
    'policy and version',
    { policyId: 'nirs-paper-v1', policyVersion: 1 },
    'assessments_policyId_createdAt_id_idx',
  ],
  ['stale', { notPolicyId: 'nirs-paper-v1' }, 'assessments_createdAt_id_idx'],
  ['not overridden', { overridden: false }, 'assessments_createdAt_id_idx'],
  // More overrides than a page reads first (overridesReadFirst): in list order, a probe a row.
  ['overridden, many overrides', { overridden: true }, 'assessments_createdAt_id_idx', true],
]

async function windowPlans(
  filter: AssessmentFilter,
  after: ListPosition,
  manyOverrides = false,
): Promise<[string, string]> {
  const explain = async (
    run: (text: string, values: unknown[]) => Promise<string[]>,
    named: readonly string[] | undefined,
    first: (text: string, values: unknown[]) => Promise<ListPosition | undefined>,
  ): Promise<[string, string]> => {
    expect(needsWindow(filter, named, manyOverrides)).toBe(true)
    const end = windowEndStatement(TEST_STORE, filter, after, 10)
    const through = await first(end.text, end.values)
    expect(through).toBeDefined()
    const page = listStatement(TEST_STORE, filter, 21, { after, through, named, manyOverrides })
    return [(await run(end.text, end.values)).join('\n'), (await run(page.text, page.values)).join('\n')]
  }
  if (TEST_STORE === 'sqlite') {
    return withSqlite(async (sqlite) => {
      const named =
        filter.application === undefined ? undefined : searchCandidates(sqlite)(filter.application)
      return explain(
        async (text, values) =>
          (sqlite.prepare(`EXPLAIN QUERY PLAN ${text}`).all(values) as { detail: string }[]).map(
            (r) => r.detail,
          ),
        named,
        async (text, values) => {
          const row = sqlite.prepare(text).get(values) as { createdAt: string; id: string } | undefined
          return row && { createdAt: new Date(row.createdAt), id: row.id }
        },
      )
    })
  }
  return withPlanner(ORDERED_READ, async (client) => {
    const named = filter.application === undefined ? undefined : await searchNames(client, filter.application)
    return explain(
      async (text, values) =>
        (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)).rows.map(
          (r) => r['QUERY PLAN'],
        ),
      named,
      async (text, values) => (await client.query<ListPosition>(text, values)).rows[0],
    )
  })
}

describe('a windowed read: its end from the walked index alone, its page between two bounds of it', () => {
  const rows = WINDOWED.map(([name, filter, index, many]) => ({ name, filter, index, many }))
  test.each(rows)('$name', async ({ filter, index, many }) => {
    const after = { createdAt: new Date(Date.UTC(2026, 0, 1, 0, 30)), id: 'z' }
    const [end, page] = await windowPlans(filter, after, many)
    // Many overrides: each row of the window probes the overrides' index, none is read as a set.
    if (many) expect(page).toMatch(/SEARCH o EXISTS USING COVERING INDEX|Index Only Scan using "overrides_/)
    for (const shown of [end, page]) {
      expect(shown).toContain(index)
      expect(shown).not.toMatch(
        /TEMP B-TREE FOR ORDER BY|Sort Key|Seq Scan on assessments|SCAN a\b(?! USING)/,
      )
    }
    // The end: the index alone (SQLite: covering; PostgreSQL: an index-only scan).
    expect(end).toMatch(/COVERING INDEX|Index Only Scan/)
    // The page: the index's range bounded from both sides, the window's end included.
    if (TEST_STORE === 'sqlite') expect(page).toMatch(/createdAt>\? AND createdAt<\?/)
    else
      expect(page).toMatch(
        /Index Cond: .*"createdAt" <= .*"createdAt" >= |Index Cond: .*"createdAt" >= .*"createdAt" <= /,
      )
  })
})
