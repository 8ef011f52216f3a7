import type { Mutex } from 'async-mutex'
import type { Checkpoint } from '../audit-log/checkpoint'
import { type AuditEntry, type AuditKind, type AuditRecord, chain, type NewEntry } from '../audit-log/entry'
import type { LoggedItem } from '../audit-log/verify'
import type { Prisma } from '../generated/sqlite/client'
import type { FastReads } from './fast-reads'
import type { Client } from './prisma-repositories'

/** A transaction's client: the same model API, inside one transaction. */
export type Tx = Prisma.TransactionClient

export interface EventFilter {
  kind?: AuditKind
  org?: string
  keyId?: string
  recordId?: string
  from?: Date
  /** Exclusive. */
  to?: Date
  /** Entries after this sequence number. */
  afterSeq?: number
}

const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 }

function toEntry(row: {
  seq: number
  kind: string
  recordId: string
  org: string | null
  keyId: string | null
  createdAt: Date
  contentHash: string
  prevHash: string
  hash: string
}): AuditEntry {
  return { ...row, kind: row.kind as AuditKind, createdAt: row.createdAt.toISOString() }
}

/**
 * The audit log's store side. Every write of a logged record goes through `record()`: one
 * transaction takes the head row's lock (so writers on every replica and process take turns),
 * writes the records, chains their entries onto the head and moves the head. A batch of records
 * is chained in one transaction, in order. The hashing itself is src/audit-log's.
 */
export function auditLedger(
  client: Client,
  turn?: Mutex,
  reads?: Pick<FastReads, 'auditEntriesAfter' | 'assessmentsByIds'>,
) {
  // SQLite: Prisma's writes of this process take turns with the driver's own write connection
  // (assessment-writer.ts), which would otherwise wait synchronously for a lock they hold.
  const inTurn = <T>(write: () => Promise<T>): Promise<T> => (turn ? turn.runExclusive(write) : write())

  async function append(tx: Tx, items: readonly NewEntry[]): Promise<AuditEntry[]> {
    if (items.length === 0) return []
    const head = await tx.auditHead.findUniqueOrThrow({ where: { id: 1 } })
    const entries = chain(head, items)
    await tx.auditEntry.createMany({
      data: entries.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
    })
    const last = entries[entries.length - 1] as AuditEntry
    await tx.auditHead.update({ where: { id: 1 }, data: { seq: last.seq, hash: last.hash } })
    return entries
  }

  /**
   * Runs `write` in a transaction that holds the log's head, then logs what it returns. The
   * head is locked by the transaction's first statement, before anything is read: on SQLite that
   * takes the write lock at once (no upgrade deadlock with another process); on PostgreSQL the
   * row lock queues writers of every replica.
   */
  async function record<T>(write: (tx: Tx) => Promise<{ result: T; entries: NewEntry[] }>): Promise<T> {
    return inTurn(() =>
      client.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('UPDATE "audit_head" SET "seq" = "seq" WHERE "id" = 1')
        const { result, entries } = await write(tx)
        await append(tx, entries)
        return result
      }, TX_OPTIONS),
    )
  }

  /** The records of one kind, by id, as stored now (every column, no relations). */
  async function records(kind: AuditKind, ids: string[]): Promise<Map<string, AuditRecord>> {
    const byId = new Map<string, AuditRecord>()
    if (ids.length === 0) return byId
    const put = (id: string, row: AuditRecord) => byId.set(id, row)
    switch (kind) {
      case 'assessment':
        if (reads) {
          // Every column, as Prisma's row has them (an interface, so without an index signature).
          for (const r of await reads.assessmentsByIds(ids)) put(r.id, { ...r })
          break
        }
        for (const r of await client.assessment.findMany({ where: { id: { in: ids } } })) put(r.id, r)
        break
      case 'override':
        for (const r of await client.override.findMany({ where: { id: { in: ids } } })) put(r.id, r)
        break
      case 'policy':
        for (const r of await client.policy.findMany({ where: { id: { in: ids } } })) put(r.id, r)
        break
      case 'activation': {
        const seqs = ids.map(Number).filter(Number.isSafeInteger)
        for (const r of await client.policyActivation.findMany({ where: { seq: { in: seqs } } }))
          put(String(r.seq), r)
        break
      }
      case 'key':
        for (const r of await client.apiKey.findMany({ where: { id: { in: ids } } })) put(r.id, r)
        break
      case 'revocation':
        for (const r of await client.apiKeyRevocation.findMany({ where: { keyId: { in: ids } } }))
          put(r.keyId, r)
        break
      case 'retention':
        for (const r of await client.auditRetention.findMany({ where: { id: { in: ids } } })) put(r.id, r)
        break
    }
    return byId
  }

  /** A page of entries after `seq`: the driver's read when given (below), else Prisma's. */
  const entriesAfter = async (seq: number, limit: number): Promise<AuditEntry[]> =>
    reads
      ? reads.auditEntriesAfter(seq, limit)
      : (
          await client.auditEntry.findMany({
            where: { seq: { gt: seq } },
            orderBy: { seq: 'asc' },
            take: limit,
          })
        ).map(toEntry)

  /**
   * Every entry in order with its record, a page at a time: memory stays flat however long the log.
   * A page is read in one synchronous stretch on SQLite: 1 000 entries with their assessments held
   * the event loop for 110-230 ms and grew the heap past 300 MB while verifying 100 000 entries;
   * 100 take about a tenth of that at the same speed (BENCHMARKS.md). The entries and the
   * assessments (nearly every record) are read through the driver when the store gives its reads:
   * through Prisma its per-query machinery and its rows' decoding were 40 % of an export's CPU.
   */
  async function* walk(pageSize = 100): AsyncGenerator<LoggedItem[]> {
    let after = 0
    for (;;) {
      const entries = await entriesAfter(after, pageSize)
      if (entries.length === 0) return
      const found = new Map<AuditKind, Map<string, AuditRecord>>()
      for (const kind of new Set(entries.map((e) => e.kind))) {
        found.set(
          kind,
          await records(
            kind,
            entries.filter((e) => e.kind === kind).map((e) => e.recordId),
          ),
        )
      }
      yield entries.map((entry) => ({ entry, record: found.get(entry.kind)?.get(entry.recordId) ?? null }))
      after = (entries[entries.length - 1] as AuditEntry).seq
    }
  }

  /** The first stored record of a logged table that no entry covers, if any. */
  async function unlogged(): Promise<{ kind: AuditKind; id: string } | null> {
    const tables: [AuditKind, string, string][] = [
      ['assessment', 'assessments', 't."id"'],
      ['override', 'overrides', 't."id"'],
      ['policy', 'policies', 't."id"'],
      ['activation', 'policy_activations', 'CAST(t."seq" AS TEXT)'],
      ['key', 'api_keys', 't."id"'],
      ['revocation', 'api_key_revocations', 't."keyId"'],
      ['retention', 'audit_retentions', 't."id"'],
    ]
    for (const [kind, table, id] of tables) {
      const rows = await client.$queryRawUnsafe<{ id: string }[]>(
        // Table names, columns and kinds are constants of this module, never input.
        `SELECT ${id} AS id FROM "${table}" t WHERE NOT EXISTS (SELECT 1 FROM "audit_log" a WHERE a."kind" = '${kind}' AND a."recordId" = ${id}) LIMIT 1`,
      )
      if (rows[0]) return { kind, id: String(rows[0].id) }
    }
    return null
  }

  /**
   * Records made before the log existed (an upgrade from the first release) are chained once,
   * oldest first, when the log is still empty; from then on a record that no entry covers is
   * a fault that verification reports, never something adopted.
   */
  async function adoptUnlogged(): Promise<number> {
    return inTurn(() => adopt())
  }

  async function adopt(): Promise<number> {
    return client.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('UPDATE "audit_head" SET "seq" = "seq" WHERE "id" = 1')
      const head = await tx.auditHead.findUniqueOrThrow({ where: { id: 1 } })
      if (head.seq > 0) return 0
      const items: NewEntry[] = [
        ...(await tx.policy.findMany()).map((r) => ({
          kind: 'policy' as const,
          recordId: r.id,
          org: null,
          keyId: r.keyId,
          createdAt: r.createdAt,
          record: r,
        })),
        ...(await tx.policyActivation.findMany()).map((r) => ({
          kind: 'activation' as const,
          recordId: String(r.seq),
          org: null,
          keyId: r.keyId,
          createdAt: r.activatedAt,
          record: r,
        })),
        ...(await tx.apiKey.findMany()).map((r) => ({
          kind: 'key' as const,
          recordId: r.id,
          org: r.org,
          keyId: null,
          createdAt: r.createdAt,
          record: r,
        })),
        ...(await tx.apiKeyRevocation.findMany({ include: { key: true } })).map(({ key, ...r }) => ({
          kind: 'revocation' as const,
          recordId: r.keyId,
          org: key.org,
          keyId: null,
          createdAt: r.revokedAt,
          record: r,
        })),
        ...(await tx.assessment.findMany()).map((r) => ({
          kind: 'assessment' as const,
          recordId: r.id,
          org: r.org,
          keyId: r.keyId,
          createdAt: r.createdAt,
          record: r,
        })),
        ...(await tx.override.findMany()).map((r) => ({
          kind: 'override' as const,
          recordId: r.id,
          org: r.org,
          keyId: r.keyId,
          createdAt: r.createdAt,
          record: r,
        })),
      ]
      // Oldest first; the kinds' order above settles equal times.
      const order = items
        .map((item, i) => ({ item, i }))
        .sort((a, b) => a.item.createdAt.getTime() - b.item.createdAt.getTime() || a.i - b.i)
      await append(
        tx,
        order.map((o) => o.item),
      )
      return items.length
    }, TX_OPTIONS)
  }

  /**
   * A retention run: removes assessments older than `cutoff` (with their overrides, when those
   * are older too; an assessment with a newer override stays), records the run and logs it.
   * Their log entries stay, hashes and no content, so the chain and every checkpoint still
   * verify; the run's own entry tells verification which records may be gone.
   */
  async function retain(id: string, cutoff: Date, now: Date) {
    return record(async (tx) => {
      const head = await tx.auditHead.findUniqueOrThrow({ where: { id: 1 } })
      await tx.auditRetentionGrant.create({ data: { id: 1 } })
      const overrides = await tx.override.deleteMany({
        where: { createdAt: { lt: cutoff }, assessment: { createdAt: { lt: cutoff } } },
      })
      const assessments = await tx.assessment.deleteMany({
        where: { createdAt: { lt: cutoff }, overrides: { none: {} } },
      })
      await tx.auditRetentionGrant.delete({ where: { id: 1 } })
      const run = {
        id,
        cutoff,
        createdAt: now,
        removedAssessments: assessments.count,
        removedOverrides: overrides.count,
        checkpointSize: head.seq,
      }
      await tx.auditRetention.create({ data: run })
      const entry: NewEntry = {
        kind: 'retention',
        recordId: id,
        org: null,
        keyId: null,
        createdAt: now,
        record: run,
      }
      return { result: run, entries: [entry] }
    })
  }

  return {
    record,
    append,
    adoptUnlogged,
    retain,
    walk,
    unlogged,
    records,
    head: async () => client.auditHead.findUniqueOrThrow({ where: { id: 1 } }),

    async entries(filter: EventFilter, limit: number): Promise<AuditEntry[]> {
      const rows = await client.auditEntry.findMany({
        where: {
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.org ? { org: filter.org } : {}),
          ...(filter.keyId ? { keyId: filter.keyId } : {}),
          ...(filter.recordId ? { recordId: filter.recordId } : {}),
          ...(filter.from || filter.to
            ? {
                createdAt: {
                  ...(filter.from ? { gte: filter.from } : {}),
                  ...(filter.to ? { lt: filter.to } : {}),
                },
              }
            : {}),
          ...(filter.afterSeq ? { seq: { gt: filter.afterSeq } } : {}),
        },
        orderBy: { seq: 'asc' },
        take: limit,
      })
      return rows.map(toEntry)
    },

    async entryFor(kind: AuditKind, recordId: string): Promise<AuditEntry | null> {
      const row = await client.auditEntry.findUnique({ where: { kind_recordId: { kind, recordId } } })
      return row ? toEntry(row) : null
    },

    async range(fromSeq: number, toSeq: number): Promise<AuditEntry[]> {
      const rows = await client.auditEntry.findMany({
        where: { seq: { gte: fromSeq, lte: toSeq } },
        orderBy: { seq: 'asc' },
      })
      return rows.map(toEntry)
    },

    async addCheckpoint(checkpoint: Checkpoint): Promise<void> {
      try {
        await inTurn(() =>
          client.auditCheckpoint.create({
            data: { ...checkpoint, createdAt: new Date(checkpoint.createdAt) },
          }),
        )
      } catch (error) {
        // Two replicas may sign the same head: one row is enough.
        if ((error as { code?: string }).code !== 'P2002') throw error
      }
    },

    async checkpoints(limit: number, beforeSize?: number): Promise<Checkpoint[]> {
      const rows = await client.auditCheckpoint.findMany({
        where: beforeSize === undefined ? {} : { size: { lt: beforeSize } },
        orderBy: { size: 'desc' },
        take: limit,
      })
      return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))
    },

    async checkpointAtOrAfter(size: number): Promise<Checkpoint | null> {
      const row = await client.auditCheckpoint.findFirst({
        where: { size: { gte: size } },
        orderBy: { size: 'asc' },
      })
      return row ? { ...row, createdAt: row.createdAt.toISOString() } : null
    },

    async retentions(): Promise<{ seq: number; cutoff: string }[]> {
      const runs = await client.auditRetention.findMany()
      const marks: { seq: number; cutoff: string }[] = []
      for (const run of runs) {
        const entry = await client.auditEntry.findUnique({
          where: { kind_recordId: { kind: 'retention', recordId: run.id } },
        })
        if (entry) marks.push({ seq: entry.seq, cutoff: run.cutoff.toISOString() })
      }
      return marks
    },
  }
}
export type AuditLedger = ReturnType<typeof auditLedger>
