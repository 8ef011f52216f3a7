import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { DatabaseUnavailable } from '../errors'
import { problemResponses } from '../schemas/problem'

const Status = Type.Object({ status: Type.String() })

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      // A replica that sheds load is alive: restarting it would only add to the load.
      config: { alwaysAnswer: true },
      schema: {
        operationId: 'getHealth',
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: Status },
      },
    },
    async () => ({ status: 'ok' }),
  )

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['operations'],
        summary: 'Readiness: the database answers',
        response: { 200: Status, ...problemResponses(503) },
      },
    },
    async () => {
      try {
        await app.store.ping()
      } catch {
        throw new DatabaseUnavailable()
      }
      return { status: 'ready' }
    },
  )
}

export default health
