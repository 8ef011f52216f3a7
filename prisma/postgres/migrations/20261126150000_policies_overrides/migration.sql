-- Re-evaluations link to the assessment they supersede; policies, their activations and
-- overrides are append-only tables of their own.

-- AlterTable
ALTER TABLE "assessments" ADD COLUMN "supersedes" TEXT;

-- CreateTable
CREATE TABLE "policies" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "keyId" TEXT,

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_activations" (
    "seq" SERIAL NOT NULL,
    "policyId" TEXT NOT NULL,
    "activatedAt" TIMESTAMP(3) NOT NULL,
    "keyId" TEXT,

    CONSTRAINT "policy_activations_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "overrides" (
    "id" TEXT NOT NULL,
    "assessmentId" TEXT NOT NULL,
    "org" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "placement" TEXT NOT NULL,
    "reasonCode" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "overrides_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "assessments_policyId_idx" ON "assessments"("policyId");

-- CreateIndex
CREATE UNIQUE INDEX "policies_name_version_key" ON "policies"("name", "version");

-- CreateIndex
CREATE INDEX "overrides_assessmentId_createdAt_idx" ON "overrides"("assessmentId", "createdAt");

-- AddForeignKey
ALTER TABLE "overrides" ADD CONSTRAINT "overrides_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "assessments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
