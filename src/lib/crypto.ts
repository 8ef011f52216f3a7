import { hash, randomBytes, randomUUID } from 'node:crypto'

/** One-shot `crypto.hash` (Node 20.12): a third of createHash's cost for a key, every request. */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex')
}

/**
 * A UUID version 7: 48 bits of Unix milliseconds, then random bits. Ids sort roughly by
 * creation time, which keeps index inserts local, and reveal nothing else.
 */
export function uuidv7(now: number = Date.now()): string {
  // The random bits of a version 4 UUID, whose variant bits are already v7's: Node draws those
  // from a buffered pool, where `randomBytes(16)` per id cost 13-15 us of a create under load
  // (BENCHMARKS.md). 12 + 62 random bits, as before.
  if (!Number.isSafeInteger(now) || now < 0 || now >= 2 ** 48) {
    throw new RangeError(`uuidv7: ${now} is not a time in milliseconds that fits 48 bits`)
  }
  const random = randomUUID()
  const time = now.toString(16).padStart(12, '0')
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`
}

/** A random token of `bytes` bytes, base64url without padding. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}
