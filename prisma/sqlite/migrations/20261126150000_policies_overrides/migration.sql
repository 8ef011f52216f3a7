-- Re-evaluations link to the assessment they supersede; policies, their activations and
-- overrides are append-only tables of their own.

-- AlterTable
ALTER TABLE "assessments" ADD COLUMN "supersedes" TEXT;

-- CreateTable
CREATE TABLE "policies" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "keyId" TEXT
);

-- CreateTable
CREATE TABLE "policy_activations" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "policyId" TEXT NOT NULL,
    "activatedAt" DATETIME NOT NULL,
    "keyId" TEXT
);

-- CreateTable
CREATE TABLE "overrides" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "assessmentId" TEXT NOT NULL,
    "org" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "placement" TEXT NOT NULL,
    "reasonCode" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "overrides_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "assessments" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "assessments_policyId_idx" ON "assessments"("policyId");

-- CreateIndex
CREATE UNIQUE INDEX "policies_name_version_key" ON "policies"("name", "version");

-- CreateIndex
CREATE INDEX "overrides_assessmentId_createdAt_idx" ON "overrides"("assessmentId", "createdAt");
