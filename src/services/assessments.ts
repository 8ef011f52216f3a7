import { changesBetween } from '../domain/changes'
import { submittedCharacteristics } from '../domain/characteristics'
import { decide } from '../domain/engine'
import { IdempotencyConflict, invalidInput, NotFound } from '../errors'
import { canonicalJson } from '../lib/canonical-json'
import { sha256Hex, uuidv7 } from '../lib/crypto'
import type { Changes, Decision, Override, OverrideRequest } from '../schemas/decision'
import type { Descriptor } from '../schemas/descriptor'
import type { Policy } from '../schemas/policy'
import {
  type AssessmentBytes,
  type AssessmentFilter,
  type AssessmentRecord,
  type AssessmentRepository,
  DuplicateIdempotencyKey,
  type ListedRows,
  type ListPosition,
  type OverrideRecord,
} from '../store/types'
import { assessmentJson, assessmentJsonText, pageJson, type ReadExtras } from './assessment-answers'
import { decodeCursor, encodeCursor } from './cursor'
import type { Language } from './localize'
import type { PolicyCatalog } from './policies'
import { type Principal, seesAllOrgs } from './principal'

/** A stored assessment as kept in the store's document column: messages in both languages. */
export type StoredAssessment = Decision & {
  id: string
  createdAt: string
  org: string
  supersedes: string | null
  changes?: Changes
}

/** A stored assessment with what is known only when it is read: overrides and staleness. */
export type AssessmentView = StoredAssessment & {
  stale: boolean
  overrides: Override[]
  finalPlacement: string
}

export interface ListQuery {
  application?: string
  org?: string
  recommendation?: string
  from?: string
  to?: string
  limit: number
  cursor?: string
  policyId?: string
  policyVersion?: number
  stale?: boolean
  overridden?: boolean
}

export interface AssessmentPage {
  items: AssessmentView[]
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

function overrideView(record: OverrideRecord, recommendation: string): Override {
  return {
    id: record.id,
    assessmentId: record.assessmentId,
    org: record.org,
    recommendation,
    placement: record.placement,
    reasonCode: record.reasonCode as Override['reasonCode'],
    reason: record.reason,
    keyId: record.keyId,
    createdAt: record.createdAt.toISOString(),
  }
}

export interface AssessmentServiceDeps {
  assessments: AssessmentRepository
  policies: PolicyCatalog
  now?: () => Date
  /** Told of every decision made (metrics). */
  onDecision?: (decision: Decision) => void
}

/** Decide, persist and read assessments; everything between the routes and the store. */
export function assessmentService({
  assessments,
  policies,
  now = () => new Date(),
  onDecision,
}: AssessmentServiceDeps) {
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
    const decision = decide(descriptor, await policyFor(descriptor))
    onDecision?.(decision)
    return decision
  }

  /** An idempotency key used again: the same request replays, another one is a conflict. */
  function sameRequest(existing: AssessmentRecord, requestHash: string) {
    if (existing.requestHash !== requestHash) throw new IdempotencyConflict()
  }

  async function replay(existing: AssessmentRecord, requestHash: string) {
    sameRequest(existing, requestHash)
    return { assessment: (await present([parse(existing)]))[0] as AssessmentView, replayed: true }
  }

  /** A decision made into the record the store keeps, and the view the API returns of it. */
  async function prepare(
    principal: Principal,
    org: string,
    decision: Decision,
    extra: {
      requestHash: string
      idempotencyKey?: string
      supersedes?: StoredAssessment
      namedPolicy: boolean
    },
  ): Promise<{ record: AssessmentRecord; view: AssessmentView }> {
    const createdAt = now()
    const assessment: StoredAssessment = {
      id: uuidv7(createdAt.getTime()),
      createdAt: createdAt.toISOString(),
      org,
      ...decision,
      supersedes: extra.supersedes?.id ?? null,
      ...(extra.supersedes ? { changes: changesBetween(extra.supersedes, decision) } : {}),
    }
    // A new record has no overrides yet, and under the active policy (no policyId asked for)
    // it cannot be stale: no need to ask the store what it already knows.
    const stale = extra.namedPolicy ? decision.policy.id !== (await policies.active()).id : false
    return {
      record: {
        id: assessment.id,
        createdAt,
        org,
        keyId: principal.keyId,
        applicationName: decision.application.name,
        recommendation: decision.recommendation,
        policyId: decision.policy.id,
        policyVersion: decision.policy.version,
        document: canonicalJson(assessment),
        requestHash: extra.requestHash,
        idempotencyKey: extra.idempotencyKey ?? null,
        supersedes: assessment.supersedes,
      },
      view: { ...assessment, stale, overrides: [], finalPlacement: assessment.recommendation },
    }
  }

  /** Stores a decision as a new assessment; resolves once it has committed. */
  async function store(...args: Parameters<typeof prepare>): Promise<AssessmentView> {
    const { record, view } = await prepare(...args)
    await assessments.insert(record)
    return view
  }

  /**
   * What only reading can tell (overrides, one query for the lot, and staleness), from what a
   * record's columns say of its document: its id, policy and recommendation.
   */
  async function extrasFor(
    items: { id: string; policyId: string; recommendation: string; overridden?: boolean }[],
  ): Promise<ReadExtras[]> {
    if (items.length === 0) return []
    // A read that knows none has overrides (AssessmentBytes.overridden) does not ask.
    const asked = items.filter((a) => a.overridden !== false).map((a) => a.id)
    const [overrides, active] = await Promise.all([
      asked.length > 0 ? assessments.overridesFor(asked) : [],
      policies.active(),
    ])
    return items.map((a) => {
      const own = overrides
        .filter((o) => o.assessmentId === a.id)
        .map((o) => overrideView(o, a.recommendation))
      const latest = own[own.length - 1]
      return {
        stale: a.policyId !== active.id,
        overrides: own,
        finalPlacement: latest?.placement ?? a.recommendation,
      }
    })
  }

  /** Stored assessments with what reading adds (extrasFor). */
  async function present(items: StoredAssessment[]): Promise<AssessmentView[]> {
    const extras = await extrasFor(
      items.map((a) => ({ id: a.id, policyId: a.policy.id, recommendation: a.recommendation })),
    )
    return items.map((a, i) => ({ ...a, ...(extras[i] as ReadExtras) }))
  }

  /** The store filter for a list query, or null when the query can match nothing for this key. */
  async function filterFor(principal: Principal, query: ListQuery): Promise<AssessmentFilter | null> {
    const filter: AssessmentFilter = {
      application: query.application,
      recommendation: query.recommendation,
      org: query.org,
      policyId: query.policyId,
      policyVersion: query.policyVersion,
      overridden: query.overridden,
    }
    if (query.stale !== undefined) {
      const active = (await policies.active()).id
      if (query.stale) filter.notPolicyId = active
      else if (filter.policyId === undefined || filter.policyId === active) filter.policyId = active
      else return null
    }
    if (!seesAllOrgs(principal)) {
      if (query.org !== undefined && query.org !== principal.org) return null
      filter.org = principal.org
    }
    if (query.from !== undefined) filter.from = parseBound(query.from, 'from')
    if (query.to !== undefined) filter.to = parseBound(query.to, 'to')
    if (filter.from && filter.to && filter.from >= filter.to) {
      throw invalidInput('The from filter must be before the to filter.', [
        { path: '/from', message: 'must be before to' },
      ])
    }
    return filter
  }

  async function* recordPages<B extends boolean = false>(
    principal: Principal,
    query: Omit<ListQuery, 'limit' | 'cursor'>,
    pageSize: number,
    bytes?: B,
  ): AsyncGenerator<(B extends true ? AssessmentBytes : AssessmentRecord)[]> {
    type Found = B extends true ? AssessmentBytes : AssessmentRecord
    const filter = await filterFor(principal, { ...query, limit: pageSize })
    if (filter === null) return
    let after: ListPosition | undefined
    // A window's end is found once for the pages within it, and the walk goes on past it.
    let within: ListPosition | null | undefined
    for (;;) {
      const { rows, windowEnd } = (
        bytes
          ? await assessments.listBytes(filter, pageSize, after, within)
          : await assessments.list(filter, pageSize, after, within)
      ) as ListedRows<Found>
      if (rows.length > 0) yield rows
      if (rows.length === pageSize) {
        after = rows[rows.length - 1]
        within = windowEnd
      } else if (windowEnd !== null) {
        after = windowEnd
        within = undefined
      } else return
    }
  }

  /** The records of one list page, and the cursor of the next (null on the last page). */
  async function pageOf<B extends boolean = false>(
    principal: Principal,
    query: ListQuery,
    bytes?: B,
  ): Promise<{
    records: (B extends true ? AssessmentBytes : AssessmentRecord)[]
    nextCursor: string | null
  }> {
    type Found = B extends true ? AssessmentBytes : AssessmentRecord
    const filter = await filterFor(principal, query)
    if (filter === null) return { records: [], nextCursor: null }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
    const { rows, windowEnd } = (
      bytes
        ? await assessments.listBytes(filter, query.limit + 1, after)
        : await assessments.list(filter, query.limit + 1, after)
    ) as ListedRows<Found>
    const records = rows.slice(0, query.limit)
    const last = records[records.length - 1]
    // A page that filled up goes on after its last row; one that read its whole window (a filter
    // no index serves whole: ListedRows) goes on after the window, even with no row at all.
    const next = rows.length > query.limit && last ? last : windowEnd
    return { records, nextCursor: next ? encodeCursor(next) : null }
  }

  /** The record found for an id, if this key may see it; otherwise not found (never forbidden). */
  function visibleTo<R extends { org: string }>(principal: Principal, id: string, record: R | null): R {
    if (!record || (!seesAllOrgs(principal) && record.org !== principal.org)) {
      throw new NotFound(`No assessment ${id}.`)
    }
    return record
  }

  async function visible(principal: Principal, id: string): Promise<StoredAssessment> {
    return parse(visibleTo(principal, id, await assessments.findById(id)))
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
      idempotencyKey: string | undefined,
      language: Language,
    ): Promise<{ id: string; json: string; replayed: boolean }> {
      const requestHash = sha256Hex(canonicalJson(descriptor))
      // The answer is the stored document localized, as a read gives it (assessment-answers.ts),
      // from the text just stored: no second walk and serialization of the decision, and no
      // round trip through bytes.
      const answer = (record: AssessmentRecord, extras: ReadExtras, replayed: boolean) => ({
        id: record.id,
        json: assessmentJsonText(record.document, extras, language),
        replayed,
      })
      const replayed = async (existing: AssessmentRecord) => {
        sameRequest(existing, requestHash)
        return answer(existing, (await extrasFor([existing]))[0] as ReadExtras, true)
      }
      if (idempotencyKey !== undefined) {
        const existing = await assessments.findByIdempotencyKey(principal.org, idempotencyKey)
        if (existing) return replayed(existing)
      }
      const decision = await evaluate(descriptor)
      try {
        const { record, view } = await prepare(principal, principal.org, decision, {
          requestHash,
          idempotencyKey,
          namedPolicy: descriptor.policyId !== undefined,
        })
        // Only these outlive the wait for the commit: the view (a copy of the decision's top
        // level, so the whole decision with it) is dead while up to a batch of creates wait,
        // rather than outliving the young generation's collections and being promoted.
        const extras: ReadExtras = {
          stale: view.stale,
          overrides: view.overrides,
          finalPlacement: view.finalPlacement,
        }
        await assessments.insert(record)
        return answer(record, extras, false)
      } catch (error) {
        if (error instanceof DuplicateIdempotencyKey && idempotencyKey !== undefined) {
          const winner = await assessments.findByIdempotencyKey(principal.org, idempotencyKey)
          if (winner) return replayed(winner)
        }
        throw error
      }
    },

    /**
     * Decides and stores many at once, in one transaction chained into the audit log in order.
     * With an idempotency key, item i is stored under `<key>:<i>` with a fingerprint of the whole
     * batch: sending the same batch again returns the same assessments, and the key with any
     * other batch is a conflict. Items already stored under the key are replayed, not stored again.
     */
    async createMany(
      principal: Principal,
      items: { index: number; descriptor: Descriptor; decision: Decision }[],
      batchHash: string,
      idempotencyKey?: string,
    ): Promise<{ index: number; assessment: AssessmentView; replayed: boolean }[]> {
      const keyOf = (index: number) =>
        idempotencyKey === undefined ? undefined : `${idempotencyKey}:${index}`
      const hashOf = (descriptor: Descriptor) =>
        sha256Hex(canonicalJson({ batch: batchHash, item: descriptor }))
      const existing = new Map(
        (
          await assessments.findByIdempotencyKeys(
            principal.org,
            items.map((i) => keyOf(i.index)).filter((k): k is string => k !== undefined),
          )
        ).map((r) => [r.idempotencyKey as string, r]),
      )
      const results: { index: number; assessment: AssessmentView; replayed: boolean }[] = []
      const fresh: { index: number; record: AssessmentRecord; view: AssessmentView }[] = []
      for (const item of items) {
        const key = keyOf(item.index)
        const requestHash = hashOf(item.descriptor)
        const found = key === undefined ? undefined : existing.get(key)
        if (found) {
          if (found.requestHash !== requestHash) throw new IdempotencyConflict()
          results.push({
            index: item.index,
            assessment: (await present([parse(found)]))[0] as AssessmentView,
            replayed: true,
          })
          continue
        }
        const { record, view } = await prepare(principal, principal.org, item.decision, {
          requestHash,
          idempotencyKey: key,
          namedPolicy: item.descriptor.policyId !== undefined,
        })
        fresh.push({ index: item.index, record, view })
      }
      try {
        await assessments.insertMany(fresh.map((f) => f.record))
      } catch (error) {
        // The same batch racing on another replica: whoever committed first wins, and this one
        // answers with what it stored.
        if (!(error instanceof DuplicateIdempotencyKey) || idempotencyKey === undefined) throw error
        const winners = new Map(
          (
            await assessments.findByIdempotencyKeys(
              principal.org,
              fresh.map((f) => keyOf(f.index) as string),
            )
          ).map((r) => [r.idempotencyKey as string, r]),
        )
        for (const f of fresh) {
          const winner = winners.get(keyOf(f.index) as string)
          if (!winner) throw error
          results.push({ index: f.index, ...(await replay(winner, f.record.requestHash)) })
        }
        return results
      }
      for (const f of fresh) results.push({ index: f.index, assessment: f.view, replayed: false })
      return results
    },

    /** Another org's assessment is "not found" to a submitter: existence is not leaked. */
    /** Not found unless this key may see the assessment (its record, not parsed). */
    async assertVisible(principal: Principal, id: string): Promise<void> {
      visibleTo(principal, id, await assessments.findById(id))
    },

    /** One stored assessment as the JSON of its answer in one language (assessment-answers.ts). */
    async getJson(principal: Principal, id: string, language: Language): Promise<Buffer> {
      const record = visibleTo(principal, id, await assessments.findBytesById(id))
      const [extras] = await extrasFor([record])
      return assessmentJson(record.document, extras as ReadExtras, language)
    },

    /**
     * Decides the original's application again, under the named or the active policy, and
     * stores the result as a new assessment that supersedes it; the original stays unchanged.
     */
    async reevaluate(principal: Principal, id: string, policyId?: string): Promise<AssessmentView> {
      const original = await visible(principal, id)
      const descriptor: Descriptor = {
        application: original.application,
        characteristics: submittedCharacteristics(original),
        ...(policyId === undefined ? {} : { policyId }),
      }
      const decision = await evaluate(descriptor)
      return store(principal, original.org, decision, {
        requestHash: sha256Hex(canonicalJson({ reevaluate: id, policyId })),
        supersedes: original,
        namedPolicy: policyId !== undefined,
      })
    },

    /** Records a final placement other than the recommendation, as a new linked record. */
    async override(principal: Principal, id: string, request: OverrideRequest): Promise<Override> {
      const original = await visible(principal, id)
      const policy = await policies.get(original.policy.id)
      if (!policy?.platforms.includes(request.placement)) {
        throw invalidInput('The placement is not a platform of the assessment’s policy.', [
          { path: '/placement', message: `must be one of: ${policy?.platforms.join(', ') ?? ''}` },
        ])
      }
      if (request.placement === original.recommendation) {
        throw invalidInput('An override must differ from the recommendation.', [
          { path: '/placement', message: `is already the recommendation (${original.recommendation})` },
        ])
      }
      const record = {
        id: uuidv7(),
        assessmentId: original.id,
        org: original.org,
        keyId: principal.keyId,
        placement: request.placement,
        reasonCode: request.reasonCode,
        reason: request.reason,
        createdAt: now(),
      }
      await assessments.insertOverride(record)
      return overrideView(record, original.recommendation)
    },

    async list(principal: Principal, query: ListQuery): Promise<AssessmentPage> {
      const { records, nextCursor } = await pageOf(principal, query)
      return { items: await present(records.map(parse)), nextCursor }
    },

    /** list(), as the JSON of its answer in one language (assessment-answers.ts). */
    async listJson(principal: Principal, query: ListQuery, language: Language): Promise<Buffer> {
      const { records, nextCursor } = await pageOf(principal, query, true)
      const extras = await extrasFor(records)
      return pageJson(
        records.map((record, i) => assessmentJson(record.document, extras[i] as ReadExtras, language)),
        nextCursor,
      )
    },

    /**
     * Every assessment the filters select, newest first, a page at a time: what export and
     * policy impact walk, in memory that does not grow with the history.
     */
    async *pages(
      principal: Principal,
      query: Omit<ListQuery, 'limit' | 'cursor'>,
      pageSize = assessments.historyPage,
    ): AsyncGenerator<{ view: AssessmentView; record: AssessmentRecord }[]> {
      for await (const rows of recordPages(principal, query, pageSize)) {
        const views = await present(rows.map(parse))
        yield rows.map((record, i) => ({ record, view: views[i] as AssessmentView }))
      }
    },

    /** pages(), each assessment as the JSON of its answer in one language (assessment-answers.ts). */
    async *jsonPages(
      principal: Principal,
      query: Omit<ListQuery, 'limit' | 'cursor'>,
      language: Language,
      pageSize = assessments.historyPage,
    ): AsyncGenerator<{ id: string; json: Buffer }[]> {
      for await (const rows of recordPages(principal, query, pageSize, true)) {
        const extras = await extrasFor(rows)
        yield rows.map((record, i) => ({
          id: record.id,
          json: assessmentJson(record.document, extras[i] as ReadExtras, language),
        }))
      }
    },

    /** The stored decisions alone, without what reading adds (overrides, staleness): for re-deciding. */
    async *decisions(
      principal: Principal,
      query: Omit<ListQuery, 'limit' | 'cursor'>,
      pageSize = assessments.historyPage,
    ): AsyncGenerator<StoredAssessment[]> {
      for await (const rows of recordPages(principal, query, pageSize)) yield rows.map(parse)
    },
  }
}
export type AssessmentService = ReturnType<typeof assessmentService>
