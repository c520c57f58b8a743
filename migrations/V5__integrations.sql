-- Integrations (issue #6): the outbox worker's bookkeeping, what each service last saw of a person, per-person
-- service options, CROUS tariff rules and the bulk identifier migration.

-- Outbox rows (one per (service, subject)) carry their state:
--   pending | in_progress (leased) | done | failed_retrying | needs_human | gave_up
-- generation is bumped by every enqueue, so work queued while a worker holds the row is not lost: the worker
-- only closes the row if the generation it claimed is still the current one.
-- error_code / error_operation / blocking: the last error of the subject (one error row per subject, with
-- `tries` as its try count; crous-escr.md §2.12); last_result: what the last run did (for the Queue screen).
ALTER TABLE outbox ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN error_code TEXT;
ALTER TABLE outbox ADD COLUMN error_operation TEXT;
ALTER TABLE outbox ADD COLUMN blocking INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN done_at TEXT;
ALTER TABLE outbox ADD COLUMN last_result TEXT;
ALTER TABLE outbox ADD COLUMN first_error_at TEXT;
CREATE INDEX outbox_claim ON outbox(service, status, next_attempt_at, id);

-- What a service was last brought to for a person: the fingerprint of the pushed fields (a person whose
-- fingerprint did not change costs no call until verified_at is older than the full-verification period),
-- the remote identifier used (CROUS identifier, ESI, directory DN) and service data as JSON (e.g. the CROUS
-- tariff learned for a student, the card states already sent).
CREATE TABLE remote_state (
    service     TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    fingerprint TEXT,
    verified_at TEXT,
    remote_id   TEXT,
    data        TEXT,
    PRIMARY KEY (service, person_id)
) WITHOUT ROWID;

-- Per-person choices that the directory does not give: CROUS and ESC-R opt-in (NULL: the population's
-- default), a PIC override (multi-establishment installations, crous-escr.md §3.1), the CROUS reference
-- status and salary index used by the tariff rules (§2.14; NULL: derived from the affiliation, index 0).
CREATE TABLE person_services (
    person_id        INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    crous            INTEGER,
    escr             INTEGER,
    pic              TEXT,
    reference_status TEXT,
    indice           INTEGER
);

-- CROUS tariff rules (crous-escr.md §2.14–2.15). source: 'api:<numeroCrous>:<rne>', 'esist:<file name>' or
-- 'manual'; a refresh replaces the rows of one source (an empty answer keeps them).
CREATE TABLE crous_rules (
    id               INTEGER PRIMARY KEY,
    source           TEXT NOT NULL,
    priority         INTEGER NOT NULL,
    reference_status TEXT,
    rne              TEXT,
    indice_min       INTEGER,
    indice_max       INTEGER,
    id_company_rate  INTEGER NOT NULL,
    id_rate          INTEGER NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX crous_rules_source ON crous_rules(source);

-- Bulk CROUS identifier migration (crous-escr.md §2.13, `PatchIdentifier`): one row per input line.
-- status: pending | done | failed.
CREATE TABLE crous_patch_ids (
    id         INTEGER PRIMARY KEY,
    batch      TEXT NOT NULL,
    line       INTEGER NOT NULL,
    old_id     TEXT NOT NULL,
    new_id     TEXT NOT NULL,
    email      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',
    message    TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX crous_patch_ids_batch ON crous_patch_ids(batch, line);
