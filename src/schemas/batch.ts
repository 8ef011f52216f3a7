import { type Static, Type } from '@sinclair/typebox'
import { AssessmentSchema } from './decision'
import { DescriptorSchema } from './descriptor'
import { ProblemSchema } from './problem'

export const BATCH_MAX = 500

export const BatchRequestSchema = Type.Object(
  {
    items: Type.Array(Type.Ref(DescriptorSchema), {
      minItems: 1,
      maxItems: BATCH_MAX,
      description:
        'Each item is validated and decided on its own: a bad item gets its own 400, the others go on.',
    }),
  },
  { $id: 'BatchRequest', additionalProperties: false },
)

export const BatchResultSchema = Type.Union(
  [
    Type.Object(
      { status: Type.Literal(201), assessment: Type.Ref(AssessmentSchema) },
      { additionalProperties: false },
    ),
    Type.Object(
      { status: Type.Literal(400), problem: Type.Ref(ProblemSchema) },
      { additionalProperties: false },
    ),
  ],
  { $id: 'BatchResult', description: 'One per item, in input order.' },
)

export const BatchSummarySchema = Type.Object(
  {
    total: Type.Integer(),
    stored: Type.Integer({ description: 'Items stored by this request.' }),
    replayed: Type.Integer({
      description: 'Items already stored under the Idempotency-Key, returned again.',
    }),
    invalid: Type.Integer(),
    byRecommendation: Type.Record(Type.String(), Type.Integer(), {
      description: 'Per recommended platform.',
    }),
    closeCalls: Type.Array(Type.Integer(), {
      description: 'Indices of items with no clear preference or a margin under the policy’s medium margin.',
    }),
    flagged: Type.Array(Type.Integer(), {
      description:
        'Indices of items with a gate conflict, an overruled score winner or no eligible platform.',
    }),
  },
  { $id: 'BatchSummary', additionalProperties: false },
)

export const BatchResponseSchema = Type.Object(
  { results: Type.Array(Type.Ref(BatchResultSchema)), summary: Type.Ref(BatchSummarySchema) },
  { $id: 'BatchResponse', additionalProperties: false },
)
export type BatchResponse = Static<typeof BatchResponseSchema>

export const batchSchemas = [BatchRequestSchema, BatchResultSchema, BatchSummarySchema, BatchResponseSchema]
