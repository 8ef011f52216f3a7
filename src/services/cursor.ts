import { invalidInput } from '../errors'
import type { ListPosition } from '../store/types'

/**
 * List cursors are opaque to clients: base64url of the last row's (createdAt, id). Keyset
 * positions stay correct while others insert: a page never repeats or skips an older row.
 */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url')
}

export function decodeCursor(cursor: string): ListPosition {
  const bad = () =>
    invalidInput('The cursor is not one this service issued.', [
      { path: '/cursor', message: 'is not a valid cursor' },
    ])
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw bad()
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad()
  const [time, id] = parsed
  if (typeof time !== 'string' || typeof id !== 'string' || id.length === 0 || id.length > 64) throw bad()
  const createdAt = new Date(time)
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== time) throw bad()
  return { createdAt, id }
}
