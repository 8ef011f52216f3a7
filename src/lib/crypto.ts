import { createHash, randomBytes } from 'node:crypto'

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/**
 * A UUID version 7: 48 bits of Unix milliseconds, then random bits. Ids sort roughly by
 * creation time, which keeps index inserts local, and reveal nothing else.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16)
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f)
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A random token of `bytes` bytes, base64url without padding. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}
