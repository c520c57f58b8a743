-- The search index goes back to SQLite's default in-memory term buffer (1 MB; V7 set 16 MB). Measured on
-- a first directory load of 275,000 persons (BENCHMARKS.md): most terms are identifiers unique to one
-- person, and a large buffer costs more to sort and flush than the extra segments cost to merge
-- (full sync 13.1 s against 11.3 s, interleaved runs).
INSERT INTO person_fts(person_fts, rank) VALUES ('hashsize', 1048576);
