import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { CallerSchema } from '../../schemas/caller'
import { problemResponses } from '../../schemas/problem'
import { security } from './schemas'

const me: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    {
      schema: {
        operationId: 'getCaller',
        tags: ['keys'],
        summary: 'The calling key’s org and role (no secret): what a page may offer it',
        security,
        response: { 200: Type.Ref(CallerSchema), ...problemResponses(401, 503) },
      },
    },
    async (request) => {
      const { keyId, org, role } = request.principal
      return { keyId, org, role }
    },
  )
}

export default me
