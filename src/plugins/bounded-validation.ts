import type { ValidateFunction } from 'ajv'
import type { AjvError } from './field-errors'

/** At most this many bad paths are listed; the answer says how many more there were. */
export const MAX_LISTED_ERRORS = 20
/** Above this many properties in a body, only the first problem is looked for and named. */
export const MAX_PROPERTIES_FOR_FULL_CHECK = 2000

/** Counts the properties and items of a JSON value, giving up once past `limit`. */
export function countMembers(value: unknown, limit: number): number {
  let count = 0
  const stack: unknown[] = [value]
  while (stack.length > 0 && count <= limit) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object') continue
    const members = Array.isArray(v) ? v : Object.values(v)
    count += members.length
    for (const m of members) if (m !== null && typeof m === 'object') stack.push(m)
  }
  return count
}

/**
 * A validator whose cost is bounded whatever the body: the first problem is found by a validator
 * that stops at it; only a body of a reasonable size is then walked again for every problem, and
 * the list is cut at MAX_LISTED_ERRORS with a last entry saying how many were left out. (A 1 MiB
 * body of 110 000 unknown keys took seconds to list, and answered megabytes of errors.)
 */
export function boundedValidator(first: ValidateFunction, every: ValidateFunction) {
  const validate = ((data: unknown) => {
    validate.errors = null
    if (first(data)) return true
    const all =
      countMembers(data, MAX_PROPERTIES_FOR_FULL_CHECK) <= MAX_PROPERTIES_FOR_FULL_CHECK && !every(data)
        ? ((every.errors ?? []) as AjvError[])
        : ((first.errors ?? []) as AjvError[])
    const listed = all.slice(0, MAX_LISTED_ERRORS)
    const more = all.length - listed.length
    const large = all === first.errors
    if (more > 0 || large) {
      listed.push({
        instancePath: '',
        keyword: 'truncated',
        message: large
          ? `the body is too large to list every problem: the first is shown, there may be more`
          : `and ${more} more problem(s), not listed`,
        params: {},
      })
    }
    validate.errors = listed
    return false
  }) as ((data: unknown) => boolean) & { errors: AjvError[] | null }
  validate.errors = null
  return validate
}
