//! Shared helpers for the integration tests.
#![allow(dead_code)]

pub mod cardsim;
pub mod crous_fake;
pub mod escr_fake;
pub mod gui;
pub mod http_fake;
pub mod ipp;
pub mod outbox_seed;
pub mod pcscd;
pub mod slapd;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

use guichet::domain::person::{IdKind, PersonRecord};
use guichet::store::{Store, persons, structures};

/// Serialises tests that switch the process-wide language.
pub fn lang_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether a missing system component must fail the test (CI) rather than skip it.
pub fn strict() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Reports a missing component: a failure under CI=true, a visible skip otherwise.
pub fn missing(component: &str) -> bool {
    if strict() {
        panic!("{component} is required (CI=true): run `make test`, which installs it");
    }
    eprintln!("SKIPPED: {component} not installed (run `make test` to install it)");
    true
}

pub fn have(cmd: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {cmd}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A small directory: a few persons with accents, particles and homonyms.
pub fn fixture_store(dir: &Path) -> Store {
    let store = Store::open(&dir.join("guichet.db")).expect("open store");
    let now = jiff::Timestamp::now();
    store
        .write(|tx| {
            structures::upsert(
                tx,
                &guichet::domain::structure::StructureRecord {
                    code: "0359999Z".into(),
                    uai: Some("0359999Z".into()),
                    kind: guichet::domain::structure::StructureKind::University,
                    name: "Université de Brocéliande".into(),
                    parent_code: None,
                },
            )?;
            for (i, (surname, given)) in [
                ("Dupré", "Hélène"),
                ("Lefèvre", "Jérôme"),
                ("de La Fontaine", "Jean-Pierre"),
                ("Œuvray", "Zoé"),
                ("Martin", "Paul"),
            ]
            .iter()
            .enumerate()
            {
                let login =
                    guichet::domain::names::fold(&format!("{given} {surname}")).replace(' ', ".");
                let rec = PersonRecord {
                    surname: surname.to_string(),
                    given_name: given.to_string(),
                    eppn: Some(format!("{login}@univ-broceliande.fr")),
                    uid: Some(login.clone()),
                    ine: Some(format!("09876543{i:02}A")),
                    supann_etu_id: Some(format!("2100{i:04}")),
                    email: Some(format!("{login}@etu.univ-broceliande.fr")),
                    affiliation: "student".into(),
                    structure_code: Some("0359999Z".into()),
                    due_date: Some(jiff::civil::date(2027, 8, 31)),
                    editable: true,
                    identifiers: vec![(
                        IdKind::RefId,
                        format!("{{UNIV:ACCESS-CONTROL}}{}", 5000 + i),
                    )],
                    source: "test".into(),
                    ..Default::default()
                };
                persons::insert(tx, &rec, now)?;
            }
            Ok(())
        })
        .expect("fixture");
    store
}

pub fn guichet() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_guichet"))
}

/// Runs the CLI against `data_dir` in English.
pub fn cli(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(guichet())
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--lang")
        .arg("en")
        .args(args)
        .output()
        .expect("run guichet")
}
