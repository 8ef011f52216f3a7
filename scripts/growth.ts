import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { PAPER_DEFAULT_POLICY } from '../src/domain/policies/paper-default'
import { assessmentExport } from '../src/services/assessment-export'
import { type AssessmentService, assessmentService, type ListQuery } from '../src/services/assessments'
import { auditService } from '../src/services/audit'
import { encodeCursor } from '../src/services/cursor'
import { policyCatalog } from '../src/services/policies'
import type { Principal } from '../src/services/principal'
import { parseDatabaseUrl } from '../src/store/database-url'
import {
  listStatement,
  needsWindow,
  overridesBeyondStatement,
  searchCandidates,
  searchNames,
  windowEndStatement,
} from '../src/store/fast-reads'
import { openStore } from '../src/store/open-store'
import type { AssessmentFilter, ListPosition, Store } from '../src/store/types'
import { publicPortal } from '../test/fixtures/descriptors'
import { postgresDatabase } from '../test/helpers/databases'
import { HISTORY, seedHistory } from './lib/seed'

/**
 * How cost grows with the history (`npm run growth`; `-- --postgres <admin url>` adds
 * PostgreSQL, `--sizes 10000,100000,1000000`, `--store sqlite|postgres`): seeds a throw-away
 * database up to each size in turn and times, at each, list pages (the first, a deep cursor page,
 * every filter), an assessment by id, a create, a full NDJSON export and a full audit verify;
 * then prints each list query's plan at the largest size (SQLite EXPLAIN QUERY PLAN, PostgreSQL
 * EXPLAIN ANALYZE). In process, through the services the routes call. Not part of `npm test`.
 */
const argument = (name: string) => {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : undefined
}
const SIZES = (argument('--sizes') ?? '10000,100000,1000000').split(',').map(Number)
const POSTGRES = argument('--postgres')
const ONLY_STORE = argument('--store')

const auditor: Principal = { keyId: 'growth', org: 'org-0', role: 'auditor' }
const submitter: Principal = { keyId: 'growth', org: 'org-3', role: 'submitter' }
const iso = (i: number) => new Date(HISTORY.start + i * 1000).toISOString()

/** The list queries measured: the first page unless a cursor is given. */
function queries(size: number): { name: string; principal: Principal; query: Omit<ListQuery, 'limit'> }[] {
  return [
    { name: 'first page', principal: auditor, query: {} },
    { name: 'org (a submitter)', principal: submitter, query: {} },
    { name: 'recommendation', principal: auditor, query: { recommendation: 'container' } },
    // Names are "Generated application <n>": "77" is in about one in twenty, all through the
    // history; "application 1" in a tenth of a million rows, all of them old (the worst case:
    // many matches, none near the top); the last matches one row.
    { name: 'application, 1 in 20 throughout', principal: auditor, query: { application: '77' } },
    { name: 'application, many, all old', principal: auditor, query: { application: 'application 1' } },
    // One name assessed 500 times, all in the first 10 000 (HISTORY.legacy).
    {
      name: 'application, one name 500 times, all old',
      principal: auditor,
      query: { application: 'payroll' },
    },
    {
      name: 'application, one match',
      principal: auditor,
      query: { application: `application ${Math.floor(size / 3)}` },
    },
    { name: 'policyId (a tenth)', principal: auditor, query: { policyId: PAPER_DEFAULT_POLICY.id } },
    { name: 'stale', principal: auditor, query: { stale: true } },
    { name: 'overridden', principal: auditor, query: { overridden: true } },
    { name: 'not overridden', principal: auditor, query: { overridden: false } },
    // Two equality filters: read a window of the org's index, the recommendation tested a row.
    { name: 'org and recommendation', principal: submitter, query: { recommendation: 'container' } },
    {
      name: 'one hour, mid-history',
      principal: auditor,
      query: { from: iso(size / 2), to: iso(size / 2 + 3600) },
    },
  ]
}

async function timed<T>(
  work: () => Promise<T>,
  runs: number,
): Promise<{ median: number; p95: number; last: T }> {
  const times: number[] = []
  let last: T | undefined
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    last = await work()
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  times.sort((a, b) => a - b)
  return {
    median: times[Math.floor(times.length / 2)] as number,
    p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] as number,
    last: last as T,
  }
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0))

/** A cursor `depth` of the way into the history, newest first (0.9: nine tenths down). */
async function deepCursor(service: AssessmentService, size: number, depth: number): Promise<string> {
  const index = Math.floor(size * (1 - depth))
  const page = await service.list(auditor, { limit: 1, to: iso(index) })
  const item = page.items[0] as { id: string; createdAt: string }
  return encodeCursor({ createdAt: new Date(item.createdAt), id: item.id })
}

async function measure(label: string, store: Store, size: number, rows: string[]) {
  const policies = policyCatalog(store.policies)
  const service = assessmentService({ assessments: store.assessments, policies })
  const runs = 21
  const line = (what: string, median: number, p95: number, note = '') => {
    const row = `| ${label} | ${size.toLocaleString('en')} | ${what} | ${ms(median)} | ${ms(p95)} | ${note} |`
    rows.push(row)
    process.stdout.write(`${row}\n`)
  }
  // What the routes call: pages and reads answered as JSON bytes (assessment-answers.ts).
  const rowsOf = (json: Buffer) => {
    const page = JSON.parse(json.toString('utf8')) as { items: unknown[]; nextCursor: string | null }
    return `${page.items.length} rows${page.items.length < 20 && page.nextCursor ? ', a next cursor' : ''}`
  }
  for (const q of queries(size)) {
    const r = await timed(() => service.listJson(q.principal, { ...q.query, limit: 20 }, 'en'), runs)
    line(`list: ${q.name}`, r.median, r.p95, rowsOf(r.last))
  }
  // A page is bounded (LIST_WINDOW); a client that wants the first match of a rare term follows
  // the cursors of short pages to it: what that costs in all.
  const toFirst = await timed(async () => {
    let pages = 0
    let next: string | undefined
    for (;;) {
      pages++
      const page = await service.list(auditor, { application: 'application 1', limit: 20, cursor: next })
      if (page.items.length > 0 || page.nextCursor === null) return pages
      next = page.nextCursor
    }
  }, 3)
  line(
    'list: application, many, all old: pages to the first match',
    toFirst.median,
    toFirst.p95,
    `${toFirst.last} pages`,
  )
  const cursor = await deepCursor(service, size, 0.9)
  const deep = await timed(() => service.listJson(auditor, { limit: 20, cursor }, 'en'), runs)
  line('list: a page nine tenths down', deep.median, deep.p95, rowsOf(deep.last))
  const deepOrg = await timed(() => service.listJson(submitter, { limit: 20, cursor }, 'en'), runs)
  line('list: org, a page nine tenths down', deepOrg.median, deepOrg.p95, rowsOf(deepOrg.last))
  const someId = (await service.list(auditor, { limit: 1, to: iso(size / 2) })).items[0]?.id as string
  const byId = await timed(() => service.getJson(auditor, someId, 'en'), runs * 5)
  line('GET one assessment', byId.median, byId.p95)
  const created = await timed(
    () => service.create(submitter, publicPortal(`Growth ${Date.now()}`), undefined, 'en'),
    runs * 5,
  )
  line('create one assessment', created.median, created.p95)

  const exporter = assessmentExport(service, store.audit)
  const t0 = Date.now()
  let lines = 0
  for await (const chunk of exporter.lines(auditor, {}, 'ndjson', 'en')) {
    for (let at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', at + 1)) lines++
  }
  const exportSeconds = (Date.now() - t0) / 1000
  line(
    'export, NDJSON, every row',
    exportSeconds * 1000,
    exportSeconds * 1000,
    `${lines} lines, ${(lines / exportSeconds).toFixed(0)} rows/s`,
  )

  const audit = auditService(store.audit, generateKeyPairSync('ed25519').privateKey, {
    checkpointEvery: 1_000_000_000,
    checkpointSeconds: 1_000_000,
    retentionDays: null,
  })
  const t1 = Date.now()
  const verified = await audit.verify()
  const verifySeconds = (Date.now() - t1) / 1000
  line(
    'audit verify, whole log',
    verifySeconds * 1000,
    verifySeconds * 1000,
    `${verified.ok ? 'ok' : `FAILED: ${verified.reason}`}, ${verified.checked} entries, ${(verified.checked / verifySeconds).toFixed(0)}/s`,
  )
}

/** The list statements' plans at the largest size, the way the service would run them. */
async function plans(kind: 'sqlite' | 'postgres', url: string, size: number): Promise<string[]> {
  const filters: [string, AssessmentFilter, ListPosition?][] = [
    ['first page', {}],
    ['org', { org: 'org-3' }],
    ['recommendation', { recommendation: 'container' }],
    ['application', { application: `application ${Math.floor(size / 3)}` }],
    ['policyId', { policyId: PAPER_DEFAULT_POLICY.id }],
    ['stale', { notPolicyId: 'nirs-paper-v2' }],
    ['overridden', { overridden: true }],
    ['not overridden', { overridden: false }],
    ['application, many, all old', { application: 'application 1' }],
    ['org and recommendation', { org: 'org-3', recommendation: 'container' }],
    ['one hour', { from: new Date(iso(size / 2)), to: new Date(iso(size / 2 + 3600)) }],
    ['deep cursor', {}, { createdAt: new Date(iso(size / 10)), id: 'ffffffff' }],
    ['org, deep cursor', { org: 'org-3' }, { createdAt: new Date(iso(size / 10)), id: 'ffffffff' }],
  ]
  const out: string[] = []
  if (kind === 'sqlite') {
    const db = new Database(parseDatabaseUrl(url).target, { readonly: true })
    for (const [name, filter, after] of filters) {
      // As the service runs it: a rare application term through the search index's candidates.
      const named = filter.application === undefined ? undefined : searchCandidates(db)(filter.application)
      // And within its window when it needs one (types.ts ListedRows).
      let through: ListPosition | undefined
      const beyond = overridesBeyondStatement('sqlite')
      const manyOverrides =
        filter.overridden === true && db.prepare(beyond.text).get(beyond.values) !== undefined
      if (needsWindow(filter, named, manyOverrides)) {
        const end = windowEndStatement('sqlite', filter, after)
        const row = db.prepare(end.text).get(end.values) as { createdAt: string; id: string } | undefined
        through = row && { createdAt: new Date(row.createdAt), id: row.id }
      }
      const { text, values } = listStatement('sqlite', filter, 21, { after, through, named, manyOverrides })
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(values) as { detail: string }[]
      out.push(`- ${name}: ${plan.map((p) => p.detail).join('; ')}`)
    }
    db.close()
  } else {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    for (const [name, filter, after] of filters) {
      // As the service runs it: an application term through the names' trigram index first.
      const named =
        filter.application === undefined ? undefined : await searchNames(client, filter.application)
      let through: ListPosition | undefined
      const manyOverrides =
        filter.overridden === true &&
        (await client.query(overridesBeyondStatement('postgres'))).rows.length > 0
      if (needsWindow(filter, named, manyOverrides)) {
        const [row] = (await client.query<ListPosition>(windowEndStatement('postgres', filter, after))).rows
        through = row
      }
      const { text, values } = listStatement('postgres', filter, 21, { after, through, named, manyOverrides })
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, COSTS OFF) ${text}`,
        values,
      )
      const lines = rows.map((r) => r['QUERY PLAN'])
      const nodes = lines
        .filter((l) => /Scan|Sort|Join|Limit|Semi|Anti|Nested/.test(l))
        .map((l) =>
          l
            .trim()
            .replace(/^->\s*/, '')
            .replace(/\s*\(actual.*$/, ''),
        )
      const time = lines.find((l) => l.startsWith('Execution Time'))
      out.push(`- ${name}: ${nodes.join(' > ')} (${time})`)
    }
    await client.end()
  }
  for (const line of out) process.stdout.write(`${line}\n`)
  return out
}

async function run(label: 'SQLite' | 'PostgreSQL', url: string, rows: string[]) {
  const store = await openStore({ databaseUrl: url, migrate: true })
  try {
    let seeded = 0
    for (const size of SIZES) {
      const seconds = await seedHistory(store, seeded, size)
      process.stdout.write(
        `\n${label}: seeded ${seeded.toLocaleString('en')} -> ${size.toLocaleString('en')} in ${seconds.toFixed(0)} s (${((size - seeded) / seconds).toFixed(0)}/s)\n`,
      )
      seeded = size
      if (label === 'PostgreSQL') {
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        await client.query('ANALYZE')
        await client.end()
      }
      await measure(label, store, size, rows)
    }
    process.stdout.write(`\n${label} plans at ${seeded.toLocaleString('en')}:\n`)
    await plans(label === 'SQLite' ? 'sqlite' : 'postgres', url, seeded)
  } finally {
    await store.close()
  }
}

async function main() {
  const rows: string[] = []
  process.stdout.write(
    '| store | assessments | operation | median ms | p95 ms | note |\n|---|---|---|---|---|---|\n',
  )
  if (ONLY_STORE !== 'postgres') {
    const dir = mkdtempSync(path.join(tmpdir(), 'placement-growth-'))
    try {
      await run('SQLite', `file:${path.join(dir, 'growth.db')}`, rows)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  if (POSTGRES && ONLY_STORE !== 'sqlite') {
    process.env.TEST_POSTGRES_URL = POSTGRES
    const db = await postgresDatabase()
    try {
      await run('PostgreSQL', db.url, rows)
    } finally {
      await db.cleanup()
    }
  }
  process.stdout.write(`\n${rows.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
