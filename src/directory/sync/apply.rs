//! The writer side of a sync: runs on its own thread, applies batches of mapped entries (one
//! transaction each) and finishes with links, deletions, nested groups, the due-date card rules and
//! the cookies, in one last transaction.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rusqlite::Transaction;

use super::ids::{DnIndex, IdSet, UniqueKeys};
use super::items::{GroupItem, PersonItem};
use super::{Kind, Mode, Report};
use crate::directory::client::DirError;
use crate::directory::dn_key;
use crate::directory::mapping::{self, ClassRef, MappedStructure, StructureRef};
use crate::domain::card::PersonId;
use crate::domain::group::GroupKind;
use crate::store::cards::CardOptions;
use crate::store::mirror::{self, Outcome, PendingMembership, StructureIndex};
use crate::store::persons::SyncFacts;
use crate::store::side_index::{SideDoc, SideIndex};
use crate::store::{self, Store};

mod finish;
#[cfg(test)]
mod tests;
use self::finish::{GoneIds, lap};

/// A message from the LDAP side.
pub enum Msg {
    Structures(Vec<(String, MappedStructure)>),
    Persons(Vec<PersonItem>),
    Groups(Vec<GroupItem>),
    /// Entries the server reports present (unchanged) or that could not be mapped: never deleted.
    Seen(Kind, Vec<String>),
    /// The same, as raw entryUUIDs (an RFC 4533 present set lists every unchanged entry).
    SeenUuids(Kind, Vec<u128>),
    /// Entries the server reports deleted.
    Deleted(Kind, Vec<String>),
    /// End of a search; `by_absence`: entries of this kind not seen are gone (a full or present-phase
    /// refresh).
    Done {
        kind: Kind,
        by_absence: bool,
    },
    Finish(Finish),
}

/// What the last transaction needs besides the applied entries.
pub struct Finish {
    pub mode: Mode,
    /// (base name, cookie or watermark, fingerprint) for each search run.
    pub states: Vec<(&'static str, Option<Vec<u8>>, String)>,
    pub skipped: Vec<String>,
    pub entries: u64,
}

pub struct Options {
    pub allow_mass_delete: bool,
    pub mass_delete_percent: u32,
    pub cards: CardOptions,
    /// Many entries to write: batches share transactions of about a second.
    pub bulk: bool,
    /// The mirror holds nothing from the directory yet (see `mirror::first_load_pending`):
    /// memberships are gathered and written at once in the last transaction.
    pub first_load: bool,
}

/// How long a bulk load keeps one transaction open, and how many entries it puts in one at most.
const BULK_TRANSACTION: Duration = Duration::from_secs(1);
const BULK_ENTRIES: usize = 10_000;

#[derive(Default)]
struct KindState {
    seen: IdSet,
    deleted: Vec<String>,
    by_absence: bool,
}

pub struct Applier {
    store: Store,
    opts: Options,
    report: Report,
    kinds: HashMap<Kind, KindState>,
    structures: Option<StructureIndex>,
    groups: mirror::GroupCache,
    person_index: Option<DnIndex>,
    pending_pupils: Vec<(PersonId, Vec<String>)>,
    pending_children: Vec<(i64, Vec<String>)>,
    /// First load: memberships waiting for the end.
    pending_memberships: Vec<PendingMembership>,
    /// A first load into a mirror no earlier load wrote to: every person read is new, so the batches
    /// insert without looking the entry up first.
    fresh: bool,
    /// First load: the id of each person written, in the order they came (the reading side names a
    /// group's members by that order, see `GroupItem::member_ordinals`).
    by_ordinal: Vec<PersonId>,
    memberships: usize,
    /// A fresh first load, until the persons' unique indexes are back: the uniqueness rules they
    /// keep otherwise (`mirror::begin_first_load` suspends them).
    unique: Option<UniqueKeys>,
    /// A load's checkpoints, done on a thread of their own until the last one.
    checkpoints: Option<store::checkpoint::BackgroundCheckpoint>,
    /// A first load into an empty store: the search index written on a thread of its own
    /// (`store::side_index`), copied in as soon as it is complete ([`Applier::side_index_ready`]).
    side: Option<SideIndex>,
}

impl Applier {
    pub fn new(store: Store, opts: Options) -> Applier {
        Applier {
            store,
            opts,
            report: Report::default(),
            kinds: HashMap::new(),
            structures: None,
            groups: mirror::GroupCache::default(),
            person_index: None,
            pending_pupils: Vec::new(),
            pending_children: Vec::new(),
            pending_memberships: Vec::new(),
            fresh: false,
            by_ordinal: Vec::new(),
            memberships: 0,
            unique: None,
            checkpoints: None,
            side: None,
        }
    }

    /// Applies messages until `Finish` (or the channel closes: the LDAP side failed, nothing more
    /// is written). Each batch is one transaction; a bulk load groups batches into transactions of
    /// about a second, so the hot index pages are written to the log once per second instead of once
    /// per batch.
    pub fn run(mut self, rx: std::sync::mpsc::Receiver<Msg>) -> Result<Option<Report>, DirError> {
        if self.opts.first_load {
            let mut keys = UniqueKeys::default();
            self.fresh = self.store.write(|tx| {
                let fresh = mirror::begin_first_load(tx)?;
                if fresh {
                    mirror::each_unique_person_key(tx, |uuid, eppn| {
                        keys.admit(uuid, eppn);
                    })?;
                }
                Ok(fresh)
            })?;
            if self.fresh {
                self.unique = Some(keys);
                self.side = self.store.start_side_index()?;
            }
        }
        if self.opts.bulk {
            self.checkpoints = Some(self.store.background_checkpoint()?);
        }
        let mut next = rx.recv().ok();
        while let Some(msg) = next.take() {
            let msg = match msg {
                Msg::Finish(f) => return self.finish_all(f).map(Some),
                other => other,
            };
            let store = self.store.clone();
            let mut copy_index = false;
            // The batches index the persons they write themselves (`persons`), once each.
            store.write_self_indexed(|tx| {
                let started = Instant::now();
                let mut msg = msg;
                let mut entries = 0;
                loop {
                    entries += self.apply(tx, msg, Timestamp::now())?;
                    if self.side_index_ready() {
                        // Commit now: the search index is copied next, in a transaction of its own.
                        copy_index = true;
                        return Ok(());
                    }
                    let left = BULK_TRANSACTION.saturating_sub(started.elapsed());
                    if !self.opts.bulk || left.is_zero() || entries >= BULK_ENTRIES {
                        next = rx.recv().ok();
                        return Ok(());
                    }
                    match rx.recv_timeout(left) {
                        Ok(Msg::Finish(f)) => {
                            next = Some(Msg::Finish(f));
                            return Ok(());
                        }
                        Ok(m) => msg = m,
                        Err(RecvTimeoutError::Timeout) => {
                            next = rx.recv().ok();
                            return Ok(());
                        }
                        Err(RecvTimeoutError::Disconnected) => return Ok(()),
                    }
                }
            })?;
            if copy_index && let Some(side) = self.side.take() {
                self.adopt(side)?;
                next = rx.recv().ok();
            }
        }
        Ok(None)
    }

    /// Whether the search index written aside is complete and can be copied in without waiting: the
    /// thread has every document and has finished. Copied as soon as it is, while the groups are still
    /// read, or else in the last step.
    fn side_index_ready(&self) -> bool {
        self.side
            .as_ref()
            .is_some_and(|s| !s.accepting() && s.finished())
    }

    /// Applies one message in the current transaction; returns the number of entries it carried.
    fn apply(&mut self, tx: &Transaction<'_>, msg: Msg, now: Timestamp) -> store::Result<usize> {
        let entries = match &msg {
            Msg::Structures(v) => v.len(),
            Msg::Persons(v) => v.len(),
            Msg::Groups(v) => v.len(),
            _ => 0,
        };
        match msg {
            Msg::Structures(items) => self.structures(tx, items)?,
            Msg::Persons(items) => self.persons(tx, items, now)?,
            Msg::Groups(items) => self.groups(tx, items)?,
            Msg::Seen(kind, ids) => self.kind(kind).seen.extend(ids),
            Msg::SeenUuids(kind, ids) => {
                let seen = &mut self.kind(kind).seen;
                for u in ids {
                    seen.insert_uuid(u);
                }
            }
            Msg::Deleted(kind, ids) => self.kind(kind).deleted.extend(ids),
            Msg::Done { kind, by_absence } => {
                tracing::debug!(?kind, "sync: search applied");
                self.kind(kind).by_absence = by_absence;
                if kind == Kind::People && self.opts.first_load {
                    // Every person is written: their indexes are built now, while the reading side
                    // reads the groups ahead (`search::Context::first_load`), instead of at the end.
                    store::restore_secondary_indexes_of(tx, &["persons", "person_identifiers"])?;
                    self.unique = None;
                    tracing::debug!("sync: person indexes restored");
                    // The index thread has every document: it finishes while the groups are written,
                    // and the copy follows once it has (copying it here made the writer wait for the
                    // thread, then write the groups alone).
                    if let Some(side) = &mut self.side {
                        side.end_input();
                    }
                }
            }
            Msg::Finish(_) => unreachable!("Finish is handled by run"),
        }
        Ok(entries)
    }

    /// The mass-delete guard, then the last transaction.
    fn finish_all(mut self, f: Finish) -> Result<Report, DirError> {
        // The guard runs before anything is removed (the batches are committed, so the reader sees
        // them; only the sync writes directory persons).
        let now = Timestamp::now();
        self.person_index = None;
        let people = self.kinds.remove(&Kind::People).unwrap_or_default();
        let mut gone = GoneIds::new(&people);
        // On the writer connection, whose page cache already holds the persons (the reader's would
        // fill with them for this one scan). A first load into a mirror no load wrote to has written
        // every directory person it holds: none can be gone.
        if !self.fresh {
            self.store.write(|tx| {
                mirror::each_active_directory_person(tx, |uuid, id| gone.check(uuid, id))
            })?;
        }
        let (gone, total) = gone.finish();
        drop(people);
        if !gone.is_empty()
            && !self.opts.allow_mass_delete
            && gone.len() * 100 > self.opts.mass_delete_percent as usize * total
        {
            return Err(DirError::MassDelete {
                would: gone.len(),
                total,
                percent: self.opts.mass_delete_percent,
            });
        }
        let store = self.store.clone();
        let step = Instant::now();
        if self.opts.first_load {
            // Their groups and persons were all written by this load: no reference to check.
            let pending = &mut self.pending_memberships;
            self.memberships +=
                store.write_unchecked(|tx| mirror::insert_memberships(tx, pending))?;
            lap(step, "memberships");
        }
        store.write(|tx| self.finish(tx, f, &gone, now, step))?;
        // The search index last: its thread, at idle priority, may still be finishing after the
        // memberships, and the last transaction does not need it. Should the copy fail, the data is
        // all written and the index is rebuilt (`Store::repair_search_index`).
        if let Some(side) = self.side.take() {
            self.adopt(side)?;
            lap(step, "search index copy");
        }
        if self.opts.bulk {
            self.checkpoints = None;
            self.store.checkpoint()?;
            tracing::debug!("sync: checkpoint done");
        }
        tracing::debug!(cpu_ms = ?crate::thread_cpu().map(|d| d.as_millis()), "sync: writer done");
        Ok(self.report)
    }

    /// Copies the search index written aside into the store. Persons this load changed after their
    /// first document (an entry sent twice) were indexed in the store meanwhile: the copy indexes them
    /// again ([`SideIndex::finish`]).
    fn adopt(&mut self, side: SideIndex) -> Result<(), DirError> {
        side.finish(&self.store)?;
        tracing::debug!("sync: search index copied in");
        Ok(())
    }

    fn kind(&mut self, kind: Kind) -> &mut KindState {
        self.kinds.entry(kind).or_default()
    }

    fn structures(
        &mut self,
        tx: &Transaction<'_>,
        items: Vec<(String, MappedStructure)>,
    ) -> store::Result<()> {
        let mut parents = Vec::new();
        for (uuid, m) in &items {
            let (id, _) = mirror::upsert_structure(tx, &m.record, uuid, &dn_key(&m.dn))?;
            let parent = m
                .parent
                .clone()
                .or_else(|| m.record.parent_code.clone().map(StructureRef::Code));
            parents.push((id, parent));
        }
        let index = mirror::structure_index(tx)?;
        for (id, parent) in parents {
            let pid = parent.and_then(|p| resolve_structure(&index, &p).map(|(id, _)| id));
            mirror::set_structure_parent(tx, id, pid)?;
        }
        for (uuid, _) in items {
            self.kind(Kind::Structures).seen.insert(uuid);
        }
        self.structures = None;
        Ok(())
    }

    fn structure_index(&mut self, tx: &Transaction<'_>) -> store::Result<&StructureIndex> {
        if self.structures.is_none() {
            self.structures = Some(mirror::structure_index(tx)?);
        }
        Ok(self.structures.as_ref().expect("just loaded"))
    }

    fn persons(
        &mut self,
        tx: &Transaction<'_>,
        mut items: Vec<PersonItem>,
        now: Timestamp,
    ) -> store::Result<()> {
        // Persons whose search document this batch writes (without the index triggers): new ones as
        // (id, item), from their records.
        let mut added = Vec::new();
        let mut modified = Vec::new();
        for (at, item) in items.iter().enumerate() {
            let m = &item.mapped;
            let index = self.structure_index(tx)?;
            let structure = m
                .structure
                .as_ref()
                .and_then(|r| resolve_structure(index, r));
            let classes: Vec<(String, String, bool)> = m
                .classes
                .iter()
                .filter_map(|c| class_group(index, c))
                .collect();
            let hash = item.hash(structure.as_ref().map(|s| s.0));
            let structure = structure.map(|s| s.0);
            let facts = SyncFacts {
                dn_key: &item.dn_key,
                hash: &hash,
                computed: &item.computed,
            };
            let inserted = if self.fresh {
                if let Some(keys) = &mut self.unique
                    && !keys.admit(m.record.entry_uuid.as_deref(), m.record.eppn.as_deref())
                {
                    // The same value again, perhaps: SQLite's rules decide from here on.
                    self.unique = None;
                    store::restore_unique_indexes_of(tx, "persons")?;
                }
                mirror::insert_new_person(tx, &m.record, structure, facts, now)?
            } else {
                None
            };
            let (id, outcome) = match inserted {
                Some(id) => (id, Outcome::Added),
                None => mirror::upsert_person(tx, &m.record, structure, facts, now)?,
            };
            if self.opts.first_load {
                self.by_ordinal.push(id);
            }
            // Seen persons matter to the scan for departed ones, which a fresh load skips.
            if !self.fresh {
                self.kind(Kind::People).seen.insert(item.uuid.clone());
            }
            match outcome {
                Outcome::Unchanged => continue,
                Outcome::Added => {
                    self.report.added += 1;
                    added.push((id, at));
                }
                Outcome::Modified => {
                    self.report.modified += 1;
                    modified.push(id);
                    // The outside world follows a person's data (crous-escr.md §6: pushed only for
                    // persons with an enabled, disabled or expired card); unchanged pushed fields then
                    // cost no call (fingerprint).
                    if !self.opts.cards.services.is_empty()
                        && store::cards::has_followed_card(tx, id)?
                    {
                        for s in &self.opts.cards.services {
                            store::outbox::enqueue(tx, s.as_str(), "person", id, now)?;
                        }
                    }
                }
            }
            // A list: a first load's memberships are deduplicated when written.
            let mut groups = Vec::new();
            for name in &m.member_of {
                let g = self.groups.ensure(tx, name, || {
                    (
                        crate::domain::group::short_name(name),
                        mapping::group_kind(name),
                    )
                })?;
                groups.push(g);
            }
            for (name, display, teacher) in classes {
                let kind = if teacher {
                    GroupKind::Group
                } else {
                    GroupKind::Class
                };
                groups.push(self.groups.ensure(tx, &name, || (display, kind))?);
            }
            if self.opts.first_load {
                for g in groups {
                    self.add_membership(tx, g, id, mirror::FROM_PERSON)?;
                }
            } else if outcome == Outcome::Modified || !groups.is_empty() {
                let groups: HashSet<i64> = groups.into_iter().collect();
                let (a, r) = mirror::set_person_groups(tx, id, &groups)?;
                self.memberships += a + r;
            }
            if outcome == Outcome::Modified || !m.pupils.is_empty() {
                self.pending_pupils
                    .push((id, m.pupils.iter().map(|d| dn_key(d)).collect()));
            }
            if let Some(jpeg) = &m.photo
                && let Some(dims) = jpeg_dimensions(jpeg)
            {
                mirror::set_directory_photo(tx, id, jpeg, dims, now)?;
            }
        }
        match &self.side {
            Some(side) if side.accepting() => side.send(
                added
                    .into_iter()
                    .map(|(id, at)| {
                        let item = &mut items[at];
                        SideDoc::take(id, &mut item.computed, &mut item.doc)
                    })
                    .collect(),
            )?,
            _ => store::search::index_new_persons(
                tx,
                added
                    .into_iter()
                    .map(|(id, at)| (id, &items[at].computed, &items[at].doc)),
            )?,
        }
        store::search::index_persons(tx, &mut modified)?;
        Ok(())
    }

    fn groups(&mut self, tx: &Transaction<'_>, items: Vec<GroupItem>) -> store::Result<()> {
        if self.person_index.is_none() && self.opts.bulk && !self.opts.first_load {
            let mut index = DnIndex::new();
            mirror::each_person_dn(tx, |key, id| index.insert(key, id))?;
            self.person_index = Some(index);
        }
        for item in items {
            let (gid, outcome) =
                mirror::upsert_group(tx, &item.record, &item.uuid, &item.dn_key, &item.hash)?;
            self.groups.remember(&item.record.name, gid);
            self.kind(Kind::Groups).seen.insert(item.uuid);
            if outcome == Outcome::Unchanged {
                continue;
            }
            self.report.groups += 1;
            // A sorted list rather than a set: a first load goes through a million members.
            let mut persons: Vec<PersonId> = item
                .member_ordinals
                .iter()
                .filter_map(|&n| self.by_ordinal.get(n as usize).copied())
                .collect();
            let mut others = Vec::new();
            for k in item.members {
                let found = match &self.person_index {
                    Some(idx) => idx.get(&k),
                    None => mirror::person_by_dn(tx, &k)?,
                };
                match found {
                    Some(p) => persons.push(p),
                    None => others.push(k),
                }
            }
            persons.sort_unstable();
            persons.dedup();
            if self.opts.first_load {
                for p in persons {
                    self.add_membership(tx, gid, p, mirror::FROM_GROUP)?;
                }
            } else {
                let persons: HashSet<PersonId> = persons.into_iter().collect();
                let (a, r) = mirror::set_group_members(tx, gid, &persons)?;
                self.memberships += a + r;
            }
            self.pending_children.push((gid, others));
        }
        Ok(())
    }

    /// A first load keeps the membership for the last transaction.
    fn add_membership(
        &mut self,
        tx: &Transaction<'_>,
        group: i64,
        person: PersonId,
        origin: i64,
    ) -> store::Result<()> {
        match (u32::try_from(group), u32::try_from(person)) {
            (Ok(g), Ok(p)) => {
                self.pending_memberships.push((g, p, origin as u8));
                Ok(())
            }
            _ => {
                self.memberships += 1;
                mirror::add_membership(tx, group, person, origin)
            }
        }
    }
}

/// (id, code) of a referenced structure.
fn resolve_structure(index: &StructureIndex, r: &StructureRef) -> Option<(i64, String)> {
    let code = match r {
        StructureRef::Code(c) => c.clone(),
        StructureRef::Dn(d) => index.by_dn.get(&dn_key(d))?.clone(),
    };
    index.by_code.get(&code).map(|id| (*id, code))
}

/// The mirror group of a class value: (name, display name, teachers?).
fn class_group(index: &StructureIndex, c: &ClassRef) -> Option<(String, String, bool)> {
    let code = match &c.structure {
        StructureRef::Code(code) => code.clone(),
        StructureRef::Dn(_) => resolve_structure(index, &c.structure)?.1,
    };
    let class = c.class.trim();
    if class.is_empty() {
        return None;
    }
    Some(if c.teacher {
        (
            format!("{code}:Classes:{class}:Profs"),
            format!("Profs_{class}"),
            true,
        )
    } else {
        (format!("{code}:Classes:{class}"), class.to_string(), false)
    })
}

fn jpeg_dimensions(jpeg: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(std::io::Cursor::new(jpeg))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}
