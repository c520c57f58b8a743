-- The persons' two uniqueness rules (entryUUID, eppn) become named unique indexes instead of column
-- constraints, so that a first directory load into an empty mirror can drop them like the other
-- indexes and build them once at the end (`store::indexes`). Kept up to date row by row, their random
-- inserts cost a fifth of the load's writing (README, "Architecture"). SQLite cannot drop a column
-- constraint, so the table is rebuilt (sqlite.org/lang_altertable.html, "other kinds of table schema
-- changes"): `Store::open` runs the migrations with foreign keys off, so dropping the old table deletes
-- nothing that refers to it, and checks every reference afterwards. `legacy_alter_table` keeps the
-- rename from re-checking the view and triggers that name `persons` while the table is away.
PRAGMA legacy_alter_table = ON;

CREATE TABLE persons_new (
    id             INTEGER PRIMARY KEY,
    dn             TEXT,
    entry_uuid     TEXT,
    uid            TEXT,
    eppn           TEXT,
    supann_etu_id  TEXT,
    supann_emp_id  TEXT,
    ine            TEXT,
    ent_login      TEXT,
    surname        TEXT NOT NULL,
    given_name     TEXT NOT NULL,
    birth_name     TEXT,
    display_name   TEXT NOT NULL,
    civility       TEXT,
    birth_date     TEXT,
    email          TEXT,
    affiliation    TEXT NOT NULL,
    structure_id   INTEGER REFERENCES structures(id),
    due_date       TEXT,
    editable       INTEGER NOT NULL DEFAULT 1,
    folded_surname TEXT NOT NULL,
    folded_given   TEXT NOT NULL,
    sort_key       TEXT NOT NULL,
    source         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    dn_key         TEXT,
    sync_hash      TEXT,
    departed_at    TEXT
);
INSERT INTO persons_new (id, dn, entry_uuid, uid, eppn, supann_etu_id, supann_emp_id, ine, ent_login,
                         surname, given_name, birth_name, display_name, civility, birth_date, email,
                         affiliation, structure_id, due_date, editable, folded_surname, folded_given,
                         sort_key, source, created_at, updated_at, dn_key, sync_hash, departed_at)
SELECT id, dn, entry_uuid, uid, eppn, supann_etu_id, supann_emp_id, ine, ent_login,
       surname, given_name, birth_name, display_name, civility, birth_date, email,
       affiliation, structure_id, due_date, editable, folded_surname, folded_given,
       sort_key, source, created_at, updated_at, dn_key, sync_hash, departed_at
  FROM persons;
DROP TABLE persons;
ALTER TABLE persons_new RENAME TO persons;

CREATE UNIQUE INDEX persons_entry_uuid ON persons(entry_uuid);
CREATE UNIQUE INDEX persons_eppn ON persons(eppn);
CREATE INDEX persons_sort ON persons(sort_key, id);
CREATE INDEX persons_ine ON persons(ine);
CREATE INDEX persons_structure ON persons(structure_id);
CREATE INDEX persons_dn_key ON persons(dn_key);

-- The search index triggers went with the old table (as migration V9 made them).
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

PRAGMA legacy_alter_table = OFF;
