import pg from 'pg'
import { modelsDdl } from '../../scripts/models-ddl'
import { migratePostgres } from '../../src/store/migrate'
import { postgresCatalog } from '../helpers/catalog'
import { postgresDatabase } from '../helpers/databases'

// What the models cannot state (the application search, see its migration): the names' table
// with its trigram indexes (GIN, and GiST on an expression equal to the name), and the names'
// index on assessments, which the models leave out
// because SQLite states it beside its own search tables.
const NAMES_TABLE = 'application_names'
const NAMES_INDEXES = [
  'application_names_name_trgm_idx',
  'application_names_name_gist_idx',
  'assessments_applicationName_createdAt_id_idx',
]

describe('PostgreSQL migrations match prisma/models.prisma', () => {
  test('the committed migrations build the schema the models describe', async () => {
    const migrated = await postgresDatabase()
    const fromModels = await postgresDatabase()
    try {
      await migratePostgres(migrated.url)
      const client = new pg.Client({ connectionString: fromModels.url })
      await client.connect()
      await client.query(modelsDdl('postgres', fromModels.url))
      await client.end()
      const catalog = (await postgresCatalog(migrated.url)) as {
        columns: { table_name: string }[]
        indexes: { tablename: string; indexname: string; indexdef: string }[]
        constraints: { table_name: string }[]
      }
      // Present, then set aside.
      const trigram = catalog.indexes.find((i) => i.indexname === NAMES_INDEXES[0])
      expect(trigram?.indexdef).toContain('USING gin (name gin_trgm_ops)')
      expect(trigram?.indexdef).toContain("gin_pending_list_limit='64'")
      const signatures = catalog.indexes.find((i) => i.indexname === NAMES_INDEXES[1])
      expect(signatures?.indexdef).toContain("USING gist (((name || ''::text)) gist_trgm_ops (siglen='64'))")
      expect(catalog.indexes.map((i) => i.indexname)).toEqual(expect.arrayContaining(NAMES_INDEXES))
      expect(catalog.columns.some((c) => c.table_name === NAMES_TABLE)).toBe(true)
      catalog.columns = catalog.columns.filter((c) => c.table_name !== NAMES_TABLE)
      catalog.constraints = catalog.constraints.filter((c) => c.table_name !== NAMES_TABLE)
      catalog.indexes = catalog.indexes.filter(
        (i) => i.tablename !== NAMES_TABLE && !NAMES_INDEXES.includes(i.indexname),
      )
      expect(catalog).toEqual(await postgresCatalog(fromModels.url))
    } finally {
      await migrated.cleanup()
      await fromModels.cleanup()
    }
  })
})
