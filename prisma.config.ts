import path from 'node:path'
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3'
import { PrismaPg } from '@prisma/adapter-pg'
import { defineConfig } from 'prisma/config'

// Configuration of the Prisma CLI only (the service builds its own clients). The JS schema
// engine with a driver adapter keeps every command working from npm packages alone: the
// classic engine would download a binary, which offline machines cannot. The store follows
// DATABASE_URL's scheme, as it does in the service; `--schema` picks a store explicitly.
const url = process.env.DATABASE_URL ?? 'file:./data/placement.db'
const postgres = /^postgres(ql)?:\/\//.test(url)
const folder = postgres ? 'prisma/postgres' : 'prisma/sqlite'

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: folder,
  migrations: { path: path.join(folder, 'migrations') },
  async adapter() {
    return postgres
      ? new PrismaPg({ connectionString: url }, { schema: undefined })
      : new PrismaBetterSQLite3({ url })
  },
})
