import type { AuditKind } from '../audit-log/entry'
import type { AuditLedger } from './audit-ledger'
/** What the service stores and reads back; the only shapes that cross the store boundary. */

export interface AssessmentRecord {
  id: string
  createdAt: Date
  org: string
  keyId: string
  applicationName: string
  recommendation: string
  policyId: string
  policyVersion: number
  /** Canonical JSON of the whole assessment. */
  document: string
  /** SHA-256 of the canonical request body, to tell an idempotent replay from a conflict. */
  requestHash: string
  idempotencyKey: string | null
  /** The assessment this one re-evaluates. */
  supersedes: string | null
}

export interface AssessmentFilter {
  org?: string
  /** Substring of the application name, case-insensitive. */
  application?: string
  recommendation?: string
  from?: Date
  /** Exclusive upper bound. */
  to?: Date
  policyId?: string
  policyVersion?: number
  /** Only assessments made under any policy but this one (the stale ones, given the active id). */
  notPolicyId?: string
  /** Only assessments with (true) or without (false) an override. */
  overridden?: boolean
}

/** Keyset position: the list continues with rows strictly older than this one. */
export interface ListPosition {
  createdAt: Date
  id: string
}

/**
 * A list read's rows, and the end of the window it read within. A filter that no index serves
 * whole (an application term in many names, or on PostgreSQL not looked up within its budget, two
 * equality filters, a policy version, stale, not overridden, overridden when the overrides are
 * many: needsWindow in fast-reads.ts) tests its rows one by one in list order; such a read examines at most
 * LIST_WINDOW (fast-reads.ts) assessments of the index it walks, so that its cost never grows
 * with the history. `windowEnd` is the last position of that window (the read includes it), or
 * null when the read was not bounded (the filter needs no window, or fewer than LIST_WINDOW
 * assessments were left to examine). Fewer rows than asked for and a window end: the list goes
 * on after the window end.
 */
export interface ListedRows<T> {
  rows: T[]
  windowEnd: ListPosition | null
}

export interface AssessmentRepository {
  /** Rows per read when walking the history (export, policy impact): what suits the store's driver. */
  readonly historyPage: number
  /** Resolves only once the row is committed. Rejects with DuplicateIdempotencyKey. */
  insert(record: AssessmentRecord): Promise<void>
  findById(id: string): Promise<AssessmentRecord | null>
  findByIdempotencyKey(org: string, key: string): Promise<AssessmentRecord | null>
  /** Writes all in one transaction, chained into the audit log in order; all or none. */
  insertMany(records: AssessmentRecord[]): Promise<void>
  findByIdempotencyKeys(org: string, keys: string[]): Promise<AssessmentRecord[]>
  /**
   * Newest first, `(createdAt, id)` descending, strictly after `after`, within a bounded window
   * when the filter needs one (ListedRows). `within`: a walk's window end from its previous full
   * page (null: none was needed), so that a window is found once, not once a page.
   */
  list(
    filter: AssessmentFilter,
    limit: number,
    after?: ListPosition,
    within?: ListPosition | null,
  ): Promise<ListedRows<AssessmentRecord>>
  /** findById, with the document as its stored UTF-8 bytes. */
  findBytesById(id: string): Promise<AssessmentBytes | null>
  /** list, with the documents as their stored UTF-8 bytes. */
  listBytes(
    filter: AssessmentFilter,
    limit: number,
    after?: ListPosition,
    within?: ListPosition | null,
  ): Promise<ListedRows<AssessmentBytes>>
  insertOverride(record: OverrideRecord): Promise<void>
  /** Overrides of the given assessments, oldest first. */
  overridesFor(assessmentIds: string[]): Promise<OverrideRecord[]>
}

/**
 * A record with its document as UTF-8 bytes, for an answer that sends the document on without
 * reading it: SQLite hands over a 15 KB bilingual document as bytes in a fifth of the time it
 * takes to make it a string (UTF-8 to UTF-16, BENCHMARKS.md), and the socket wants bytes again.
 */
export type AssessmentBytes = Omit<AssessmentRecord, 'document'> & {
  document: Buffer
  /** Whether it has overrides (read with it: most have none, and then none are asked for). */
  overridden: boolean
}

export interface OverrideRecord {
  id: string
  assessmentId: string
  org: string
  keyId: string
  placement: string
  reasonCode: string
  reason: string
  createdAt: Date
}

export interface PolicyRecord {
  id: string
  name: string
  version: number
  /** Canonical JSON of the policy definition. */
  document: string
  createdAt: Date
  keyId: string | null
}

export interface PolicyRepository {
  /** Rejects with DuplicatePolicyVersion when the name already has this version. */
  insert(record: PolicyRecord, actorOrg: string | null): Promise<void>
  findById(id: string): Promise<PolicyRecord | null>
  list(): Promise<PolicyRecord[]>
  /** Highest stored version of the name; 0 when there is none. */
  maxVersion(name: string): Promise<number>
  activate(policyId: string, at: Date, keyId: string | null, actorOrg: string | null): Promise<void>
  /** The most recently activated policy, or null when none ever was (the default applies). */
  activePolicyId(): Promise<string | null>
}

export interface ApiKeyRecord {
  id: string
  org: string
  role: string
  hash: string
  label: string | null
  createdAt: Date
  revokedAt: Date | null
}

export interface ApiKeyRepository {
  insert(record: ApiKeyRecord): Promise<void>
  findByHash(hash: string): Promise<ApiKeyRecord | null>
  list(org?: string): Promise<ApiKeyRecord[]>
  /** Marks the key revoked; false when no such key exists. Revoking twice keeps the first time. */
  revoke(id: string, at: Date): Promise<boolean>
}

export type StoreKind = 'sqlite' | 'postgres'

/** Where a record's entry stands in the audit log. */
export interface AuditPosition {
  seq: number
  hash: string
}

/** The audit log's reading side (writes happen with the records, in the repositories). */
export type AuditStore = Omit<AuditLedger, 'record' | 'append' | 'adoptUnlogged'> & {
  /** The positions of these records' entries, by record id; a record without one is left out. */
  positionsFor(kind: AuditKind, recordIds: string[]): Promise<Map<string, AuditPosition>>
}
export type { EventFilter } from './audit-ledger'

/** How busy the store is right now. */
export interface StoreLoad {
  /** Open connections (SQLite: the one). */
  connections: number
  /** Of those, idle. */
  idle: number
  /** Requests waiting for a connection, plus rows waiting for the next group commit. */
  waiting: number
}

/** What the store tells whoever watches it (metrics). */
export interface StoreWatcher {
  writeBatch?: (size: number) => void
}

/**
 * Where the rarely-changing state stands: counts that only grow. A reader that saw the same
 * marker before may keep what it cached of keys and the active policy.
 */
export interface ChangeMarker {
  revocations: number
  activations: number
}

export interface Store {
  kind: StoreKind
  load(): StoreLoad
  /** One cheap query: the current change marker. */
  changeMarker(): Promise<ChangeMarker>
  /**
   * Calls `listener` as soon as another process (or this one) revokes a key or activates a
   * policy, where the database can push that (PostgreSQL LISTEN/NOTIFY); a no-op elsewhere.
   * Returns a function that stops listening.
   */
  onChange(listener: () => void): () => void
  /** Adds a watcher; the store calls it as things happen. */
  watch(watcher: StoreWatcher): void
  assessments: AssessmentRepository
  apiKeys: ApiKeyRepository
  policies: PolicyRepository
  audit: AuditStore
  /** Rejects when the database does not answer. */
  ping(): Promise<void>
  /** Waits for pending writes, then disconnects. */
  close(): Promise<void>
}

export class DuplicatePolicyVersion extends Error {
  constructor() {
    super('policy version already exists')
    this.name = 'DuplicatePolicyVersion'
  }
}

export class DuplicateIdempotencyKey extends Error {
  constructor() {
    super('idempotency key already used')
    this.name = 'DuplicateIdempotencyKey'
  }
}
