-- The search index without token positions (detail=column) nor per-row column sizes (columnsize=0):
-- the counter search uses neither phrase nor NEAR queries, and never lets SQLite rank. The index is
-- smaller and faster to build, which a first directory load does for every person.
DROP TABLE person_fts;

CREATE VIRTUAL TABLE person_fts USING fts5(
    surname, given, other, ids,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3',
    detail = column,
    columnsize = 0
);

INSERT INTO person_fts(rowid, surname, given, other, ids)
SELECT id, surname, given, other, ids FROM person_search_doc;
