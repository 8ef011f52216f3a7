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
}

/**
 * Every request starts its answer within a known time, whatever the database does. Each query
 * already has its own timeout, but a request can queue for a pooled connection and then
 * wait out a query, or run several in turn; a single timer per request bounds the sum. A
 * request past its deadline is answered 503 (the work it started may still finish; a write
 * then holds, which is why retries should carry an Idempotency-Key).
 */
async function deadline(app: FastifyInstance, options: DeadlineOptions) {
  app.addHook('onRequest', async (request, reply) => {
    const ms = request.routeOptions.config.deadline === 'long' ? options.longMs : options.ordinaryMs
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
