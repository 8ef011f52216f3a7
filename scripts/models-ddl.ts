import { execFileSync } from 'node:child_process'
import path from 'node:path'
import type { StoreKind } from '../src/store/types'

const ROOT = path.resolve(__dirname, '..')

/**
 * The DDL that creates prisma/models.prisma from nothing on one store, as Prisma generates it.
 * The CLI's driver adapter connects to `databaseUrl` (a throw-away database) to do so. A new
 * migration starts from this: `npm run db:ddl -- sqlite|postgres <database-url>`.
 */
export function modelsDdl(kind: StoreKind, databaseUrl: string): string {
  return execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'prisma'),
    ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', `prisma/${kind}`, '--script'],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
}

if (require.main === module) {
  const [kind, url] = process.argv.slice(2)
  if ((kind !== 'sqlite' && kind !== 'postgres') || !url) {
    console.error('usage: npm run db:ddl -- sqlite|postgres <throw-away database url>')
    process.exit(2)
  }
  process.stdout.write(modelsDdl(kind, url))
}
