//! The Library screen driven with iced_test on the demo school (UAI 0291234X): the establishment and its
//! count, BCDI's borrower list through the dialog's answer (a bad one first), the plan's counts, a
//! homonym resolved, a comma suggestion accepted, and the output files written. The same `App::handle`
//! and jobs as the window.

mod support;

use guichet::demo::{self, DemoOptions};
use guichet::gui::app::Screen;
use guichet::gui::screens::library::{self, Pick, Step};
use guichet::gui::{App, Effect, Message};
use guichet::i18n::{self, Lang};
use guichet::library::bcdi::ExportOptions;
use guichet::library::text::Charset;
use guichet::library::workflow;
use guichet::store::Store;
use support::gui::{drive, shows, start_on, ui};

const UAI: &str = "0291234X";

fn click(app: &mut App, label: &str) -> bool {
    support::gui::click(app, label, drive)
}

/// Clicks `label` and returns the effects of its messages, without running them.
fn click_effects(app: &mut App, label: &str) -> Vec<Effect> {
    let mut sim = ui(app);
    assert!(sim.click(label).is_ok(), "no {label:?} on the screen");
    let msgs: Vec<Message> = sim.into_messages().collect();
    msgs.into_iter().flat_map(|m| app.handle(m)).collect()
}

fn lang() -> std::sync::MutexGuard<'static, ()> {
    let l = support::lang_lock();
    i18n::set_language(Lang::En);
    l
}

/// The demo institution, and BCDI's list for a first update: 20 pupils as they are, one typed with a
/// comma, a second "NOM Prénom" of the first pupil (a homonym), two pupils who left (one with loans).
/// Returns the store, the list's path, the comma name and the homonym's name.
fn school(dir: &std::path::Path) -> (Store, std::path::PathBuf, String, String) {
    let store = Store::open(&dir.join("guichet.db")).expect("store");
    let now = jiff::Timestamp::now();
    let opts = DemoOptions {
        persons: 400,
        seed: 1,
    };
    demo::generate(&store, &opts, now).expect("demo");
    let export = workflow::export(&store, UAI, &ExportOptions::default(), Charset::Utf8, now)
        .expect("export")
        .export;
    let pupils: Vec<_> = export
        .borrowers
        .iter()
        .filter(|b| b.status == "Elève")
        .collect();
    assert!(pupils.len() > 25, "{}", pupils.len());
    let mut rows =
        vec!["N° Emprunteur;Emprunteur;Statut;Classe;Type emprunteur;Prêts en cours".to_string()];
    let mut n = 100;
    let mut push = |name: &str, class: &str, loans: u32| {
        n += 1;
        rows.push(format!("{n};{name};Elève;{class};Usager;{loans}"));
    };
    for p in &pupils[..20] {
        push(&p.name, p.class.as_deref().unwrap_or(""), 0);
    }
    let comma = pupils[20].name.replacen(' ', ", ", 1);
    push(&comma, pupils[20].class.as_deref().unwrap_or(""), 0);
    push(&pupils[0].name, "6Z", 0);
    push("PARTI Sans Pret", "3A", 0);
    push("PARTI Avec Prets", "3A", 2);
    let csv = dir.join("bcdi.csv");
    let text = rows.join("\r\n") + "\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    std::fs::write(&csv, bytes).expect("csv");
    (store, csv, comma, pupils[0].name.clone())
}

fn counts(app: &App) -> (usize, usize, usize, usize) {
    let p = &app.library.preview.as_ref().expect("a plan").plan;
    (
        p.new.len(),
        p.updated.len(),
        p.deleted.len(),
        p.set_aside.len(),
    )
}

#[test]
fn from_the_establishment_to_the_files_for_bcdi() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let (store, csv, comma, twin) = school(dir.path());
    let mut app = start_on(dir.path(), store);

    // 1. The establishment: the school of the demo, its count and who is left out.
    assert!(click(&mut app, "Library"));
    assert_eq!(app.screen, Screen::Library);
    assert_eq!(app.library.step, Step::Establishment);
    assert!(
        app.library.establishments.len() >= 2,
        "school and university"
    );
    assert!(click(&mut app, "Next"), "Next is shown, disabled");
    assert_eq!(
        app.library.step,
        Step::Establishment,
        "no establishment yet"
    );
    assert!(click(&mut app, UAI));
    let count = app.library.census.as_ref().expect("counted").count;
    assert!(count > 25, "{count}");
    assert!(shows(
        &app,
        &format!("{count} person(s) will be in the file.")
    ));
    assert!(click(&mut app, "Other staff"), "a population switched off");
    let fewer = app.library.census.as_ref().expect("counted again").count;
    assert!(fewer < count, "{fewer} < {count}");
    assert!(click(&mut app, "Other staff"));
    // The e-sidoc file alone, saved through the dialog's answer (a first import needs no borrower list).
    let fx = click_effects(&mut app, "Save the e-sidoc file…");
    assert!(matches!(
        fx.as_slice(),
        [Effect::LibraryDialog(Pick::SaveXml)]
    ));
    let alone = dir.path().join("alone.xml");
    drive(
        &mut app,
        Message::Library(library::Message::Picked(Pick::SaveXml, Some(alone.clone()))),
    );
    let xml = std::fs::read(&alone).expect("the XML is written");
    assert!(xml.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>"));
    let written = xml.windows(13).filter(|w| w == b"<EMPRUNTEURS>").count();
    assert_eq!(written, count);
    assert!(shows(
        &app,
        &format!("{count} borrower(s) written to {}.", alone.display())
    ));
    assert!(click(&mut app, "Next"));
    assert_eq!(app.library.step, Step::Files);
    // 2. BCDI's list through the dialog's answer: a bad file shows the banner and changes nothing.
    assert!(click(&mut app, "Next"), "Next is shown, disabled");
    assert_eq!(app.library.step, Step::Files, "no list yet");
    let fx = click_effects(&mut app, "Load BCDI’s borrower list…");
    assert!(matches!(
        fx.as_slice(),
        [Effect::LibraryDialog(Pick::Borrowers)]
    ));
    let bad = dir.path().join("vide.csv");
    std::fs::write(&bad, "").unwrap();
    let picked = |p: &std::path::Path| {
        Message::Library(library::Message::Picked(
            Pick::Borrowers,
            Some(p.to_path_buf()),
        ))
    };
    drive(&mut app, picked(&bad));
    assert!(app.library.borrowers.is_none());
    let banner = app.library.error.clone().expect("the banner");
    assert!(banner.contains("vide.csv"), "{banner}");
    assert!(shows(&app, &banner));
    drive(&mut app, picked(&csv));
    assert!(app.library.error.is_none());
    assert!(shows(&app, "bcdi.csv: 24 record(s)"));
    assert!(shows(&app, "Statut=Elève"), "the default scope");
    assert!(click(&mut app, "Next"));
    // 3. The plan: a first update, the counts, the lists.
    assert_eq!(app.library.step, Step::Plan);
    assert!(shows(
        &app,
        "First update: BCDI matches on “NOM Prénom”; every match is shown with “?” (ambiguous)."
    ));
    let (new, updated, deleted, set_aside) = counts(&app);
    assert_eq!(
        updated, 19,
        "the twin's name is a homonym group, not a match"
    );
    assert_eq!(set_aside, 1, "the pupil who left with loans");
    assert_eq!(deleted, 2, "the pupil who left without loans and the comma");
    assert!(new > 0);
    let p = &app.library.preview.as_ref().unwrap().plan;
    assert_eq!((p.homonyms.len(), p.suggestions.len()), (1, 1));
    assert!(shows(&app, &format!("Deleted ({deleted})")));
    assert!(click(&mut app, "Set aside (1)"));
    assert!(shows(&app, "PARTI Avec Prets"));
    assert!(shows(&app, "becomes Usager temporaire"));
    assert!(click(&mut app, "Updated (19)"));
    assert!(shows(&app, "?"), "ambiguous matches are marked");
    // 4. Resolutions: the homonym group, then the comma suggestion.
    assert!(click(&mut app, "Next"));
    assert_eq!(app.library.step, Step::Resolutions);
    assert!(shows(
        &app,
        "Unresolved: BCDI will create 1 extra record(s)"
    ));
    assert!(shows(&app, &format!("“{twin}”: 2 in BCDI, 1 in the file")));
    assert!(
        click(&mut app, "Is no. 1"),
        "the first BCDI record is the pupil"
    );
    let p = &app.library.preview.as_ref().unwrap().plan;
    assert!(p.homonyms[0].resolved);
    assert!(shows(&app, "Resolved"));
    let key = &app.library.preview.as_ref().unwrap().keys;
    let kept = workflow::kept_decisions(&app.services.store, UAI).expect("kept");
    assert_eq!(kept.pairs.len(), 1, "kept at once");
    assert!(key.contains(&kept.pairs[0].0));
    let (_, _, deleted, _) = counts(&app);
    assert_eq!(deleted, 3, "the other record of the twin leaves");
    assert!(shows(&app, &format!("BCDI: {comma} (borrower 121)")));
    assert!(click(&mut app, "Accept"));
    let (_, _, after, _) = counts(&app);
    assert_eq!(after, deleted - 1, "the comma borrower is kept");
    assert!(shows(&app, "accepted: rename in BCDI before the import"));
    let kept = workflow::kept_decisions(&app.services.store, UAI).expect("kept");
    assert_eq!((kept.pairs.len(), kept.accepted.len()), (1, 1));
    // A decided one can be changed back, and again.
    assert!(click(&mut app, "Change back"));
    assert_eq!(counts(&app).2, deleted);
    assert!(click(&mut app, "Accept"));
    assert_eq!(counts(&app).2, after);
    // 5. The outputs: the renames on screen, the folder through the dialog's answer, the files.
    assert!(click(&mut app, "Next"));
    assert_eq!(app.library.step, Step::Outputs);
    assert!(shows(&app, &comma));
    assert!(shows(&app, "PARTI Avec Prets"), "loans to chase");
    let fx = click_effects(&mut app, "Choose a folder…");
    assert!(matches!(
        fx.as_slice(),
        [Effect::LibraryDialog(Pick::OutputFolder)]
    ));
    let out = dir.path().join("sortie");
    drive(
        &mut app,
        Message::Library(library::Message::Picked(
            Pick::OutputFolder,
            Some(out.clone()),
        )),
    );
    assert!(click(&mut app, "Write the files"));
    assert!(app.library.error.is_none(), "{:?}", app.library.error);
    assert_eq!(app.library.written.len(), 5);
    for f in [
        "emprunteurs-esidoc.xml",
        "renommer-dans-bcdi.csv",
        "mis-a-l-ecart.csv",
        "rapport-mise-a-jour.pdf",
        "plan.json",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    assert!(shows(&app, "5 file(s) written; the plan is recorded."));
    let renames = std::fs::read_to_string(out.join("renommer-dans-bcdi.csv")).unwrap();
    assert_eq!(renames.lines().count(), 2, "{renames}");
    assert!(renames.contains(&format!("121;{comma};")), "{renames}");
    let xml = std::fs::read(out.join("emprunteurs-esidoc.xml")).unwrap();
    assert!(xml.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>"));
    let set_aside = std::fs::read_to_string(out.join("mis-a-l-ecart.csv")).unwrap();
    assert!(set_aside.contains("PARTI Avec Prets"), "{set_aside}");
}
