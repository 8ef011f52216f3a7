import type { Descriptor } from '../../src/schemas/descriptor'
import { ledger, publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const create = (key: string, body: Descriptor) =>
  t.http().post('/v1/assessments').set(bearer(key)).send(body).expect(201)
const list = (key: string, query: Record<string, string | number> = {}) =>
  t.http().get('/v1/assessments').set(bearer(key)).query(query)

async function seed() {
  await create(t.keys.submitterA, publicPortal('Census portal'))
  await create(t.keys.submitterA, ledger('Tax ledger'))
  await create(t.keys.submitterB, publicPortal('Subsidy portal'))
  await create(t.keys.submitterB, ledger('Payroll'))
}

describe('GET /v1/assessments', () => {
  test('newest first; a submitter sees its own org, auditors and admins every org', async () => {
    await seed()
    const a = await list(t.keys.submitterA).expect(200)
    expect(a.body.items.map((i: { application: { name: string } }) => i.application.name)).toEqual([
      'Tax ledger',
      'Census portal',
    ])
    expect(a.body.nextCursor).toBeNull()
    for (const key of [t.keys.auditor, t.keys.admin]) {
      const all = await list(key).expect(200)
      expect(all.body.items.map((i: { application: { name: string } }) => i.application.name)).toEqual([
        'Payroll',
        'Subsidy portal',
        'Tax ledger',
        'Census portal',
      ])
    }
  })

  test('a submitter asking for another org gets nothing, not an error', async () => {
    await seed()
    const res = await list(t.keys.submitterA, { org: 'org-b' }).expect(200)
    expect(res.body).toEqual({ items: [], nextCursor: null })
    const own = await list(t.keys.submitterA, { org: 'org-a' }).expect(200)
    expect(own.body.items).toHaveLength(2)
  })

  test('filters: application substring in any case, org, recommendation', async () => {
    await seed()
    const names = async (query: Record<string, string>) =>
      (await list(t.keys.auditor, query).expect(200)).body.items.map(
        (i: { application: { name: string } }) => i.application.name,
      )
    expect(await names({ application: 'PORTAL' })).toEqual(['Subsidy portal', 'Census portal'])
    expect(await names({ application: 'portal', org: 'org-b' })).toEqual(['Subsidy portal'])
    expect(await names({ recommendation: 'hypervisor' })).toEqual(['Payroll', 'Tax ledger'])
    expect(await names({ application: '%' })).toEqual([])
    expect(await names({ application: '_' })).toEqual([])
    await create(t.keys.submitterA, publicPortal('Capacity 50%_peak'))
    expect(await names({ application: '50%_' })).toEqual(['Capacity 50%_peak'])
    expect(await names({ application: '%_p' })).toEqual(['Capacity 50%_peak'])
  })

  test('from and to bound createdAt; a date-only to includes that whole day', async () => {
    await seed()
    const today = new Date().toISOString().slice(0, 10)
    const count = async (query: Record<string, string>) =>
      (await list(t.keys.auditor, query).expect(200)).body.items.length
    expect(await count({ from: today, to: today })).toBe(4)
    expect(await count({ to: '2000-01-01' })).toBe(0)
    expect(await count({ from: '2999-01-01' })).toBe(0)
    const all = (await list(t.keys.auditor).expect(200)).body.items
    const newest = all[0].createdAt
    expect(await count({ from: newest })).toBeGreaterThanOrEqual(1)
    expect(await count({ to: all[3].createdAt })).toBeGreaterThanOrEqual(1)
  })

  test.each([
    [{ from: 'yesterday' }, '/from'],
    [{ to: '2026-13-45' }, '/to'],
    [{ from: '2026-02-01', to: '2026-01-01' }, '/from'],
    [{ limit: 0 }, '/limit'],
    [{ limit: 101 }, '/limit'],
    [{ limit: 'ten' }, '/limit'],
    [{ cursor: 'not-a-cursor' }, '/cursor'],
    [{ cursor: Buffer.from('["2026-01-01T00:00:00.000Z"]').toString('base64url') }, '/cursor'],
    [{ colour: 'blue' }, '/colour'],
  ])('bad query %p is a 400 naming %s', async (query, path) => {
    const res = await list(t.keys.auditor, query as Record<string, string>).expect(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path)
  })

  test('pages with limit and cursor, with no repeats or gaps while others insert', async () => {
    for (let i = 0; i < 7; i++) await create(t.keys.submitterA, publicPortal(`App ${i}`))
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: Record<string, string | number> = { limit: 3 }
      if (cursor) query.cursor = cursor
      const res = await list(t.keys.submitterA, query).expect(200)
      seen.push(...res.body.items.map((i: { application: { name: string } }) => i.application.name))
      cursor = res.body.nextCursor
      pages++
      // Someone else inserts between page reads: newer rows must not shift the pages.
      await create(t.keys.submitterA, publicPortal(`Late ${pages}`))
    } while (cursor)
    expect(seen).toEqual(['App 6', 'App 5', 'App 4', 'App 3', 'App 2', 'App 1', 'App 0'])
    expect(pages).toBe(3)
  })

  test('rows created in the same millisecond still page in a stable order', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => create(t.keys.submitterA, publicPortal(`Burst ${i}`))),
    )
    const first = (await list(t.keys.submitterA, { limit: 100 }).expect(200)).body.items.map(
      (i: { id: string }) => i.id,
    )
    const paged: string[] = []
    let cursor: string | null = null
    do {
      const query: Record<string, string | number> = { limit: 4 }
      if (cursor) query.cursor = cursor
      const res = await list(t.keys.submitterA, query).expect(200)
      paged.push(...res.body.items.map((i: { id: string }) => i.id))
      cursor = res.body.nextCursor
    } while (cursor)
    expect(paged).toEqual(first)
    expect(new Set(paged).size).toBe(10)
  })

  test('default limit is 20', async () => {
    await Promise.all(
      Array.from({ length: 22 }, (_, i) => create(t.keys.submitterA, publicPortal(`Many ${i}`))),
    )
    const res = await list(t.keys.submitterA).expect(200)
    expect(res.body.items).toHaveLength(20)
    expect(typeof res.body.nextCursor).toBe('string')
  })
})
