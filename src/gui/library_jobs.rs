//! The Library screen's blocking work (`library::workflow` over the store and the files): the
//! establishments, who will be in the file, reading the files the librarian chose, the plan BCDI will
//! apply (with the decisions kept at once) and the output files.

use std::path::PathBuf;
use std::sync::Arc;

use crate::gui::jobs::Services;
use crate::library::FileError;
use crate::library::bcdi::{self, ExportOptions, Population, Skipped};
use crate::library::reconcile::{Decisions, Scope};
use crate::library::text::Charset;
use crate::library::workflow::{self, EntSource, LibraryError, Preview};
use crate::store::school;
use crate::store::structures::StructureInfo;
use crate::ui_text;

/// A file the librarian chose, read once and kept for every recomputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The file's name (messages and the kept decisions of an ENT file).
    pub name: String,
    pub bytes: Arc<Vec<u8>>,
    /// The records it holds.
    pub count: usize,
}

/// The ENT's side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The directory's persons of this establishment.
    Mirror { uai: String, opts: ExportOptions },
    /// An e-sidoc XML (files alone).
    File(Loaded),
}

impl Source {
    fn ent(&self) -> EntSource<'_> {
        match self {
            Source::Mirror { uai, opts } => EntSource::Mirror { uai, opts },
            Source::File(f) => EntSource::File {
                name: &f.name,
                bytes: &f.bytes,
            },
        }
    }

    /// The key the decisions are kept under (`workflow::decisions_key`).
    pub fn key(&self) -> String {
        workflow::decisions_key(&self.ent())
    }
}

/// Everything a plan is computed from.
#[derive(Debug, Clone)]
pub struct PreviewRequest {
    pub seq: u64,
    pub source: Source,
    pub borrowers: Loaded,
    pub scope: Scope,
    /// `None`: the decisions kept for this establishment.
    pub decisions: Option<Decisions>,
    /// Keep `decisions` first (a decision the librarian just took).
    pub keep: bool,
}

/// Who will be in the file of an establishment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Census {
    pub count: usize,
    pub skipped: Vec<Skipped>,
    pub without_class: Vec<String>,
    /// The establishment's classes, for the class filter.
    pub classes: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum LibraryJob {
    Establishments,
    Census {
        uai: String,
        opts: ExportOptions,
    },
    ReadEnt(PathBuf),
    ReadBorrowers(PathBuf),
    /// The e-sidoc XML of the establishment alone, saved at `path`.
    Export {
        uai: String,
        opts: ExportOptions,
        charset: Charset,
        path: PathBuf,
    },
    Preview(Box<PreviewRequest>),
    Write {
        preview: Arc<Preview>,
        dir: PathBuf,
        charset: Charset,
        key: String,
        borrowers_file: String,
        scope: String,
    },
}

#[derive(Debug, Clone)]
pub enum LibraryDone {
    Establishments(Vec<StructureInfo>),
    Census {
        uai: String,
        opts: ExportOptions,
        census: Census,
    },
    Ent(Loaded),
    Borrowers(Loaded),
    Previewed {
        seq: u64,
        preview: Arc<Preview>,
    },
    /// The e-sidoc XML saved alone: its path and how many borrowers.
    Exported {
        path: String,
        count: usize,
    },
    /// The paths written.
    Written(Vec<String>),
    /// A job the screen waits for failed (it ends the busy state).
    Failed(String),
    /// A background read failed (the establishments or the census): said, without ending the busy
    /// state of a job still running.
    ListFailed(String),
}

fn failed(e: &LibraryError) -> LibraryDone {
    LibraryDone::Failed(ui_text::library_error(e))
}

/// Reads a chosen file and counts its records with `parse` (its error worded with the file's name).
fn read(
    path: PathBuf,
    parse: impl Fn(&[u8]) -> Result<usize, FileError>,
) -> Result<Loaded, String> {
    let name = workflow::file_label(&path);
    let bytes = std::fs::read(&path).map_err(|e| ui_text::read_error(path.display(), &e))?;
    let count = parse(&bytes).map_err(|e| ui_text::file_error(&name, &e))?;
    Ok(Loaded {
        name,
        bytes: Arc::new(bytes),
        count,
    })
}

fn census(services: &Services, uai: &str, opts: &ExportOptions) -> Result<Census, LibraryError> {
    let persons = workflow::persons(&services.store, uai)?;
    let mut classes: Vec<String> = persons
        .iter()
        .filter(|p| bcdi::status_of(&p.profile).is_some_and(|(pop, _)| pop == Population::Pupils))
        .flat_map(|p| p.classes.iter().cloned())
        .collect();
    classes.sort();
    classes.dedup();
    // The identifiers and passwords are not needed to count: nothing is kept here.
    let export = bcdi::borrowers(&persons, opts, |_| String::new(), String::new);
    Ok(Census {
        count: export.borrowers.len(),
        skipped: export.skipped,
        without_class: export.without_class,
        classes,
    })
}

fn preview(services: &Services, req: PreviewRequest, now: jiff::Timestamp) -> LibraryDone {
    let store = &services.store;
    let source = req.source.ent();
    if req.keep
        && let Some(d) = &req.decisions
        && let Err(e) = workflow::keep_decisions(store, &workflow::decisions_key(&source), d, now)
    {
        return failed(&e);
    }
    match workflow::preview(
        store,
        &source,
        &req.borrowers.name,
        &req.borrowers.bytes,
        &req.scope,
        req.decisions,
        now,
    ) {
        Ok(p) => LibraryDone::Previewed {
            seq: req.seq,
            preview: Arc::new(p),
        },
        Err(e) => failed(&e),
    }
}

pub fn perform(services: &Services, job: LibraryJob) -> LibraryDone {
    let now = jiff::Timestamp::now();
    match job {
        LibraryJob::Establishments => match services.store.read(school::establishments) {
            Ok(list) => LibraryDone::Establishments(list),
            Err(e) => LibraryDone::ListFailed(ui_text::store_error(&e)),
        },
        LibraryJob::Census { uai, opts } => match census(services, &uai, &opts) {
            Ok(census) => LibraryDone::Census { uai, opts, census },
            Err(e) => LibraryDone::ListFailed(ui_text::library_error(&e)),
        },
        LibraryJob::ReadEnt(path) => read(path, |b| bcdi::read_xml(b).map(|v| v.len()))
            .map_or_else(LibraryDone::Failed, LibraryDone::Ent),
        LibraryJob::ReadBorrowers(path) => read(path, |b| bcdi::read_borrowers(b).map(|v| v.len()))
            .map_or_else(LibraryDone::Failed, LibraryDone::Borrowers),
        LibraryJob::Preview(req) => preview(services, *req, now),
        LibraryJob::Export {
            uai,
            opts,
            charset,
            path,
        } => match workflow::export(&services.store, &uai, &opts, charset, now) {
            Ok(out) => match crate::production::print::write_atomic(&path, &out.xml, "esidoc") {
                Ok(()) => LibraryDone::Exported {
                    path: path.display().to_string(),
                    count: out.export.borrowers.len(),
                },
                Err(e) => LibraryDone::Failed(ui_text::write_error(path.display(), &e)),
            },
            Err(e) => failed(&e),
        },
        LibraryJob::Write {
            preview,
            dir,
            charset,
            key,
            borrowers_file,
            scope,
        } => match workflow::write_outputs(&preview, &dir, charset) {
            Ok(written) => {
                match workflow::record(
                    &services.store,
                    &key,
                    &borrowers_file,
                    &scope,
                    &preview,
                    now,
                ) {
                    Ok(_) => LibraryDone::Written(written),
                    Err(e) => failed(&e),
                }
            }
            Err((path, e)) => LibraryDone::Failed(ui_text::write_error(path, &e)),
        },
    }
}
