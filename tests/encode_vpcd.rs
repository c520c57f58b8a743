//! `guichet encode` end to end, as at a counter with a USB reader: a private pcscd with the vpcd driver, the
//! software DESFire card as its own `guichet cardsim` process, and the CLI encoding a printed card through
//! PC/SC. Covers a straight run read back with the application key, and a card pulled mid-write (cardsim
//! closes its socket) then presented again, which the next run resumes.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use guichet::domain::card::{Actor, CardId, CardState, Request};
use guichet::nfc::desfire::commands::{Aid, Desfire};
use guichet::nfc::desfire::crypto::{Key, KeyType};
use guichet::nfc::pcsc::Pcsc;
use guichet::nfc::profile::{CardFacts, Profile};
use guichet::store::Store;
use guichet::store::cards::{self, CardOptions};
use support::cardsim::{Sim, connect, reader_events, wait_for_reader};
use support::pcscd::{self, Pcscd};

const PIC: u32 = 999_123_456;

/// The twelve AES keys of the default profile, as a key file (`name = hex`).
fn key_file(profile: &Profile) -> String {
    profile
        .applications
        .iter()
        .flat_map(|a| &a.keys)
        .enumerate()
        .map(|(i, k)| format!("{} = {}\n", k.name, format!("{:02X}", 0x30 + i).repeat(16)))
        .collect()
}

/// A store with one person and one PRINTED card with an ESCN; the settings file gives the same PIC.
fn printed_card(dir: &Path) -> (Store, CardId) {
    let store = support::fixture_store(dir);
    let out = support::cli(dir, &["config", "set", "card.pic", &PIC.to_string()]);
    assert!(out.status.success(), "{out:?}");
    let person = store
        .read(|c| {
            Ok(
                c.query_row("SELECT id FROM persons WHERE surname = 'Martin'", [], |r| {
                    r.get::<_, i64>(0)
                })?,
            )
        })
        .expect("person");
    let opts = CardOptions {
        escn: Some((1, PIC)),
        ..CardOptions::default()
    };
    let alice = Actor::Operator("alice".into());
    let now = jiff::Timestamp::now();
    let card = store
        .request_card(person, &alice, None, &opts, now)
        .expect("request");
    for to in [
        CardState::RequestChecked,
        CardState::InPrint,
        CardState::Printed,
    ] {
        store
            .transition_card(card, to, &alice, &Request::default(), &opts, now)
            .expect("walk to PRINTED");
    }
    (store, card)
}

/// Everything a test needs: the store with its printed card, the profile and its key file, the card on
/// vpcd slot `slot` and a PC/SC context that sees it.
struct Bench {
    store: Store,
    card: CardId,
    profile: Profile,
    keys: String,
    reader: String,
    pcsc: Pcsc,
    sim: Sim,
}

fn bench(daemon: &Pcscd, dir: &Path, slot: u16, uid: &str, extra: &[&str]) -> Bench {
    let (store, card) = printed_card(dir);
    let profile = Profile::esup_default().expect("profile");
    let keys = key_file(&profile);
    let mut sim = Sim::start(daemon, slot, uid, extra);
    assert!(sim.line().contains(uid));
    let reader = daemon.reader(slot);
    let pcsc = Pcsc::establish().expect("pcscd");
    drop(connect(&pcsc, &reader));
    Bench {
        store,
        card,
        profile,
        keys,
        reader,
        pcsc,
        sim,
    }
}

fn encode(dir: &Path, keys: &str, args: &[&str]) -> Output {
    Command::new(support::guichet())
        .arg("--data-dir")
        .arg(dir)
        .args(["--lang", "en", "encode"])
        .args(args)
        .env("GUICHET_KEYRING", "mock")
        .env("GUICHET_DESFIRE_KEYS", keys)
        .output()
        .expect("run guichet encode")
}

/// Reads each file of the profile with its read key (key 1) over PC/SC and compares it with what the
/// card's facts give.
fn check_card(
    pcsc: &Pcsc,
    reader: &str,
    profile: &Profile,
    keys: &str,
    store: &Store,
    card: CardId,
) {
    let detail = store.read(|c| cards::get(c, card)).expect("card");
    let uid = detail.csn.expect("CSN recorded").bytes().to_vec();
    let facts = CardFacts {
        csn: uid.clone(),
        escn: detail.escn.clone(),
        crous_number: Some((99_990_000 + card as u64).to_string()),
        access_id: Some(card as u64),
    };
    let key_set = guichet::nfc::keys::KeySet::parse(keys).expect("keys");
    let mut t = connect(pcsc, reader);
    let mut d = Desfire::new(&mut t);
    for app in &profile.applications {
        d.select_application(app.aid).expect("select");
        let key = key_set
            .card_key(&app.keys[1], app.key_type, &uid)
            .expect("key");
        d.authenticate(1, &key).expect("read key");
        for f in &app.files {
            let got = d.read_data(f.number, 0, f.size, f.comm_mode).expect("read");
            let mut want = Profile::content_for(f, &facts).expect("content");
            want.resize(f.size as usize, 0);
            assert_eq!(got, want, "{} file {}", app.aid, f.number);
        }
        // The default key no longer opens the application.
        d.select_application(app.aid).expect("select");
        assert!(d.authenticate(0, &Key::zero(KeyType::Aes128)).is_err());
    }
    assert!(d.select_application(Aid::PICC).is_ok());
}

#[test]
fn a_printed_card_is_encoded_through_pcsc_and_reads_back() {
    let _pcsc = pcscd::lock();
    let Some(daemon) = Pcscd::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("data folder");
    let Bench {
        store,
        card,
        profile,
        keys,
        reader,
        pcsc,
        sim: _sim,
    } = bench(&daemon, dir.path(), 0, "04A1B2C3D4E5F6", &[]);

    let out = encode(
        dir.path(),
        &keys,
        &["--reader", &reader, "--card", &card.to_string(), "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(line["state"], "ENABLED");
    assert_eq!(line["csn"], "04A1B2C3D4E5F6");
    assert_eq!(line["update"], false);
    assert_eq!(
        line["desfire_ids"]["CROUS"],
        (99_990_000 + card).to_string()
    );
    assert!(line["apdus"].as_u64().is_some_and(|n| n <= 49), "{line}");
    check_card(&pcsc, &reader, &profile, &keys, &store, card);

    // `nfc info` shows the three applications.
    let info = support::cli(dir.path(), &["nfc", "info", "--reader", &reader, "--json"]);
    assert!(info.status.success(), "{info:?}");
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).expect("JSON");
    assert_eq!(info["uid"], "04A1B2C3D4E5F6");
    let mut apps: Vec<String> = info["applications"]
        .as_array()
        .expect("applications")
        .iter()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    apps.sort();
    assert_eq!(apps, ["F58540", "F585C0", "F585C1"]);

    // Presented again (scanned QR code): an update, nothing to write, same state.
    let qr = store
        .read(|c| cards::get(c, card))
        .expect("card")
        .qr
        .expect("QR content");
    let out = encode(dir.path(), &keys, &["--reader", &reader, "--qr", &qr]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("already done"), "{text}");
    assert!(
        text.contains("Enabled") || text.contains("ENABLED") || text.contains("enabled"),
        "{text}"
    );
}

#[test]
fn a_card_pulled_mid_write_is_resumed_when_presented_again() {
    let _pcsc = pcscd::lock();
    let Some(daemon) = Pcscd::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("data folder");
    let (store, card) = printed_card(dir.path());
    let profile = Profile::esup_default().expect("profile");
    let keys = key_file(&profile);
    // 24 answered APDUs: the reader's UID, the card level, and the first application half done.
    let mut sim = Sim::start(
        &daemon,
        1,
        "04112233445566",
        &["--pull-after", "24", "--reinsert"],
    );
    assert!(sim.line().contains("04112233445566"));
    let reader = daemon.reader(1);
    let pcsc = Pcsc::establish().expect("pcscd");
    drop(connect(&pcsc, &reader));
    let (before, _) = reader_events(&reader);

    let out = encode(
        dir.path(),
        &keys,
        &["--reader", &reader, "--card", &card.to_string()],
    );
    assert!(!out.status.success(), "the first run must stop");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("taken off the reader"), "{err}");
    let state = store.read(|c| cards::get(c, card)).expect("card").state;
    assert_eq!(state, CardState::InEncode, "the card waits in IN_ENCODE");
    assert!(sim.line().contains("pulled"));
    assert!(sim.line().contains("Press Enter"));
    // Put back only once pcscd has seen the reader empty, as with a card taken off by hand (cardsim.rs).
    let removed = wait_for_reader(&reader, before, false);
    sim.present_again();
    assert!(sim.line().contains("04112233445566"), "presented again");
    wait_for_reader(&reader, removed, true);

    let out = encode(
        dir.path(),
        &keys,
        &["--reader", &reader, "--card", &card.to_string()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("already done"),
        "the resume skips what is done: {text}"
    );
    check_card(&pcsc, &reader, &profile, &keys, &store, card);
    let state = store.read(|c| cards::get(c, card)).expect("card").state;
    assert_eq!(state, CardState::Enabled);
}
