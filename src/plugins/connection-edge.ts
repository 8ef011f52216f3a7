import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * What happens at the edge of a connection, before or around Fastify's request cycle: an
 * oversized upload, a request Node's parser refuses (header too large, timed out, garbled),
 * and `Expect: 100-continue`. Each gets an RFC 9457 problem and a close the client can read.
 */

/**
 * How long, and how much, a closing connection keeps reading an upload nobody will use: until
 * the client closes, or sends nothing for half a second (what was in flight has arrived), or
 * 5 s or 16 MiB in all (nginx's lingering close uses the same three bounds).
 */
const LINGER_IDLE_MS = 500
const LINGER_MS = 5000
const LINGER_BYTES = 16 * 1024 * 1024

const problemBody = (status: number, slug: string, detail: string, requestId: string) =>
  JSON.stringify({
    type: `urn:placement:problem:${slug}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    requestId,
  })

/**
 * Closes a connection the way nginx's lingering close does: the answer is sent and our side
 * of the connection is shut, and what the client is still uploading is read and dropped until
 * it closes its side (or the bounds above pass). Closing with unread data instead makes the
 * kernel send a reset, and a client that is still uploading then often loses the answer.
 */
export function lingerAndClose(socket: Socket): void {
  if (socket.destroyed) return
  let seen = 0
  const timer = setTimeout(() => socket.destroy(), LINGER_MS)
  const idle = setTimeout(() => socket.destroy(), LINGER_IDLE_MS)
  timer.unref()
  idle.unref()
  socket.once('close', () => {
    clearTimeout(timer)
    clearTimeout(idle)
  })
  socket.once('end', () => socket.destroy())
  socket.on('data', (chunk: Buffer) => {
    seen += chunk.length
    if (seen > LINGER_BYTES) socket.destroy()
    else idle.refresh()
  })
  socket.on('error', () => socket.destroy())
  socket.end()
  socket.resume()
}

/**
 * Makes the close Node's HTTP server performs after this response (it answers with
 * `Connection: close`) a lingering one. Node closes such a socket through `destroySoon()`; the
 * socket's own method is replaced because no event comes between the response and the close.
 */
export function lingerAfterResponse(request: IncomingMessage): void {
  const socket = request.socket as Socket & { destroySoon?: () => void }
  // The upload keeps flowing through the HTTP parser into the request: drop it there too.
  request.resume()
  socket.destroySoon = () => lingerAndClose(socket)
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'headers-too-large',
    'The request line and headers are larger than the 16 KiB limit.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'request-timeout',
    'The request was not received in full within the time limit.',
  ],
  HPE_HEADERS_TIMEOUT: [
    408,
    'request-timeout',
    'The request headers were not received within the time limit.',
  ],
}

/**
 * Fastify's `clientErrorHandler`: errors Node's HTTP parser meets before any request exists.
 * Answered as problems with `Connection: close`, unless a response is already on its way on
 * this socket (a keep-alive connection mid-answer), which must not be interleaved.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  // Node keeps feeding the failed parser, which would report the same error again.
  socket.removeAllListeners('data')
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy()
    return
  }
  const [status, slug, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'malformed-request',
    'The request is not valid HTTP/1.1.',
  ]
  // No request exists yet: the answer's id is made here, and the log line carries it too.
  const reqId = randomUUID()
  this.log.info({ reqId, code: error.code, status }, 'request refused by the HTTP parser')
  const body = problemBody(status, slug, detail, reqId)
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
  lingerAndClose(socket)
}

export interface ConnectionEdgeOptions {
  bodyLimit: number
}

async function connectionEdge(app: FastifyInstance, options: ConnectionEdgeOptions) {
  // Node answers `Expect: 100-continue` by itself unless told otherwise; it would invite an
  // upload whose declared length is already over the limit, only to refuse it afterwards.
  app.server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const declared = Number(request.headers['content-length'])
    if (declared > options.bodyLimit) {
      const reqId = randomUUID()
      app.log.info({ reqId, declared }, 'upload over the limit refused before 100 Continue')
      const body = problemBody(
        413,
        'payload-too-large',
        `The request body is larger than the ${options.bodyLimit / (1024 * 1024)} MiB limit.`,
        reqId,
      )
      lingerAfterResponse(request)
      response.writeHead(413, {
        'Content-Type': 'application/problem+json',
        'X-Request-Id': reqId,
        'Content-Length': Buffer.byteLength(body),
        Connection: 'close',
      })
      response.end(body)
      return
    }
    response.writeContinue()
    app.server.emit('request', request, response)
  })
}

export default fp(connectionEdge, { name: 'connection-edge' })
