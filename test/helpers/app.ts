import type { FastifyInstance } from 'fastify'
import supertest from 'supertest'
import { buildApp } from '../../src/app'
import { type Config, loadConfig } from '../../src/config'
import type { Role } from '../../src/services/principal'
import type { Store } from '../../src/store/types'
import { throwawayDatabase } from './databases'

export interface TestApp {
  app: FastifyInstance
  http: () => ReturnType<typeof supertest>
  config: Config
  /** Plaintext keys: submitters of orgs A and B, an auditor and an admin. */
  keys: { submitterA: string; submitterB: string; auditor: string; admin: string }
  key: (org: string, role: Role) => Promise<string>
  close: () => Promise<void>
}

/** The production app, on its own throw-away database. */
export async function createTestApp(
  options: { store?: Store; env?: NodeJS.ProcessEnv; logStream?: NodeJS.WritableStream } = {},
): Promise<TestApp> {
  const db = options.env?.DATABASE_URL ? null : await throwawayDatabase()
  const config = loadConfig({
    DATABASE_URL: db?.url,
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'true',
    // Suites send thousands of requests with a handful of keys; rate-limit tests set their own.
    RATE_LIMIT_MAX: '1000000000',
    RATE_LIMIT_UNAUTHENTICATED_MAX: '1000000000',
    // Suites run synchronous work (SQLite, hundreds of decisions) in the server's own process,
    // which stalls its event loop for whole sample intervals; shedding tests set their own.
    PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...options.env,
  })
  const app = await buildApp({ config, store: options.store, logStream: options.logStream })
  await app.ready()
  const key = async (org: string, role: Role) => (await app.apiKeys.create(org, role)).key
  const keys = {
    submitterA: await key('org-a', 'submitter'),
    submitterB: await key('org-b', 'submitter'),
    auditor: await key('audit-office', 'auditor'),
    admin: await key('nirs', 'admin'),
  }
  return {
    app,
    http: () => supertest(app.server),
    config,
    keys,
    key,
    close: async () => {
      await app.close()
      await db?.cleanup()
    },
  }
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` })
