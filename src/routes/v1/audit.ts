import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { invalidInput, NotFound } from '../../errors'
import {
  AuditStatusSchema,
  CheckpointSchema,
  EventsQuerySchema,
  VerifyQuerySchema,
  VerifyResultSchema,
} from '../../schemas/audit'
import { AuditEventPageSchema, CheckpointPageSchema } from '../../schemas/pages'
import { problemResponses } from '../../schemas/problem'
import { security } from './schemas'

const auditors = (action: string) => ({ access: { roles: ['auditor', 'admin'] as const, action } })

const audit: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      config: auditors('read the audit log'),
      schema: {
        operationId: 'getAuditStatus',
        tags: ['audit'],
        summary: 'The log’s size and head, the latest checkpoint, the signing key and the retention setting',
        security,
        response: { 200: Type.Ref(AuditStatusSchema), ...problemResponses(401, 403, 503) },
      },
    },
    async () => app.audit.status(),
  )

  app.get(
    '/audit/verify',
    {
      config: { ...auditors('verify the audit log'), deadline: 'long' as const },
      schema: {
        operationId: 'verifyAuditLog',
        tags: ['audit'],
        summary:
          'Walk the whole log against the latest signed checkpoint, or one you kept (size and rootHash)',
        security,
        querystring: VerifyQuerySchema,
        response: { 200: Type.Ref(VerifyResultSchema), ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const { size, rootHash } = request.query
      if ((size === undefined) !== (rootHash === undefined)) {
        throw invalidInput('A kept checkpoint is given by its size and its rootHash together.', [
          { path: size === undefined ? '/size' : '/rootHash', message: 'is required with the other' },
        ])
      }
      return app.audit.verify(size === undefined || rootHash === undefined ? undefined : { size, rootHash })
    },
  )

  app.get(
    '/audit/checkpoints',
    {
      config: auditors('read audit checkpoints'),
      schema: {
        operationId: 'listAuditCheckpoints',
        tags: ['audit'],
        summary: 'Signed heads of the log, newest first: keep one outside this service',
        security,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(CheckpointPageSchema), ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request) => app.audit.checkpoints(request.query.limit ?? 20, request.query.cursor),
  )

  app.post(
    '/audit/checkpoints',
    {
      config: auditors('sign audit checkpoints'),
      schema: {
        operationId: 'createAuditCheckpoint',
        tags: ['audit'],
        summary: 'Sign the log’s head now (on demand); the latest one if it already covers the head',
        security,
        response: {
          201: Type.Ref(CheckpointSchema),
          ...problemResponses(401, 403, 404, 503),
        },
      },
    },
    async (_request, reply) => {
      const checkpoint = await app.audit.checkpoint()
      if (!checkpoint) throw new NotFound('The audit log is empty: there is nothing to sign yet.')
      reply.code(201)
      return checkpoint
    },
  )

  app.get(
    '/audit/events',
    {
      config: auditors('read the audit log'),
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'Who did what: the log’s entries, oldest first, with filters and cursor paging',
        security,
        querystring: EventsQuerySchema,
        response: { 200: Type.Ref(AuditEventPageSchema), ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const { limit, cursor, from, to, ...filter } = request.query
      return app.audit.events(
        {
          ...filter,
          from: from === undefined ? undefined : new Date(from),
          to: to === undefined ? undefined : new Date(to),
        },
        limit ?? 100,
        cursor,
      )
    },
  )

  app.get(
    '/audit/export',
    {
      config: auditors('export the audit log'),
      schema: {
        operationId: 'exportAuditLog',
        tags: ['audit'],
        summary: 'The whole log with every record, as NDJSON, for `npm run cli -- audit verify --export`',
        description:
          'First line: a header (format, size, headHash, publicKey, retention runs); then one line per entry, `{ entry, record }`, in order; last, a record the log does not cover, if any (`entry: null`). Streamed.',
        security,
        response: {
          200: {
            description: 'NDJSON, streamed',
            content: { 'application/x-ndjson': { schema: Type.String() } },
          },
          ...problemResponses(401, 403, 503),
        },
      },
    },
    async (_request, reply) => {
      const lines = app.audit.exportLines()
      const body = Readable.from(
        (async function* () {
          for await (const line of lines) yield `${line}\n`
        })(),
      )
      // A stream: the schema above documents its lines, nothing is serialised.
      return reply.type('application/x-ndjson; charset=utf-8').send(body as unknown as string)
    },
  )
}

export default audit
