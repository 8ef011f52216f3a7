import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { Nullable, PlatformNumbersSchema, StringEnum } from './common'
import { ApplicationSchema, ResolvedCharacteristicsSchema } from './descriptor'
import { LocalizedTextSchema } from './policy'

export const CONFIDENCE = ['high', 'medium', 'low'] as const

const CriterionResultSchema = Type.Object(
  {
    name: Type.String(),
    weight: Type.Number({ description: 'Normalised weight; the weights of a decision sum to 1.' }),
    scores: Type.Ref(PlatformNumbersSchema, { description: 'Rating 0..100 of each platform.' }),
    contributions: Type.Ref(PlatformNumbersSchema, {
      description: 'weight x rating: what this criterion adds to each platform score.',
    }),
  },
  { $id: 'CriterionResult', additionalProperties: false },
)

const SensitivitySchema = Type.Object(
  {
    criterion: Type.String(),
    flipsAtWeight: Nullable(
      Type.Number({
        description:
          'The weight (others rescaled in proportion) at which the recommendation changes; null if never within 0..1.',
      }),
    ),
  },
  { $id: 'Sensitivity', additionalProperties: false },
)

const PolicyRefSchema = Type.Object(
  { id: Type.String(), version: Type.Integer() },
  { $id: 'PolicyRef', additionalProperties: false },
)

/** A decision as the engine makes it and the store keeps it: messages in both languages. */
function decisionFields<M extends TSchema>(message: M) {
  return {
    application: Type.Ref(ApplicationSchema),
    characteristics: Type.Ref(ResolvedCharacteristicsSchema),
    assumed: Type.Array(Type.String(), {
      description: 'Optional characteristics that were not submitted and were assumed.',
    }),
    recommendation: Type.String({ description: 'One platform of the policy.' }),
    confidence: StringEnum(CONFIDENCE),
    scores: Type.Ref(PlatformNumbersSchema),
    margin: Nullable(
      Type.Number({ description: 'Score difference between the top two eligible platforms.' }),
    ),
    criteria: Type.Array(Type.Ref(CriterionResultSchema)),
    constraints: Type.Array(
      Type.Object(
        { code: Type.String(), excludes: Type.Array(Type.String()), message },
        { additionalProperties: false },
      ),
    ),
    rationale: Type.Array(Type.Object({ code: Type.String(), message }, { additionalProperties: false })),
    sensitivity: Type.Array(Type.Ref(SensitivitySchema)),
    policy: Type.Ref(PolicyRefSchema),
  }
}

export const DecisionSchema = Type.Object(decisionFields(Type.Ref(LocalizedTextSchema)), {
  additionalProperties: false,
})
export type Decision = Static<typeof DecisionSchema>

export const EvaluationSchema = Type.Object(decisionFields(Type.String()), {
  $id: 'Evaluation',
  additionalProperties: false,
  description: 'A decision; messages in the language asked for by Accept-Language.',
})
export type Evaluation = Static<typeof EvaluationSchema>

export const AssessmentSchema = Type.Object(
  {
    id: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    org: Type.String(),
    ...decisionFields(Type.String()),
  },
  { $id: 'Assessment', additionalProperties: false, description: 'A stored decision.' },
)
export type Assessment = Static<typeof AssessmentSchema>

export const decisionSchemas = [CriterionResultSchema, SensitivitySchema, PolicyRefSchema]
