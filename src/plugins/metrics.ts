import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Decision } from '../schemas/decision'
import type { Store } from '../store/types'

/** Platform names come from policies; past this many distinct ones, the rest count as `other`. */
const MAX_PLATFORM_LABELS = 50

/**
 * The service's Prometheus instruments (prom-client), one registry per app so that several
 * apps in one process (tests, replicas) keep their own counts.
 */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'placement_' })
  const requests = new Counter({
    name: 'placement_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'placement_http_request_duration_seconds',
    help: 'Time from request to answer, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const decisions = new Counter({
    name: 'placement_decisions_total',
    help: 'Decisions made (assessments, batch items, re-evaluations and what-if evaluations), by recommended platform and outcome.',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  })
  const batchSizes = new Histogram({
    name: 'placement_group_commit_batch_size',
    help: 'Assessments written per group-commit transaction.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500],
    registers: [registry],
  })
  const refusals = new Counter({
    name: 'placement_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit, by limit (key, address).',
    labelNames: ['limit'] as const,
    registers: [registry],
  })
  const platforms = new Set<string>()
  return {
    registry,
    requests,
    latency,
    refusals,
    batchSizes,
    decision(decision: Decision) {
      let platform = decision.recommendation
      if (!platforms.has(platform)) {
        if (platforms.size < MAX_PLATFORM_LABELS) platforms.add(platform)
        else platform = 'other'
      }
      decisions.inc({ platform, outcome: decision.outcome ?? 'clear' })
    },
    /** Gauges read from the store at each scrape. */
    watchStore(store: Store) {
      store.watch({ writeBatch: (size) => batchSizes.observe(size) })
      new Gauge({
        name: 'placement_db_connections',
        help: 'Database connections, by state (open, idle), and requests or rows waiting for one.',
        labelNames: ['state'] as const,
        registers: [registry],
        collect() {
          const load = store.load()
          this.set({ state: 'open' }, load.connections)
          this.set({ state: 'idle' }, load.idle)
          this.set({ state: 'waiting' }, load.waiting)
        },
      })
    },
  }
}
export type Metrics = ReturnType<typeof createMetrics>

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

/**
 * Counts every answer by route template (never the raw URL: ids would make every request its
 * own series) and serves the registry at GET /metrics to an admin or auditor key.
 */
async function metricsPlugin(app: FastifyInstance, options: { metrics: Metrics }) {
  const { metrics } = options
  app.decorate('metrics', metrics)
  metrics.watchStore(app.store)
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    }
    metrics.requests.inc(labels)
    metrics.latency.observe(labels, reply.elapsedTime / 1000)
  })
  app.get(
    '/metrics',
    {
      onRequest: app.authenticate,
      config: { access: { roles: ['admin', 'auditor'], action: 'read metrics' }, alwaysAnswer: true },
      schema: { hide: true },
    },
    async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  )
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['store', 'auth'] })
