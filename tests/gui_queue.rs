//! The Queue screen and Settings → Services driven with iced_test: counts, filters, the errors that need
//! a human, Retry now, purge, CSV export, turning the CROUS option off, and the services form with its
//! credentials in the (mock) keyring. The same `App::handle` and jobs as the window.

mod support;

use guichet::gui::app::Screen;
use guichet::gui::printing::Dialog;
use guichet::gui::screens::queue::{self, Code, Field};
use guichet::gui::screens::{groups, services, settings};
use guichet::gui::{App, Effect, Message};
use guichet::i18n::{self, Lang};
use guichet::secrets;
use guichet::store::outbox::{self, FailState, Failure};
use guichet::store::{Store, persons, remote};
use support::gui::{drive, shows, start_on};

fn click(app: &mut App, label: &str) -> bool {
    support::gui::click(app, label, drive)
}

fn lang() -> std::sync::MutexGuard<'static, ()> {
    let l = support::lang_lock();
    i18n::set_language(Lang::En);
    secrets::use_mock_store();
    l
}

/// One row leased and closed the way the worker would.
fn settle(store: &Store, service: &str, outcome: Option<(FailState, &str, bool)>) {
    let now = jiff::Timestamp::now();
    let later = now + jiff::SignedDuration::from_hours(1);
    store
        .write(|tx| {
            for c in outbox::claim(tx, service, "test", now, later, 1)? {
                match outcome {
                    None => {
                        outbox::succeed(tx, &c, "test", "ok", now)?;
                    }
                    Some((state, code, blocking)) => {
                        let f = Failure {
                            state,
                            code,
                            message: "Client existant",
                            operation: "POST /beforeizly/v1/rightholders",
                            blocking,
                            next_attempt: later,
                            count_try: true,
                        };
                        outbox::fail(tx, &c, "test", &f, now)?;
                    }
                }
            }
            Ok(())
        })
        .expect("settle");
}

/// Five persons: a CROUS error for a human (Dupré), a CROUS error retrying (Lefèvre), a CROUS row done
/// (de La Fontaine), an ESC-R refusal recorded (Œuvray) and an LDAP row waiting (Martin).
fn seeded(dir: &std::path::Path) -> (Store, Vec<i64>) {
    let store = support::fixture_store(dir);
    let mut ids = store.read(persons::all_sorted_ids).expect("ids");
    ids.sort();
    let now = jiff::Timestamp::now();
    let one = |service: &str, person: i64| {
        store
            .write(|tx| outbox::enqueue(tx, service, "person", person, now))
            .expect("enqueue");
    };
    one("crous", ids[0]);
    settle(&store, "crous", Some((FailState::NeedsHuman, "-11", true)));
    one("crous", ids[1]);
    settle(
        &store,
        "crous",
        Some((FailState::Retrying, "HTTP 503", false)),
    );
    one("crous", ids[2]);
    settle(&store, "crous", None);
    one("escr", ids[3]);
    settle(&store, "escr", Some((FailState::GaveUp, "-41", false)));
    one("ldap", ids[4]);
    (store, ids)
}

fn status_of(app: &App, person: i64, service: &str) -> Option<String> {
    app.services
        .store
        .read(|c| outbox::of_subject(c, service, person))
        .expect("read")
        .map(|i| i.status)
}

fn open_queue(dir: &std::path::Path) -> (App, Vec<i64>) {
    let (store, ids) = seeded(dir);
    let mut app = start_on(dir, store);
    assert!(shows(&app, "Queue: 2"), "the badge counts the rows waiting");
    assert!(shows(&app, "1 for a human"));
    assert!(
        click(&mut app, "Queue: 2"),
        "the badge opens the Queue screen"
    );
    assert_eq!(app.screen, Screen::Queue);
    (app, ids)
}

#[test]
fn counts_filters_and_the_errors_that_need_a_human() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = open_queue(dir.path());
    let crous = &app.queue.counts[0];
    assert_eq!(crous.service, "crous");
    assert_eq!(
        (crous.needs_human, crous.failed_retrying, crous.done),
        (1, 1, 1)
    );
    assert_eq!(app.queue.items.len(), 5);
    assert!(shows(&app, "Needs a human (1)"));
    assert!(shows(&app, "Other rows (4)"));

    assert!(click(&mut app, "Needs a human"));
    assert_eq!(app.queue.items.len(), 1);
    assert_eq!(app.queue.items[0].error_code.as_deref(), Some("-11"));
    assert!(click(&mut app, "Resolving by themselves"));
    assert_eq!(app.queue.items.len(), 1);
    assert_eq!(app.queue.items[0].status, "failed_retrying");
    assert!(click(&mut app, "All states"));

    assert!(
        click(&mut app, "ESC router"),
        "a service's row filters by it"
    );
    assert_eq!(app.queue.items.len(), 1);
    assert_eq!(app.queue.items[0].service, "escr");
    assert!(click(&mut app, "All services"));
    assert_eq!(app.queue.items.len(), 5);

    assert_eq!(app.queue.codes, ["-11", "-41", "HTTP 503"]);
    drive(
        &mut app,
        Message::Queue(queue::Message::Code(Code(Some("-41".into())))),
    );
    assert_eq!(app.queue.items.len(), 1);
    assert_eq!(app.queue.items[0].service, "escr");
    drive(&mut app, Message::Queue(queue::Message::Code(Code(None))));

    drive(
        &mut app,
        Message::Queue(queue::Message::Edit(Field::Person, "lefevre".into())),
    );
    assert_eq!(app.queue.items.len(), 1);
    assert_eq!(app.queue.items[0].person, "LEFÈVRE Jérôme");
    drive(
        &mut app,
        Message::Queue(queue::Message::Edit(Field::Person, String::new())),
    );
    assert!(click(&mut app, "Blocking"));
    assert_eq!(app.queue.items.len(), 1, "only the -11 error blocks");
}

#[test]
fn detail_retry_purge_export_and_crous_option() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let (mut app, ids) = open_queue(dir.path());
    let human = app.queue.items[0].clone();
    assert_eq!(human.status, "needs_human");

    drive(&mut app, Message::Queue(queue::Message::Select(human.id)));
    assert!(shows(&app, "Client existant"), "the error is shown");
    assert!(shows(&app, "Waiting for a human"));
    assert!(
        shows(
            &app,
            "CROUS/Izly is switched off on this desk: the live values cannot be read (Settings → Services)."
        ),
        "the live comparison says why it cannot be read"
    );

    assert!(click(&mut app, "Retry now"));
    assert_eq!(status_of(&app, ids[0], "crous").as_deref(), Some("pending"));
    assert!(shows(&app, "Queue: 3"), "the badge follows");

    assert!(click(&mut app, "Purge done"));
    assert!(status_of(&app, ids[2], "crous").is_some(), "asked first");
    assert!(shows(&app, "Delete the 1 done row(s) for good?"));
    assert!(click(&mut app, "Delete for good"));
    assert_eq!(
        status_of(&app, ids[2], "crous"),
        None,
        "the done row is gone"
    );
    assert!(status_of(&app, ids[3], "escr").is_some(), "refusals kept");
    assert!(click(&mut app, "Purge recorded refusals"));
    assert!(click(&mut app, "Delete for good"));
    assert_eq!(status_of(&app, ids[3], "escr"), None);

    let fx = app.handle(Message::Queue(queue::Message::Export));
    assert!(matches!(
        fx.as_slice(),
        [Effect::Dialog(Dialog::SaveQueueCsv)]
    ));
    let path = dir.path().join("queue.csv");
    drive(
        &mut app,
        Message::Picked(Dialog::SaveQueueCsv, Some(path.clone())),
    );
    let csv = std::fs::read_to_string(&path).expect("the CSV is written");
    assert!(csv.starts_with("service;person;eppn;status;"));
    assert_eq!(csv.lines().count(), 1 + app.queue.items.len());
    assert!(csv.contains("DUPRÉ Hélène"));

    let retrying = app
        .queue
        .items
        .iter()
        .find(|i| i.person_id == ids[1])
        .expect("the retrying row")
        .id;
    drive(&mut app, Message::Queue(queue::Message::Select(retrying)));
    assert!(click(&mut app, "Turn the CROUS option off"));
    let subject = app
        .services
        .store
        .read(|c| remote::subject(c, ids[1]))
        .expect("read")
        .expect("person");
    assert_eq!(subject.options.crous, Some(false));
    assert!(shows(
        &app,
        "CROUS option turned off for this person; nothing more will be sent to CROUS."
    ));
}

#[test]
fn services_tab_checks_saves_and_keeps_credentials_in_the_keyring() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = seeded(dir.path());
    let mut app = start_on(dir.path(), store);
    drive(&mut app, Message::Navigate(Screen::Settings));
    drive(
        &mut app,
        Message::Settings(settings::Message::Tab(settings::Tab::Services)),
    );
    assert!(shows(&app, "CROUS tariff rules"));
    assert!(shows(&app, "No rule yet."));
    let edit = |app: &mut App, key: &'static str, v: &str| {
        drive(
            app,
            Message::Services(services::Message::Edit(key, v.into())),
        );
    };
    edit(&mut app, "escr.country_code", "France");
    assert!(click(&mut app, "Save"));
    assert!(app.services_tab.error.is_some(), "a bad country is refused");
    assert!(!dir.path().join("guichet.toml").exists());

    edit(&mut app, "escr.country_code", "FR");
    edit(&mut app, "crous.rule_sources", "0451/0359999Z/10");
    drive(
        &mut app,
        Message::Services(services::Message::Secret(
            secrets::Secret::EscrApiKey,
            guichet::gui::dir_jobs::Password::new("k3y".into()),
        )),
    );
    assert!(click(&mut app, "Save"));
    assert_eq!(app.services_tab.error, None);
    assert_eq!(app.services.config.crous.rule_sources, "0451/0359999Z/10");
    let saved = std::fs::read_to_string(dir.path().join("guichet.toml")).expect("saved");
    assert!(saved.contains("0451/0359999Z/10"));
    assert!(
        !saved.contains("k3y"),
        "the key is not in the settings file"
    );
    assert_eq!(
        secrets::get(secrets::Secret::EscrApiKey)
            .unwrap()
            .as_deref(),
        Some("k3y")
    );

    // CROUS is off on this desk: the refresh says so and keeps the rules.
    assert!(click(&mut app, "Refresh from the CROUS API"));
    assert_eq!(
        app.services_tab.error.as_deref(),
        Some("CROUS is switched off on this desk (Settings → Services).")
    );
    assert!(!app.services_tab.rules_busy);

    // ESIST import through the dialog's answer, then the rules are listed.
    let esist = dir.path().join("ESIST-etd.xml");
    std::fs::write(
        &esist,
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><esist><EmployeurStatutIndiceSocieteTarif>\
         <row><referencestatut>etd</referencestatut><codesociete>10</codesociete><codetarif>1</codetarif></row>\
         </EmployeurStatutIndiceSocieteTarif></esist>",
    )
    .unwrap();
    let fx = app.handle(Message::Services(services::Message::ImportEsist));
    assert!(matches!(fx.as_slice(), [Effect::Dialog(Dialog::OpenEsist)]));
    drive(&mut app, Message::Picked(Dialog::OpenEsist, Some(esist)));
    assert_eq!(app.services_tab.rules.len(), 1);
    assert!(shows(&app, "esist:ESIST-etd.xml"));

    // With CROUS on, the Desk's person panel shows the computed tariff and the rule that gave it.
    app.services.config.crous.enabled = true;
    let student = app.services.store.read(persons::all_sorted_ids).unwrap()[0];
    drive(
        &mut app,
        Message::Groups(groups::Message::OpenMember(student)),
    );
    assert!(shows(
        &app,
        "CROUS: company rate 10, rate 1 (rule etd, source esist:ESIST-etd.xml)"
    ));
}
