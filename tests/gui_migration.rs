//! The Queue screen's bulk CROUS identifier migration against the stateful CROUS fake: a file loaded
//! through the dialog's answer shows every line before anything is sent, a run gives each line its
//! result, and the failure is run again once the account exists.

mod support;

use guichet::gui::printing::Dialog;
use guichet::gui::screens::queue;
use guichet::gui::{Effect, Message};
use guichet::i18n::{self, Lang};
use guichet::secrets::{self, Secret};
use serde_json::json;
use support::crous_fake::CrousFake;
use support::gui::{drive, shows, start};

#[test]
fn a_migration_file_previewed_run_and_its_failure_retried() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    secrets::use_mock_store();
    secrets::set(Secret::CrousClientId, "guichet").unwrap();
    secrets::set(Secret::CrousClientSecret, "s3cret").unwrap();
    let fake = CrousFake::start("guichet", "s3cret");
    fake.add_right_holder(json!({"identifier": "old@univ.example", "firstName": "Léa", "lastName": "Roux",
        "email": "lea@mail.example", "dueDate": "2030-09-30T00:00:00.000Z", "idCompanyRate": 78, "idRate": 99}));

    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    for (k, v) in [
        ("crous.enabled", "true"),
        ("crous.api_url", fake.url().as_str()),
    ] {
        app.services.config.set(k, v).unwrap();
    }
    app.services.config.crous.token_url = fake.url();
    let file = dir.path().join("ids.csv");
    std::fs::write(
        &file,
        "oldId;eppnNewId;mail\nold@univ.example;new@univ.example;lea@mail.example\nnobody@univ.example;x@univ.example;x@mail.example\n",
    )
    .unwrap();

    assert!(support::gui::click(&mut app, "Queue", drive));
    assert!(support::gui::click(
        &mut app,
        "CROUS identifier migration…",
        drive
    ));
    assert!(shows(&app, "Bulk CROUS identifier migration"));
    let fx = app.handle(Message::Queue(queue::Message::MigrationFile));
    assert!(matches!(
        fx.as_slice(),
        [Effect::Dialog(Dialog::OpenPatchIds)]
    ));
    drive(&mut app, Message::Picked(Dialog::OpenPatchIds, Some(file)));
    assert!(shows(&app, "Run (2 line(s))"), "{:?}", app.queue.error);
    assert!(fake.calls().is_empty(), "a preview sends nothing");

    assert!(support::gui::click(&mut app, "Run (2 line(s))", drive));
    let m = app.queue.migration.clone().expect("the panel");
    let status: Vec<&str> = m.rows.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(status, ["done", "failed"], "{:?}", app.queue.error);
    assert!(shows(&app, "Migration run: 1 line(s) done, 1 failed."));
    assert!(fake.state().holder("new@univ.example").is_some());

    fake.add_right_holder(json!({"identifier": "nobody@univ.example", "firstName": "N", "lastName": "B",
        "email": "x@mail.example", "dueDate": "2030-09-30T00:00:00.000Z", "idCompanyRate": 78, "idRate": 99}));
    assert!(support::gui::click(
        &mut app,
        "Retry the failures (1)",
        drive
    ));
    let m = app.queue.migration.clone().expect("the panel");
    assert!(m.rows.iter().all(|r| r.status == "done"));
    assert!(fake.state().holder("x@univ.example").is_some());
    assert!(support::gui::click(&mut app, "Back to the queue", drive));
    assert!(app.queue.migration.is_none());
}
