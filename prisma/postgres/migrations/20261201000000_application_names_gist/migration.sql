-- A second trigram index of the distinct names, a GiST one, for the terms the GIN index is slow
-- for. GIN takes every name that holds the term's rarest trigram and looks each up in the posting
-- lists of the term's other trigrams: for "application 333333" among a million names "Generated
-- application <n>", whose every other trigram is in every name, that is 70 ms (BENCHMARKS.md, the
-- nineteenth session). GiST keeps a signature of each name's trigrams and finds the same name in
-- 6 ms, stopping at the lookup's limit; it is slow where GIN is quick, for a term of few trigrams
-- ("333333": 100 ms against 10). fast-reads.ts (searchNames) chooses by the term's trigrams, and
-- tries the other index when the first takes too long.
--
-- On an expression equal to the name, so that each statement names its index: the planner costs
-- both alike and would take GiST for every term. Outside models.prisma, as the GIN index is;
-- test/postgres/migration-drift.test.ts names it.
CREATE INDEX "application_names_name_gist_idx" ON "application_names" USING GIST (("name" || '') gist_trgm_ops(siglen = 64));

-- GIN gathers new entries in a pending list that every lookup reads whole, up to 4 MB by default:
-- 8 ms a lookup on that machine with the list full, and the insert that fills it merges 4 MB of
-- entries into the index, hundreds of milliseconds in one create. The least the server allows
-- (64 kB) keeps both small; a new name is rare beside the names assessed again.
ALTER INDEX "application_names_name_trgm_idx" SET (gin_pending_list_limit = 64);
