-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "org" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" DATETIME NOT NULL,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "assessments" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL,
    "org" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "applicationName" TEXT NOT NULL,
    "recommendation" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "policyVersion" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "idempotencyKey" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_org_idx" ON "api_keys"("org");

-- CreateIndex
CREATE INDEX "assessments_createdAt_id_idx" ON "assessments"("createdAt", "id");

-- CreateIndex
CREATE INDEX "assessments_org_createdAt_id_idx" ON "assessments"("org", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "assessments_org_idempotencyKey_key" ON "assessments"("org", "idempotencyKey");

