import { type Static, Type } from '@sinclair/typebox'

/** Every kind of problem the service answers with (the suffix of `type`). */
export const PROBLEM_TYPES = [
  'validation-failed',
  'malformed-json',
  'malformed-request',
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'idempotency-conflict',
  'payload-too-large',
  'unsupported-media-type',
  'service-unavailable',
  'internal-error',
] as const

export const ProblemSchema = Type.Object(
  {
    type: Type.Unsafe<string>({
      type: 'string',
      enum: PROBLEM_TYPES.map((t) => `urn:placement:problem:${t}`),
      description: 'URI naming the kind of problem: switch on it.',
    }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String({ description: 'The request path.' })),
    requestId: Type.Optional(Type.String({ description: 'Quote this when reporting a problem.' })),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          {
            path: Type.String({ description: 'JSON pointer to the bad value.' }),
            message: Type.String(),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details.' },
)
export type Problem = Static<typeof ProblemSchema>

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: the problem lists each bad path.',
  401: 'No API key, or an unknown or revoked one.',
  403: "The key's role does not allow this.",
  404: 'Not found (or not visible to this key).',
  409: 'The Idempotency-Key was used with another body.',
  413: 'Body larger than 1 MiB.',
  415: 'Body is not application/json.',
  503: 'The database is not answering.',
}

/** Response entries for the problem statuses a route can answer. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: Type.Ref(ProblemSchema) } },
      },
    ]),
  )
}
