-- A directory sync's batches now index the persons they write themselves, in their own transactions
-- (`Store::write_self_indexed`), instead of dropping the search index triggers for the whole load and
-- rebuilding the index at its end. A sync of an older version interrupted with its triggers dropped
-- recorded them in settings: in that case the index is rebuilt and the triggers (as V1 made them) are
-- re-created here.
DELETE FROM person_fts
 WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'index.suspended_triggers');
INSERT INTO person_fts(rowid, surname, given, other, ids)
SELECT id, surname, given, other, ids FROM person_search_doc
 WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'index.suspended_triggers');
DELETE FROM settings WHERE key = 'index.suspended_triggers';

CREATE TRIGGER IF NOT EXISTS persons_fts_ai AFTER INSERT ON persons BEGIN
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS persons_fts_au AFTER UPDATE ON persons BEGIN
    DELETE FROM person_fts WHERE rowid = old.id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS persons_fts_ad AFTER DELETE ON persons BEGIN
    DELETE FROM person_fts WHERE rowid = old.id;
END;
CREATE TRIGGER IF NOT EXISTS identifiers_fts_ai AFTER INSERT ON person_identifiers BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;
CREATE TRIGGER IF NOT EXISTS identifiers_fts_ad AFTER DELETE ON person_identifiers BEGIN
    DELETE FROM person_fts WHERE rowid = old.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = old.person_id;
END;
CREATE TRIGGER IF NOT EXISTS cards_fts_ai AFTER INSERT ON cards WHEN new.csn IS NOT NULL OR new.escn IS NOT NULL BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;
CREATE TRIGGER IF NOT EXISTS cards_fts_au AFTER UPDATE OF csn, escn ON cards
WHEN new.csn IS NOT old.csn OR new.escn IS NOT old.escn BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;

-- The index keeps up to 16 MB of new terms in memory before writing them as a segment (SQLite's default
-- is 1 MB): a directory load writes far fewer segments, so FTS5 merges far less.
INSERT INTO person_fts(person_fts, rank) VALUES ('hashsize', 16777216);
