import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import { Mutex } from 'async-mutex'
import pg from 'pg'
import { PrismaClient as PostgresClient } from '../generated/postgres/client'
import { PrismaClient as SqliteClient } from '../generated/sqlite/client'
import { postgresAssessmentWriter, sqliteAssessmentWriter } from './assessment-writer'
import { type AuditLedger, auditLedger } from './audit-ledger'
import { guardAvailability, isUnavailable, StoreUnavailable } from './availability'
import { parseDatabaseUrl } from './database-url'
import { postgresFastReads, sqliteFastReads } from './fast-reads'
import { MigrationError, migratePostgres, migrateSqlite, pendingPostgres, pendingSqlite } from './migrate'
import {
  apiKeyRepository,
  assessmentRepository,
  CHANGE_CHANNEL,
  type Client,
  policyRepository,
} from './prisma-repositories'
import type { Store, StoreWatcher } from './types'

export interface StoreOptions {
  databaseUrl: string
  /** Apply pending migrations before opening. */
  migrate: boolean
  /** PostgreSQL pool size and timeouts. */
  poolSize?: number
  connectTimeoutMs?: number
  statementTimeoutMs?: number
  /** The most rows a list read tests one by one (LIST_WINDOW in fast-reads.ts, its default). */
  listWindow?: number
  /** PostgreSQL: the longest an application term's lookup among the names may take (SEARCH_BUDGET_MS). */
  searchBudgetMs?: number
  /**
   * Told about database errors that no request is waiting for: a PostgreSQL connection lost, or
   * SQLite's checkpoint thread failing (its writer then checkpoints as it commits).
   */
  onConnectionError?: (error: Error) => void
}

/** Serving on an old schema would fail request by request; refuse at start instead. */
function refuseIfBehind(pending: string[]) {
  if (pending.length > 0) {
    throw new MigrationError(
      `the database lacks ${pending.length} migration(s) (${pending.join(', ')}): ` +
        'run `npm run db:migrate` (or set MIGRATE_ON_START=true)',
    )
  }
}

function auditReads(ledger: AuditLedger) {
  const { record, append, adoptUnlogged, walk, ...reads } = ledger
  return reads
}

/** walk() yields pages; a failing page read becomes StoreUnavailable like any other read. */
function guardWalk(walk: AuditLedger['walk']): AuditLedger['walk'] {
  return async function* guarded(pageSize?: number) {
    try {
      yield* walk(pageSize)
    } catch (error) {
      throw isUnavailable(error) ? new StoreUnavailable(error) : error
    }
  }
}

/**
 * LISTEN on its own connection (a pooled one would be handed to other queries), reconnecting
 * after a second when it drops; the caller's poll covers whatever is missed meanwhile.
 */
function listenForChanges(url: string, listener: () => void, options: StoreOptions): () => void {
  let stopped = false
  let client: pg.Client | null = null
  const connect = () => {
    if (stopped) return
    const next = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    })
    client = next
    let retried = false
    const retry = () => {
      if (retried) return
      retried = true
      next.removeAllListeners()
      next.on('error', () => {})
      next.end().catch(() => {})
      if (!stopped) setTimeout(connect, 1000).unref()
    }
    next.on('notification', () => listener())
    next.on('error', (error) => {
      options.onConnectionError?.(error)
      retry()
    })
    next.on('end', retry)
    next
      .connect()
      .then(() => next.query(`LISTEN ${CHANGE_CHANNEL}`))
      // Whatever happened while no one listened counts as a change.
      .then(() => listener(), retry)
  }
  connect()
  return () => {
    stopped = true
    client?.end().catch(() => {})
  }
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const { kind, target } = parseDatabaseUrl(options.databaseUrl)
  let client: Client
  let pool: pg.Pool | null = null
  if (kind === 'sqlite') {
    mkdirSync(path.dirname(target), { recursive: true })
    if (options.migrate) migrateSqlite(target)
    else refuseIfBehind(pendingSqlite(target))
    client = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: target, timeout: 5000 }) })
    // FULL makes each commit durable before it is acknowledged, even across a power loss.
    await client.$executeRawUnsafe('PRAGMA synchronous = FULL')
    // SQLite checks foreign keys only when asked, per connection; PostgreSQL always does.
    await client.$executeRawUnsafe('PRAGMA foreign_keys = ON')
  } else {
    if (options.migrate) await migratePostgres(target)
    else refuseIfBehind(await pendingPostgres(target))
    // The pool is made here, not by the adapter, so that its load can be read (metrics, shedding).
    pool = new pg.Pool({
      connectionString: target,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: options.statementTimeoutMs ?? 10000,
      // The server enforces statement_timeout only if it hears the query; a dead link needs
      // the client to give up too, a little later.
      query_timeout: (options.statementTimeoutMs ?? 10000) + 1000,
      // Finds connections whose peer vanished without a word (a dropped firewall state).
      keepAlive: true,
    })
    const adapter = new PrismaPg(pool, {
      onPoolError: options.onConnectionError,
      onConnectionError: options.onConnectionError,
      disposeExternalPool: true,
    })
    // Same models, same API: see prisma-repositories.ts.
    client = new PostgresClient({ adapter }) as unknown as Client
  }

  // SQLite: one process's writers take turns (see assessment-writer.ts); PostgreSQL's row lock queues them.
  const turn = pool ? undefined : new Mutex()
  const fast = pool
    ? postgresFastReads(pool, options.listWindow, options.searchBudgetMs)
    : sqliteFastReads(target, options.listWindow)
  const ledger = auditLedger(client, turn, fast)
  await ledger.adoptUnlogged()
  const watchers: StoreWatcher[] = []
  const writer = pool
    ? postgresAssessmentWriter(pool)
    : sqliteAssessmentWriter(target, turn as Mutex, 5000, options.onConnectionError)
  // Group-commit batches in flight at once: one writer on SQLite; on PostgreSQL one is sent while
  // another waits for its commit (the head row's lock orders them).
  const concurrency = pool ? 2 : 1
  const assessments = assessmentRepository(client, ledger, { writer, reads: fast, concurrency }, (size) => {
    for (const w of watchers) w.writeBatch?.(size)
  })
  return {
    kind,
    load: () => ({
      connections: pool ? pool.totalCount : 1,
      idle: pool ? pool.idleCount : assessments.queued() === 0 ? 1 : 0,
      waiting: (pool ? pool.waitingCount : 0) + assessments.queued(),
    }),
    watch: (watcher) => {
      watchers.push(watcher)
    },
    changeMarker: async () => {
      try {
        const [row] = await client.$queryRawUnsafe<{ revocations: unknown; activations: unknown }[]>(
          'SELECT (SELECT COUNT(*) FROM api_key_revocations) AS revocations, ' +
            '(SELECT COALESCE(MAX(seq), 0) FROM policy_activations) AS activations',
        )
        return { revocations: Number(row?.revocations ?? 0), activations: Number(row?.activations ?? 0) }
      } catch (error) {
        throw isUnavailable(error) ? new StoreUnavailable(error) : error
      }
    },
    onChange: (listener) => (kind === 'postgres' ? listenForChanges(target, listener, options) : () => {}),
    assessments: guardAvailability(assessments),
    apiKeys: guardAvailability(apiKeyRepository(client, kind, ledger)),
    policies: guardAvailability(policyRepository(client, kind, ledger)),
    audit: {
      // An export asks for its page's positions through the driver: through Prisma the query's
      // machinery, once a page of 25, was most of what an export's memory promoted (BENCHMARKS.md).
      ...guardAvailability({ ...auditReads(ledger), positionsFor: fast.auditPositions }),
      walk: guardWalk(ledger.walk),
    },
    ping: async () => {
      await client.$queryRawUnsafe('SELECT 1')
    },
    close: async () => {
      await assessments.flushed()
      fast.close()
      await writer.close()
      await client.$disconnect()
    },
  }
}
