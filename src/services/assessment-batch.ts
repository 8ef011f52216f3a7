import type { FieldError } from '../errors'
import { canonicalJson } from '../lib/canonical-json'
import { sha256Hex } from '../lib/crypto'
import { timeSlice } from '../lib/time-slice'
import type { Decision } from '../schemas/decision'
import type { Descriptor } from '../schemas/descriptor'
import type { Problem } from '../schemas/problem'
import type { AssessmentService, AssessmentView } from './assessments'
import type { PolicyCatalog } from './policies'
import type { Principal } from './principal'

type Result = { status: 201; assessment: AssessmentView } | { status: 400; problem: Problem }

export interface BatchDeps {
  assessments: AssessmentService
  policies: PolicyCatalog
  /** The bad paths of one item, validated as POST /v1/assessments validates its body; null if valid. */
  validate: (item: unknown) => FieldError[] | null
}

const itemProblem = (index: number, detail: string, errors: FieldError[]): Problem => ({
  type: 'urn:placement:problem:validation-failed',
  title: 'Bad Request',
  status: 400,
  detail: `Item ${index}: ${detail}`,
  errors,
})

/**
 * A procurement workflow's whole inventory in one request: every item validated and decided on its
 * own, the valid ones stored together in one transaction (and one audit-log append), a result per
 * item in input order, and a summary of what a planner should look at.
 */
export function batchService({ assessments, policies, validate }: BatchDeps) {
  return {
    async run(principal: Principal, items: unknown[], idempotencyKey?: string) {
      const results: Result[] = new Array(items.length)
      const valid: { index: number; descriptor: Descriptor; decision: Decision }[] = []
      // Other requests (and the probes) get a turn between items: 500 decisions in one go would
      // hold the event loop for a second or more, which the load shedder rightly reads as overload.
      const slice = timeSlice()
      for (const [index, item] of items.entries()) {
        await slice.pause()
        const errors = validate(item)
        if (errors) {
          results[index] = { status: 400, problem: itemProblem(index, 'the descriptor is invalid.', errors) }
          continue
        }
        const descriptor = item as Descriptor
        try {
          valid.push({ index, descriptor, decision: await assessments.evaluate(descriptor) })
        } catch (error) {
          const fields = (error as { errors?: FieldError[] }).errors
          if (!fields) throw error
          results[index] = { status: 400, problem: itemProblem(index, (error as Error).message, fields) }
        }
      }
      const stored = await assessments.createMany(
        principal,
        valid,
        sha256Hex(canonicalJson(items)),
        idempotencyKey,
      )
      let replayed = 0
      for (const s of stored) {
        results[s.index] = { status: 201, assessment: s.assessment }
        if (s.replayed) replayed++
      }

      const byRecommendation: Record<string, number> = {}
      const closeCalls: number[] = []
      const flagged: number[] = []
      for (const [index, result] of results.entries()) {
        if (result.status !== 201) continue
        const a = result.assessment
        byRecommendation[a.recommendation] = (byRecommendation[a.recommendation] ?? 0) + 1
        const policy = await policies.get(a.policy.id)
        const medium = policy?.confidence.mediumMargin ?? 0
        if (a.outcome === 'no_clear_preference' || (a.margin !== null && a.margin < medium))
          closeCalls.push(index)
        if (
          (a.conflicts?.length ?? 0) > 0 ||
          (a.overruledBy?.length ?? 0) > 0 ||
          a.outcome === 'no_eligible_platform'
        ) {
          flagged.push(index)
        }
      }
      return {
        results,
        replayedAll: stored.length > 0 && replayed === stored.length,
        summary: {
          total: items.length,
          stored: stored.length - replayed,
          replayed,
          invalid: results.filter((r) => r.status === 400).length,
          byRecommendation,
          closeCalls,
          flagged,
        },
      }
    },
  }
}
export type BatchService = ReturnType<typeof batchService>
