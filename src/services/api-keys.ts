import { LRUCache } from 'lru-cache'
import { randomToken, sha256Hex, uuidv7 } from '../lib/crypto'
import type { ApiKeyRecord, ApiKeyRepository } from '../store/types'
import type { Freshness } from './freshness'
import { type Principal, ROLES, type Role } from './principal'

/** Known keys kept in memory; unknown ones are never kept, so guessing cannot fill it. */
const KEY_CACHE_SIZE = 10_000

const KEY_PREFIX = 'plc_'

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export interface CreatedKey {
  record: ApiKeyRecord
  /** The plaintext key: shown once, never stored. */
  key: string
}

export function apiKeyService(
  repository: ApiKeyRepository,
  options: { now?: () => Date; freshness?: Freshness } = {},
) {
  const now = options.now ?? (() => new Date())
  const { freshness } = options
  // By the key's hash: the plaintext is never held longer than the request.
  const known = new LRUCache<string, Principal>({ max: KEY_CACHE_SIZE })
  // A request's key is hashed once: the address check before authentication asks alreadyKnown(),
  // then authentication asks again for the same key (a hash each was 2-3 % of a small request).
  let lastKey = ''
  let lastHash = ''
  const hashOf = (key: string) => {
    if (key !== lastKey) {
      lastHash = sha256Hex(key)
      lastKey = key
    }
    return lastHash
  }
  freshness?.onInvalidate(() => known.clear())

  return {
    async create(org: string, role: Role, label?: string): Promise<CreatedKey> {
      // 32 random bytes: unguessable, so an unsalted SHA-256 is a safe thing to store.
      const key = `${KEY_PREFIX}${randomToken(32)}`
      const record: ApiKeyRecord = {
        id: uuidv7(),
        org,
        role,
        hash: sha256Hex(key),
        label: label ?? null,
        createdAt: now(),
        revokedAt: null,
      }
      await repository.insert(record)
      return { record, key }
    },

    /** The principal behind a presented key, or null for an unknown or revoked one. */
    async authenticate(key: string): Promise<Principal | null> {
      if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null
      const hash = hashOf(key)
      const trusted = freshness?.trusted() ?? false
      if (trusted) {
        const hit = known.get(hash)
        if (hit) return hit
      }
      const generation = freshness?.generation()
      const record = await repository.findByHash(hash)
      if (!record || record.revokedAt !== null || !isRole(record.role)) return null
      const principal: Principal = { keyId: record.id, org: record.org, role: record.role }
      // Kept only if no revocation was noticed while it was read.
      if (trusted && freshness?.generation() === generation) known.set(hash, principal)
      return principal
    },

    /**
     * The principal of a key this process has already verified and still trusts, without asking
     * the store; null otherwise. Costs a hash and a map lookup.
     */
    alreadyKnown(key: string): Principal | null {
      if (!key.startsWith(KEY_PREFIX) || key.length > 200 || !freshness?.trusted()) return null
      return known.get(hashOf(key)) ?? null
    },

    /** How many keys are held in memory now. */
    cached: () => known.size,
    list: (org?: string) => repository.list(org),
    async revoke(id: string) {
      const revoked = await repository.revoke(id, now())
      freshness?.invalidate()
      return revoked
    },
  }
}
export type ApiKeyService = ReturnType<typeof apiKeyService>
