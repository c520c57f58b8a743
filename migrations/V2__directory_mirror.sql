-- Directory mirror (issue #3): LDAP identities, change detection, departures, nested groups, sync status.

-- dn_key: the DN in comparison form (directory::dn_key); sync_hash: digest of the last mapped entry, so an
-- unchanged entry costs one lookup; departed_at: the person left the directory but still holds cards.
ALTER TABLE persons ADD COLUMN dn_key TEXT;
ALTER TABLE persons ADD COLUMN sync_hash TEXT;
ALTER TABLE persons ADD COLUMN departed_at TEXT;
CREATE INDEX persons_dn_key ON persons(dn_key);

ALTER TABLE structures ADD COLUMN dn_key TEXT;
ALTER TABLE structures ADD COLUMN entry_uuid TEXT;
ALTER TABLE structures ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
CREATE INDEX structures_dn_key ON structures(dn_key);
CREATE UNIQUE INDEX structures_entry_uuid ON structures(entry_uuid);

ALTER TABLE groups ADD COLUMN dn_key TEXT;
ALTER TABLE groups ADD COLUMN entry_uuid TEXT;
ALTER TABLE groups ADD COLUMN sync_hash TEXT;
CREATE INDEX groups_dn_key ON groups(dn_key);
CREATE UNIQUE INDEX groups_entry_uuid ON groups(entry_uuid);

-- Why a person is in a group, as bits: 1 = the group's member attribute, 2 = the person's own
-- attributes (isMemberOf, ENTEleveClasses), 4 = through a nested group. A row goes when no bit is left.
ALTER TABLE memberships ADD COLUMN origin INTEGER NOT NULL DEFAULT 1;

-- Nested groups: a group DN among another group's members.
CREATE TABLE group_links (
    parent_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    child_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    PRIMARY KEY (parent_id, child_id)
) WITHOUT ROWID;
CREATE INDEX group_links_child ON group_links(child_id);

-- One row per searched base (people, groups, structures): fingerprint of the URL, base, filter and preset
-- the cookie belongs to; last_ok_at the end of the last successful run; offline_since the first failure
-- of the current outage; last_mode full | incremental | fallback; last_report the JSON counts.
ALTER TABLE sync_state ADD COLUMN fingerprint TEXT;
ALTER TABLE sync_state ADD COLUMN last_ok_at TEXT;
ALTER TABLE sync_state ADD COLUMN offline_since TEXT;
ALTER TABLE sync_state ADD COLUMN last_mode TEXT;
ALTER TABLE sync_state ADD COLUMN last_report TEXT;
