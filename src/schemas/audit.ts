import { type Static, Type } from '@sinclair/typebox'
import { AUDIT_KINDS } from '../audit-log/entry'
import { Nullable, StringEnum, Token } from './common'

const Hash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, hex.' })

export const AuditEntrySchema = Type.Object(
  {
    seq: Type.Integer({ minimum: 1, description: 'Position in the log: 1, 2, … without gaps.' }),
    kind: StringEnum(AUDIT_KINDS),
    recordId: Type.String({ description: 'The id of the record (for an activation, its sequence number).' }),
    org: Nullable(Type.String()),
    keyId: Nullable(Type.String({ description: 'The API key that made it; null for the CLI.' })),
    createdAt: Type.String({ format: 'date-time' }),
    contentHash: Hash,
    prevHash: Hash,
    hash: Hash,
  },
  {
    $id: 'AuditEntry',
    additionalProperties: false,
    description:
      'contentHash = SHA-256("placement-audit-record v1\\n" + canonical JSON {kind, record}); hash = SHA-256("placement-audit-entry v1\\n" + canonical JSON of the other fields).',
  },
)

export const CheckpointSchema = Type.Object(
  {
    size: Type.Integer({ minimum: 1, description: 'Entries covered.' }),
    rootHash: Hash,
    createdAt: Type.String({ format: 'date-time' }),
    keyId: Type.String(),
    publicKey: Type.String({ description: 'Ed25519 public key, SPKI PEM.' }),
    signature: Type.String({
      description:
        'Ed25519 over "placement-audit-checkpoint v1\\nsize <size>\\nroot <rootHash>\\ntime <createdAt>\\n", base64.',
    }),
  },
  { $id: 'Checkpoint', additionalProperties: false, description: 'A signed head of the audit log.' },
)

export const VerifyResultSchema = Type.Object(
  {
    ok: Type.Boolean(),
    checked: Type.Integer({ description: 'Entries checked.' }),
    firstInvalidId: Nullable(
      Type.String({ description: 'The first record found altered, missing or out of place.' }),
    ),
    reason: Nullable(Type.String()),
    size: Type.Integer(),
    headHash: Type.String(),
    checkpoint: Nullable(
      Type.Object(
        {
          size: Type.Integer(),
          rootHash: Type.String(),
          keyId: Type.String(),
          signatureValid: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'VerifyResult', additionalProperties: false },
)
export type VerifyResultBody = Static<typeof VerifyResultSchema>

export const AuditStatusSchema = Type.Object(
  {
    size: Type.Integer(),
    headHash: Type.String(),
    latestCheckpoint: Nullable(Type.Ref(CheckpointSchema)),
    publicKey: Type.String({ description: 'The key checkpoints are signed with (SPKI PEM): keep it.' }),
    keyId: Type.String(),
    checkpointEvery: Type.Integer(),
    checkpointSeconds: Type.Integer(),
    retentionDays: Nullable(Type.Integer({ description: 'null: nothing is ever removed.' })),
    retentionRuns: Type.Integer(),
  },
  { $id: 'AuditStatus', additionalProperties: false },
)

export const ProofSchema = Type.Object(
  {
    record: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The stored row, every column (dates as ISO strings): hashes to entry.contentHash.',
    }),
    entry: Type.Ref(AuditEntrySchema),
    following: Type.Array(Type.Ref(AuditEntrySchema)),
    checkpoint: Type.Ref(CheckpointSchema),
  },
  {
    $id: 'AuditProof',
    additionalProperties: false,
    description:
      'Hash the record to entry.contentHash, then each entry in turn; the last hash must be the checkpoint root.',
  },
)

export const EventsQuerySchema = Type.Object(
  {
    kind: Type.Optional(StringEnum(AUDIT_KINDS)),
    org: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    keyId: Type.Optional(Token({ minLength: 1, maxLength: 64 })),
    recordId: Type.Optional(Token({ minLength: 1, maxLength: 64 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Token({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
)

export const VerifyQuerySchema = Type.Object(
  {
    size: Type.Optional(Type.Integer({ minimum: 1, description: 'A kept checkpoint’s size…' })),
    rootHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: '…and its root hash.' })),
  },
  { additionalProperties: false },
)

export const auditSchemas = [
  AuditEntrySchema,
  CheckpointSchema,
  VerifyResultSchema,
  AuditStatusSchema,
  ProofSchema,
]
