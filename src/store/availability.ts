/**
 * Telling "the database is not answering" (503, retry later) from a fault of the service
 * (500). Connection loss reaches the store in several guises: socket error codes, PostgreSQL
 * SQLSTATEs, Prisma's own P1xxx codes, or plain messages from the pg driver.
 */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable'
  constructor(cause: unknown) {
    super('the database is not answering', { cause })
  }
}

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
])
// Prisma: can't reach, timed out, operation timed out, server closed, pool timeout.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024'])
// SQLSTATE: connection exception (08), operator intervention (57: shutdown, statement
// timeout), insufficient resources (53: too many connections, out of memory).
const SQLSTATE = /^(08|57|53)[0-9A-Z]{3}$/
const MESSAGES =
  /connection terminated|query read timeout|timeout exceeded when trying to connect|connection error|server closed the connection|terminating connection|database system is (starting up|shutting down)|the database is locked/i

export function isUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown }
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || PRISMA_CODES.has(code) || SQLSTATE.test(code))) {
    return true
  }
  if (typeof message === 'string' && MESSAGES.test(message)) return true
  return isUnavailable(cause, depth + 1)
}

/** The same repository, with availability failures turned into StoreUnavailable. */
export function guardAvailability<T extends object>(repository: T): T {
  const guarded: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(repository)) {
    guarded[name] =
      typeof member === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await member(...args)
            } catch (error) {
              throw isUnavailable(error) ? new StoreUnavailable(error) : error
            }
          }
        : member
  }
  return guarded as T
}
