import { PAPER_DEFAULT_POLICY } from '../domain/policies/paper-default'
import { PAPER_POLICY_V2 } from '../domain/policies/paper-v2'
import { SANDBOXED_POLICY, SANDBOXED_POLICY_V2 } from '../domain/policies/sandboxed'
import { validatePolicy } from '../domain/policy-validation'
import { invalidInput, NotFound } from '../errors'
import { canonicalJson } from '../lib/canonical-json'
import type { Policy, PolicyDefinition, PolicyDocument, PolicySummary } from '../schemas/policy'
import { DuplicatePolicyVersion, type PolicyRecord, type PolicyRepository } from '../store/types'
import type { Freshness } from './freshness'

export const BUILT_IN_POLICIES: readonly Policy[] = [
  PAPER_DEFAULT_POLICY,
  SANDBOXED_POLICY,
  PAPER_POLICY_V2,
  SANDBOXED_POLICY_V2,
]
/**
 * The policy in force until an admin activates another. A deployment that never activated a
 * policy moves from nirs-paper-v1 to nirs-paper-v2 with this release; its earlier assessments
 * keep their policy and become stale, and each re-decides identically under it.
 */
export const DEFAULT_POLICY = PAPER_POLICY_V2
// Built-ins exist from the release that ships them.
const BUILT_IN_CREATED_AT: Record<number, string> = {
  1: '2026-11-26T00:00:00.000Z',
  2: '2026-11-27T00:00:00.000Z',
}

/** Where decisions get their policies, and how admins add and activate versions. */
export interface PolicyCatalog {
  active(): Promise<Policy>
  get(id: string): Promise<Policy | null>
  /** Every version, with which one is active. */
  list(): Promise<PolicySummary[]>
  /** A policy version as the API shows it, or NotFound. */
  describe(id: string): Promise<PolicyDocument>
  create(definition: PolicyDefinition, actor: Actor): Promise<PolicyDocument>
  activate(id: string, actor: Actor): Promise<PolicyDocument>
}

/** Who acts: the key and its org, as the audit log records them. */
export interface Actor {
  keyId: string
  org: string
}

interface Entry {
  policy: Policy
  createdAt: string
  builtIn: boolean
}

function fromRecord(record: PolicyRecord): Entry {
  const definition = JSON.parse(record.document) as PolicyDefinition
  return {
    policy: { ...definition, id: record.id, version: record.version },
    createdAt: record.createdAt.toISOString(),
    builtIn: false,
  }
}

export function policyCatalog(
  repository: PolicyRepository,
  now: () => Date = () => new Date(),
  freshness?: Freshness,
): PolicyCatalog {
  const builtIns = new Map<string, Entry>(
    BUILT_IN_POLICIES.map((policy) => [
      policy.id,
      { policy, createdAt: BUILT_IN_CREATED_AT[policy.version] as string, builtIn: true },
    ]),
  )
  // Versions never change, so once read, an entry can be kept for the life of the process.
  const cache = new Map<string, Entry>(builtIns)

  async function entry(id: string): Promise<Entry | null> {
    const known = cache.get(id)
    if (known) return known
    const record = await repository.findById(id)
    if (!record) return null
    const loaded = fromRecord(record)
    cache.set(id, loaded)
    return loaded
  }

  // Which version is active changes rarely; it is read from the store only while the cache
  // cannot be trusted or after an activation anywhere (see freshness.ts).
  let cachedActiveId: string | null = null
  freshness?.onInvalidate(() => {
    cachedActiveId = null
  })

  async function activeId(): Promise<string> {
    const trusted = freshness?.trusted() ?? false
    if (trusted && cachedActiveId !== null) return cachedActiveId
    const generation = freshness?.generation()
    const id = (await repository.activePolicyId()) ?? DEFAULT_POLICY.id
    if (trusted && freshness?.generation() === generation) cachedActiveId = id
    return id
  }

  const document = (e: Entry, active: boolean): PolicyDocument => {
    const { id, version, ...definition } = e.policy
    return { ...definition, id, version, active, builtIn: e.builtIn, createdAt: e.createdAt }
  }

  return {
    async active() {
      const found = await entry(await activeId())
      // An activation only ever names a policy that exists; the default is the safe fallback.
      return found?.policy ?? DEFAULT_POLICY
    },

    get: async (id) => (await entry(id))?.policy ?? null,

    async list() {
      const [records, current] = await Promise.all([repository.list(), activeId()])
      const entries = [...builtIns.values(), ...records.map(fromRecord)]
      return entries
        .map((e) => {
          const { id, version, name, description, platforms } = e.policy
          return {
            id,
            version,
            name,
            description,
            platforms,
            active: id === current,
            builtIn: e.builtIn,
            createdAt: e.createdAt,
          }
        })
        .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version)
    },

    async describe(id) {
      const found = await entry(id)
      if (!found) throw new NotFound(`No policy ${id}.`)
      return document(found, id === (await activeId()))
    },

    async create(definition, { keyId, org }) {
      const problems = validatePolicy(definition)
      if (problems.length > 0) throw invalidInput('The policy is not consistent.', problems)
      const builtInVersions = BUILT_IN_POLICIES.filter((p) => p.name === definition.name).map(
        (p) => p.version,
      )
      // Two admins may add a version of the same name at once: the unique (name, version) decides.
      for (let attempt = 0; ; attempt++) {
        const version = Math.max(0, ...builtInVersions, await repository.maxVersion(definition.name)) + 1
        const record: PolicyRecord = {
          id: `${definition.name}-v${version}`,
          name: definition.name,
          version,
          document: canonicalJson(definition),
          createdAt: now(),
          keyId,
        }
        try {
          await repository.insert(record, org)
          const created = fromRecord(record)
          cache.set(record.id, created)
          return document(created, false)
        } catch (error) {
          if (!(error instanceof DuplicatePolicyVersion) || attempt >= 5) throw error
        }
      }
    },

    async activate(id, { keyId, org }) {
      const found = await entry(id)
      if (!found) throw new NotFound(`No policy ${id}.`)
      // Asked of the store, not the cache: another replica may have activated another version.
      const current = (await repository.activePolicyId()) ?? DEFAULT_POLICY.id
      if (current !== id) {
        await repository.activate(id, now(), keyId, org)
        freshness?.invalidate()
      }
      return document(found, true)
    },
  }
}
