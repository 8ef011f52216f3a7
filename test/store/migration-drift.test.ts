import Database from 'better-sqlite3'
import { modelsDdl } from '../../scripts/models-ddl'
import { migrateSqlite } from '../../src/store/migrate'
import { sqliteCatalog } from '../helpers/catalog'
import { sqliteDatabase } from '../helpers/databases'

describe('SQLite migrations match prisma/models.prisma', () => {
  test('the committed migrations build the schema the models describe', async () => {
    const migrated = sqliteDatabase()
    const fromModels = sqliteDatabase()
    try {
      migrateSqlite(migrated.file)
      const db = new Database(fromModels.file)
      db.exec(modelsDdl('sqlite', fromModels.url))
      db.close()
      expect(sqliteCatalog(migrated.file)).toEqual(sqliteCatalog(fromModels.file))
    } finally {
      await migrated.cleanup()
      await fromModels.cleanup()
    }
  })
})
