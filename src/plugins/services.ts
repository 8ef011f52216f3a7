import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type AssessmentService, assessmentService } from '../services/assessments'
import { type PolicyCatalog, policyCatalog } from '../services/policies'

declare module 'fastify' {
  interface FastifyInstance {
    policies: PolicyCatalog
    assessments: AssessmentService
  }
}

/** Wires the services to the store once, for every route to use. */
async function services(app: FastifyInstance) {
  const policies = policyCatalog(app.store.policies)
  app.decorate('policies', policies)
  app.decorate('assessments', assessmentService({ assessments: app.store.assessments, policies }))
}

export default fp(services, { name: 'services', dependencies: ['store'] })
