//! `guichet nfc …`: the card readers as the PC/SC service sees them.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::nfc::desfire::commands::Desfire;
use crate::nfc::keys::{KeySet, KeyState, KeysError};
use crate::nfc::pcsc::Pcsc;
use crate::nfc::transport::{TransportError, read_uid};
use crate::{fl, secrets, ui_text};

#[derive(Debug, Subcommand)]
pub enum NfcCommand {
    /// List the card readers, with the ATR and UID of the card on each (SAM slots are left out).
    Readers,
    /// Show the card on a reader: UID, GetVersion, applications and free memory.
    Info {
        /// The reader (default: `encode.reader`, else the only reader holding a card).
        #[arg(long, value_name = "NAME")]
        reader: Option<String>,
    },
    /// The DESFire keys of the encoding profile, kept in the OS keyring.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Each key of the profile with its type, version and key check value (never its value).
    List,
    /// Import a key file (`name = hex` lines) into the keyring; existing names are replaced.
    Import { file: PathBuf },
    /// Store one key read from standard input (hexadecimal).
    Set { name: String },
    /// Remove one key from the keyring.
    Delete { name: String },
}

pub fn run(env: &Env, command: NfcCommand) -> CliResult {
    match command {
        NfcCommand::Readers => readers(env),
        NfcCommand::Info { reader } => info(env, reader.as_deref()),
        NfcCommand::Keys(k) => keys(env, k),
    }
}

fn keys(env: &Env, command: KeysCommand) -> CliResult {
    secrets::init_from_env();
    let err = |e: KeysError| Failure(ui_text::keys_error(&e));
    match command {
        KeysCommand::List => {
            let set = KeySet::load().map_err(err)?;
            let profile = env
                .config
                .encode
                .load_profile(&env.paths.data_dir)
                .map_err(|e| Failure(ui_text::profile_error(&e)))?;
            for info in set.describe(&profile) {
                let (state, kcv) = match info.state {
                    KeyState::Present { check_value } => {
                        ("present", Some(ui_text::hex_bytes(&check_value, "")))
                    }
                    KeyState::Missing => ("missing", None),
                    KeyState::WrongLength { .. } => ("wrong_length", None),
                };
                if env.json {
                    env.emit(&json!({
                        "place": info.place,
                        "name": info.name,
                        "type": info.kind.name(),
                        "version": info.version,
                        "diversified": info.diversified,
                        "state": state,
                        "kcv": kcv,
                    }));
                } else {
                    println!(
                        "{:<12} {:<24} {:<8} v{:<3} {}",
                        info.place,
                        info.name,
                        info.kind.name(),
                        info.version,
                        kcv.map(|k| fl!("cli-keys-kcv", kcv = k))
                            .unwrap_or_else(|| fl!("cli-keys-missing"))
                    );
                }
            }
        }
        KeysCommand::Import { file } => {
            let names = KeySet::import_file(&file).map_err(|e| match e {
                KeysError::Read { .. } => err(e),
                other => Failure(format!(
                    "{}: {}",
                    file.display(),
                    ui_text::keys_error(&other)
                )),
            })?;
            if env.json {
                env.emit(&json!({"imported": names}));
            } else {
                println!(
                    "{}",
                    fl!("cli-keys-imported", count = names.len().to_string())
                );
            }
        }
        KeysCommand::Set { name } => {
            let value = secrets::read_stdin()
                .map_err(|e| Failure(ui_text::secret_error(&e, "GUICHET_DESFIRE_KEYS")))?;
            KeySet::modify(|set| set.insert_typed(&name, &value)).map_err(err)?;
        }
        KeysCommand::Delete { name } => {
            KeySet::modify(|set| {
                if set.remove(&name) {
                    Ok(())
                } else {
                    Err(KeysError::Missing(name))
                }
            })
            .map_err(err)?;
        }
    }
    Ok(())
}

fn info(env: &Env, reader: Option<&str>) -> CliResult {
    let failure = |e: TransportError| Failure(ui_text::reader_error(&e));
    let pcsc = Pcsc::establish().map_err(failure)?;
    let reader = super::encode::pick_reader(&pcsc, reader.or(env.config.encode.reader.as_deref()))?;
    let mut card = pcsc.connect(&reader).map_err(failure)?;
    let uid = read_uid(&mut card).map_err(failure)?;
    let mut d = Desfire::new(&mut card);
    let nfc = |e: crate::nfc::desfire::DesfireError| Failure(ui_text::nfc_error(&e));
    let version = d.get_version().map_err(nfc)?;
    // Listing and free memory may need the card master key (PICC key settings): shown as unavailable then.
    let apps = d
        .select_application(crate::nfc::desfire::commands::Aid::PICC)
        .and_then(|()| d.get_application_ids());
    let free = d.get_free_memory();
    let apps_text = apps
        .as_ref()
        .map(|a| a.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    if env.json {
        env.emit(&json!({
            "reader": reader,
            "uid": ui_text::hex_bytes(&uid, ""),
            "random_uid": crate::nfc::encoder::is_random_uid(&uid),
            "hardware": format!("{:?}", version.hardware),
            "software": format!("{:?}", version.software),
            "storage_bytes": version.hardware.storage_bytes(),
            "version_uid": ui_text::hex_bytes(&version.uid, ""),
            "applications": apps_text.as_ref().ok(),
            "applications_error": apps.as_ref().err().map(ui_text::nfc_error),
            "free_memory": free.as_ref().ok(),
        }));
    } else {
        println!("{}", fl!("cli-info-reader", reader = reader.clone()));
        println!(
            "{}",
            fl!("cli-info-uid", uid = ui_text::hex_bytes(&uid, ""))
        );
        println!(
            "{}",
            fl!(
                "cli-info-version",
                major = version.hardware.major.to_string(),
                minor = version.hardware.minor.to_string(),
                storage = version.hardware.storage_bytes().to_string()
            )
        );
        match &apps_text {
            Ok(list) if list.is_empty() => println!("{}", fl!("cli-info-no-apps")),
            Ok(list) => println!("{}", fl!("cli-info-apps", apps = list.join(", "))),
            Err(e) => println!(
                "{}",
                fl!("cli-info-apps-locked", error = ui_text::nfc_error(e))
            ),
        }
        if let Ok(bytes) = free {
            println!("{}", fl!("cli-info-free", bytes = bytes.to_string()));
        }
    }
    Ok(())
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
