/**
 * Two projects run the same store-touching tests on both stores: `sqlite` always, `postgres`
 * when TEST_POSTGRES_URL names a server the tests may create and drop databases on
 * (.ci/run sets it; `npm run test:pg` uses the local default).
 * @type {import('jest').Config}
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
}

const sqlite = {
  ...base,
  displayName: 'sqlite',
  roots: ['<rootDir>/test'],
  testPathIgnorePatterns: ['/test/postgres/'],
}

const postgres = {
  ...base,
  displayName: 'postgres',
  roots: ['<rootDir>/test'],
  // Everything that talks to a store; the pure tests need not run twice.
  testMatch: [
    '<rootDir>/test/routes/**/*.test.ts',
    '<rootDir>/test/cli/**/*.test.ts',
    '<rootDir>/test/store/repository.test.ts',
    '<rootDir>/test/store/assessment-writer.test.ts',
    '<rootDir>/test/store/list.test.ts',
    '<rootDir>/test/store/application-search.test.ts',
    '<rootDir>/test/store/list-plans.test.ts',
    '<rootDir>/test/server.test.ts',
    '<rootDir>/test/postgres/**/*.test.ts',
  ],
  setupFiles: ['<rootDir>/test/helpers/use-postgres.js'],
}

const withPostgres = Boolean(process.env.TEST_POSTGRES_URL)
if (!withPostgres) {
  process.stderr.write(
    '\nPostgreSQL store tests SKIPPED: set TEST_POSTGRES_URL (or run `npm run test:pg`) to run them too.\n\n',
  )
}

module.exports = {
  projects: withPostgres ? [sqlite, postgres] : [sqlite],
  // Each test builds its own app on its own throw-away database, so files run in parallel
  // safely; two workers match the two cores of the CI machines.
  maxWorkers: 2,
  // Jest asks each worker to end and kills it after 500 ms by default ("A worker process has
  // failed to exit gracefully"). Ours end on their own, a little later than that on a loaded
  // machine: with 5 s the warning went away and the run ended at most a second after its last
  // test, and a --detectOpenHandles run found no handle left open.
  workerGracefulExitTimeout: 5000,
  testTimeout: 30000,
}
