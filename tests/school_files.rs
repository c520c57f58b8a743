//! The school files from the command line (ARCHITECTURE §4): `guichet sacoche export|check` on the demo
//! school, `guichet import siecle` of the fixtures.

mod support;

use std::path::Path;

use guichet::domain::person::PersonRecord;
use guichet::store::school::{self, SchoolPerson};
use guichet::store::{Store, persons};
use serde_json::Value;

const UAI: &str = "0291234X";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/school/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(ok(out).trim()).expect("one JSON object")
}

fn demo(dir: &Path) -> Vec<SchoolPerson> {
    ok(&support::cli(dir, &["demo", "--persons", "400"]));
    let store = Store::open(&dir.join("guichet.db")).expect("open store");
    store.read(|c| school::persons_of(c, UAI)).expect("persons")
}

#[test]
fn sacoche_export_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let persons = demo(dir.path());
    let out = dir.path().join("itop.csv");
    let exported = json(&support::cli(
        dir.path(),
        &[
            "--json",
            "sacoche",
            "export",
            "--uai",
            UAI,
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Guid;Nom;Prénom;Profil;Classes;Groupe;DateNaissance;Sexe;Civilite;Guid_Enfant1;Guid_Enfant2;Guid_Enfant3"
    );
    assert_eq!(exported["rows"].as_u64(), Some(lines.len() as u64 - 1));
    let pupil = persons
        .iter()
        .find(|p| p.profile == "National_ELV" && p.app_id("SACOCHE").is_some() && !p.departed)
        .expect("a demo pupil with a SACoche id");
    let expected = format!(
        "{};{};{};National_ELV;{};;{};",
        pupil.app_id("SACOCHE").unwrap(),
        pupil.surname,
        pupil.given_name,
        pupil.classes.join(","),
        pupil.birth_date.unwrap().strftime("%d/%m/%Y")
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&expected)),
        "{expected} in\n{text}"
    );

    // The exported file, checked: every line unchanged but the demo's homonyms.
    let report = json(&support::cli(
        dir.path(),
        &[
            "--json",
            "sacoche",
            "check",
            "--format",
            "itop",
            out.to_str().unwrap(),
            "--uai",
            UAI,
        ],
    ));
    assert_eq!(report["counts"]["modified"], 0, "{report}");
    let problems = report["problems"].as_array().unwrap();
    assert!(
        problems.iter().all(|p| p["outcome"] == "homonyms"),
        "{report}"
    );
    assert_eq!(
        report["counts"]["unchanged"].as_u64().unwrap() + problems.len() as u64,
        exported["rows"].as_u64().unwrap()
    );

    // A homonym (a namesake of the pupil added to the school) and an unknown name, in the simplest
    // layout (perso), comma-separated.
    let twin = pupil;
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    store
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
    drop(store);
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
    let report = json(&support::cli(
        dir.path(),
        &[
            "--json",
            "sacoche",
            "check",
            "--format",
            "perso",
            file.to_str().unwrap(),
        ],
    ));
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{report}");
    assert_eq!(problems[0]["line"], 2);
    assert_eq!(problems[0]["outcome"], "homonyms");
    assert_eq!(problems[1]["line"], 3);
    assert_eq!(problems[1]["outcome"], "not_found");
    // In words, in English.
    let text = ok(&support::cli(
        dir.path(),
        &[
            "sacoche",
            "check",
            "--format",
            "perso",
            file.to_str().unwrap(),
        ],
    ));
    assert!(
        text.contains("line 3: PERSONNE Inconnue not found"),
        "{text}"
    );
}

#[test]
fn import_siecle_and_duplicate_ine() {
    let dir = tempfile::tempdir().unwrap();
    // Duplicate INE first: refused, nothing written, both lines named.
    let out = support::cli(
        dir.path(),
        &[
            "import",
            "siecle",
            &fixture("ElevesSansAdresses_duplicate_ine.xml"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lines 9, 25"), "{err}");
    assert!(err.contains("070999999ZZ"), "{err}");
    assert!(
        ok(&support::cli(dir.path(), &["--json", "search", "DOUBLON"]))
            .trim()
            .is_empty()
    );
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    assert!(store.read(school::establishments).unwrap().is_empty());
    drop(store);

    let report = json(&support::cli(
        dir.path(),
        &[
            "--json",
            "import",
            "siecle",
            &fixture("ElevesSansAdresses.xml"),
        ],
    ));
    assert_eq!(report["added"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(report["skipped"].as_array().unwrap().len(), 2);
    let hits: Vec<Value> = ok(&support::cli(
        dir.path(),
        &["--json", "search", "070123456AB"],
    ))
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["display_name"], "LEFÈVRE Zoé");
    assert_eq!(hits[0]["uai"], "0359876K");
    // Imported again: updated, not duplicated.
    let report = json(&support::cli(
        dir.path(),
        &[
            "--json",
            "import",
            "siecle",
            &fixture("ElevesSansAdresses.xml"),
        ],
    ));
    assert_eq!(report["updated"].as_array().unwrap().len(), 2, "{report}");
    assert!(report["added"].as_array().unwrap().is_empty());
}
