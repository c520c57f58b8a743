-- Identifier tokens get a search index of their own, `person_ids_fts`. It is contentless, keeps no
-- column information (`detail=none`: it has one column) and no prefix indexes. Most of these tokens
-- are unique to one person (eppn, student number, INE, CSN…), and in `person_fts` each was indexed
-- with its three prefix terms and column lists: about 85 % of the cost of indexing a person. The
-- counter search matches the whole compacted query against this index as a token or a prefix; FTS5
-- finds a prefix by reading the term range, which is short for identifiers.
-- `person_fts` keeps the names with their prefix indexes, and keeps the identifier tokens as a stored,
-- unindexed column: the search ranks its candidates with them and reads identifier hits' names from
-- it.
DROP TRIGGER IF EXISTS persons_fts_ai;
DROP TRIGGER IF EXISTS persons_fts_au;
DROP TRIGGER IF EXISTS persons_fts_ad;
DROP TRIGGER IF EXISTS identifiers_fts_ai;
DROP TRIGGER IF EXISTS identifiers_fts_ad;
DROP TRIGGER IF EXISTS cards_fts_ai;
DROP TRIGGER IF EXISTS cards_fts_au;
DROP TABLE person_fts;

CREATE VIRTUAL TABLE person_fts USING fts5(
    surname, given, other, ids UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3',
    detail = column,
    columnsize = 0
);
CREATE VIRTUAL TABLE person_ids_fts USING fts5(
    ids,
    tokenize = 'unicode61 remove_diacritics 2',
    detail = none,
    content = '',
    contentless_delete = 1
);

INSERT INTO person_fts(rowid, surname, given, other, ids)
SELECT id, surname, given, other, ids FROM person_search_doc;
INSERT INTO person_ids_fts(rowid, ids) SELECT rowid, ids FROM person_fts;

-- The identifier index is filled from the document just written to `person_fts`, not from the view a
-- second time.
CREATE TRIGGER persons_fts_ai AFTER INSERT ON persons BEGIN
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.id;
    INSERT INTO person_ids_fts(rowid, ids) SELECT rowid, ids FROM person_fts WHERE rowid = new.id;
END;
CREATE TRIGGER persons_fts_au AFTER UPDATE ON persons BEGIN
    DELETE FROM person_fts WHERE rowid = old.id;
    DELETE FROM person_ids_fts WHERE rowid = old.id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.id;
    INSERT INTO person_ids_fts(rowid, ids) SELECT rowid, ids FROM person_fts WHERE rowid = new.id;
END;
CREATE TRIGGER persons_fts_ad AFTER DELETE ON persons BEGIN
    DELETE FROM person_fts WHERE rowid = old.id;
    DELETE FROM person_ids_fts WHERE rowid = old.id;
END;
CREATE TRIGGER identifiers_fts_ai AFTER INSERT ON person_identifiers BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    DELETE FROM person_ids_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
    INSERT INTO person_ids_fts(rowid, ids) SELECT rowid, ids FROM person_fts WHERE rowid = new.person_id;
END;
CREATE TRIGGER identifiers_fts_ad AFTER DELETE ON person_identifiers BEGIN
    DELETE FROM person_fts WHERE rowid = old.person_id;
    DELETE FROM person_ids_fts WHERE rowid = old.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = old.person_id;
    INSERT INTO person_ids_fts(rowid, ids) SELECT rowid, ids FROM person_fts WHERE rowid = old.person_id;
END;
CREATE TRIGGER cards_fts_ai AFTER INSERT ON cards WHEN new.csn IS NOT NULL OR new.escn IS NOT NULL BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    DELETE FROM person_ids_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
    INSERT INTO person_ids_fts(rowid, ids) SELECT rowid, ids FROM person_fts WHERE rowid = new.person_id;
END;
CREATE TRIGGER cards_fts_au AFTER UPDATE OF csn, escn ON cards
WHEN new.csn IS NOT old.csn OR new.escn IS NOT old.escn BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    DELETE FROM person_ids_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
    INSERT INTO person_ids_fts(rowid, ids) SELECT rowid, ids FROM person_fts WHERE rowid = new.person_id;
END;
