import { auditSchemas } from './audit'
import { batchSchemas } from './batch'
import { CallerSchema } from './caller'
import { PlatformNumbersSchema } from './common'
import { AssessmentSchema, decisionSchemas, EvaluationSchema } from './decision'
import {
  ApplicationSchema,
  CharacteristicsSchema,
  DescriptorSchema,
  ResolvedCharacteristicsSchema,
} from './descriptor'
import { pageSchemas } from './pages'
import { LocalizedTextSchema, PolicyImpactSchema, policySchemas } from './policy'
import { ProblemSchema } from './problem'

/** Every schema with an `$id`, registered once and referenced with Type.Ref everywhere else. */
export const SHARED_SCHEMAS = [
  PlatformNumbersSchema,
  ProblemSchema,
  ApplicationSchema,
  CharacteristicsSchema,
  ResolvedCharacteristicsSchema,
  DescriptorSchema,
  LocalizedTextSchema,
  ...policySchemas,
  ...decisionSchemas,
  EvaluationSchema,
  AssessmentSchema,
  ...auditSchemas,
  ...batchSchemas,
  PolicyImpactSchema,
  ...pageSchemas,
  CallerSchema,
]
