//! The librarian's BCDI tools through the real binary on the demo school (UAI 0291234X): export, a first
//! update with homonyms, a comma, a typo and leaving pupils, the decisions kept, the output files, and
//! the next year's update by identifier.

mod support;

use std::path::Path;

use serde_json::Value;

const UAI: &str = "0291234X";

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn plan(dir: &Path, borrowers: &Path, extra: &[&str]) -> Value {
    let b = borrowers.display().to_string();
    let mut args = vec!["--json", "bcdi", "plan", "--uai", UAI, "--borrowers", &b];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(support::cli(dir, &args))).unwrap()
}

/// (name, status, class, ent_id) of the exported borrowers.
fn exported(xml: &Path) -> Vec<(String, String, String, String)> {
    let bytes = std::fs::read(xml).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let doc = roxmltree::Document::parse(&text).unwrap();
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("EMPRUNTEURS"))
        .map(|e| {
            let get = |t: &str| {
                e.children()
                    .find(|c| c.has_tag_name(t))
                    .and_then(|c| c.text())
                    .unwrap_or("")
                    .to_string()
            };
            (
                get("EMPRUNTEUR_M"),
                get("STATUT_M_M"),
                get("CLASSE_M"),
                get("IDENTITE_ENT_M"),
            )
        })
        .collect()
}

#[test]
fn export_preview_resolve_and_next_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(support::cli(d, &["demo", "--persons", "400"]));

    // Export: windows-1252, pupils with classes, no parents, identifiers kept between exports.
    let xml = d.join("export.xml");
    let out = ok(support::cli(
        d,
        &[
            "bcdi",
            "export",
            "--uai",
            UAI,
            "--out",
            xml.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("borrower(s) written"), "{out}");
    let bytes = std::fs::read(&xml).unwrap();
    assert!(
        bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>\r\n<FICHES_XML>")
    );
    let first = exported(&xml);
    assert!(first.len() >= 30, "{}", first.len());
    assert!(first.iter().all(|(_, s, _, _)| s != "Parent"));
    assert!(
        first
            .iter()
            .any(|(_, s, c, _)| s == "Elève" && !c.is_empty())
    );
    ok(support::cli(
        d,
        &[
            "bcdi",
            "export",
            "--uai",
            UAI,
            "--out",
            xml.to_str().unwrap(),
        ],
    ));
    let again = exported(&xml);
    let ids =
        |v: &[(String, String, String, String)]| v.iter().map(|r| r.3.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&again), "hidden identifiers are stable");

    // BCDI's list for a first update: most pupils as they are, one with a comma, one with a typo and
    // loans, two homonyms of the first one, two pupils who left (one with loans), a former teacher.
    let pupils: Vec<_> = first.iter().filter(|r| r.1 == "Elève").collect();
    let mut rows =
        vec!["N° Emprunteur;Emprunteur;Statut;Classe;Type emprunteur;Prêts en cours".to_string()];
    let mut n = 100;
    let mut push = |name: &str, status: &str, class: &str, loans: u32| {
        n += 1;
        rows.push(format!("{n};{name};{status};{class};Usager;{loans}"));
    };
    for p in &pupils[..20] {
        push(&p.0, &p.1, &p.2, 0);
    }
    let (comma, typo, twin) = (pupils[20], pupils[21], pupils[0]);
    push(&comma.0.replacen(' ', ", ", 1), "Elève", &comma.2, 0);
    push(&format!("{}x", typo.0), "Elève", &typo.2, 1);
    push(&twin.0, "Elève", "6Z", 0);
    push("PARTI Sans Pret", "Elève", "3A", 0);
    push("PARTI Avec Prets", "Elève", "3A", 2);
    push("ANCIEN Professeur", "Enseignant", "", 0);
    let csv = d.join("bcdi.csv");
    let text = rows.join("\r\n") + "\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    std::fs::write(&csv, bytes).unwrap();

    let p = plan(d, &csv, &["--scope", "Statut=Elève"]);
    assert_eq!(p["mode"], "first_update");
    assert_eq!(p["updated"].as_array().unwrap().len(), 19, "{p}");
    assert_eq!(p["ambiguous"], 19);
    let names = |k: &str| names_of(&p[k]);
    let comma_name = comma.0.replacen(' ', ", ", 1);
    let typo_name = format!("{}x", typo.0);
    assert_eq!(
        names("deleted"),
        vec![comma_name.clone(), "PARTI Sans Pret".to_string()]
    );
    assert_eq!(
        names("set_aside"),
        vec![typo_name.clone(), "PARTI Avec Prets".to_string()]
    );
    assert_eq!(p["homonyms"].as_array().unwrap().len(), 1);
    assert_eq!(p["homonyms"][0]["case"], "several_in_bcdi");
    assert_eq!(p["extra_records"], 1);
    let sugg = p["suggestions"].as_array().unwrap();
    let reasons: Vec<&str> = sugg.iter().map(|s| s["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["comma", "typo"]);
    assert_eq!(sugg[0]["deleted"]["name"], comma_name.as_str());
    assert_eq!(sugg[0]["new"]["name"], comma.0.as_str());
    for person in p["new"].as_array().unwrap() {
        for k in [
            "name",
            "status",
            "class",
            "ent_id",
            "borrower_number",
            "loans",
        ] {
            assert!(person.get(k).is_some(), "{k} missing in {person}");
        }
    }

    // Resolve the homonym (the first BCDI record is the ENT pupil) and accept both suggestions.
    let pair = format!(
        "{}={}",
        p["homonyms"][0]["bcdi"][0]["key"].as_str().unwrap(),
        twin.3
    );
    let accept = |i: usize| {
        format!(
            "{}={}",
            sugg[i]["deleted"]["key"].as_str().unwrap(),
            sugg[i]["new"]["ent_id"].as_str().unwrap()
        )
    };
    let (a0, a1) = (accept(0), accept(1));
    let out_dir = d.join("out");
    let p2 = plan(
        d,
        &csv,
        &[
            "--scope",
            "Statut=Elève",
            "--pair",
            &pair,
            "--accept",
            &a0,
            "--accept",
            &a1,
            "--out-dir",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(p2["homonyms"][0]["resolved"], true);
    assert_eq!(p2["extra_records"], 0);
    // The twin's other BCDI record (class 6Z) left; the comma borrower is renamed, not deleted.
    assert_eq!(
        names_of(&p2["deleted"]),
        vec![twin.0.clone(), "PARTI Sans Pret".to_string()]
    );
    assert_eq!(
        names_of(&p2["set_aside"]),
        vec!["PARTI Avec Prets".to_string()]
    );
    assert_eq!(p2["renames"].as_array().unwrap().len(), 2);
    let fixes = std::fs::read_to_string(out_dir.join("renommer-dans-bcdi.csv")).unwrap();
    assert!(
        fixes.contains(&format!(";{comma_name};{}", comma.0))
            || fixes.contains(&format!(";\"{comma_name}\";{}", comma.0)),
        "{fixes}"
    );
    let aside = std::fs::read_to_string(out_dir.join("mis-a-l-ecart.csv")).unwrap();
    assert!(aside.contains("PARTI Avec Prets;Elève;3A;2"), "{aside}");
    assert_eq!(
        exported(&out_dir.join("emprunteurs-esidoc.xml")).len(),
        first.len()
    );

    // The decisions are kept: the same preview without flags gives the same plan.
    let p3 = plan(d, &csv, &["--scope", "Statut=Elève"]);
    assert_eq!(p3["renames"], p2["renames"]);
    assert_eq!(p3["homonyms"], p2["homonyms"]);

    // Next year: BCDI now holds the identifiers; matching is by identifier, loans are kept, a class
    // change is an update and nothing is ambiguous.
    let mut rows =
        vec!["N° Emprunteur;Emprunteur;Statut;Classe;Prêts en cours;Identité E.".to_string()];
    for (i, r) in first.iter().enumerate() {
        let class = if i == 0 { "ZZ9" } else { r.2.as_str() };
        rows.push(format!(
            "{};{};{};{class};{};{}",
            500 + i,
            r.0,
            r.1,
            i % 2,
            r.3
        ));
    }
    rows.push("999;GONE Since;Elève;3A;0;00000000-0000-4000-8000-000000000000".into());
    let text = rows.join("\r\n") + "\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let next = d.join("bcdi-next.csv");
    std::fs::write(&next, bytes).unwrap();
    let p4 = plan(d, &next, &["--scope", "Statut=Elève"]);
    assert_eq!(p4["mode"], "by_identifier");
    assert_eq!(p4["ambiguous"], 0);
    assert_eq!(p4["new"].as_array().unwrap().len(), 0);
    assert_eq!(names_of(&p4["deleted"]), vec!["GONE Since".to_string()]);
    let updated = p4["updated"].as_array().unwrap();
    assert_eq!(updated.len(), 1, "{p4}");
    assert_eq!(updated[0]["loans"], 0);
    assert!(p4["suggestions"].as_array().unwrap().is_empty());
}

fn names_of(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn bad_files_and_arguments_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(support::cli(d, &["demo", "--persons", "400"]));
    let bad = d.join("bad.csv");
    std::fs::write(&bad, "Emprunteur;Statut\nDUPONT Jean;Elève\n").unwrap();
    let out = support::cli(
        d,
        &[
            "bcdi",
            "plan",
            "--uai",
            UAI,
            "--borrowers",
            bad.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv") && err.contains("Prêts en cours"),
        "{err}"
    );

    std::fs::write(&bad, [0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1]).unwrap();
    let out = support::cli(
        d,
        &[
            "bcdi",
            "plan",
            "--uai",
            UAI,
            "--borrowers",
            bad.to_str().unwrap(),
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a text file"));

    let out = support::cli(
        d,
        &[
            "bcdi",
            "export",
            "--uai",
            "9999999X",
            "--out",
            d.join("x.xml").to_str().unwrap(),
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("9999999X"));
    assert!(!d.join("x.xml").exists());

    std::fs::write(&bad, "Emprunteur;Prêts en cours\nDUPONT Jean;0\n").unwrap();
    let out = support::cli(
        d,
        &[
            "bcdi",
            "plan",
            "--uai",
            UAI,
            "--borrowers",
            bad.to_str().unwrap(),
            "--scope",
            "Couleur=bleu",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Couleur=bleu"));
}

#[test]
fn the_report_lists_every_category() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(support::cli(d, &["demo", "--persons", "400"]));
    let csv = d.join("b.csv");
    std::fs::write(
        &csv,
        "Emprunteur;Statut;Classe;Prêts en cours\nPARTI Avec Prets;Elève;3A;2\nPARTI Sans Pret;Elève;3A;0\n",
    )
    .unwrap();
    let out = d.join("out");
    ok(support::cli(
        d,
        &[
            "bcdi",
            "plan",
            "--uai",
            UAI,
            "--borrowers",
            csv.to_str().unwrap(),
            "--out-dir",
            out.to_str().unwrap(),
        ],
    ));
    let pdf = out.join("rapport-mise-a-jour.pdf");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by make test)");
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in [
        "BCDI borrower update",
        "Lycée Anne de Bretagne (0291234X)",
        "Set aside",
        "PARTI Avec Prets",
        "PARTI Sans Pret",
        "Usager temporaire",
    ] {
        assert!(text.contains(needle), "{needle} not in the report:\n{text}");
    }
}

/// An ENT's e-sidoc file with one pupil and one parent.
const ENT_FILE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><FICHES_XML>\
         <EMPRUNTEURS><EMPRUNTEUR_M>LEFÈVRE Hélène</EMPRUNTEUR_M><DATE_NAISSANCE_M>01/02/2011</DATE_NAISSANCE_M>\
         <STATUT_M_M>Elève</STATUT_M_M><CLASSE_M>5B</CLASSE_M><COMPTE_M>OUI</COMPTE_M>\
         <MOT_DE_PASSE_M>x</MOT_DE_PASSE_M><IDENTITE_ENT_M>id-1</IDENTITE_ENT_M></EMPRUNTEURS>\
         <EMPRUNTEURS><EMPRUNTEUR_M>PARENT Paul</EMPRUNTEUR_M><DATE_NAISSANCE_M>01/02/1980</DATE_NAISSANCE_M>\
         <STATUT_M_M>Parent</STATUT_M_M><COMPTE_M>OUI</COMPTE_M>\
         <MOT_DE_PASSE_M>y</MOT_DE_PASSE_M><IDENTITE_ENT_M>id-2</IDENTITE_ENT_M></EMPRUNTEURS></FICHES_XML>";

#[test]
fn decisions_on_an_ent_file_follow_its_name_not_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (d.join("a"), d.join("b"));
    for folder in [&a, &b] {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(folder.join("ent.xml"), ENT_FILE).unwrap();
    }
    let csv = d.join("b.csv");
    std::fs::write(
        &csv,
        "Emprunteur\tStatut\tPrêts en cours\nLEFEVRE Helene\tElève\t1\n",
    )
    .unwrap();
    let run = |ent: &Path, extra: &[&str]| -> Value {
        let (e, b) = (ent.display().to_string(), csv.display().to_string());
        let mut args = vec!["--json", "bcdi", "plan", "--ent", &e, "--borrowers", &b];
        args.extend_from_slice(extra);
        serde_json::from_str(&ok(support::cli(d, &args))).unwrap()
    };
    let first = run(&a.join("ent.xml"), &["--no-delete"]);
    let s = &first["suggestions"][0];
    assert_eq!(s["reason"], "accents", "{first}");
    let accept = format!(
        "{}={}",
        s["deleted"]["key"].as_str().unwrap(),
        s["new"]["ent_id"].as_str().unwrap()
    );
    let accepted = run(&a.join("ent.xml"), &["--no-delete", "--accept", &accept]);
    assert!(names_of(&accepted["new"]).is_empty(), "{accepted}");
    // The same file opened from another folder (as the window names it): the decision holds.
    let again = run(&b.join("ent.xml"), &["--no-delete"]);
    assert!(names_of(&again["new"]).is_empty(), "{again}");
    assert_eq!(again["suggestions"], accepted["suggestions"]);
    assert_ne!(
        again["suggestions"], first["suggestions"],
        "the acceptance shows"
    );

    let store = guichet::store::Store::open(&d.join("guichet.db")).unwrap();
    let (keys, plans): (Vec<String>, Vec<(String, String)>) = store
        .read(|c| {
            let mut k = c.prepare("SELECT uai FROM library_decisions")?;
            let keys = k.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let mut p = c.prepare("SELECT borrowers_file, scope FROM library_plans")?;
            let plans = p
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            Ok((keys, plans))
        })
        .unwrap();
    assert_eq!(keys, ["file:ent.xml"]);
    assert!(
        plans
            .iter()
            .all(|p| p == &("b.csv".to_string(), "no-deletion".to_string())),
        "{plans:?}"
    );

    // Decisions an earlier version kept under the typed path are found and moved to the name.
    let legacy = format!("file:{}", d.join("c").join("old.xml").display());
    store
        .write(|tx| {
            tx.execute(
                "UPDATE library_decisions SET uai = ?1 WHERE uai = 'file:ent.xml'",
                [&legacy],
            )?;
            Ok(())
        })
        .unwrap();
    drop(store);
    std::fs::create_dir_all(d.join("c")).unwrap();
    std::fs::write(d.join("c").join("old.xml"), ENT_FILE).unwrap();
    let moved = run(&d.join("c").join("old.xml"), &["--no-delete"]);
    assert!(names_of(&moved["new"]).is_empty(), "{moved}");
    assert_eq!(moved["suggestions"], accepted["suggestions"]);
}

#[test]
fn files_alone_without_a_directory() {
    // An ENT's e-sidoc file and BCDI's list, on a desk with an empty database (no directory feed).
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ent = d.join("ent.xml");
    std::fs::write(
        &ent,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><FICHES_XML>\
         <EMPRUNTEURS><EMPRUNTEUR_M>LEFÈVRE Hélène</EMPRUNTEUR_M><DATE_NAISSANCE_M>01/02/2011</DATE_NAISSANCE_M>\
         <STATUT_M_M>Elève</STATUT_M_M><CLASSE_M>5B</CLASSE_M><COMPTE_M>OUI</COMPTE_M>\
         <MOT_DE_PASSE_M>x</MOT_DE_PASSE_M><IDENTITE_ENT_M>id-1</IDENTITE_ENT_M></EMPRUNTEURS>\
         <EMPRUNTEURS><EMPRUNTEUR_M>PARENT Paul</EMPRUNTEUR_M><DATE_NAISSANCE_M>01/02/1980</DATE_NAISSANCE_M>\
         <STATUT_M_M>Parent</STATUT_M_M><COMPTE_M>OUI</COMPTE_M>\
         <MOT_DE_PASSE_M>y</MOT_DE_PASSE_M><IDENTITE_ENT_M>id-2</IDENTITE_ENT_M></EMPRUNTEURS></FICHES_XML>",
    )
    .unwrap();
    let csv = d.join("b.csv");
    std::fs::write(
        &csv,
        "Emprunteur\tStatut\tPrêts en cours\nLEFEVRE Helene\tElève\t1\n",
    )
    .unwrap();
    let out = ok(support::cli(
        d,
        &[
            "--json",
            "bcdi",
            "plan",
            "--ent",
            ent.to_str().unwrap(),
            "--borrowers",
            csv.to_str().unwrap(),
            "--no-delete",
        ],
    ));
    let p: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(p["parents"], 1, "the parent is ignored");
    assert_eq!(names_of(&p["new"]), vec!["LEFÈVRE Hélène".to_string()]);
    assert!(
        p["deleted"].as_array().unwrap().is_empty(),
        "mid-year: no deletion"
    );
    assert_eq!(p["untouched"], 1);
    assert_eq!(p["suggestions"][0]["reason"], "accents");
}
