import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient as PostgresClient } from '../generated/postgres/client'
import { PrismaClient as SqliteClient } from '../generated/sqlite/client'
import { parseDatabaseUrl } from './database-url'
import { migratePostgres, migrateSqlite } from './migrate'
import { apiKeyRepository, assessmentRepository, type Client } from './prisma-repositories'
import type { Store } from './types'

export interface StoreOptions {
  databaseUrl: string
  /** Apply pending migrations before opening. */
  migrate: boolean
  /** PostgreSQL pool size and timeouts. */
  poolSize?: number
  connectTimeoutMs?: number
  statementTimeoutMs?: number
  /** Told about database connection errors that no request is waiting for (PostgreSQL). */
  onConnectionError?: (error: Error) => void
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const { kind, target } = parseDatabaseUrl(options.databaseUrl)
  let client: Client
  if (kind === 'sqlite') {
    mkdirSync(path.dirname(target), { recursive: true })
    if (options.migrate) migrateSqlite(target)
    client = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: target, timeout: 5000 }) })
    // FULL makes each commit durable before it is acknowledged, even across a power loss.
    await client.$executeRawUnsafe('PRAGMA synchronous = FULL')
  } else {
    if (options.migrate) await migratePostgres(target)
    const adapter = new PrismaPg(
      {
        connectionString: target,
        max: options.poolSize ?? 10,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
        statement_timeout: options.statementTimeoutMs ?? 10000,
      },
      { onPoolError: options.onConnectionError, onConnectionError: options.onConnectionError },
    )
    // Same models, same API: see prisma-repositories.ts.
    client = new PostgresClient({ adapter }) as unknown as Client
  }

  const assessments = assessmentRepository(client, kind)
  return {
    kind,
    assessments,
    apiKeys: apiKeyRepository(client),
    ping: async () => {
      await client.$queryRawUnsafe('SELECT 1')
    },
    close: async () => {
      await assessments.flushed()
      await client.$disconnect()
    },
  }
}
