import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
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

interface Compilers {
  strict: Ajv
  strictFirst: Ajv
  coercing: Ajv
  serializer: ReturnType<ReturnType<typeof SerializerSelector>>
  made: Map<string, unknown>
}

/**
 * The compilers, and every validator and serializer they made, once per process. Compiling the
 * routes' schemas was most of the cost of building the app (about 0.6 s of 0.8 here), paid again
 * by every app a process builds: a test file builds dozens. A route's schema object is made anew
 * with each app, its meaning is not, so what was compiled is found by the schema's JSON; the
 * shared schemas it refers to are the same constants for every app, and the method, URL and
 * status a serializer is asked for do not change what it writes.
 */
let compilers: Compilers | undefined

function processCompilers(): Compilers {
  compilers ??= {
    strict: compiler({ coerceTypes: false }),
    strictFirst: compiler({ coerceTypes: false, allErrors: false }),
    coercing: compiler({ coerceTypes: true }),
    // Fastify's own serializer factory, given the shared schemas it would be given.
    serializer: SerializerSelector()(Object.fromEntries(SHARED_SCHEMAS.map((s) => [s.$id, s])), {}),
    made: new Map(),
  }
  return compilers
}

function once<T>(kind: string, schema: unknown, make: () => T): T {
  const { made } = processCompilers()
  const key = `${kind} ${JSON.stringify(schema)}`
  let found = made.get(key) as T | undefined
  if (found === undefined) {
    found = make()
    made.set(key, found)
  }
  return found
}

/**
 * Shared schemas and validation. Bodies are validated strictly: `"stateful": "true"` is a
 * wrong type, not a boolean. Query strings, path parameters and headers are text by nature,
 * so there `limit=5` may become a number.
 */
async function schemas(app: FastifyInstance) {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)
  const { strict, strictFirst, coercing, serializer } = processCompilers()
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body'
      ? once('body', schema, () => {
          return boundedValidator(
            strictFirst.compile(schema),
            strict.compile(schema),
          ) as unknown as ValidateFunction
        })
      : once('text', schema, () => coercing.compile(schema)),
  )
  app.setSerializerCompiler((route) =>
    once('reply', route.schema, () => serializer(route as Parameters<Compilers['serializer']>[0])),
  )
  app.decorate('validateShared', (schemaId: string, value: unknown) => {
    const validate = once('shared', schemaId, () => {
      const first = strictFirst.getSchema(schemaId)
      const every = strict.getSchema(schemaId)
      if (!first || !every) throw new Error(`no shared schema ${schemaId}`)
      return boundedValidator(first, every)
    })
    return validate(value) ? null : fieldErrors(validate.errors ?? [])
  })
}

export default fp(schemas, { name: 'schemas' })
