import path from 'node:path'
import type { StoreKind } from './types'

export interface ParsedDatabaseUrl {
  kind: StoreKind
  /** SQLite: absolute file path. PostgreSQL: the URL as given. */
  target: string
}

/** `file:<path>` (relative to the working directory) is SQLite; `postgres(ql)://` is PostgreSQL. */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length)
    if (file.length === 0) throw new Error('DATABASE_URL file: needs a path')
    return { kind: 'sqlite', target: path.resolve(file) }
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', target: url }
  throw new Error('DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)')
}
