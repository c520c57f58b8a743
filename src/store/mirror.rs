//! The directory sync's writes: persons, structures and groups keyed by entryUUID, membership
//! differences, departures and deletions, nested-group flattening. Each function works in the caller's
//! transaction (the sync commits one batch at a time).

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::persons::{self, SyncFacts};
use super::{Result, photos, ts};
use crate::domain::card::PersonId;
use crate::domain::group::{GroupKind, GroupRecord};
use crate::domain::person::PersonRecord;
use crate::domain::structure::StructureRecord;
use crate::fast_hash::FastHash;

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Modified,
    Unchanged,
}

/// Membership origin bits (see migration V2).
pub const FROM_GROUP: i64 = 1;
pub const FROM_PERSON: i64 = 2;
pub const FROM_NESTING: i64 = 4;

/// Source tag of groups met only in persons' attributes (isMemberOf, classes), as opposed to `ldap`
/// for group entries.
pub const ATTR_GROUP_SOURCE: &str = "ldap-attr";

/// Inserts or updates a person from the directory. Found by entryUUID, else by eppn among directory
/// persons (an entry deleted and re-created keeps its mirror row, its cards and history).
pub fn upsert_person(
    tx: &Transaction<'_>,
    rec: &PersonRecord,
    structure_id: Option<i64>,
    sync: SyncFacts<'_>,
    now: Timestamp,
) -> Result<(PersonId, Outcome)> {
    let found: Option<(PersonId, Option<String>, Option<String>)> = tx
        .prepare_cached("SELECT id, sync_hash, departed_at FROM persons WHERE entry_uuid = ?1")?
        .query_row([&rec.entry_uuid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let found = match (found, &rec.eppn) {
        (Some(f), _) => Some(f),
        (None, Some(eppn)) => tx
            .prepare_cached(
                "SELECT id, NULL, departed_at FROM persons WHERE eppn = ?1 AND source = 'ldap'",
            )?
            .query_row([eppn], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?,
        (None, None) => None,
    };
    match found {
        Some((id, hash, departed)) => {
            if hash.as_deref() == Some(sync.hash) && departed.is_none() {
                return Ok((id, Outcome::Unchanged));
            }
            persons::update_with(tx, id, rec, structure_id, sync, now)?;
            Ok((id, Outcome::Modified))
        }
        None => Ok((
            persons::insert_with(tx, rec, structure_id, Some(sync), now)?,
            Outcome::Added,
        )),
    }
}

/// Inserts a person the caller expects to be new (a fresh first load: nothing to look up). `None` when
/// the insert breaks a uniqueness rule (the same entryUUID or eppn twice): nothing was written, and
/// [`upsert_person`] decides.
pub fn insert_new_person(
    tx: &Transaction<'_>,
    rec: &PersonRecord,
    structure_id: Option<i64>,
    sync: SyncFacts<'_>,
    now: Timestamp,
) -> Result<Option<PersonId>> {
    match persons::insert_with(tx, rec, structure_id, Some(sync), now) {
        Ok(id) => Ok(Some(id)),
        Err(super::StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Adds the directory's photo when it differs from the last directory photo of the person (a photo taken
/// at the counter since then stays the current one until the directory's photo changes).
pub fn set_directory_photo(
    tx: &Transaction<'_>,
    person: PersonId,
    jpeg: &[u8],
    (width, height): (u32, u32),
    now: Timestamp,
) -> Result<()> {
    let blob = photos::put_blob(tx, jpeg, width, height)?;
    let current: Option<i64> = tx
        .prepare_cached(
            "SELECT blob_id FROM photos WHERE person_id = ?1 AND source = 'directory'
              ORDER BY id DESC LIMIT 1",
        )?
        .query_row([person], |r| r.get(0))
        .optional()?;
    if current != Some(blob) {
        photos::add(tx, person, blob, "directory", None, now)?;
    }
    Ok(())
}

/// Inserts or updates a structure (by entryUUID, else code); returns its id.
pub fn upsert_structure(
    tx: &Transaction<'_>,
    rec: &StructureRecord,
    entry_uuid: &str,
    dn_key: &str,
) -> Result<(i64, Outcome)> {
    // (id, whether every field is already as in `rec`)
    // By entryUUID, else by code: two plain lookups (see `upsert_group`).
    let by = |sql: &str| -> Result<Option<(i64, bool)>> {
        Ok(tx
            .prepare_cached(sql)?
            .query_row(
                params![
                    entry_uuid,
                    rec.code,
                    rec.uai,
                    rec.kind.as_str(),
                    rec.name,
                    dn_key
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    };
    const SAME: &str =
        "SELECT id, code = ?2 AND uai IS ?3 AND kind = ?4 AND name = ?5 AND dn_key IS ?6
                               AND entry_uuid IS ?1 FROM structures";
    let found = match by(&format!("{SAME} WHERE entry_uuid = ?1"))? {
        Some(f) => Some(f),
        None => by(&format!("{SAME} WHERE code = ?2"))?,
    };
    match found {
        Some((id, true)) => Ok((id, Outcome::Unchanged)),
        Some((id, false)) => {
            tx.prepare_cached(
                "UPDATE structures SET code = ?2, uai = ?3, kind = ?4, name = ?5, dn_key = ?6, entry_uuid = ?7,
                        source = 'ldap' WHERE id = ?1",
            )?
            .execute(params![id, rec.code, rec.uai, rec.kind.as_str(), rec.name, dn_key, entry_uuid])?;
            Ok((id, Outcome::Modified))
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO structures (code, uai, kind, name, dn_key, entry_uuid, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ldap')",
            )?
            .execute(params![
                rec.code,
                rec.uai,
                rec.kind.as_str(),
                rec.name,
                dn_key,
                entry_uuid
            ])?;
            Ok((tx.last_insert_rowid(), Outcome::Added))
        }
    }
}

pub fn set_structure_parent(tx: &Transaction<'_>, id: i64, parent: Option<i64>) -> Result<()> {
    tx.prepare_cached(
        "UPDATE structures SET parent_id = ?2 WHERE id = ?1 AND parent_id IS NOT ?2",
    )?
    .execute(params![id, parent.filter(|p| *p != id)])?;
    Ok(())
}

/// Structure ids by code, and codes by DN key, for resolving references.
#[derive(Debug, Default)]
pub struct StructureIndex {
    pub by_code: HashMap<String, i64>,
    pub by_dn: HashMap<String, String>,
}

pub fn structure_index(conn: &Connection) -> Result<StructureIndex> {
    let mut idx = StructureIndex::default();
    let mut stmt = conn.prepare("SELECT id, code, dn_key FROM structures")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, code, dn) = row?;
        if let Some(dn) = dn {
            idx.by_dn.insert(dn, code.clone());
        }
        idx.by_code.insert(code, id);
    }
    Ok(idx)
}

/// Groups by name, created on first use when a person's attributes name them.
#[derive(Debug, Default)]
pub struct GroupCache {
    by_name: HashMap<String, i64, FastHash>,
    loaded: bool,
}

impl GroupCache {
    fn load(&mut self, conn: &Connection) -> Result<()> {
        if !self.loaded {
            let mut stmt = conn.prepare("SELECT name, id FROM groups")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for row in rows {
                let (name, id) = row?;
                self.by_name.insert(name, id);
            }
            self.loaded = true;
        }
        Ok(())
    }

    /// The id of the group named `name`, creating it (source `ldap-attr`) when unknown, with the
    /// display name and kind `describe` gives (asked only then: a load looks groups up millions of
    /// times).
    pub fn ensure<D: AsRef<str>>(
        &mut self,
        tx: &Transaction<'_>,
        name: &str,
        describe: impl FnOnce() -> (D, GroupKind),
    ) -> Result<i64> {
        self.load(tx)?;
        if let Some(id) = self.by_name.get(name) {
            return Ok(*id);
        }
        let (display, kind) = describe();
        tx.prepare_cached(
            "INSERT INTO groups (name, display_name, kind, source) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            name,
            display.as_ref(),
            kind.as_str(),
            ATTR_GROUP_SOURCE
        ])?;
        let id = tx.last_insert_rowid();
        self.by_name.insert(name.to_string(), id);
        Ok(id)
    }

    pub fn remember(&mut self, name: &str, id: i64) {
        self.by_name.insert(name.to_string(), id);
    }

    pub fn forget_all(&mut self) {
        self.by_name.clear();
        self.loaded = false;
    }
}

/// Sets the groups a person is in by their own attributes (origin bit 2) to exactly `groups`; returns
/// (added, removed).
pub fn set_person_groups(
    tx: &Transaction<'_>,
    person: PersonId,
    groups: &HashSet<i64>,
) -> Result<(usize, usize)> {
    let current: HashSet<i64> = {
        let mut stmt = tx.prepare_cached(
            "SELECT group_id FROM memberships WHERE person_id = ?1 AND origin & 2 != 0",
        )?;
        let rows = stmt.query_map([person], |r| r.get(0))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let added = groups.difference(&current).count();
    for g in groups.difference(&current) {
        add_membership(tx, *g, person, FROM_PERSON)?;
    }
    let mut removed = 0;
    for g in current.difference(groups) {
        removed += clear_bit(tx, *g, person, FROM_PERSON)?;
    }
    Ok((added, removed))
}

/// Clears one origin bit of a membership, dropping the row when none is left; returns 1 if dropped.
fn clear_bit(tx: &Transaction<'_>, group: i64, person: PersonId, bit: i64) -> Result<usize> {
    tx.prepare_cached(
        "UPDATE memberships SET origin = origin & ~?3 WHERE group_id = ?1 AND person_id = ?2",
    )?
    .execute(params![group, person, bit])?;
    Ok(tx
        .prepare_cached(
            "DELETE FROM memberships WHERE group_id = ?1 AND person_id = ?2 AND origin = 0",
        )?
        .execute(params![group, person])?)
}

/// Inserts or updates a group entry (by entryUUID, else name). `Unchanged` when its digest is the same.
pub fn upsert_group(
    tx: &Transaction<'_>,
    rec: &GroupRecord,
    entry_uuid: &str,
    dn_key: &str,
    hash: &str,
) -> Result<(i64, Outcome)> {
    // By entryUUID, else by name: two plain lookups. One `entry_uuid = ?1 OR name = ?2 ORDER BY
    // entry_uuid = ?1` query was planned again at every call (its plan depends on the bound values),
    // half of a first load's group writing.
    let by = |sql: &str, value: &str| -> Result<Option<(i64, Option<String>)>> {
        Ok(tx
            .prepare_cached(sql)?
            .query_row([value], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    };
    let found = match by(
        "SELECT id, sync_hash FROM groups WHERE entry_uuid = ?1",
        entry_uuid,
    )? {
        Some(f) => Some(f),
        None => by(
            "SELECT id, sync_hash FROM groups WHERE name = ?1",
            &rec.name,
        )?,
    };
    match found {
        Some((id, old)) if old.as_deref() == Some(hash) => Ok((id, Outcome::Unchanged)),
        Some((id, _)) => {
            // A renamed group may collide with an attribute-made group of the new name: merge into this one.
            let other: Option<i64> = tx
                .prepare_cached("SELECT id FROM groups WHERE name = ?1 AND id != ?2")?
                .query_row(params![rec.name, id], |r| r.get(0))
                .optional()?;
            if let Some(other) = other {
                tx.prepare_cached(
                    "INSERT INTO memberships (group_id, person_id, origin)
                     SELECT ?1, person_id, origin FROM memberships WHERE group_id = ?2 AND true
                     ON CONFLICT(group_id, person_id) DO UPDATE SET origin = origin | excluded.origin",
                )?
                .execute(params![id, other])?;
                tx.prepare_cached("DELETE FROM groups WHERE id = ?1")?
                    .execute([other])?;
            }
            tx.prepare_cached(
                "UPDATE groups SET name = ?2, display_name = ?3, kind = ?4, source = 'ldap', dn_key = ?5,
                        entry_uuid = ?6, sync_hash = ?7 WHERE id = ?1",
            )?
            .execute(params![
                id,
                rec.name,
                rec.display_name,
                rec.kind.as_str(),
                dn_key,
                entry_uuid,
                hash
            ])?;
            Ok((id, Outcome::Modified))
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO groups (name, display_name, kind, source, dn_key, entry_uuid, sync_hash)
                 VALUES (?1, ?2, ?3, 'ldap', ?4, ?5, ?6)",
            )?
            .execute(params![rec.name, rec.display_name, rec.kind.as_str(), dn_key, entry_uuid, hash])?;
            Ok((tx.last_insert_rowid(), Outcome::Added))
        }
    }
}

/// Sets a group's direct members (origin bit 1) to exactly `members`, by difference: a 35,000-member
/// group with one change costs one insert or delete. Returns (added, removed).
pub fn set_group_members(
    tx: &Transaction<'_>,
    group: i64,
    members: &HashSet<PersonId>,
) -> Result<(usize, usize)> {
    let current: HashSet<PersonId> = {
        let mut stmt = tx.prepare_cached(
            "SELECT person_id FROM memberships WHERE group_id = ?1 AND origin & 1 != 0",
        )?;
        let rows = stmt.query_map([group], |r| r.get(0))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let mut added = 0;
    for p in members.difference(&current) {
        add_membership(tx, group, *p, FROM_GROUP)?;
        added += 1;
    }
    let mut removed = 0;
    for p in current.difference(members) {
        clear_bit(tx, group, *p, FROM_GROUP)?;
        removed += 1;
    }
    Ok((added, removed))
}

/// Sets the groups nested in `group` to exactly `children`.
pub fn set_group_children(tx: &Transaction<'_>, group: i64, children: &HashSet<i64>) -> Result<()> {
    tx.prepare_cached("DELETE FROM group_links WHERE parent_id = ?1")?
        .execute([group])?;
    let mut add = tx.prepare_cached(
        "INSERT OR IGNORE INTO group_links (parent_id, child_id) VALUES (?1, ?2)",
    )?;
    for c in children {
        if *c != group {
            add.execute(params![group, c])?;
        }
    }
    Ok(())
}

/// Recomputes the members every group has through nested groups (origin bit 4), cycles included;
/// returns the number of membership rows added or removed.
pub fn flatten_nested(tx: &Transaction<'_>) -> Result<usize> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    {
        let mut stmt = tx.prepare("SELECT parent_id, child_id FROM group_links")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (p, c) = row?;
            children.entry(p).or_default().push(c);
        }
    }
    let mut parents: HashSet<i64> = children.keys().copied().collect();
    {
        // Groups that had nested members but no longer have children.
        let mut stmt =
            tx.prepare("SELECT DISTINCT group_id FROM memberships WHERE origin & 4 != 0")?;
        let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        for row in rows {
            parents.insert(row?);
        }
    }
    let mut changed = 0;
    let mut direct = tx.prepare_cached(
        "SELECT person_id FROM memberships WHERE group_id = ?1 AND origin & 3 != 0",
    )?;
    let mut nested_now = tx.prepare_cached(
        "SELECT person_id FROM memberships WHERE group_id = ?1 AND origin & 4 != 0",
    )?;
    for parent in parents {
        let mut seen = HashSet::from([parent]);
        let mut stack: Vec<i64> = children.get(&parent).cloned().unwrap_or_default();
        let mut wanted: HashSet<PersonId> = HashSet::new();
        while let Some(g) = stack.pop() {
            if !seen.insert(g) {
                continue;
            }
            let rows = direct.query_map([g], |r| r.get::<_, PersonId>(0))?;
            for row in rows {
                wanted.insert(row?);
            }
            stack.extend(children.get(&g).into_iter().flatten().copied());
        }
        let current: HashSet<PersonId> = nested_now
            .query_map([parent], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        for p in wanted.difference(&current) {
            add_membership(tx, parent, *p, FROM_NESTING)?;
            changed += 1;
        }
        for p in current.difference(&wanted) {
            clear_bit(tx, parent, *p, FROM_NESTING)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Sets the pupils a person is responsible for (`parent_of` links) to exactly `pupils`.
pub fn set_pupils(
    tx: &Transaction<'_>,
    parent: PersonId,
    pupils: &HashSet<PersonId>,
) -> Result<()> {
    tx.prepare_cached("DELETE FROM person_links WHERE person_id = ?1 AND kind = 'parent_of'")?
        .execute([parent])?;
    for p in pupils {
        persons::link(tx, parent, *p, "parent_of")?;
    }
    Ok(())
}

/// Calls `f` with the DN key and id of every person that has one (the sync's member index).
pub fn each_person_dn(conn: &Connection, mut f: impl FnMut(&str, PersonId)) -> Result<()> {
    let mut stmt = conn.prepare("SELECT dn_key, id FROM persons WHERE dn_key IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(row.get_ref(0)?.as_str().unwrap_or_default(), row.get(1)?);
    }
    Ok(())
}

pub fn person_by_dn(conn: &Connection, dn_key: &str) -> Result<Option<PersonId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM persons WHERE dn_key = ?1")?
        .query_row([dn_key], |r| r.get(0))
        .optional()?)
}

/// Group ids by DN key (nested group members).
pub fn group_dn_index(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT dn_key, id FROM groups WHERE dn_key IS NOT NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Calls `f` with the entryUUID and id of every directory person still present in the mirror (not
/// departed).
pub fn each_active_directory_person(
    conn: &Connection,
    mut f: impl FnMut(&str, PersonId),
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT entry_uuid, id FROM persons
          WHERE source = 'ldap' AND departed_at IS NULL AND entry_uuid IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let uuid = row.get_ref(0)?;
        f(uuid.as_str().unwrap_or_default(), row.get(1)?);
    }
    Ok(())
}

/// Entry UUIDs of the directory's groups or structures (`table` is `groups` or `structures`).
pub fn directory_uuids(conn: &Connection, table: Table) -> Result<HashMap<String, i64>> {
    let sql = format!(
        "SELECT entry_uuid, id FROM {} WHERE source = 'ldap' AND entry_uuid IS NOT NULL",
        table.name()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Groups,
    Structures,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Groups => "groups",
            Table::Structures => "structures",
        }
    }
}

/// A person has left the directory: erased when they never had a card, else kept and marked departed
/// (their cards and history stay). Returns `true` when erased.
pub fn remove_person(tx: &Transaction<'_>, id: PersonId, now: Timestamp) -> Result<bool> {
    let cards: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM cards WHERE person_id = ?1")?
        .query_row([id], |r| r.get(0))?;
    tx.prepare_cached("DELETE FROM memberships WHERE person_id = ?1")?
        .execute([id])?;
    if cards == 0 {
        tx.prepare_cached("DELETE FROM persons WHERE id = ?1")?
            .execute([id])?;
        Ok(true)
    } else {
        tx.prepare_cached(
            "UPDATE persons SET departed_at = ?2, sync_hash = NULL WHERE id = ?1 AND departed_at IS NULL",
        )?
        .execute(params![id, ts(now)])?;
        Ok(false)
    }
}

/// Removes a group or structure that left the directory. A structure still referenced by a person is
/// kept (the person's record keeps pointing at it).
pub fn remove_entry(tx: &Transaction<'_>, table: Table, id: i64) -> Result<bool> {
    match table {
        Table::Groups => {
            tx.prepare_cached("DELETE FROM groups WHERE id = ?1")?
                .execute([id])?;
            Ok(true)
        }
        Table::Structures => {
            tx.prepare_cached("UPDATE structures SET parent_id = NULL WHERE parent_id = ?1")?
                .execute([id])?;
            Ok(tx
                .prepare_cached(
                    "DELETE FROM structures WHERE id = ?1
                       AND NOT EXISTS (SELECT 1 FROM persons WHERE structure_id = ?1)",
                )?
                .execute([id])?
                > 0)
        }
    }
}

/// Drops attribute-made groups nobody is in any more.
pub fn drop_empty_attribute_groups(tx: &Transaction<'_>) -> Result<usize> {
    Ok(tx.execute(
        "DELETE FROM groups WHERE source = ?1
            AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = groups.id)
            AND NOT EXISTS (SELECT 1 FROM group_links l WHERE l.child_id = groups.id)",
        [ATTR_GROUP_SOURCE],
    )?)
}

/// Settings key present while a first load of the directory is under way (see [`begin_first_load`]).
const FIRST_LOAD: &str = "sync.first_load";

/// Whether the next sync is a first load: the mirror holds nothing from the directory yet, or a first
/// load was interrupted.
pub fn first_load_pending(conn: &Connection) -> Result<bool> {
    Ok(super::settings::get(conn, FIRST_LOAD)?.is_some()
        || conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM persons WHERE source = 'ldap')
                AND NOT EXISTS (SELECT 1 FROM groups WHERE source IN ('ldap', ?1))",
            [ATTR_GROUP_SOURCE],
            |r| r.get(0),
        )?)
}

/// Starts a first load. A first load writes memberships only at its end (all at once, in key order:
/// [`insert_memberships`]), so the marker stays until its last transaction ([`end_first_load`]); when
/// a previous first load was interrupted, the digests of what it wrote are forgotten so that every entry
/// is read again. The secondary indexes are dropped until the end too. Returns whether the mirror is
/// fresh: no earlier first load left rows in it, so every entry read is new.
pub fn begin_first_load(tx: &Transaction<'_>) -> Result<bool> {
    let fresh = super::settings::get(tx, FIRST_LOAD)?.is_none();
    if fresh {
        super::settings::set(tx, FIRST_LOAD, "1")?;
    } else {
        tx.execute(
            "UPDATE persons SET sync_hash = NULL WHERE source = 'ldap'",
            [],
        )?;
        tx.execute(
            "UPDATE groups SET sync_hash = NULL WHERE source = 'ldap'",
            [],
        )?;
    }
    super::suspend_secondary_indexes_in(tx)?;
    if fresh {
        // Every person read is new: the load keeps the uniqueness rules itself, in memory
        // (`directory::sync::ids::UniqueKeys`, from [`each_unique_person_key`]).
        super::suspend_unique_indexes_of(tx, "persons")?;
    }
    Ok(fresh)
}

/// Every person's entryUUID and eppn (the values with a uniqueness rule), persons of any source.
pub fn each_unique_person_key(
    conn: &Connection,
    mut f: impl FnMut(Option<&str>, Option<&str>),
) -> Result<()> {
    let mut stmt = conn.prepare("SELECT entry_uuid, eppn FROM persons")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let text = |i| -> Result<Option<&str>> {
            Ok(r.get_ref(i)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?)
        };
        f(text(0)?, text(1)?);
    }
    Ok(())
}

/// Ends a first load (its last transaction).
pub fn end_first_load(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM settings WHERE key = ?1", [FIRST_LOAD])?;
    Ok(())
}

/// A membership waiting to be written by a first load: (group, person, origin bits). Ids of a first
/// load are new rows, far below `u32::MAX`; larger ones are written at once instead.
pub type PendingMembership = (u32, u32, u8);

/// Writes the memberships gathered by a first load: sorted by key, one row per (group, person) with the
/// origins merged (the secondary indexes are suspended meanwhile, see
/// `store::suspend_secondary_indexes_in`). Rows already there (a resumed first load) get the origins
/// added. Returns the number of rows written.
pub fn insert_memberships(
    tx: &Transaction<'_>,
    pending: &mut Vec<PendingMembership>,
) -> Result<usize> {
    // By (group, person) packed in one integer: cheaper to compare than the tuple.
    pending.sort_unstable_by_key(|&(g, p, _)| (u64::from(g) << 32) | u64::from(p));
    // One row per (group, person), with the origins merged into the first.
    pending.dedup_by(|later, kept| {
        let same = later.0 == kept.0 && later.1 == kept.1;
        if same {
            kept.2 |= later.2;
        }
        same
    });
    let rows = std::mem::take(pending);
    // Into an empty table (a first load's), the rows, one per pair, cannot meet another: `OR IGNORE`
    // then does what the merge does, and lets SQLite write a statement of many rows without a
    // statement journal (one that may stop half-way on a rule must keep one, a copy of each page it
    // changes: a third of the time here).
    let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM memberships)", [], |r| {
        r.get(0)
    })?;
    let (or_ignore, on_conflict) = if empty {
        ("OR IGNORE", "")
    } else {
        (
            "",
            "ON CONFLICT(group_id, person_id) DO UPDATE SET origin = origin | excluded.origin",
        )
    };
    // Many rows per statement: a million single-row statements cost more in statement overhead than
    // in writing.
    const PER_STATEMENT: usize = 64;
    for chunk in rows.chunks(PER_STATEMENT) {
        let values = vec!["(?, ?, ?)"; chunk.len()].join(", ");
        tx.prepare_cached(&format!(
            "INSERT {or_ignore} INTO memberships (group_id, person_id, origin) VALUES {values}
             {on_conflict}"
        ))?
        .execute(rusqlite::params_from_iter(
            chunk
                .iter()
                .flat_map(|&(g, p, o)| [i64::from(g), i64::from(p), i64::from(o)]),
        ))?;
    }
    Ok(rows.len())
}

/// Adds one membership origin: the one upsert of a membership row, whatever the origin.
pub fn add_membership(
    tx: &Transaction<'_>,
    group: i64,
    person: PersonId,
    origin: i64,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO memberships (group_id, person_id, origin) VALUES (?1, ?2, ?3)
         ON CONFLICT(group_id, person_id) DO UPDATE SET origin = origin | excluded.origin",
    )?
    .execute(params![group, person, origin])?;
    Ok(())
}

/// Total memberships, for the sync report.
pub fn membership_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM memberships", [], |r| r.get(0))?)
}

#[cfg(test)]
#[path = "mirror_tests.rs"]
mod tests;
