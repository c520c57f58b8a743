//! `guichet bcdi …`: the school librarian's BCDI/e-sidoc tools (formats.md §5–§6): the borrower export and
//! the preview of BCDI's update with the decisions and the output files.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use jiff::Timestamp;

use super::{CliResult, Env, Failure};
use crate::library::bcdi::{ExportOptions, Population};
use crate::library::reconcile::{Decisions, Scope};
use crate::library::text::Charset;
use crate::library::workflow::{self, EntSource, LibraryError};
use crate::{fl, ui_text};

#[derive(Debug, Subcommand)]
pub enum BcdiCommand {
    /// Write the e-sidoc borrower XML of an establishment (pupils, teachers, staff; never parents).
    Export(ExportArgs),
    /// Preview what BCDI will do with its borrower list: new, updated, deleted, set aside, homonyms,
    /// suggestions; with --out-dir, write the XML, the fixes and the set-aside list.
    Plan(PlanArgs),
}

#[derive(Debug, Args)]
pub struct Selection {
    /// Populations, comma-separated: pupils, teachers, staff (default: all three).
    #[arg(long, value_delimiter = ',')]
    populations: Vec<String>,
    /// Pupils of these classes only, comma-separated (default: every class).
    #[arg(long, value_delimiter = ',')]
    classes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long)]
    uai: String,
    /// windows-1252 (default, as BCDI expects) or utf-8.
    #[arg(long, default_value = "windows-1252")]
    encoding: String,
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    selection: Selection,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The establishment whose directory persons are compared.
    #[arg(long, required_unless_present = "ent", conflicts_with = "ent")]
    uai: Option<String>,
    /// An e-sidoc XML to compare instead of the directory (files alone).
    #[arg(long)]
    ent: Option<PathBuf>,
    /// BCDI's borrower export (CSV, tab-separated) or a previous e-sidoc XML.
    #[arg(long)]
    borrowers: PathBuf,
    /// Deletion scope, a search equation such as `Statut=Elève` (default: every borrower but parents).
    #[arg(long, conflicts_with = "no_delete")]
    scope: Option<String>,
    /// Mid-year update: no deletion, no set-aside.
    #[arg(long)]
    no_delete: bool,
    /// A homonym decision: this borrower (its key in the plan) is this ENT identifier, `KEY=ENT_ID`.
    #[arg(long, value_name = "KEY=ENT_ID")]
    pair: Vec<String>,
    /// Accept a suggestion, `KEY=ENT_ID`: rename the borrower in BCDI before the import.
    #[arg(long, value_name = "KEY=ENT_ID")]
    accept: Vec<String>,
    /// Reject a suggestion, `KEY=ENT_ID`.
    #[arg(long, value_name = "KEY=ENT_ID")]
    reject: Vec<String>,
    /// Write the e-sidoc XML (directory source), the fixes and the set-aside list into this folder.
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Encoding of the written XML: windows-1252 (default) or utf-8.
    #[arg(long, default_value = "windows-1252")]
    encoding: String,
    #[command(flatten)]
    selection: Selection,
}

fn library_err(e: LibraryError) -> Failure {
    Failure(ui_text::library_error(&e))
}

fn charset(name: &str) -> Result<Charset, Failure> {
    Charset::parse(name)
        .filter(|c| *c != Charset::Iso8859_15)
        .ok_or_else(|| Failure(fl!("cli-bcdi-bad-encoding", value = name.to_string())))
}

fn options(s: &Selection) -> Result<ExportOptions, Failure> {
    let mut opts = ExportOptions {
        classes: s.classes.iter().map(|c| c.trim().to_string()).collect(),
        ..ExportOptions::default()
    };
    if !s.populations.is_empty() {
        opts.populations = s
            .populations
            .iter()
            .map(|p| {
                Population::parse(p)
                    .ok_or_else(|| Failure(fl!("cli-bcdi-bad-population", value = p.clone())))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(opts)
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure(ui_text::read_error(path.display(), &e)))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    crate::production::print::write_atomic(path, bytes, "bcdi")
        .map_err(|e| Failure(ui_text::write_error(path.display(), &e)))
}

fn pairs(list: &[String]) -> Result<Vec<(String, String)>, Failure> {
    list.iter()
        .map(|s| {
            s.rsplit_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                .ok_or_else(|| Failure(fl!("cli-bcdi-bad-pair", value = s.clone())))
        })
        .collect()
}

pub fn run(env: &Env, cmd: BcdiCommand) -> CliResult {
    let store = env.open_store()?;
    let now = Timestamp::now();
    match cmd {
        BcdiCommand::Export(a) => {
            let opts = options(&a.selection)?;
            let out = workflow::export(&store, &a.uai, &opts, charset(&a.encoding)?, now)
                .map_err(library_err)?;
            write(&a.out, &out.xml)?;
            if env.json {
                env.emit(&serde_json::json!({
                    "file": a.out.display().to_string(),
                    "borrowers": out.export.borrowers.len(),
                    "skipped": out.export.skipped,
                    "without_class": out.export.without_class,
                    "unencodable": out.unmappable.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                }));
            } else {
                println!(
                    "{}",
                    fl!(
                        "cli-bcdi-exported",
                        count = out.export.borrowers.len(),
                        file = a.out.display().to_string()
                    )
                );
                for s in &out.export.skipped {
                    println!("  {}", ui_text::skipped_line(s));
                }
                if !out.export.without_class.is_empty() {
                    println!(
                        "{}",
                        fl!(
                            "library-without-class",
                            count = out.export.without_class.len(),
                            names = out.export.without_class.join(", ")
                        )
                    );
                }
                if !out.unmappable.is_empty() {
                    let chars: String = out.unmappable.iter().collect();
                    println!("{}", fl!("library-unencodable", chars = chars));
                }
            }
            Ok(())
        }
        BcdiCommand::Plan(a) => plan(env, &store, a, now),
    }
}

fn plan(env: &Env, store: &crate::store::Store, a: PlanArgs, now: Timestamp) -> CliResult {
    let scope = match (&a.scope, a.no_delete) {
        (_, true) => Scope::NoDeletion,
        (Some(eq), _) => {
            Scope::parse(eq).map_err(|e| Failure(fl!("cli-bcdi-bad-scope", term = e.term)))?
        }
        (None, false) => Scope::All,
    };
    let opts = options(&a.selection)?;
    let ent_bytes = match &a.ent {
        Some(p) => Some(read(p)?),
        None => None,
    };
    // Named as the window names them: decisions taken on the same ENT file are shared.
    let ent_name = a
        .ent
        .as_deref()
        .map(workflow::file_label)
        .unwrap_or_default();
    let source = match (&a.uai, &ent_bytes) {
        (Some(uai), _) => EntSource::Mirror { uai, opts: &opts },
        (None, Some(bytes)) => EntSource::File {
            name: &ent_name,
            bytes,
        },
        (None, None) => return Err(Failure(fl!("cli-bcdi-no-source"))),
    };
    let key = workflow::decisions_key(&source);
    let mut decisions: Decisions = workflow::kept_decisions(store, &key).map_err(library_err)?;
    if let Some(path) = a
        .ent
        .as_deref()
        .filter(|_| decisions == Decisions::default())
    {
        // Earlier versions kept an ENT file's decisions under the path typed on the command line.
        let legacy = format!("file:{}", path.display());
        let kept = workflow::kept_decisions(store, &legacy).map_err(library_err)?;
        if kept != Decisions::default() {
            workflow::keep_decisions(store, &key, &kept, now).map_err(library_err)?;
            decisions = kept;
        }
    }
    let changed = !(a.pair.is_empty() && a.accept.is_empty() && a.reject.is_empty());
    for (k, v) in pairs(&a.pair)? {
        decisions.pairs.retain(|(bk, _)| bk != &k);
        decisions.pairs.push((k, v));
    }
    for (k, v) in pairs(&a.accept)? {
        decisions.rejected.retain(|p| p != &(k.clone(), v.clone()));
        decisions.accepted.push((k, v));
    }
    for (k, v) in pairs(&a.reject)? {
        decisions.accepted.retain(|p| p != &(k.clone(), v.clone()));
        decisions.rejected.push((k, v));
    }
    if changed {
        workflow::keep_decisions(store, &key, &decisions, now).map_err(library_err)?;
    }
    let borrowers = read(&a.borrowers)?;
    let borrowers_name = workflow::file_label(&a.borrowers);
    let preview = workflow::preview(
        store,
        &source,
        &borrowers_name,
        &borrowers,
        &scope,
        Some(decisions),
        now,
    )
    .map_err(library_err)?;
    let scope_text = workflow::scope_record(a.scope.as_deref(), a.no_delete);
    workflow::record(store, &key, &borrowers_name, &scope_text, &preview, now)
        .map_err(library_err)?;
    if let Some(dir) = &a.out_dir {
        let written = workflow::write_outputs(&preview, dir, charset(&a.encoding)?)
            .map_err(|(path, e)| Failure(ui_text::write_error(path, &e)))?;
        if !env.json {
            for f in written {
                println!("{}", fl!("cli-bcdi-wrote", file = f));
            }
        }
    }
    if env.json {
        env.emit(&preview.to_json());
    } else {
        for line in ui_text::plan_summary(&preview) {
            println!("{line}");
        }
    }
    Ok(())
}
