//! Blocking work of the Imports screen (reading and parsing the school files, the store's reads and the
//! SIECLE import's one transaction), run off the GUI thread like `jobs.rs`; and its native dialogs. The
//! same functions as `guichet sacoche …` and `guichet import siecle`, so the window and the command line
//! match and word things alike.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use iced::Task;

use crate::domain::names::display_name;
use crate::fl;
use crate::gui::app;
use crate::gui::jobs::{Done, Services};
use crate::gui::printing::{self, FileDialog};
use crate::gui::screens::imports::{self, Pick};
use crate::library::sacoche::{self, CheckReport, Outcome};
use crate::library::siecle::{self, ImportReport, SiecleFile};
use crate::library::text::Charset;
use crate::store::school::{self, SchoolPerson};
use crate::store::{Store, StoreError};
use crate::ui_text;

/// An establishment to choose: its UAI and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub uai: String,
    pub name: String,
}

impl std::fmt::Display for School {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.name.is_empty() || self.name == self.uai {
            f.write_str(&self.uai)
        } else {
            write!(f, "{} — {}", self.uai, self.name)
        }
    }
}

pub use crate::library::sacoche::LeftOut;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub file: String,
    pub charset: Charset,
    pub rows: usize,
    /// The persons not written (display name, why), in the establishment's order.
    pub left_out: Vec<(String, LeftOut)>,
    /// The characters the charset could not carry.
    pub unmappable: String,
}

/// An ENT file checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub file: String,
    pub report: CheckReport,
    /// The names of the persons whose id a line would take ("already used by …").
    pub holders: HashMap<i64, String>,
}

/// Which section of the screen a job serves (its error goes there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Export,
    Check,
    Siecle,
}

#[derive(Debug, Clone)]
pub enum ImportsJob {
    /// The establishments (structures with a UAI).
    Schools,
    Export {
        uai: String,
        charset: Charset,
        path: PathBuf,
    },
    /// An ENT file checked as SACoche will match it, against one establishment's persons or all.
    Check {
        format: &'static str,
        uai: Option<String>,
        path: PathBuf,
    },
    /// A SIECLE file read and checked, nothing written.
    Preview(PathBuf),
    /// The previewed file imported in one transaction.
    Import {
        file: String,
        parsed: Arc<SiecleFile>,
    },
}

#[derive(Debug, Clone)]
pub enum ImportsDone {
    Schools(Vec<School>),
    Exported(Exported),
    Checked(Box<Checked>),
    /// The file read, and what importing it would do now (computed, then rolled back).
    Previewed {
        file: String,
        parsed: Arc<SiecleFile>,
        plan: Box<ImportReport>,
    },
    Imported {
        file: String,
        report: Box<ImportReport>,
    },
    /// A job the screen waits for failed, with the section it served.
    Failed(Section, String),
    /// The establishments list could not be read (a background reload: said in the export section,
    /// without ending a job still running).
    SchoolsFailed(String),
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| ui_text::read_error(path.display(), &e))
}

fn store_err(e: StoreError) -> String {
    ui_text::store_error(&e)
}

/// The persons to match or export: the establishment's, or every establishment's once (a person
/// attached to none has no ENT identifier).
fn persons(store: &Store, uai: Option<&str>) -> Result<Vec<SchoolPerson>, String> {
    let found = store.read(|c| school::persons(c, uai)).map_err(store_err)?;
    found.ok_or_else(|| {
        fl!(
            "cli-sacoche-no-school",
            uai = uai.unwrap_or_default().to_string()
        )
    })
}

/// Runs a job to completion (blocking).
pub fn perform(services: &Services, job: ImportsJob) -> Done {
    Done::Imports(run(&services.store, job))
}

fn run(store: &Store, job: ImportsJob) -> ImportsDone {
    let outcome = match job {
        ImportsJob::Schools => {
            return match store.read(school::establishments) {
                Ok(list) => ImportsDone::Schools(
                    list.into_iter()
                        .filter_map(|s| s.uai.map(|uai| School { uai, name: s.name }))
                        .collect(),
                ),
                Err(e) => ImportsDone::SchoolsFailed(store_err(e)),
            };
        }
        ImportsJob::Export { uai, charset, path } => {
            export(store, &uai, charset, &path).map_err(|e| (Section::Export, e))
        }
        ImportsJob::Check { format, uai, path } => {
            check(store, format, uai.as_deref(), &path).map_err(|e| (Section::Check, e))
        }
        ImportsJob::Preview(path) => preview(store, &path).map_err(|e| (Section::Siecle, e)),
        ImportsJob::Import { file, parsed } => store
            .write(|tx| siecle::import(tx, &parsed, jiff::Timestamp::now()))
            .map(|report| ImportsDone::Imported {
                file,
                report: Box::new(report),
            })
            .map_err(|e| (Section::Siecle, store_err(e))),
    };
    outcome.unwrap_or_else(|(section, message)| ImportsDone::Failed(section, message))
}

fn export(store: &Store, uai: &str, charset: Charset, path: &Path) -> Result<ImportsDone, String> {
    let persons = persons(store, Some(uai))?;
    let (csv, bytes, unmappable) = sacoche::itop_bytes(&persons, charset);
    crate::production::print::write_atomic(path, &bytes, "itop")
        .map_err(|e| ui_text::write_error(path.display(), &e))?;
    let names: HashMap<i64, &SchoolPerson> = persons.iter().map(|p| (p.id, p)).collect();
    let left_out = csv
        .left_out
        .iter()
        .filter_map(|(id, why)| {
            let p = names.get(id)?;
            Some((display_name(&p.surname, &p.given_name), *why))
        })
        .collect();
    Ok(ImportsDone::Exported(Exported {
        file: shown(path),
        charset,
        rows: csv.rows,
        left_out,
        unmappable: unmappable.iter().collect(),
    }))
}

/// Reads a SIECLE file and imports it in a transaction that is rolled back: the preview says exactly
/// what "Import" will do, and nothing is written.
fn preview(store: &Store, path: &Path) -> Result<ImportsDone, String> {
    let file = shown(path);
    let bytes = read(path)?;
    let parsed = siecle::parse(&bytes).map_err(|e| ui_text::file_error(&file, &e))?;
    let plan = store
        .dry_run(|tx| siecle::import(tx, &parsed, jiff::Timestamp::now()))
        .map_err(store_err)?;
    Ok(ImportsDone::Previewed {
        file,
        parsed: Arc::new(parsed),
        plan: Box::new(plan),
    })
}

fn check(
    store: &Store,
    format: &str,
    uai: Option<&str>,
    path: &Path,
) -> Result<ImportsDone, String> {
    let file = shown(path);
    let fmt = sacoche::format(format).map_err(|e| ui_text::file_error(&file, &e))?;
    let bytes = read(path)?;
    let parsed = sacoche::parse(&bytes, fmt).map_err(|e| ui_text::file_error(&file, &e))?;
    let persons = persons(store, uai)?;
    let report = sacoche::check(&parsed, &persons);
    let used: HashSet<i64> = report
        .problems
        .iter()
        .filter_map(|l| match l.outcome {
            Outcome::IdUsed { used_by, .. } => Some(used_by),
            _ => None,
        })
        .collect();
    let holders = persons
        .iter()
        .filter(|p| used.contains(&p.id))
        .map(|p| (p.id, display_name(&p.surname, &p.given_name)))
        .collect();
    Ok(ImportsDone::Checked(Box::new(Checked {
        file,
        report,
        holders,
    })))
}

/// Opens a native dialog; the answer (or `None` when cancelled) comes back to the screen.
pub fn dialog(pick: Pick) -> Task<app::Message> {
    let spec = match pick {
        Pick::SaveItop => FileDialog::save(
            fl!("imports-dialog-itop"),
            ("CSV", &["csv"]),
            "sacoche_itop.csv",
        ),
        Pick::OpenEnt => FileDialog::open(
            fl!("imports-dialog-ent"),
            Some(("CSV", &["csv", "CSV", "txt", "TXT"])),
        ),
        Pick::OpenSiecle => {
            FileDialog::open(fl!("imports-dialog-siecle"), Some(("XML", &["xml", "XML"])))
        }
    };
    printing::ask(spec, move |path| {
        app::Message::Imports(imports::Message::Picked(pick, path))
    })
}
