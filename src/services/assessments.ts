import { decide } from '../domain/engine'
import { IdempotencyConflict, invalidInput, NotFound } from '../errors'
import { canonicalJson } from '../lib/canonical-json'
import { sha256Hex, uuidv7 } from '../lib/crypto'
import type { Decision } from '../schemas/decision'
import type { Descriptor } from '../schemas/descriptor'
import type { Policy } from '../schemas/policy'
import {
  type AssessmentFilter,
  type AssessmentRecord,
  type AssessmentRepository,
  DuplicateIdempotencyKey,
} from '../store/types'
import { decodeCursor, encodeCursor } from './cursor'
import type { PolicyCatalog } from './policies'
import { type Principal, seesAllOrgs } from './principal'

/** A stored assessment as kept in the store's document column: messages in both languages. */
export type StoredAssessment = Decision & { id: string; createdAt: string; org: string }

export interface ListQuery {
  application?: string
  org?: string
  recommendation?: string
  from?: string
  to?: string
  limit: number
  cursor?: string
}

export interface AssessmentPage {
  items: StoredAssessment[]
  nextCursor: string | null
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/
const DAY_MS = 86_400_000

/**
 * `from` is inclusive; `to` includes the whole moment (or day) it names, so `to=2026-11-26`
 * lists everything made on the 26th. Returns the exclusive upper bound for `to`.
 */
function parseBound(value: string, name: 'from' | 'to'): Date {
  const dateOnly = DATE_ONLY.test(value)
  const time = dateOnly
    ? Date.parse(`${value}T00:00:00Z`)
    : DATE_TIME.test(value)
      ? Date.parse(value)
      : Number.NaN
  if (Number.isNaN(time)) {
    throw invalidInput(`The ${name} filter is not an ISO 8601 date or date-time.`, [
      {
        path: `/${name}`,
        message: 'must be an ISO 8601 date (2026-11-26) or date-time (2026-11-26T12:00:00Z)',
      },
    ])
  }
  if (name === 'from') return new Date(time)
  return new Date(time + (dateOnly ? DAY_MS : 1))
}

function parse(record: AssessmentRecord): StoredAssessment {
  return JSON.parse(record.document) as StoredAssessment
}

export interface AssessmentServiceDeps {
  assessments: AssessmentRepository
  policies: PolicyCatalog
  now?: () => Date
}

/** Decide, persist and read assessments; everything between the routes and the store. */
export function assessmentService({ assessments, policies, now = () => new Date() }: AssessmentServiceDeps) {
  async function policyFor(descriptor: Descriptor): Promise<Policy> {
    if (descriptor.policyId === undefined) return policies.active()
    const policy = await policies.get(descriptor.policyId)
    if (!policy) {
      throw invalidInput('The request names a policy that does not exist.', [
        { path: '/policyId', message: 'is not the id of a known policy' },
      ])
    }
    return policy
  }

  async function evaluate(descriptor: Descriptor): Promise<Decision> {
    return decide(descriptor, await policyFor(descriptor))
  }

  function replay(existing: AssessmentRecord, requestHash: string) {
    if (existing.requestHash !== requestHash) throw new IdempotencyConflict()
    return { assessment: parse(existing), replayed: true }
  }

  return {
    evaluate,

    /**
     * Decides and stores. With an idempotency key, the same key and body return the first
     * assessment (also when two requests race, on one replica or several: the store's unique
     * key decides), and the same key with another body is a conflict.
     */
    async create(
      principal: Principal,
      descriptor: Descriptor,
      idempotencyKey?: string,
    ): Promise<{ assessment: StoredAssessment; replayed: boolean }> {
      const requestHash = sha256Hex(canonicalJson(descriptor))
      if (idempotencyKey !== undefined) {
        const existing = await assessments.findByIdempotencyKey(principal.org, idempotencyKey)
        if (existing) return replay(existing, requestHash)
      }
      const decision = await evaluate(descriptor)
      const createdAt = now()
      const assessment: StoredAssessment = {
        id: uuidv7(createdAt.getTime()),
        createdAt: createdAt.toISOString(),
        org: principal.org,
        ...decision,
      }
      try {
        await assessments.insert({
          id: assessment.id,
          createdAt,
          org: principal.org,
          keyId: principal.keyId,
          applicationName: descriptor.application.name,
          recommendation: decision.recommendation,
          policyId: decision.policy.id,
          policyVersion: decision.policy.version,
          document: canonicalJson(assessment),
          requestHash,
          idempotencyKey: idempotencyKey ?? null,
        })
      } catch (error) {
        if (error instanceof DuplicateIdempotencyKey && idempotencyKey !== undefined) {
          const winner = await assessments.findByIdempotencyKey(principal.org, idempotencyKey)
          if (winner) return replay(winner, requestHash)
        }
        throw error
      }
      return { assessment, replayed: false }
    },

    /** Another org's assessment is "not found" to a submitter: existence is not leaked. */
    async get(principal: Principal, id: string): Promise<StoredAssessment> {
      const record = await assessments.findById(id)
      if (!record || (!seesAllOrgs(principal) && record.org !== principal.org)) {
        throw new NotFound(`No assessment ${id}.`)
      }
      return parse(record)
    },

    async list(principal: Principal, query: ListQuery): Promise<AssessmentPage> {
      const filter: AssessmentFilter = {
        application: query.application,
        recommendation: query.recommendation,
        org: query.org,
      }
      if (!seesAllOrgs(principal)) {
        if (query.org !== undefined && query.org !== principal.org) return { items: [], nextCursor: null }
        filter.org = principal.org
      }
      if (query.from !== undefined) filter.from = parseBound(query.from, 'from')
      if (query.to !== undefined) filter.to = parseBound(query.to, 'to')
      if (filter.from && filter.to && filter.from >= filter.to) {
        throw invalidInput('The from filter must be before the to filter.', [
          { path: '/from', message: 'must be before to' },
        ])
      }
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
      const rows = await assessments.list(filter, query.limit + 1, after)
      const page = rows.slice(0, query.limit)
      const last = page[page.length - 1]
      return {
        items: page.map(parse),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
      }
    },
  }
}
export type AssessmentService = ReturnType<typeof assessmentService>
