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
}

export interface AssessmentFilter {
  org?: string
  /** Substring of the application name, case-insensitive. */
  application?: string
  recommendation?: string
  from?: Date
  /** Exclusive upper bound. */
  to?: Date
}

/** Keyset position: the list continues with rows strictly older than this one. */
export interface ListPosition {
  createdAt: Date
  id: string
}

export interface AssessmentRepository {
  /** Resolves only once the row is committed. Rejects with DuplicateIdempotencyKey. */
  insert(record: AssessmentRecord): Promise<void>
  findById(id: string): Promise<AssessmentRecord | null>
  findByIdempotencyKey(org: string, key: string): Promise<AssessmentRecord | null>
  /** Newest first, `(createdAt, id)` descending. */
  list(filter: AssessmentFilter, limit: number, after?: ListPosition): Promise<AssessmentRecord[]>
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

export interface Store {
  kind: StoreKind
  assessments: AssessmentRepository
  apiKeys: ApiKeyRepository
  /** Rejects when the database does not answer. */
  ping(): Promise<void>
  /** Waits for pending writes, then disconnects. */
  close(): Promise<void>
}

export class DuplicateIdempotencyKey extends Error {
  constructor() {
    super('idempotency key already used')
    this.name = 'DuplicateIdempotencyKey'
  }
}
