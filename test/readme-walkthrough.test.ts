import { execFile } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { type ThrowawayDatabase, throwawayDatabase } from './helpers/databases'
import { type ServerProcess, startServer } from './helpers/server-process'

const exec = promisify(execFile)
const ROOT = path.resolve(__dirname, '..')
const WRITES = ['headers.txt', 'created.json', 'assessments.csv']

/** The README's walk-through, as a reader would paste it: the first sh block of its section. */
function walkThrough(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Walk-through with curl'))
  const match = /```sh\n([\s\S]*?)```/.exec(section)
  if (!match?.[1]) throw new Error('README.md has no walk-through block')
  return match[1]
}

let db: ThrowawayDatabase
let server: ServerProcess
beforeAll(async () => {
  db = await throwawayDatabase()
  server = await startServer({ DATABASE_URL: db.url, MIGRATE_ON_START: 'true' })
})
afterAll(async () => {
  await server.stop()
  await db.cleanup()
  for (const file of WRITES) rmSync(path.join(ROOT, file), { force: true })
})

test('the README walk-through runs as written, and answers what it says', async () => {
  const script = walkThrough().replaceAll('http://127.0.0.1:3000', server.baseUrl)
  const { stdout } = await exec('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url },
    maxBuffer: 10 * 2 ** 20,
  })
  expect(stdout).toMatch(/^HTTP\/1\.1 201 Created/m)
  expect(stdout).toMatch(/^\/v1\/assessments\/[0-9a-f-]{36}$/m)
  expect(stdout).toMatch(/^hypervisor \((high|medium|low)\), margin [\d.]+$/m)
  expect(stdout).toMatch(/"recommendation":"hypervisor"/)
  expect(stdout).toMatch(/[가-힣]/)
  expect(stdout).toMatch(
    /"target":"container".*"interim":"hypervisor"|"interim":"hypervisor".*"target":"container"/s,
  )
  expect(stdout).toContain('[ 201, 201 ] { container: 1, hypervisor: 1 }')
  expect(readFileSync(path.join(ROOT, 'assessments.csv'), 'utf8').startsWith('\ufeffid,createdAt,org')).toBe(
    true,
  )
}, 120_000)
