//! The Imports screen of the ENT/IT admin (formats.md §7 and §8), three tabs: the SACoche export (the
//! ITOP CSV of an establishment), the check of an ENT file the way SACoche will match it, and the SIECLE
//! import (a preview of the file, then the import and its report). The files are read, parsed and
//! imported by `imports_jobs.rs` off the GUI thread; this module only holds what the screen shows.

pub mod view;

use std::path::PathBuf;
use std::sync::Arc;

use crate::gui::app::Effect;
use crate::gui::imports_jobs::{Checked, Exported, ImportsDone, ImportsJob, School, Section};
use crate::gui::jobs::Job;
use crate::library::sacoche;
use crate::library::siecle::{ImportReport, SiecleFile};
use crate::library::text::Charset;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Export,
    Check,
    Siecle,
}

/// A native dialog of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// Where to write the ITOP CSV.
    SaveItop,
    /// The ENT's CSV to check.
    OpenEnt,
    /// SIECLE's `ElevesSansAdresses.xml`.
    OpenSiecle,
}

/// The persons an ENT file is matched against: one establishment's, or every establishment's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    One(School),
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::All => f.write_str(&crate::fl!("imports-all-schools")),
            Scope::One(s) => s.fmt(f),
        }
    }
}

/// An ENT format of the pick list, by its SACoche name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format(pub &'static str);

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Format {
    /// The 16 formats of SACoche's table.
    pub fn all() -> Vec<Format> {
        sacoche::FORMATS.iter().map(|f| Format(f.name)).collect()
    }
}

/// A SIECLE file read, not imported yet.
#[derive(Debug, Clone)]
pub struct Preview {
    pub file: String,
    pub parsed: Arc<SiecleFile>,
    /// What importing it would do now.
    pub plan: Box<ImportReport>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Tab(Tab),
    School(School),
    Charset(Charset),
    Save,
    Format(Format),
    Scope(Scope),
    LoadEnt,
    LoadSiecle,
    Import,
    /// The path chosen in a dialog (`None`: cancelled).
    Picked(Pick, Option<PathBuf>),
    Dismiss(Section),
}

#[derive(Debug)]
pub struct State {
    pub tab: Tab,
    pub schools: Vec<School>,
    /// The establishment of the export.
    pub school: Option<School>,
    pub charset: Charset,
    pub exported: Option<Exported>,
    pub format: Option<Format>,
    pub scope: Option<Scope>,
    /// The last check: the file's name and SACoche's three tables.
    pub checked: Option<Box<Checked>>,
    /// The SIECLE file read and waiting for "Import".
    pub preview: Option<Preview>,
    pub imported: Option<(String, Box<ImportReport>)>,
    /// A job of the section is running.
    pub busy: Option<Section>,
    pub error: Option<(Section, String)>,
}

impl Default for State {
    fn default() -> State {
        State::new()
    }
}

impl State {
    pub fn new() -> State {
        State {
            tab: Tab::Export,
            schools: Vec::new(),
            school: None,
            charset: Charset::Utf8,
            exported: None,
            format: Some(Format("itop")),
            scope: Some(Scope::All),
            checked: None,
            preview: None,
            imported: None,
            busy: None,
            error: None,
        }
    }

    /// The screen is shown: the establishments are read again.
    pub fn open(&mut self) -> Vec<Effect> {
        vec![Effect::Job(Job::Imports(ImportsJob::Schools))]
    }

    pub fn error_of(&self, section: Section) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(s, _)| *s == section)
            .map(|(_, e)| e.as_str())
    }

    pub fn update(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Tab(tab) => self.tab = tab,
            Message::School(s) => self.school = Some(s),
            Message::Charset(c) => self.charset = c,
            Message::Format(f) => self.format = Some(f),
            Message::Scope(s) => self.scope = Some(s),
            Message::Save if self.busy.is_none() && self.school.is_some() => {
                return vec![Effect::PickImport(Pick::SaveItop)];
            }
            Message::LoadEnt if self.busy.is_none() && self.format.is_some() => {
                return vec![Effect::PickImport(Pick::OpenEnt)];
            }
            Message::LoadSiecle if self.busy.is_none() => {
                return vec![Effect::PickImport(Pick::OpenSiecle)];
            }
            Message::Import if self.busy.is_none() => {
                if let Some(p) = &self.preview {
                    let job = ImportsJob::Import {
                        file: p.file.clone(),
                        parsed: p.parsed.clone(),
                    };
                    return self.start(Section::Siecle, job);
                }
            }
            Message::Save | Message::LoadEnt | Message::LoadSiecle | Message::Import => {}
            Message::Picked(_, None) => {}
            Message::Picked(pick, Some(path)) => return self.on_picked(pick, path),
            Message::Dismiss(section) => {
                if self.error_of(section).is_some() {
                    self.error = None;
                }
            }
        }
        Vec::new()
    }

    fn start(&mut self, section: Section, job: ImportsJob) -> Vec<Effect> {
        self.busy = Some(section);
        if self.error.as_ref().is_some_and(|(s, _)| *s == section) {
            self.error = None;
        }
        vec![Effect::Job(Job::Imports(job))]
    }

    fn on_picked(&mut self, pick: Pick, path: PathBuf) -> Vec<Effect> {
        if self.busy.is_some() {
            return Vec::new();
        }
        match pick {
            Pick::SaveItop => match &self.school {
                Some(s) => {
                    let job = ImportsJob::Export {
                        uai: s.uai.clone(),
                        charset: self.charset,
                        path,
                    };
                    self.start(Section::Export, job)
                }
                None => Vec::new(),
            },
            Pick::OpenEnt => match self.format {
                Some(Format(format)) => {
                    let uai = match &self.scope {
                        Some(Scope::One(s)) => Some(s.uai.clone()),
                        _ => None,
                    };
                    self.start(Section::Check, ImportsJob::Check { format, uai, path })
                }
                None => Vec::new(),
            },
            Pick::OpenSiecle => self.start(Section::Siecle, ImportsJob::Preview(path)),
        }
    }

    /// A job's result; returns whether the store changed (the window then reads its counts again).
    pub fn on_done(&mut self, done: ImportsDone) -> (bool, Vec<Effect>) {
        // Only the end of the job the screen waits for ends its busy state: the establishments list
        // also reloads in the background (when the screen opens), even during a long import.
        let ended = match &done {
            ImportsDone::Schools(_) | ImportsDone::SchoolsFailed(_) => None,
            ImportsDone::Exported(_) => Some(Section::Export),
            ImportsDone::Checked(_) => Some(Section::Check),
            ImportsDone::Previewed { .. } | ImportsDone::Imported { .. } => Some(Section::Siecle),
            ImportsDone::Failed(section, _) => Some(*section),
        };
        if ended.is_some() && ended == self.busy {
            self.busy = None;
        }
        match done {
            ImportsDone::Schools(list) => {
                let keep = |s: &School| list.contains(s);
                if !self.school.as_ref().is_some_and(keep) {
                    self.school = match list.as_slice() {
                        [only] => Some(only.clone()),
                        _ => None,
                    };
                }
                if let Some(Scope::One(s)) = &self.scope
                    && !keep(s)
                {
                    self.scope = Some(Scope::All);
                }
                self.schools = list;
            }
            ImportsDone::Exported(e) => self.exported = Some(e),
            ImportsDone::Checked(c) => self.checked = Some(c),
            ImportsDone::Previewed { file, parsed, plan } => {
                self.imported = None;
                self.preview = Some(Preview { file, parsed, plan });
            }
            ImportsDone::Imported { file, report } => {
                self.preview = None;
                let created = report.structure_created;
                self.imported = Some((file, report));
                // A new establishment is offered to the SACoche tabs.
                let fx = match created {
                    true => self.open(),
                    false => Vec::new(),
                };
                return (true, fx);
            }
            ImportsDone::SchoolsFailed(message) => self.error = Some((Section::Export, message)),
            ImportsDone::Failed(section, message) => {
                // A refused SIECLE file must not leave an earlier preview ready to import.
                if section == Section::Siecle {
                    self.preview = None;
                }
                self.error = Some((section, message));
            }
        }
        (false, Vec::new())
    }
}

#[cfg(test)]
mod tests;
