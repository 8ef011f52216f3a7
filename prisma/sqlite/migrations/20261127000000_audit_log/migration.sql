-- The audit log (see prisma/models.prisma): entries, the head writers lock, signed checkpoints,
-- retention runs. Key revocations become records of their own, so that no logged table is ever
-- updated; then triggers make every logged table append-only for whoever connects.

-- CreateTable
CREATE TABLE "api_key_revocations" (
    "keyId" TEXT NOT NULL PRIMARY KEY,
    "revokedAt" DATETIME NOT NULL,
    CONSTRAINT "api_key_revocations_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "api_keys" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "audit_log" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "org" TEXT,
    "keyId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "contentHash" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "audit_head" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "size" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rootHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "keyId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "signature" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "audit_retentions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cutoff" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "removedAssessments" INTEGER NOT NULL,
    "removedOverrides" INTEGER NOT NULL,
    "checkpointSize" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "audit_retention_grant" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT
);

-- CreateIndex
CREATE INDEX "audit_log_org_seq_idx" ON "audit_log"("org", "seq");

-- CreateIndex
CREATE INDEX "audit_log_createdAt_idx" ON "audit_log"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_kind_recordId_key" ON "audit_log"("kind", "recordId");

-- Revocations made before this release move to their own table.
INSERT INTO "api_key_revocations" ("keyId", "revokedAt") SELECT "id", "revokedAt" FROM "api_keys" WHERE "revokedAt" IS NOT NULL;
ALTER TABLE "api_keys" DROP COLUMN "revokedAt";

-- The empty log: sequence 0, the all-zero hash.
INSERT INTO "audit_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: UPDATE and DELETE are refused (expired assessments and overrides may go only
-- inside a retention run, which holds a row of audit_retention_grant for its transaction).
CREATE TRIGGER "assessments_append_only_update" BEFORE UPDATE ON "assessments" BEGIN SELECT RAISE(ABORT, 'assessments is append-only: rows cannot be changed'); END;
CREATE TRIGGER "assessments_append_only_delete" BEFORE DELETE ON "assessments" WHEN NOT EXISTS (SELECT 1 FROM "audit_retention_grant") BEGIN SELECT RAISE(ABORT, 'assessments is append-only: rows are removed only by a retention run'); END;
CREATE TRIGGER "overrides_append_only_update" BEFORE UPDATE ON "overrides" BEGIN SELECT RAISE(ABORT, 'overrides is append-only: rows cannot be changed'); END;
CREATE TRIGGER "overrides_append_only_delete" BEFORE DELETE ON "overrides" WHEN NOT EXISTS (SELECT 1 FROM "audit_retention_grant") BEGIN SELECT RAISE(ABORT, 'overrides is append-only: rows are removed only by a retention run'); END;
CREATE TRIGGER "policies_append_only_update" BEFORE UPDATE ON "policies" BEGIN SELECT RAISE(ABORT, 'policies is append-only: rows cannot be changed'); END;
CREATE TRIGGER "policies_append_only_delete" BEFORE DELETE ON "policies" BEGIN SELECT RAISE(ABORT, 'policies is append-only: rows cannot be removed'); END;
CREATE TRIGGER "policy_activations_append_only_update" BEFORE UPDATE ON "policy_activations" BEGIN SELECT RAISE(ABORT, 'policy_activations is append-only: rows cannot be changed'); END;
CREATE TRIGGER "policy_activations_append_only_delete" BEFORE DELETE ON "policy_activations" BEGIN SELECT RAISE(ABORT, 'policy_activations is append-only: rows cannot be removed'); END;
CREATE TRIGGER "api_keys_append_only_update" BEFORE UPDATE ON "api_keys" BEGIN SELECT RAISE(ABORT, 'api_keys is append-only: rows cannot be changed'); END;
CREATE TRIGGER "api_keys_append_only_delete" BEFORE DELETE ON "api_keys" BEGIN SELECT RAISE(ABORT, 'api_keys is append-only: rows cannot be removed'); END;
CREATE TRIGGER "api_key_revocations_append_only_update" BEFORE UPDATE ON "api_key_revocations" BEGIN SELECT RAISE(ABORT, 'api_key_revocations is append-only: rows cannot be changed'); END;
CREATE TRIGGER "api_key_revocations_append_only_delete" BEFORE DELETE ON "api_key_revocations" BEGIN SELECT RAISE(ABORT, 'api_key_revocations is append-only: rows cannot be removed'); END;
CREATE TRIGGER "audit_log_append_only_update" BEFORE UPDATE ON "audit_log" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed'); END;
CREATE TRIGGER "audit_log_append_only_delete" BEFORE DELETE ON "audit_log" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be removed'); END;
CREATE TRIGGER "audit_checkpoints_append_only_update" BEFORE UPDATE ON "audit_checkpoints" BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: rows cannot be changed'); END;
CREATE TRIGGER "audit_checkpoints_append_only_delete" BEFORE DELETE ON "audit_checkpoints" BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: rows cannot be removed'); END;
CREATE TRIGGER "audit_retentions_append_only_update" BEFORE UPDATE ON "audit_retentions" BEGIN SELECT RAISE(ABORT, 'audit_retentions is append-only: rows cannot be changed'); END;
CREATE TRIGGER "audit_retentions_append_only_delete" BEFORE DELETE ON "audit_retentions" BEGIN SELECT RAISE(ABORT, 'audit_retentions is append-only: rows cannot be removed'); END;
