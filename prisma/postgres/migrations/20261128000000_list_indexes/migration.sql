-- DropIndex
DROP INDEX "assessments_policyId_idx";

-- CreateIndex
CREATE INDEX "assessments_recommendation_createdAt_id_idx" ON "assessments"("recommendation", "createdAt", "id");

-- CreateIndex
CREATE INDEX "assessments_policyId_createdAt_id_idx" ON "assessments"("policyId", "createdAt", "id");

-- Application-name search (the list's `application` filter, ILIKE '%term%') through a trigram
-- index. PostgreSQL only, and outside models.prisma: that file is shared with SQLite, where
-- Prisma cannot state such an index; test/postgres/migration-drift.test.ts names it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "assessments_applicationName_trgm_idx" ON "assessments" USING GIN ("applicationName" gin_trgm_ops);
