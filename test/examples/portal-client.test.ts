import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { apiKeyService } from '../../src/services/api-keys'
import { openStore } from '../../src/store/open-store'
import { type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'
import { type ServerProcess, startServer } from '../helpers/server-process'

const exec = promisify(execFile)
const ROOT = path.resolve(__dirname, '..', '..')
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name)

let db: ThrowawayDatabase
let server: ServerProcess
let dir: string
beforeAll(async () => {
  db = await throwawayDatabase()
  server = await startServer({ DATABASE_URL: db.url, MIGRATE_ON_START: 'true' })
  dir = mkdtempSync(path.join(tmpdir(), 'placement-portal-'))
})
afterAll(async () => {
  await server.stop()
  await db.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

describe('a portal client generated from openapi.yaml', () => {
  test('is generated, compiles with tsc --strict, and works against the service', async () => {
    // Generate the types from the committed document, as a portal team would.
    await exec(bin('openapi-typescript'), [
      path.join(ROOT, 'openapi.yaml'),
      '-o',
      path.join(dir, 'placement.d.ts'),
    ])
    copyFileSync(
      path.join(ROOT, 'examples', 'portal', 'portal-client.ts'),
      path.join(dir, 'portal-client.ts'),
    )
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'))
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          skipLibCheck: true,
          types: ['node'],
          noUncheckedIndexedAccess: true,
        },
        files: ['portal-client.ts'],
      }),
    )
    await exec(bin('tsc'), ['-p', path.join(dir, 'tsconfig.json')], { cwd: dir })

    const store = await openStore({ databaseUrl: db.url, migrate: false })
    const { key } = await apiKeyService(store.apiKeys).create('NIRS', 'submitter')
    await store.close()
    const { stdout } = await exec(bin('tsx'), [path.join(dir, 'portal-client.ts')], {
      cwd: dir,
      env: { ...process.env, PLACEMENT_URL: server.baseUrl, PLACEMENT_KEY: key },
    })
    const steps = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { step: string; value: Record<string, unknown> })
        .map(({ step, value }) => [step, value]),
    )
    expect(steps.created).toMatchObject({ recommendation: 'container', interim: 'hypervisor' })
    expect(steps['read-ko']).toMatchObject({ language: 'ko' })
    expect(String(steps['read-ko']?.rationale)).toMatch(/[가-힣]/)
    expect(steps.listed).toMatchObject({ count: 1, first: steps.created?.id })
    expect(steps.batch).toMatchObject({ statuses: [201, 400], byRecommendation: { container: 1 } })
    expect(steps.export).toMatchObject({ lines: 2 })
    expect(steps.problem).toEqual({ status: 404, type: 'urn:placement:problem:not-found' })
  }, 120_000)
})
