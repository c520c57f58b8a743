//! `guichet person add`: records a person the directory does not hold (a guest, external staff, a
//! visitor) with the SDET identifiers (formats.md §2); the same names and birth date again find the person
//! recorded before.

use clap::{Args, Subcommand};
use jiff::Timestamp;

use super::{CliResult, Env, Failure};
use crate::store::guests::{self, GuestInput, GuestKind};
use crate::{fl, ui_text};

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Record a person captured at the desk and print their identifiers.
    Add(AddArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    surname: String,
    #[arg(long)]
    given_name: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    #[arg(long)]
    birth_date: Option<String>,
    #[arg(long)]
    email: Option<String>,
    /// guest (default), external or visitor.
    #[arg(long, default_value = "guest")]
    kind: String,
    /// Code of the structure the person is attached to.
    #[arg(long)]
    structure: Option<String>,
}

pub fn run(env: &Env, cmd: PersonCommand) -> CliResult {
    let PersonCommand::Add(a) = cmd;
    let kind = GuestKind::parse(&a.kind)
        .ok_or_else(|| Failure(fl!("cli-person-bad-kind", value = a.kind.clone())))?;
    let birth_date =
        ui_text::typed_birth_date(a.birth_date.as_deref().unwrap_or("")).map_err(Failure)?;
    let input = GuestInput {
        surname: a.surname,
        given_name: a.given_name,
        birth_date,
        email: a.email,
        kind,
        structure_code: a.structure,
    };
    let store = env.open_store()?;
    let sdet = env.config.sdet.clone();
    let captured = store
        .write(|tx| Ok(guests::capture(tx, &input, &sdet, Timestamp::now())))
        .map_err(|e| Failure(ui_text::store_error(&e)))?
        .map_err(|e| Failure(ui_text::guest_error(&e)))?;
    if env.json {
        env.emit(&serde_json::json!(captured));
    } else {
        println!("{}", ui_text::captured(&captured));
    }
    Ok(())
}
