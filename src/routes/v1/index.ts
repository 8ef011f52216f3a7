import type { FastifyPluginAsync } from 'fastify'
import assessments from './assessments'
import audit from './audit'
import evaluate from './evaluate'
import me from './me'
import policies from './policies'

/**
 * Every /v1 route needs an API key; each route names the roles it allows. Rate limits: an
 * address that keeps failing authentication is refused before its key is even looked up (unless
 * the key is one this process already verified); a key is limited once known (before its body
 * is read); a refused key counts against its address.
 */
const v1: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', app.refuseFailingAddresses)
  app.addHook('onRequest', app.authenticate)
  app.addHook('onRequest', app.limitPerKey)
  app.addHook('onError', app.countFailedAuthentication)
  await app.register(assessments)
  await app.register(evaluate)
  await app.register(policies)
  await app.register(audit)
  await app.register(me)
}

export default v1
