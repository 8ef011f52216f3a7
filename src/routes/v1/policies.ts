import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { PolicyListSchema } from '../../schemas/pages'
import { PolicyDefinitionSchema, PolicyDocumentSchema, PolicyImpactSchema } from '../../schemas/policy'
import { problemResponses } from '../../schemas/problem'
import { FiltersBodySchema, IdParams, security } from './schemas'

const admin = (action: string) => ({ access: { roles: ['admin'] as const, action } })

const policies: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/policies',
    {
      schema: {
        operationId: 'listPolicies',
        tags: ['policies'],
        summary: 'Every policy version, and which one is active',
        security,
        response: {
          200: Type.Ref(PolicyListSchema),
          ...problemResponses(401, 503),
        },
      },
    },
    async () => ({ items: await app.policies.list() }),
  )

  app.get(
    '/policies/:id',
    {
      schema: {
        operationId: 'getPolicy',
        tags: ['policies'],
        summary: 'One policy version: platforms, ratings, weight rules and constraints',
        security,
        params: IdParams,
        response: { 200: Type.Ref(PolicyDocumentSchema), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => app.policies.describe(request.params.id),
  )

  app.post(
    '/policies',
    {
      config: admin('create policies'),
      schema: {
        operationId: 'createPolicy',
        tags: ['policies'],
        summary: 'Add a policy version (the next version of its name); not active until activated',
        security,
        body: Type.Ref(PolicyDefinitionSchema),
        response: {
          201: Type.Ref(PolicyDocumentSchema, { description: 'Created; Location names it.' }),
          ...problemResponses(400, 401, 403, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const policy = await app.policies.create(request.body, request.principal)
      reply.code(201).header('Location', `/v1/policies/${policy.id}`)
      return policy
    },
  )

  app.post(
    '/policies/:id/impact',
    {
      config: {
        access: { roles: ['admin', 'auditor'] as const, action: 'measure policy impact' },
        deadline: 'long',
      },
      // The body is optional: no body means every assessment the key may see.
      preValidation: async (request) => {
        request.body ??= {}
      },
      schema: {
        operationId: 'policyImpact',
        tags: ['policies'],
        summary:
          'How many stored assessments would change recommendation under this policy, and which; stores nothing',
        security,
        params: IdParams,
        body: FiltersBodySchema,
        response: {
          200: Type.Ref(PolicyImpactSchema),
          ...problemResponses(400, 401, 403, 404, 413, 415, 503),
        },
      },
    },
    async (request) => app.impact.of(request.principal, request.params.id, request.body),
  )

  app.post(
    '/policies/:id/activate',
    {
      config: admin('activate policies'),
      schema: {
        operationId: 'activatePolicy',
        tags: ['policies'],
        summary: 'Make a policy version the default for new decisions',
        security,
        params: IdParams,
        response: { 200: Type.Ref(PolicyDocumentSchema), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => app.policies.activate(request.params.id, request.principal),
  )
}

export default policies
