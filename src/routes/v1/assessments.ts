import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ProofSchema } from '../../schemas/audit'
import { BATCH_MAX, BatchRequestSchema, BatchResponseSchema } from '../../schemas/batch'
import { AssessmentSchema, OverrideRequestSchema, OverrideSchema } from '../../schemas/decision'
import { DescriptorSchema } from '../../schemas/descriptor'
import { AssessmentPageSchema } from '../../schemas/pages'
import { problemResponses } from '../../schemas/problem'
import type { AssessmentView } from '../../services/assessments'
import { localizeInPlace, pickLanguage } from '../../services/localize'
import { jsonAnswer } from './json-answers'
import {
  AcceptLanguageHeaders,
  CreateHeaders,
  ExportQuerySchema,
  IdParams,
  ListQuerySchema,
  PolicyIdBody,
  security,
} from './schemas'

/** 201 with Location, in the language the client asked for. */
function created(request: FastifyRequest, reply: FastifyReply, assessment: AssessmentView) {
  const language = pickLanguage(request.headers['accept-language'])
  reply.code(201).header('Location', `/v1/assessments/${assessment.id}`).header('Content-Language', language)
  return localizeInPlace(assessment, language)
}

const assessments: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/assessments',
    {
      config: { access: { roles: ['submitter', 'admin'], action: 'create assessments' } },
      schema: {
        operationId: 'createAssessment',
        tags: ['assessments'],
        summary: 'Decide a placement and store it for audit',
        security,
        headers: CreateHeaders,
        body: Type.Ref(DescriptorSchema),
        response: {
          201: Type.Ref(AssessmentSchema, { description: 'Stored; Location names it.' }),
          ...problemResponses(400, 401, 403, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const language = pickLanguage(request.headers['accept-language'])
      const { id, json, replayed } = await app.assessments.create(
        request.principal,
        request.body,
        request.headers['idempotency-key'],
        language,
      )
      if (replayed) reply.header('Idempotent-Replayed', 'true')
      return jsonAnswer(reply.code(201).header('Location', `/v1/assessments/${id}`), language, json)
    },
  )

  // Items are judged one by one in the service; the body itself need only be a list of objects.
  const batchBody = {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: { items: { type: 'array', minItems: 1, maxItems: BATCH_MAX, items: { type: 'object' } } },
  }
  app.post(
    '/assessments/batch',
    {
      config: { access: { roles: ['submitter', 'admin'], action: 'create assessments' } },
      validatorCompiler: (route) => {
        const compile = app.validatorCompiler
        if (!compile) throw new Error('the schemas plugin sets the validator compiler')
        return compile(route.httpPart === 'body' ? { ...route, schema: batchBody } : route)
      },
      schema: {
        operationId: 'createAssessmentBatch',
        tags: ['assessments'],
        summary: 'Decide and store up to 500 descriptors at once; a result per item, in input order',
        description:
          'Each item is validated and decided on its own: a bad item gets a 400 problem in its place and the others are stored. The valid items are stored together in one transaction (all of them, or, if the store fails, none: then the answer is 503 and the batch can be sent again). With Idempotency-Key, sending the same batch again returns the same assessments; the key with another batch is a 409.',
        security,
        headers: CreateHeaders,
        body: Type.Ref(BatchRequestSchema),
        response: {
          200: Type.Ref(BatchResponseSchema),
          ...problemResponses(400, 401, 403, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const { results, summary, replayedAll } = await app.batches.run(
        request.principal,
        request.body.items,
        request.headers['idempotency-key'],
      )
      const language = pickLanguage(request.headers['accept-language'])
      if (replayedAll) reply.header('Idempotent-Replayed', 'true')
      reply.header('Content-Language', language)
      return {
        results: results.map((r) =>
          r.status === 201
            ? { status: 201 as const, assessment: localizeInPlace(r.assessment, language) }
            : r,
        ),
        summary,
      }
    },
  )

  app.get(
    '/assessments',
    {
      schema: {
        operationId: 'listAssessments',
        tags: ['assessments'],
        summary: 'List stored assessments, newest first',
        description:
          'A submitter sees its own org only; auditors and admins see every org. A page examines at most LIST_WINDOW (default 10 000) assessments when its filters test each one (an application term of fewer than three characters, in more than 100 distinct names, or on PostgreSQL not found among the names within NAME_SEARCH_BUDGET_MS; without a term the name search narrows, two of org, recommendation and policyId, policyVersion, stale=true, overridden=false, and overridden=true once there are more than LIST_WINDOW / 10 overrides): such a page may hold fewer than `limit` items, or none, and still have a `nextCursor`. Follow `nextCursor` until it is null.',
        security,
        headers: AcceptLanguageHeaders,
        querystring: ListQuerySchema,
        response: {
          200: Type.Ref(AssessmentPageSchema),
          ...problemResponses(400, 401, 503),
        },
      },
    },
    async (request, reply) => {
      const language = pickLanguage(request.headers['accept-language'])
      const query = { ...request.query, limit: request.query.limit ?? 20 }
      const json = await app.assessments.listJson(request.principal, query, language)
      return jsonAnswer(reply, language, json)
    },
  )

  app.post(
    '/assessments/:id/reevaluate',
    {
      config: { access: { roles: ['submitter', 'admin'], action: 're-evaluate assessments' } },
      // The body is optional: no body at all means "under the active policy".
      preValidation: async (request) => {
        request.body ??= {}
      },
      schema: {
        operationId: 'reevaluateAssessment',
        tags: ['assessments'],
        summary: 'Decide again under the active (or a named) policy; stores a new, linked assessment',
        description:
          'The new assessment has `supersedes` (the original id) and `changes`; the original is unchanged.',
        security,
        headers: AcceptLanguageHeaders,
        params: IdParams,
        body: PolicyIdBody,
        response: {
          201: Type.Ref(AssessmentSchema, { description: 'The new assessment; Location names it.' }),
          ...problemResponses(400, 401, 403, 404, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const assessment = await app.assessments.reevaluate(
        request.principal,
        request.params.id,
        request.body.policyId,
      )
      return created(request, reply, assessment)
    },
  )

  app.post(
    '/assessments/:id/override',
    {
      config: { access: { roles: ['submitter', 'admin'], action: 'override assessments' } },
      schema: {
        operationId: 'overrideAssessment',
        tags: ['assessments'],
        summary: 'Record a final placement that differs from the recommendation, with a reason',
        description: 'A new linked record; the assessment and its recommendation stay as they were.',
        security,
        params: IdParams,
        body: Type.Ref(OverrideRequestSchema),
        response: {
          201: Type.Ref(OverrideSchema, {
            description: 'Recorded; Location names the assessment it belongs to.',
          }),
          ...problemResponses(400, 401, 403, 404, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const override = await app.assessments.override(request.principal, request.params.id, request.body)
      reply.code(201).header('Location', `/v1/assessments/${override.assessmentId}`)
      return override
    },
  )

  app.get(
    '/assessments/export',
    {
      schema: {
        operationId: 'exportAssessments',
        tags: ['assessments'],
        summary:
          'Every assessment the list filters select, as NDJSON or CSV, streamed, with its audit-log position',
        description:
          'Newest first. NDJSON: one assessment per line, as GET /v1/assessments/{id} gives it, plus `audit: { seq, hash }`. CSV: UTF-8 with a byte-order mark, one row per assessment, a header row; cells that a spreadsheet would take for a formula start with an apostrophe. A submitter exports its own org only.',
        security,
        headers: AcceptLanguageHeaders,
        querystring: ExportQuerySchema,
        response: {
          200: {
            description: 'The export, streamed',
            content: {
              'application/x-ndjson': { schema: Type.String() },
              'text/csv': { schema: Type.String() },
            },
          },
          ...problemResponses(400, 401, 503),
        },
      },
    },
    async (request, reply) => {
      const { format = 'ndjson', ...query } = request.query
      const language = pickLanguage(request.headers['accept-language'])
      const lines = app.exports.lines(request.principal, query, format, language)
      // The first page is read before answering, so a bad filter or a dead database is still a problem.
      const first = await lines.next()
      // One chunk (a page: 25 rows on SQLite, 100 on PostgreSQL) read ahead at most: Readable.from's default holds 16.
      const body = Readable.from(
        (async function* () {
          if (!first.done) yield first.value
          yield* lines
        })(),
        { highWaterMark: 1 },
      )
      const stamp = new Date().toISOString().slice(0, 10)
      reply
        .header('Content-Language', language)
        .header('Content-Disposition', `attachment; filename="assessments-${stamp}.${format}"`)
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      return reply.send(body as unknown as string)
    },
  )

  app.get(
    '/assessments/:id/proof',
    {
      schema: {
        operationId: 'getAssessmentProof',
        tags: ['audit'],
        summary:
          'What an auditor needs to check that this assessment is in the log under a signed checkpoint',
        description:
          'The entry, every entry after it up to the first checkpoint that covers it (signed now if none does yet), and that checkpoint. Visible to whoever may read the assessment.',
        security,
        params: IdParams,
        response: { 200: Type.Ref(ProofSchema), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      await app.assessments.assertVisible(request.principal, request.params.id)
      return app.audit.proof('assessment', request.params.id)
    },
  )

  app.get(
    '/assessments/:id',
    {
      schema: {
        operationId: 'getAssessment',
        tags: ['assessments'],
        summary: 'Read one stored assessment',
        security,
        headers: AcceptLanguageHeaders,
        params: IdParams,
        response: { 200: Type.Ref(AssessmentSchema), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const language = pickLanguage(request.headers['accept-language'])
      const json = await app.assessments.getJson(request.principal, request.params.id, language)
      return jsonAnswer(reply, language, json)
    },
  )
}

export default assessments
