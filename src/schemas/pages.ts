import { Type } from '@sinclair/typebox'
import { AuditEntrySchema, CheckpointSchema } from './audit'
import { Nullable } from './common'
import { AssessmentSchema } from './decision'
import { PolicySummarySchema } from './policy'

/** The lists the API answers with, named so that generated clients get named types. */
const Cursor = Nullable(
  Type.String({
    description:
      'Pass as `cursor` for the next page; null on the last. A page with fewer items than asked for may still have one (a list page reads a bounded window).',
  }),
)

export const AssessmentPageSchema = Type.Object(
  { items: Type.Array(Type.Ref(AssessmentSchema)), nextCursor: Cursor },
  { $id: 'AssessmentPage', additionalProperties: false },
)
export const PolicyListSchema = Type.Object(
  { items: Type.Array(Type.Ref(PolicySummarySchema)) },
  { $id: 'PolicyList', additionalProperties: false },
)
export const AuditEventPageSchema = Type.Object(
  { items: Type.Array(Type.Ref(AuditEntrySchema)), nextCursor: Cursor },
  { $id: 'AuditEventPage', additionalProperties: false },
)
export const CheckpointPageSchema = Type.Object(
  { items: Type.Array(Type.Ref(CheckpointSchema)), nextCursor: Cursor },
  { $id: 'CheckpointPage', additionalProperties: false },
)

export const pageSchemas = [
  AssessmentPageSchema,
  PolicyListSchema,
  AuditEventPageSchema,
  CheckpointPageSchema,
]
