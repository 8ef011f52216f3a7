import createError from '@fastify/error'

/**
 * The service's named errors. Each code maps to one problem type (RFC 9457) in
 * plugins/error-handler.ts; messages are written for the client and never carry internals.
 */
export const Unauthorized = createError(
  'PLC_ERR_UNAUTHORIZED',
  'A valid API key is required: send Authorization: Bearer <key>.',
  401,
)
export const Forbidden = createError('PLC_ERR_FORBIDDEN', 'The %s role may not %s.', 403)
export const NotFound = createError('PLC_ERR_NOT_FOUND', '%s', 404)
export const IdempotencyConflict = createError(
  'PLC_ERR_IDEMPOTENCY_CONFLICT',
  'This Idempotency-Key was already used with a different request body.',
  409,
)
export const DatabaseUnavailable = createError(
  'PLC_ERR_DATABASE_UNAVAILABLE',
  'The database is not answering; try again shortly.',
  503,
)
export const RequestDeadline = createError(
  'PLC_ERR_DEADLINE',
  'The service could not answer within %d ms (the database is slow or not answering); try again shortly. ' +
    'A write may have been stored all the same: retry it with the same Idempotency-Key.',
  503,
)
const RateLimitedBase = createError(
  'PLC_ERR_RATE_LIMITED',
  'Too many requests; retry in %d s (see Retry-After and the RateLimit-* headers).',
  429,
)
/** 429: a rate limit was reached; the answer says when to come back. */
export class RateLimited extends RateLimitedBase {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds)
  }
}
export const Overloaded = createError(
  'PLC_ERR_OVERLOADED',
  'The service is overloaded and is turning requests away; retry shortly (see Retry-After).',
  503,
)
export const ShuttingDown = createError(
  'PLC_ERR_SHUTTING_DOWN',
  'The service is shutting down; retry in a moment (another replica may answer).',
  503,
)

/** One bad input, located by a JSON pointer into the request part it came from. */
export interface FieldError {
  path: string
  message: string
}

const InvalidInputBase = createError('PLC_ERR_INVALID_INPUT', '%s', 400)

/** A 400 for input that passed the schema but fails a check only the service can make. */
export function invalidInput(detail: string, errors: FieldError[]): Error & { errors: FieldError[] } {
  return Object.assign(new InvalidInputBase(detail), { errors })
}
