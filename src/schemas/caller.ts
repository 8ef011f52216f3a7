import { Type } from '@sinclair/typebox'
import { ROLES } from '../services/principal'
import { StringEnum } from './common'

/** Who an API key is: what a page or a portal needs to show only what the key may do. */
export const CallerSchema = Type.Object(
  {
    keyId: Type.String(),
    org: Type.String(),
    role: StringEnum(ROLES, {
      description: 'submitter: its own org’s assessments; auditor: every org, read only; admin: everything.',
    }),
  },
  { $id: 'Caller', additionalProperties: false, description: 'The API key that made the request.' },
)
