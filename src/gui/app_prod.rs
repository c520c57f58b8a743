//! The window's card-production wiring, kept out of `app.rs`: the results of the production jobs, print
//! progress, dialog answers and dropped files, dispatched to the Desk's card flow, the Production screen
//! and Settings → Printing.

use std::path::PathBuf;

use super::app::{App, Effect, Screen};
use super::jobs::Job;
use super::printing::{Dialog, Origin, PrintMsg};
use super::prod_jobs::{ProdDone, ProdJob};
use super::screens::{production, studio};
use crate::fl;

impl App {
    pub(super) fn on_production(&mut self, msg: production::Message) -> Vec<Effect> {
        self.on_batch(msg)
    }

    pub(super) fn on_prod_done(&mut self, done: ProdDone) -> Vec<Effect> {
        match done {
            ProdDone::PhotoLoaded {
                card,
                image,
                work,
                origin,
            } => {
                if let Some(s) = self.desk.studio.as_mut().filter(|s| s.card == card) {
                    s.on_photo_loaded(image, &work, origin);
                }
            }
            ProdDone::PhotoFailed(m) => {
                if let Some(s) = self.desk.studio.as_mut() {
                    s.busy = None;
                    s.error = Some(m);
                }
            }
            ProdDone::PhotoSaved { card, person } => {
                let mut fx = vec![Effect::Job(Job::Person(person))];
                if let Some(s) = self.desk.studio.as_mut().filter(|s| s.card == card) {
                    fx.extend(s.on_photo_saved());
                }
                return fx;
            }
            ProdDone::Preview { card, front, back } => {
                if let Some(s) = self.desk.studio.as_mut().filter(|s| s.card == card) {
                    s.on_preview(&front, back.as_deref());
                }
                if self.production.selected == Some(card) {
                    self.production.on_preview(card, &front, back.as_deref());
                }
            }
            ProdDone::Printers { list, service } => {
                let default = self.services.config.print.printer.clone();
                if let Some(s) = self.desk.studio.as_mut() {
                    s.on_printers(list.clone(), service.clone());
                }
                self.production
                    .on_printers(list.clone(), default.as_deref());
                self.printers.loading = false;
                self.printers.printers = list;
                self.printers.service_note = service;
            }
            ProdDone::Campaign { seq, rows, counts } => {
                self.production.on_campaign(seq, rows, counts)
            }
            ProdDone::CampaignFailed { seq, message } => {
                self.production.on_campaign_failed(seq, message)
            }
            ProdDone::Exported(m) => {
                self.production.info = Some(m.clone());
                self.status = Some(m);
            }
            ProdDone::Templates {
                list,
                errors,
                populations,
            } => {
                self.printers.templates = list;
                self.printers.template_errors = errors;
                self.printers.populations = populations;
            }
            ProdDone::Webcams(list) => {
                if let Some(s) = self.desk.studio.as_mut() {
                    s.webcams = Some(list);
                }
            }
            ProdDone::Customised(path) => {
                self.printers.info =
                    Some(fl!("templates-copied", path = path.display().to_string()));
                return vec![Effect::Job(Job::Prod(ProdJob::Templates))];
            }
        }
        Vec::new()
    }

    pub(super) fn on_print(&mut self, msg: PrintMsg) -> Vec<Effect> {
        let origin = match &msg {
            PrintMsg::Progress(o, _) | PrintMsg::Finished(o, _) | PrintMsg::Failed(o, _) => *o,
        };
        match origin {
            Origin::Desk => {
                let finished = matches!(msg, PrintMsg::Finished(..));
                let mut fx = Vec::new();
                if let Some(s) = self.desk.studio.as_mut() {
                    s.on_print(msg);
                    if finished {
                        fx.push(Effect::Job(Job::Person(s.person)));
                        fx.push(Effect::Job(Job::Counts));
                    }
                }
                fx
            }
            Origin::Production => {
                let mut fx = self.production.on_print(msg);
                if self.production.running.is_none() {
                    fx.push(self.production.refresh_counts());
                }
                fx
            }
        }
    }

    pub(super) fn on_picked(&mut self, dialog: Dialog, path: Option<PathBuf>) -> Vec<Effect> {
        let Some(path) = path else {
            return Vec::new(); // cancelled
        };
        match dialog {
            Dialog::OpenPhoto => self.on_dropped(path),
            Dialog::OpenProfile | Dialog::OpenKeys => self.encoding.on_picked(&dialog, path),
            Dialog::SaveQueueCsv => self.queue.on_picked(path),
            Dialog::OpenPatchIds => self.queue.job(super::queue_jobs::QueueJob::PatchFile(path)),
            Dialog::OpenEsist => {
                self.services_tab.rules_busy = true;
                vec![Effect::Job(Job::Queue(
                    super::queue_jobs::QueueJob::ImportEsist(path),
                ))]
            }
            Dialog::SavePdf(Origin::Desk) => match self.desk.studio.as_mut() {
                Some(s) => s.print(super::printing::Destination::Pdf(path)),
                None => Vec::new(),
            },
            other => self.production.on_picked(other, path),
        }
    }

    /// A dropped (or chosen) photo goes to the Desk's card flow when it is open.
    pub(super) fn on_dropped(&mut self, path: PathBuf) -> Vec<Effect> {
        if self.screen != Screen::Desk {
            return Vec::new();
        }
        match self.desk.studio.as_mut() {
            Some(s) => {
                s.step = studio::Step::Photo;
                s.update(studio::Message::File(path))
            }
            None => {
                self.desk.info = Some(fl!("studio-drop-first"));
                Vec::new()
            }
        }
    }
}
