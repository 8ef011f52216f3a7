import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import Redis from 'ioredis'
import { RateLimited } from '../errors'
import { BEARER } from './auth'

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook, before authentication: refuses an address that failed too often. */
    refuseFailingAddresses: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
    /** onRequest hook, after authentication: the per-key limit. */
    limitPerKey: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
    /** onError hook: counts a refused key (a 401) against its address. */
    countFailedAuthentication: (request: FastifyRequest, reply: FastifyReply, error: Error) => Promise<void>
  }
}

export interface RateLimitsOptions {
  /** Requests per key per window. */
  max: number
  windowMs: number
  /** Requests without a valid key (401) per client address per window. */
  unauthenticatedMax: number
  /** Counters shared by every replica; without it, each process counts for itself. */
  redisUrl?: string
  /** Told about each refusal, by which limit. */
  onRefused?: (limit: 'key' | 'address') => void
}

/**
 * Rate limits with @fastify/rate-limit: per API key once authenticated (429 with Retry-After
 * and the draft-standard RateLimit-* headers), and, before authentication, per client
 * address for requests that failed it, so guessing keys or flooding without one is cut off
 * while a portal's many users behind one address are limited by their key only. Counters live
 * in memory, or in Redis when replicas must share them. A Redis that stops answering does not
 * stop the service: requests then pass unlimited, and the outage is logged.
 */
async function rateLimits(app: FastifyInstance, options: RateLimitsOptions) {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, {
        // Fail fast: a limit check must never hold a request.
        connectTimeout: 1000,
        commandTimeout: 500,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      })
    : undefined
  if (redis) {
    redis.on('error', (err) => app.log.warn({ err }, 'rate-limit store (Redis) error; limits not applied'))
    app.addHook('onClose', async () => {
      redis.disconnect()
    })
    // Start counting from the first request: without its connection, checks would pass unlimited.
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2000)
      redis.once('ready', () => {
        clearTimeout(timer)
        resolve(true)
      })
    })
    if (!ready) app.log.warn('rate-limit store (Redis) not answering at start; limits apply once it does')
  }
  await app.register(rateLimit, {
    global: false,
    max: options.max,
    timeWindow: options.windowMs,
    ...(redis ? { redis, nameSpace: 'placement-rate:' } : {}),
    skipOnError: true,
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) => new RateLimited(Math.ceil(context.ttl / 1000)),
    onExceeded: () => options.onRefused?.('key'),
  })

  app.decorate(
    'limitPerKey',
    app.rateLimit({ keyGenerator: (request) => `key:${request.principal.keyId}` }) as (
      request: FastifyRequest,
      reply: FastifyReply,
    ) => Promise<void>,
  )

  const perAddress = app.createRateLimit({
    max: options.unauthenticatedMax,
    keyGenerator: (request) => `address:${normalizeIP(request.ip)}`,
  })
  app.decorate('refuseFailingAddresses', async (request: FastifyRequest, reply: FastifyReply) => {
    // A key this process already verified costs nothing to accept: the people behind a shared
    // address (a portal, a NAT) keep working while whoever guesses from it is refused. Asked
    // first, so that nearly every request (a known key) skips reading the address's counter,
    // which it then ignored anyway (BENCHMARKS.md, the sixth session: the rate limits' share).
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1]
    if (presented && app.apiKeys.alreadyKnown(presented)) return
    const state = await perAddress(request, { increment: false })
    // Refused once `max` failures are counted (isExceeded would allow one more).
    if (state.isAllowed || state.remaining > 0) return
    options.onRefused?.('address')
    reply.header('Retry-After', String(Math.max(1, state.ttlInSeconds)))
    throw new RateLimited(Math.max(1, state.ttlInSeconds))
  })
  // On the error path only (a hook on every response cost every request a turn of its own).
  app.decorate(
    'countFailedAuthentication',
    async (request: FastifyRequest, _reply: FastifyReply, error: Error) => {
      if ((error as { statusCode?: number }).statusCode === 401) await perAddress(request)
    },
  )
}

export default fp(rateLimits, { name: 'rate-limits', dependencies: ['auth'] })
