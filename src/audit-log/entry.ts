import { canonicalJson, canonicalJsonSha256 } from '../lib/canonical-json'
import { sha256Hex } from '../lib/crypto'

/**
 * What counts as valid in the audit log, in one place: the server's write path, GET
 * /v1/audit/verify and the offline verifier all hash and check with these functions.
 *
 * Each entry commits to its record's content (the content hash) and to the entry before it
 * (prevHash), so changing, removing, inserting or reordering anything breaks the chain from
 * that entry on, and a signed head (checkpoint) pins everything up to its size.
 */
export const AUDIT_KINDS = [
  'assessment',
  'override',
  'policy',
  'activation',
  'key',
  'revocation',
  'retention',
] as const
export type AuditKind = (typeof AUDIT_KINDS)[number]

/** The prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEntry {
  seq: number
  kind: AuditKind
  /** The id of the record the entry covers (for an activation, its sequence number). */
  recordId: string
  /** The org the record belongs to (assessments, overrides) or of the key that acted. */
  org: string | null
  /** The API key that made the record; null for the CLI and for records adopted at start. */
  keyId: string | null
  createdAt: string
  contentHash: string
  prevHash: string
  hash: string
}

/** A stored row of a logged table, every column, dates as ISO strings once canonicalised. */
export type AuditRecord = Record<string, unknown>

/** SHA-256 of the record's canonical form: its kind and every column of its row. */
export function contentHash(kind: AuditKind, record: AuditRecord): string {
  // Hashed as it is written: an assessment's record holds its whole document (canonical-json.ts).
  return canonicalJsonSha256('placement-audit-record v1\n', { kind, record })
}

/** SHA-256 of the entry's own fields, the previous entry's hash among them. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, kind, recordId, org, keyId, createdAt, contentHash: content, prevHash } = entry
  return sha256Hex(
    `placement-audit-entry v1\n${canonicalJson({ seq, kind, recordId, org, keyId, createdAt, contentHash: content, prevHash })}`,
  )
}

export interface NewEntry {
  kind: AuditKind
  recordId: string
  org: string | null
  keyId: string | null
  createdAt: Date
  record: AuditRecord
  /** contentHash(kind, record), when computed already (outside a lock the chain is made under). */
  contentHash?: string
}

/** Chains new entries onto a head: the sequence numbers and hashes they get, in order. */
export function chain(head: { seq: number; hash: string }, items: readonly NewEntry[]): AuditEntry[] {
  let { seq, hash: prevHash } = head
  return items.map((item) => {
    seq += 1
    const fields = {
      seq,
      kind: item.kind,
      recordId: item.recordId,
      org: item.org,
      keyId: item.keyId,
      createdAt: item.createdAt.toISOString(),
      contentHash: item.contentHash ?? contentHash(item.kind, item.record),
      prevHash,
    }
    const entry = { ...fields, hash: entryHash(fields) }
    prevHash = entry.hash
    return entry
  })
}
