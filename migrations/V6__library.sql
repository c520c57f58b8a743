-- School library (issue #7): the hidden identifiers written into BCDI's borrowers (IDENTITE_ENT_M, formats.md
-- §5.1: stable for a person across years, so BCDI's later updates match on them, §6.1 R4), the librarian's
-- decisions per establishment (homonym pairs, suggestions accepted or rejected: JSON), and the plans shown.
CREATE TABLE library_ent_ids (
    person_id  INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    ent_id     TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE library_decisions (
    uai        TEXT PRIMARY KEY,
    decisions  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE library_plans (
    id             INTEGER PRIMARY KEY,
    uai            TEXT NOT NULL,
    borrowers_file TEXT NOT NULL,
    scope          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX library_plans_uai ON library_plans(uai, id);
