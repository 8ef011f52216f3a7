import { parse } from 'csv-parse/sync'
import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const create = (key: string, name: string) =>
  t.http().post('/v1/assessments').set(bearer(key)).send(publicPortal(name)).expect(201)
const exportAs = (key: string, query: Record<string, string> = {}) =>
  t
    .http()
    .get('/v1/assessments/export')
    .query(query)
    .set(bearer(key))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')))
    })

describe('GET /v1/assessments/export', () => {
  test('NDJSON: every selected assessment as the API reads it, with its audit-log position', async () => {
    const ids: string[] = []
    for (const name of ['인구총조사 시스템', 'Grant portal', 'Census'])
      ids.push((await create(t.keys.submitterA, name)).body.id)
    await create(t.keys.submitterB, 'Other org')
    const res = await exportAs(t.keys.submitterA).expect(200)
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/)
    const lines = (res.body as string)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => l.id)).toEqual([...ids].reverse())
    for (const line of lines) {
      const { audit, ...assessment } = line
      const read = await t.http().get(`/v1/assessments/${line.id}`).set(bearer(t.keys.submitterA)).expect(200)
      expect(assessment).toEqual(read.body)
      const events = await t
        .http()
        .get('/v1/audit/events')
        .query({ recordId: line.id })
        .set(bearer(t.keys.auditor))
      expect(audit).toEqual({ seq: events.body.items[0].seq, hash: events.body.items[0].hash })
    }
    const filtered = await exportAs(t.keys.auditor, { application: 'census' }).expect(200)
    expect((filtered.body as string).trimEnd().split('\n')).toHaveLength(1)
  })

  test('CSV: BOM, a header, Korean intact, quoting right, formulas neutralised', async () => {
    await create(t.keys.submitterA, '인구총조사, "2026" 시스템')
    await create(t.keys.submitterA, '=HYPERLINK("http://evil","click")')
    await create(t.keys.submitterA, '+1 line\nbreak')
    const res = await exportAs(t.keys.submitterA, { format: 'csv' }).expect(200)
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/)
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="assessments-.*\.csv"/)
    const text = res.body as string
    expect(text.startsWith('\ufeffid,createdAt,org,application')).toBe(true)
    const rows = parse(text.slice(1), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.application)).toEqual([
      "'+1 line\nbreak",
      `'=HYPERLINK("http://evil","click")`,
      '인구총조사, "2026" 시스템',
    ])
    expect(rows[0]).toMatchObject({ org: 'org-a', recommendation: 'container', policyId: 'nirs-paper-v2' })
    expect(Number(rows[0]?.auditSeq)).toBeGreaterThan(0)
    expect(rows[0]?.auditHash).toMatch(/^[0-9a-f]{64}$/)
  })

  test('an export of nothing is a header; a bad filter is a problem, not a broken stream', async () => {
    const empty = await exportAs(t.keys.submitterA, { format: 'csv' }).expect(200)
    expect((empty.body as string).trimEnd().split('\n')).toHaveLength(1)
    const bad = await t
      .http()
      .get('/v1/assessments/export')
      .query({ from: 'yesterday' })
      .set(bearer(t.keys.auditor))
      .expect(400)
    expect(bad.headers['content-type']).toMatch(/problem\+json/)
    await t
      .http()
      .get('/v1/assessments/export')
      .query({ format: 'xlsx' })
      .set(bearer(t.keys.auditor))
      .expect(400)
  })

  test('pages through more than one page without repeats or gaps', async () => {
    const items = Array.from({ length: 1200 }, (_, i) => publicPortal(`Bulk ${i}`))
    for (let i = 0; i < items.length; i += 500) {
      await t
        .http()
        .post('/v1/assessments/batch')
        .set(bearer(t.keys.submitterA))
        .send({ items: items.slice(i, i + 500) })
        .expect(200)
    }
    const res = await exportAs(t.keys.auditor).expect(200)
    const lines = (res.body as string)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; audit: { seq: number } })
    expect(lines).toHaveLength(1200)
    expect(new Set(lines.map((l) => l.id)).size).toBe(1200)
    expect(lines.every((l) => l.audit.seq > 0)).toBe(true)
  })
})
