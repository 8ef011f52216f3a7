import fc from 'fast-check'
import { needsWindow, overridesReadFirst } from '../../src/store/fast-reads'
import { openStore } from '../../src/store/open-store'
import type { AssessmentFilter, AssessmentRecord, ListPosition, Store } from '../../src/store/types'
import { type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

/**
 * The list query is SQL of the store's own (fast-reads.ts). Held here against a plain oracle
 * (filter in memory, sort by (createdAt, id) descending) over generated filters and cursor
 * pages, on both stores: names with LIKE's wildcards and escape character, mixed case, equal
 * creation times (the id breaks the tie), overrides on some rows.
 */
const NAMES = [
  'Tax ledger',
  'TAX portal',
  '100% uptime',
  'a_b service',
  'a-b service',
  'back\\slash',
  'Grant portal',
]
const TERMS = ['tax', 'TAX', '%', '100%', '_', 'a_b', '\\', 'portal', 'zzz', 'l']
const ORGS = ['org-a', 'org-b']
const POLICIES = [
  ['nirs-paper-v1', 1],
  ['nirs-paper-v2', 2],
  ['custom-v3', 3],
] as const

function records(): AssessmentRecord[] {
  return Array.from({ length: 90 }, (_, i) => {
    const [policyId, policyVersion] = POLICIES[i % 3] as (typeof POLICIES)[number]
    return {
      id: `id-${String((i * 37) % 90).padStart(3, '0')}`,
      // Every third pair shares a creation time.
      createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 60_000),
      org: ORGS[i % 2] as string,
      keyId: 'k',
      applicationName: NAMES[i % NAMES.length] as string,
      recommendation: i % 5 < 2 ? 'container' : 'hypervisor',
      policyId,
      policyVersion,
      document: '{}',
      requestHash: `h${i}`,
      idempotencyKey: null,
      supersedes: null,
    }
  })
}

const overriddenIds = (rows: AssessmentRecord[]) =>
  new Set(rows.filter((_, i) => i % 7 === 0).map((r) => r.id))

function oracle(
  rows: AssessmentRecord[],
  overridden: Set<string>,
  f: AssessmentFilter,
  after?: ListPosition,
) {
  const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
  return rows
    .filter(
      (r) =>
        (f.org === undefined || r.org === f.org) &&
        (f.recommendation === undefined || r.recommendation === f.recommendation) &&
        (f.policyId === undefined || r.policyId === f.policyId) &&
        (f.policyVersion === undefined || r.policyVersion === f.policyVersion) &&
        (f.notPolicyId === undefined || r.policyId !== f.notPolicyId) &&
        (f.from === undefined || r.createdAt >= f.from) &&
        (f.to === undefined || r.createdAt < f.to) &&
        (f.application === undefined || lower(r.applicationName).includes(lower(f.application))) &&
        (f.overridden === undefined || overridden.has(r.id) === f.overridden) &&
        (after === undefined ||
          r.createdAt < after.createdAt ||
          (r.createdAt.getTime() === after.createdAt.getTime() && r.id < after.id)),
    )
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const day = (m: number) => new Date(Date.UTC(2026, 0, 1) + m * 60_000)
const filters: fc.Arbitrary<AssessmentFilter> = fc
  .record({
    org: optional(fc.constantFrom(...ORGS)),
    recommendation: optional(fc.constantFrom('container', 'hypervisor')),
    policyId: optional(fc.constantFrom(...POLICIES.map((p) => p[0]))),
    policyVersion: optional(fc.constantFrom(1, 2, 3)),
    notPolicyId: optional(fc.constantFrom(...POLICIES.map((p) => p[0]))),
    from: optional(fc.integer({ min: 0, max: 45 }).map(day)),
    to: optional(fc.integer({ min: 0, max: 46 }).map(day)),
    application: optional(fc.constantFrom(...TERMS)),
    overridden: optional(fc.boolean()),
  })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as AssessmentFilter)

let db: ThrowawayDatabase
let store: Store
/** The same database, read with a window of WINDOW rows (ListedRows in src/store/types.ts). */
const WINDOW = 7
let windowed: Store
let rows: AssessmentRecord[]
let overridden: Set<string>
beforeAll(async () => {
  db = await throwawayDatabase()
  store = await openStore({ databaseUrl: db.url, migrate: true })
  rows = records()
  await store.assessments.insertMany(rows)
  overridden = overriddenIds(rows)
  windowed = await openStore({ databaseUrl: db.url, migrate: false, listWindow: WINDOW })
  for (const id of overridden) {
    const row = rows.find((r) => r.id === id) as AssessmentRecord
    await store.assessments.insertOverride({
      id: `o-${id}`,
      assessmentId: id,
      org: row.org,
      keyId: 'k',
      placement: 'container',
      reasonCode: 'OTHER',
      reason: 'test',
      createdAt: new Date(),
    })
  }
})
afterAll(async () => {
  await windowed.close()
  await store.close()
  await db.cleanup()
})

describe('listing assessments', () => {
  test('every filter and every cursor page agrees with the oracle', async () => {
    await fc.assert(
      fc.asyncProperty(filters, fc.integer({ min: 1, max: 25 }), async (filter, limit) => {
        const expected = oracle(rows, overridden, filter).map((r) => r.id)
        const walked: string[] = []
        let after: ListPosition | undefined
        for (let page = 0; page < 100; page++) {
          const got = (await store.assessments.list(filter, limit, after)).rows
          expect(got.map((r) => r.id)).toEqual(
            oracle(rows, overridden, filter, after)
              .slice(0, limit)
              .map((r) => r.id),
          )
          walked.push(...got.map((r) => r.id))
          if (got.length < limit) break
          after = got[got.length - 1]
        }
        expect(walked).toEqual(expected)
      }),
      { numRuns: 150, seed: 20261127 },
    )
  })

  test('a filter no index serves whole reads a window at a time, and the windows together list everything', async () => {
    // The index a windowed read walks: its policy's, org's or recommendation's, else list order.
    const walkedBy = (f: AssessmentFilter): AssessmentFilter => ({
      from: f.from,
      to: f.to,
      ...(f.policyId !== undefined
        ? { policyId: f.policyId }
        : f.org !== undefined
          ? { org: f.org }
          : f.recommendation !== undefined
            ? { recommendation: f.recommendation }
            : {}),
    })
    const notPast = (end: ListPosition) => (r: AssessmentRecord) =>
      r.createdAt > end.createdAt || (r.createdAt.getTime() === end.createdAt.getTime() && r.id >= end.id)
    let windows = 0
    await fc.assert(
      fc.asyncProperty(filters, fc.integer({ min: 1, max: 12 }), async (filter, limit) => {
        // The seven names: a term of three characters or more is in few enough of them for the
        // name search, which needs no window.
        const named = filter.application !== undefined && [...filter.application].length >= 3 ? [] : undefined
        const walked: string[] = []
        let after: ListPosition | undefined
        let within: ListPosition | null | undefined
        for (let page = 0; page < 200; page++) {
          const { rows: got, windowEnd } = await windowed.assessments.list(filter, limit, after, within)
          const left = oracle(rows, overridden, filter, after)
          const inWindow = windowEnd === null ? left : left.filter(notPast(windowEnd))
          expect(got.map((r) => r.id)).toEqual(inWindow.slice(0, limit).map((r) => r.id))
          // 13 overrides: more than a window of 7 reads first, so overridden is windowed too.
          const many = overridden.size > overridesReadFirst(WINDOW)
          if (!needsWindow(filter, named, many)) expect(windowEnd).toBeNull()
          else if (within === undefined) {
            // A window found for this read: WINDOW rows of the walked index after `after`, the
            // last of them its end, when more are left; none when no more are.
            const walkable = oracle(rows, overridden, walkedBy(filter), after)
            if (windowEnd === null) expect(walkable.length).toBeLessThanOrEqual(WINDOW)
            else {
              windows++
              expect(walkable.length).toBeGreaterThan(WINDOW)
              expect(walkable[WINDOW - 1]?.id).toBe(windowEnd.id)
            }
          }
          walked.push(...got.map((r) => r.id))
          // As the service walks (services/assessments.ts recordPages).
          if (got.length === limit) {
            after = got[got.length - 1]
            within = windowEnd
          } else if (windowEnd !== null) {
            after = windowEnd
            within = undefined
          } else break
        }
        expect(walked).toEqual(oracle(rows, overridden, filter).map((r) => r.id))
      }),
      { numRuns: 150, seed: 20261129 },
    )
    // The property saw windows end before the history did, not only unbounded reads.
    expect(windows).toBeGreaterThan(50)
  })

  test('rows come back as written', async () => {
    const [first] = (await store.assessments.list({ application: '100%' }, 1)).rows
    expect(first).toEqual(oracle(rows, overridden, { application: '100%' })[0])
  })
})
