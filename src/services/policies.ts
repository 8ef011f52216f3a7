import { PAPER_DEFAULT_POLICY } from '../domain/policies/paper-default'
import type { Policy } from '../schemas/policy'

/** Where decisions get their policies: the active one by default, any version by id. */
export interface PolicyCatalog {
  active(): Promise<Policy>
  get(id: string): Promise<Policy | null>
}

/** The built-in policies; the default is the paper's. */
export function builtInPolicyCatalog(): PolicyCatalog {
  const byId = new Map([PAPER_DEFAULT_POLICY].map((p) => [p.id, p]))
  return {
    active: async () => PAPER_DEFAULT_POLICY,
    get: async (id) => byId.get(id) ?? null,
  }
}
