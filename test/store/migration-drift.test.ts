import Database from 'better-sqlite3'
import { modelsDdl } from '../../scripts/models-ddl'
import { migrateSqlite } from '../../src/store/migrate'
import { sqliteCatalog } from '../helpers/catalog'
import { sqliteDatabase } from '../helpers/databases'

// What the models cannot state (SQLite's application search, see its migration): the names'
// table, its FTS5 trigram index (with the tables FTS5 keeps it in) and the names' index on
// assessments, which the search reads and PostgreSQL does not need.
const SEARCH_TABLES = ['application_names', 'application_name_search']
const NAME_INDEX = 'assessments_applicationName_createdAt_id_idx'

describe('SQLite migrations match prisma/models.prisma', () => {
  test('the committed migrations build the schema the models describe', async () => {
    const migrated = sqliteDatabase()
    const fromModels = sqliteDatabase()
    try {
      migrateSqlite(migrated.file)
      const db = new Database(fromModels.file)
      db.exec(modelsDdl('sqlite', fromModels.url))
      db.close()
      // Present, then set aside.
      const catalog = sqliteCatalog(migrated.file) as { table: string; indexes: { name: string }[] }[]
      const search = catalog.filter((t) =>
        SEARCH_TABLES.some((s) => t.table === s || t.table.startsWith(`${s}_`)),
      )
      expect(search.map((t) => t.table)).toEqual(expect.arrayContaining(SEARCH_TABLES))
      const assessments = catalog.find((t) => t.table === 'assessments')
      expect(assessments?.indexes.map((i) => i.name)).toContain(NAME_INDEX)
      const rest = catalog
        .filter((t) => !search.includes(t))
        .map((t) => ({ ...t, indexes: t.indexes.filter((i) => i.name !== NAME_INDEX) }))
      expect(rest).toEqual(sqliteCatalog(fromModels.file))
    } finally {
      await migrated.cleanup()
      await fromModels.cleanup()
    }
  })
})
