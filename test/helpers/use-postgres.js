// Set up by the `postgres` Jest project: every store-touching test runs on PostgreSQL.
process.env.PLACEMENT_TEST_STORE = 'postgres'
