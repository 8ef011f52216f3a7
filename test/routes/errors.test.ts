import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const post = (body: string | object, type = 'application/json') =>
  t.http().post('/v1/assessments').set(bearer(t.keys.submitterA)).set('Content-Type', type).send(body)

function expectProblem(res: {
  status: number
  headers: Record<string, string>
  body: Record<string, unknown>
}) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.body).toMatchObject({
    type: expect.stringMatching(/^urn:placement:problem:/),
    title: expect.any(String),
    status: res.status,
    detail: expect.any(String),
  })
  const text = JSON.stringify(res.body)
  for (const leak of ['/work/', 'node_modules', 'at ', 'SELECT', 'INSERT', 'prisma', 'Error:']) {
    expect(text).not.toContain(leak)
  }
}

const withCharacteristics = (changes: Record<string, unknown>) => {
  const d = publicPortal()
  return { ...d, characteristics: { ...d.characteristics, ...changes } }
}

describe('bad input gets a clear problem', () => {
  test.each([
    ['unknown top-level property', { ...publicPortal(), extra: 1 }, [['/extra', 'is not a known property']]],
    [
      'unknown characteristic',
      withCharacteristics({ colour: 'red' }),
      [['/characteristics/colour', 'is not a known property']],
    ],
    [
      'NUL in a name',
      { ...publicPortal(), application: { name: 'a\u0000b' } },
      [
        [
          '/application/name',
          'must contain a visible character, and no NUL character (U+0000) or unpaired surrogate (U+D800 to U+DFFF)',
        ],
      ],
    ],
    [
      'NUL in a description',
      { ...publicPortal(), application: { name: 'x', description: '\u0000' } },
      [
        [
          '/application/description',
          'must not contain the NUL character (U+0000) or an unpaired surrogate (U+D800 to U+DFFF)',
        ],
      ],
    ],
    [
      'a policyId with spaces',
      { ...publicPortal(), policyId: 'nirs paper' },
      [['/policyId', 'must be printable ASCII without spaces']],
    ],
    [
      'value outside an enumeration',
      withCharacteristics({ dataClassification: 'top-secret' }),
      [['/characteristics/dataClassification', 'must be one of: public, internal, confidential, secret']],
    ],
    [
      'string for a boolean',
      withCharacteristics({ stateful: 'true' }),
      [['/characteristics/stateful', 'must be boolean']],
    ],
    [
      'string for a number',
      withCharacteristics({ peakToAverageRatio: '3' }),
      [['/characteristics/peakToAverageRatio', 'must be number']],
    ],
    [
      'number below range',
      withCharacteristics({ peakToAverageRatio: 0.5 }),
      [['/characteristics/peakToAverageRatio', 'must be >= 1']],
    ],
    [
      'number above range',
      withCharacteristics({ availabilityTarget: 100 }),
      [['/characteristics/availabilityTarget', 'must be <= 99.9999']],
    ],
    [
      'availability below range',
      withCharacteristics({ availabilityTarget: 89.9 }),
      [['/characteristics/availabilityTarget', 'must be >= 90']],
    ],
    [
      'missing required characteristic',
      {
        application: { name: 'x' },
        characteristics: {
          businessCriticality: 'low',
          dataClassification: 'public',
          loadVariability: 'steady',
        },
      },
      [['/characteristics/architecture', 'is required']],
    ],
    [
      'missing application',
      { characteristics: publicPortal().characteristics },
      [['/application', 'is required']],
    ],
    [
      'name too long',
      { ...publicPortal(), application: { name: 'n'.repeat(201) } },
      [['/application/name', 'must NOT have more than 200 characters']],
    ],
    [
      'blank name',
      { ...publicPortal(), application: { name: '   ' } },
      [
        [
          '/application/name',
          'must contain a visible character, and no NUL character (U+0000) or unpaired surrogate (U+D800 to U+DFFF)',
        ],
      ],
    ],
    [
      'externalRef too long',
      { ...publicPortal(), application: { name: 'x', externalRef: 'r'.repeat(101) } },
      [['/application/externalRef', 'must NOT have more than 100 characters']],
    ],
    [
      'description too long',
      { ...publicPortal(), application: { name: 'x', description: 'd'.repeat(2001) } },
      [['/application/description', 'must NOT have more than 2000 characters']],
    ],
    [
      'null characteristics',
      { ...publicPortal(), characteristics: null },
      [['/characteristics', 'must be object']],
    ],
    ['array body', [publicPortal()], [['/', 'must be object']]],
  ])('%s', async (_label, body, expected) => {
    const res = await post(body).expect(400)
    expectProblem(res)
    expect(res.body.type).toBe('urn:placement:problem:validation-failed')
    for (const [path, message] of expected as [string, string][]) {
      expect(res.body.errors).toContainEqual({ path, message })
    }
  })

  test('every bad path is listed at once', async () => {
    const res = await post({
      application: { name: '' },
      characteristics: { businessCriticality: 'vital', loadVariability: 7, stateful: 1, foo: true },
    }).expect(400)
    const paths = res.body.errors.map((e: { path: string }) => e.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/application/name',
        '/characteristics/businessCriticality',
        '/characteristics/dataClassification',
        '/characteristics/architecture',
        '/characteristics/loadVariability',
        '/characteristics/stateful',
        '/characteristics/foo',
      ]),
    )
  })

  test('malformed JSON is a 400 problem', async () => {
    const res = await post('{"application": {', 'application/json').expect(400)
    expectProblem(res)
    expect(res.body.type).toBe('urn:placement:problem:malformed-json')
  })

  test('an empty JSON body is a 400 problem', async () => {
    const res = await t
      .http()
      .post('/v1/evaluate')
      .set(bearer(t.keys.admin))
      .set('Content-Type', 'application/json')
      .expect(400)
    expectProblem(res)
  })

  test('a missing body is a 400 problem', async () => {
    const res = await t.http().post('/v1/evaluate').set(bearer(t.keys.admin)).expect(400)
    expectProblem(res)
  })

  test.each([
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ])('content type %s is a 415 problem', async (type) => {
    const res = await post('a=1', type).expect(415)
    expectProblem(res)
    expect(res.body.type).toBe('urn:placement:problem:unsupported-media-type')
  })

  test('a body over 1 MiB is a 413 problem', async () => {
    const big = { ...publicPortal(), application: { name: 'big', description: 'x'.repeat(1024 * 1024) } }
    const res = await post(big).expect(413)
    expectProblem(res)
    expect(res.body.type).toBe('urn:placement:problem:payload-too-large')
  })

  test('a body just under 1 MiB is parsed (and then rejected by the schema, not the size limit)', async () => {
    const rest = JSON.stringify({ ...publicPortal(), application: { name: 'big', description: '' } }).length
    const near = {
      ...publicPortal(),
      application: { name: 'big', description: 'x'.repeat(1024 * 1024 - rest - 10) },
    }
    const res = await post(near).expect(400)
    expect(res.body.errors[0].path).toBe('/application/description')
  })

  test.each([
    ['GET', '/v2/assessments'],
    ['DELETE', '/v1/assessments/abc'],
    ['PUT', '/v1/assessments/abc'],
    ['PATCH', '/v1/assessments/abc'],
    ['GET', '/nowhere'],
  ])('%s %s is a 404 problem (stored assessments are never changed or deleted)', async (method, path) => {
    const res = await t.http()[method.toLowerCase() as 'get'](path).set(bearer(t.keys.admin)).expect(404)
    expectProblem(res)
  })
})

describe('failures never leak internals and never lose an acknowledged assessment', () => {
  test('an unexpected store failure is a generic 500 problem; the message stays in the log', async () => {
    const original = t.app.store.assessments.insert
    t.app.store.assessments.insert = async () => {
      throw new Error('SQLITE_IOERR: disk I/O error at /work/secret/path.db')
    }
    const res = await post(publicPortal()).expect(500)
    expectProblem(res)
    expect(res.body.detail).not.toContain('SQLITE')
    expect(res.body.requestId).toBe(res.headers['x-request-id'])
    t.app.store.assessments.insert = original
  })

  test('every 201 answered under concurrent load is readable afterwards', async () => {
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => post(publicPortal(`Concurrent ${i}`))),
    )
    expect(responses.every((r) => r.status === 201)).toBe(true)
    const ids = responses.map((r) => r.body.id as string)
    expect(new Set(ids).size).toBe(60)
    for (const id of ids) {
      await t.http().get(`/v1/assessments/${id}`).set(bearer(t.keys.submitterA)).expect(200)
    }
  })
})
