import { type Static, Type } from '@sinclair/typebox'
import { StringEnum, Text } from './common'
import { CHARACTERISTIC_NAMES } from './descriptor'

/** Decision models: 1, a weighted sum with hard constraints (the first release); 2, see decide(). */
export const DECISION_MODELS = [1, 2] as const
export type DecisionModel = (typeof DECISION_MODELS)[number]

/**
 * The effort of moving an application as it is today onto a platform, cheapest first (after
 * the migration strategies of the cloud assessors: rehost, replatform, refactor, re-architect).
 * From `refactor` on, the move costs a re-architecture.
 */
export const EFFORT_CLASSES = ['none', 'rehost', 'replatform', 'refactor', 'rearchitect'] as const
export type EffortClass = (typeof EFFORT_CLASSES)[number]

/** A platform's readiness for the application as it is, best first (Azure Migrate's classes). */
export const READINESS_VERDICTS = ['ready', 'ready_with_conditions', 'unknown', 'not_ready'] as const
export type ReadinessVerdict = (typeof READINESS_VERDICTS)[number]

const Code = Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,63}$', description: 'Stable machine code.' })
const Name = Type.String({ pattern: '^[a-z][a-zA-Z0-9_]{0,63}$' })

export const LocalizedTextSchema = Type.Object(
  {
    en: Text({ minLength: 1, maxLength: 1000 }),
    ko: Text({ minLength: 1, maxLength: 1000 }),
  },
  {
    $id: 'LocalizedText',
    additionalProperties: false,
    description: 'English and Korean text; `{field}` is replaced by that characteristic.',
  },
)
export type LocalizedText = Static<typeof LocalizedTextSchema>

/** A test on one characteristic. All given tests must hold (`in`, `gte`, `lt`). */
export const ConditionSchema = Type.Object(
  {
    field: StringEnum(CHARACTERISTIC_NAMES),
    in: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Boolean()]), { minItems: 1, maxItems: 20 })),
    gte: Type.Optional(Type.Number()),
    lt: Type.Optional(Type.Number()),
  },
  { $id: 'PolicyCondition', additionalProperties: false },
)
export type Condition = Static<typeof ConditionSchema>

const Conditions = Type.Array(Type.Ref(ConditionSchema), { minItems: 1, maxItems: 10 })

const SourceId = Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,63}$' })
const SourceRefs = Type.Array(SourceId, {
  minItems: 1,
  maxItems: 10,
  description: 'Where this comes from: keys of the policy’s `sources`.',
})

export const SourceSchema = Type.Object(
  {
    kind: StringEnum(['paper', 'practice', 'assumption'] as const, {
      description:
        'paper: a passage of the source paper; practice: a named external assessment practice; assumption: the project’s own.',
    }),
    title: Text({ minLength: 1, maxLength: 300 }),
    section: Type.Optional(Text({ maxLength: 100, description: 'Where in the paper.' })),
    passage: Type.Optional(
      Text({ maxLength: 2000, description: 'The paper’s own words (Korean), for kind paper.' }),
    ),
    gloss: Text({
      minLength: 1,
      maxLength: 2000,
      description: 'In English: what it says and how it is used.',
    }),
  },
  { $id: 'PolicySource', additionalProperties: false },
)
export type Source = Static<typeof SourceSchema>

export const RuleSchema = Type.Object(
  {
    code: Code,
    when: Conditions,
    weights: Type.Optional(
      Type.Record(Type.String(), Type.Number({ minimum: -10, maximum: 10 }), {
        description: 'Added to the raw weight of each named criterion.',
      }),
    ),
    ratings: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Number({ minimum: -100, maximum: 100 })), {
        description: 'Added to a platform rating, per platform then criterion (clamped 0..100).',
      }),
    ),
    message: Type.Ref(LocalizedTextSchema),
    source: Type.Optional(SourceRefs),
  },
  { $id: 'PolicyRule', additionalProperties: false },
)
export type Rule = Static<typeof RuleSchema>

export const ConstraintSchema = Type.Object(
  {
    code: Code,
    when: Conditions,
    exclude: Type.Array(Type.String(), { minItems: 1 }),
    message: Type.Ref(LocalizedTextSchema),
    source: Type.Optional(SourceRefs),
  },
  { $id: 'PolicyConstraint', additionalProperties: false },
)
export type Constraint = Static<typeof ConstraintSchema>

export const ReadinessCheckSchema = Type.Object(
  {
    code: Code,
    platforms: Type.Array(Type.String(), {
      minItems: 1,
      maxItems: 10,
      description: 'Platforms it concerns.',
    }),
    when: Type.Array(Type.Ref(ConditionSchema), {
      minItems: 1,
      maxItems: 10,
      description:
        'Tested on the characteristics as submitted: a condition on an unanswered one is unknown, never assumed.',
    }),
    verdict: StringEnum(['not_ready', 'ready_with_conditions', 'unknown'] as const, {
      description: 'What the platform’s readiness becomes when every condition holds.',
    }),
    clearedBy: Type.Optional(
      StringEnum(EFFORT_CLASSES, {
        description:
          'The effort that removes this blocker. Without it, a not_ready verdict rules the platform out as a target; with it, the platform can still be the target, at that effort.',
      }),
    ),
    message: Type.Ref(LocalizedTextSchema),
    source: Type.Optional(SourceRefs),
  },
  { $id: 'ReadinessCheck', additionalProperties: false },
)
export type ReadinessCheck = Static<typeof ReadinessCheckSchema>

export const GateSchema = Type.Object(
  {
    code: Code,
    when: Conditions,
    restrict: Type.Array(Type.String(), {
      minItems: 1,
      maxItems: 10,
      description:
        'Platforms the application may not be placed on while `when` holds, unless `unless` holds.',
    }),
    unless: Type.Optional(
      Type.Array(Type.Ref(ConditionSchema), {
        minItems: 1,
        maxItems: 10,
        description: 'The conditions under which the policy admits the restricted platforms after all.',
      }),
    ),
    message: Type.Ref(LocalizedTextSchema),
    requires: Type.Ref(LocalizedTextSchema, {
      description: 'What would have to hold for a restricted platform: shown with the alternative.',
    }),
    source: Type.Optional(SourceRefs),
  },
  { $id: 'PolicyGate', additionalProperties: false },
)
export type Gate = Static<typeof GateSchema>

export const TransitionSchema = Type.Object(
  {
    effort: Type.Record(Type.String(), Type.Record(Type.String(), StringEnum(EFFORT_CLASSES)), {
      description: 'Per platform, per architecture: the effort of moving the application there as it is.',
    }),
    interimFrom: StringEnum(EFFORT_CLASSES, {
      description:
        'From this effort on, the answer names an interim placement to run on until the move is done.',
    }),
    source: Type.Optional(SourceRefs),
  },
  { $id: 'PolicyTransition', additionalProperties: false },
)
export type Transition = Static<typeof TransitionSchema>

export const CriterionSchema = Type.Object(
  {
    name: Name,
    baseWeight: Type.Number({ minimum: 0, maximum: 10 }),
    description: Type.Optional(Text({ maxLength: 1000 })),
    role: Type.Optional(
      StringEnum(['fit', 'transition'] as const, {
        description:
          'fit (default): a lasting property that decides the target. transition: the cost of the move, shown and used for sensitivity but weighted 0 (model 2 only).',
      }),
    ),
    source: Type.Optional(SourceRefs),
  },
  { $id: 'PolicyCriterion', additionalProperties: false },
)

export const ConfidenceRulesSchema = Type.Object(
  {
    highMargin: Type.Number({ minimum: 0, maximum: 100, description: 'Margin needed for high.' }),
    mediumMargin: Type.Number({ minimum: 0, maximum: 100, description: 'Margin needed for medium.' }),
    maxAssumedForHigh: Type.Integer({ minimum: 0, description: 'Assumed inputs allowed at high.' }),
    insufficientAssumed: Type.Integer({
      minimum: 1,
      description: 'From this many assumed inputs on, the answer says the data is insufficient.',
    }),
    tieMargin: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 100,
        description: 'Model 2: platforms whose scores differ by less than this are "no clear preference".',
      }),
    ),
    source: Type.Optional(SourceRefs),
  },
  { $id: 'ConfidenceRules', additionalProperties: false },
)

export const PolicyDefinitionSchema = Type.Object(
  {
    model: Type.Optional(
      Type.Unsafe<DecisionModel>({
        type: 'integer',
        enum: [...DECISION_MODELS],
        description:
          'Decision model: 1 (default; weighted sum with hard constraints) or 2 (readiness, gates, target and transition). Pins how the policy decides, so old decisions replay identically.',
      }),
    ),
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    description: Text({ minLength: 1, maxLength: 4000 }),
    platforms: Type.Array(Name, { minItems: 2, maxItems: 10, uniqueItems: true }),
    criteria: Type.Array(Type.Ref(CriterionSchema), { minItems: 1, maxItems: 20 }),
    ratings: Type.Record(
      Type.String(),
      Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 100 })),
      { description: 'Capability rating 0..100 of each platform on each criterion.' },
    ),
    rules: Type.Array(Type.Ref(RuleSchema), { maxItems: 200 }),
    constraints: Type.Array(Type.Ref(ConstraintSchema), { maxItems: 50 }),
    confidence: Type.Ref(ConfidenceRulesSchema),
    readiness: Type.Optional(Type.Array(Type.Ref(ReadinessCheckSchema), { maxItems: 100 })),
    gates: Type.Optional(Type.Array(Type.Ref(GateSchema), { maxItems: 20 })),
    transition: Type.Optional(Type.Ref(TransitionSchema)),
    actionable: Type.Optional(
      Type.Array(StringEnum(CHARACTERISTIC_NAMES), {
        maxItems: 40,
        uniqueItems: true,
        description:
          'Characteristics a planner can change or answer: the only ones hints are given for (model 2).',
      }),
    ),
    sources: Type.Optional(
      Type.Record(SourceId, Type.Ref(SourceSchema), { description: 'Provenance, referred to by `source`.' }),
    ),
    ratingSources: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), SourceRefs), {
        description: 'Per platform and criterion: where the rating comes from.',
      }),
    ),
  },
  { $id: 'PolicyDefinition', additionalProperties: false },
)
export type PolicyDefinition = Static<typeof PolicyDefinitionSchema>

/** A policy version as the engine uses it: immutable content plus its identity. */
export type Policy = PolicyDefinition & { id: string; version: number }

const identity = {
  id: Type.String({ description: 'Names one immutable policy version.' }),
  version: Type.Integer({ minimum: 1, description: 'Counts the versions that share a name.' }),
  active: Type.Boolean({ description: 'Whether new decisions use it by default.' }),
  builtIn: Type.Boolean({ description: 'Shipped with the service rather than created through the API.' }),
  createdAt: Type.String({ format: 'date-time' }),
}

export const PolicySummarySchema = Type.Object(
  {
    id: identity.id,
    version: identity.version,
    name: PolicyDefinitionSchema.properties.name,
    description: PolicyDefinitionSchema.properties.description,
    platforms: PolicyDefinitionSchema.properties.platforms,
    active: identity.active,
    builtIn: identity.builtIn,
    createdAt: identity.createdAt,
  },
  { $id: 'PolicySummary', additionalProperties: false },
)
export type PolicySummary = Static<typeof PolicySummarySchema>

export const PolicyDocumentSchema = Type.Object(
  { ...PolicyDefinitionSchema.properties, ...identity },
  {
    $id: 'Policy',
    additionalProperties: false,
    description: 'A policy version and everything it decides by.',
  },
)
export type PolicyDocument = Static<typeof PolicyDocumentSchema>

export const policySchemas = [
  SourceSchema,
  ReadinessCheckSchema,
  GateSchema,
  TransitionSchema,
  ConditionSchema,
  RuleSchema,
  ConstraintSchema,
  CriterionSchema,
  ConfidenceRulesSchema,
  PolicyDefinitionSchema,
  PolicySummarySchema,
  PolicyDocumentSchema,
]

export const PolicyImpactSchema = Type.Object(
  {
    policy: Type.Object({ id: Type.String(), version: Type.Integer() }, { additionalProperties: false }),
    checked: Type.Integer({ description: 'Stored assessments the filters selected.' }),
    changed: Type.Integer({ description: 'How many would get another recommendation under this policy.' }),
    unchanged: Type.Integer(),
    byChange: Type.Array(
      Type.Object(
        { from: Type.String(), to: Type.String(), count: Type.Integer() },
        { additionalProperties: false },
      ),
      { description: 'Changes by direction, most frequent first.' },
    ),
    items: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          application: Type.String(),
          org: Type.String(),
          policy: Type.Object(
            { id: Type.String(), version: Type.Integer() },
            { additionalProperties: false },
          ),
          from: Type.String(),
          to: Type.String(),
        },
        { additionalProperties: false },
      ),
      { description: 'The changed assessments, newest first (at most 1000; see truncated).' },
    ),
    truncated: Type.Boolean(),
    tookMs: Type.Integer(),
  },
  { $id: 'PolicyImpact', additionalProperties: false, description: 'Nothing is stored.' },
)
