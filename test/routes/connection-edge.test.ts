import http from 'node:http'
import net from 'node:net'
import { createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
let port: number

beforeAll(async () => {
  t = await createTestApp({
    env: {
      HTTP_HEADERS_TIMEOUT_MS: '400',
      HTTP_REQUEST_TIMEOUT_MS: '800',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '300',
    },
  })
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  port = (t.app.server.address() as net.AddressInfo).port
})
afterAll(async () => t.close())

const FIVE_MB = Buffer.alloc(5 * 1024 * 1024, 0x20)

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  continued: boolean
}

/** One POST with Node's own client, which keeps uploading while the answer arrives. */
function post(path: string, body: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let continued = false
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          Authorization: `Bearer ${t.keys.submitterA}`,
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          ...headers,
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => {
          text += chunk
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, continued }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    if (headers.Expect) {
      req.on('continue', () => {
        continued = true
        req.end(body)
      })
    } else {
      req.end(body)
    }
  })
}

/** Writes raw bytes on a new connection and collects what comes back until the server closes. */
function raw(bytes: string): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes))
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => {
      text += chunk
    })
    socket.on('error', reject)
    socket.on('close', () => resolve({ text, ms: Date.now() - started }))
  })
}

describe('oversized bodies', () => {
  test('an upload over the limit gets its 413 problem every time, not a reset', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await post('/v1/evaluate', FIVE_MB)
      expect(res.status).toBe(413)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.headers.connection).toBe('close')
      expect(JSON.parse(res.body).type).toBe('urn:placement:problem:payload-too-large')
    }
  })

  test('the connection closes gracefully while the client is still uploading (lingering close)', async () => {
    const outcome = await new Promise<{ response: string; error: string | null }>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true })
      let response = ''
      let error: string | null = null
      let more = false
      socket.setEncoding('utf8')
      socket.on('connect', () => {
        socket.write(
          `POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.keys.submitterA}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${FIVE_MB.length}\r\n\r\n`,
        )
        socket.write(FIVE_MB.subarray(0, 64 * 1024))
      })
      socket.on('data', (chunk) => {
        response += chunk
        // The whole answer is in: go on uploading, as a client that does not watch for it would.
        if (!more && response.includes('"status":413')) {
          more = true
          socket.write(FIVE_MB.subarray(0, 1024 * 1024), () => socket.end())
        }
      })
      socket.on('error', (e: NodeJS.ErrnoException) => {
        error = e.code ?? e.message
      })
      socket.on('close', () => resolve({ response, error }))
    })
    expect(outcome.response).toMatch(/^HTTP\/1\.1 413 /)
    // Without the lingering close the server resets the connection under the client's upload.
    expect(outcome.error).toBeNull()
  })

  test('with Expect: 100-continue, a declared length over the limit is refused before any upload', async () => {
    const res = await post('/v1/assessments', FIVE_MB, { Expect: '100-continue' })
    expect(res.continued).toBe(false)
    expect(res.status).toBe(413)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(JSON.parse(res.body).status).toBe(413)
  })

  test('with Expect: 100-continue, a body within the limit is invited and handled', async () => {
    const res = await post('/v1/evaluate', Buffer.from('{}'), { Expect: '100-continue' })
    expect(res.continued).toBe(true)
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body).type).toBe('urn:placement:problem:validation-failed')
  })
})

describe('requests the parser refuses', () => {
  test('headers over 16 KiB: 431 problem with Connection: close', async () => {
    const { text } = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`)
    expect(text).toMatch(/^HTTP\/1\.1 431 /)
    expect(text).toMatch(/\r\nConnection: close\r\n/i)
    expect(text).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i)
    expect(JSON.parse(text.split('\r\n\r\n')[1] ?? '').type).toBe('urn:placement:problem:headers-too-large')
  })

  test('a request line that is not HTTP: 400 problem', async () => {
    const { text } = await raw('HELLO\r\n\r\n')
    expect(text).toMatch(/^HTTP\/1\.1 400 /)
    expect(JSON.parse(text.split('\r\n\r\n')[1] ?? '').type).toBe('urn:placement:problem:malformed-request')
  })

  test('a path segment over the length limit: 414 problem', async () => {
    const res = await t
      .http()
      .get(`/v1/assessments/${'a'.repeat(5000)}`)
      .expect(414)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body.type).toBe('urn:placement:problem:uri-too-long')
  })
})

describe('timeouts', () => {
  test('a body that never finishes arriving gets 408 and the connection closes', async () => {
    const { text, ms } = await raw(
      `POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.keys.submitterA}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a',
    )
    expect(text).toMatch(/^HTTP\/1\.1 408 /)
    expect(JSON.parse(text.split('\r\n\r\n')[1] ?? '').type).toBe('urn:placement:problem:request-timeout')
    // The request timeout (800 ms), checked every second.
    expect(ms).toBeLessThan(5000)
  })

  test('headers that never finish: the connection closes', async () => {
    const { ms } = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n')
    expect(ms).toBeLessThan(5000)
  })

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const { text, ms } = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(text).toMatch(/^HTTP\/1\.1 200 /)
    expect(ms).toBeLessThan(5000)
  })
})
