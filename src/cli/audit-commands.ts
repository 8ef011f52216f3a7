import { createReadStream, createWriteStream, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { type Checkpoint, checkpointSignatureValid } from '../audit-log/checkpoint'
import { readExport } from '../audit-log/export-format'
import { verifyLog } from '../audit-log/verify'
import { loadSigningKey } from '../audit-signing-key'
import type { Config } from '../config'
import { auditService } from '../services/audit'
import { openStore } from '../store/open-store'

export interface Io {
  out: (line: string) => void
  err: (line: string) => void
}

export const AUDIT_USAGE = `  cli audit verify [--export <file.ndjson>] [--checkpoint <file.json>] [--public-key <file.pem>]
      walks the log (of DATABASE_URL, or of an export, without any database) against a kept
      checkpoint (else the latest signed one); prints the result; exit 0 only if it holds
  cli audit export [--out <file.ndjson>]
      writes the log with every record, for offline verification
  cli audit checkpoint
      signs the log's head now and prints the checkpoint (keep it outside this service)
  cli audit retain [--days <n>]
      removes assessments older than AUDIT_RETENTION_DAYS (or --days) and signs a checkpoint`

export class AuditUsageError extends Error {}

async function withAudit<T>(config: Config, work: (audit: ReturnType<typeof auditService>) => Promise<T>) {
  const store = await openStore({ databaseUrl: config.DATABASE_URL, migrate: false })
  try {
    const audit = auditService(store.audit, loadSigningKey(config).key, {
      checkpointEvery: config.AUDIT_CHECKPOINT_EVERY,
      checkpointSeconds: config.AUDIT_CHECKPOINT_SECONDS,
      retentionDays: config.AUDIT_RETENTION_DAYS ?? null,
    })
    return await work(audit)
  } finally {
    await store.close()
  }
}

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T

export async function auditCommand(config: Config, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      export: { type: 'string' },
      checkpoint: { type: 'string' },
      'public-key': { type: 'string' },
      out: { type: 'string' },
      days: { type: 'string' },
    },
  })
  const [action, ...rest] = positionals
  if (rest.length > 0) throw new AuditUsageError(`unexpected: ${rest.join(' ')}`)

  if (action === 'verify') {
    const kept = values.checkpoint ? readJson<Checkpoint>(values.checkpoint) : null
    const trustedKey = values['public-key'] ? readFileSync(values['public-key'], 'utf8') : undefined
    let result: Awaited<ReturnType<typeof verifyLog>>
    if (values.export) {
      const lines = createInterface({
        input: createReadStream(values.export, 'utf8'),
        crlfDelay: Number.POSITIVE_INFINITY,
      })
      const { header, options } = readExport(lines, kept, trustedKey ?? undefined)
      const exported = await header
      if (!trustedKey) io.err('no --public-key given: signatures are checked with the key the export names')
      result = await verifyLog({ ...(await options), trustedKey: trustedKey ?? exported.publicKey })
    } else {
      result = await withAudit(config, async (audit) =>
        kept ? audit.verify({ size: kept.size, rootHash: kept.rootHash }) : audit.verify(),
      )
      if (kept && trustedKey && result.ok && kept.signature) {
        if (!checkpointSignatureValid(kept, trustedKey)) {
          result = {
            ...result,
            ok: false,
            reason: 'the kept checkpoint’s signature does not hold under --public-key',
          }
        }
      }
    }
    io.out(JSON.stringify(result, null, 2))
    return result.ok ? 0 : 1
  }

  if (action === 'export') {
    const out = values.out ? createWriteStream(values.out, 'utf8') : null
    const count = await withAudit(config, async (audit) => {
      let n = 0
      for await (const line of audit.exportLines()) {
        if (out) {
          if (!out.write(`${line}\n`))
            await new Promise<void>((resolve) => out.once('drain', () => resolve()))
        } else io.out(line)
        n++
      }
      return n
    })
    if (out) {
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      )
      io.err(`wrote ${count - 1} entries to ${values.out}`)
    }
    return 0
  }

  if (action === 'checkpoint') {
    const checkpoint = await withAudit(config, (audit) => audit.checkpoint())
    if (!checkpoint) {
      io.err('the audit log is empty: nothing to sign')
      return 1
    }
    io.out(JSON.stringify(checkpoint, null, 2))
    return 0
  }

  if (action === 'retain') {
    const days = values.days === undefined ? config.AUDIT_RETENTION_DAYS : Number(values.days)
    if (days === undefined)
      throw new AuditUsageError('retention is off: set AUDIT_RETENTION_DAYS or pass --days')
    if (!Number.isInteger(days) || days < 1)
      throw new AuditUsageError('--days must be a whole number of days, 1 or more')
    const { run, checkpoint } = await withAudit(config, (audit) => audit.retain(days))
    io.out(JSON.stringify({ ...run, checkpoint }, null, 2))
    return 0
  }
  throw new AuditUsageError(`unknown audit action: ${action ?? '(none)'}`)
}
