import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/cli/main'
import { uuidv7 } from '../../src/lib/crypto'
import { openStore } from '../../src/store/open-store'
import { type ThrowawayDatabase, throwawayDatabase } from '../helpers/databases'

let db: ThrowawayDatabase
let dir: string
const signing = generateKeyPairSync('ed25519')
const PRIVATE = signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const PUBLIC = signing.publicKey.export({ type: 'spki', format: 'pem' }).toString()

beforeEach(async () => {
  db = await throwawayDatabase()
  dir = mkdtempSync(path.join(tmpdir(), 'placement-audit-cli-'))
  writeFileSync(path.join(dir, 'public.pem'), PUBLIC)
})
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true })
  await db.cleanup()
})

const file = (name: string) => path.join(dir, name)
const cli = async (...argv: string[]) => {
  const out: string[] = []
  const err: string[] = []
  const code = await run(
    argv,
    { DATABASE_URL: db.url, MIGRATE_ON_START: 'true', AUDIT_SIGNING_KEY: PRIVATE },
    { out: (l) => out.push(l), err: (l) => err.push(l) },
  )
  return { code, out, err, json: () => JSON.parse(out.join('\n')) }
}

/** Keys and assessments, some of them `daysAgo` old, written through the store as the service would. */
async function history(daysAgo: number[]) {
  await cli('keys', 'create', '--org', 'NIRS', '--role', 'submitter')
  const store = await openStore({ databaseUrl: db.url, migrate: false })
  try {
    const [key] = await store.apiKeys.list()
    for (const [i, days] of daysAgo.entries()) {
      const createdAt = new Date(Date.now() - days * 86_400_000)
      const id = uuidv7(createdAt.getTime())
      await store.assessments.insert({
        id,
        createdAt,
        org: 'NIRS',
        keyId: key?.id as string,
        applicationName: `App ${i}`,
        recommendation: 'hypervisor',
        policyId: 'nirs-paper-v2',
        policyVersion: 2,
        document: JSON.stringify({ id, note: `decision ${i}` }),
        requestHash: `${i}`,
        idempotencyKey: null,
        supersedes: null,
      })
    }
  } finally {
    await store.close()
  }
}

/** `audit verify` of an export, against a kept checkpoint when given, trusting `key`. */
const verifyExport = (exported: string, key: string, checkpoint?: string) =>
  cli(
    'audit',
    'verify',
    '--export',
    file(exported),
    ...(checkpoint ? ['--checkpoint', file(checkpoint)] : []),
    '--public-key',
    file(key),
  )

const lines = (name: string) => readFileSync(file(name), 'utf8').trimEnd().split('\n')

describe('cli audit', () => {
  test('verify online, export, and verify the export offline against a kept checkpoint', async () => {
    await history([0, 0, 0])
    const checkpoint = await cli('audit', 'checkpoint')
    expect(checkpoint.code).toBe(0)
    writeFileSync(file('checkpoint.json'), checkpoint.out.join('\n'))
    expect(checkpoint.json()).toMatchObject({ size: 4 })

    const online = await cli(
      'audit',
      'verify',
      '--checkpoint',
      file('checkpoint.json'),
      '--public-key',
      file('public.pem'),
    )
    expect(online.code).toBe(0)
    expect(online.json()).toMatchObject({ ok: true, checked: 4 })

    expect((await cli('audit', 'export', '--out', file('log.ndjson'))).code).toBe(0)
    expect(lines('log.ndjson')).toHaveLength(5)
    const offline = await verifyExport('log.ndjson', 'public.pem', 'checkpoint.json')
    expect(offline.json()).toMatchObject({
      ok: true,
      checked: 4,
      checkpoint: { size: 4, signatureValid: true },
    })
    expect(offline.code).toBe(0)
  })

  test('an altered or shortened export fails offline, at the right record', async () => {
    await history([0, 0, 0])
    writeFileSync(file('checkpoint.json'), (await cli('audit', 'checkpoint')).out.join('\n'))
    await cli('audit', 'export', '--out', file('log.ndjson'))
    const all = lines('log.ndjson')
    const third = JSON.parse(all[3] as string)
    third.record.recommendation = 'container'
    writeFileSync(
      file('altered.ndjson'),
      [...all.slice(0, 3), JSON.stringify(third), ...all.slice(4)].join('\n'),
    )
    const altered = await cli(
      'audit',
      'verify',
      '--export',
      file('altered.ndjson'),
      '--public-key',
      file('public.pem'),
    )
    expect(altered.code).toBe(1)
    expect(altered.json()).toMatchObject({ ok: false, firstInvalidId: third.entry.recordId })

    writeFileSync(file('short.ndjson'), all.slice(0, -1).join('\n'))
    const short = await verifyExport('short.ndjson', 'public.pem', 'checkpoint.json')
    expect(short.code).toBe(1)
    expect(short.json().reason).toMatch(/cut short/)

    // A checkpoint signed by some other key does not pass for the service's.
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
    writeFileSync(file('other.pem'), other)
    const forged = await verifyExport('log.ndjson', 'other.pem', 'checkpoint.json')
    expect(forged.code).toBe(1)
    expect(forged.json().reason).toMatch(/signature/)
  })

  test('retention removes old assessments only through its procedure, and the log still verifies', async () => {
    await history([400, 400, 1])
    expect((await cli('audit', 'retain')).code).toBe(2)
    const retained = await cli('audit', 'retain', '--days', '365')
    expect(retained.code).toBe(0)
    expect(retained.json()).toMatchObject({ removedAssessments: 2, removedOverrides: 0 })
    expect(retained.json().checkpoint.size).toBe(5)
    const store = await openStore({ databaseUrl: db.url, migrate: false })
    try {
      expect((await store.assessments.list({}, 10)).rows.map((a) => a.applicationName)).toEqual(['App 2'])
    } finally {
      await store.close()
    }
    const online = await cli('audit', 'verify', '--public-key', file('public.pem'))
    expect(online.json()).toMatchObject({ ok: true, checked: 5 })
    await cli('audit', 'export', '--out', file('log.ndjson'))
    const offline = await cli(
      'audit',
      'verify',
      '--export',
      file('log.ndjson'),
      '--public-key',
      file('public.pem'),
    )
    expect(offline.json()).toMatchObject({ ok: true, checked: 5 })
  })
})
