import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { Nullable, PlatformNumbersSchema, StringEnum, Token, VisibleText } from './common'
import { ApplicationSchema, OPTIONAL_CHARACTERISTICS, ResolvedCharacteristicsSchema } from './descriptor'
import { EFFORT_CLASSES, LocalizedTextSchema, READINESS_VERDICTS } from './policy'

export const CONFIDENCE = ['high', 'medium', 'low'] as const
export const OUTCOMES = ['clear', 'no_clear_preference', 'no_eligible_platform'] as const

const CriterionResultSchema = Type.Object(
  {
    name: Type.String(),
    weight: Type.Number({ description: 'Normalised weight; the weights of a decision sum to 1.' }),
    scores: Type.Ref(PlatformNumbersSchema, { description: 'Rating 0..100 of each platform.' }),
    contributions: Type.Ref(PlatformNumbersSchema, {
      description:
        'weight x rating: what this criterion adds to each platform score. Under model 2 the shown contributions add up exactly to the shown score.',
    }),
    role: Type.Optional(
      StringEnum(['fit', 'transition'] as const, {
        description: 'Model 2: transition criteria (the cost of the move) are weighted 0 in the target.',
      }),
    ),
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

const EffortSchema = StringEnum(EFFORT_CLASSES)
const VerdictSchema = StringEnum(READINESS_VERDICTS)

const ExactFiguresSchema = Type.Object(
  {
    scores: Type.Ref(PlatformNumbersSchema),
    weights: Type.Record(Type.String(), Type.Number(), { description: 'Per criterion.' }),
    margin: Nullable(Type.Number()),
  },
  {
    $id: 'ExactFigures',
    additionalProperties: false,
    description: 'The unrounded figures the shown ones are rounded from (model 2).',
  },
)

/** Model 2 parts of a decision that carry text: `message` is both languages stored, one shown. */
function modelTwoFields<M extends TSchema>(message: M) {
  const Blocker = Type.Object(
    {
      code: Type.String(),
      status: StringEnum(['applies', 'unanswered'] as const, {
        description: 'applies: the submitted facts meet it; unanswered: a fact it needs was not given.',
      }),
      verdict: VerdictSchema,
      clearedBy: Type.Optional(EffortSchema),
      message,
    },
    { additionalProperties: false },
  )
  return {
    model: Type.Optional(Type.Integer({ description: 'The decision model that made it; absent: model 1.' })),
    outcome: Type.Optional(
      StringEnum(OUTCOMES, {
        description:
          'clear; no_clear_preference (candidates within the policy’s tie margin); no_eligible_platform (every platform is ruled out: the recommendation is only the best score and needs review).',
      }),
    ),
    candidates: Type.Optional(
      Type.Array(Type.String(), {
        description: 'The recommendation and every eligible platform within the tie margin of it.',
      }),
    ),
    runnerUp: Type.Optional(
      Nullable(
        Type.String({
          description:
            'The platform `margin` is measured against: the best other platform no lasting blocker rules out that scores no higher.',
        }),
      ),
    ),
    scoreWinner: Type.Optional(Type.String({ description: 'The best fit score before eligibility.' })),
    overruledBy: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Codes of what ruled the score winner out; empty if nothing did.',
      }),
    ),
    target: Type.Optional(
      Type.String({
        description: 'Where it should end up: the platform that fits its lasting characteristics.',
      }),
    ),
    effort: Type.Optional(EffortSchema),
    interim: Type.Optional(
      Nullable(
        Type.String({
          description: 'Where to run it until the move to the target (a re-architecture) is done.',
        }),
      ),
    ),
    efforts: Type.Optional(
      Type.Record(Type.String(), EffortSchema, { description: 'Per platform: the effort of the move.' }),
    ),
    readiness: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object(
          { verdict: VerdictSchema, blockers: Type.Array(Blocker) },
          { additionalProperties: false },
        ),
        { description: 'Per platform: its readiness for the application as it is today, and why.' },
      ),
    ),
    conflicts: Type.Optional(
      Type.Array(
        Type.Object(
          {
            code: Type.String(),
            scoreWinner: Type.String(),
            recommendation: Type.String(),
            message,
            requires: message,
          },
          { additionalProperties: false },
        ),
        { description: 'Gates that overruled the scores: what the policy keeps the application from.' },
      ),
    ),
    alternative: Type.Optional(
      Nullable(
        Type.Object(
          {
            platform: Type.String(),
            score: Type.Number(),
            eligible: Type.Boolean(),
            requires: Nullable(message),
          },
          {
            additionalProperties: false,
            description:
              'The platform a planner would weigh against the recommendation, and what would have to hold for it.',
          },
        ),
      ),
    ),
    exact: Type.Optional(Type.Ref(ExactFiguresSchema)),
  }
}

/** A decision as the engine makes it and the store keeps it: messages in both languages. */
function decisionFields<M extends TSchema>(message: M) {
  return {
    application: Type.Ref(ApplicationSchema),
    characteristics: Type.Ref(ResolvedCharacteristicsSchema),
    assumed: Type.Array(StringEnum(OPTIONAL_CHARACTERISTICS), {
      description: 'Optional characteristics that were not submitted and were assumed.',
    }),
    recommendation: Type.String({
      description:
        'One platform of the policy that made it (its `platforms`); the built-in ones: hypervisor, container, sandboxed_container.',
      examples: ['hypervisor', 'container'],
    }),
    confidence: StringEnum(CONFIDENCE),
    scores: Type.Ref(PlatformNumbersSchema),
    margin: Nullable(
      Type.Number({ description: 'Score difference between the top two eligible platforms.' }),
    ),
    criteria: Type.Array(Type.Ref(CriterionResultSchema)),
    constraints: Type.Array(
      Type.Object(
        {
          code: Type.String(),
          excludes: Type.Array(Type.String()),
          message,
          kind: Type.Optional(
            StringEnum(['constraint', 'readiness', 'gate'] as const, {
              description: 'Model 2: a readiness blocker or a gate of the policy.',
            }),
          ),
        },
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
    ...modelTwoFields(message),
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
    outcome: Type.Optional(fromTo(Nullable(StringEnum(OUTCOMES)))),
    interim: Type.Optional(fromTo(Nullable(Type.String()))),
    readiness: Type.Optional(
      Type.Record(Type.String(), fromTo(Nullable(VerdictSchema)), {
        description: 'Per platform; null where a decision has no readiness (model 1) or lacks the platform.',
      }),
    ),
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
    keyId: Type.String({
      description:
        'The API key that recorded it: a submitter of the assessment’s org, or an admin (admins act for the whole deployment).',
    }),
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
  ExactFiguresSchema,
  CriterionResultSchema,
  SensitivitySchema,
  PolicyRefSchema,
  ChangesSchema,
  OverrideRequestSchema,
  OverrideSchema,
]
