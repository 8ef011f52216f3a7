import { parseArgs } from 'node:util'
import { migratesOnStart } from '../app'
import { type Config, ConfigError, loadConfig } from '../config'
import { apiKeyService, isRole } from '../services/api-keys'
import { ROLES } from '../services/principal'
import { parseDatabaseUrl } from '../store/database-url'
import { migratePostgres, migrateSqlite } from '../store/migrate'
import { openStore } from '../store/open-store'
import { AUDIT_USAGE, AuditUsageError, auditCommand, type Io } from './audit-commands'

export type { Io }

const USAGE = `usage:
  cli keys create --org <org> --role <${ROLES.join('|')}> [--label <text>]
      prints the new key as the last line, once; only its hash is stored
  cli keys list [--org <org>]
  cli keys revoke <key-id>
  cli db migrate
      applies pending migrations to DATABASE_URL (default file:./data/placement.db)
${AUDIT_USAGE}`

const ORG = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u

class UsageError extends Error {}

/** node:util parseArgs rejects unknown or malformed options with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(error: unknown): error is Error {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('ERR_PARSE_ARGS')
}

async function withKeys<T>(config: Config, work: (keys: ReturnType<typeof apiKeyService>) => Promise<T>) {
  const store = await openStore({ databaseUrl: config.DATABASE_URL, migrate: migratesOnStart(config) })
  try {
    return await work(apiKeyService(store.apiKeys))
  } finally {
    await store.close()
  }
}

async function keys(config: Config, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { org: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' } },
  })
  const [action, ...rest] = positionals
  if (action === 'create') {
    const { org, role, label } = values
    if (org === undefined || !ORG.test(org))
      throw new UsageError('--org is required: 1..100 letters, digits, space . _ -')
    if (role === undefined || !isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`)
    if (label !== undefined && label.length > 200) throw new UsageError('--label is at most 200 characters')
    const { record, key } = await withKeys(config, (k) => k.create(org, role, label))
    io.out(`id: ${record.id}`)
    io.out(`org: ${record.org}`)
    io.out(`role: ${record.role}`)
    io.out('key (shown once; store it now):')
    io.out(key)
    return 0
  }
  if (action === 'list') {
    const rows = await withKeys(config, (k) => k.list(values.org))
    for (const r of rows) {
      const state = r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : 'active'
      io.out([r.id, r.org, r.role, r.createdAt.toISOString(), state, r.label ?? ''].join('\t').trimEnd())
    }
    return 0
  }
  if (action === 'revoke') {
    const [id] = rest
    if (id === undefined) throw new UsageError('keys revoke needs a key id (see keys list)')
    const found = await withKeys(config, (k) => k.revoke(id))
    if (!found) {
      io.err(`no key ${id}`)
      return 1
    }
    io.out(`revoked ${id}`)
    return 0
  }
  throw new UsageError(`unknown keys action: ${action ?? '(none)'}`)
}

async function db(config: Config, args: string[], io: Io): Promise<number> {
  if (args[0] !== 'migrate' || args.length > 1) throw new UsageError('db takes one action: migrate')
  const { kind, target } = parseDatabaseUrl(config.DATABASE_URL)
  const applied = kind === 'sqlite' ? migrateSqlite(target) : await migratePostgres(target)
  io.out(applied.length === 0 ? 'database is up to date' : `applied: ${applied.join(', ')}`)
  return 0
}

/** Runs one CLI command; returns the exit code. */
export async function run(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    const config = loadConfig(env)
    const [group, ...rest] = argv
    if (group === 'keys') return await keys(config, rest, io)
    if (group === 'db') return await db(config, rest, io)
    if (group === 'audit') return await auditCommand(config, rest, io)
    if (group === undefined || group === 'help' || group === '--help') {
      io.out(USAGE)
      return group === undefined ? 2 : 0
    }
    throw new UsageError(`unknown command: ${group}`)
  } catch (error) {
    if (error instanceof UsageError || error instanceof AuditUsageError || isParseArgsError(error)) {
      io.err(`${error.message}\n${USAGE}`)
      return 2
    }
    io.err(error instanceof ConfigError || error instanceof Error ? error.message : String(error))
    return 1
  }
}

if (require.main === module) {
  run(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code
  })
}
