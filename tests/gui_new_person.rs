//! The Desk's form for a person the directory does not hold, driven with iced_test: a missing name is
//! refused on the form, a guest is recorded with the SDET identifiers and shown, and presenting the same
//! names and birth date again finds that person instead of making a second record.

mod support;

use guichet::gui::Message;
use guichet::gui::screens::desk;
use guichet::gui::screens::new_person::{Field, Message as Form};
use guichet::i18n::{self, Lang};
use support::gui::{drive, shows, start_on};

fn form(app: &mut guichet::gui::App, m: Form) {
    drive(app, Message::Desk(desk::Message::Form(m)));
}

#[test]
fn a_guest_is_recorded_once_with_sdet_identifiers() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let store = support::fixture_store(dir.path());
    let mut app = start_on(dir.path(), store);
    assert!(support::gui::click(&mut app, "New person…", drive));
    assert!(shows(&app, "A person not in the directory"));
    assert!(shows(
        &app,
        "Identifiers of territory Z0, 17 digits (settings sdet.*)."
    ));

    form(&mut app, Form::Edit(Field::Given, "Anne-Cécile".into()));
    assert!(support::gui::click(&mut app, "Record", drive));
    assert!(shows(&app, "The surname is required."));

    form(&mut app, Form::Edit(Field::Surname, "d'Artagnan".into()));
    form(&mut app, Form::Edit(Field::Birth, "02/03/1975".into()));
    assert!(support::gui::click(&mut app, "Visitor", drive));
    assert!(support::gui::click(&mut app, "Record", drive));
    let info = app.desk.info.clone().expect("a message");
    assert!(
        info.starts_with("D ARTAGNAN Anne Cécile recorded"),
        "{info}"
    );
    assert!(info.contains("login anne-cecile.dartagnan"), "{info}");
    assert!(app.desk.new_person.is_none(), "the form closes");
    let panel = app.desk.person.as_ref().expect("the new person is shown");
    assert_eq!(panel.view.detail.display_name, "D ARTAGNAN Anne Cécile");
    assert!(shows(&app, "SDET national identifier"));
    assert!(shows(&app, "Visitor"));

    // Same names (another spelling of the case) and birth date: found again, no second record. The
    // settings changed meanwhile (Settings → Services) show on the form.
    app.services
        .config
        .set("sdet.territory_letter", "V")
        .unwrap();
    app.services
        .config
        .set("sdet.territory_digit", "6")
        .unwrap();
    assert!(support::gui::click(&mut app, "New person…", drive));
    assert!(shows(
        &app,
        "Identifiers of territory V6, 17 digits (settings sdet.*)."
    ));
    form(&mut app, Form::Edit(Field::Surname, "D'ARTAGNAN".into()));
    form(&mut app, Form::Edit(Field::Given, "anne-cécile".into()));
    form(&mut app, Form::Edit(Field::Birth, "1975-03-02".into()));
    assert!(support::gui::click(&mut app, "Record", drive));
    let again = app.desk.info.clone().expect("a message");
    assert!(again.contains("was already recorded"), "{again}");
    let n: i64 = app
        .services
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM persons WHERE source = 'desk'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(n, 1);
}
