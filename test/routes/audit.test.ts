import { createPublicKey, verify as verifySignature } from 'node:crypto'
import { checkpointText } from '../../src/audit-log/checkpoint'
import { type AuditEntry, contentHash, entryHash, GENESIS_HASH } from '../../src/audit-log/entry'
import { readExport } from '../../src/audit-log/export-format'
import { verifyLog } from '../../src/audit-log/verify'
import { ledger, publicPortal } from '../fixtures/descriptors'
import { tinyPolicy } from '../fixtures/policies'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { type RawDatabase, rawDatabase } from '../helpers/raw-db'

let t: TestApp
let raw: RawDatabase
beforeEach(async () => {
  t = await createTestApp()
  raw = await rawDatabase(t.config.DATABASE_URL)
})
afterEach(async () => {
  await raw.close()
  await t.close()
})

const as = (key: string) => bearer(key)
const verify = (query: Record<string, string | number> = {}) =>
  t.http().get('/v1/audit/verify').query(query).set(as(t.keys.auditor)).expect(200)
const checkpointNow = async () =>
  (await t.http().post('/v1/audit/checkpoints').set(as(t.keys.auditor)).expect(201)).body

/** One of every kind of logged record: keys (made by the test app), a policy and its activation, assessments, an override, a re-evaluation, a revocation. */
async function populate() {
  await t.http().post('/v1/policies').set(as(t.keys.admin)).send(tinyPolicy()).expect(201)
  await t.http().post('/v1/policies/tiny-v1/activate').set(as(t.keys.admin)).expect(200)
  await t.http().post('/v1/policies/nirs-paper-v2/activate').set(as(t.keys.admin)).expect(200)
  const ids: string[] = []
  for (const [key, body] of [
    [t.keys.submitterA, publicPortal('Portal A')],
    [t.keys.submitterB, ledger('Ledger B')],
    [t.keys.submitterA, publicPortal('Portal A2')],
  ] as const) {
    ids.push((await t.http().post('/v1/assessments').set(as(key)).send(body).expect(201)).body.id)
  }
  const override = await t
    .http()
    .post(`/v1/assessments/${ids[0]}/override`)
    .set(as(t.keys.submitterA))
    .send({ placement: 'hypervisor', reasonCode: 'vendor_support', reason: 'The vendor certifies VMs only.' })
    .expect(201)
  await t.http().post(`/v1/assessments/${ids[2]}/reevaluate`).set(as(t.keys.submitterA)).send().expect(201)
  const spare = await t.key('org-c', 'submitter')
  const keys = await t.app.apiKeys.list('org-c')
  await t.app.apiKeys.revoke(keys[0]?.id as string)
  return { assessments: ids, override: override.body.id as string, spare }
}

const entries = async () =>
  (await raw.rows<AuditEntry & { createdAt: unknown }>('SELECT * FROM audit_log ORDER BY seq')).map((e) => ({
    ...e,
    seq: Number(e.seq),
  }))

describe('the audit log', () => {
  test('every logged record gets an entry, chained without gaps; verify walks it all', async () => {
    await populate()
    const rows = await entries()
    expect(rows.map((e) => e.seq)).toEqual(rows.map((_, i) => i + 1))
    expect(new Set(rows.map((e) => e.kind))).toEqual(
      new Set(['key', 'policy', 'activation', 'assessment', 'override', 'revocation']),
    )
    const checkpoint = await checkpointNow()
    expect(checkpoint).toMatchObject({ size: rows.length, rootHash: rows[rows.length - 1]?.hash })
    const res = await verify()
    expect(res.body).toMatchObject({ ok: true, checked: rows.length, firstInvalidId: null, reason: null })
    expect(res.body.checkpoint).toMatchObject({ size: rows.length, signatureValid: true })
  })

  test('the checkpoint signature checks with the published public key, outside the service', async () => {
    await populate()
    const checkpoint = await checkpointNow()
    const status = await t.http().get('/v1/audit').set(as(t.keys.admin)).expect(200)
    expect(status.body).toMatchObject({ size: checkpoint.size, retentionDays: null })
    const ok = verifySignature(
      null,
      Buffer.from(checkpointText(checkpoint)),
      createPublicKey(status.body.publicKey),
      Buffer.from(checkpoint.signature, 'base64'),
    )
    expect(ok).toBe(true)
  })

  test('only auditors and admins read the log; events filter and page', async () => {
    await populate()
    for (const path of ['/v1/audit', '/v1/audit/verify', '/v1/audit/events', '/v1/audit/checkpoints']) {
      await t.http().get(path).set(as(t.keys.submitterA)).expect(403)
    }
    const assessments = await t
      .http()
      .get('/v1/audit/events')
      .query({ kind: 'assessment', org: 'org-a' })
      .set(as(t.keys.auditor))
      .expect(200)
    expect(assessments.body.items.map((e: AuditEntry) => [e.kind, e.org])).toEqual([
      ['assessment', 'org-a'],
      ['assessment', 'org-a'],
      ['assessment', 'org-a'],
    ])
    const seen: number[] = []
    let cursor: string | undefined
    do {
      const page = await t
        .http()
        .get('/v1/audit/events')
        .query({ limit: 4, ...(cursor ? { cursor } : {}) })
        .set(as(t.keys.admin))
        .expect(200)
      seen.push(...page.body.items.map((e: AuditEntry) => e.seq))
      cursor = page.body.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual((await entries()).map((e) => e.seq))
  })

  test('a proof lets an auditor check one assessment against a signed checkpoint by hand', async () => {
    const { assessments } = await populate()
    const res = await t
      .http()
      .get(`/v1/assessments/${assessments[1]}/proof`)
      .set(as(t.keys.submitterB))
      .expect(200)
    const { record, entry, following, checkpoint } = res.body
    expect(record.id).toBe(assessments[1])
    expect(contentHash('assessment', record)).toBe(entry.contentHash)
    let hash = entry.hash
    expect(entryHash({ ...entry, hash: undefined })).toBe(entry.hash)
    for (const next of following) {
      expect(next.prevHash).toBe(hash)
      const { hash: own, ...fields } = next
      expect(entryHash(fields)).toBe(own)
      hash = own
    }
    expect(hash).toBe(checkpoint.rootHash)
    // Another org's assessment is no one's business but its own and the auditors'.
    await t.http().get(`/v1/assessments/${assessments[1]}/proof`).set(as(t.keys.submitterA)).expect(404)
  })

  test('checkpoints are signed on schedule: after AUDIT_CHECKPOINT_EVERY entries', async () => {
    await populate()
    const size = (await entries()).length
    expect(await t.app.audit.checkpointIfDue()).toMatchObject({ size })
    expect(await t.app.audit.checkpointIfDue()).toBeNull()
  })
})

describe('GET /v1/audit/export', () => {
  test('streams the log with its records; offline verification of it holds', async () => {
    await populate()
    const checkpoint = await checkpointNow()
    const res = await t.http().get('/v1/audit/export').set(as(t.keys.auditor)).expect(200)
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/)
    const lines = res.text.trimEnd().split('\n')
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      format: 'placement-audit-export v1',
      size: checkpoint.size,
    })
    expect(lines).toHaveLength(checkpoint.size + 1)
    const { options } = readExport(
      (async function* () {
        yield* lines
      })(),
      checkpoint,
      (await t.http().get('/v1/audit').set(as(t.keys.auditor))).body.publicKey,
    )
    expect(await verifyLog(await options)).toMatchObject({ ok: true, checked: checkpoint.size })
    await t.http().get('/v1/audit/export').set(as(t.keys.submitterA)).expect(403)
  })
})

describe('the database refuses changes', () => {
  test.each([
    ['UPDATE assessments', `UPDATE assessments SET "recommendation" = 'container'`],
    ['DELETE assessments', 'DELETE FROM assessments'],
    ['UPDATE audit_log', `UPDATE audit_log SET "org" = 'x'`],
    ['DELETE audit_log', 'DELETE FROM audit_log'],
    ['DELETE overrides', 'DELETE FROM overrides'],
    ['UPDATE policies', `UPDATE policies SET "document" = '{}'`],
    ['DELETE api_keys', 'DELETE FROM api_keys'],
    ['UPDATE audit_checkpoints', `UPDATE audit_checkpoints SET "rootHash" = 'x'`],
  ])('%s is refused, even on the service’s own database connection', async (_label, sql) => {
    await populate()
    await checkpointNow()
    const table = /(?:UPDATE|FROM) (\w+)/.exec(sql)?.[1] as string
    const [{ n }] = (await raw.rows(`SELECT count(*) AS n FROM ${table}`)) as [{ n: number }]
    expect(Number(n)).toBeGreaterThan(0)
    // Caught by hand, not with .rejects.toThrow: better-sqlite3's native half builds its errors with
    // the class of whichever Jest module registry loaded it first in this worker, so in another
    // test file they are not `instanceof Error` there and Jest would call them "did not throw".
    let error: unknown = null
    try {
      await raw.exec(sql)
    } catch (e) {
      error = e
    }
    expect(error).not.toBeNull()
    expect(String(error)).toMatch(/append-only/)
    expect((await verify()).body.ok).toBe(true)
  })
})

describe('tampering behind the service’s back is found and located', () => {
  beforeEach(async () => {
    await raw.dropTriggers()
  })

  test('an edited assessment', async () => {
    const { assessments } = await populate()
    await raw.exec(`UPDATE assessments SET "recommendation" = 'container' WHERE "id" = $1`, [assessments[1]])
    const res = await verify()
    expect(res.body).toMatchObject({ ok: false, firstInvalidId: assessments[1] })
    expect(res.body.reason).toMatch(/assessment of entry \d+ was altered/)
  })

  test('a deleted override', async () => {
    const { override } = await populate()
    await raw.exec('DELETE FROM overrides WHERE "id" = $1', [override])
    const res = await verify()
    expect(res.body).toMatchObject({ ok: false, firstInvalidId: override })
    expect(res.body.reason).toMatch(/override of entry \d+ is missing/)
  })

  test('an inserted assessment that the log does not cover', async () => {
    const { assessments } = await populate()
    await raw.exec(
      `INSERT INTO assessments ("id", "createdAt", "org", "keyId", "applicationName", "recommendation", "policyId", "policyVersion", "document", "requestHash", "idempotencyKey", "supersedes")
       SELECT 'forged-1', "createdAt", "org", "keyId", "applicationName", "recommendation", "policyId", "policyVersion", "document", "requestHash", NULL, NULL FROM assessments WHERE "id" = $1`,
      [assessments[0]],
    )
    const res = await verify()
    expect(res.body).toMatchObject({ ok: false, firstInvalidId: 'forged-1' })
    expect(res.body.reason).toMatch(/not cover/)
  })

  test('two entries swapped', async () => {
    await populate()
    const rows = await entries()
    const [a, b] = [rows[5] as AuditEntry, rows[6] as AuditEntry]
    await raw.exec('UPDATE audit_log SET "seq" = -1 WHERE "seq" = $1', [a.seq])
    await raw.exec('UPDATE audit_log SET "seq" = $1 WHERE "seq" = $2', [a.seq, b.seq])
    await raw.exec('UPDATE audit_log SET "seq" = $1 WHERE "seq" = -1', [b.seq])
    const res = await verify()
    expect(res.body).toMatchObject({ ok: false, firstInvalidId: b.recordId, checked: a.seq - 1 })
    expect(res.body.reason).toMatch(/out of place/)
  })

  test('an entry removed from the middle', async () => {
    await populate()
    const rows = await entries()
    const gone = rows[3] as AuditEntry
    await raw.exec('DELETE FROM audit_log WHERE "seq" = $1', [gone.seq])
    const res = await verify()
    expect(res.body.ok).toBe(false)
    expect(res.body.reason).toMatch(new RegExp(`entry ${gone.seq} is missing`))
  })

  test('a rewritten history with recomputed hashes fails the signed checkpoint', async () => {
    const { assessments } = await populate()
    await checkpointNow()
    // The owner edits a record and recomputes every hash, as if it had always been so.
    await raw.exec(`UPDATE assessments SET "recommendation" = 'container' WHERE "id" = $1`, [assessments[1]])
    let prev = GENESIS_HASH
    for (const row of await entries()) {
      const entry = (await t.app.store.audit.range(row.seq, row.seq))[0] as AuditEntry
      const record = (await t.app.store.audit.records(entry.kind, [entry.recordId])).get(entry.recordId)
      const { hash: _old, ...fields } = {
        ...entry,
        prevHash: prev,
        contentHash: contentHash(entry.kind, record ?? {}),
      }
      const hash = entryHash(fields)
      await raw.exec(
        'UPDATE audit_log SET "prevHash" = $1, "contentHash" = $2, "hash" = $3 WHERE "seq" = $4',
        [fields.prevHash, fields.contentHash, hash, row.seq],
      )
      prev = hash
    }
    const res = await verify()
    expect(res.body.ok).toBe(false)
    expect(res.body.reason).toMatch(/rewritten/)
  })

  test('a cut-off tail is caught against a checkpoint the auditor kept', async () => {
    await populate()
    const kept = await checkpointNow()
    const more = await t
      .http()
      .post('/v1/assessments')
      .set(as(t.keys.submitterA))
      .send(publicPortal())
      .expect(201)
    // The owner removes the newest entries, their records, every checkpoint, and resets the head.
    const rows = await entries()
    const cut = rows.slice(-3)
    for (const entry of cut) {
      await raw.exec('DELETE FROM audit_log WHERE "seq" = $1', [entry.seq])
      if (entry.kind === 'assessment')
        await raw.exec('DELETE FROM assessments WHERE "id" = $1', [entry.recordId])
      if (entry.kind === 'override') await raw.exec('DELETE FROM overrides WHERE "id" = $1', [entry.recordId])
      if (entry.kind === 'revocation')
        await raw.exec('DELETE FROM api_key_revocations WHERE "keyId" = $1', [entry.recordId])
      if (entry.kind === 'key') {
        await raw.exec('DELETE FROM api_key_revocations WHERE "keyId" = $1', [entry.recordId])
        await raw.exec('DELETE FROM api_keys WHERE "id" = $1', [entry.recordId])
      }
    }
    expect(cut.map((e) => e.recordId)).toContain(more.body.id)
    const last = rows[rows.length - 4] as AuditEntry
    await raw.exec('DELETE FROM audit_checkpoints')
    await raw.exec('UPDATE audit_head SET "seq" = $1, "hash" = $2', [last.seq, last.hash])
    // Against what the database itself holds, nothing shows: that is why checkpoints are kept elsewhere.
    expect((await verify()).body.ok).toBe(true)
    const against = await verify({ size: kept.size, rootHash: kept.rootHash })
    expect(against.body).toMatchObject({ ok: false })
    expect(against.body.reason).toMatch(/cut short/)
  })
})
