//! Encoding from the window, driven with iced_test: the Desk's encode panel on the training reader (success
//! up to ENABLED, the "no card" error and Retry), Production's batch scan, and Settings → Encoding (profile
//! check, key import errors, key check values instead of values). The same `App::handle`, jobs and encode
//! worker as the window; the keys are in keyring-core's mock store.

mod support;

use guichet::domain::card::{Actor, CardId, CardState, PersonId, Request};
use guichet::gui::app::Screen;
use guichet::gui::encoding::Success;
use guichet::gui::printing::Dialog;
use guichet::gui::screens::{batch_encode, production, settings};
use guichet::gui::{App, Message};
use guichet::i18n::{self, Lang};
use guichet::nfc::keys::KeySet;
use guichet::nfc::profile::Profile;
use guichet::store::cards::{self, CardOptions};
use guichet::store::{Store, search};
use support::gui::{drive, shows, start_on};

fn click(app: &mut App, label: &str) -> bool {
    support::gui::click(app, label, drive)
}

fn opts() -> CardOptions {
    CardOptions {
        escn: Some((1, 123_456_789)),
        ..CardOptions::default()
    }
}

/// The profile's keys in the (mock) keyring: application key `i` is `i+1` repeated.
fn store_keys() {
    guichet::secrets::use_mock_store();
    let profile = Profile::esup_default().unwrap();
    let mut set = KeySet::default();
    for (i, k) in profile
        .applications
        .iter()
        .flat_map(|a| &a.keys)
        .enumerate()
    {
        set.insert_typed(&k.name, &format!("{:02X}", i + 1).repeat(16))
            .unwrap();
    }
    set.save().unwrap();
}

/// A printed card (with an ESCN) for the person `query` finds.
fn printed_card(store: &Store, query: &str) -> (PersonId, CardId) {
    let person = store
        .read(|c| search::search_ids(c, query, 1))
        .unwrap()
        .into_iter()
        .next()
        .expect("the fixture person");
    let who = Actor::Operator("agent.impression".into());
    let card = store
        .request_card(person, &who, None, &opts(), jiff::Timestamp::now())
        .unwrap();
    for to in [
        CardState::RequestChecked,
        CardState::InPrint,
        CardState::Printed,
    ] {
        store
            .transition_card(
                card,
                to,
                &who,
                &Request::default(),
                &opts(),
                jiff::Timestamp::now(),
            )
            .unwrap();
    }
    (person, card)
}

fn state_of(app: &App, card: CardId) -> CardState {
    app.services
        .store
        .read(|c| cards::get(c, card))
        .unwrap()
        .state
}

/// The app on the fixture directory with a printed card for Paul Martin, opened at the Desk.
fn desk_with_printed_card(dir: &std::path::Path) -> (App, CardId) {
    let store = support::fixture_store(dir);
    let (_, card) = printed_card(&store, "martin paul");
    let mut app = start_on(dir, store);
    app.services.config.card.pic = Some(123_456_789);
    drive(
        &mut app,
        Message::Desk(guichet::gui::screens::desk::Message::QueryChanged(
            "martin paul".into(),
        )),
    );
    drive(
        &mut app,
        Message::Desk(guichet::gui::screens::desk::Message::Submit),
    );
    assert!(shows(&app, "Printed"), "the card is listed as printed");
    (app, card)
}

#[test]
fn desk_encodes_a_printed_card_on_the_training_reader() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    store_keys();
    let dir = tempfile::tempdir().unwrap();
    let (mut app, card) = desk_with_printed_card(dir.path());

    // The panel opens with the training reader chosen (no PC/SC reader here) and its buttons.
    assert!(click(&mut app, "Encode…"));
    let panel = app.desk.encode.as_ref().expect("the panel is open");
    assert_eq!(panel.reader.as_deref(), Some("Virtual reader (training)"));
    assert!(shows(&app, "Virtual reader (training)") && shows(&app, "No card"));
    assert!(shows(&app, "Put a blank card") && shows(&app, "Random UID"));
    assert!(click(&mut app, "Put a blank card"));
    assert!(app.training.reader.card_present());
    assert!(
        !shows(&app, "No card"),
        "the card shows like a real reader's"
    );

    assert!(click(&mut app, "Encode"));
    let panel = app.desk.encode.as_ref().expect("the panel stays open");
    assert!(!panel.running);
    let Some(Ok(Success {
        state, csn, ids, ..
    })) = panel.result.clone()
    else {
        panic!("success expected: {:?}", panel.result);
    };
    assert_eq!(state, CardState::Enabled);
    assert_eq!(csn.len(), 14, "a 7-byte UID: {csn}");
    assert!(csn.starts_with("04"), "{csn}");
    assert_eq!(ids.len(), 3, "{ids:?}");
    // Every step was streamed to the panel and is shown.
    let lines: Vec<String> = panel
        .lines
        .iter()
        .map(guichet::ui_text::encode_entry)
        .collect();
    assert!(lines.len() > 5, "{lines:?}");
    assert!(lines.iter().all(|l| l.starts_with('✔')), "{lines:?}");
    assert!(shows(&app, &lines[0]) && shows(&app, lines.last().unwrap()));
    assert!(shows(&app, "Card encoded. State: Enabled."));
    assert!(shows(&app, &format!("CSN {csn}")));

    // Recorded: ENABLED with its CSN; the person panel (reloaded) shows it once the panel is closed.
    assert_eq!(state_of(&app, card), CardState::Enabled);
    let stored = app.services.store.read(|c| cards::get(c, card)).unwrap();
    assert_eq!(
        stored.csn.map(|c| c.forms()[0].to_lowercase()),
        Some(csn.to_lowercase())
    );
    assert!(app.services.store.desfire_ids(card).unwrap().is_some());
    assert!(click(&mut app, "Close"));
    assert!(shows(&app, "Enabled") && shows(&app, "Update the chip…"));
}

#[test]
fn missing_keys_and_no_card_are_said_and_retry_resumes() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    guichet::secrets::use_mock_store(); // an empty keyring
    let dir = tempfile::tempdir().unwrap();
    let (mut app, card) = desk_with_printed_card(dir.path());

    // Without keys, the run stops before the card record or the chip is touched, pointing to Settings.
    assert!(click(&mut app, "Encode…"));
    assert!(click(&mut app, "Put a blank card"));
    assert!(click(&mut app, "Encode"));
    let error = match app.desk.encode.as_ref().and_then(|p| p.result.clone()) {
        Some(Err(m)) => m,
        other => panic!("an error expected: {other:?}"),
    };
    assert!(error.contains("Settings → Encoding"), "{error}");
    assert_eq!(state_of(&app, card), CardState::Printed);

    // With the keys but no card on the reader.
    store_keys();
    assert!(click(&mut app, "Remove the card"));
    assert!(click(&mut app, "Retry"));
    let error = match app.desk.encode.as_ref().and_then(|p| p.result.clone()) {
        Some(Err(m)) => m,
        other => panic!("an error expected: {other:?}"),
    };
    assert!(
        error.contains("There is no card on the reader")
            && error.contains("Virtual reader (training)"),
        "{error}"
    );
    assert!(shows(&app, &error));
    assert_eq!(state_of(&app, card), CardState::Printed, "nothing recorded");

    // The card is put on the reader and the run started again.
    assert!(click(&mut app, "Put a blank card"));
    assert!(click(&mut app, "Retry"));
    assert!(matches!(
        app.desk.encode.as_ref().and_then(|p| p.result.clone()),
        Some(Ok(_))
    ));
    assert_eq!(state_of(&app, card), CardState::Enabled);
}

#[test]
fn production_batch_scan_selects_the_card_and_encodes_it() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    store_keys();
    let dir = tempfile::tempdir().unwrap();
    let store = support::fixture_store(dir.path());
    let (_, first) = printed_card(&store, "dupre helene");
    let (_, second) = printed_card(&store, "oeuvray zoe");
    let qr = store
        .read(|c| cards::get(c, second))
        .unwrap()
        .qr
        .expect("a printed card has a QR code");
    let mut app = start_on(dir.path(), store);
    drive(&mut app, Message::Navigate(Screen::Production));
    drive(
        &mut app,
        Message::Production(production::Message::State(production::StateChoice(
            CardState::Printed,
        ))),
    );
    assert!(click(&mut app, "Encode the batch"));
    let batch = |app: &App| app.production.batch.clone().expect("batch mode");
    assert_eq!(batch(&app).order.len(), 2);

    // A code that names no card says so; the wedge scanner's text and Enter select the card.
    let scan = |app: &mut App, text: &str| {
        drive(
            app,
            Message::Production(production::Message::Batch(batch_encode::Message::Scan(
                text.into(),
            ))),
        );
        drive(
            app,
            Message::Production(production::Message::Batch(
                batch_encode::Message::SubmitScan,
            )),
        );
    };
    scan(&mut app, "nobody@nowhere.example");
    assert!(batch(&app).scan_error.is_some_and(|e| e.contains("nobody")));
    scan(&mut app, &format!("{qr}\n"));
    let b = batch(&app);
    assert_eq!(b.panel.as_ref().map(|p| p.card), Some(second));
    assert!(b.scan.is_empty(), "the field is ready for the next scan");
    let holder = b.panel.map(|p| p.holder).unwrap_or_default();
    assert!(holder.contains("Zoé"), "{holder}");
    assert!(shows(&app, &format!("Encode card {second} — {holder}")));

    // Encoded on the training reader; its line in the results; "Next card" then offers the other one.
    assert!(click(&mut app, "Put a blank card"));
    assert!(click(&mut app, "Encode"));
    assert_eq!(state_of(&app, second), CardState::Enabled);
    assert!(matches!(batch(&app).results.as_slice(), [(c, _, Ok(_))] if *c == second));
    assert!(shows(&app, &format!("✔ #{second}")));
    assert!(click(&mut app, "Next card of the batch"));
    assert_eq!(batch(&app).panel.map(|p| p.card), Some(first));
}

#[test]
fn settings_encoding_checks_profiles_and_keys_and_never_shows_a_key() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    store_keys();
    let dir = tempfile::tempdir().unwrap();
    let mut app = start_on(dir.path(), support::fixture_store(dir.path()));
    drive(&mut app, Message::Navigate(Screen::Settings));
    drive(
        &mut app,
        Message::Settings(settings::Message::Tab(settings::Tab::Encoding)),
    );
    // The built-in profile, its applications and every key with its KCV.
    assert!(shows(&app, "Built-in profile (ESUP default layout)"));
    let profile = Profile::esup_default().unwrap();
    for line in profile.describe() {
        assert!(shows(&app, &line), "{line}");
    }
    let infos = KeySet::load().unwrap().describe(&profile);
    assert_eq!(infos.len(), 12);
    for info in &infos {
        assert!(shows(
            &app,
            &guichet::gui::screens::encoding::key_line(info)
        ));
    }
    assert!(!shows(&app, &"01".repeat(16)), "a key value is never shown");

    // A broken profile is refused with its error and not saved; a valid one is saved.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\n").unwrap();
    drive(&mut app, Message::Picked(Dialog::OpenProfile, Some(bad)));
    let error = app.encoding.error.clone().expect("an error");
    assert!(error.contains("encoding profile"), "{error}");
    assert!(app.services.config.encode.profile.is_none());
    let good = dir.path().join("good.toml");
    std::fs::write(&good, guichet::nfc::profile::ESUP_DEFAULT).unwrap();
    drive(
        &mut app,
        Message::Picked(Dialog::OpenProfile, Some(good.clone())),
    );
    assert_eq!(
        app.services.config.encode.profile.as_deref(),
        Some(good.as_path())
    );
    let saved = std::fs::read_to_string(dir.path().join("guichet.toml")).unwrap();
    assert!(saved.contains("good.toml"), "{saved}");

    // A key file with a wrong line is refused, naming the line; nothing changes in the keyring.
    let keys = dir.path().join("keys.txt");
    std::fs::write(&keys, "# keys\nesup-f585c0-key0 = 0011\nnot a key line\n").unwrap();
    drive(&mut app, Message::Picked(Dialog::OpenKeys, Some(keys)));
    let error = app.encoding.error.clone().expect("an error");
    assert!(error.contains("line 2"), "{error}");
    assert!(shows(&app, &error));

    // A typed key replaces the stored one: its KCV changes, its value is not shown.
    let name = infos[0].name.clone();
    let picked = app
        .encoding
        .key_names()
        .into_iter()
        .find(|k| k.name == name)
        .expect("the key is offered");
    drive(
        &mut app,
        Message::Encoding(guichet::gui::screens::encoding::Message::KeyName(picked)),
    );
    drive(
        &mut app,
        Message::Encoding(guichet::gui::screens::encoding::Message::KeyValue(
            guichet::gui::enc_jobs::TypedKey(zeroize::Zeroizing::new("AB".repeat(16))),
        )),
    );
    assert!(click(&mut app, "Save the key"));
    assert!(app.encoding.error.is_none(), "{:?}", app.encoding.error);
    let after = KeySet::load().unwrap().describe(&profile);
    assert_ne!(after[0].state, infos[0].state);
    assert!(shows(
        &app,
        &guichet::gui::screens::encoding::key_line(&after[0])
    ));
    assert!(!shows(&app, &"AB".repeat(16)));
    store_keys();
}
