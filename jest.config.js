/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Each test file builds its own app on its own throw-away database, so files run in
  // parallel safely; two workers match the two cores of the CI machines.
  maxWorkers: 2,
  testTimeout: 30000,
}
