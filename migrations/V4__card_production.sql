-- Card production (issue #4): photo-publication consent, print jobs and the printed snapshot.

-- CNIL: whether the person agreed to the publication of the photo (directory, trombinoscope), recorded with
-- the photo: NULL = not asked (imported from the directory or older data), 0 = refused, 1 = given.
ALTER TABLE photos ADD COLUMN publication_consent INTEGER;

-- One row per job sent to a printer (or PDF file) for a card. A card reaches PRINTED only when its job's
-- state is 'completed'; a 'failed' or 'canceled' job leaves the card IN_PRINT with the printer's message.
-- template and printed: the template id and the resolved texts as JSON, frozen when the job completes
-- (reference crous-escr.md §1.7 step 3).
CREATE TABLE print_jobs (
    id          INTEGER PRIMARY KEY,
    card_id     INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    batch       TEXT,
    printer     TEXT NOT NULL,
    job_id      INTEGER,
    state       TEXT NOT NULL,
    message     TEXT,
    template    TEXT NOT NULL,
    printed     TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX print_jobs_card ON print_jobs(card_id, id);
CREATE INDEX print_jobs_batch ON print_jobs(batch, id);
