import { type Static, type TOptional, type TUnsafe, Type } from '@sinclair/typebox'
import { StringEnum, Text, Token, VisibleText } from './common'

export const BUSINESS_CRITICALITY = ['low', 'medium', 'high', 'mission_critical'] as const
export const DATA_CLASSIFICATION = ['public', 'internal', 'confidential', 'secret'] as const
export const LOAD_VARIABILITY = ['steady', 'moderate', 'high', 'extreme'] as const
export const ARCHITECTURE = ['monolith', 'modular', 'microservices', 'containerized'] as const
export const OPERATING_SYSTEM = ['linux', 'windows', 'other'] as const
export const RELEASE_FREQUENCY = ['yearly', 'quarterly', 'monthly', 'weekly', 'daily'] as const
/** A readiness blocker's answer: `yes`, the blocker is present. A missing answer is `unknown`. */
export const BLOCKER_ANSWERS = ['no', 'unknown', 'yes'] as const
export type BlockerAnswer = (typeof BLOCKER_ANSWERS)[number]

/**
 * Readiness blockers: facts that can rule a platform out, as the assessment practices agencies
 * use ask them (Konveyor's Pathfinder questionnaire, Azure Migrate readiness, Google's fit
 * assessment, AWS's container anti-patterns). Each is answered yes, no or unknown, and none is
 * ever assumed away. Policies of model 2 turn them into readiness verdicts, apart from the scores.
 */
export const BLOCKERS = {
  vendorForbidsContainers: 'The vendor does not support running it in containers (packaged software).',
  hostBoundLicensing: 'Its licences are bound to hosts, sockets or CPU counts.',
  specialHardware: 'It needs special hardware: an HSM, a dongle, USB or serial devices, a GPU.',
  privilegedAccess: 'It needs privileged mode, root on the host or host capabilities.',
  localState: 'It keeps state on local disk or in shared memory.',
  fixedNetworkIdentity: 'It depends on fixed IP addresses, non-IP protocols or IP addresses in payloads.',
  staticClustering: 'Its cluster members are configured statically.',
  uncleanRestart: 'It cannot be stopped and restarted at any moment without harm, or takes minutes to start.',
  osEndOfLife: 'Its operating system version is past its end of life.',
  nonX86Platform:
    'It needs a non-x86 CPU or an OS that only such hardware runs (SPARC, POWER, Itanium; AIX, Solaris on SPARC, HP-UX).',
} as const
export type BlockerName = keyof typeof BLOCKERS
export const BLOCKER_NAMES = Object.keys(BLOCKERS) as BlockerName[]

const blocker = (name: BlockerName): TUnsafe<BlockerAnswer> =>
  StringEnum(BLOCKER_ANSWERS, { description: `${BLOCKERS[name]} yes, no or unknown (the default).` })
const blockerFields = {
  vendorForbidsContainers: blocker('vendorForbidsContainers'),
  hostBoundLicensing: blocker('hostBoundLicensing'),
  specialHardware: blocker('specialHardware'),
  privilegedAccess: blocker('privilegedAccess'),
  localState: blocker('localState'),
  fixedNetworkIdentity: blocker('fixedNetworkIdentity'),
  staticClustering: blocker('staticClustering'),
  uncleanRestart: blocker('uncleanRestart'),
  osEndOfLife: blocker('osEndOfLife'),
  nonX86Platform: blocker('nonX86Platform'),
} satisfies Record<BlockerName, TUnsafe<BlockerAnswer>>
const optionalBlockers = Object.fromEntries(
  BLOCKER_NAMES.map((name) => [name, Type.Optional(blockerFields[name])]),
) as { [K in BlockerName]: TOptional<TUnsafe<BlockerAnswer>> }

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
    ...optionalBlockers,
  },
  { $id: 'Characteristics', additionalProperties: false },
)
export type Characteristics = Static<typeof CharacteristicsSchema>

/**
 * Characteristics with every optional field filled in (submitted or assumed). Blockers are
 * present as submitted; under a policy of model 2, every blocker is present and a missing one
 * is `unknown`. Keys come in one fixed order, the order of this schema.
 */
export const ResolvedCharacteristicsSchema = Type.Object(
  { ...characteristicFields, ...optionalBlockers },
  {
    $id: 'ResolvedCharacteristics',
    additionalProperties: false,
    description: 'The characteristics as submitted, with assumed values and unknown blockers made explicit.',
  },
)
export type ResolvedCharacteristics = Static<typeof ResolvedCharacteristicsSchema>
export type CharacteristicName = keyof ResolvedCharacteristics
export const CHARACTERISTIC_NAMES = [
  ...Object.keys(characteristicFields),
  ...BLOCKER_NAMES,
] as CharacteristicName[]

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
  ...(Object.fromEntries(BLOCKER_NAMES.map((name) => [name, BLOCKER_ANSWERS])) as Record<
    BlockerName,
    typeof BLOCKER_ANSWERS
  >),
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
