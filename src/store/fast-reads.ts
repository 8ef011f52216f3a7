import Database from 'better-sqlite3'
import type pg from 'pg'
import type { AuditEntry, AuditKind } from '../audit-log/entry'
import type {
  AssessmentBytes,
  AssessmentFilter,
  AssessmentRecord,
  AssessmentRepository,
  AuditPosition,
  ListedRows,
  ListPosition,
  OverrideRecord,
} from './types'

/**
 * The hottest reads (an assessment by id, the overrides of a page of assessments, list pages)
 * as statements of the drivers themselves. Through Prisma each costs about forty times what the
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
export const AUDIT_ENTRY_COLUMNS = [
  'seq',
  'kind',
  'recordId',
  'org',
  'keyId',
  'createdAt',
  'contentHash',
  'prevHash',
  'hash',
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
  /** Rows per read when a walk pages through the history (export, policy impact): see below. */
  readonly historyPage: number
  assessmentById(id: string): Promise<AssessmentRecord | null>
  /**
   * Newest first, `(createdAt, id)` descending, strictly after `after`, within a window of at
   * most LIST_WINDOW assessments when the filter needs one (ListedRows). `within`: the window end
   * a walk's previous full page was given (null: none was needed), instead of finding it again.
   */
  list: AssessmentRepository['list']
  /** assessmentById and list with each document as its UTF-8 bytes. */
  assessmentBytesById(id: string): Promise<AssessmentBytes | null>
  listBytes: AssessmentRepository['listBytes']
  /** Oldest first, as the repository's own. */
  overridesFor(assessmentIds: string[]): Promise<OverrideRecord[]>
  /** The log's entries after `seq`, in order: a page of a walk of the whole log (verify, export). */
  auditEntriesAfter(seq: number, limit: number): Promise<AuditEntry[]>
  /** These assessments as stored, in no order (the walk's records of a page). */
  assessmentsByIds(ids: string[]): Promise<AssessmentRecord[]>
  /** The log entries' positions of these records, by record id (an export asks once a page). */
  auditPositions(kind: AuditKind, recordIds: string[]): Promise<Map<string, AuditPosition>>
  close(): void
}

type Row = Record<string, unknown>
const asEntry = (row: Row): AuditEntry =>
  ({ ...row, createdAt: new Date(row.createdAt as string | Date).toISOString() }) as AuditEntry
type PositionRow = AuditPosition & { recordId: string }
const byRecord = (rows: PositionRow[]) =>
  new Map(rows.map((r) => [r.recordId, { seq: r.seq, hash: r.hash }] as const))
const withDate = <T>(row: Row): T => ({ ...row, createdAt: new Date(row.createdAt as string | Date) }) as T

/**
 * A date as each store keeps Prisma's `DateTime`, for the driver statements here and in
 * assessment-writer.ts: SQLite, the adapter's own text (see @prisma/adapter-better-sqlite3),
 * compared as text; PostgreSQL, timestamp(3) without time zone, in UTC.
 */
export const STORED_DATE = {
  sqlite: (d: Date | string) => new Date(d).toISOString().replace('Z', '+00:00'),
  postgres: (d: Date | string) => new Date(d).toISOString().replace('T', ' ').replace('Z', ''),
}

/** A LIKE pattern matching `term` anywhere, its own `%`, `_` and `\` taken literally (ESCAPE '\'). */
export const containsPattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/**
 * Whether an assessment has overrides, read with it (the overrides' index on assessmentId): an
 * answer then asks for the overrides only when there are some, and overrides are a human act,
 * so few assessments have any.
 */
const OVERRIDDEN = `EXISTS (SELECT 1 FROM overrides o WHERE o."assessmentId" = a."id") AS "overridden"`

const DIALECTS = {
  // SQLite's LIKE ignores case (ASCII), as Prisma's `contains` did on SQLite.
  sqlite: {
    kind: 'sqlite' as const,
    placeholder: () => '?',
    date: STORED_DATE.sqlite,
    like: 'LIKE',
    columns: ASSESSMENT_COLUMNS.map((n) => `a."${n}"`).join(', '),
    // better-sqlite3 returns a BLOB as a Buffer: the document's bytes, not decoded.
    bytesColumns: `${ASSESSMENT_COLUMNS.map((n) =>
      n === 'document' ? `CAST(a."document" AS BLOB) AS "document"` : `a."${n}"`,
    ).join(', ')}, ${OVERRIDDEN}`,
  },
  // ILIKE, as Prisma's `contains` with mode insensitive.
  postgres: {
    kind: 'postgres' as const,
    placeholder: (n: number) => `$${n}`,
    date: STORED_DATE.postgres,
    like: 'ILIKE',
    columns: ASSESSMENT_COLUMNS.map((n) =>
      n === 'createdAt' ? `(a."createdAt" AT TIME ZONE 'UTC') AS "createdAt"` : `a."${n}"`,
    ).join(', '),
    // As bytea, which pg gives as a Buffer: the document's UTF-8 bytes without decoding them
    // into a (two-byte: Korean) string and encoding that again, about 10 us less a document.
    bytesColumns: `${ASSESSMENT_COLUMNS.map((n) =>
      n === 'createdAt'
        ? `(a."createdAt" AT TIME ZONE 'UTC') AS "createdAt"`
        : n === 'document'
          ? `convert_to(a."document", 'UTF8') AS "document"`
          : `a."${n}"`,
    ).join(', ')}, ${OVERRIDDEN}`,
  },
}

/** Where a list read starts and, within a window (ListedRows), where it ends. */
export interface ListRange {
  /** Strictly after this position. */
  after?: ListPosition
  /** Down to this position, itself included. */
  through?: ListPosition
}

/** A statement's values as its text names them: `param(value)` records one, gives its placeholder. */
function statementOf(kind: 'sqlite' | 'postgres') {
  const dialect = DIALECTS[kind]
  const values: unknown[] = []
  const param = (value: unknown) => {
    values.push(value)
    return dialect.placeholder(values.length)
  }
  return { dialect, values, param }
}

/** The list statement of one store for a filter: its text and its values (also for EXPLAIN). */
export function listStatement(
  kind: 'sqlite' | 'postgres',
  filter: AssessmentFilter,
  limit: number,
  {
    after,
    through,
    named,
    bytes = false,
    manyOverrides = false,
  }: ListRange & { named?: readonly string[]; bytes?: boolean; manyOverrides?: boolean } = {},
): { text: string; values: unknown[] } {
  const { dialect, values, param } = statementOf(kind)
  const columns = bytes ? dialect.bytesColumns : dialect.columns
  return {
    text: listQuery(
      filter,
      limit,
      { after, through },
      { ...dialect, kind, columns, param, manyOverrides },
      named,
    ),
    values,
  }
}

/**
 * The most assessments a list read examines one by one (ListedRows in types.ts). A page of a
 * filter that no index serves whole reads the index of its most selective equality filter (or
 * the list order itself) and tests each row: 10 000 such rows cost some milliseconds on either
 * store (BENCHMARKS.md), where a rare match in a million rows cost seconds. Fewer rows than a
 * page and a next cursor then say "nothing more in this window; go on".
 */
export const LIST_WINDOW = 10_000

/**
 * The most overrides a page of overridden assessments reads first, for a window of `windowSize`:
 * a tenth of it. Read first, each override costs about ten times what a row of a window does
 * (an id read, a lookup by id, a place in the sort: 10 ms on SQLite and 19 on PostgreSQL for
 * 1 000, against 6-7 for a window of 10 000; BENCHMARKS.md), so either way a page costs about a
 * window's reading. With more (`manyOverrides`) they are common enough that a window in list
 * order, with a probe a row, finds them.
 */
export const overridesReadFirst = (windowSize: number) => Math.ceil(windowSize / 10)

/**
 * A row when the overrides are more than overridesReadFirst (`manyOverrides`): a read of at most
 * that many index entries.
 */
export function overridesBeyondStatement(
  kind: 'sqlite' | 'postgres',
  windowSize = LIST_WINDOW,
): { text: string; values: unknown[] } {
  const { values, param } = statementOf(kind)
  return { text: `SELECT 1 FROM overrides LIMIT 1 OFFSET ${param(overridesReadFirst(windowSize))}`, values }
}

/**
 * Whether a filter's read tests rows that its index does not select: an application term that
 * the name search could not narrow (`named` undefined), two or more of org, recommendation and
 * policy (each has an index, none two), a policy version (no index has it), stale (any policy
 * but one), not overridden (a probe a row), and overridden when the overrides are more than
 * overridesReadFirst (`manyOverrides`). A term the name search narrowed reads only its names'
 * assessments, whatever else it is given; overridden with few overrides reads them first; a date
 * range bounds the index's range itself.
 */
export function needsWindow(
  filter: AssessmentFilter,
  named: readonly string[] | undefined,
  manyOverrides = false,
): boolean {
  if (filter.application !== undefined) return named === undefined
  const equalities = [filter.org, filter.recommendation, filter.policyId].filter((v) => v !== undefined)
  return (
    equalities.length > 1 ||
    filter.policyVersion !== undefined ||
    filter.notPolicyId !== undefined ||
    filter.overridden === false ||
    (filter.overridden === true && manyOverrides)
  )
}

/**
 * The window's end for a read that needs one: the LIST_WINDOW-th position after `after` in the
 * index the read walks (its policy's, org's or recommendation's, in that order, or the list
 * order's), within the date range, and the one after it. No row: fewer are left, and the read
 * needs no bound; no second row: the window ends where the walk does.
 */
export function windowEndStatement(
  kind: 'sqlite' | 'postgres',
  filter: AssessmentFilter,
  after?: ListPosition,
  windowSize = LIST_WINDOW,
): { text: string; values: unknown[] } {
  const { dialect, values, param } = statementOf(kind)
  const { walked, index } = walkedIndex(filter)
  const where = conditions('a', walked, { after }, { ...dialect, param })
  const created = kind === 'postgres' ? `(a."createdAt" AT TIME ZONE 'UTC') AS "createdAt"` : 'a."createdAt"'
  const text =
    `SELECT ${created}, a."id" FROM assessments a${indexedBy(kind, index)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY a."createdAt" DESC, a."id" DESC LIMIT 2 OFFSET ${param(windowSize - 1)}`
  return { text, values }
}

/**
 * SQLite's application search (the `application_names` table and its trigram index, see their
 * migration): the distinct names that contain the term as LIKE means it, or undefined when the
 * index cannot narrow the search. A term of fewer than three characters has no trigram; a term
 * in more than SEARCH_NAMES names is common enough that reading in list order finds a page
 * sooner than reading each name's newest assessments. The index folds case more widely than
 * LIKE does, so it only narrows: LIKE decides on the names it finds.
 */
export const SEARCH_NAMES = 100

/** Whether a term holds a trigram, which both stores' name indexes need to narrow anything. */
const hasTrigram = (term: string) => [...term].length >= 3

export function searchCandidates(db: Database.Database): (term: string) => string[] | undefined {
  const probe = db.prepare(
    'SELECT n."name" FROM "application_name_search" s JOIN "application_names" n ON n."id" = s.rowid ' +
      `WHERE "application_name_search" MATCH ? AND n."name" LIKE ? ESCAPE '\\' LIMIT ?`,
  )
  probe.pluck()
  return (term) => {
    if (!hasTrigram(term)) return undefined
    // A phrase of the whole term: FTS5 takes everything between double quotes literally.
    const names = probe.all(
      `"${term.replaceAll('"', '""')}"`,
      containsPattern(term),
      SEARCH_NAMES + 1,
    ) as string[]
    return names.length > SEARCH_NAMES ? undefined : names
  }
}

/**
 * The index a windowed read walks, and the filter it selects by: the filter's policy, org or
 * recommendation (Prisma's names for their indexes, prisma/models.prisma), else the list order.
 */
function walkedIndex(filter: AssessmentFilter): { walked: AssessmentFilter; index: string } {
  const walked: AssessmentFilter = { from: filter.from, to: filter.to }
  if (filter.policyId !== undefined) {
    walked.policyId = filter.policyId
    return { walked, index: 'assessments_policyId_createdAt_id_idx' }
  }
  if (filter.org !== undefined) {
    walked.org = filter.org
    return { walked, index: 'assessments_org_createdAt_id_idx' }
  }
  if (filter.recommendation !== undefined) {
    walked.recommendation = filter.recommendation
    return { walked, index: 'assessments_recommendation_createdAt_id_idx' }
  }
  return { walked, index: 'assessments_createdAt_id_idx' }
}

/**
 * SQLite reads a window by the index its end was found in: without statistics its planner took
 * the recommendation's index for org and recommendation, whose rows between the window's bounds
 * could be any number. PostgreSQL's planner weighs both by its statistics: either costs at most
 * what the walked one does.
 */
const indexedBy = (kind: 'sqlite' | 'postgres', index: string) =>
  kind === 'sqlite' ? ` INDEXED BY "${index}"` : ''

/** A read's bound (`through`), and where the walk goes on after it (`end`: null, nowhere). */
interface Window {
  through?: ListPosition
  end: ListPosition | null
}
const NO_WINDOW: Window = { end: null }

/** The window from windowEndStatement's rows: the window's last position and the one after it. */
const windowOf = ([last, next]: ListPosition[]): Window =>
  last === undefined ? NO_WINDOW : { through: last, end: next === undefined ? null : last }

/** The window a walk's previous full page was read within (its `within`). */
const windowWithin = (within: ListPosition | null): Window =>
  within === null ? NO_WINDOW : { through: within, end: within }

/**
 * The list query for a filter: WHERE clauses in a fixed order (so each combination of filters is
 * one statement text, prepared once), keyset paging on `(createdAt, id)`, the order every index
 * on assessments ends with (prisma/models.prisma). `param(value)` returns the placeholder for a
 * value and records it; `date` gives a date in the store's own text form.
 */
function listQuery(
  filter: AssessmentFilter,
  limit: number,
  range: ListRange,
  dialect: {
    kind: 'sqlite' | 'postgres'
    param: (value: unknown) => string
    date: (d: Date) => unknown
    like: string
    columns: string
    manyOverrides: boolean
  },
  named?: readonly string[],
): string {
  const { param } = dialect
  const order = (t: string) => `ORDER BY ${t}."createdAt" DESC, ${t}."id" DESC`
  if (named !== undefined) {
    // The names the search index found: each name's newest assessments that pass the other
    // filters, read in list order through the name's index (at most a page of each), then the
    // page of them all. What this reads grows with the names matched, never with how many
    // assessments each has or how old they are. Placeholders are recorded in the order the text
    // names them (SQLite's are positional).
    const names = param(dialect.kind === 'sqlite' ? JSON.stringify(named) : named)
    const each = conditions('c', { ...filter, application: undefined }, range, dialect)
    const ofName = ['c."applicationName" = n."value"', ...each].join(' AND ')
    if (dialect.kind === 'sqlite') {
      // No LATERAL in SQLite: a correlated subquery with its own LIMIT; CROSS JOIN fixes the
      // order, names first.
      return (
        `SELECT ${dialect.columns} FROM assessments a WHERE a.rowid IN (` +
        `SELECT b.rowid FROM json_each(${names}) n CROSS JOIN assessments b WHERE b.rowid IN (` +
        `SELECT c.rowid FROM assessments c WHERE ${ofName} ` +
        `${order('c')} LIMIT ${param(limit)}) ${order('b')} LIMIT ${param(limit)}) ` +
        `${order('a')} LIMIT ${param(limit)}`
      )
    }
    return (
      `SELECT ${dialect.columns} FROM assessments a WHERE a."id" IN (` +
      `SELECT b."id" FROM unnest(${names}::text[]) AS n("value") CROSS JOIN LATERAL (` +
      `SELECT c."id", c."createdAt" FROM assessments c WHERE ${ofName} ` +
      `${order('c')} LIMIT ${param(limit)}) b ${order('b')} LIMIT ${param(limit)}) ` +
      `${order('a')} LIMIT ${param(limit)}`
    )
  }
  const where = conditions('a', filter, range, dialect)
  const walked = range.through === undefined ? '' : indexedBy(dialect.kind, walkedIndex(filter).index)
  return (
    `SELECT ${dialect.columns} FROM assessments a${walked}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ` +
    `${order('a')} LIMIT ${param(limit)}`
  )
}

/** The WHERE clauses of a filter and a page's range, on the assessments aliased `t`. */
function conditions(
  t: string,
  filter: AssessmentFilter,
  { after, through }: ListRange,
  dialect: {
    kind: 'sqlite' | 'postgres'
    param: (value: unknown) => string
    date: (d: Date) => unknown
    like: string
    manyOverrides?: boolean
  },
): string[] {
  const { param, date } = dialect
  const where: string[] = []
  if (filter.org !== undefined) where.push(`${t}."org" = ${param(filter.org)}`)
  if (filter.recommendation !== undefined)
    where.push(`${t}."recommendation" = ${param(filter.recommendation)}`)
  if (filter.policyId !== undefined) where.push(`${t}."policyId" = ${param(filter.policyId)}`)
  if (filter.policyVersion !== undefined) where.push(`${t}."policyVersion" = ${param(filter.policyVersion)}`)
  if (filter.notPolicyId !== undefined) where.push(`${t}."policyId" <> ${param(filter.notPolicyId)}`)
  if (filter.from !== undefined) where.push(`${t}."createdAt" >= ${param(date(filter.from))}`)
  if (filter.to !== undefined) where.push(`${t}."createdAt" < ${param(date(filter.to))}`)
  if (filter.application !== undefined) {
    where.push(
      `${t}."applicationName" ${dialect.like} ${param(containsPattern(filter.application))} ESCAPE '\\'`,
    )
  }
  // Overridden ones, while there are few (a human act; overridesReadFirst), as a set of the
  // overrides' ids, read first and looked up by id: what a page reads is then bounded by the
  // overrides, never by the assessments or where in the history the overrides are. SQLite plans
  // IN so; PostgreSQL's planner chose an ordered read of every assessment with a probe each
  // (BENCHMARKS.md), which reads the whole history when the overrides are old, and an ARRAY() is
  // computed once before the read, so it cannot. Many overrides, and the rest (not overridden),
  // are read in order with a probe a row, a window at a time (needsWindow).
  if (filter.overridden === true && dialect.manyOverrides) {
    where.push(`EXISTS (SELECT 1 FROM overrides o WHERE o."assessmentId" = ${t}."id")`)
  } else if (filter.overridden === true) {
    where.push(
      dialect.kind === 'sqlite'
        ? `${t}."id" IN (SELECT o."assessmentId" FROM overrides o)`
        : `${t}."id" = ANY (ARRAY(SELECT o."assessmentId" FROM overrides o))`,
    )
  }
  if (filter.overridden === false) {
    where.push(`NOT EXISTS (SELECT 1 FROM overrides o WHERE o."assessmentId" = ${t}."id")`)
  }
  if (after !== undefined) {
    // The page starts after the cursor: (createdAt, id) as a row value, which every index on
    // assessments ends with, plus `createdAt <=` on its own. A database seeks with a row value
    // only over an index's leading columns; after an equality column (org, policy,
    // recommendation) PostgreSQL positions by the scalar bound instead (measured: without it an
    // org's page nine tenths down read every newer entry of the org). So a page deep in the
    // history costs what the first one does.
    where.push(`${t}."createdAt" <= ${param(date(after.createdAt))}`)
    where.push(`(${t}."createdAt", ${t}."id") < (${param(date(after.createdAt))}, ${param(after.id)})`)
  }
  if (through !== undefined) {
    // The window's end, bounded the same way from the other side.
    where.push(`${t}."createdAt" >= ${param(date(through.createdAt))}`)
    where.push(`(${t}."createdAt", ${t}."id") >= (${param(date(through.createdAt))}, ${param(through.id)})`)
  }
  return where
}

/**
 * A walk's page on SQLite. A page is read and parsed in one synchronous stretch, and its parsed
 * documents stay alive until its last row is written out: 500 held the event loop for up to
 * 64 ms and grew the heap to 270 MB during a 100 000-row export; 25 keep stretches under about
 * 40 ms and the heap near 160 MB, and larger pages were no faster (BENCHMARKS.md).
 */
export const SQLITE_HISTORY_PAGE = 25

/**
 * A walk's page on PostgreSQL: each page costs round trips (its rows, their log positions), and
 * the rows arrive while the event loop serves others. 25 to a page spent a third of an export
 * waiting for them: 100 exported 20 000 rows in 5.0-5.6 s where 25 took 6.3-9.5 s (200: no
 * faster), with the same resident memory (BENCHMARKS.md, the twelfth session).
 */
export const POSTGRES_HISTORY_PAGE = 100

/** SQLite: a read-only connection of its own (WAL: it sees every commit, and never blocks a writer). */
export function sqliteFastReads(file: string, windowSize = LIST_WINDOW): FastReads {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 })
  const columns = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ')
  const byId = db.prepare(`SELECT ${columns(ASSESSMENT_COLUMNS)} FROM assessments WHERE "id" = ?`)
  const bytesById = db.prepare(`SELECT ${DIALECTS.sqlite.bytesColumns} FROM assessments a WHERE a."id" = ?`)
  const asBytes = (row: Row) => withDate<AssessmentBytes>({ ...row, overridden: row.overridden === 1 })
  // One statement per combination of filters (at most a few hundred), prepared on first use.
  const lists = new Map<string, Database.Statement>()
  const search = searchCandidates(db)

  // The ids as one JSON array: one statement prepared once, whatever the page's size.
  const overridesOf = db.prepare(
    `SELECT ${columns(OVERRIDE_COLUMNS)} FROM overrides WHERE "assessmentId" IN (SELECT value FROM json_each(?)) ORDER BY "createdAt", "id"`,
  )
  const byIds = db.prepare(
    `SELECT ${columns(ASSESSMENT_COLUMNS)} FROM assessments WHERE "id" IN (SELECT value FROM json_each(?))`,
  )
  const entriesAfter = db.prepare(
    `SELECT ${columns(AUDIT_ENTRY_COLUMNS)} FROM "audit_log" WHERE "seq" > ? ORDER BY "seq" LIMIT ?`,
  )
  // The log's unique (kind, recordId) index.
  const positionsOf = db.prepare(
    `SELECT "recordId", "seq", "hash" FROM "audit_log" WHERE "kind" = ? AND "recordId" IN (SELECT value FROM json_each(?))`,
  )
  const prepared = (text: string) => {
    let statement = lists.get(text)
    if (!statement) {
      statement = db.prepare(text)
      lists.set(text, statement)
    }
    return statement
  }
  const overridesBeyond = overridesBeyondStatement('sqlite', windowSize)
  const manyOverrides = (filter: AssessmentFilter) =>
    filter.overridden === true && prepared(overridesBeyond.text).get(overridesBeyond.values) !== undefined
  const windowEnd = (filter: AssessmentFilter, after: ListPosition | undefined) => {
    const { text, values } = windowEndStatement('sqlite', filter, after, windowSize)
    const rows = prepared(text).all(values) as { createdAt: string; id: string }[]
    return windowOf(rows.map((r) => ({ createdAt: new Date(r.createdAt), id: r.id })))
  }
  const listed = <T>(
    filter: AssessmentFilter,
    limit: number,
    after: ListPosition | undefined,
    within: ListPosition | null | undefined,
    bytes: boolean,
    as: (row: Row) => T,
  ): ListedRows<T> => {
    const named = filter.application === undefined ? undefined : search(filter.application)
    const many = manyOverrides(filter)
    const window = !needsWindow(filter, named, many)
      ? NO_WINDOW
      : within === undefined
        ? windowEnd(filter, after)
        : windowWithin(within)
    const range = { after, through: window.through, named, bytes, manyOverrides: many }
    const { text, values } = listStatement('sqlite', filter, limit, range)
    return { rows: (prepared(text).all(values) as Row[]).map(as), windowEnd: window.end }
  }
  return {
    historyPage: SQLITE_HISTORY_PAGE,
    assessmentById: async (id) => {
      const row = byId.get(id) as Row | undefined
      return row ? withDate<AssessmentRecord>(row) : null
    },
    overridesFor: async (ids) => {
      if (ids.length === 0) return []
      const rows = overridesOf.all(JSON.stringify(ids)) as Row[]
      return rows.map((r) => withDate<OverrideRecord>(r))
    },
    list: async (filter, limit, after, within) =>
      listed(filter, limit, after, within, false, (r) => withDate<AssessmentRecord>(r)),
    assessmentBytesById: async (id) => {
      const row = bytesById.get(id) as Row | undefined
      return row ? asBytes(row) : null
    },
    listBytes: async (filter, limit, after, within) => listed(filter, limit, after, within, true, asBytes),
    auditEntriesAfter: async (seq, limit) => (entriesAfter.all(seq, limit) as Row[]).map(asEntry),
    assessmentsByIds: async (ids) =>
      ids.length === 0
        ? []
        : (byIds.all(JSON.stringify(ids)) as Row[]).map((r) => withDate<AssessmentRecord>(r)),
    auditPositions: async (kind, ids) =>
      ids.length === 0 ? new Map() : byRecord(positionsOf.all(kind, JSON.stringify(ids)) as PositionRow[]),
    close: () => db.close(),
  }
}

/**
 * The longest PostgreSQL's application search may look for names before a page gives up on
 * narrowing: past it the page is read as one whose term the indexes cannot narrow, a window in
 * list order (needsWindow), so that a page's cost stays bounded; its rows are the same. A cap for
 * runaway lookups, not a tuning: finding a rare match window by window costs far more in all than
 * a slow lookup (the match may be a hundred windows down), so it is set well above what a million
 * distinct names cost on the slowest machine measured (BENCHMARKS.md, the nineteenth session).
 * SQLite's FTS5 index seeks within its lists (1.6 ms at a million names) and has no budget.
 */
export const SEARCH_BUDGET_MS = 100

/** The share of the budget the first index gets before the lookup tries the other one. */
export const FIRST_LOOKUP_SHARE = 0.2

/** PostgreSQL's SQLSTATE for a statement that statement_timeout (or a cancel request) stopped. */
const QUERY_CANCELED = '57014'

/**
 * The names' two trigram indexes (their migrations) and the statement that reads each. Neither is
 * quick for every term, at a million distinct names "Generated application <n>":
 * - GIN checks each name that holds the term's rarest trigram against the posting lists of its
 *   other trigrams: quick for a term of few trigrams ("333333": 10 ms), slow for a rare part
 *   beside trigrams every name holds ("application 333333": 70 ms).
 * - GiST compares a signature of each name's trigrams, read as an index scan that stops at the
 *   limit (a bitmap would gather every match first, 290 ms for "application"): 6 ms for
 *   "application 333333", 100 ms for "333333", whose one trigram says little.
 * The GiST index is on `"name" || ''`, a value equal to the name, so that each statement can
 * only take its own index: the planner costs the two alike.
 */
export const NAME_LOOKUPS = {
  gin: {
    text: 'SELECT "name" FROM "application_names" WHERE "name" ILIKE $1 ESCAPE \'\\\' LIMIT $2',
    settings: '',
  },
  gist: {
    text: 'SELECT "name" FROM "application_names" WHERE ("name" || \'\') ILIKE $1 ESCAPE \'\\\' LIMIT $2',
    settings: '; SET LOCAL enable_bitmapscan = off',
  },
} as const

/**
 * The distinct trigrams of a term's runs of letters and digits, lower-cased, as pg_trgm takes
 * them from a LIKE pattern (less the padding at a word's known ends, which only adds a few).
 */
export function termTrigrams(term: string): number {
  const trigrams = new Set<string>()
  for (const word of term.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = [...word]
    for (let i = 0; i + 3 <= chars.length; i++) trigrams.add(chars.slice(i, i + 3).join(''))
  }
  return trigrams.size
}

/**
 * Which index a term's lookup tries first: GiST for five trigrams or more, GIN for fewer. In the
 * nineteenth session's measurements (BENCHMARKS.md) every term's first choice was the quicker
 * one; where it is not, the other index gets the rest of the budget.
 */
export const nameLookupOrder = (term: string): (keyof typeof NAME_LOOKUPS)[] =>
  termTrigrams(term) >= 5 ? ['gist', 'gin'] : ['gin', 'gist']

/** One try of a lookup: its statement, the settings its transaction needs, and its time. */
export interface LookupAttempt {
  text: string
  settings: string
  timeoutMs: number
}

/**
 * The rows of the first attempt that finishes within its time, or undefined when none does. Each
 * runs in a read-only transaction of its own whose statement_timeout (SET LOCAL) is its time, so
 * the server stops its work, not only the wait; given a client, it must not be in a transaction.
 */
export async function firstLookup(
  db: pg.Pool | pg.Client,
  attempts: readonly LookupAttempt[],
  values: unknown[],
): Promise<unknown[][] | undefined> {
  // A pool lends a connection for the transactions; a client is used as it is.
  const lent = 'idleCount' in db ? await db.connect() : undefined
  const client = lent ?? (db as pg.Client)
  let broken: Error | undefined
  try {
    let begin = 'BEGIN READ ONLY'
    for (const attempt of attempts) {
      await client.query(
        `${begin}; SET LOCAL statement_timeout = ${Math.max(1, Math.ceil(attempt.timeoutMs))}${attempt.settings}`,
      )
      try {
        return (await client.query<unknown[]>({ text: attempt.text, values, rowMode: 'array' })).rows
      } catch (e) {
        if ((e as { code?: unknown }).code !== QUERY_CANCELED) throw e
      }
      // The cancelled statement ended its transaction; the next attempt starts its own.
      begin = 'ROLLBACK; BEGIN READ ONLY'
    }
    return undefined
  } finally {
    // Whatever ended the statements, the connection leaves the transaction; one that cannot is
    // broken, and the pool drops it.
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e
    })
    lent?.release(broken)
  }
}

/**
 * PostgreSQL's application search, as searchCandidates on SQLite: the distinct names that contain
 * the term (ILIKE, through one of the names' trigram indexes), or undefined when the term is too
 * short for a trigram, in more than SEARCH_NAMES names, or not looked up within `budgetMs`.
 * Unnamed statements: planned for their term each time.
 */
export async function searchNames(
  db: pg.Pool | pg.Client,
  term: string,
  budgetMs = SEARCH_BUDGET_MS,
): Promise<string[] | undefined> {
  if (!hasTrigram(term)) return undefined
  const first = Math.max(1, Math.round(budgetMs * FIRST_LOOKUP_SHARE))
  const times = [first, Math.max(1, budgetMs - first)]
  const attempts = nameLookupOrder(term).map((index, i) => ({
    ...NAME_LOOKUPS[index],
    timeoutMs: times[i] ?? 1,
  }))
  const rows = await firstLookup(db, attempts, [containsPattern(term), SEARCH_NAMES + 1])
  return rows === undefined || rows.length > SEARCH_NAMES ? undefined : rows.map((r) => r[0] as string)
}

/** A PostgreSQL row read with bytesColumns: its document is already UTF-8 bytes (bytea). */
const pgBytes = (row: Row): AssessmentBytes => withDate<AssessmentBytes>(row)

/**
 * PostgreSQL: the store's own pool (its timeouts apply). Prisma keeps `DateTime` as a timestamp
 * without time zone in UTC; read as UTC explicitly, whatever the process's zone.
 */
export function postgresFastReads(
  pool: pg.Pool,
  windowSize = LIST_WINDOW,
  searchBudgetMs = SEARCH_BUDGET_MS,
): FastReads {
  const columns = (names: readonly string[]) =>
    names
      .map((n) => (n === 'createdAt' ? `("createdAt" AT TIME ZONE 'UTC') AS "createdAt"` : `"${n}"`))
      .join(', ')
  const byId = `SELECT ${columns(ASSESSMENT_COLUMNS)} FROM assessments WHERE "id" = $1`
  const bytesById = `SELECT ${DIALECTS.postgres.bytesColumns} FROM assessments a WHERE a."id" = $1`
  const overrides = `SELECT ${columns(OVERRIDE_COLUMNS)} FROM overrides WHERE "assessmentId" = ANY($1) ORDER BY "createdAt", "id"`
  const positions = `SELECT "recordId", "seq", "hash" FROM "audit_log" WHERE "kind" = $1 AND "recordId" = ANY($2)`
  const byIds = `SELECT ${columns(ASSESSMENT_COLUMNS)} FROM assessments WHERE "id" = ANY($1)`
  const entriesAfter = `SELECT ${columns(AUDIT_ENTRY_COLUMNS)} FROM "audit_log" WHERE "seq" > $1 ORDER BY "seq" LIMIT $2`
  // A statement prepared once per connection under its name: its rows.
  const named = async <T = Row>(name: string, text: string, values: unknown[]) =>
    (await pool.query<T & Row>({ name: `placement-${name}`, text, values })).rows

  const overridesBeyond = overridesBeyondStatement('postgres', windowSize)
  const manyOverrides = async (filter: AssessmentFilter) =>
    filter.overridden === true &&
    (await named('overrides-beyond', overridesBeyond.text, overridesBeyond.values)).length > 0
  const windowEnd = async (filter: AssessmentFilter, after: ListPosition | undefined) => {
    const { rows } = await pool.query<ListPosition>(windowEndStatement('postgres', filter, after, windowSize))
    return windowOf(rows)
  }
  // Unnamed statements: planned for their values each time. A page's plan depends on how
  // selective its values are (an old policy's few rows, a rare name), which one generic plan
  // cannot know.
  const listed = async <T>(
    filter: AssessmentFilter,
    limit: number,
    after: ListPosition | undefined,
    within: ListPosition | null | undefined,
    bytes: boolean,
    as: (row: Row) => T,
  ): Promise<ListedRows<T>> => {
    const named =
      filter.application === undefined
        ? undefined
        : await searchNames(pool, filter.application, searchBudgetMs)
    const many = await manyOverrides(filter)
    const window = !needsWindow(filter, named, many)
      ? NO_WINDOW
      : within === undefined
        ? await windowEnd(filter, after)
        : windowWithin(within)
    const range = { after, through: window.through, named, bytes, manyOverrides: many }
    const { rows } = await pool.query<Row>(listStatement('postgres', filter, limit, range))
    return { rows: rows.map(as), windowEnd: window.end }
  }

  return {
    historyPage: POSTGRES_HISTORY_PAGE,
    assessmentById: async (id) => {
      const [row] = await named('assessment-by-id', byId, [id])
      return row ? withDate<AssessmentRecord>(row) : null
    },
    overridesFor: async (ids) => {
      if (ids.length === 0) return []
      return (await named('overrides-for', overrides, [ids])).map((r) => withDate<OverrideRecord>(r))
    },
    list: (filter, limit, after, within) =>
      listed(filter, limit, after, within, false, (r) => withDate<AssessmentRecord>(r)),
    assessmentBytesById: async (id) => {
      const [row] = await named('assessment-bytes-by-id', bytesById, [id])
      return row ? pgBytes(row) : null
    },
    listBytes: (filter, limit, after, within) => listed(filter, limit, after, within, true, pgBytes),
    auditEntriesAfter: async (seq, limit) => {
      return (await named('audit-entries-after', entriesAfter, [seq, limit])).map(asEntry)
    },
    assessmentsByIds: async (ids) => {
      if (ids.length === 0) return []
      return (await named('assessments-by-ids', byIds, [ids])).map((r) => withDate<AssessmentRecord>(r))
    },
    auditPositions: async (kind, ids) => {
      if (ids.length === 0) return new Map()
      return byRecord(await named<PositionRow>('audit-positions', positions, [kind, ids]))
    },
    close: () => {},
  }
}
