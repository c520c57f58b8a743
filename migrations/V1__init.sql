-- Guichet local store, first schema. Never edit once released: add V2__… instead.
-- Dates are ISO 8601 text: timestamps 'YYYY-MM-DDTHH:MM:SSZ' (UTC), days 'YYYY-MM-DD'.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE structures (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    uai       TEXT,
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    parent_id INTEGER REFERENCES structures(id)
);
CREATE INDEX structures_uai ON structures(uai);

CREATE TABLE persons (
    id             INTEGER PRIMARY KEY,
    dn             TEXT,
    entry_uuid     TEXT UNIQUE,
    uid            TEXT,
    eppn           TEXT UNIQUE,
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
    updated_at     TEXT NOT NULL
);
CREATE INDEX persons_sort ON persons(sort_key, id);
CREATE INDEX persons_uid ON persons(uid);
CREATE INDEX persons_ine ON persons(ine);
CREATE INDEX persons_structure ON persons(structure_id);

-- Multi-valued identifier families: ENTPersonJointure, per-application ids, supannRefId.
CREATE TABLE person_identifiers (
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (person_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX person_identifiers_value ON person_identifiers(kind, value);

-- Links between persons: a parent (responsable) and a pupil.
CREATE TABLE person_links (
    person_id  INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    related_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    PRIMARY KEY (person_id, related_id, kind)
) WITHOUT ROWID;
CREATE INDEX person_links_related ON person_links(related_id);

CREATE TABLE groups (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    kind         TEXT NOT NULL,
    source       TEXT NOT NULL
);

CREATE TABLE memberships (
    group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, person_id)
) WITHOUT ROWID;
CREATE INDEX memberships_person ON memberships(person_id);

-- Photos: JPEG blobs stored once by content hash; a renewal or a reprint shares the blob.
CREATE TABLE photo_blobs (
    id     INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    jpeg   BLOB NOT NULL,
    width  INTEGER NOT NULL,
    height INTEGER NOT NULL
);

CREATE TABLE photos (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    blob_id    INTEGER NOT NULL REFERENCES photo_blobs(id),
    source     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX photos_person ON photos(person_id, id);

CREATE TABLE cards (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    state           TEXT NOT NULL,
    state_at        TEXT NOT NULL,
    state_by        TEXT,
    comment         TEXT,
    requested_at    TEXT NOT NULL,
    csn             TEXT UNIQUE,
    csn_reversed    TEXT,
    csn_decimal     TEXT,
    csn_rev_decimal TEXT,
    qr              TEXT,
    escn            TEXT UNIQUE,
    desfire_ids     TEXT,
    due_date        TEXT,
    disable_reason  TEXT,
    reject_count    INTEGER NOT NULL DEFAULT 0,
    pay_order       TEXT,
    printer         TEXT,
    external        INTEGER NOT NULL DEFAULT 0,
    renewed_from    INTEGER REFERENCES cards(id),
    photo_id        INTEGER REFERENCES photos(id),
    encoded_at      TEXT,
    last_encoded_at TEXT,
    enabled_at      TEXT,
    delivered_at    TEXT
);
CREATE INDEX cards_person ON cards(person_id);
CREATE INDEX cards_state ON cards(state);
CREATE INDEX cards_qr ON cards(qr);

-- Card history: append-only.
CREATE TABLE card_events (
    id         INTEGER PRIMARY KEY,
    card_id    INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    comment    TEXT,
    note       TEXT,
    printer    TEXT
);
CREATE INDEX card_events_card ON card_events(card_id, id);
CREATE TRIGGER card_events_append_only_u BEFORE UPDATE ON card_events
BEGIN SELECT RAISE(ABORT, 'card history is append-only'); END;
CREATE TRIGGER card_events_append_only_d BEFORE DELETE ON card_events
WHEN (SELECT COUNT(*) FROM cards WHERE id = old.card_id) > 0
BEGIN SELECT RAISE(ABORT, 'card history is append-only'); END;

-- Audit log: who did what, when; append-only, no personal data beyond ids.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   INTEGER,
    detail       TEXT
);
CREATE TRIGGER audit_log_append_only_u BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_d BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Directory synchronisation state (RFC 4533 cookie, last runs), one row per configured directory.
CREATE TABLE sync_state (
    directory      TEXT PRIMARY KEY,
    cookie         BLOB,
    last_full_at   TEXT,
    last_delta_at  TEXT,
    last_error     TEXT
);

-- Outbox: "reconcile subject S with service X" tokens, one per (service, subject).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    service         TEXT NOT NULL,
    subject_kind    TEXT NOT NULL,
    subject_id      INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    tries           INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until     TEXT,
    last_error      TEXT,
    UNIQUE (service, subject_kind, subject_id)
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Full-text search: one document per person, defined once by this view and kept by triggers.
-- surname, given, other: folded names; ids: every identifier as one compact token (no separators), CSNs in
-- their 4 forms, ESCNs.
CREATE VIEW person_search_doc AS
SELECT p.id AS id,
       p.folded_surname AS surname,
       p.folded_given AS given,
       IFNULL(fold_text(p.birth_name), '') AS other,
       compact_ids(
           p.uid, p.eppn, p.supann_etu_id, p.supann_emp_id, p.ine, p.ent_login, p.email,
           (SELECT group_concat(value, ' ') FROM person_identifiers i WHERE i.person_id = p.id),
           (SELECT group_concat(IFNULL(c.csn, '') || ' ' || IFNULL(c.csn_reversed, '') || ' ' ||
                                IFNULL(c.csn_decimal, '') || ' ' || IFNULL(c.csn_rev_decimal, '') || ' ' ||
                                IFNULL(c.escn, ''), ' ')
              FROM cards c WHERE c.person_id = p.id)
       ) AS ids
FROM persons p;

CREATE VIRTUAL TABLE person_fts USING fts5(
    surname, given, other, ids,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER persons_fts_ai AFTER INSERT ON persons BEGIN
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.id;
END;
CREATE TRIGGER persons_fts_au AFTER UPDATE ON persons BEGIN
    DELETE FROM person_fts WHERE rowid = old.id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.id;
END;
CREATE TRIGGER persons_fts_ad AFTER DELETE ON persons BEGIN
    DELETE FROM person_fts WHERE rowid = old.id;
END;
CREATE TRIGGER identifiers_fts_ai AFTER INSERT ON person_identifiers BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;
CREATE TRIGGER identifiers_fts_ad AFTER DELETE ON person_identifiers BEGIN
    DELETE FROM person_fts WHERE rowid = old.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = old.person_id;
END;
CREATE TRIGGER cards_fts_ai AFTER INSERT ON cards WHEN new.csn IS NOT NULL OR new.escn IS NOT NULL BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;
CREATE TRIGGER cards_fts_au AFTER UPDATE OF csn, escn ON cards
WHEN new.csn IS NOT old.csn OR new.escn IS NOT old.escn BEGIN
    DELETE FROM person_fts WHERE rowid = new.person_id;
    INSERT INTO person_fts(rowid, surname, given, other, ids) SELECT id, surname, given, other, ids FROM person_search_doc WHERE id = new.person_id;
END;
