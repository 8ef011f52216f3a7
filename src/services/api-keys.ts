import { randomToken, sha256Hex, uuidv7 } from '../lib/crypto'
import type { ApiKeyRecord, ApiKeyRepository } from '../store/types'
import { type Principal, ROLES, type Role } from './principal'

const KEY_PREFIX = 'plc_'

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export interface CreatedKey {
  record: ApiKeyRecord
  /** The plaintext key: shown once, never stored. */
  key: string
}

export function apiKeyService(repository: ApiKeyRepository, now: () => Date = () => new Date()) {
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
      const record = await repository.findByHash(sha256Hex(key))
      if (!record || record.revokedAt !== null || !isRole(record.role)) return null
      return { keyId: record.id, org: record.org, role: record.role }
    },

    list: (org?: string) => repository.list(org),
    revoke: (id: string) => repository.revoke(id, now()),
  }
}
export type ApiKeyService = ReturnType<typeof apiKeyService>
