import { type Static, Type } from '@sinclair/typebox'
import { StringEnum, Text, Token, VisibleText } from './common'

export const BUSINESS_CRITICALITY = ['low', 'medium', 'high', 'mission_critical'] as const
export const DATA_CLASSIFICATION = ['public', 'internal', 'confidential', 'secret'] as const
export const LOAD_VARIABILITY = ['steady', 'moderate', 'high', 'extreme'] as const
export const ARCHITECTURE = ['monolith', 'modular', 'microservices', 'containerized'] as const
export const OPERATING_SYSTEM = ['linux', 'windows', 'other'] as const
export const RELEASE_FREQUENCY = ['yearly', 'quarterly', 'monthly', 'weekly', 'daily'] as const

export const ApplicationSchema = Type.Object(
  {
    name: VisibleText({ minLength: 1, maxLength: 200, description: 'Display name.' }),
    externalRef: Type.Optional(Text({ maxLength: 100, description: 'Procurement or case reference.' })),
    description: Type.Optional(Text({ maxLength: 2000 })),
  },
  { $id: 'Application', additionalProperties: false },
)
export type Application = Static<typeof ApplicationSchema>

const characteristicFields = {
  businessCriticality: StringEnum(BUSINESS_CRITICALITY),
  dataClassification: StringEnum(DATA_CLASSIFICATION),
  loadVariability: StringEnum(LOAD_VARIABILITY),
  architecture: StringEnum(ARCHITECTURE),
  peakToAverageRatio: Type.Number({ minimum: 1, maximum: 1000 }),
  availabilityTarget: Type.Number({ minimum: 90, maximum: 99.9999, description: 'Percent.' }),
  stateful: Type.Boolean(),
  operatingSystem: StringEnum(OPERATING_SYSTEM),
  requiresKernelCustomization: Type.Boolean(),
  releaseFrequency: StringEnum(RELEASE_FREQUENCY),
  internetFacing: Type.Boolean(),
}

/** The optional characteristics: a missing one is assumed and lowers confidence. */
export const OPTIONAL_CHARACTERISTICS = [
  'peakToAverageRatio',
  'availabilityTarget',
  'stateful',
  'operatingSystem',
  'requiresKernelCustomization',
  'releaseFrequency',
  'internetFacing',
] as const
export type OptionalCharacteristic = (typeof OPTIONAL_CHARACTERISTICS)[number]

export const CharacteristicsSchema = Type.Object(
  {
    businessCriticality: characteristicFields.businessCriticality,
    dataClassification: characteristicFields.dataClassification,
    loadVariability: characteristicFields.loadVariability,
    architecture: characteristicFields.architecture,
    peakToAverageRatio: Type.Optional(characteristicFields.peakToAverageRatio),
    availabilityTarget: Type.Optional(characteristicFields.availabilityTarget),
    stateful: Type.Optional(characteristicFields.stateful),
    operatingSystem: Type.Optional(characteristicFields.operatingSystem),
    requiresKernelCustomization: Type.Optional(characteristicFields.requiresKernelCustomization),
    releaseFrequency: Type.Optional(characteristicFields.releaseFrequency),
    internetFacing: Type.Optional(characteristicFields.internetFacing),
  },
  { $id: 'Characteristics', additionalProperties: false },
)
export type Characteristics = Static<typeof CharacteristicsSchema>

/** Characteristics with every optional field filled in (submitted or assumed). */
export const ResolvedCharacteristicsSchema = Type.Object(characteristicFields, {
  $id: 'ResolvedCharacteristics',
  additionalProperties: false,
  description: 'The characteristics as submitted, with assumed values made explicit.',
})
export type ResolvedCharacteristics = Static<typeof ResolvedCharacteristicsSchema>
export type CharacteristicName = keyof ResolvedCharacteristics
export const CHARACTERISTIC_NAMES = Object.keys(characteristicFields) as CharacteristicName[]

/**
 * The values each characteristic can take: its enumeration, both booleans, or 'number'.
 * Policies are checked against this, and counterfactual hints walk the enumerations in order.
 */
export const CHARACTERISTIC_VALUES: Record<CharacteristicName, readonly (string | boolean)[] | 'number'> = {
  businessCriticality: BUSINESS_CRITICALITY,
  dataClassification: DATA_CLASSIFICATION,
  loadVariability: LOAD_VARIABILITY,
  architecture: ARCHITECTURE,
  peakToAverageRatio: 'number',
  availabilityTarget: 'number',
  stateful: [false, true],
  operatingSystem: OPERATING_SYSTEM,
  requiresKernelCustomization: [false, true],
  releaseFrequency: RELEASE_FREQUENCY,
  internetFacing: [false, true],
}

export const DescriptorSchema = Type.Object(
  {
    application: Type.Ref(ApplicationSchema),
    characteristics: Type.Ref(CharacteristicsSchema),
    policyId: Type.Optional(
      Token({ minLength: 1, maxLength: 100, description: 'Default: the active policy.' }),
    ),
  },
  { $id: 'Descriptor', additionalProperties: false },
)
export type Descriptor = Static<typeof DescriptorSchema>
