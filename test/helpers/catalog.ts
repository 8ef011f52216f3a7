import Database from 'better-sqlite3'
import pg from 'pg'

/**
 * What a schema means, not how its DDL was written: tables, columns with type, nullability and
 * key, and indexes with their columns and uniqueness. Migration bookkeeping is left out.
 */
export function sqliteCatalog(file: string): unknown {
  const db = new Database(file, { readonly: true })
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_placement_migrations' ORDER BY name",
      )
      .all() as { name: string }[]
    return tables.map(({ name }) => ({
      table: name,
      columns: db.pragma(`table_info("${name}")`),
      indexes: (db.pragma(`index_list("${name}")`) as { name: string; unique: number }[])
        .map((i) => ({ name: i.name, unique: i.unique, columns: db.pragma(`index_info("${i.name}")`) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }))
  } finally {
    db.close()
  }
}

export async function postgresCatalog(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default, character_maximum_length, datetime_precision
         FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_placement_migrations'
        ORDER BY table_name, column_name`,
    )
    const indexes = await client.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_placement_migrations' ORDER BY indexname`,
    )
    const constraints = await client.query(
      `SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints
        WHERE table_schema = 'public' AND table_name <> '_placement_migrations' AND constraint_type <> 'CHECK'
        ORDER BY constraint_name`,
    )
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows }
  } finally {
    await client.end()
  }
}
