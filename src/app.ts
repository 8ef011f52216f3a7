import { randomUUID } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import { type Config, corsOrigins, trustProxy } from './config'
import { ShuttingDown } from './errors'
import auditPlugin from './plugins/audit'
import authPlugin from './plugins/auth'
import connectionEdge, { clientErrorHandler } from './plugins/connection-edge'
import deadlinePlugin from './plugins/deadline'
import errorHandler from './plugins/error-handler'
import freshnessPlugin from './plugins/freshness'
import loadShedding from './plugins/load-shedding'
import metricsPlugin, { createMetrics } from './plugins/metrics'
import rateLimits from './plugins/rate-limits'
import schemasPlugin from './plugins/schemas'
import securityHeaders from './plugins/security-headers'
import servicesPlugin from './plugins/services'
import storePlugin from './plugins/store'
import swaggerPlugin from './plugins/swagger'
import turnEndWrites from './plugins/turn-end-writes'
import health from './routes/health'
import pages from './routes/pages'
import v1 from './routes/v1'
import { openStore } from './store/open-store'
import type { Store } from './store/types'

export interface AppOptions {
  config: Config
  /** An already opened store; by default one is opened from config.DATABASE_URL. */
  store?: Store
  /** Where logs go; standard output by default. */
  logStream?: NodeJS.WritableStream
}

const ONE_MIB = 1024 * 1024
/** Ids are UUIDs and policy ids are short; a longer path segment is refused (414) unmatched. */
const MAX_PARAM_LENGTH = 100
const CLIENT_REQUEST_ID = /^[\w.:-]{1,64}$/

const LEVELS: Config['LOG_LEVEL'][] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']
const moreSevere = (a: Config['LOG_LEVEL'], b: Config['LOG_LEVEL']) =>
  LEVELS.indexOf(a) > LEVELS.indexOf(b) ? a : b

/** Whether start-up migrates: always for embedded SQLite, by choice for a shared PostgreSQL. */
export function migratesOnStart(config: Config): boolean {
  return config.MIGRATE_ON_START ?? config.DATABASE_URL.startsWith('file:')
}

function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
  const detail = tooLong
    ? `A path segment is longer than the ${MAX_PARAM_LENGTH}-character limit.`
    : error.code === 'FST_ERR_BAD_URL'
      ? 'The request path is not a valid URL.'
      : 'The request is malformed.'
  // Answered before any hook of a route (security-headers.ts sets this for everything else).
  return reply
    .code(tooLong ? 414 : 400)
    .header('Cache-Control', 'no-store')
    .type('application/problem+json')
    .send({
      type: `urn:placement:problem:${tooLong ? 'uri-too-long' : 'malformed-request'}`,
      title: tooLong ? 'URI Too Long' : 'Bad Request',
      status: tooLong ? 414 : 400,
      detail,
      requestId: request.id,
    })
}

/**
 * Builds the service. Every Fastify option lives here, so tests run exactly what
 * production runs; server.ts only listens.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Request logs carry method, URL and status only: never bodies or the Authorization header.
      redact: ['req.headers.authorization'],
    },
    bodyLimit: ONE_MIB,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Every phase of a connection has a bound (README, "Operating it"): headers, the whole
    // request, idle keep-alive, and silence while a request is open.
    http: { headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    clientErrorHandler,
    trustProxy: trustProxy(config.TRUST_PROXY),
    // Honour a caller's correlation id when it is safe to log; otherwise make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID()
    },
    // Refusals while closing go through the error handler below, as problem+json.
    return503OnClosing: false,
    // Errors Fastify meets before routing (a malformed percent-encoding in the path, say) are
    // problems like any other, not Fastify's own JSON.
    frameworkErrors: frameworkError as never,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>()

  // The API speaks JSON only: any other body type is a 415, not a string for the schema to reject.
  app.removeContentTypeParser('text/plain')

  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onRequest', async () => {
    if (closing) throw new ShuttingDown()
  })

  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id)
    // A keep-alive socket that is busy when closing starts would otherwise stay open after
    // its response and hold the shutdown until the client lets go.
    if (closing) reply.header('Connection', 'close')
  })

  const store =
    options.store ??
    (await openStore({
      databaseUrl: config.DATABASE_URL,
      migrate: migratesOnStart(config),
      poolSize: config.DB_POOL_SIZE,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      listWindow: config.LIST_WINDOW,
      searchBudgetMs: config.NAME_SEARCH_BUDGET_MS,
      onConnectionError: (err) => app.log.warn({ err }, 'database connection error'),
    }))

  await app.register(connectionEdge, { bodyLimit: ONE_MIB })
  await app.register(turnEndWrites)
  await app.register(securityHeaders, { corsOrigins: corsOrigins(config.CORS_ORIGINS) })
  await app.register(schemasPlugin)
  await app.register(errorHandler)
  await app.register(deadlinePlugin, {
    ordinaryMs: config.REQUEST_DEADLINE_MS ?? config.DB_STATEMENT_TIMEOUT_MS + 1000,
    longMs: config.LONG_REQUEST_DEADLINE_MS,
    idleMs: config.HTTP_IDLE_TIMEOUT_MS,
  })
  await app.register(storePlugin, { store })
  await app.register(loadShedding, {
    maxEventLoopDelayMs: config.PRESSURE_MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedMb: config.PRESSURE_MAX_HEAP_USED_MB,
    maxDatabaseWaiting: config.PRESSURE_MAX_DB_WAITING,
    sampleIntervalMs: config.PRESSURE_SAMPLE_INTERVAL_MS,
  })
  await app.register(freshnessPlugin, { pollMs: config.CACHE_POLL_MS, maxStaleMs: config.CACHE_MAX_STALE_MS })
  await app.register(authPlugin)
  const metrics = createMetrics()
  await app.register(metricsPlugin, { metrics })
  await app.register(servicesPlugin, { onDecision: (decision) => metrics.decision(decision) })
  await app.register(auditPlugin, { config })
  await app.register(swaggerPlugin)
  // Probes run every few seconds: log them only at warn and above, never louder than configured.
  await app.register(health, { logLevel: moreSevere(config.LOG_LEVEL, 'warn') })
  await app.register(rateLimits, {
    max: config.RATE_LIMIT_MAX,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    unauthenticatedMax: config.RATE_LIMIT_UNAUTHENTICATED_MAX,
    redisUrl: config.RATE_LIMIT_REDIS_URL,
    onRefused: (limit) => metrics.refusals.inc({ limit }),
  })
  await app.register(v1, { prefix: '/v1' })
  await app.register(pages)
  return app
}
