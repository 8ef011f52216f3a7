-- Application-name search indexes each distinct name once, not each assessment: an agency
-- assesses the same applications again and again, so a trigram index of every assessment's name
-- cost every create its FTS5 insert (about 25 us of CPU, some 5 % of a create; BENCHMARKS.md)
-- and made a name assessed many times, long ago, as slow to list as reading the history in
-- order. Now the names (a table of their own, each with a stable INTEGER PRIMARY KEY, so VACUUM
-- cannot renumber what the trigram index points at) carry the trigram index, and a list looks
-- the matching names up there, then reads each name's newest assessments through an index that
-- ends with the list's order. SQLite only, and outside models.prisma (Prisma cannot state a
-- virtual table); test/store/migration-drift.test.ts names these objects. PostgreSQL has pg_trgm.
DROP TRIGGER "assessment_names_index";
DROP TRIGGER "assessment_names_forget";
DROP TABLE "assessment_names";

CREATE TABLE "application_names" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "name" TEXT NOT NULL
);
CREATE UNIQUE INDEX "application_names_name_key" ON "application_names"("name");

CREATE VIRTUAL TABLE "application_name_search" USING fts5(
  "name",
  tokenize = 'trigram case_sensitive 0',
  content = ''
);

-- A name's assessments newest first: the list's order after the name.
CREATE INDEX "assessments_applicationName_createdAt_id_idx" ON "assessments"("applicationName", "createdAt", "id");

-- A name enters the trigram index once, when it is first seen.
CREATE TRIGGER "application_name_search_index" AFTER INSERT ON "application_names"
BEGIN
  INSERT INTO "application_name_search" (rowid, "name") VALUES (NEW."id", NEW."name");
END;

-- Every write path stores assessments through this table (the driver's batches, Prisma's
-- transactions, adopted rows). A name stays when retention removes its assessments: it then
-- finds none, and a name is not evidence of anything.
CREATE TRIGGER "application_names_record" AFTER INSERT ON "assessments"
BEGIN
  INSERT OR IGNORE INTO "application_names" ("name") VALUES (NEW."applicationName");
END;

INSERT OR IGNORE INTO "application_names" ("name") SELECT DISTINCT "applicationName" FROM "assessments";
