-- The audit log (see prisma/models.prisma): entries, the head writers lock, signed checkpoints,
-- retention runs. Key revocations become records of their own, so that no logged table is ever
-- updated; then triggers make every logged table append-only for whoever connects.

-- CreateTable
CREATE TABLE "api_key_revocations" (
    "keyId" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "api_key_revocations_pkey" PRIMARY KEY ("keyId")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "org" TEXT,
    "keyId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "contentHash" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "audit_head" (
    "id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_head_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "size" INTEGER NOT NULL,
    "rootHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("size")
);

-- CreateTable
CREATE TABLE "audit_retentions" (
    "id" TEXT NOT NULL,
    "cutoff" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "removedAssessments" INTEGER NOT NULL,
    "removedOverrides" INTEGER NOT NULL,
    "checkpointSize" INTEGER NOT NULL,

    CONSTRAINT "audit_retentions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_retention_grant" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "audit_retention_grant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_org_seq_idx" ON "audit_log"("org", "seq");

-- CreateIndex
CREATE INDEX "audit_log_createdAt_idx" ON "audit_log"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_kind_recordId_key" ON "audit_log"("kind", "recordId");

-- AddForeignKey
ALTER TABLE "api_key_revocations" ADD CONSTRAINT "api_key_revocations_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "api_keys"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Revocations made before this release move to their own table.
INSERT INTO "api_key_revocations" ("keyId", "revokedAt") SELECT "id", "revokedAt" FROM "api_keys" WHERE "revokedAt" IS NOT NULL;
ALTER TABLE "api_keys" DROP COLUMN "revokedAt";

-- The empty log: sequence 0, the all-zero hash.
INSERT INTO "audit_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: UPDATE, DELETE and TRUNCATE are refused (expired assessments and overrides may go
-- only inside a retention run, which holds a row of audit_retention_grant for its transaction).
CREATE FUNCTION placement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('assessments', 'overrides')
     AND EXISTS (SELECT 1 FROM audit_retention_grant) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER "assessments_append_only" BEFORE UPDATE OR DELETE ON "assessments" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "assessments_no_truncate" BEFORE TRUNCATE ON "assessments" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "overrides_append_only" BEFORE UPDATE OR DELETE ON "overrides" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "overrides_no_truncate" BEFORE TRUNCATE ON "overrides" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "policies_append_only" BEFORE UPDATE OR DELETE ON "policies" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "policies_no_truncate" BEFORE TRUNCATE ON "policies" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "policy_activations_append_only" BEFORE UPDATE OR DELETE ON "policy_activations" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "policy_activations_no_truncate" BEFORE TRUNCATE ON "policy_activations" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "api_keys_append_only" BEFORE UPDATE OR DELETE ON "api_keys" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "api_keys_no_truncate" BEFORE TRUNCATE ON "api_keys" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "api_key_revocations_append_only" BEFORE UPDATE OR DELETE ON "api_key_revocations" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "api_key_revocations_no_truncate" BEFORE TRUNCATE ON "api_key_revocations" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "audit_checkpoints" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "audit_retentions_append_only" BEFORE UPDATE OR DELETE ON "audit_retentions" FOR EACH ROW EXECUTE FUNCTION placement_append_only();
CREATE TRIGGER "audit_retentions_no_truncate" BEFORE TRUNCATE ON "audit_retentions" FOR EACH STATEMENT EXECUTE FUNCTION placement_append_only();
