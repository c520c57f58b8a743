//! Search quality on a small hand-made directory (the demo-based cases are in tests/demo.rs).

use super::*;
use crate::domain::card::{Actor, CardState, Request};
use crate::domain::ids::Csn;
use crate::domain::person::{IdKind, PersonRecord};
use crate::store::cards::CardOptions;
use crate::store::test_util::temp_store;
use crate::store::{Store, persons};

fn add(store: &Store, surname: &str, given: &str, eppn: &str, ine: Option<&str>) -> PersonId {
    let n: i64 = store
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM persons", [], |r| r.get(0))?))
        .unwrap();
    store
        .write(|tx| {
            let rec = PersonRecord {
                surname: surname.into(),
                given_name: given.into(),
                eppn: Some(eppn.into()),
                ine: ine.map(str::to_string),
                supann_etu_id: Some(format!("2{:07}", eppn.len() * 7919 % 10_000_000)),
                affiliation: "student".into(),
                editable: true,
                source: "test".into(),
                identifiers: vec![(IdKind::Jointure, format!("AC-RENNES${}", 100_000 + n))],
                ..Default::default()
            };
            persons::insert(tx, &rec, jiff::Timestamp::now())
        })
        .unwrap()
}

fn names(store: &Store, q: &str) -> Vec<String> {
    store
        .read(|c| search(c, q, 10))
        .unwrap()
        .into_iter()
        .map(|h| h.display_name)
        .collect()
}

fn fixture() -> (Store, tempfile::TempDir, PersonId) {
    let (store, dir) = temp_store();
    add(
        &store,
        "Dupré",
        "Hélène",
        "helene.dupre@univ.fr",
        Some("1234567890A"),
    );
    let lefevre = add(&store, "Lefèvre", "Jérôme", "jerome.lefevre@univ.fr", None);
    add(&store, "Lefebvre", "Julie", "julie.lefebvre@univ.fr", None);
    add(
        &store,
        "de La Fontaine",
        "Jean-Pierre",
        "jean-pierre.de-la-fontaine@univ.fr",
        None,
    );
    add(&store, "Fontaine", "Jean", "jean.fontaine@univ.fr", None);
    add(
        &store,
        "La Fontaine",
        "Pierre",
        "pierre.la-fontaine@univ.fr",
        None,
    );
    add(&store, "Œuvray", "Zoé", "zoe.oeuvray@univ.fr", None);
    add(&store, "Dupont", "Jean", "jean.dupont@univ.fr", None);
    add(&store, "Dupont", "Jean", "jean.dupont2@univ.fr", None);
    let now = jiff::Timestamp::now();
    let actor = Actor::Operator("t".into());
    let opts = CardOptions::default();
    let card = store
        .request_card(lefevre, &actor, None, &opts, now)
        .unwrap();
    for to in [CardState::RequestChecked, CardState::InPrint] {
        store
            .transition_card(card, to, &actor, &Request::default(), &opts, now)
            .unwrap();
    }
    let req = Request {
        csn: Some(Csn::parse_hex("04A1B2C3D4E5F6").unwrap()),
        ..Default::default()
    };
    store
        .transition_card(card, CardState::Encoded, &actor, &req, &opts, now)
        .unwrap();
    (store, dir, lefevre)
}

#[test]
fn names_without_accents_or_case() {
    let (store, _d, _) = fixture();
    assert_eq!(names(&store, "helene")[0], "DUPRÉ Hélène");
    assert_eq!(names(&store, "HELENE dupre")[0], "DUPRÉ Hélène");
    assert_eq!(names(&store, "lefevre")[0], "LEFÈVRE Jérôme");
    assert_eq!(names(&store, "oeuvray")[0], "ŒUVRAY Zoé");
    assert_eq!(names(&store, "œuvray")[0], "ŒUVRAY Zoé");
}

#[test]
fn first_name_and_surname_in_any_order() {
    let (store, _d, _) = fixture();
    assert_eq!(
        names(&store, "jean pierre de la fontaine")[0],
        "DE LA FONTAINE Jean-Pierre"
    );
    assert_eq!(
        names(&store, "de la fontaine jean")[0],
        "DE LA FONTAINE Jean-Pierre"
    );
    assert_eq!(
        names(&store, "Jean-Pierre")[0],
        "DE LA FONTAINE Jean-Pierre"
    );
    assert_eq!(names(&store, "fontaine jean")[0], "FONTAINE Jean");
    let dup = names(&store, "jean dupont");
    assert_eq!(
        &dup[..2],
        &["DUPONT Jean", "DUPONT Jean"],
        "homonyms both listed first"
    );
}

#[test]
fn prefixes_find_while_typing() {
    let (store, _d, _) = fixture();
    assert!(names(&store, "lef").iter().any(|n| n == "LEFÈVRE Jérôme"));
    assert!(names(&store, "lef").iter().any(|n| n == "LEFEBVRE Julie"));
    assert_eq!(names(&store, "zo oeu")[0], "ŒUVRAY Zoé");
}

#[test]
fn identifiers_find_the_person() {
    let (store, _d, lefevre) = fixture();
    let first = |q: &str| {
        store
            .read(|c| search(c, q, 5))
            .unwrap()
            .first()
            .map(|h| h.person_id)
    };
    let helene = store.read(|c| search(c, "helene", 1)).unwrap()[0].person_id;
    assert_eq!(first("1234567890A"), Some(helene), "INE");
    assert_eq!(first("1234567890a"), Some(helene), "INE, lower case");
    assert_eq!(first("helene.dupre@univ.fr"), Some(helene), "eppn");
    assert_eq!(first("helene.du"), Some(helene), "eppn prefix");
    for csn in [
        "04A1B2C3D4E5F6",
        "F6E5D4C3B2A104",
        "1303689068602870",
        "69495546249912580",
        "04 a1 b2 c3",
    ] {
        assert_eq!(first(csn), Some(lefevre), "CSN form {csn}");
    }
    assert_eq!(first("AC-RENNES$100000"), Some(helene), "join key");
    assert_eq!(first("100000"), Some(helene), "join key without its source");
}

#[test]
fn search_output_has_the_cli_fields() {
    let (store, _d, _) = fixture();
    let hit = store.read(|c| search(c, "helene", 1)).unwrap().remove(0);
    assert_eq!(hit.surname, "Dupré");
    assert_eq!(hit.given_name, "Hélène");
    assert_eq!(hit.ine.as_deref(), Some("1234567890A"));
    assert_eq!(hit.affiliation, "student");
    assert!(hit.uai.is_none());
    assert!(store.read(|c| search(c, "", 5)).unwrap().is_empty());
    assert!(store.read(|c| search(c, "\"*)(", 5)).unwrap().is_empty());
    assert!(store.read(|c| search(c, "zzzzqqq", 5)).unwrap().is_empty());
}

/// The search index rows, as (rowid, ids column), in rowid order.
fn fts_rows(store: &Store) -> Vec<(i64, String)> {
    store
        .read(|c| {
            let mut s = c.prepare("SELECT rowid, ids FROM person_fts ORDER BY rowid")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<std::result::Result<_, _>>()?)
        })
        .unwrap()
}

/// A staff member with an eppn and a jointure identifier.
pub(in crate::store) fn record(surname: &str, eppn: &str) -> PersonRecord {
    PersonRecord {
        surname: surname.into(),
        given_name: "Anne".into(),
        eppn: Some(eppn.into()),
        affiliation: "staff".into(),
        source: "test".into(),
        identifiers: vec![(IdKind::Jointure, format!("LDAP${surname}"))],
        ..Default::default()
    }
}

#[test]
fn a_self_indexed_write_goes_without_the_triggers_for_its_own_transaction_only() {
    let (store, _d, _) = fixture();
    let before = fts_rows(&store);
    let now = jiff::Timestamp::now();
    // No triggers: the new persons are not indexed until the transaction indexes them itself.
    let ids = store
        .write_self_indexed(|tx| {
            let a = persons::insert(tx, &record("Quessoy", "a.quessoy@univ.fr"), now)?;
            let b = persons::insert(tx, &record("Quintin", "a.quintin@univ.fr"), now)?;
            let c = persons::insert(tx, &record("Quimper", "a.quimper@univ.fr"), now)?;
            assert_eq!(
                tx.query_row(
                    "SELECT COUNT(*) FROM person_fts WHERE rowid >= ?1",
                    [a],
                    |r| { r.get::<_, i64>(0) }
                )?,
                0,
                "the triggers fired in a self-indexed transaction"
            );
            // Two runs of ids: [a, b] and [c] (b + 1 is skipped on purpose).
            super::index_persons(tx, &mut vec![c, a, b, a])?;
            Ok(vec![a, b, c])
        })
        .unwrap();
    let after = fts_rows(&store);
    assert_eq!(after.len(), before.len() + 3);
    for id in &ids {
        assert_eq!(after.iter().filter(|(r, _)| r == id).count(), 1, "{id}");
    }
    assert_eq!(names(&store, "quintin"), ["QUINTIN Anne"]);
    assert_eq!(names(&store, "LDAP$Quimper"), ["QUIMPER Anne"]);

    // A changed person, re-indexed in place: the old document is gone.
    store
        .write_self_indexed(|tx| {
            tx.execute(
                "UPDATE persons SET eppn = 'anne.q@univ.fr' WHERE id = ?1",
                [ids[0]],
            )?;
            super::index_persons(tx, &mut vec![ids[0]])
        })
        .unwrap();
    assert_eq!(names(&store, "anne.q@univ.fr"), ["QUESSOY Anne"]);
    assert!(names(&store, "a.quessoy@univ.fr").is_empty());
    assert_eq!(fts_rows(&store).len(), before.len() + 3);

    // Any other transaction, after a self-indexed one (even one that failed), has the triggers.
    let failed: crate::store::Result<()> =
        store.write_self_indexed(|_| Err(crate::store::StoreError::Poisoned));
    assert!(failed.is_err());
    store
        .write(|tx| {
            persons::insert(tx, &record("Quelven", "a.quelven@univ.fr"), now)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(names(&store, "quelven"), ["QUELVEN Anne"]);

    // The triggers keep the identifier index in step as well: the old eppn finds nobody.
    store
        .write(|tx| {
            tx.execute(
                "UPDATE persons SET eppn = 'anne.quessoy@univ.fr' WHERE id = ?1",
                [ids[0]],
            )?;
            Ok(())
        })
        .unwrap();
    assert_eq!(names(&store, "anne.quessoy@univ.fr"), ["QUESSOY Anne"]);
    assert!(names(&store, "anne.q@univ.fr").is_empty());
}

#[test]
fn a_new_persons_document_built_from_its_record_is_the_views() {
    let (store, _d) = temp_store();
    let now = jiff::Timestamp::now();
    let records = [
        PersonRecord {
            surname: "Le Goff-Ménez".into(),
            given_name: "Anne Marie".into(),
            birth_name: Some("Kérautret".into()),
            uid: Some("amlegoff".into()),
            eppn: Some("anne-marie.le-goff@univ.fr".into()),
            supann_etu_id: Some("21234567".into()),
            supann_emp_id: Some("E 0042".into()),
            ine: Some("1234567890A".into()),
            ent_login: Some("AML.goff".into()),
            email: Some("Anne.Le-Goff@etu.univ.fr".into()),
            affiliation: "student".into(),
            source: "ldap".into(),
            identifiers: vec![
                (IdKind::RefId, "{ISO15693}04A1B2C3D4E580".into()),
                (IdKind::Jointure, "AC-RENNES$1234 extra".into()),
                (IdKind::Jointure, "AC-RENNES$1234 extra".into()),
                (IdKind::Jointure, "AAA$9".into()),
            ],
            ..Default::default()
        },
        PersonRecord {
            surname: "Øster".into(),
            given_name: "Łukasz".into(),
            affiliation: "staff".into(),
            source: "ldap".into(),
            ..Default::default()
        },
    ];
    store
        .write_self_indexed(|tx| {
            for rec in &records {
                let computed = persons::Computed::of(rec);
                let doc = super::NewDoc::of(rec);
                let id = persons::insert(tx, rec, now)?;
                super::index_new_persons(tx, [(id, &computed, &doc)])?;
                let built: (String, String, String, String) = tx.query_row(
                    "SELECT surname, given, other, ids FROM person_fts WHERE rowid = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
                let view: (String, String, String, String) = tx.query_row(
                    "SELECT surname, given, other, ids FROM person_search_doc WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
                assert_eq!(built, view, "{rec:?}");
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(names(&store, "kerautret"), ["LE GOFF-MÉNEZ Anne Marie"]);
    assert_eq!(names(&store, "04a1b2c3"), ["LE GOFF-MÉNEZ Anne Marie"]);
}
