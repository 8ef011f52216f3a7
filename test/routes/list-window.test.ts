import pg from 'pg'
import { ledger, publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { TEST_STORE } from '../helpers/databases'

/**
 * A list read that tests rows one by one examines at most LIST_WINDOW of them (ListedRows in
 * src/store/types.ts). Here the window is 5 rows, so that a few assessments show what a million
 * would: a page may come back short, even empty, with a cursor that goes on, and following the
 * cursors (or exporting) still finds every match.
 */
let t: TestApp
beforeEach(async () => {
  // A lookup among the names that a loaded machine stalls past its budget would make a page that
  // the names serve whole windowed; the budget has its own test below.
  t = await createTestApp({ env: { LIST_WINDOW: '5', NAME_SEARCH_BUDGET_MS: '5000' } })
})
afterEach(async () => t.close())

type Item = { application: { name: string }; org: string }
const list = (query: Record<string, string | number>) =>
  t.http().get('/v1/assessments').set(bearer(t.keys.auditor)).query(query).expect(200)

/** Three old ledgers, then twelve newer portals. */
async function seed() {
  for (const n of [1, 2, 3]) {
    await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .send(ledger(`Legacy ledger ${n}`))
      .expect(201)
  }
  for (let n = 1; n <= 12; n++) {
    await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterB))
      .send(publicPortal(`Portal ${n}`))
      .expect(201)
  }
}

/** Every page of a query, following nextCursor until it is null. */
async function walk(query: Record<string, string | number>) {
  const pages: Item[][] = []
  let cursor: string | undefined
  do {
    const { body } = await list(cursor === undefined ? query : { ...query, cursor })
    pages.push(body.items)
    cursor = body.nextCursor ?? undefined
  } while (cursor !== undefined && pages.length < 50)
  return pages
}

/** The three ledgers seed() makes, newest first (list order). */
const LEDGERS = ['Legacy ledger 3', 'Legacy ledger 2', 'Legacy ledger 1']

/** A walk for the ledgers with a window of five: two empty windows, then the one holding them. */
function expectLedgersInThirdWindow(pages: Item[][]) {
  expect(pages.map((p) => p.length)).toEqual([0, 0, 3])
  expect(pages.flat().map((i) => i.application.name)).toEqual(LEDGERS)
}

describe('list pages read a bounded window when no index serves their filter', () => {
  test('a term too short for the name search: short pages with a cursor, then every match', async () => {
    await seed()
    // "dg" (of "ledger"): two characters, no trigram, so each row is tested in list order.
    const first = await list({ application: 'dg', limit: 20 })
    expect(first.body.items).toEqual([])
    expect(first.body.nextCursor).toEqual(expect.any(String))
    const pages = await walk({ application: 'dg', limit: 20 })
    // Fifteen rows, five a window: three windows, the last one holding the ledgers.
    expectLedgersInThirdWindow(pages)
  })

  test('a page that fills up within its window goes on after its last row, as always', async () => {
    await seed()
    // Two equality filters (org and recommendation): org-b's portals are all containers.
    const pages = await walk({ org: 'org-b', recommendation: 'container', limit: 2 })
    expect(pages.flat().map((i) => i.application.name)).toEqual(
      Array.from({ length: 12 }, (_, i) => `Portal ${12 - i}`),
    )
    expect(pages.every((p) => p.length <= 2)).toBe(true)
  })

  test('a filter its index serves whole is never windowed: full pages, and null at the end', async () => {
    await seed()
    const { body } = await list({ org: 'org-b', limit: 20 })
    expect(body.items).toHaveLength(12)
    expect(body.nextCursor).toBeNull()
    const ledgers = await list({ application: 'ledger', limit: 20 })
    expect(ledgers.body.items.map((i: Item) => i.application.name)).toEqual(LEDGERS)
    expect(ledgers.body.nextCursor).toBeNull()
  })

  test('overridden: the overrides read first while few, a window at a time once they are many', async () => {
    await seed()
    const ledgers = (await list({ application: 'ledger', limit: 20 })).body.items as (Item & { id: string })[]
    const override = (id: string) =>
      t
        .http()
        .post(`/v1/assessments/${id}/override`)
        .set(bearer(t.keys.submitterA))
        .send({ placement: 'container', reasonCode: 'vendor_support', reason: 'kept where it runs' })
        .expect(201)
    // One override: no more than a window of 5 reads first (a tenth of it, rounded up).
    await override((ledgers[2] as { id: string }).id)
    const few = await list({ overridden: 'true', limit: 20 })
    expect(few.body.items.map((i: Item) => i.application.name)).toEqual(['Legacy ledger 1'])
    expect(few.body.nextCursor).toBeNull()
    // Two: the list order read a window at a time, a probe a row, as for overridden=false.
    await override((ledgers[0] as { id: string }).id)
    const pages = await walk({ overridden: 'true', limit: 20 })
    expect(pages.map((p) => p.length)).toEqual([0, 0, 2])
    expect(pages.flat().map((i) => i.application.name)).toEqual(['Legacy ledger 3', 'Legacy ledger 1'])
  })

  test('an export walks on past every window', async () => {
    await seed()
    const res = await t
      .http()
      .get('/v1/assessments/export')
      .query({ application: 'dg' })
      .set(bearer(t.keys.auditor))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = []
        response.on('data', (c: Buffer) => chunks.push(c))
        response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')))
      })
      .expect(200)
    const names = (res.body as string)
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as Item).application.name)
    expect(names).toEqual(LEDGERS)
  })
})

const onPostgres = TEST_STORE === 'postgres' ? describe : describe.skip

onPostgres('a name lookup past NAME_SEARCH_BUDGET_MS', () => {
  test('the page reads a window instead, and the walk finds the same rows', async () => {
    await t.close()
    t = await createTestApp({ env: { LIST_WINDOW: '5', NAME_SEARCH_BUDGET_MS: '50' } })
    await seed()
    // What a migration's DDL takes: the lookup waits on it past its budget, however fast the server.
    const locker = new pg.Client({ connectionString: t.config.DATABASE_URL })
    await locker.connect()
    try {
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE "application_names" IN ACCESS EXCLUSIVE MODE')
      const pages = await walk({ application: 'ledger', limit: 20 })
      expectLedgersInThirdWindow(pages)
      await locker.query('ROLLBACK')
      // Within the budget: the names serve the page whole.
      const { body } = await list({ application: 'ledger', limit: 20 })
      expect(body.items).toHaveLength(3)
      expect(body.nextCursor).toBeNull()
    } finally {
      await locker.end()
    }
  })
})
