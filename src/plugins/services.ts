import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Decision } from '../schemas/decision'
import { type BatchService, batchService } from '../services/assessment-batch'
import { type AssessmentExport, assessmentExport } from '../services/assessment-export'
import { type AssessmentService, assessmentService } from '../services/assessments'
import { type PolicyCatalog, policyCatalog } from '../services/policies'
import { type PolicyImpact, policyImpact } from '../services/policy-impact'

declare module 'fastify' {
  interface FastifyInstance {
    policies: PolicyCatalog
    assessments: AssessmentService
    batches: BatchService
    exports: AssessmentExport
    impact: PolicyImpact
  }
}

/** Wires the services to the store once, for every route to use. */
async function services(app: FastifyInstance, options: { onDecision?: (decision: Decision) => void }) {
  const policies = policyCatalog(app.store.policies, undefined, app.freshness)
  app.decorate('policies', policies)
  const assessments = assessmentService({
    assessments: app.store.assessments,
    policies,
    onDecision: options.onDecision,
  })
  app.decorate('assessments', assessments)
  app.decorate('exports', assessmentExport(assessments, app.store.audit))
  app.decorate('impact', policyImpact(assessments, policies))
  app.decorate(
    'batches',
    batchService({ assessments, policies, validate: (item) => app.validateShared('Descriptor', item) }),
  )
}

export default fp(services, { name: 'services', dependencies: ['store', 'schemas', 'freshness'] })
