import type { FastifyPluginAsync } from 'fastify'
import assessments from './assessments'
import audit from './audit'
import evaluate from './evaluate'
import policies from './policies'

/** Every /v1 route needs an API key; each route names the roles it allows. */
const v1: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', app.authenticate)
  await app.register(assessments)
  await app.register(evaluate)
  await app.register(policies)
  await app.register(audit)
}

export default v1
