//! The Queue screen (crous-escr.md §2.13, the managers' error dashboard): counts per service and state,
//! a filter bar, the list with the errors that need a human apart, and the detail of the selected row
//! with the live remote values and the managers' tools (retry, identifier patch, CROUS option, un-close,
//! CSV export, purge).

pub mod view;

use jiff::civil::Date;

use crate::fl;
use crate::gui::app::Effect;
use crate::gui::jobs::Job;
use crate::gui::printing::Dialog;
use crate::gui::queue_jobs::{QueueDone, QueueJob};
use crate::remote::actions::Comparison;
use crate::store::outbox::{Filter, Item, ServiceCounts};

/// Rows read at a time; "Show more" reads this many more.
pub const PAGE: usize = 200;
pub const PERSON_ID: &str = "queue-person";

/// The state filter, with the two one-click choices of the managers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum States {
    #[default]
    All,
    /// `needs_human`: a manager must act.
    NeedsHuman,
    /// `failed_retrying`: errors that resolve themselves.
    Resolving,
    Waiting,
    Done,
    GaveUp,
}

impl States {
    pub const ALL: [States; 6] = [
        States::All,
        States::NeedsHuman,
        States::Resolving,
        States::Waiting,
        States::Done,
        States::GaveUp,
    ];

    fn statuses(self) -> Vec<String> {
        let s: &[&str] = match self {
            States::All => &[],
            States::NeedsHuman => &["needs_human"],
            States::Resolving => &["failed_retrying"],
            States::Waiting => &["pending", "in_progress"],
            States::Done => &["done"],
            States::GaveUp => &["gave_up"],
        };
        s.iter().map(|s| s.to_string()).collect()
    }
}

/// A choice of the error-code pick list (`None`: any code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(pub Option<String>);

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(c) => f.write_str(c),
            None => f.write_str(&fl!("queue-any-code")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Person,
    From,
    To,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchField {
    Old,
    New,
    Email,
}

/// The "Patch the CROUS identifier" form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatchForm {
    pub old: String,
    pub new: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub enum Message {
    Refresh,
    Service(Option<String>),
    States(States),
    Code(Code),
    Blocking(Option<bool>),
    Edit(Field, String),
    ShowMore,
    Select(i64),
    RetrySelected,
    RetryShown,
    OpenPatch,
    EditPatch(PatchField, String),
    SendPatch,
    CancelPatch,
    CrousOff,
    Reopen,
    Export,
    /// Asks to purge the done rows (`PurgeRefusals`: and the recorded refusals); `ConfirmPurge` does it.
    PurgeDone,
    PurgeRefusals,
    ConfirmPurge,
    CancelPurge,
    /// The bulk CROUS identifier migration panel (instead of the list), and its actions.
    Migration(bool),
    MigrationFile,
    MigrationGenerate,
    MigrationRun,
    MigrationRetry,
    DismissBanner,
}

/// The bulk CROUS identifier migration shown on the screen: the batch and its lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Migration {
    pub batch: Option<String>,
    pub rows: Vec<crate::store::remote::PatchRow>,
}

/// The live comparison of the selected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    Loading,
    Shown(Comparison),
    Failed(String),
}

#[derive(Debug, Default)]
pub struct State {
    pub counts: Vec<ServiceCounts>,
    pub items: Vec<Item>,
    pub codes: Vec<String>,
    pub service: Option<String>,
    pub states: States,
    pub code: Option<String>,
    pub blocking: Option<bool>,
    pub person: String,
    pub from: String,
    pub to: String,
    pub limit: usize,
    pub selected: Option<i64>,
    pub live: Option<Live>,
    pub patch: Option<PatchForm>,
    pub loading: bool,
    pub busy: bool,
    pub error: Option<String>,
    pub info: Option<String>,
    /// A purge waiting for confirmation: `Some(true)` with the recorded refusals.
    pub confirm_purge: Option<bool>,
    /// The migration panel, when open.
    pub migration: Option<Migration>,
    seq: u64,
}

fn day(s: &str) -> Result<Option<String>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<Date>()
        .map(|d| Some(d.to_string()))
        .map_err(|_| ())
}

impl State {
    pub fn new() -> State {
        State {
            limit: PAGE,
            ..State::default()
        }
    }

    /// The filter of the list, or the wording of a bad date.
    pub fn filter(&self) -> Result<Filter, String> {
        let from =
            day(&self.from).map_err(|()| fl!("queue-bad-date", value = self.from.clone()))?;
        let to = day(&self.to).map_err(|()| fl!("queue-bad-date", value = self.to.clone()))?;
        let person = self.person.trim();
        Ok(Filter {
            service: self.service.clone(),
            statuses: self.states.statuses(),
            error_code: self.code.clone(),
            blocking: self.blocking,
            person: (!person.is_empty()).then(|| person.to_string()),
            from,
            to,
            person_id: None,
            limit: Some(self.limit),
        })
    }

    /// Reads the counts and the list again (on opening the screen, after a drain or an action).
    pub fn reload(&mut self) -> Vec<Effect> {
        match self.filter() {
            Ok(filter) => {
                self.seq += 1;
                self.loading = true;
                vec![Effect::Job(Job::Queue(QueueJob::Load {
                    seq: self.seq,
                    filter,
                }))]
            }
            Err(e) => {
                self.error = Some(e);
                Vec::new()
            }
        }
    }

    pub fn selected_item(&self) -> Option<&Item> {
        self.selected
            .and_then(|id| self.items.iter().find(|i| i.id == id))
    }

    pub(crate) fn job(&mut self, job: QueueJob) -> Vec<Effect> {
        self.busy = true;
        self.error = None;
        self.info = None;
        vec![Effect::Job(Job::Queue(job))]
    }

    fn filtered(&mut self) -> Vec<Effect> {
        self.limit = PAGE;
        self.error = None;
        self.reload()
    }

    pub fn update(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Refresh => self.reload(),
            Message::Service(s) => {
                self.service = s;
                self.filtered()
            }
            Message::States(s) => {
                self.states = s;
                self.filtered()
            }
            Message::Code(Code(c)) => {
                self.code = c;
                self.filtered()
            }
            Message::Blocking(b) => {
                self.blocking = b;
                self.filtered()
            }
            Message::Edit(f, v) => {
                *match f {
                    Field::Person => &mut self.person,
                    Field::From => &mut self.from,
                    Field::To => &mut self.to,
                } = v;
                self.filtered()
            }
            Message::ShowMore => {
                self.limit += PAGE;
                self.reload()
            }
            Message::Select(id) => {
                self.selected = Some(id);
                self.patch = None;
                match self.selected_item() {
                    Some(item) => {
                        let (service, person) = (item.service.clone(), item.person_id);
                        self.live = Some(Live::Loading);
                        vec![Effect::Job(Job::Queue(QueueJob::Compare {
                            service,
                            person,
                        }))]
                    }
                    None => Vec::new(),
                }
            }
            Message::RetrySelected => match self.selected {
                Some(id) => self.job(QueueJob::Retry(vec![id])),
                None => Vec::new(),
            },
            Message::RetryShown => {
                let ids = self.items.iter().map(|i| i.id).collect();
                self.job(QueueJob::Retry(ids))
            }
            Message::OpenPatch => {
                self.patch = Some(self.prefilled_patch());
                Vec::new()
            }
            Message::EditPatch(f, v) => {
                if let Some(p) = self.patch.as_mut() {
                    *match f {
                        PatchField::Old => &mut p.old,
                        PatchField::New => &mut p.new,
                        PatchField::Email => &mut p.email,
                    } = v;
                }
                Vec::new()
            }
            Message::SendPatch => self.send_patch(),
            Message::CancelPatch => {
                self.patch = None;
                Vec::new()
            }
            Message::CrousOff => match self.selected_item().map(|i| i.person_id) {
                Some(person) => self.job(QueueJob::CrousOption { person, on: false }),
                None => Vec::new(),
            },
            Message::Reopen => match self.selected_item().map(|i| i.person_id) {
                Some(person) => self.job(QueueJob::Reopen(person)),
                None => Vec::new(),
            },
            Message::Export => match self.filter() {
                Ok(_) => vec![Effect::Dialog(Dialog::SaveQueueCsv)],
                Err(e) => {
                    self.error = Some(e);
                    Vec::new()
                }
            },
            Message::PurgeDone => {
                self.confirm_purge = Some(false);
                Vec::new()
            }
            Message::PurgeRefusals => {
                self.confirm_purge = Some(true);
                Vec::new()
            }
            Message::Migration(open) => {
                self.migration = open.then(|| self.migration.take().unwrap_or_default());
                Vec::new()
            }
            Message::MigrationFile => vec![Effect::Dialog(Dialog::OpenPatchIds)],
            Message::MigrationGenerate => self.job(QueueJob::PatchGenerate),
            Message::MigrationRun | Message::MigrationRetry => {
                let Some(batch) = self.migration.as_ref().and_then(|m| m.batch.clone()) else {
                    return Vec::new();
                };
                self.job(QueueJob::PatchRun {
                    batch,
                    retry_failed: matches!(msg, Message::MigrationRetry),
                })
            }
            Message::CancelPurge => {
                self.confirm_purge = None;
                Vec::new()
            }
            Message::ConfirmPurge => match self.confirm_purge.take() {
                Some(refusals) => self.job(QueueJob::Purge(refusals)),
                None => Vec::new(),
            },
            Message::DismissBanner => {
                self.error = None;
                self.info = None;
                Vec::new()
            }
        }
    }

    /// The form prefilled from the comparison: the identifier the record was found under, the local
    /// identifier and e-mail.
    fn prefilled_patch(&self) -> PatchForm {
        let mut form = PatchForm::default();
        if let Some(Live::Shown(c)) = &self.live {
            let local = |field: &str| {
                c.rows
                    .iter()
                    .find(|r| r.field == field)
                    .map(|r| r.local.clone())
                    .unwrap_or_default()
            };
            form.new = local("identifier");
            form.email = local("email");
            form.old = c.found_under.clone().unwrap_or_default();
        }
        if form.email.is_empty()
            && let Some(item) = self.selected_item()
        {
            form.email = item.eppn.clone().unwrap_or_default();
        }
        form
    }

    fn send_patch(&mut self) -> Vec<Effect> {
        let (Some(form), Some(person)) = (
            self.patch.clone(),
            self.selected_item().map(|i| i.person_id),
        ) else {
            return Vec::new();
        };
        let (old, new, email) = (form.old.trim(), form.new.trim(), form.email.trim());
        if old.is_empty() || new.is_empty() || email.is_empty() {
            self.error = Some(fl!("queue-patch-incomplete"));
            return Vec::new();
        }
        if old == new {
            self.error = Some(fl!("queue-patch-same"));
            return Vec::new();
        }
        self.job(QueueJob::PatchIdentifier {
            person,
            old: old.to_string(),
            new: new.to_string(),
            email: email.to_string(),
        })
    }

    /// The CSV goes where the operator chose.
    pub fn on_picked(&mut self, path: std::path::PathBuf) -> Vec<Effect> {
        match self.filter() {
            Ok(filter) => self.job(QueueJob::Export { filter, path }),
            Err(e) => {
                self.error = Some(e);
                Vec::new()
            }
        }
    }

    /// The result of a queue job that concerns this screen.
    pub fn on_done(&mut self, done: QueueDone) -> Vec<Effect> {
        match done {
            QueueDone::Loaded {
                seq,
                counts,
                items,
                codes,
            } if seq == self.seq => {
                self.loading = false;
                self.counts = counts;
                self.items = items;
                self.codes = codes;
            }
            QueueDone::Changed(message) => {
                self.busy = false;
                self.patch = None;
                self.info = Some(message);
                return self.reload();
            }
            QueueDone::Patch {
                batch,
                rows,
                message,
            } => {
                self.busy = false;
                let m = self.migration.get_or_insert_with(Migration::default);
                m.batch = Some(batch);
                m.rows = rows;
                match message {
                    Some((text, true)) => self.error = Some(text),
                    Some((text, false)) => self.info = Some(text),
                    None => {}
                }
                return self.reload();
            }
            QueueDone::Exported(message) => {
                self.busy = false;
                self.info = Some(message);
            }
            QueueDone::Failed(message) => {
                self.busy = false;
                self.loading = false;
                self.error = Some(message);
            }
            QueueDone::Compared {
                service,
                person,
                result,
            } => {
                let current = self
                    .selected_item()
                    .is_some_and(|i| i.service == service && i.person_id == person);
                if current {
                    self.live = Some(match result {
                        Ok(c) => Live::Shown(c),
                        Err(m) => Live::Failed(m),
                    });
                }
            }
            _ => {}
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests;
