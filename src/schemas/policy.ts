import { type Static, Type } from '@sinclair/typebox'
import { StringEnum } from './common'
import { CHARACTERISTIC_NAMES } from './descriptor'

const Code = Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,63}$', description: 'Stable machine code.' })
const Name = Type.String({ pattern: '^[a-z][a-zA-Z0-9_]{0,63}$' })

export const LocalizedTextSchema = Type.Object(
  {
    en: Type.String({ minLength: 1, maxLength: 1000 }),
    ko: Type.String({ minLength: 1, maxLength: 1000 }),
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
  },
  { $id: 'PolicyConstraint', additionalProperties: false },
)
export type Constraint = Static<typeof ConstraintSchema>

export const CriterionSchema = Type.Object(
  {
    name: Name,
    baseWeight: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
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
  },
  { $id: 'ConfidenceRules', additionalProperties: false },
)

export const PolicyDefinitionSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
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
  ConditionSchema,
  RuleSchema,
  ConstraintSchema,
  CriterionSchema,
  ConfidenceRulesSchema,
  PolicyDefinitionSchema,
  PolicySummarySchema,
  PolicyDocumentSchema,
]
