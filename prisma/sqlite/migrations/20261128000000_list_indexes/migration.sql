-- DropIndex
DROP INDEX "assessments_policyId_idx";

-- CreateIndex
CREATE INDEX "assessments_recommendation_createdAt_id_idx" ON "assessments"("recommendation", "createdAt", "id");

-- CreateIndex
CREATE INDEX "assessments_policyId_createdAt_id_idx" ON "assessments"("policyId", "createdAt", "id");
