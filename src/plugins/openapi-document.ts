/**
 * What the route schemas cannot say, added to the generated OpenAPI document in one place: the
 * servers, response headers, a `default` problem response, and optional request bodies. Keeping it
 * here (not in every route) keeps the routes short and the document consistent.
 */

type Json = Record<string, unknown>

const PROBLEM = { $ref: '#/components/schemas/Problem' }

const HEADERS: Record<string, Json> = {
  'X-Request-Id': {
    description:
      'The request id (yours, if you sent a safe one in X-Request-Id); quote it when reporting a problem.',
    schema: { type: 'string' },
  },
  Location: { description: 'Where the created resource is read.', schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: 'true when the answer replays an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
  'Content-Language': {
    description: 'The language of the messages: en or ko.',
    schema: { type: 'string', enum: ['en', 'ko'] },
  },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
  'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } },
  'RateLimit-Limit': { description: 'Requests this key may make per window.', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in this window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window starts again.', schema: { type: 'integer' } },
}

/** Answers every /v1 operation may give, whatever it does: its rate limit, and shedding or outages. */
const EVERY_V1_OPERATION: Record<string, string> = {
  '429':
    'A rate limit was reached (per key, or per address for failed authentication); wait Retry-After seconds.',
  '503':
    'The database is not answering, the answer missed its deadline, or the service sheds load; retry after Retry-After.',
}

/** Operations whose request body may be left out entirely. */
const OPTIONAL_BODIES = new Set(['reevaluateAssessment', 'policyImpact'])
/** Operations that answer with messages in the language asked for. */
const LOCALISED = new Set([
  'createAssessment',
  'createAssessmentBatch',
  'listAssessments',
  'getAssessment',
  'reevaluateAssessment',
  'evaluate',
  'exportAssessments',
])
const REPLAYABLE = new Set(['createAssessment', 'createAssessmentBatch'])

/** A fresh copy each time: shared objects would come out of the YAML writer as anchors and aliases. */
const header = (name: string): Json => structuredClone(HEADERS[name] as Json)

/**
 * Evaluation and Assessment share every decision property: the document says so once, as a
 * `Decision` both extend (allOf), instead of repeating them. The service validates and serialises
 * with the flat schemas; this is the same shape, written for readers and client generators.
 */
function shareDecision(schemas: Record<string, Json>) {
  const evaluation = schemas.Evaluation
  const assessment = schemas.Assessment
  if (!evaluation || !assessment) return
  const shared = evaluation.properties as Record<string, Json>
  const required = (evaluation.required ?? []) as string[]
  schemas.Decision = {
    type: 'object',
    description: 'A placement decision: what every evaluation and every assessment holds.',
    properties: shared,
    required,
  }
  const own = Object.fromEntries(
    Object.entries(assessment.properties as Record<string, Json>).filter(([name]) => !(name in shared)),
  )
  // The decision's inline parts get names of their own, for readers and generated types.
  const name = (component: string, schema: Json | undefined) => {
    if (!schema) return undefined
    schemas[component] = schema
    return { $ref: `#/components/schemas/${component}` }
  }
  const items = (property: string, component: string) => {
    const list = shared[property] as Json | undefined
    const item = name(component, list?.items as Json | undefined)
    if (list && item) list.items = item
  }
  items('constraints', 'ConstraintResult')
  items('rationale', 'RationaleItem')
  items('counterfactuals', 'Counterfactual')
  items('conflicts', 'Conflict')
  const readiness = shared.readiness as Json | undefined
  const platformReadiness = name('PlatformReadiness', readiness?.additionalProperties as Json | undefined)
  if (readiness && platformReadiness) readiness.additionalProperties = platformReadiness
  schemas.Evaluation = {
    description: evaluation.description,
    allOf: [{ $ref: '#/components/schemas/Decision' }],
    unevaluatedProperties: false,
  }
  schemas.Assessment = {
    description: assessment.description,
    allOf: [
      { $ref: '#/components/schemas/Decision' },
      {
        type: 'object',
        properties: own,
        required: ((assessment.required ?? []) as string[]).filter((name) => !required.includes(name)),
      },
    ],
    unevaluatedProperties: false,
  }
}

export function completeDocument(document: Json): Json {
  shareDecision(((document.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>)
  document.servers = [{ url: 'http://127.0.0.1:3000', description: 'The default local address (HOST, PORT)' }]
  const info = document.info as Json
  info.contact = { name: 'Placement service team', url: 'http://127.0.0.1:3000/docs' }
  info.license = {
    name: 'Proprietary: for the agency and its integrators',
    identifier: 'LicenseRef-Proprietary',
  }
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>
  for (const [path, operations] of Object.entries(paths)) {
    for (const operation of Object.values(operations)) {
      const id = String(operation.operationId)
      operation.description ??= operation.summary
      operation.security = path.startsWith('/v1/') ? structuredClone(operation.security) : []
      if (OPTIONAL_BODIES.has(id) && operation.requestBody) (operation.requestBody as Json).required = false
      const responses = (operation.responses ?? {}) as Record<string, Json>
      if (path.startsWith('/v1/')) {
        for (const [status, description] of Object.entries(EVERY_V1_OPERATION)) {
          responses[status] ??= {
            description,
            content: { 'application/problem+json': { schema: { ...PROBLEM } } },
          }
        }
      }
      responses.default ??= {
        description: 'Any other problem, as RFC 9457 problem details.',
        content: { 'application/problem+json': { schema: { ...PROBLEM } } },
      }
      for (const [status, response] of Object.entries(responses)) {
        const headers: Record<string, Json> = { 'X-Request-Id': header('X-Request-Id') }
        if (status === '201') headers.Location = header('Location')
        if ((status === '201' || status === '200') && LOCALISED.has(id)) {
          headers['Content-Language'] = header('Content-Language')
        }
        if (REPLAYABLE.has(id) && (status === '201' || status === '200')) {
          headers['Idempotent-Replayed'] = header('Idempotent-Replayed')
        }
        if (status === '503' || status === '429') headers['Retry-After'] = header('Retry-After')
        if (path.startsWith('/v1/') && (status.startsWith('2') || status === '429')) {
          for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'])
            headers[name] = header(name)
        }
        if (status === '401') headers['WWW-Authenticate'] = header('WWW-Authenticate')
        response.headers = { ...(response.headers as Json | undefined), ...headers }
      }
      operation.responses = responses
    }
  }
  return document
}
