-- The search index triggers fire only while `fts_live()` is true. A directory sync's batches pause them
-- on their own connection and index the persons they add or change themselves, once per person and
-- range by range (`search::index_persons`), in the same transactions: the index is right after every
-- batch, and a full load no longer rebuilds it at the end. `fts_live()` is registered on every
-- connection by `store::configure`; any other writer (the desk, the CLI, a second window) keeps live
-- triggers.
--
-- A sync of an older version interrupted with its triggers dropped left them in settings: the index
-- is rebuilt here in that case, and the old statements are forgotten.
DELETE FROM person_fts
 WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'index.suspended_triggers');
INSERT INTO person_fts(rowid, surname, given, other, ids)
SELECT id, surname, given, other, ids FROM person_search_doc
 WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'index.suspended_triggers');
DELETE FROM settings WHERE key = 'index.suspended_triggers';

DROP TRIGGER IF EXISTS persons_fts_ai;
DROP TRIGGER IF EXISTS persons_fts_au;
DROP TRIGGER IF EXISTS persons_fts_ad;
DROP TRIGGER IF EXISTS identifiers_fts_ai;
DROP TRIGGER IF EXISTS identifiers_fts_ad;
DROP TRIGGER IF EXISTS cards_fts_ai;
DROP TRIGGER IF EXISTS cards_fts_au;

CREATE TRIGGER persons_fts_ai AFTER INSERT ON persons WHEN fts_live() BEGIN
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.id;
END;
CREATE TRIGGER persons_fts_au AFTER UPDATE ON persons WHEN fts_live() BEGIN
    DELETE FROM person_fts WHERE rowid = old.id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.id;
END;
CREATE TRIGGER persons_fts_ad AFTER DELETE ON persons WHEN fts_live() BEGIN
    DELETE FROM person_fts WHERE rowid = old.id;
END;
CREATE TRIGGER identifiers_fts_ai AFTER INSERT ON person_identifiers WHEN fts_live() BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;
CREATE TRIGGER identifiers_fts_ad AFTER DELETE ON person_identifiers WHEN fts_live() BEGIN
    DELETE FROM person_fts WHERE rowid = old.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = old.person_id;
END;
CREATE TRIGGER cards_fts_ai AFTER INSERT ON cards
WHEN fts_live() AND (new.csn IS NOT NULL OR new.escn IS NOT NULL) BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;
CREATE TRIGGER cards_fts_au AFTER UPDATE OF csn, escn ON cards
WHEN fts_live() AND (new.csn IS NOT old.csn OR new.escn IS NOT old.escn) BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;
