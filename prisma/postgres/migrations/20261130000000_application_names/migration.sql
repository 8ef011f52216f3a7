-- Application-name search indexes each distinct name once, not each assessment: an agency
-- assesses the same applications again and again, so a trigram index of every assessment's name
-- cost every create a GIN insert, and a name assessed many times, long ago, was listed by reading
-- all of its assessments and sorting them (BENCHMARKS.md). Now the distinct names carry the
-- trigram index, and a list looks the matching names up there, then reads each name's newest
-- assessments through an index that ends with the list's order. Outside models.prisma, as on
-- SQLite (Prisma cannot state a trigram index or a trigger); test/postgres/migration-drift.test.ts
-- names these objects.
DROP INDEX "assessments_applicationName_trgm_idx";

CREATE TABLE "application_names" (
  "name" TEXT NOT NULL PRIMARY KEY
);
CREATE INDEX "application_names_name_trgm_idx" ON "application_names" USING GIN ("name" gin_trgm_ops);

-- A name's assessments newest first: the list's order after the name.
CREATE INDEX "assessments_applicationName_createdAt_id_idx" ON "assessments"("applicationName", "createdAt", "id");

-- Every write path stores assessments through this: once a statement, the names not yet known.
-- Every writer holds the audit log's head row when it inserts assessments' names (the driver's
-- batch takes it in the same statement, before this runs; the ledger's transactions first), so
-- two writers never insert the same new name at once. A name stays when retention removes its
-- assessments: it then finds none, and a name is not evidence of anything.
CREATE FUNCTION "placement_record_application_names"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "application_names" ("name")
    SELECT DISTINCT r."applicationName" FROM "new_assessments" r
     WHERE NOT EXISTS (SELECT 1 FROM "application_names" n WHERE n."name" = r."applicationName")
    ON CONFLICT ("name") DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER "application_names_record" AFTER INSERT ON "assessments"
  REFERENCING NEW TABLE AS "new_assessments"
  FOR EACH STATEMENT EXECUTE FUNCTION "placement_record_application_names"();

INSERT INTO "application_names" ("name") SELECT DISTINCT "applicationName" FROM "assessments";
