import type { NewEntry } from '../audit-log/entry'
import type { Prisma, PrismaClient } from '../generated/sqlite/client'
import type { AssessmentWriter } from './assessment-writer'
import type { AuditLedger } from './audit-ledger'
import { isUnavailable } from './availability'
import type { FastReads } from './fast-reads'
import { GroupCommit } from './group-commit'
import {
  type ApiKeyRecord,
  type ApiKeyRepository,
  type AssessmentRecord,
  type AssessmentRepository,
  DuplicateIdempotencyKey,
  DuplicatePolicyVersion,
  type PolicyRepository,
  type StoreKind,
} from './types'

/**
 * The two generated clients (SQLite and PostgreSQL) come from one model file and have the
 * same API; the repositories are written once against the SQLite client's types, and the
 * few provider differences are branches on `kind`.
 */
export type Client = PrismaClient

// Prisma's code, and the drivers' own (assessment-writer.ts): SQLite's and PostgreSQL's.
const UNIQUE_VIOLATIONS = new Set([
  'P2002',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  '23505',
])

function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' && UNIQUE_VIOLATIONS.has(code)
}

/**
 * Assessments: the hot reads and the batch write go through the driver (fast-reads.ts,
 * assessment-writer.ts); overrides are written through Prisma, in the ledger's transaction.
 */
export function assessmentRepository(
  client: Client,
  ledger: AuditLedger,
  driver: { writer: AssessmentWriter; reads: FastReads; concurrency: number },
  onBatch?: (size: number) => void,
) {
  const { writer: driverWriter, reads: fast } = driver
  const toDuplicate = (error: unknown) => (isUniqueViolation(error) ? new DuplicateIdempotencyKey() : error)
  // Each batch is one transaction of the driver: the rows and their audit-log entries, chained in order.
  const writeBatch = (items: AssessmentRecord[]) => driverWriter.write(items)
  const writer = new GroupCommit<AssessmentRecord>({
    writeMany: writeBatch,
    concurrency: driver.concurrency,
    retryAlone: (error) => !isUnavailable(error),
    onBatch,
    writeOne: async (item) => {
      try {
        await writeBatch([item])
      } catch (error) {
        throw toDuplicate(error)
      }
    },
  })

  const repository: AssessmentRepository & { flushed(): Promise<void>; queued(): number } = {
    queued: () => writer.queued,
    historyPage: fast.historyPage,
    insertOverride: (record) =>
      ledger.record(async (tx) => {
        await tx.override.create({ data: record })
        const entry: NewEntry = {
          kind: 'override',
          recordId: record.id,
          org: record.org,
          keyId: record.keyId,
          createdAt: record.createdAt,
          record: { ...record },
        }
        return { result: undefined, entries: [entry] }
      }),
    overridesFor: (assessmentIds) => fast.overridesFor(assessmentIds),
    insert: (record) => writer.submit(record),
    insertMany: async (records) => {
      if (records.length === 0) return
      try {
        await writeBatch(records)
      } catch (error) {
        throw toDuplicate(error)
      }
    },
    findByIdempotencyKeys: (org, keys) =>
      keys.length === 0
        ? Promise.resolve([])
        : client.assessment.findMany({ where: { org, idempotencyKey: { in: keys } } }),
    flushed: () => writer.flushed(),
    findById: (id) => fast.assessmentById(id),
    findByIdempotencyKey: (org, idempotencyKey) =>
      client.assessment.findUnique({ where: { org_idempotencyKey: { org, idempotencyKey } } }),
    list: (filter, limit, after, within) => fast.list(filter, limit, after, within),
    findBytesById: (id) => fast.assessmentBytesById(id),
    listBytes: (filter, limit, after, within) => fast.listBytes(filter, limit, after, within),
  }
  return repository
}

export function policyRepository(client: Client, kind: StoreKind, ledger: AuditLedger): PolicyRepository {
  return {
    insert: async (record, actorOrg) => {
      try {
        await ledger.record(async (tx) => {
          await tx.policy.create({ data: record })
          const entry: NewEntry = {
            kind: 'policy',
            recordId: record.id,
            org: actorOrg,
            keyId: record.keyId,
            createdAt: record.createdAt,
            record: { ...record },
          }
          return { result: undefined, entries: [entry] }
        })
      } catch (error) {
        throw isUniqueViolation(error) ? new DuplicatePolicyVersion() : error
      }
    },
    findById: (id) => client.policy.findUnique({ where: { id } }),
    list: () => client.policy.findMany({ orderBy: [{ name: 'asc' }, { version: 'asc' }] }),
    maxVersion: async (name) =>
      (await client.policy.aggregate({ where: { name }, _max: { version: true } }))._max.version ?? 0,
    activate: (policyId, activatedAt, keyId, actorOrg) =>
      ledger.record(async (tx) => {
        const row = await tx.policyActivation.create({ data: { policyId, activatedAt, keyId } })
        await notifyChange(tx, kind, 'activation')
        const entry: NewEntry = {
          kind: 'activation',
          recordId: String(row.seq),
          org: actorOrg,
          keyId,
          createdAt: activatedAt,
          record: { ...row },
        }
        return { result: undefined, entries: [entry] }
      }),
    activePolicyId: async () =>
      (await client.policyActivation.findFirst({ orderBy: { seq: 'desc' } }))?.policyId ?? null,
  }
}

const withRevocation = (
  row: Omit<ApiKeyRecord, 'revokedAt'> & { revocation: { revokedAt: Date } | null },
): ApiKeyRecord => {
  const { revocation, ...key } = row
  return { ...key, revokedAt: revocation?.revokedAt ?? null }
}

/** PostgreSQL's channel for "a key was revoked or a policy activated": see open-store.ts. */
export const CHANGE_CHANNEL = 'placement_changes'

/** Inside a transaction: tells every listening replica once it commits (PostgreSQL only). */
async function notifyChange(
  tx: Prisma.TransactionClient,
  kind: StoreKind,
  what: 'revocation' | 'activation',
): Promise<void> {
  // NOTIFY takes literals only; both are fixed strings here.
  if (kind === 'postgres') await tx.$executeRawUnsafe(`NOTIFY ${CHANGE_CHANNEL}, '${what}'`)
}

export function apiKeyRepository(client: Client, kind: StoreKind, ledger: AuditLedger): ApiKeyRepository {
  return {
    insert: (record: ApiKeyRecord) =>
      ledger.record(async (tx) => {
        const { revokedAt, ...key } = record
        await tx.apiKey.create({ data: key })
        const entry: NewEntry = {
          kind: 'key',
          recordId: key.id,
          org: key.org,
          keyId: null,
          createdAt: key.createdAt,
          record: { ...key },
        }
        return { result: undefined, entries: [entry] }
      }),
    findByHash: async (hash) => {
      const row = await client.apiKey.findUnique({ where: { hash }, include: { revocation: true } })
      return row ? withRevocation(row) : null
    },
    list: async (org) =>
      (
        await client.apiKey.findMany({
          where: org === undefined ? {} : { org },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          include: { revocation: true },
        })
      ).map(withRevocation),
    // A revocation is a record of its own; revoking twice keeps the first.
    revoke: (id, at) =>
      ledger.record(async (tx) => {
        const key = await tx.apiKey.findUnique({ where: { id }, include: { revocation: true } })
        if (!key) return { result: false, entries: [] }
        if (key.revocation) return { result: true, entries: [] }
        const revocation = { keyId: id, revokedAt: at }
        await tx.apiKeyRevocation.create({ data: revocation })
        await notifyChange(tx, kind, 'revocation')
        const entry: NewEntry = {
          kind: 'revocation',
          recordId: id,
          org: key.org,
          keyId: null,
          createdAt: at,
          record: { ...revocation },
        }
        return { result: true, entries: [entry] }
      }),
  }
}
