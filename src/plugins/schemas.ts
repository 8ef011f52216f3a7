import Ajv, { type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { FieldError } from '../errors'
import { SHARED_SCHEMAS } from '../schemas'
import { boundedValidator } from './bounded-validation'
import { fieldErrors } from './field-errors'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Validates a value against a shared schema (by $id) exactly as a request body is validated:
     * the bad paths, or null when it is valid. For the items of a batch, each judged on its own.
     */
    validateShared: (schemaId: string, value: unknown) => FieldError[] | null
  }
}

function compiler(options: Options): Ajv {
  const ajv = new Ajv({
    // Report every bad path at once, not just the first; bodies are capped at 1 MiB.
    allErrors: true,
    // Unknown properties are an error (the schemas say additionalProperties: false), never dropped.
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  })
  addFormats(ajv)
  for (const schema of SHARED_SCHEMAS) ajv.addSchema(schema)
  return ajv
}

/**
 * Shared schemas and validation. Bodies are validated strictly: `"stateful": "true"` is a
 * wrong type, not a boolean. Query strings, path parameters and headers are text by nature,
 * so there `limit=5` may become a number.
 */
async function schemas(app: FastifyInstance) {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)
  const strict = compiler({ coerceTypes: false })
  const strictFirst = compiler({ coerceTypes: false, allErrors: false })
  const coercing = compiler({ coerceTypes: true })
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body'
      ? (boundedValidator(strictFirst.compile(schema), strict.compile(schema)) as unknown as ValidateFunction)
      : coercing.compile(schema),
  )
  const shared = new Map<string, ReturnType<typeof boundedValidator>>()
  app.decorate('validateShared', (schemaId: string, value: unknown) => {
    let validate = shared.get(schemaId)
    if (!validate) {
      const first = strictFirst.getSchema(schemaId)
      const every = strict.getSchema(schemaId)
      if (!first || !every) throw new Error(`no shared schema ${schemaId}`)
      validate = boundedValidator(first, every)
      shared.set(schemaId, validate)
    }
    return validate(value) ? null : fieldErrors(validate.errors ?? [])
  })
}

export default fp(schemas, { name: 'schemas' })
