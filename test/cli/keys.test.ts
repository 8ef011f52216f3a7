import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { run } from '../../src/cli/main'
import { sha256Hex } from '../../src/lib/crypto'
import { readMigrations } from '../../src/store/migrate'
import { openStore } from '../../src/store/open-store'
import { publicPortal } from '../fixtures/descriptors'
import { createTestApp } from '../helpers/app'
import { TEST_STORE, type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

const exec = promisify(execFile)
const ROOT = path.resolve(__dirname, '..', '..')

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err }
}

let db: ThrowawayDatabase
beforeEach(async () => {
  db = await throwawayDatabase()
})
afterEach(() => db.cleanup())

const cli = async (...argv: string[]) => {
  const c = capture()
  const code = await run(argv, { DATABASE_URL: db.url, MIGRATE_ON_START: 'true' }, c.io)
  return { code, ...c }
}

describe('cli keys', () => {
  test('create prints the key as the last line, once, and stores only its hash', async () => {
    const { code, out } = await cli(
      'keys',
      'create',
      '--org',
      'NIRS',
      '--role',
      'submitter',
      '--label',
      'portal',
    )
    expect(code).toBe(0)
    const key = out[out.length - 1] as string
    expect(key).toMatch(/^plc_[A-Za-z0-9_-]{43}$/)
    expect(out.filter((l) => l.includes(key))).toHaveLength(1)
    const store = await openStore({ databaseUrl: db.url, migrate: false })
    const rows = await store.apiKeys.list()
    await store.close()
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(key)
    expect(rows[0]).toMatchObject({ org: 'NIRS', role: 'submitter', label: 'portal', hash: sha256Hex(key) })
  })

  test('a created key works against a server on the same database; a revoked one does not', async () => {
    const created = await cli('keys', 'create', '--org', 'NIRS', '--role', 'submitter')
    const key = created.out[created.out.length - 1] as string
    const t = await createTestApp({ env: { DATABASE_URL: db.url } })
    try {
      await t
        .http()
        .post('/v1/assessments')
        .set('Authorization', `Bearer ${key}`)
        .send(publicPortal())
        .expect(201)
      const id = (created.out[0] as string).replace('id: ', '')
      const revoked = await cli('keys', 'revoke', id)
      expect(revoked.code).toBe(0)
      // The server caches known keys: it sees the revocation within its bound of a second.
      const started = Date.now()
      let status = 0
      while (status !== 401 && Date.now() - started < 5000) {
        status = (
          await t.http().post('/v1/assessments').set('Authorization', `Bearer ${key}`).send(publicPortal())
        ).status
        if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 10))
      }
      expect(status).toBe(401)
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      await t.app.close()
    }
  })

  test('list shows keys without secrets, and their state', async () => {
    const a = await cli('keys', 'create', '--org', 'A', '--role', 'admin')
    await cli('keys', 'create', '--org', 'B', '--role', 'auditor')
    const id = (a.out[0] as string).replace('id: ', '')
    await cli('keys', 'revoke', id)
    const all = await cli('keys', 'list')
    expect(all.code).toBe(0)
    expect(all.out).toHaveLength(2)
    expect(all.out[0]).toMatch(new RegExp(`^${id}\\tA\\tadmin\\t.*\\trevoked `))
    expect(all.out[1]).toMatch(/\tB\tauditor\t.*\tactive$/)
    expect(all.out.join('\n')).not.toContain('plc_')
    const onlyB = await cli('keys', 'list', '--org', 'B')
    expect(onlyB.out).toHaveLength(1)
  })

  test.each([
    [['keys', 'create', '--role', 'admin'], '--org'],
    [['keys', 'create', '--org', 'A', '--role', 'root'], '--role'],
    [['keys', 'create', '--org', '', '--role', 'admin'], '--org'],
    [['keys', 'create', '--org', 'A', '--role', 'admin', '--bogus'], 'bogus'],
    [['keys', 'revoke'], 'key id'],
    [['keys', 'rotate'], 'unknown keys action'],
    [['frobnicate'], 'unknown command'],
    [['db', 'drop'], 'migrate'],
  ])('usage error %p exits 2 and says what is wrong', async (argv, says) => {
    const { code, err } = await cli(...argv)
    expect(code).toBe(2)
    expect(err.join('\n')).toContain(says)
    expect(err.join('\n')).toContain('usage:')
  })

  test('revoking an unknown key exits 1', async () => {
    const { code, err } = await cli('keys', 'revoke', 'no-such-key')
    expect(code).toBe(1)
    expect(err[0]).toContain('no key no-such-key')
  })

  test('a bad DATABASE_URL exits 1 with a clear message', async () => {
    const c = capture()
    const code = await run(['keys', 'list'], { DATABASE_URL: 'mysql://x' }, c.io)
    expect(code).toBe(1)
    expect(c.err[0]).toContain('DATABASE_URL')
  })

  test('db migrate applies the migrations once', async () => {
    const c = capture()
    expect(await run(['db', 'migrate'], { DATABASE_URL: db.url }, c.io)).toBe(0)
    const all = readMigrations(TEST_STORE).map((m) => m.name)
    expect(all.length).toBeGreaterThanOrEqual(2)
    expect(c.out).toEqual([`applied: ${all.join(', ')}`])
    const second = await cli('db', 'migrate')
    expect(second.out).toEqual(['database is up to date'])
  })

  test('npm run cli works as the README says: the key is the last line of stdout', async () => {
    const { stdout } = await exec(
      'npm',
      ['run', '--silent', 'cli', '--', 'keys', 'create', '--org', 'NIRS', '--role', 'auditor'],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url, MIGRATE_ON_START: 'true' },
      },
    )
    const lines = stdout.trimEnd().split('\n')
    expect(lines[lines.length - 1]).toMatch(/^plc_/)
  })
})
