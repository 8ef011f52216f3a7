import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { RequestDeadline } from '../errors'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `long` for analyses that read the whole history (impact, verify): their own, longer deadline. */
    deadline?: 'long'
  }
}

export interface DeadlineOptions {
  /** Milliseconds a request has to start its answer. */
  ordinaryMs: number
  /** The same for routes that declare `deadline: 'long'`. */
  longMs: number
  /** The connection's idle timeout, which a long analysis must not trip while it works. */
  idleMs: number
}

/**
 * Why not Fastify's own `handlerTimeout`: it bounds the whole response, so it would cut a
 * long export stream short mid-file; this bounds only the time until the answer starts.
 *
 * Every request starts its answer within a known time, whatever the database does. Each query
 * already has its own timeout, but a request can queue for a pooled connection and then
 * wait out a query, or run several in turn; a single timer per request bounds the sum. A
 * request past its deadline is answered 503 (the work it started may still finish; a write
 * then holds, which is why retries should carry an Idempotency-Key).
 */
async function deadline(app: FastifyInstance, options: DeadlineOptions) {
  app.addHook('onRequest', async (request, reply) => {
    const long = request.routeOptions.config.deadline === 'long'
    const ms = long ? options.longMs : options.ordinaryMs
    // Node resets the socket's timeout for the next request on the same connection.
    if (long) request.raw.socket.setTimeout(options.longMs + options.idleMs)
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return
      request.log.warn({ deadlineMs: ms }, 'request passed its deadline')
      reply.send(new RequestDeadline(ms))
    }, ms)
    // Cleared however the exchange ends: answered, or the client gone.
    reply.raw.once('close', () => clearTimeout(timer))
  })
}

export default fp(deadline, { name: 'deadline' })
