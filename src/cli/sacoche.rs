//! `guichet sacoche …`: SACoche's ENT identifiers (formats.md §7): the ITOP CSV of an establishment,
//! and the check of an ENT file before the SACoche administrator imports it.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::library::sacoche::{self, CheckLine, Outcome};
use crate::library::text::Charset;
use crate::store::{Store, school};
use crate::{fl, ui_text};

#[derive(Debug, Subcommand)]
pub enum SacocheCommand {
    /// Write the ENT identifiers of an establishment as SACoche's ITOP CSV.
    Export {
        /// The establishment's UAI.
        #[arg(long)]
        uai: String,
        /// The CSV file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Character set of the file.
        #[arg(long, default_value = "utf-8", value_name = "utf-8|windows-1252")]
        encoding: String,
    },
    /// Check an ENT's CSV the way SACoche will match it (lines set, unchanged, to handle by hand).
    Check {
        /// The ENT's format in SACoche's list (perso, itop, kosmos, itslearning, netocentre, …).
        #[arg(long)]
        format: String,
        file: PathBuf,
        /// Match against this establishment's persons (default: every establishment's).
        #[arg(long)]
        uai: Option<String>,
    },
}

fn store_err(e: crate::store::StoreError) -> Failure {
    Failure(ui_text::store_error(&e))
}

/// A file's name as the messages show it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

pub fn run(env: &Env, cmd: SacocheCommand) -> CliResult {
    let store = env.open_store()?;
    match cmd {
        SacocheCommand::Export { uai, out, encoding } => export(env, &store, &uai, &out, &encoding),
        SacocheCommand::Check { format, file, uai } => check(env, &store, &format, &file, uai),
    }
}

fn export(env: &Env, store: &Store, uai: &str, out: &Path, encoding: &str) -> CliResult {
    let charset = match Charset::parse(encoding) {
        Some(c @ (Charset::Utf8 | Charset::Windows1252)) => c,
        _ => {
            return Err(Failure(fl!(
                "cli-sacoche-bad-encoding",
                value = encoding.to_string()
            )));
        }
    };
    let persons = persons(store, Some(uai))?;
    let (csv, bytes, unmappable) = sacoche::itop_bytes(&persons, charset);
    crate::production::print::write_atomic(out, &bytes, "itop")
        .map_err(|e| Failure(ui_text::write_error(out.display(), &e)))?;
    let unmappable: String = unmappable.iter().collect();
    if env.json {
        env.emit(&json!({
            "file": shown(out),
            "uai": uai,
            "encoding": charset.label(),
            "rows": csv.rows,
            "left_out": csv.left_out.len(),
            "unmappable": unmappable,
        }));
        return Ok(());
    }
    println!(
        "{}",
        ui_text::sacoche_exported(&shown(out), csv.rows, csv.left_out.len())
    );
    if !unmappable.is_empty() {
        eprintln!("{}", ui_text::sacoche_unmappable(&unmappable, charset));
    }
    Ok(())
}

/// The persons to match: the establishment's, or every establishment's (a person attached to none has
/// no ENT identifier to check).
fn persons(store: &Store, uai: Option<&str>) -> Result<Vec<school::SchoolPerson>, Failure> {
    store
        .read(|c| school::persons(c, uai))
        .map_err(store_err)?
        .ok_or_else(|| {
            Failure(fl!(
                "cli-sacoche-no-school",
                uai = uai.unwrap_or_default().to_string()
            ))
        })
}

fn check(env: &Env, store: &Store, format: &str, file: &Path, uai: Option<String>) -> CliResult {
    let name = shown(file);
    let fmt = sacoche::format(format).map_err(|e| Failure(ui_text::file_error(&name, &e)))?;
    let bytes = std::fs::read(file).map_err(|e| Failure(ui_text::read_error(&name, &e)))?;
    let parsed =
        sacoche::parse(&bytes, fmt).map_err(|e| Failure(ui_text::file_error(&name, &e)))?;
    let persons = persons(store, uai.as_deref())?;
    let report = sacoche::check(&parsed, &persons);
    if env.json {
        env.emit(&serde_json::to_value(&report).map_err(|e| Failure(e.to_string()))?);
        return Ok(());
    }
    println!("{}", ui_text::sacoche_checked(&name, &report.counts));
    for l in report.problems.iter().chain(&report.modified) {
        println!("{}", line_text(l));
    }
    Ok(())
}

/// One line of the check, worded.
fn line_text(l: &CheckLine) -> String {
    let who = crate::domain::names::display_name(&l.surname, &l.given_name);
    let line = l.line;
    match &l.outcome {
        Outcome::Set { .. } => fl!(
            "cli-sacoche-line-set",
            line = line,
            name = who,
            id = l.id_ent.clone()
        ),
        Outcome::Unchanged { .. } => fl!("cli-sacoche-line-unchanged", line = line, name = who),
        Outcome::NotFound => fl!("cli-sacoche-line-not-found", line = line, name = who),
        Outcome::Homonyms { person_ids } => fl!(
            "cli-sacoche-line-homonyms",
            line = line,
            name = who,
            count = person_ids.len()
        ),
        Outcome::IdUsed { used_by, .. } => fl!(
            "cli-sacoche-line-id-used",
            line = line,
            name = who,
            id = l.id_ent.clone(),
            person = used_by.to_string()
        ),
    }
}
