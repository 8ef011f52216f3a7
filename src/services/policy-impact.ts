import { submittedCharacteristics } from '../domain/characteristics'
import { recommend } from '../domain/engine'
import { NotFound } from '../errors'
import { timeSlice } from '../lib/time-slice'
import type { AssessmentService, ListQuery } from './assessments'
import type { PolicyCatalog } from './policies'
import type { Principal } from './principal'

/** At most this many changed assessments are listed; the counts always cover all of them. */
export const IMPACT_LISTED = 1000

export interface ImpactItem {
  id: string
  application: string
  org: string
  policy: { id: string; version: number }
  from: string
  to: string
}

/**
 * What activating a policy would change, before anyone activates it: every stored assessment the
 * filters select is decided again under the policy from its own submitted characteristics
 * (recommendation only, no explanations), and nothing is stored.
 */
export function policyImpact(assessments: AssessmentService, policies: PolicyCatalog) {
  return {
    async of(principal: Principal, policyId: string, query: Omit<ListQuery, 'limit' | 'cursor'>) {
      const policy = await policies.get(policyId)
      if (!policy) throw new NotFound(`No policy ${policyId}.`)
      const started = Date.now()
      let checked = 0
      let changed = 0
      const byChange = new Map<string, { from: string; to: string; count: number }>()
      const items: ImpactItem[] = []
      const slice = timeSlice()
      for await (const page of assessments.decisions(principal, query)) {
        for (const view of page) {
          await slice.pause()
          checked++
          const to = recommend(
            { application: view.application, characteristics: submittedCharacteristics(view) },
            policy,
          )
          if (to === view.recommendation) continue
          changed++
          const key = `${view.recommendation}\u0000${to}`
          const entry = byChange.get(key) ?? { from: view.recommendation, to, count: 0 }
          entry.count++
          byChange.set(key, entry)
          if (items.length < IMPACT_LISTED) {
            items.push({
              id: view.id,
              application: view.application.name,
              org: view.org,
              policy: view.policy,
              from: view.recommendation,
              to,
            })
          }
        }
      }
      return {
        policy: { id: policy.id, version: policy.version },
        checked,
        changed,
        unchanged: checked - changed,
        byChange: [...byChange.values()].sort((a, b) => b.count - a.count),
        items,
        truncated: changed > items.length,
        tookMs: Date.now() - started,
      }
    },
  }
}
export type PolicyImpact = ReturnType<typeof policyImpact>
