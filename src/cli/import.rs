//! `guichet import siecle FILE`: the pupils of an establishment from SIECLE's `ElevesSansAdresses.xml`
//! (formats.md §8.1), in one transaction.

use std::path::PathBuf;

use clap::Subcommand;
use jiff::Timestamp;

use super::{CliResult, Env, Failure};
use crate::library::siecle;
use crate::ui_text;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import SIECLE's ElevesSansAdresses.xml (or ElevesAvecAdresses.xml): pupils, classes, departures.
    Siecle { file: PathBuf },
}

pub fn run(env: &Env, cmd: ImportCommand) -> CliResult {
    let ImportCommand::Siecle { file } = cmd;
    let name = file.display().to_string();
    let bytes = std::fs::read(&file).map_err(|e| Failure(ui_text::read_error(&name, &e)))?;
    // The whole file is read and checked before anything is written.
    let parsed = siecle::parse(&bytes).map_err(|e| Failure(ui_text::file_error(&name, &e)))?;
    let store = env.open_store()?;
    let report = store
        .write(|tx| siecle::import(tx, &parsed, Timestamp::now()))
        .map_err(|e| Failure(ui_text::store_error(&e)))?;
    if env.json {
        env.emit(&serde_json::to_value(&report).map_err(|e| Failure(e.to_string()))?);
        return Ok(());
    }
    println!("{}", ui_text::siecle_imported(&name, &report));
    for s in &report.skipped {
        println!("{}", ui_text::siecle_skipped(s));
    }
    Ok(())
}
