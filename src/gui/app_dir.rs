//! The window's directory wiring, kept out of `app.rs`: sync messages and the results of the
//! directory jobs, dispatched to the Directory form, the sync state, the Groups screen and the Desk.

use std::time::Instant;

use super::app::{App, Effect};
use super::dir_jobs::{DirDone, DirJob, Outcome};
use super::jobs::Job;
use super::sync;
use crate::directory::sync::Report;
use crate::fl;

/// Whether a sync changed anything the screens show.
fn changed(r: &Report) -> bool {
    r.added + r.modified + r.deleted + r.departed + r.groups + r.memberships + r.cards > 0
}

impl App {
    pub(super) fn on_sync(&mut self, msg: sync::Message) -> Vec<Effect> {
        if self.starting && matches!(msg, sync::Message::Tick(_)) {
            return Vec::new(); // no background sync while the database is being prepared
        }
        let reload = matches!(&msg, sync::Message::Finished(Outcome::Done(r)) if changed(r));
        let mut fx = self.sync.update(&self.services.config, msg, Instant::now());
        if reload {
            // The Desk keeps its place; lists, the open person and the counts are read again.
            fx.extend(self.desk.reload());
            fx.extend(self.groups.reload());
            fx.push(Effect::Job(Job::Counts));
        }
        fx
    }

    pub(super) fn on_dir_done(&mut self, done: DirDone) -> Vec<Effect> {
        match done {
            DirDone::Password(p) => self.directory.password_state = Some(p),
            DirDone::Saved { password, error } => {
                let ok = error.is_none();
                self.directory
                    .on_saved(&self.services.config, password, error);
                if ok {
                    self.status = Some(fl!("status-settings-saved"));
                    self.sync
                        .settings_changed(&self.services.config, Instant::now());
                    return vec![Effect::Job(Job::Dir(DirJob::Status))];
                }
            }
            DirDone::Tested(result) => self.directory.on_tested(result),
            DirDone::Status(state) => self.sync.status = state.map(|s| *s),
            DirDone::Groups(tree) => return self.groups.on_tree(tree),
            DirDone::Members { group, ids } => return self.groups.on_members(group, ids),
            DirDone::MemberRows(rows) => self.groups.on_member_rows(rows),
            DirDone::GroupsFailed(message) => self.groups.on_failed(message),
        }
        Vec::new()
    }
}
