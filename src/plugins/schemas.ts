import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { FieldError } from '../errors'
import { SHARED_SCHEMAS } from '../schemas'
import { type AjvError, fieldErrors } from './field-errors'

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
  const coercing = compiler({ coerceTypes: true })
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  )
  app.decorate('validateShared', (schemaId: string, value: unknown) => {
    const validate = strict.getSchema(schemaId)
    if (!validate) throw new Error(`no shared schema ${schemaId}`)
    return validate(value) ? null : fieldErrors((validate.errors ?? []) as AjvError[])
  })
}

export default fp(schemas, { name: 'schemas' })
