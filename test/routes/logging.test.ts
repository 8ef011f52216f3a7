import { PassThrough } from 'node:stream'
import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
let lines: Record<string, unknown>[]
let raw: string

beforeEach(async () => {
  const stream = new PassThrough()
  raw = ''
  lines = []
  stream.on('data', (chunk: Buffer) => {
    raw += chunk.toString()
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line))
  })
  t = await createTestApp({ env: { LOG_LEVEL: 'debug' }, logStream: stream })
})
afterEach(async () => t.close())

describe('logs', () => {
  test('are JSON lines with the request id, and carry no descriptor, key or body', async () => {
    const secretName = 'Classified-Project-Zebra'
    const res = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .set('X-Request-Id', 'trace-123')
      .send({ ...publicPortal(secretName), application: { name: secretName, description: 'do not log me' } })
      .expect(201)
    const bad = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .send({ nope: secretName })
      .expect(400)
    expect(bad.body.errors).toBeDefined()

    const forRequest = lines.filter((l) => l.reqId === 'trace-123')
    expect(forRequest.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    )
    expect(forRequest.find((l) => l.msg === 'request completed')?.res).toEqual({ statusCode: 201 })
    for (const forbidden of [secretName, 'do not log me', t.keys.submitterA, 'Bearer ']) {
      expect(raw).not.toContain(forbidden)
    }
    expect(res.body.application.name).toBe(secretName)
  })

  test('an unexpected failure is logged once, with the request id, and the client gets only the id', async () => {
    t.app.store.assessments.insert = async () => {
      throw new Error('disk on fire at /var/lib/placement')
    }
    const res = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .send(publicPortal())
      .expect(500)
    const errors = lines.filter((l) => l.level === 50)
    expect(errors).toHaveLength(1)
    expect(errors[0]?.reqId).toBe(res.body.requestId)
    expect(JSON.stringify(errors[0])).toContain('disk on fire')
    expect(JSON.stringify(res.body)).not.toContain('disk on fire')
  })
})
