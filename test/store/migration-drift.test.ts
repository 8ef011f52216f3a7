import Database from 'better-sqlite3'
import { modelsDdl } from '../../scripts/models-ddl'
import { migrateSqlite } from '../../src/store/migrate'
import { sqliteCatalog } from '../helpers/catalog'
import { sqliteDatabase } from '../helpers/databases'

const SEARCH_TABLE = 'assessment_names'

describe('SQLite migrations match prisma/models.prisma', () => {
  test('the committed migrations build the schema the models describe', async () => {
    const migrated = sqliteDatabase()
    const fromModels = sqliteDatabase()
    try {
      migrateSqlite(migrated.file)
      const db = new Database(fromModels.file)
      db.exec(modelsDdl('sqlite', fromModels.url))
      db.close()
      // The one table the models cannot state (SQLite's application search, see its migration),
      // with the tables FTS5 keeps it in: present, then set aside.
      const catalog = sqliteCatalog(migrated.file) as { table: string }[]
      const search = catalog.filter((t) => t.table === SEARCH_TABLE || t.table.startsWith(`${SEARCH_TABLE}_`))
      expect(search.map((t) => t.table)).toContain(SEARCH_TABLE)
      expect(catalog.filter((t) => !search.includes(t))).toEqual(sqliteCatalog(fromModels.file))
    } finally {
      await migrated.cleanup()
      await fromModels.cleanup()
    }
  })
})
