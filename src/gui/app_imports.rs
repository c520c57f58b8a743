//! The window's part of the Imports screen, kept out of `app.rs`: a SIECLE import changed the store, so
//! the counts of the status bar and the Desk's directory are read again.

use super::app::{App, Effect};
use super::imports_jobs::ImportsDone;
use super::jobs::Job;

impl App {
    pub(super) fn on_imports_done(&mut self, done: ImportsDone) -> Vec<Effect> {
        let (changed, mut fx) = self.imports.on_done(done);
        if changed {
            fx.push(Effect::Job(Job::Counts));
            fx.extend(self.desk.reload());
        }
        fx
    }
}
