//! `guichet nfc …`: the card readers as the PC/SC service sees them.

use clap::Subcommand;

use super::{CliResult, Env, Failure};
use crate::nfc::pcsc::Pcsc;
use crate::nfc::transport::TransportError;
use crate::ui_text;

#[derive(Debug, Subcommand)]
pub enum NfcCommand {
    /// List the card readers, with the ATR and UID of the card on each (SAM slots are left out).
    Readers,
}

pub fn run(env: &Env, command: NfcCommand) -> CliResult {
    match command {
        NfcCommand::Readers => readers(env),
    }
}

fn readers(env: &Env) -> CliResult {
    let failure = |e: TransportError| Failure(ui_text::reader_error(&e));
    let pcsc = Pcsc::establish().map_err(failure)?;
    let statuses = pcsc.statuses().map_err(failure)?;
    if statuses.is_empty() && !env.json {
        println!("{}", ui_text::no_readers());
    }
    for status in statuses {
        // The UID needs a short connection; a card another program holds just shows without it.
        let uid = status.atr.as_ref().map(|_| {
            let mut card = pcsc.connect(&status.name)?;
            let uid = card.uid()?;
            // The CSN's usual form: upper-case hex as read from the chip (domain::ids::Csn::hex).
            Ok(ui_text::hex_bytes(&uid, ""))
        });
        if env.json {
            env.emit(&serde_json::json!({
                "reader": status.name,
                "card": status.atr.is_some(),
                "atr": status.atr.as_deref().map(|a| ui_text::hex_bytes(a, "")),
                "uid": uid.as_ref().and_then(|u| u.as_ref().ok()),
                "error": uid.as_ref().and_then(|u| u.as_ref().err()).map(ui_text::reader_error),
            }));
        } else {
            println!(
                "{}",
                ui_text::reader_line(&status.name, status.atr.as_deref(), uid.as_ref())
            );
        }
    }
    Ok(())
}
