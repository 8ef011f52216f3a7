import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'

/**
 * A checkpoint is a signed statement "the log had `size` entries, the last of them hashed to
 * `rootHash`", signed with the service's Ed25519 key. The signed text is a small fixed format,
 * so that any Ed25519 tool can check it.
 */
export interface Checkpoint {
  size: number
  rootHash: string
  createdAt: string
  /** The first 16 hex digits of SHA-256 over the raw public key. */
  keyId: string
  /** The signing public key, SPKI PEM. */
  publicKey: string
  /** Ed25519 signature of checkpointText(), base64. */
  signature: string
}

export function checkpointText(c: Pick<Checkpoint, 'size' | 'rootHash' | 'createdAt'>): string {
  return `placement-audit-checkpoint v1\nsize ${c.size}\nroot ${c.rootHash}\ntime ${c.createdAt}\n`
}

export function publicKeyPem(key: KeyObject): string {
  return (key.type === 'private' ? createPublicKey(key) : key)
    .export({ type: 'spki', format: 'pem' })
    .toString()
}

export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey
  const raw = key.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(raw).digest('hex').slice(0, 16)
}

export function signCheckpoint(
  privateKey: KeyObject,
  head: Pick<Checkpoint, 'size' | 'rootHash' | 'createdAt'>,
): Checkpoint {
  const publicKey = publicKeyPem(privateKey)
  return {
    ...head,
    keyId: keyIdOf(publicKey),
    publicKey,
    signature: sign(null, Buffer.from(checkpointText(head)), privateKey).toString('base64'),
  }
}

/**
 * Whether the checkpoint's signature holds, under `trusted` (a PEM the auditor keeps) when given,
 * else under the key the checkpoint names. Only a trusted key proves who signed.
 */
export function checkpointSignatureValid(c: Checkpoint, trusted?: string): boolean {
  try {
    const key = createPublicKey(trusted ?? c.publicKey)
    return verify(null, Buffer.from(checkpointText(c)), key, Buffer.from(c.signature, 'base64'))
  } catch {
    return false
  }
}

export function loadPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem)
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error('the audit signing key must be an Ed25519 private key')
  return key
}
