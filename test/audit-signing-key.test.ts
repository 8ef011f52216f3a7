import { createPublicKey } from 'node:crypto'
import fs, { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadSigningKey } from '../src/audit-signing-key'
import { loadConfig } from '../src/config'

/**
 * The embedded SQLite default keeps its checkpoint-signing key beside the database, made by the
 * first process that starts (audit-signing-key.ts). Two replicas or the CLI may start together.
 */
describe('the signing key beside a SQLite database', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'signing-key-'))
  })
  afterEach(() => {
    jest.restoreAllMocks()
    rmSync(dir, { recursive: true, force: true })
  })
  const config = () => loadConfig({ DATABASE_URL: `file:${path.join(dir, 'placement.db')}` })
  const publicPem = (key: ReturnType<typeof loadSigningKey>['key']) =>
    createPublicKey(key).export({ type: 'spki', format: 'pem' })

  test('is made once, readable by its owner only, and found again', () => {
    const made = loadSigningKey(config())
    expect(made.origin).toBe('generated beside the database')
    expect(readdirSync(dir)).toEqual(['audit-signing-key.pem'])
    expect(statSync(path.join(dir, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600)
    const found = loadSigningKey(config())
    expect(found.origin).toBe('file beside the database')
    expect(publicPem(found.key)).toEqual(publicPem(made.key))
  })

  test('a second start while the first is writing the key uses one whole key, the same', () => {
    // The second start comes at the worst moment: the first has created its file and not yet
    // written it (the first write the first start makes, with its file already there, empty).
    const write = fs.writeFileSync
    let second: ReturnType<typeof loadSigningKey> | undefined
    let interrupted = false
    jest.spyOn(fs, 'writeFileSync').mockImplementation((file, data, options) => {
      if (!interrupted && typeof file === 'string' && file.startsWith(dir)) {
        interrupted = true
        fs.closeSync(fs.openSync(file, 'wx', 0o600))
        second = loadSigningKey(config())
        return write(file, data, { mode: 0o600, flag: 'w' })
      }
      return write(file, data, options)
    })
    const first = loadSigningKey(config())
    expect(second).toBeDefined()
    expect(publicPem(first.key)).toEqual(publicPem((second as ReturnType<typeof loadSigningKey>).key))
    expect(readdirSync(dir)).toEqual(['audit-signing-key.pem'])
    jest.restoreAllMocks()
    expect(publicPem(loadSigningKey(config()).key)).toEqual(publicPem(first.key))
  })
})
