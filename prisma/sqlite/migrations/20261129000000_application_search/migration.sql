-- Application-name search (the list's `application` filter, LIKE '%term%') through a trigram
-- index: an FTS5 table of the names, holding no copy of them (contentless), its rows keyed by
-- each assessment's audit-log sequence number. Not by the assessment's rowid: VACUUM may
-- renumber the rowids of a table without an INTEGER PRIMARY KEY, and the index would then point
-- at other rows. Triggers keep it, so every write path does (the driver's batches, Prisma's
-- transactions, adopted rows, retention). SQLite only, and outside models.prisma (Prisma cannot
-- state a virtual table); test/store/migration-drift.test.ts names it. PostgreSQL has pg_trgm.
CREATE VIRTUAL TABLE "assessment_names" USING fts5(
  "applicationName",
  tokenize = 'trigram case_sensitive 0',
  content = '',
  contentless_delete = 1
);

INSERT INTO "assessment_names" (rowid, "applicationName")
  SELECT l."seq", a."applicationName"
    FROM "audit_log" l JOIN "assessments" a ON a."id" = l."recordId"
   WHERE l."kind" = 'assessment';

-- An assessment is indexed when its log entry is written (after its row, in the same transaction).
CREATE TRIGGER "assessment_names_index" AFTER INSERT ON "audit_log" WHEN NEW."kind" = 'assessment'
BEGIN
  INSERT INTO "assessment_names" (rowid, "applicationName")
    SELECT NEW."seq", "applicationName" FROM "assessments" WHERE "id" = NEW."recordId";
END;

-- A retention run removes assessments; their entries stay in the log, their names leave the index.
CREATE TRIGGER "assessment_names_forget" AFTER DELETE ON "assessments"
BEGIN
  DELETE FROM "assessment_names"
   WHERE rowid IN (SELECT "seq" FROM "audit_log" WHERE "kind" = 'assessment' AND "recordId" = OLD."id");
END;
