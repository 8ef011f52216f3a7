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

  test('every line logged while requests are served carries a request id, whatever the outcome', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = t.app.server.address() as import('node:net').AddressInfo
    const before = lines.length
    const http = t.http()
    await http.post('/v1/assessments').set(bearer(t.keys.submitterA)).send(publicPortal()).expect(201)
    await http.post('/v1/evaluate').set(bearer(t.keys.submitterA)).send({ nope: 1 }).expect(400)
    await http.get('/v1/assessments').set(bearer('not-a-key')).expect(401)
    await http.post('/v1/policies').set(bearer(t.keys.submitterA)).send({}).expect(403)
    await http.get('/v1/assessments/missing').set(bearer(t.keys.auditor)).expect(404)
    await http.get('/v1/assessments/%').set(bearer(t.keys.auditor)).expect(400)
    await http
      .get(`/v1/assessments/${'x'.repeat(500)}`)
      .set(bearer(t.keys.auditor))
      .expect(414)
    await http.get('/nowhere').expect(404)
    // Refused by Node's parser before any request exists.
    await new Promise<void>((resolve) => {
      const socket = require('node:net').connect(port, '127.0.0.1', () => socket.write('BAD\r\n\r\n'))
      socket.on('close', () => resolve())
      socket.resume()
    })
    const during = lines.slice(before)
    expect(during.length).toBeGreaterThan(15)
    for (const line of during) expect(typeof line.reqId).toBe('string')
  })
})
