import { assessmentService } from '../../src/services/assessments'
import { policyCatalog } from '../../src/services/policies'
import { openStore } from '../../src/store/open-store'
import { DuplicateIdempotencyKey } from '../../src/store/types'
import { assessmentRecord } from '../helpers/assessment-record'
import { TEST_STORE, type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

let db: ThrowawayDatabase
beforeEach(async () => {
  db = await throwawayDatabase()
})
afterEach(() => db.cleanup())

const record = assessmentRecord

describe('assessment repository', () => {
  test('committed rows survive closing and reopening the store', async () => {
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.assessments.insert(record(i))))
    await store.close()
    const again = await openStore({ databaseUrl: db.url, migrate: true })
    const { rows } = await again.assessments.list({}, 100)
    await again.close()
    expect(rows).toHaveLength(25)
    expect(rows[0]).toEqual(record(24))
  })

  test("a walk of the history reads pages of the store's size, every row once, newest first", async () => {
    // Small on SQLite, whose reads hold the event loop; larger on PostgreSQL, whose pages cost
    // round trips (fast-reads.ts, SQLITE_HISTORY_PAGE and POSTGRES_HISTORY_PAGE).
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    try {
      await store.assessments.insertMany(Array.from({ length: 130 }, (_, i) => record(i)))
      const service = assessmentService({
        assessments: store.assessments,
        policies: policyCatalog(store.policies),
      })
      const pages: number[][] = []
      for await (const page of service.decisions({ keyId: 'k', org: 'org', role: 'auditor' }, {})) {
        pages.push(page.map((d) => (d as unknown as { i: number }).i))
      }
      expect(pages.map((p) => p.length)).toEqual(
        TEST_STORE === 'postgres' ? [100, 30] : [25, 25, 25, 25, 25, 5],
      )
      expect(pages.flat()).toEqual(Array.from({ length: 130 }, (_, i) => 129 - i))
    } finally {
      await store.close()
    }
  })

  test('a duplicate idempotency key in a batch fails only that row', async () => {
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    const results = await Promise.allSettled([
      store.assessments.insert(record(1, { idempotencyKey: 'k' })),
      store.assessments.insert(record(2)),
      store.assessments.insert(record(3, { idempotencyKey: 'k' })),
      store.assessments.insert(record(4)),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateIdempotencyKey)
    expect((await store.assessments.list({}, 10)).rows).toHaveLength(3)
    await store.close()
  })

  test('an override must belong to a stored assessment, on both stores', async () => {
    const store = await openStore({ databaseUrl: db.url, migrate: true })
    const override = {
      id: 'o-1',
      assessmentId: 'no-such-assessment',
      org: 'org',
      keyId: 'key',
      placement: 'hypervisor',
      reasonCode: 'cost',
      reason: 'r',
      createdAt: new Date(),
    }
    await expect(store.assessments.insertOverride(override)).rejects.toThrow()
    await store.assessments.insert(record(1))
    await store.assessments.insertOverride({ ...override, assessmentId: record(1).id })
    expect(await store.assessments.overridesFor([record(1).id])).toHaveLength(1)
    await store.close()
  })
})
