import { monitorEventLoopDelay } from 'node:perf_hooks'
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
  /** 0: not checked. */
  maxEventLoopDelayMs: number
  /** Heap in use beyond which requests are shed; 0: 90 % of the heap's limit. */
  maxHeapUsedMb: number
  /** Database waiters (pool queue plus rows queued for the group commit) beyond which to shed. */
  maxDatabaseWaiting: number
  /** How often the measures are taken. */
  sampleIntervalMs: number
}

/** The histogram's own timer resolution, taken off its mean as under-pressure does. */
const RESOLUTION_MS = 10

/**
 * Overload sheds instead of queueing (@fastify/under-pressure): when the event loop lags, the
 * heap fills or the database's queue grows past its limit, new requests are answered 503 with
 * Retry-After at once, before any work, so the requests already admitted finish in time and
 * the probes still answer. Liveness is exempt (a restart would not help an overloaded replica);
 * readiness is not, so a balancer moves traffic elsewhere meanwhile.
 *
 * The event-loop delay is measured here and reported through the library's health check rather
 * than by its own `maxEventLoopDelay`, which counts an interval without a single sample as an
 * infinite delay and also sheds for start-up's stalls (modules loading, SQLite migrating):
 * both shed the first requests of a fresh replica, though it is idle.
 */
async function loadShedding(app: FastifyInstance, options: LoadSheddingOptions) {
  const heapLimit = getHeapStatistics().heap_size_limit
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  let measuredFrom = Number.POSITIVE_INFINITY
  app.addHook('onReady', async () => {
    histogram.reset()
    measuredFrom = Date.now() + options.sampleIntervalMs
  })
  app.addHook('onClose', async () => {
    histogram.disable()
  })
  // Overload is lag that lasts: one long request (a batch of 500 stored in one transaction)
  // can stall a single interval, and shedding everyone for it would be wrong. Two intervals in
  // a row over the limit are load.
  let lateBefore = false
  const lagging = () => {
    const mean = histogram.count > 0 ? histogram.mean / 1e6 - RESOLUTION_MS : 0
    histogram.reset()
    const late =
      options.maxEventLoopDelayMs > 0 && Date.now() >= measuredFrom && mean > options.maxEventLoopDelayMs
    const sustained = late && lateBefore
    lateBefore = late
    return sustained
  }

  await app.register(underPressure, {
    maxHeapUsedBytes:
      options.maxHeapUsedMb > 0 ? options.maxHeapUsedMb * 1024 * 1024 : Math.floor(heapLimit * 0.9),
    sampleInterval: options.sampleIntervalMs,
    healthCheck: async () => !lagging() && app.store.load().waiting <= options.maxDatabaseWaiting,
    healthCheckInterval: options.sampleIntervalMs,
    customError: Overloaded,
    // Routes that must answer whatever the load pass straight through; the rest get the
    // problem (and Retry-After) from the error handler.
    pressureHandler: async (request) => {
      if (request.routeOptions.config.alwaysAnswer) return undefined
      throw new Overloaded()
    },
  })
}

export default fp(loadShedding, { name: 'load-shedding', dependencies: ['store'] })
