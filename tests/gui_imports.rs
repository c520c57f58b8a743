//! The Imports screen driven with iced_test on the demo institution (its school, UAI 0291234X): the
//! SACoche export through the save dialog's answer, the check of an ENT file with a homonym and an
//! unknown name, a bad ENT file in the banner, and the SIECLE fixture previewed then imported, the
//! duplicate-INE fixture refused. The same `App::handle` and jobs as the window.

mod support;

use guichet::demo::{self, DemoOptions};
use guichet::domain::person::PersonRecord;
use guichet::gui::app::Screen;
use guichet::gui::imports_jobs::{LeftOut, School};
use guichet::gui::screens::imports::{Format, Message as Imp, Pick, Scope};
use guichet::gui::{App, Effect, Message};
use guichet::i18n::{self, Lang};
use guichet::library::FileError;
use guichet::store::school::{self, SchoolPerson};
use guichet::store::{Store, persons};
use support::gui::{drive, shows, start_on};

const UAI: &str = "0291234X";

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/school")
        .join(name)
}

fn lang() -> std::sync::MutexGuard<'static, ()> {
    let l = support::lang_lock();
    i18n::set_language(Lang::En);
    l
}

fn click(app: &mut App, label: &str) -> bool {
    support::gui::click(app, label, drive)
}

/// Clicks `label` and returns the effects, unapplied (a dialog the test answers).
fn click_effects(app: &mut App, label: &str) -> Vec<Effect> {
    let mut sim = support::gui::ui(app);
    assert!(sim.click(label).is_ok(), "no “{label}” to click");
    let msgs: Vec<Message> = sim.into_messages().collect();
    msgs.into_iter().flat_map(|m| app.handle(m)).collect()
}

/// The demo institution (400 persons), the window started on it and the Imports screen open.
fn open(dir: &std::path::Path) -> App {
    let store = Store::open(&dir.join("guichet.db")).expect("open store");
    let opts = DemoOptions {
        persons: 400,
        ..DemoOptions::default()
    };
    demo::generate(&store, &opts, jiff::Timestamp::now()).expect("demo");
    let mut app = start_on(dir, store);
    assert!(click(&mut app, "Imports"), "the rail offers Imports");
    assert_eq!(app.screen, Screen::Imports);
    app
}

fn the_school(app: &App) -> School {
    app.imports
        .schools
        .iter()
        .find(|s| s.uai == UAI)
        .cloned()
        .expect("the demo school is offered")
}

fn school_persons(app: &App) -> Vec<SchoolPerson> {
    app.services
        .store
        .read(|c| school::persons_of(c, UAI))
        .expect("persons")
}

#[test]
fn sacoche_export_through_the_save_dialog() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path());
    assert!(!shows(
        &app,
        "No establishment with a UAI yet: synchronise the directory or import a SIECLE file first."
    ));
    // A departed pupil: left out of the file, and named.
    let gone = school_persons(&app)
        .into_iter()
        .find(|p| p.profile == "National_ELV" && !p.departed)
        .expect("a demo pupil");
    app.services
        .store
        .write(|tx| {
            tx.execute(
                "UPDATE persons SET departed_at = '2026-07-01T00:00:00Z' WHERE id = ?1",
                [gone.id],
            )?;
            Ok(())
        })
        .unwrap();
    let school = the_school(&app);
    drive(&mut app, Message::Imports(Imp::School(school)));
    let fx = click_effects(&mut app, "Save…");
    assert!(
        matches!(fx.as_slice(), [Effect::PickImport(Pick::SaveItop)]),
        "{fx:?}"
    );
    let out = dir.path().join("itop.csv");
    drive(
        &mut app,
        Message::Imports(Imp::Picked(Pick::SaveItop, Some(out.clone()))),
    );
    let text = std::fs::read_to_string(&out).expect("the ITOP file is written");
    assert!(
        text.starts_with("Guid;Nom;Prénom;Profil;Classes;"),
        "{text}"
    );
    let rows = text.lines().count() - 1;
    let exported = app.imports.exported.clone().expect("the export's result");
    assert_eq!(exported.rows, rows);
    let persons = school_persons(&app);
    assert_eq!(exported.rows + exported.left_out.len(), persons.len());
    assert!(shows(
        &app,
        &format!(
            "{}: {rows} person(s) written; {} left out (departed, or without a SACoche id or uid).",
            out.display(),
            exported.left_out.len()
        )
    ));
    let gone_name = guichet::domain::names::display_name(&gone.surname, &gone.given_name);
    assert!(
        exported
            .left_out
            .iter()
            .any(|(n, why)| *n == gone_name && *why == LeftOut::Departed)
    );
    assert!(shows(
        &app,
        &format!("Left out ({})", exported.left_out.len())
    ));
    assert!(shows(&app, &gone_name), "{gone_name} is listed as left out");
    assert!(shows(&app, "departed"));
    assert!(!text.contains(&format!(";{};{};", gone.surname, gone.given_name)));
}

#[test]
fn sacoche_check_shows_the_problems_first_and_a_bad_file_in_the_banner() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path());
    let persons = school_persons(&app);
    let twin = persons
        .iter()
        .find(|p| p.profile == "National_ELV" && !p.departed)
        .expect("a demo pupil")
        .clone();
    app.services
        .store
        .write(|tx| {
            let rec = PersonRecord {
                surname: twin.surname.clone(),
                given_name: twin.given_name.clone(),
                uid: Some("F1799twn".into()),
                affiliation: "National_ELV".into(),
                structure_code: Some(UAI.into()),
                source: "test".into(),
                ..PersonRecord::default()
            };
            persons::insert(tx, &rec, jiff::Timestamp::now())
        })
        .unwrap();
    let file = dir.path().join("ent.csv");
    std::fs::write(
        &file,
        format!(
            "id,nom,prenom\nENT-1,{},{}\nENT-2,Personne,Inconnue\n",
            twin.surname.to_uppercase(),
            twin.given_name
        ),
    )
    .unwrap();

    assert!(click(&mut app, "SACoche check"));
    drive(&mut app, Message::Imports(Imp::Format(Format("perso"))));
    assert!(shows(
        &app,
        "Columns: identifier 1, surname 2, first name 3; 1 header line(s)."
    ));
    let school = the_school(&app);
    drive(&mut app, Message::Imports(Imp::Scope(Scope::One(school))));
    let fx = click_effects(&mut app, "Load the ENT file…");
    assert!(
        matches!(fx.as_slice(), [Effect::PickImport(Pick::OpenEnt)]),
        "{fx:?}"
    );
    drive(
        &mut app,
        Message::Imports(Imp::Picked(Pick::OpenEnt, Some(file.clone()))),
    );
    assert!(shows(&app, "To handle by hand (2)"), "the problems table");
    assert!(shows(&app, "2 homonyms: handle by hand"));
    assert!(shows(&app, "PERSONNE Inconnue"));
    assert!(shows(
        &app,
        "not found: check the spelling in the ENT, or set the identifier by hand in SACoche"
    ));
    let checked = app.imports.checked.clone().expect("a report");
    assert_eq!(
        checked
            .report
            .problems
            .iter()
            .map(|l| l.line)
            .collect::<Vec<_>>(),
        [2, 3]
    );

    // A file that is not a CSV: the reason in the banner, the report above kept.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, b"").unwrap();
    drive(
        &mut app,
        Message::Imports(Imp::Picked(Pick::OpenEnt, Some(bad.clone()))),
    );
    let expected = guichet::ui_text::file_error(&bad.display().to_string(), &FileError::Empty);
    assert!(shows(&app, &expected), "{:?}", app.imports.error);
    assert_eq!(app.imports.checked.as_ref(), Some(&checked));
    assert!(shows(&app, "To handle by hand (2)"));
    assert!(click(&mut app, "Dismiss"));
    assert!(!shows(&app, &expected));
}

fn ine_holder(store: &Store, ine: &str) -> Option<(String, bool)> {
    store
        .read(|c| {
            let ids = guichet::store::search::search_ids(c, ine, 5)?;
            Ok(persons::rows(c, &ids)?
                .into_iter()
                .next()
                .map(|r| (r.display_name, r.structure.as_deref() == Some("0359876K"))))
        })
        .expect("search")
}

#[test]
fn siecle_previewed_then_imported_and_a_duplicate_ine_refused() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let mut app = open(dir.path());
    let store = app.services.store.clone();
    let count = |s: &Store| s.read(guichet::store::counts::counts).unwrap().persons;
    let before = count(&store);
    assert!(click(&mut app, "SIECLE import"));
    let fx = click_effects(&mut app, "Load ElevesSansAdresses.xml…");
    assert!(
        matches!(fx.as_slice(), [Effect::PickImport(Pick::OpenSiecle)]),
        "{fx:?}"
    );

    // Duplicate INE: refused as a whole, both lines named, nothing written, nothing to import.
    let dup = fixture("ElevesSansAdresses_duplicate_ine.xml");
    drive(
        &mut app,
        Message::Imports(Imp::Picked(Pick::OpenSiecle, Some(dup))),
    );
    let error = app.imports.error.clone().expect("the refusal").1;
    assert!(
        error.contains("lines 9, 25") && error.contains("070999999ZZ"),
        "{error}"
    );
    assert!(shows(&app, &error), "in the banner");
    assert!(!shows(&app, "Import"), "nothing to import");
    assert_eq!(count(&store), before, "store unchanged");

    // The fixture: previewed (nothing written yet), then imported.
    let good = fixture("ElevesSansAdresses.xml");
    drive(
        &mut app,
        Message::Imports(Imp::Picked(Pick::OpenSiecle, Some(good.clone()))),
    );
    assert!(app.imports.error.is_none(), "a new file clears the refusal");
    assert!(shows(
        &app,
        "UAI 0359876K (a new establishment, created by the import), 5 pupil(s) in the file, ISO-8859-15."
    ));
    assert!(shows(&app, "What the import will do"));
    let plan = app.imports.preview.clone().expect("a preview").plan;
    assert_eq!((plan.added.len(), plan.skipped.len()), (2, 2));
    assert!(
        shows(
            &app,
            "line 39: SANSINE Paul has no INE and was not imported. Complete the INE in SIECLE, then export again."
        ),
        "the reason of a skipped pupil"
    );
    assert_eq!(count(&store), before, "a preview writes nothing");
    assert_eq!(ine_holder(&store, "070123456AB"), None);

    assert!(click(&mut app, "Import"));
    assert!(app.imports.preview.is_none());
    let (_, report) = app.imports.imported.clone().expect("the report");
    assert_eq!(report.added.len(), 2);
    assert!(shows(&app, "What the import did"));
    assert!(shows(
        &app,
        &format!(
            "{} (UAI 0359876K): 2 pupil(s) added, 0 updated, {} departed, 0 already from the directory, 2 not imported.",
            good.display(),
            report.left.len() + report.absent.len()
        )
    ));
    assert_eq!(count(&store), before + 2);
    assert_eq!(
        ine_holder(&store, "070123456AB"),
        Some(("LEFÈVRE Zoé".into(), true))
    );
    // The new establishment is offered to the SACoche tabs.
    assert!(app.imports.schools.iter().any(|s| s.uai == "0359876K"));
}
