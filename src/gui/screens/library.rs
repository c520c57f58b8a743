//! The Library screen (ARCHITECTURE §4, formats.md §5–§6): the school librarian's wizard from the
//! establishment (or an ENT file) and BCDI's borrower list to the plan BCDI will apply, the homonyms and
//! suggestions resolved, and the files to import. Every decision is kept at once and the plan computed
//! again (`library_jobs.rs`); the screen only holds what was chosen and the last plan.

mod plan_view;
#[cfg(test)]
mod tests;
pub mod view;

use std::path::PathBuf;
use std::sync::Arc;

use crate::fl;
use crate::gui::app::Effect;
use crate::gui::jobs::Job;
use crate::gui::library_jobs::{Census, LibraryDone, LibraryJob, Loaded, PreviewRequest, Source};
use crate::library::bcdi::{ExportOptions, Population};
use crate::library::reconcile::{Decisions, Scope, Verdict};
use crate::library::text::Charset;
use crate::library::workflow::{self, Preview};
use crate::store::structures::StructureInfo;

/// The deletion scope the screen offers first: the pupils (formats.md §6.1 R9).
pub const DEFAULT_EQUATION: &str = "Statut=Elève";

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Establishment,
    Files,
    Plan,
    Resolutions,
    Outputs,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Establishment,
        Step::Files,
        Step::Plan,
        Step::Resolutions,
        Step::Outputs,
    ];

    fn next(self) -> Option<Step> {
        Step::ALL.iter().copied().find(|s| *s > self)
    }

    fn back(self) -> Option<Step> {
        Step::ALL.iter().rev().copied().find(|s| *s < self)
    }
}

/// Where the ENT's side comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceKind {
    #[default]
    Directory,
    EntFile,
}

/// The deletion scope's three choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScopeKind {
    All,
    #[default]
    Equation,
    NoDeletion,
}

/// The plan's lists, one tab each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlanTab {
    #[default]
    New,
    Updated,
    Deleted,
    SetAside,
    Homonyms,
    Suggestions,
}

impl PlanTab {
    pub const ALL: [PlanTab; 6] = [
        PlanTab::New,
        PlanTab::Updated,
        PlanTab::Deleted,
        PlanTab::SetAside,
        PlanTab::Homonyms,
        PlanTab::Suggestions,
    ];
}

/// A dialog of the screen; the answer comes back as `Message::Picked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// An e-sidoc XML (files alone).
    EntFile,
    /// BCDI's borrower export (CSV, tab-separated or XML).
    Borrowers,
    /// The folder the output files go to.
    OutputFolder,
    /// Where to save the e-sidoc XML alone (step 1: a first import, or a file for BCDI only).
    SaveXml,
}

#[derive(Debug, Clone)]
pub enum Message {
    Source(SourceKind),
    Establishment(String),
    Population(Population, bool),
    /// Toggles a class of the class filter.
    Class(String),
    /// Every class (clears the filter).
    AllClasses,
    Open(Pick),
    Picked(Pick, Option<PathBuf>),
    Scope(ScopeKind),
    Equation(String),
    Tab(PlanTab),
    /// A page of the plan tab's rows (from 0).
    Page(usize),
    /// This BCDI borrower (key) is that file person (ENT id).
    Pair(String, String),
    /// Takes back the pairs of a homonym group (borrower keys).
    Unpair(Vec<String>),
    /// A suggestion's verdict (`Pending`: undecided again).
    Verdict(String, String, Verdict),
    Charset(Charset),
    Write,
    Back,
    Next,
    DismissBanner,
}

#[derive(Debug)]
pub struct State {
    pub step: Step,
    pub establishments: Vec<StructureInfo>,
    pub source: SourceKind,
    pub uai: Option<String>,
    pub populations: Vec<Population>,
    pub classes: Vec<String>,
    pub census: Option<Census>,
    pub ent_file: Option<Loaded>,
    pub borrowers: Option<Loaded>,
    pub scope_kind: ScopeKind,
    pub equation: String,
    pub preview: Option<Arc<Preview>>,
    pub tab: PlanTab,
    /// The page of the tab's rows shown (from 0; a shorter list shows its last page).
    pub page: usize,
    pub charset: Charset,
    pub folder: Option<PathBuf>,
    pub written: Vec<String>,
    /// A job is running (its result re-enables the buttons).
    pub busy: bool,
    pub error: Option<String>,
    pub info: Option<String>,
    seq: u64,
}

impl Default for State {
    fn default() -> State {
        State {
            step: Step::Establishment,
            establishments: Vec::new(),
            source: SourceKind::Directory,
            uai: None,
            populations: Population::ALL.to_vec(),
            classes: Vec::new(),
            census: None,
            ent_file: None,
            borrowers: None,
            scope_kind: ScopeKind::Equation,
            equation: DEFAULT_EQUATION.to_string(),
            preview: None,
            tab: PlanTab::New,
            page: 0,
            charset: Charset::Windows1252,
            folder: None,
            written: Vec::new(),
            busy: false,
            error: None,
            info: None,
            seq: 0,
        }
    }
}

/// `decisions` with `key` paired to `ent_id` only: a borrower is one person, a person one borrower.
pub fn with_pair(decisions: &Decisions, key: &str, ent_id: &str) -> Decisions {
    let mut d = decisions.clone();
    d.pairs.retain(|(k, e)| k != key && e != ent_id);
    d.pairs.push((key.to_string(), ent_id.to_string()));
    d
}

/// `decisions` without the pairs of these borrowers.
pub fn without_pairs(decisions: &Decisions, keys: &[String]) -> Decisions {
    let mut d = decisions.clone();
    d.pairs.retain(|(k, _)| !keys.contains(k));
    d
}

/// `decisions` with the verdict on the suggestion (`key`, `ent_id`); `Pending` forgets it.
pub fn with_verdict(decisions: &Decisions, key: &str, ent_id: &str, verdict: Verdict) -> Decisions {
    let mut d = decisions.clone();
    let other = |(k, e): &(String, String)| !(k == key && e == ent_id);
    d.accepted.retain(other);
    d.rejected.retain(other);
    let pair = (key.to_string(), ent_id.to_string());
    match verdict {
        Verdict::Accepted => d.accepted.push(pair),
        Verdict::Rejected => d.rejected.push(pair),
        Verdict::Pending => {}
    }
    d
}

impl State {
    /// Opening the screen reads the establishments again.
    pub fn open(&mut self) -> Vec<Effect> {
        vec![Effect::Job(Job::Library(LibraryJob::Establishments))]
    }

    /// The deletion scope chosen, or the wording of an equation that cannot be read.
    pub fn scope(&self) -> Result<Scope, String> {
        match self.scope_kind {
            ScopeKind::All => Ok(Scope::All),
            ScopeKind::NoDeletion => Ok(Scope::NoDeletion),
            ScopeKind::Equation => {
                Scope::parse(&self.equation).map_err(|e| fl!("cli-bcdi-bad-scope", term = e.term))
            }
        }
    }

    /// The scope as recorded with the plan.
    fn scope_text(&self) -> String {
        match self.scope_kind {
            ScopeKind::All => workflow::scope_record(None, false),
            ScopeKind::NoDeletion => workflow::scope_record(None, true),
            ScopeKind::Equation => workflow::scope_record(Some(&self.equation), false),
        }
    }

    pub fn options(&self) -> ExportOptions {
        ExportOptions {
            populations: self.populations.clone(),
            classes: self.classes.clone(),
        }
    }

    /// The ENT's side as chosen, when it is complete.
    pub fn source(&self) -> Option<Source> {
        match self.source {
            SourceKind::Directory => {
                let uai = self.uai.clone()?;
                (!self.populations.is_empty()).then(|| Source::Mirror {
                    uai,
                    opts: self.options(),
                })
            }
            SourceKind::EntFile => self.ent_file.clone().map(Source::File),
        }
    }

    /// Whether the current step is complete (Next enabled).
    pub fn can_advance(&self) -> bool {
        if self.busy {
            return false;
        }
        match self.step {
            Step::Establishment => self.source().is_some(),
            Step::Files => self.borrowers.is_some() && self.scope().is_ok(),
            Step::Plan | Step::Resolutions => self.preview.is_some(),
            Step::Outputs => false,
        }
    }

    pub fn has_next(&self) -> bool {
        self.step.next().is_some()
    }

    pub fn has_back(&self) -> bool {
        self.step.back().is_some()
    }

    /// Something chosen on the first two steps changed: the plan is computed again on Next.
    fn changed(&mut self) {
        self.preview = None;
        self.written.clear();
    }

    fn census_job(&mut self) -> Vec<Effect> {
        self.changed();
        self.census = None;
        match (&self.source, &self.uai) {
            (SourceKind::Directory, Some(uai)) if !self.populations.is_empty() => {
                vec![Effect::Job(Job::Library(LibraryJob::Census {
                    uai: uai.clone(),
                    opts: self.options(),
                }))]
            }
            _ => Vec::new(),
        }
    }

    fn job(&mut self, job: LibraryJob) -> Vec<Effect> {
        self.busy = true;
        self.error = None;
        self.info = None;
        vec![Effect::Job(Job::Library(job))]
    }

    /// Computes the plan with `decisions` (`None`: the kept ones), keeping them first when `keep`.
    fn compute(&mut self, decisions: Option<Decisions>, keep: bool) -> Vec<Effect> {
        let (Some(source), Some(borrowers)) = (self.source(), self.borrowers.clone()) else {
            return Vec::new();
        };
        let scope = match self.scope() {
            Ok(s) => s,
            Err(e) => {
                self.error = Some(e);
                return Vec::new();
            }
        };
        self.seq += 1;
        let req = PreviewRequest {
            seq: self.seq,
            source,
            borrowers,
            scope,
            decisions,
            keep,
        };
        self.job(LibraryJob::Preview(Box::new(req)))
    }

    /// A decision of the librarian: kept at once, the plan computed again.
    fn decide(&mut self, change: impl FnOnce(&Decisions) -> Decisions) -> Vec<Effect> {
        let Some(p) = &self.preview else {
            return Vec::new();
        };
        let d = change(&p.decisions);
        self.written.clear();
        self.compute(Some(d), true)
    }

    pub fn update(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Source(kind) => {
                self.source = kind;
                self.census_job()
            }
            Message::Establishment(uai) => {
                if self.uai.as_deref() != Some(uai.as_str()) {
                    self.classes.clear();
                }
                self.uai = Some(uai);
                self.census_job()
            }
            Message::Population(pop, on) => {
                self.populations.retain(|p| *p != pop);
                if on {
                    self.populations.push(pop);
                    self.populations
                        .sort_by_key(|p| Population::ALL.iter().position(|a| a == p));
                }
                self.census_job()
            }
            Message::Class(c) => {
                if self.classes.contains(&c) {
                    self.classes.retain(|x| *x != c);
                } else {
                    self.classes.push(c);
                    self.classes.sort();
                }
                self.census_job()
            }
            Message::AllClasses => {
                self.classes.clear();
                self.census_job()
            }
            Message::Open(pick) => vec![Effect::LibraryDialog(pick)],
            Message::Picked(_, None) => Vec::new(),
            Message::Picked(pick, Some(path)) => match pick {
                Pick::EntFile => self.job(LibraryJob::ReadEnt(path)),
                Pick::Borrowers => self.job(LibraryJob::ReadBorrowers(path)),
                Pick::OutputFolder => {
                    self.folder = Some(path);
                    self.written.clear();
                    Vec::new()
                }
                Pick::SaveXml => match self.uai.clone() {
                    Some(uai) => self.job(LibraryJob::Export {
                        uai,
                        opts: self.options(),
                        charset: self.charset,
                        path,
                    }),
                    None => Vec::new(),
                },
            },
            Message::Scope(kind) => {
                self.scope_kind = kind;
                self.changed();
                Vec::new()
            }
            Message::Equation(s) => {
                self.equation = s;
                self.changed();
                Vec::new()
            }
            Message::Tab(t) => {
                self.tab = t;
                self.page = 0;
                Vec::new()
            }
            Message::Page(page) => {
                self.page = page;
                Vec::new()
            }
            Message::Pair(key, ent) => self.decide(|d| with_pair(d, &key, &ent)),
            Message::Unpair(keys) => self.decide(|d| without_pairs(d, &keys)),
            Message::Verdict(key, ent, v) => self.decide(|d| with_verdict(d, &key, &ent, v)),
            Message::Charset(c) => {
                self.charset = c;
                self.written.clear();
                Vec::new()
            }
            Message::Write => self.write(),
            Message::Back => {
                if let Some(s) = self.step.back() {
                    self.step = s;
                }
                Vec::new()
            }
            Message::Next => self.next(),
            Message::DismissBanner => {
                self.error = None;
                self.info = None;
                Vec::new()
            }
        }
    }

    fn next(&mut self) -> Vec<Effect> {
        if !self.can_advance() {
            return Vec::new();
        }
        match self.step {
            // The plan is computed from what was chosen; the step changes when it comes back.
            Step::Files => self.compute(None, false),
            step => {
                if let Some(s) = step.next() {
                    self.step = s;
                }
                Vec::new()
            }
        }
    }

    fn write(&mut self) -> Vec<Effect> {
        let (Some(preview), Some(dir), Some(source), Some(file)) = (
            self.preview.clone(),
            self.folder.clone(),
            self.source(),
            self.borrowers.as_ref().map(|b| b.name.clone()),
        ) else {
            return Vec::new();
        };
        let job = LibraryJob::Write {
            preview,
            dir,
            charset: self.charset,
            key: source.key(),
            borrowers_file: file,
            scope: self.scope_text(),
        };
        self.job(job)
    }

    pub fn on_done(&mut self, done: LibraryDone) -> Vec<Effect> {
        match done {
            LibraryDone::Establishments(list) => {
                if self.uai.is_none()
                    && let [only] = list.as_slice()
                {
                    self.uai = only.uai.clone();
                }
                self.establishments = list;
                if self.census.is_none() {
                    return self.census_job();
                }
            }
            LibraryDone::Census { uai, opts, census } => {
                if self.uai.as_deref() == Some(uai.as_str()) && opts == self.options() {
                    self.census = Some(census);
                }
            }
            LibraryDone::Ent(loaded) => {
                self.busy = false;
                self.changed();
                self.ent_file = Some(loaded);
            }
            LibraryDone::Borrowers(loaded) => {
                self.busy = false;
                self.changed();
                self.borrowers = Some(loaded);
            }
            LibraryDone::Previewed { seq, preview } if seq == self.seq => {
                self.busy = false;
                self.preview = Some(preview);
                if self.step == Step::Files {
                    self.step = Step::Plan;
                }
            }
            LibraryDone::Previewed { .. } => {}
            LibraryDone::Exported { path, count } => {
                self.busy = false;
                self.info = Some(fl!("cli-bcdi-exported", count = count, file = path));
            }
            LibraryDone::Written(paths) => {
                self.busy = false;
                self.info = Some(fl!("library-written", count = paths.len()));
                self.written = paths;
            }
            LibraryDone::Failed(message) => {
                self.busy = false;
                self.error = Some(message);
            }
            LibraryDone::ListFailed(message) => self.error = Some(message),
        }
        Vec::new()
    }
}
