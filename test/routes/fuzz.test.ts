import { ledger, publicPortal } from '../fixtures/descriptors'
import { tinyPolicy } from '../fixtures/policies'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { rng } from '../helpers/generate'

let t: TestApp
let existing: string
beforeAll(async () => {
  t = await createTestApp()
  existing = (
    await t.http().post('/v1/assessments').set(bearer(t.keys.submitterA)).send(ledger()).expect(201)
  ).body.id
})
afterAll(async () => t.close())

const random = rng(42)
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T

/** Values that break assumptions: wrong types, extremes, odd text, deep nesting. */
function oddValue(depth = 0): unknown {
  const generators: (() => unknown)[] = [
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1e308,
    () => -1e308,
    () => 5e-324,
    () => 99.99999999,
    () => Math.floor(random() * 2 ** 53),
    () => '',
    () => ' ',
    () => 'x'.repeat(Math.floor(random() * 3000)),
    () => '\u0000\u202e\ud83d\ude00한국어',
    () => '__proto__',
    () => '{"nested": "json"}',
    () => "'; DROP TABLE assessments; --",
    () => [],
    () => ({}),
    () => (depth < 6 ? [oddValue(depth + 1), oddValue(depth + 1)] : 1),
    () => (depth < 6 ? { [pick(['a', 'constructor', '__proto__', 'name'])]: oddValue(depth + 1) } : 1),
    () => pick(['mission_critical', 'secret', 'extreme', 'containerized', 'windows', 'daily']),
  ]
  return pick(generators)()
}

/** A valid body with one to three random mutations at random paths. */
function mutate(base: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>
  for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
    let node: Record<string, unknown> = copy
    for (let depth = 0; depth < 3; depth++) {
      const keys = Object.keys(node)
      const key = pick(keys.length ? keys : ['x'])
      const child = node[key]
      const action = random()
      if (action < 0.15 || typeof child !== 'object' || child === null || depth === 2) {
        if (action < 0.3) delete node[key]
        else if (action < 0.4) node[`extra${Math.floor(random() * 9)}`] = oddValue()
        else node[key] = oddValue()
        break
      }
      node = child as Record<string, unknown>
    }
  }
  return random() < 0.05 ? oddValue() : copy
}

async function expectHandled(res: { status: number; headers: Record<string, string> }, what: string) {
  expect({ what, serverError: res.status >= 500 }).toEqual({ what, serverError: false })
  if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
}

describe('fuzzing: bad input never gets a 5xx, always a problem', () => {
  test('mutated bodies on every body-taking route', async () => {
    const routes: [string, () => unknown][] = [
      ['/v1/assessments', () => publicPortal()],
      ['/v1/evaluate', () => ledger()],
      ['/v1/policies', () => tinyPolicy(`fuzz${Math.floor(random() * 1e6)}`)],
      [
        `/v1/assessments/${existing}/override`,
        () => ({ placement: 'container', reasonCode: 'cost', reason: 'x' }),
      ],
      [`/v1/assessments/${existing}/reevaluate`, () => ({ policyId: 'nirs-paper-v1' })],
    ]
    for (let i = 0; i < 400; i++) {
      const [path, base] = pick(routes)
      const body = mutate(base())
      const res = await t
        .http()
        .post(path)
        .set(bearer(pick([t.keys.admin, t.keys.submitterA])))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body) ?? 'null')
      await expectHandled(res, `POST ${path} ${JSON.stringify(body).slice(0, 300)}`)
    }
  })

  test('random query strings, ids and headers', async () => {
    const keys = [
      'application',
      'org',
      'recommendation',
      'from',
      'to',
      'limit',
      'cursor',
      'policyId',
      'policyVersion',
      'stale',
      'overridden',
      'zzz',
    ]
    const values = [
      '',
      '%',
      '_',
      '0',
      '-5',
      '1e9',
      'true',
      'maybe',
      '2026-02-30',
      '9999-12-31T23:59:59Z',
      '한',
      '%00',
      'a'.repeat(600),
      Buffer.from('["x","y"]').toString('base64url'),
    ]
    for (let i = 0; i < 200; i++) {
      const query = Object.fromEntries(
        Array.from({ length: 1 + Math.floor(random() * 4) }, () => [pick(keys), pick(values)]),
      )
      const res = await t
        .http()
        .get('/v1/assessments')
        .query(query)
        .set(bearer(pick([t.keys.auditor, t.keys.submitterB])))
      await expectHandled(res, `GET /v1/assessments ${JSON.stringify(query)}`)
    }
    const ids = [
      '%00',
      '..%2F..%2Fetc%2Fpasswd',
      '%E2%80%AE',
      'a'.repeat(70),
      encodeURIComponent('한국어'),
      existing.toUpperCase(),
      `${existing}%20`,
    ]
    for (const id of ids) {
      for (const path of [`/v1/assessments/${id}`, `/v1/policies/${id}`]) {
        await expectHandled(await t.http().get(path).set(bearer(t.keys.admin)), `GET ${path}`)
      }
      await expectHandled(
        await t.http().post(`/v1/policies/${id}/activate`).set(bearer(t.keys.admin)),
        `activate ${id}`,
      )
    }
    const headerValues = ['', ' ', 'x'.repeat(300), '*;q=0.5,ko;q=2', 'ko;q=NaN', '\t']
    for (const value of headerValues) {
      for (const header of [
        'Idempotency-Key',
        'Accept-Language',
        'Authorization',
        'X-Request-Id',
        'Content-Type',
      ]) {
        const res = await t
          .http()
          .post('/v1/assessments')
          .set(bearer(t.keys.submitterA))
          .set('Content-Type', 'application/json')
          .set(header, value)
          .send(JSON.stringify(publicPortal()))
        await expectHandled(res, `${header}: ${JSON.stringify(value)}`)
      }
    }
  })
})
