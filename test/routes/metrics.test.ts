import { ledger, publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_MAX: '3' } })
})
afterAll(async () => t.close())

/** One sample's value from the Prometheus text format, by metric name and exact labels. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`))
  return line === undefined ? undefined : Number(line.split(' ').pop())
}

describe('GET /metrics', () => {
  test('needs an admin or auditor key', async () => {
    await t.http().get('/metrics').expect(401)
    await t.http().get('/metrics').set(bearer(t.keys.submitterA)).expect(403)
  })

  test('counts requests by route template and status, decisions by platform, batches and refusals', async () => {
    const a = await t.http().post('/v1/assessments').set(bearer(t.keys.submitterA)).send(ledger()).expect(201)
    await t.http().get(`/v1/assessments/${a.body.id}`).set(bearer(t.keys.submitterA)).expect(200)
    await t.http().post('/v1/evaluate').set(bearer(t.keys.submitterA)).send(publicPortal()).expect(200)
    await t.http().post('/v1/evaluate').set(bearer(t.keys.submitterA)).send(publicPortal()).expect(429)

    const res = await t.http().get('/metrics').set(bearer(t.keys.auditor)).expect(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = res.text
    expect(
      sample(text, 'placement_http_requests_total', 'method="POST",route="/v1/assessments",status="201"'),
    ).toBe(1)
    // The route template, never the id.
    expect(
      sample(text, 'placement_http_requests_total', 'method="GET",route="/v1/assessments/:id",status="200"'),
    ).toBe(1)
    expect(text).not.toContain(a.body.id)
    expect(
      sample(
        text,
        'placement_http_request_duration_seconds_count',
        'method="POST",route="/v1/evaluate",status="200"',
      ),
    ).toBe(1)
    expect(
      sample(text, 'placement_decisions_total', `platform="hypervisor",outcome="${a.body.outcome}"`),
    ).toBe(1)
    expect(sample(text, 'placement_decisions_total', 'platform="container",outcome="clear"')).toBe(1)
    expect(sample(text, 'placement_rate_limit_refusals_total', 'limit="key"')).toBe(1)
    expect(sample(text, 'placement_group_commit_batch_size_count', '')).toBeUndefined()
    expect(text).toMatch(/^placement_group_commit_batch_size_count 1$/m)
    expect(text).toMatch(/^placement_db_connections\{state="open"\} [1-9]\d*$/m)
    expect(text).toMatch(/^placement_process_resident_memory_bytes \d+/m)
  })
})
