import type { Prisma, PrismaClient } from '../generated/sqlite/client'
import { GroupCommit } from './group-commit'
import {
  type ApiKeyRecord,
  type ApiKeyRepository,
  type AssessmentFilter,
  type AssessmentRecord,
  type AssessmentRepository,
  DuplicateIdempotencyKey,
  DuplicatePolicyVersion,
  type ListPosition,
  type PolicyRepository,
  type StoreKind,
} from './types'

/**
 * The two generated clients (SQLite and PostgreSQL) come from one model file and have the
 * same API; the repositories are written once against the SQLite client's types, and the
 * few provider differences are branches on `kind`.
 */
export type Client = PrismaClient

const LIKE_WILDCARDS = /[%_\\]/

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002'
}

export function assessmentRepository(client: Client, kind: StoreKind) {
  const toDuplicate = (error: unknown) => (isUniqueViolation(error) ? new DuplicateIdempotencyKey() : error)
  const writer = new GroupCommit<AssessmentRecord>({
    writeMany: async (items) => {
      await client.assessment.createMany({ data: items })
    },
    writeOne: async (item) => {
      try {
        await client.assessment.create({ data: item })
      } catch (error) {
        throw toDuplicate(error)
      }
    },
  })

  function where(filter: AssessmentFilter, after?: ListPosition): Prisma.AssessmentWhereInput {
    const and: Prisma.AssessmentWhereInput[] = []
    if (filter.org !== undefined) and.push({ org: filter.org })
    if (filter.recommendation !== undefined) and.push({ recommendation: filter.recommendation })
    if (filter.application !== undefined) {
      // SQLite's LIKE already ignores case; PostgreSQL needs to be told.
      const contains =
        kind === 'postgres'
          ? { contains: filter.application, mode: 'insensitive' as const }
          : { contains: filter.application }
      and.push({ applicationName: contains as Prisma.StringFilter })
    }
    if (filter.from !== undefined) and.push({ createdAt: { gte: filter.from } })
    if (filter.to !== undefined) and.push({ createdAt: { lt: filter.to } })
    if (filter.policyId !== undefined) and.push({ policyId: filter.policyId })
    if (filter.policyVersion !== undefined) and.push({ policyVersion: filter.policyVersion })
    if (filter.notPolicyId !== undefined) and.push({ policyId: { not: filter.notPolicyId } })
    if (filter.overridden !== undefined) {
      and.push({ overrides: filter.overridden ? { some: {} } : { none: {} } })
    }
    if (after !== undefined) {
      and.push({
        OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
      })
    }
    return { AND: and }
  }

  const repository: AssessmentRepository & { flushed(): Promise<void> } = {
    insertOverride: async (record) => {
      await client.override.create({ data: record })
    },
    overridesFor: (assessmentIds) =>
      client.override.findMany({
        where: { assessmentId: { in: assessmentIds } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    insert: (record) => writer.submit(record),
    flushed: () => writer.flushed(),
    findById: (id) => client.assessment.findUnique({ where: { id } }),
    findByIdempotencyKey: (org, idempotencyKey) =>
      client.assessment.findUnique({ where: { org_idempotencyKey: { org, idempotencyKey } } }),
    list: async (filter, limit, after) => {
      const page = (take: number, from?: ListPosition) =>
        client.assessment.findMany({
          where: where(filter, from),
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take,
        })
      const term = filter.application
      if (term === undefined || !LIKE_WILDCARDS.test(term)) return page(limit, after)
      // Prisma hands `contains` to LIKE without escaping % and _, and SQLite's LIKE has no
      // default escape character: here the database match is only a superset, so rows are
      // confirmed by a plain substring test and more are read until the page is full.
      const needle = term.toLowerCase()
      const found: AssessmentRecord[] = []
      let position = after
      for (;;) {
        const chunk = await page(limit * 4, position)
        found.push(...chunk.filter((r) => r.applicationName.toLowerCase().includes(needle)))
        const last = chunk[chunk.length - 1]
        if (found.length >= limit || chunk.length < limit * 4 || !last) return found.slice(0, limit)
        position = last
      }
    },
  }
  return repository
}

export function policyRepository(client: Client): PolicyRepository {
  return {
    insert: async (record) => {
      try {
        await client.policy.create({ data: record })
      } catch (error) {
        throw isUniqueViolation(error) ? new DuplicatePolicyVersion() : error
      }
    },
    findById: (id) => client.policy.findUnique({ where: { id } }),
    list: () => client.policy.findMany({ orderBy: [{ name: 'asc' }, { version: 'asc' }] }),
    maxVersion: async (name) =>
      (await client.policy.aggregate({ where: { name }, _max: { version: true } }))._max.version ?? 0,
    activate: async (policyId, activatedAt, keyId) => {
      await client.policyActivation.create({ data: { policyId, activatedAt, keyId } })
    },
    activePolicyId: async () =>
      (await client.policyActivation.findFirst({ orderBy: { seq: 'desc' } }))?.policyId ?? null,
  }
}

export function apiKeyRepository(client: Client): ApiKeyRepository {
  return {
    insert: async (record: ApiKeyRecord) => {
      await client.apiKey.create({ data: record })
    },
    findByHash: (hash) => client.apiKey.findUnique({ where: { hash } }),
    list: (org) =>
      client.apiKey.findMany({
        where: org === undefined ? {} : { org },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    revoke: async (id, at) => {
      const { count } = await client.apiKey.updateMany({
        where: { id, revokedAt: null },
        data: { revokedAt: at },
      })
      if (count > 0) return true
      return (await client.apiKey.findUnique({ where: { id } })) !== null
    },
  }
}
