//! The Desk and Settings screens driven with iced_test: the same `App::handle` and jobs as the window.

mod support;

use guichet::config::Config;
use guichet::gui::{App, Effect, Message};
use guichet::i18n::{self, Lang};
use iced::keyboard::{Key, Modifiers, key::Named};
use iced_test::{selector, simulator};

/// A simulator as tall as a 1280×2000 screen, so the whole person panel is on screen.
use support::gui::{drive, shows, start};

/// Clicks what `label` finds and applies the resulting messages.
fn click(app: &mut App, label: &str) -> bool {
    support::gui::click(app, label, drive)
}

#[test]
fn search_select_request_card() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    assert!(
        shows(&app, "5 persons in the directory"),
        "directory listed at start"
    );

    let mut ui = simulator(app.view());
    ui.click(selector::id("search")).expect("search field");
    let _ = ui.typewrite("helene");
    for m in ui.into_messages().collect::<Vec<_>>() {
        drive(&mut app, m);
    }
    assert_eq!(app.desk.query, "helene");
    assert!(shows(&app, "One match"));
    assert!(
        click(&mut app, "DUPRÉ Hélène"),
        "the result row is a button"
    );
    assert!(shows(&app, "Request a card"), "person panel open");
    assert!(
        shows(&app, "helene.dupre@univ-broceliande.fr"),
        "identifiers shown"
    );
    assert!(
        shows(&app, "Student · Université de Brocéliande (0359999Z)"),
        "establishment with UAI"
    );

    assert!(click(&mut app, "Request a card"));
    assert!(
        shows(&app, "New request"),
        "the new card is listed in state NEW"
    );
    assert!(
        !shows(&app, "Request a card"),
        "no second request while one is pending"
    );
    // Only the transitions allowed from NEW are offered.
    for label in ["Validate request", "Reject", "Cancel request"] {
        assert!(shows(&app, label), "{label} offered from NEW");
    }
    for label in [
        "Enable",
        "Send to print",
        "Mark encoded",
        "Start encoding",
        "Destroy",
    ] {
        assert!(!shows(&app, label), "{label} must not be offered from NEW");
    }
    // The history names the operator.
    assert!(shows(&app, "agent.accueil"));
}

#[test]
fn lifecycle_buttons_follow_the_state_machine() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    drive(
        &mut app,
        Message::Desk(guichet::gui::screens::desk::Message::QueryChanged(
            "lefevre".into(),
        )),
    );
    drive(
        &mut app,
        Message::Key(Key::Named(Named::Enter), Modifiers::default()),
    );
    assert!(shows(&app, "LEFÈVRE Jérôme"));
    assert!(click(&mut app, "Request a card"));
    assert!(click(&mut app, "Validate request"));
    // Printing opens the card flow at its print step: preview of the template, printer choice, PDF.
    assert!(click(&mut app, "Send to print"));
    assert!(shows(&app, "2. Preview and print"));
    assert!(
        shows(&app, "Front") && shows(&app, "Back"),
        "both faces previewed"
    );
    assert!(shows(&app, "Save as PDF…"));
    let pdf = dir.path().join("card.pdf");
    drive(
        &mut app,
        Message::Picked(
            guichet::gui::printing::Dialog::SavePdf(guichet::gui::printing::Origin::Desk),
            Some(pdf.clone()),
        ),
    );
    assert!(pdf.exists(), "the PDF is written");
    let verdict = app
        .desk
        .studio
        .as_ref()
        .and_then(|s| s.info.clone())
        .unwrap_or_default();
    assert!(
        shows(&app, &verdict) && verdict.ends_with("printed."),
        "{verdict:?}"
    );
    assert!(click(&mut app, "Close"));
    assert!(shows(&app, "Printed"), "the card is PRINTED");
    // PRINTED: encoding is started by the system only; nothing is offered to the operator.
    for label in ["Start encoding", "Mark encoded", "Enable", "Send to print"] {
        assert!(
            !shows(&app, label),
            "{label} must not be offered from PRINTED"
        );
    }
}

#[test]
fn disable_asks_for_a_reason() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    // Bring a card to ENABLED through the store, as encoding would.
    let store = app.services.store.clone();
    let person = store
        .read(|c| guichet::store::search::search_ids(c, "paul martin", 1))
        .unwrap()[0];
    let actor = guichet::domain::card::Actor::Operator("agent.accueil".into());
    let opts = guichet::store::cards::CardOptions::default();
    let now = jiff::Timestamp::now();
    let card = store
        .request_card(person, &actor, None, &opts, now)
        .unwrap();
    use guichet::domain::card::{CardState::*, Request};
    for to in [RequestChecked, InPrint] {
        store
            .transition_card(card, to, &actor, &Request::default(), &opts, now)
            .unwrap();
    }
    let req = Request {
        csn: Some(guichet::domain::ids::Csn::parse_hex("04A1B2C3D4E5F6").unwrap()),
        ..Request::default()
    };
    store
        .transition_card(card, Encoded, &actor, &req, &opts, now)
        .unwrap();
    store
        .transition_card(card, Enabled, &actor, &Request::default(), &opts, now)
        .unwrap();

    drive(
        &mut app,
        Message::Desk(guichet::gui::screens::desk::Message::QueryChanged(
            "1303689068602870".into(),
        )),
    );
    drive(
        &mut app,
        Message::Desk(guichet::gui::screens::desk::Message::Submit),
    );
    assert!(shows(&app, "MARTIN Paul"), "found by the decimal CSN");
    assert!(click(&mut app, "Disable…"));
    assert!(shows(&app, "Why is the card disabled?"));
    assert!(click(&mut app, "Stolen"));
    assert!(shows(&app, "Disabled"));
    let c = store.read(|c| guichet::store::cards::get(c, card)).unwrap();
    assert_eq!(c.state, Disabled);
    assert_eq!(
        c.disable_reason,
        Some(guichet::domain::card::DisableReason::Theft)
    );
    // Re-enable is offered from DISABLED without a reason.
    assert!(shows(&app, "Enable"));
}

#[test]
fn keyboard_moves_and_opens() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    // Directory order: de La Fontaine, Dupré, Lefèvre, Martin, Œuvray.
    let down = || Message::Key(Key::Named(Named::ArrowDown), Modifiers::default());
    drive(&mut app, down());
    drive(&mut app, down());
    assert_eq!(app.desk.selected, Some(2));
    drive(
        &mut app,
        Message::Key(Key::Named(Named::Enter), Modifiers::default()),
    );
    assert!(shows(&app, "LEFÈVRE Jérôme"));
    drive(
        &mut app,
        Message::Key(Key::Named(Named::ArrowUp), Modifiers::default()),
    );
    assert_eq!(app.desk.selected, Some(1));
    let fx = app.handle(Message::Key(
        Key::Character("/".into()),
        Modifiers::default(),
    ));
    assert!(matches!(fx.as_slice(), [Effect::Focus("search")]));
    let fx = app.handle(Message::Key(Key::Character("f".into()), Modifiers::CTRL));
    assert!(matches!(fx.as_slice(), [Effect::Focus("search")]));
}

#[test]
fn language_switch_changes_labels_and_is_kept() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    assert!(shows(&app, "Settings"));
    assert!(click(&mut app, "Settings"));
    assert!(shows(&app, "Language"));
    assert!(click(&mut app, "Français"));
    assert!(shows(&app, "Langue"), "labels are French at once");
    assert!(shows(&app, "Réglages"));
    assert!(!shows(&app, "Language"));
    let saved = Config::load(&dir.path().join("guichet.toml")).unwrap();
    assert_eq!(
        saved.ui.language,
        Lang::Fr,
        "the choice is written to the settings file"
    );
    assert!(click(&mut app, "Accueil"));
    assert!(shows(&app, "5 personnes dans l’annuaire"));
    i18n::set_language(Lang::En);
}

#[test]
fn readers_follow_the_pcsc_monitor_in_the_status_bar_and_settings() {
    use guichet::nfc::monitor::ReaderEvent;
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    drive(&mut app, Message::Reader(ReaderEvent::ServiceUnavailable));
    assert!(shows(&app, "Card readers unavailable (PC/SC not running)"));
    drive(&mut app, Message::Reader(ReaderEvent::ServiceBack));
    assert!(shows(&app, "No card reader"));
    drive(
        &mut app,
        Message::Reader(ReaderEvent::ReaderAdded("ACS ACR122U 00 00".into())),
    );
    drive(
        &mut app,
        Message::Reader(ReaderEvent::CardPresent {
            reader: "ACS ACR122U 00 00".into(),
            atr: vec![0x3B, 0x81, 0x80, 0x01, 0x80, 0x80],
        }),
    );
    assert!(shows(&app, "1 reader · 1 card"));
    drive(
        &mut app,
        Message::Navigate(guichet::gui::app::Screen::Settings),
    );
    assert!(click(&mut app, "Readers"));
    assert!(shows(&app, "ACS ACR122U 00 00"));
    assert!(shows(&app, "Card present (ATR 3B 81 80 01 80 80)"));
    drive(
        &mut app,
        Message::Reader(ReaderEvent::CardRemoved {
            reader: "ACS ACR122U 00 00".into(),
        }),
    );
    assert!(shows(&app, "No card") && shows(&app, "1 reader · no card"));
}
