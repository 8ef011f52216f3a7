import { getHeapStatistics } from 'node:v8'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Overloaded } from '../errors'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered even when the service sheds load (liveness, metrics). */
    alwaysAnswer?: boolean
  }
}

export interface LoadSheddingOptions {
  maxEventLoopDelayMs: number
  /** Heap in use beyond which requests are shed; 0: 90 % of the heap's limit. */
  maxHeapUsedMb: number
  /** Database waiters (pool queue plus rows queued for the group commit) beyond which to shed. */
  maxDatabaseWaiting: number
  /** How often the measures are taken. */
  sampleIntervalMs: number
}

/**
 * Overload sheds instead of queueing (@fastify/under-pressure): when the event loop lags, the
 * heap fills or the database's queue grows past its limit, new requests are answered 503 with
 * Retry-After at once, before any work, so the requests already admitted finish in time and
 * the probes still answer. Liveness is exempt (a restart would not help an overloaded replica);
 * readiness is not, so a balancer moves traffic elsewhere meanwhile.
 */
async function loadShedding(app: FastifyInstance, options: LoadSheddingOptions) {
  const heapLimit = getHeapStatistics().heap_size_limit
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxHeapUsedBytes:
      options.maxHeapUsedMb > 0 ? options.maxHeapUsedMb * 1024 * 1024 : Math.floor(heapLimit * 0.9),
    sampleInterval: options.sampleIntervalMs,
    healthCheck: async () => app.store.load().waiting <= options.maxDatabaseWaiting,
    healthCheckInterval: options.sampleIntervalMs,
    retryAfter: 5,
    customError: Overloaded,
    // Routes that must answer whatever the load pass straight through.
    pressureHandler: async (request, reply, type) => {
      if (request.routeOptions.config.alwaysAnswer) return undefined
      request.log.warn({ pressure: type }, 'shedding load')
      reply.header('Retry-After', '5')
      throw new Overloaded()
    },
  })
}

export default fp(loadShedding, { name: 'load-shedding', dependencies: ['store'] })
