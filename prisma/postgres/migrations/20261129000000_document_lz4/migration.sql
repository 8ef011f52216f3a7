-- Stored documents (12-15 KB of JSON each) compressed with lz4 instead of pglz: PostgreSQL's
-- default compressor took a quarter of a group-commit batch's time in the server (BENCHMARKS.md).
-- Rows already stored keep pglz; both read back the same. Not in models.prisma: Prisma cannot
-- state a column's compression. A server built without lz4 keeps pglz and says so.
DO $$
BEGIN
  ALTER TABLE "assessments" ALTER COLUMN "document" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: assessment documents stay compressed with pglz';
END $$;
