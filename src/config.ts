import { type Static, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/** Every setting the service reads from its environment: one schema, one type. */
export const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  DATABASE_URL: Type.String({
    default: 'file:./data/placement.db',
    pattern: '^(file:.+|postgres(ql)?://.+)$',
  }),
  // A union of literals, not StringEnum: TypeBox's Value functions check this schema.
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  /** Whether start-up applies pending migrations. Default: yes for SQLite, no for PostgreSQL. */
  MIGRATE_ON_START: Type.Optional(Type.Boolean()),
  DB_POOL_SIZE: Type.Integer({ default: 10, minimum: 1, maximum: 1000 }),
  DB_CONNECT_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 600000 }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 3600000 }),
  /**
   * The most assessments one list page (or one read of an export or impact walk) examines when
   * its filters need each row tested (an application term in many names, two equality filters,
   * a policy version, stale, not overridden); a page short of `limit` with a nextCursor goes on.
   */
  LIST_WINDOW: Type.Integer({ default: 10_000, minimum: 1, maximum: 10_000_000 }),
  /**
   * PostgreSQL: the milliseconds an application term's lookup among the distinct names may take;
   * past it the page reads a window in list order instead (SEARCH_BUDGET_MS in fast-reads.ts).
   */
  NAME_SEARCH_BUDGET_MS: Type.Integer({ default: 100, minimum: 1, maximum: 600_000 }),
  /**
   * Milliseconds any request has to start its answer before it is answered 503. Default:
   * DB_STATEMENT_TIMEOUT_MS + 1000, the time one database query may take.
   */
  REQUEST_DEADLINE_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 3600000 })),
  /** The same for the analyses that read the whole history (policy impact, audit verify). */
  LONG_REQUEST_DEADLINE_MS: Type.Integer({ default: 120000, minimum: 100, maximum: 3600000 }),
  /**
   * The Ed25519 private key (PKCS#8 PEM) that signs audit checkpoints: a file, or the PEM itself.
   * Without either, the embedded SQLite default keeps one beside its database file
   * (audit-signing-key.pem, made on first start); PostgreSQL replicas must share one (set it).
   */
  AUDIT_SIGNING_KEY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  AUDIT_SIGNING_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** A checkpoint is signed once this many entries were added since the last one... */
  AUDIT_CHECKPOINT_EVERY: Type.Integer({ default: 1000, minimum: 1, maximum: 10_000_000 }),
  /** ...or once this many seconds passed with new entries. */
  AUDIT_CHECKPOINT_SECONDS: Type.Integer({ default: 300, minimum: 1, maximum: 86_400 }),
  /** Days an assessment is kept; unset: forever. Applied only by `npm run cli -- audit retain`. */
  AUDIT_RETENTION_DAYS: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500 })),
  /**
   * Keys and the active policy are cached; a revocation or activation made by any process is
   * seen within CACHE_MAX_STALE_MS (the caches are not used when the store could not be asked
   * for that long), checked every CACHE_POLL_MS (and at once on PostgreSQL, by NOTIFY).
   */
  CACHE_POLL_MS: Type.Integer({ default: 250, minimum: 10, maximum: 60000 }),
  CACHE_MAX_STALE_MS: Type.Integer({ default: 1000, minimum: 0, maximum: 600000 }),
  /** Milliseconds a client has to send the request line and headers. */
  HTTP_HEADERS_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 600000 }),
  /** Milliseconds a client has to send a whole request, body included (answered 408 after). */
  HTTP_REQUEST_TIMEOUT_MS: Type.Integer({ default: 30000, minimum: 100, maximum: 600000 }),
  /** Milliseconds an idle keep-alive connection stays open between requests. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 600000 }),
  /**
   * Milliseconds a connection may see no traffic either way while a request is open (a client
   * that stops reading an export, say) before it is closed. The long analyses get this on top
   * of their deadline.
   */
  HTTP_IDLE_TIMEOUT_MS: Type.Integer({ default: 30000, minimum: 100, maximum: 3600000 }),
  /** Requests each API key may make per RATE_LIMIT_WINDOW_MS (429 beyond); very large: off. */
  RATE_LIMIT_MAX: Type.Integer({ default: 600, minimum: 1, maximum: 1_000_000_000 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60000, minimum: 1000, maximum: 86_400_000 }),
  /**
   * Requests without a valid key (answered 401) each client address may make per window; past
   * it, the address is refused (429) except for keys this process has already verified.
   */
  RATE_LIMIT_UNAUTHENTICATED_MAX: Type.Integer({ default: 300, minimum: 1, maximum: 1_000_000_000 }),
  /**
   * Redis that every replica shares for the limits' counters (`redis://host:6379`). Unset: each
   * process counts for itself, right for the embedded single process.
   */
  RATE_LIMIT_REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://.+' })),
  /**
   * Load shedding (503 with Retry-After): mean event-loop delay beyond which requests are
   * refused (0: not checked)...
   */
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ default: 1000, minimum: 0, maximum: 60000 }),
  /** ...heap in use, in MiB (0: 90 % of Node's heap limit)... */
  PRESSURE_MAX_HEAP_USED_MB: Type.Integer({ default: 0, minimum: 0, maximum: 1_000_000 }),
  /** ...requests waiting for a database connection plus rows queued for the next commit. */
  PRESSURE_MAX_DB_WAITING: Type.Integer({ default: 500, minimum: 0, maximum: 1_000_000 }),
  PRESSURE_SAMPLE_INTERVAL_MS: Type.Integer({ default: 500, minimum: 10, maximum: 60000 }),
  /**
   * Browser origins allowed to call the API (CORS), comma-separated, such as
   * `https://portal.example.go.kr`. Unset: none (server-to-server callers need no CORS).
   */
  CORS_ORIGINS: Type.Optional(Type.String({ pattern: '^https?://[^,\\s/]+(,https?://[^,\\s/]+)*$' })),
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (per-address rate
   * limits, logs): `false` (default: none, the peer is the client), `true` (any: only behind a
   * proxy that overwrites the header), a hop count, or proxy addresses/CIDRs, comma-separated.
   */
  TRUST_PROXY: Type.String({
    default: 'false',
    pattern: '^(true|false|[0-9]+|[0-9a-fA-F:./]+(,[0-9a-fA-F:./]+)*)$',
  }),
  /** How long SIGTERM waits for in-flight requests before exiting anyway. */
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 0, maximum: 600000 }),
})
export type Config = Static<typeof ConfigSchema>

/** TRUST_PROXY as Fastify's trustProxy option takes it. */
export function trustProxy(value: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (value === 'true') return true
  if (value === 'false') return false
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value)
    return (_address, hop) => hop < hops
  }
  return value.split(',')
}

/** CORS_ORIGINS as a list. */
export const corsOrigins = (value: string | undefined): string[] => (value ? value.split(',') : [])

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Reads the configuration from an environment. Unknown variables are ignored; a bad value
 * of a known one stops the start with a message naming the variable and what it accepts.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(ConfigSchema.properties)
  const raw: Record<string, unknown> = {}
  for (const key of known) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const candidate = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw))
  const problems = [...Value.Errors(ConfigSchema, candidate)].map((e) => {
    const name = e.path.replace(/^\//, '')
    return `${name}=${JSON.stringify(env[name] ?? '')}: ${e.message}`
  })
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)
  const config = candidate as Config
  // Node refuses a header timeout longer than the whole request's.
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `invalid configuration: HTTP_HEADERS_TIMEOUT_MS=${config.HTTP_HEADERS_TIMEOUT_MS} must not exceed HTTP_REQUEST_TIMEOUT_MS=${config.HTTP_REQUEST_TIMEOUT_MS}`,
    )
  }
  return config
}
