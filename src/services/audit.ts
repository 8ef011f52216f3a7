import type { KeyObject } from 'node:crypto'
import { type Checkpoint, keyIdOf, publicKeyPem, signCheckpoint } from '../audit-log/checkpoint'
import type { AuditEntry, AuditKind, AuditRecord } from '../audit-log/entry'
import { EXPORT_FORMAT } from '../audit-log/export-format'
import { type VerifyResult, verifyLog } from '../audit-log/verify'
import { invalidInput, NotFound } from '../errors'
import { uuidv7 } from '../lib/crypto'
import { timeSlice } from '../lib/time-slice'
import type { AuditStore, EventFilter } from '../store/types'

export interface AuditSettings {
  checkpointEvery: number
  checkpointSeconds: number
  retentionDays: number | null
}

export interface ProofOf {
  /** The stored row, every column: its canonical form hashes to entry.contentHash. */
  record: AuditRecord
  entry: AuditEntry
  /** The entries after it, up to and including the checkpoint's last one. */
  following: AuditEntry[]
  checkpoint: Checkpoint
}

const cursorOf = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url')
function seqOf(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match) {
    throw invalidInput('The cursor is not one this service gave out.', [
      { path: '/cursor', message: 'must be a nextCursor of an earlier page' },
    ])
  }
  return Number(match[1])
}

/** Checkpoints, verification, events and proofs: the audit log's face to routes and the CLI. */
export function auditService(
  store: AuditStore,
  signingKey: KeyObject,
  settings: AuditSettings,
  now = () => new Date(),
) {
  const publicKey = publicKeyPem(signingKey)
  const keyId = keyIdOf(publicKey)

  /** Signs the head as it is now, unless the latest checkpoint already covers it. */
  async function checkpoint(): Promise<Checkpoint | null> {
    const head = await store.head()
    const [latest] = await store.checkpoints(1)
    if (head.seq === 0) return null
    if (latest && latest.size >= head.seq) return latest
    const signed = signCheckpoint(signingKey, {
      size: head.seq,
      rootHash: head.hash,
      createdAt: now().toISOString(),
    })
    await store.addCheckpoint(signed)
    return signed
  }

  return {
    publicKey,
    keyId,
    checkpoint,

    /** What the schedule asks: sign when enough entries or enough time has passed. */
    async checkpointIfDue(): Promise<Checkpoint | null> {
      const head = await store.head()
      const [latest] = await store.checkpoints(1)
      const covered = latest?.size ?? 0
      if (head.seq <= covered) return null
      const age = latest ? now().getTime() - Date.parse(latest.createdAt) : Number.POSITIVE_INFINITY
      if (head.seq - covered >= settings.checkpointEvery || age >= settings.checkpointSeconds * 1000) {
        return checkpoint()
      }
      return null
    },

    /**
     * Walks the whole log against a checkpoint: one the caller kept (size and root), or else the
     * latest signed one, whose signature must hold under this service's key.
     */
    async verify(kept?: { size: number; rootHash: string }): Promise<VerifyResult> {
      // A kept checkpoint is compared by value; where the service signed the same head, that
      // signature is checked too and reported.
      const stored = kept ? await store.checkpointAtOrAfter(kept.size) : null
      const against: Checkpoint | null = kept
        ? stored && stored.size === kept.size && stored.rootHash === kept.rootHash
          ? stored
          : { ...kept, createdAt: '', keyId: '', publicKey: '', signature: '' }
        : ((await store.checkpoints(1))[0] ?? null)
      return verifyLog({
        items: store.walk(),
        checkpoint: against,
        trustedKey: publicKey,
        retention: await store.retentions(),
        unlogged: () => store.unlogged(),
      })
    },

    async events(filter: Omit<EventFilter, 'afterSeq'>, limit: number, cursor?: string) {
      const afterSeq = cursor === undefined ? undefined : seqOf(cursor)
      const rows = await store.entries({ ...filter, afterSeq }, limit + 1)
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return { items: page, nextCursor: rows.length > limit && last ? cursorOf(last.seq) : null }
    },

    async checkpoints(limit: number, cursor?: string) {
      const before = cursor === undefined ? undefined : seqOf(cursor)
      const rows = await store.checkpoints(limit + 1, before)
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return { items: page, nextCursor: rows.length > limit && last ? cursorOf(last.size) : null }
    },

    /**
     * What an auditor needs to check that one record is in the log under a checkpoint: its
     * entry, every entry after it up to a signed checkpoint (the first that covers it; one is
     * signed now if none does yet), and that checkpoint. Hash the record, then walk the chain.
     */
    async proof(kind: AuditKind, recordId: string): Promise<ProofOf> {
      const entry = await store.entryFor(kind, recordId)
      if (!entry) throw new NotFound(`No audit log entry for ${kind} ${recordId}.`)
      const covering = (await store.checkpointAtOrAfter(entry.seq)) ?? (await checkpoint())
      if (!covering) throw new NotFound(`No checkpoint covers ${kind} ${recordId} yet.`)
      const record = (await store.records(kind, [recordId])).get(recordId)
      if (!record) throw new NotFound(`The ${kind} ${recordId} is no longer stored.`)
      return {
        record: JSON.parse(JSON.stringify(record)) as AuditRecord,
        entry,
        following: await store.range(entry.seq + 1, covering.size),
        checkpoint: covering,
      }
    },

    /**
     * The whole log as NDJSON lines, for offline verification (`npm run cli -- audit verify
     * --export`): a header, every entry with its record, and the first stored record that no entry
     * covers, if there is one. Read a page at a time, so memory stays flat.
     */
    async *exportLines(): AsyncGenerator<string> {
      const head = await store.head()
      yield JSON.stringify({
        format: EXPORT_FORMAT,
        exportedAt: now().toISOString(),
        size: head.seq,
        headHash: head.hash,
        publicKey,
        retention: await store.retentions(),
      })
      const slice = timeSlice()
      for await (const page of store.walk()) {
        for (const item of page) {
          await slice.pause()
          yield JSON.stringify(item)
        }
      }
      const stray = await store.unlogged()
      if (stray) {
        const record = (await store.records(stray.kind, [stray.id])).get(stray.id) ?? null
        yield JSON.stringify({ entry: null, kind: stray.kind, id: stray.id, record })
      }
    },

    /** Removes what is older than the retention period, logs the run and signs a checkpoint after it. */
    async retain(days: number) {
      const at = now()
      const run = await store.retain(uuidv7(at.getTime()), new Date(at.getTime() - days * 86_400_000), at)
      return { run, checkpoint: await checkpoint() }
    },

    async status() {
      const head = await store.head()
      const [latest] = await store.checkpoints(1)
      return {
        size: head.seq,
        headHash: head.hash,
        latestCheckpoint: latest ?? null,
        publicKey,
        keyId,
        checkpointEvery: settings.checkpointEvery,
        checkpointSeconds: settings.checkpointSeconds,
        retentionDays: settings.retentionDays,
        retentionRuns: (await store.retentions()).length,
      }
    },
  }
}
export type AuditService = ReturnType<typeof auditService>
