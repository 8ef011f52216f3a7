import { Type } from '@sinclair/typebox'
import { StringEnum, Text, Token } from '../../schemas/common'
import { EXPORT_FORMATS } from '../../services/assessment-export'

/** Request-part schemas shared by the /v1 routes. */

export const AcceptLanguageHeaders = Type.Object({
  'accept-language': Type.Optional(
    Type.String({ description: 'ko for Korean messages; English otherwise.', maxLength: 500 }),
  ),
})

export const CreateHeaders = Type.Object({
  ...AcceptLanguageHeaders.properties,
  'idempotency-key': Type.Optional(
    Token({
      minLength: 1,
      maxLength: 255,
      description: 'Retry-safe creation: the same key and body return the first assessment.',
    }),
  ),
})

export const IdParams = Type.Object({ id: Token({ minLength: 1, maxLength: 64 }) })

export const PolicyIdBody = Type.Object(
  { policyId: Type.Optional(Token({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
)

export const ListQuerySchema = Type.Object(
  {
    application: Type.Optional(
      Text({ minLength: 1, maxLength: 200, description: 'Substring of the application name, any case.' }),
    ),
    org: Type.Optional(Text({ minLength: 1, maxLength: 100 })),
    recommendation: Type.Optional(Token({ minLength: 1, maxLength: 64 })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO date or date-time, inclusive.' })),
    to: Type.Optional(
      Type.String({
        maxLength: 40,
        description: 'ISO date or date-time, inclusive (a date: the whole day).',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(
      Token({ minLength: 1, maxLength: 512, description: 'nextCursor of the previous page.' }),
    ),
    policyId: Type.Optional(
      Token({ minLength: 1, maxLength: 100, description: 'Made under this policy version.' }),
    ),
    policyVersion: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Made under this version number (combine with policyId for one policy).',
      }),
    ),
    stale: Type.Optional(
      Type.Boolean({
        description: 'Made under a policy other than the active one (true), or under it (false).',
      }),
    ),
    overridden: Type.Optional(Type.Boolean({ description: 'With (true) or without (false) an override.' })),
  },
  { additionalProperties: false },
)

export const security = [{ bearerAuth: [] }]

const { limit, cursor, ...filters } = ListQuerySchema.properties

export const ExportQuerySchema = Type.Object(
  {
    format: Type.Optional(
      StringEnum(EXPORT_FORMATS, {
        default: 'ndjson',
        description: 'ndjson (default) or csv (UTF-8 with BOM).',
      }),
    ),
    ...filters,
  },
  { additionalProperties: false },
)

/** The list filters, as a JSON body (POST /v1/policies/{id}/impact). */
export const FiltersBodySchema = Type.Object(filters, {
  additionalProperties: false,
  description: 'The filters of GET /v1/assessments; none: every assessment the key may see.',
})
