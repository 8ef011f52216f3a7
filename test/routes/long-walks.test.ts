import { spawn } from 'node:child_process'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { randomDescriptor, rng } from '../helpers/generate'

/**
 * A walk over the whole history (export, verify, policy impact, the log's export) or a batch's
 * hundreds of decisions must let other requests in while it runs. On SQLite the driver answers
 * synchronously: with a reader that keeps up, the whole walk ran as one stretch of microtasks,
 * and a 100 000-row export held `/healthz` for 25 s (BENCHMARKS.md). Each test has another
 * process read a walk over 1 200 assessments (or send a batch) as fast as it can, hundreds of
 * milliseconds of the server's work, asks for `/healthz` as soon as the walk's request has
 * arrived, and expects the server to finish the health answer first. The CSV export, the
 * verification, the impact, the batch and the log's export fail without the slicing
 * (src/lib/time-slice.ts); the NDJSON export (12 MB) may fill the socket and turn the loop by
 * backpressure anyway, and shows that the whole export still arrives.
 */
let t: TestApp
let base: string
beforeAll(async () => {
  t = await createTestApp()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  const random = rng(5)
  for (let b = 0; b < 3; b++) {
    const items = Array.from({ length: 400 }, (_, i) => randomDescriptor(random, b * 400 + i))
    await t.http().post('/v1/assessments/batch').set(bearer(t.keys.submitterA)).send({ items }).expect(200)
  }
}, 60_000)
afterAll(async () => t.close())

// The reader: fetches the walk as fast as it can, prints its status, its line count and, when it is
// small (a JSON answer), its body.
const READER = `
const [url, method, key, body] = process.argv.slice(1)
fetch(url, { method, headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' }, body: body || undefined })
  .then(async (res) => {
    let lines = 0
    let bytes = 0
    let small = ''
    for await (const chunk of res.body) {
      const text = Buffer.from(chunk).toString('utf8')
      lines += text.split('\\n').length - 1
      bytes += chunk.length
      if (bytes <= 65536) small += text
    }
    process.stdout.write(JSON.stringify({ status: res.status, lines, body: bytes <= 65536 ? small : null }))
  })
`

async function walkBesideHealth(method: 'GET' | 'POST', path: string, body?: object, key = t.keys.auditor) {
  const finished: string[] = []
  const onRequest = (req: { url?: string }, res: NodeJS.EventEmitter) =>
    res.once('finish', () => finished.push(req.url ?? ''))
  t.app.server.on('request', onRequest)
  try {
    const arrived = new Promise<void>((resolve) => {
      const seen = (req: { url?: string }) => {
        if (req.url !== path) return
        t.app.server.off('request', seen)
        resolve()
      }
      t.app.server.on('request', seen)
    })
    const reader = spawn(
      process.execPath,
      ['-e', READER, `${base}${path}`, method, key, body ? JSON.stringify(body) : ''],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    reader.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    await arrived
    await t.http().get('/healthz').expect(200)
    await once(reader, 'exit')
    const walked = JSON.parse(out) as { status: number; lines: number; body: string | null }
    expect(walked.status).toBe(200)
    return { finished, walked }
  } finally {
    t.app.server.off('request', onRequest)
  }
}

describe('long walks share the event loop', () => {
  test('an NDJSON export: /healthz is answered before the export ends, and the export is whole', async () => {
    const { finished, walked } = await walkBesideHealth('GET', '/v1/assessments/export')
    expect(walked.lines).toBe(1200)
    expect(finished).toEqual(['/healthz', '/v1/assessments/export'])
  })

  test('a CSV export', async () => {
    const { finished, walked } = await walkBesideHealth('GET', '/v1/assessments/export?format=csv')
    expect(walked.lines).toBe(1201)
    expect(finished).toEqual(['/healthz', '/v1/assessments/export?format=csv'])
  })

  test('verifying the whole log', async () => {
    const { finished, walked } = await walkBesideHealth('GET', '/v1/audit/verify')
    expect(JSON.parse(walked.body ?? '')).toMatchObject({ ok: true, reason: null })
    expect(finished).toEqual(['/healthz', '/v1/audit/verify'])
  })

  test("a policy's impact", async () => {
    const { finished, walked } = await walkBesideHealth('POST', '/v1/policies/nirs-paper-v1/impact', {})
    expect(JSON.parse(walked.body ?? '')).toMatchObject({ checked: 1200 })
    expect(finished).toEqual(['/healthz', '/v1/policies/nirs-paper-v1/impact'])
  })

  // After the walks that count the assessments: it stores 400 more.
  test('a batch of 400 items, decided between turns', async () => {
    const random = rng(6)
    const items = Array.from({ length: 400 }, (_, i) => randomDescriptor(random, i))
    const { finished } = await walkBesideHealth('POST', '/v1/assessments/batch', { items }, t.keys.submitterB)
    expect(finished).toEqual(['/healthz', '/v1/assessments/batch'])
  })

  test("the log's export", async () => {
    const { finished, walked } = await walkBesideHealth('GET', '/v1/audit/export')
    expect(walked.lines).toBeGreaterThan(1200)
    expect(finished).toEqual(['/healthz', '/v1/audit/export'])
  })
})
