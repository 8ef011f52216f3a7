import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { Nullable, PlatformNumbersSchema, StringEnum, Token, VisibleText } from './common'
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
    counterfactuals: Type.Array(
      Type.Object(
        {
          field: Type.String(),
          value: Type.Union([Type.String(), Type.Boolean()]),
          recommendation: Type.String(),
          message,
        },
        { additionalProperties: false },
      ),
      {
        description:
          'The nearest change of one characteristic, all else equal, that would change the recommendation.',
      },
    ),
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

const fromTo = <T extends TSchema>(schema: T) =>
  Type.Object({ from: schema, to: schema }, { additionalProperties: false })

export const ChangesSchema = Type.Object(
  {
    recommendation: fromTo(Type.String()),
    confidence: fromTo(StringEnum(CONFIDENCE)),
    margin: fromTo(Nullable(Type.Number())),
    policy: fromTo(Type.Ref(PolicyRefSchema)),
    scores: Type.Record(Type.String(), fromTo(Nullable(Type.Number())), {
      description: 'Per platform of either policy; null where a policy lacks the platform.',
    }),
  },
  { $id: 'Changes', additionalProperties: false, description: 'What a re-evaluation changed.' },
)
export type Changes = Static<typeof ChangesSchema>

export const OVERRIDE_REASON_CODES = [
  'vendor_support',
  'licensing',
  'existing_contract',
  'security_review',
  'performance',
  'cost',
  'data_residency',
  'policy_exception',
  'other',
] as const

export const OverrideRequestSchema = Type.Object(
  {
    placement: Token({ minLength: 1, maxLength: 64, description: 'A platform of the assessment’s policy.' }),
    reasonCode: StringEnum(OVERRIDE_REASON_CODES),
    reason: VisibleText({ minLength: 1, maxLength: 2000, description: 'Why, for the audit record.' }),
  },
  { $id: 'OverrideRequest', additionalProperties: false },
)
export type OverrideRequest = Static<typeof OverrideRequestSchema>

export const OverrideSchema = Type.Object(
  {
    id: Type.String(),
    assessmentId: Type.String(),
    org: Type.String(),
    recommendation: Type.String({ description: 'The original recommendation, which stays on record.' }),
    placement: Type.String(),
    reasonCode: StringEnum(OVERRIDE_REASON_CODES),
    reason: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  {
    $id: 'Override',
    additionalProperties: false,
    description: 'A recorded final placement that differs from the recommendation.',
  },
)
export type Override = Static<typeof OverrideSchema>

export const AssessmentSchema = Type.Object(
  {
    id: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    org: Type.String(),
    ...decisionFields(Type.String()),
    supersedes: Nullable(Type.String({ description: 'The assessment this one re-evaluates.' })),
    changes: Type.Optional(Type.Ref(ChangesSchema)),
    stale: Type.Boolean({ description: 'Made under a policy that is no longer the active one.' }),
    overrides: Type.Array(Type.Ref(OverrideSchema), { description: 'Oldest first.' }),
    finalPlacement: Type.String({ description: 'The latest override’s placement, else the recommendation.' }),
  },
  { $id: 'Assessment', additionalProperties: false, description: 'A stored decision.' },
)
export type Assessment = Static<typeof AssessmentSchema>

export const decisionSchemas = [
  CriterionResultSchema,
  SensitivitySchema,
  PolicyRefSchema,
  ChangesSchema,
  OverrideRequestSchema,
  OverrideSchema,
]
