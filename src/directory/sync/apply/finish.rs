//! The last transaction of a sync: the links that wait for every entry (parents' pupils, nested
//! groups), the deletions, the flattened memberships, the due-date card rules and the saved cookies.

use std::collections::HashSet;
use std::time::Instant;

use jiff::Timestamp;
use rusqlite::Transaction;

use super::{Applier, Finish, KindState};
use crate::directory::sync::Kind;
use crate::domain::card::PersonId;
use crate::store::mirror::{self, Table};
use crate::store::{self, due_dates, sync_state};

impl Applier {
    pub(super) fn finish(
        &mut self,
        tx: &Transaction<'_>,
        f: Finish,
        gone: &[PersonId],
        now: Timestamp,
        step: Instant,
    ) -> store::Result<()> {
        let lap = |what: &str| lap(step, what);
        if self.opts.first_load {
            mirror::end_first_load(tx)?;
        }
        // The lookups below need the indexes a first load suspended.
        store::restore_secondary_indexes_in(tx)?;
        lap("indexes");
        // Parents' pupils and nested groups: every entry is in the mirror now.
        for (parent, keys) in std::mem::take(&mut self.pending_pupils) {
            let mut pupils = HashSet::new();
            for k in keys {
                if let Some(p) = mirror::person_by_dn(tx, &k)? {
                    pupils.insert(p);
                }
            }
            mirror::set_pupils(tx, parent, &pupils)?;
        }
        let pending = std::mem::take(&mut self.pending_children);
        if !pending.is_empty() {
            let index = mirror::group_dn_index(tx)?;
            for (gid, keys) in pending {
                let children: HashSet<i64> =
                    keys.iter().filter_map(|k| index.get(k).copied()).collect();
                mirror::set_group_children(tx, gid, &children)?;
            }
        }
        lap("links");
        // Deletions: persons (checked by the guard), groups, structures.
        for &id in gone {
            if mirror::remove_person(tx, id, now)? {
                self.report.deleted += 1;
            } else {
                self.report.departed += 1;
            }
        }
        for (kind, table) in [
            (Kind::Groups, Table::Groups),
            (Kind::Structures, Table::Structures),
        ] {
            let state = self.kinds.remove(&kind).unwrap_or_default();
            let mut gone = GoneIds::new(&state);
            for (uuid, id) in mirror::directory_uuids(tx, table)? {
                gone.check(&uuid, id);
            }
            for id in gone.finish().0 {
                if mirror::remove_entry(tx, table, id)? && kind == Kind::Groups {
                    self.report.groups += 1;
                }
            }
        }
        lap("deletions");
        self.memberships += mirror::flatten_nested(tx)?;
        lap("nesting");
        mirror::drop_empty_attribute_groups(tx)?;
        let today = now.to_zoned(jiff::tz::TimeZone::system()).date();
        self.report.cards = due_dates::apply(tx, today, &self.opts.cards, now)?.len();
        lap("due dates");
        self.report.memberships = self.memberships;
        self.report.mode = f.mode;
        self.report.entries = f.entries;
        self.report.skipped = f.skipped.len();
        self.report.problems = f.skipped.into_iter().take(20).collect();
        let json = serde_json::to_string(&self.report).unwrap_or_default();
        for (base, cookie, fingerprint) in f.states {
            sync_state::save_success(
                tx,
                base,
                cookie.as_deref(),
                &fingerprint,
                f.mode.as_str(),
                &json,
                now,
            )?;
        }
        Ok(())
    }
}

/// Logs a step of the end of a sync (`sync finish step=… ms=…`, milliseconds since `start`; the
/// directory bench reads them).
pub(super) fn lap(start: Instant, what: &str) {
    tracing::debug!(
        step = what,
        ms = start.elapsed().as_millis() as u64,
        "sync finish"
    )
}

/// Ids of mirror rows that left the directory: explicitly deleted, or not seen in a refresh that
/// lists everything present.
/// Fed every mirror row of a kind (entry id, row id), one at a time: no copy of the mirror's ids.
pub(super) struct GoneIds<'a> {
    state: &'a KindState,
    deleted: HashSet<&'a str>,
    out: Vec<i64>,
    known: usize,
}

impl<'a> GoneIds<'a> {
    pub(super) fn new(state: &'a KindState) -> GoneIds<'a> {
        GoneIds {
            state,
            deleted: state.deleted.iter().map(String::as_str).collect(),
            out: Vec::new(),
            known: 0,
        }
    }

    pub(super) fn check(&mut self, uuid: &str, id: i64) {
        self.known += 1;
        if (self.state.by_absence || self.deleted.contains(uuid)) && !self.state.seen.contains(uuid)
        {
            self.out.push(id);
        }
    }

    /// (ids gone, rows known).
    pub(super) fn finish(mut self) -> (Vec<i64>, usize) {
        self.out.sort_unstable();
        self.out.dedup();
        (self.out, self.known)
    }
}
