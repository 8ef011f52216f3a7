import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto'
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadPrivateKey } from './audit-log/checkpoint'
import type { Config } from './config'
import { parseDatabaseUrl } from './store/database-url'

export interface SigningKey {
  key: KeyObject
  /** Where it came from, for the start-up log. */
  origin: 'configured' | 'file beside the database' | 'generated beside the database' | 'ephemeral'
}

/**
 * The key that signs audit checkpoints. Configured (AUDIT_SIGNING_KEY_FILE or _KEY) it is used as
 * given. The embedded SQLite default keeps one beside its database, made on first start (0600).
 * A PostgreSQL deployment without one gets a key that lives as long as the process: checkpoints
 * still verify, but each replica and each restart signs with another key, so production sets one.
 */
export function loadSigningKey(config: Config): SigningKey {
  if (config.AUDIT_SIGNING_KEY_FILE) {
    return { key: loadPrivateKey(readFileSync(config.AUDIT_SIGNING_KEY_FILE, 'utf8')), origin: 'configured' }
  }
  if (config.AUDIT_SIGNING_KEY) return { key: loadPrivateKey(config.AUDIT_SIGNING_KEY), origin: 'configured' }
  const { kind, target } = parseDatabaseUrl(config.DATABASE_URL)
  if (kind === 'sqlite') {
    const file = path.join(path.dirname(target), 'audit-signing-key.pem')
    if (existsSync(file))
      return { key: loadPrivateKey(readFileSync(file, 'utf8')), origin: 'file beside the database' }
    const { privateKey } = generateKeyPairSync('ed25519')
    mkdirSync(path.dirname(file), { recursive: true })
    // Written whole under a name of its own, then linked into place: the link either makes the
    // file, complete, or finds one there. Created in place and then written, a second start in
    // that moment (two replicas, the CLI) found the file empty and failed to read a key.
    const draft = `${file}.${process.pid}.${randomUUID()}`
    writeFileSync(draft, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' })
    try {
      chmodSync(draft, 0o600)
      linkSync(draft, file)
    } catch (error) {
      // Another process (the CLI, a second start) made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      return { key: loadPrivateKey(readFileSync(file, 'utf8')), origin: 'file beside the database' }
    } finally {
      unlinkSync(draft)
    }
    return { key: privateKey, origin: 'generated beside the database' }
  }
  return { key: generateKeyPairSync('ed25519').privateKey, origin: 'ephemeral' }
}
