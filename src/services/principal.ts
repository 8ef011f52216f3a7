export const ROLES = ['submitter', 'auditor', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** Who is calling: the API key that authenticated the request, its org and its role. */
export interface Principal {
  keyId: string
  org: string
  role: Role
}

/** Whether a principal may see every org's assessments, or only its own. */
export function seesAllOrgs(principal: Principal): boolean {
  return principal.role === 'auditor' || principal.role === 'admin'
}
