import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { DatabaseUnavailable, type FieldError } from '../errors'
import type { Problem } from '../schemas/problem'
import { StoreUnavailable } from '../store/availability'
import { lingerAfterResponse } from './connection-edge'
import { type AjvError, fieldErrors } from './field-errors'

const TYPE_PREFIX = 'urn:placement:problem:'

/** Problem type slug per error code; codes not listed fall back to the status. */
const TYPES: Record<string, string> = {
  FST_ERR_VALIDATION: 'validation-failed',
  PLC_ERR_INVALID_INPUT: 'validation-failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed-request',
  PLC_ERR_UNAUTHORIZED: 'unauthorized',
  PLC_ERR_FORBIDDEN: 'forbidden',
  PLC_ERR_NOT_FOUND: 'not-found',
  PLC_ERR_IDEMPOTENCY_CONFLICT: 'idempotency-conflict',
  PLC_ERR_DATABASE_UNAVAILABLE: 'service-unavailable',
  PLC_ERR_SHUTTING_DOWN: 'service-unavailable',
  PLC_ERR_DEADLINE: 'service-unavailable',
  PLC_ERR_RATE_LIMITED: 'rate-limited',
  PLC_ERR_OVERLOADED: 'service-unavailable',
}

/** Errors without a code of their own (a plugin's 403 or 404, say) are typed by their status. */
const BY_STATUS: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not-found' }

/** Client-facing details for framework errors whose own messages are not written for clients. */
const DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; a JSON object is expected.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than the 1 MiB limit.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body must be sent as application/json.',
}

export function problem(
  request: FastifyRequest,
  status: number,
  code: string | undefined,
  detail: string,
): Problem {
  const slug =
    (code && TYPES[code]) ?? BY_STATUS[status] ?? (status >= 500 ? 'internal-error' : 'bad-request')
  return {
    type: `${TYPE_PREFIX}${slug}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: request.url.split('?')[0],
    requestId: request.id,
  }
}

function sendProblem(reply: FastifyReply, body: Problem) {
  return reply.code(body.status).type('application/problem+json').send(body)
}

/**
 * One error handler for the whole service: validation -> 400 with each bad path, named
 * codes -> their status, anything else -> a generic 500 logged once with the request id.
 * Nothing internal (stack, SQL, file paths) reaches a response.
 */
async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((thrown: FastifyError & { errors?: FieldError[] }, request, reply) => {
    const error: FastifyError & { errors?: FieldError[] } =
      thrown instanceof StoreUnavailable
        ? Object.assign(new DatabaseUnavailable(), { cause: thrown })
        : thrown
    const status = error.statusCode ?? 500
    if (error.validation) {
      const where = error.validationContext === 'body' ? 'request body' : error.validationContext
      const body = problem(request, 400, 'FST_ERR_VALIDATION', `The ${where ?? 'request'} is invalid.`)
      body.errors = fieldErrors(error.validation as AjvError[])
      return sendProblem(reply, body)
    }
    if (status >= 400 && status < 500) {
      const known = error.code?.startsWith('PLC_ERR_') || error.code?.startsWith('FST_ERR_')
      const detail = DETAILS[error.code] ?? (known ? error.message : (STATUS_CODES[status] ?? 'Bad request'))
      const body = problem(request, status, error.code, detail)
      if (error.errors) body.errors = error.errors
      if (status === 401) reply.header('WWW-Authenticate', 'Bearer')
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        // The rest of the upload is not read; the connection closes, lingering (see there).
        reply.header('Connection', 'close')
        lingerAfterResponse(request.raw)
      }
      return sendProblem(reply, body)
    }
    if (status === 503) {
      // Shedding answers many requests at once by design: a short line each, not a stack.
      if (error.code === 'PLC_ERR_OVERLOADED') request.log.info('shed: the service is overloaded')
      else request.log.warn({ err: error }, 'service unavailable')
      reply.header('Retry-After', '5')
      return sendProblem(reply, problem(request, 503, error.code, error.message))
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendProblem(
      reply,
      problem(request, 500, undefined, 'The service failed to handle this request; it has been logged.'),
    )
  })

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(request, 404, 'PLC_ERR_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`),
    ),
  )
}

export default fp(errorHandler, { name: 'error-handler' })
