import { timeSlice } from '../lib/time-slice'
import { type Checkpoint, checkpointSignatureValid } from './checkpoint'
import {
  type AuditEntry,
  type AuditKind,
  type AuditRecord,
  contentHash,
  entryHash,
  GENESIS_HASH,
} from './entry'

/** One log entry and the record it covers as found now (null: no such record). */
export interface LoggedItem {
  entry: AuditEntry
  record: AuditRecord | null
}

/** A retention run: records of these kinds, logged before `seq` and older than `cutoff`, may be gone. */
export interface RetentionMark {
  seq: number
  cutoff: string
}
const RETAINABLE: readonly AuditKind[] = ['assessment', 'override']

export interface VerifyOptions {
  /** Every entry in sequence order, in pages, each with its record. */
  items: AsyncIterable<readonly LoggedItem[]> | Iterable<readonly LoggedItem[]>
  /** Verify against this checkpoint (one the auditor kept, or the latest signed one). */
  checkpoint?: Checkpoint | null
  /** The public key (PEM) the auditor trusts; without it the checkpoint's own key is used. */
  trustedKey?: string
  retention?: readonly RetentionMark[]
  /** Records in the logged tables that no entry covers, first found first. */
  unlogged?: () => Promise<{ kind: AuditKind; id: string } | null> | { kind: AuditKind; id: string } | null
}

export interface VerifyResult {
  ok: boolean
  /** Entries checked before the walk ended. */
  checked: number
  /** The id of the first record found altered, missing or out of place. */
  firstInvalidId: string | null
  reason: string | null
  /** The log's size and last hash as walked. */
  size: number
  headHash: string
  checkpoint: { size: number; rootHash: string; keyId: string; signatureValid: boolean } | null
}

const retained = (entry: AuditEntry, marks: readonly RetentionMark[]) =>
  RETAINABLE.includes(entry.kind) && marks.some((m) => entry.seq < m.seq && entry.createdAt < m.cutoff)

/**
 * Walks the log from its first entry: each entry must carry the next sequence number, follow
 * the entry before it, hash to its stored hash, and cover a record that hashes to its content
 * hash; the entry at a checkpoint's size must hash to the checkpoint's root, and the log must
 * be at least as long as the checkpoint (else its newest entries were cut off). The walk stops
 * at the first fault and names the record it concerns.
 */
export async function verifyLog(options: VerifyOptions): Promise<VerifyResult> {
  const checkpoint = options.checkpoint ?? null
  const marks = options.retention ?? []
  let prev = GENESIS_HASH
  let checked = 0
  let rootAtCheckpoint: string | null = null
  const result = (firstInvalidId: string | null, reason: string | null): VerifyResult => ({
    ok: reason === null,
    checked,
    firstInvalidId,
    reason,
    size: checked,
    headHash: prev,
    checkpoint: checkpoint && {
      size: checkpoint.size,
      rootHash: checkpoint.rootHash,
      keyId: checkpoint.keyId,
      signatureValid: checkpoint.signature !== '' && checkpointSignatureValid(checkpoint, options.trustedKey),
    },
  })

  // Hashing a million records takes minutes: other requests get their turns meanwhile.
  const slice = timeSlice()
  for await (const page of options.items) {
    for (const { entry, record } of page) {
      await slice.pause()
      const expected = checked + 1
      if (entry.seq !== expected) {
        return result(
          entry.recordId,
          `entry ${expected} is missing: the log continues with entry ${entry.seq}`,
        )
      }
      if (entry.prevHash !== prev) {
        return result(
          entry.recordId,
          `entry ${entry.seq} is out of place: it does not follow the entry before it`,
        )
      }
      const { hash, ...fields } = entry
      if (entryHash(fields) !== hash) return result(entry.recordId, `entry ${entry.seq} was altered`)
      if (record === null) {
        if (!retained(entry, marks)) {
          return result(entry.recordId, `the ${entry.kind} of entry ${entry.seq} is missing`)
        }
      } else if (contentHash(entry.kind, record) !== entry.contentHash) {
        return result(entry.recordId, `the ${entry.kind} of entry ${entry.seq} was altered`)
      }
      prev = hash
      checked = expected
      if (checkpoint && checked === checkpoint.size) rootAtCheckpoint = hash
    }
  }

  if (checkpoint) {
    if (checked < checkpoint.size) {
      return result(
        null,
        `the log was cut short: the checkpoint covers ${checkpoint.size} entries, the log holds ${checked}`,
      )
    }
    if (checkpoint.size > 0 && rootAtCheckpoint !== checkpoint.rootHash) {
      return result(
        null,
        `the log was rewritten: entry ${checkpoint.size} does not hash to the checkpoint's root`,
      )
    }
    // A checkpoint given by value (size and root the caller kept) carries no signature to check.
    if (checkpoint.signature !== '' && !checkpointSignatureValid(checkpoint, options.trustedKey)) {
      return result(null, 'the checkpoint’s signature does not hold under the trusted key')
    }
  }
  const stray = options.unlogged ? await options.unlogged() : null
  if (stray) return result(stray.id, `a ${stray.kind} is stored that the log does not cover`)
  return result(null, null)
}
