//! `guichet encode --reader NAME --card ID [--json]`: encodes one printed card on a PC/SC reader with the
//! configured profile and the keys of the keyring (or `GUICHET_DESFIRE_KEYS`), moves it to ENCODED (and
//! ENABLED when `encode.auto_enable`), and prints each step as it happens.

use clap::Args;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::nfc::encoder::{LogEntry, log_code};
use crate::nfc::pcsc::Pcsc;
use crate::nfc::station::{self, Setup, StationError};
use crate::{fl, secrets, ui_text};

#[derive(Debug, Args)]
pub struct EncodeArgs {
    /// The PC/SC reader, as `guichet nfc readers` names it (default: `encode.reader`, else the only reader
    /// holding a card).
    #[arg(long, value_name = "NAME")]
    pub reader: Option<String>,
    /// The card's number.
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "qr",
        conflicts_with = "qr"
    )]
    pub card: Option<i64>,
    /// The content of the card's printed QR code (eppn or ESC URL), as a barcode scanner types it.
    #[arg(long, value_name = "TEXT")]
    pub qr: Option<String>,
}

/// The reader to use: the one named, the configured one, else the only reader with a card.
pub fn pick_reader(pcsc: &Pcsc, named: Option<&str>) -> Result<String, Failure> {
    if let Some(name) = named.filter(|n| !n.trim().is_empty()) {
        return Ok(name.to_string());
    }
    let statuses = pcsc
        .statuses()
        .map_err(|e| Failure(ui_text::reader_error(&e)))?;
    let with_card: Vec<&str> = statuses
        .iter()
        .filter(|s| s.atr.is_some())
        .map(|s| s.name.as_str())
        .collect();
    match with_card.as_slice() {
        [one] => Ok(one.to_string()),
        [] => Err(Failure(fl!("cli-encode-no-card"))),
        many => Err(Failure(fl!(
            "cli-encode-which-reader",
            readers = many.join(", ")
        ))),
    }
}

pub fn run(env: &Env, args: EncodeArgs) -> CliResult {
    secrets::init_from_env();
    let store = env.open_store()?;
    let card = match (args.card, args.qr.as_deref()) {
        (Some(id), _) => id,
        (None, Some(scan)) => store
            .card_for_scan(scan)
            .map_err(|e| Failure(ui_text::store_error(&e)))?
            .ok_or_else(|| {
                Failure(fl!(
                    "cli-encode-no-card-for-qr",
                    qr = scan.trim().to_string()
                ))
            })?,
        (None, None) => return Err(Failure(fl!("cli-encode-which-card"))),
    };
    let pcsc = Pcsc::establish().map_err(|e| Failure(ui_text::reader_error(&e)))?;
    let reader = pick_reader(
        &pcsc,
        args.reader
            .as_deref()
            .or(env.config.encode.reader.as_deref()),
    )?;
    let mut transport = pcsc
        .connect(&reader)
        .map_err(|e| Failure(ui_text::reader_error(&e)))?;
    let setup = Setup::from_config(&env.config, &env.paths.data_dir, reader.clone())
        .map_err(|e| Failure(ui_text::encode_error(&e)))?;
    let json = env.json;
    let mut progress = |e: &LogEntry| {
        if !json {
            println!("{}", ui_text::encode_entry(e));
        }
    };
    match station::encode_card(&store, card, &mut transport, &setup, &mut progress) {
        Ok(done) => {
            let csn = ui_text::hex_bytes(&done.encoded.uid, "");
            if json {
                let ids: serde_json::Value = serde_json::from_str(&done.recorded.desfire_ids)
                    .unwrap_or(serde_json::Value::Null);
                env.emit(&json!({
                    "card": card,
                    "reader": reader,
                    "state": done.recorded.state.as_str(),
                    "csn": csn,
                    "update": done.update,
                    "desfire_ids": ids,
                    "apdus": done.apdus,
                    "log": log_code(&done.log),
                }));
            } else {
                println!(
                    "{}",
                    fl!(
                        "cli-encode-done",
                        card = card.to_string(),
                        csn = csn,
                        state = ui_text::state(done.recorded.state),
                        apdus = done.apdus.to_string()
                    )
                );
            }
            Ok(())
        }
        Err(StationError::Store(message)) => Err(Failure(message)),
        Err(StationError::Encode { error, log }) => {
            if json {
                env.emit(&json!({
                    "card": card,
                    "reader": reader,
                    "error": ui_text::encode_error(&error),
                    "log": log_code(&log),
                }));
            }
            Err(Failure(ui_text::encode_error(&error)))
        }
    }
}
