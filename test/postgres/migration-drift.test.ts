import pg from 'pg'
import { modelsDdl } from '../../scripts/models-ddl'
import { migratePostgres } from '../../src/store/migrate'
import { postgresCatalog } from '../helpers/catalog'
import { postgresDatabase } from '../helpers/databases'

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
      expect(await postgresCatalog(migrated.url)).toEqual(await postgresCatalog(fromModels.url))
    } finally {
      await migrated.cleanup()
      await fromModels.cleanup()
    }
  })
})
