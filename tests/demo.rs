//! The demo institution: determinism, coverage of every card state, the fixed persons and how search
//! finds them, school groups and links, and card histories that follow the state machine.

use std::collections::BTreeSet;
use std::path::Path;

use guichet::demo::{self, DemoOptions, DemoSummary};
use guichet::domain::card::CardState;
use guichet::store::{Store, StoreError, cards, search, settings};
use rusqlite::Connection;

fn now() -> jiff::Timestamp {
    "2026-11-22T10:00:00Z".parse().expect("a valid timestamp")
}

fn generate(dir: &Path, seed: u64) -> (Store, DemoSummary) {
    let store = Store::open(&dir.join("guichet.db")).expect("open the store");
    let summary = demo::generate(
        &store,
        &DemoOptions {
            seed,
            ..Default::default()
        },
        now(),
    )
    .expect("generate");
    (store, summary)
}

/// Display names, eppns and card states, in id order: what determinism must preserve.
fn fingerprint(conn: &Connection) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let mut stmt = conn
        .prepare("SELECT display_name, eppn FROM persons ORDER BY id")
        .expect("prepare");
    let persons = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows");
    let mut stmt = conn
        .prepare("SELECT state FROM cards ORDER BY id")
        .expect("prepare");
    let states = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows");
    (persons, states)
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}

fn first_hit(conn: &Connection, query: &str) -> (String, String) {
    let hits = search::search(conn, query, 5).expect("search");
    let hit = hits
        .first()
        .unwrap_or_else(|| panic!("no hit for {query:?}"));
    (hit.surname.clone(), hit.given_name.clone())
}

#[test]
fn demo_institution() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, summary) = generate(&dir.path().join("a"), 1);
    assert_eq!(summary.persons, 2_000);
    assert!(summary.structures >= 10, "{summary:?}");
    assert!(summary.groups > 40, "{summary:?}");
    assert!(summary.memberships > 2 * summary.persons, "{summary:?}");
    assert!(summary.cards > 1_000, "{summary:?}");
    assert!(summary.photos >= summary.cards / 2, "{summary:?}");
    println!("summary for 2,000 persons: {summary:?}");

    store
        .read(|conn| {
            // Recorded settings and counts match the summary.
            assert_eq!(settings::get(conn, "demo.seed")?.as_deref(), Some("1"));
            assert_eq!(settings::get(conn, "demo.persons")?.as_deref(), Some("2000"));
            assert_eq!(count(conn, "SELECT COUNT(*) FROM persons"), summary.persons as i64);
            assert_eq!(count(conn, "SELECT COUNT(*) FROM cards"), summary.cards as i64);
            assert_eq!(count(conn, "SELECT COUNT(*) FROM photos"), summary.photos as i64);
            assert_eq!(count(conn, "SELECT COUNT(*) FROM memberships"), summary.memberships as i64);
            assert_eq!(count(conn, "SELECT COUNT(*) FROM groups"), summary.groups as i64);

            // Every one of the 13 states occurs.
            let mut stmt = conn.prepare("SELECT DISTINCT state FROM cards")?;
            let states: BTreeSet<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            for state in CardState::ALL {
                assert!(states.contains(state.as_str()), "no card in state {state}");
            }

            // The fixed persons, found first by the counter search.
            assert_eq!(first_hit(conn, "helene"), ("Dupré".into(), "Hélène".into()));
            assert_eq!(first_hit(conn, "lefevre"), ("Lefèvre".into(), "Jérôme".into()));
            assert_eq!(first_hit(conn, "oeuvray"), ("Œuvray".into(), "Zoé".into()));
            assert_eq!(first_hit(conn, "de la fontaine jean"), ("de La Fontaine".into(), "Jean-Pierre".into()));
            assert_eq!(first_hit(conn, "jean pierre de la fontaine"), ("de La Fontaine".into(), "Jean-Pierre".into()));
            assert_eq!(first_hit(conn, "F6E5D4C3B2A104"), ("Lefèvre".into(), "Jérôme".into()));
            assert_eq!(first_hit(conn, "1303689068602870"), ("Lefèvre".into(), "Jérôme".into()));
            assert_eq!(first_hit(conn, "zoe loewy"), ("Lœwy".into(), "Zoé".into()));
            assert_eq!(
                count(conn, "SELECT COUNT(*) FROM persons WHERE eppn IN ('jean.dupont@univ-broceliande.fr', 'jean.dupont2@univ-broceliande.fr')"),
                2
            );
            assert_eq!(count(conn, "SELECT COUNT(*) FROM persons WHERE surname = 'd''Artagnan' AND given_name = 'Anne-Cécile' AND affiliation = 'National_ENS'"), 1);

            // Lefèvre: an enabled card with the known CSN. Dupré: a NEW card and no enabled card.
            let lefevre = search::search_ids(conn, "lefevre", 1)?[0];
            let his = cards::of_person(conn, lefevre)?;
            assert!(his.iter().any(|c| c.state == CardState::Enabled && c.csn.as_ref().map(|c| c.hex()).as_deref() == Some(demo::FIXED_CSN)));
            let dupre = search::search_ids(conn, "helene", 1)?[0];
            let hers = cards::of_person(conn, dupre)?;
            assert!(hers.iter().any(|c| c.state == CardState::New));
            assert!(hers.iter().all(|c| c.state != CardState::Enabled));

            // At most one enabled card per person; CSNs unique.
            assert_eq!(count(conn, "SELECT COUNT(*) FROM (SELECT person_id FROM cards WHERE state = 'ENABLED' GROUP BY person_id HAVING COUNT(*) > 1)"), 0);
            assert_eq!(count(conn, "SELECT COUNT(csn) - COUNT(DISTINCT csn) FROM cards"), 0);

            // The school: Grouper names, one documentaliste, parents linked to pupils.
            let stem = demo::SCHOOL_GROUP_STEM;
            assert_eq!(stem, "esco:Etablissements:LYCEE_ANNE_DE_BRETAGNE_0291234X");
            let class: i64 = conn.query_row(
                "SELECT COUNT(*) FROM groups WHERE kind = 'class' AND name = ?1",
                [format!("{stem}:2NDE:Eleves_2NDE1")],
                |r| r.get(0),
            )?;
            assert_eq!(class, 1);
            let bad: i64 = conn.query_row(
                "SELECT COUNT(*) FROM groups WHERE kind = 'class' AND name NOT GLOB ?1",
                [format!("{stem}:*:Eleves_*")],
                |r| r.get(0),
            )?;
            assert_eq!(bad, 0);
            for profile in ["Eleves", "Profs"] {
                let n: i64 = conn.query_row("SELECT COUNT(*) FROM groups WHERE name = ?1", [format!("{stem}:{profile}")], |r| r.get(0))?;
                assert_eq!(n, 1, "{profile}");
            }
            assert_eq!(count(conn, "SELECT COUNT(*) FROM persons WHERE affiliation = 'National_DOC'"), 1);
            assert!(count(conn, "SELECT COUNT(*) FROM person_links WHERE kind = 'parent_of'") > 100);
            assert_eq!(
                count(conn, "SELECT COUNT(*) FROM persons p WHERE affiliation = 'National_ELV'
                              AND NOT EXISTS (SELECT 1 FROM person_links l WHERE l.related_id = p.id)"),
                0
            );
            assert_eq!(count(conn, "SELECT COUNT(*) FROM cards c JOIN persons p ON p.id = c.person_id WHERE p.affiliation = 'National_TUT'"), 0);

            // Every history starts at NEW or RENEWED and is made of consecutive transitions.
            let mut stmt = conn.prepare("SELECT id FROM cards ORDER BY id")?;
            let ids: Vec<i64> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            for id in ids {
                let card = cards::get(conn, id)?;
                let first = card.history.first().expect("a history");
                assert!(matches!(first.to, CardState::New | CardState::Renewed), "card {id} starts at {}", first.to);
                for pair in card.history.windows(2) {
                    assert_eq!(pair[1].from, Some(pair[0].to), "card {id}");
                    assert!(pair[1].at >= pair[0].at, "card {id}: time goes back");
                }
                assert_eq!(card.history.last().map(|e| e.to), Some(card.state), "card {id}");
                assert!(card.history.iter().all(|e| e.at <= now()), "card {id} has a future event");
            }
            Ok(())
        })
        .expect("checks");

    // A second run into the same database is refused.
    let again = demo::generate(&store, &DemoOptions::default(), now());
    assert!(matches!(
        again,
        Err(StoreError::BadValue {
            column: "persons",
            ..
        })
    ));

    // Determinism: the same seed gives the same data, another seed differs.
    let (same, _) = generate(&dir.path().join("b"), 1);
    let (other, _) = generate(&dir.path().join("c"), 2);
    let a = store.read(|c| Ok(fingerprint(c))).expect("read a");
    let b = same.read(|c| Ok(fingerprint(c))).expect("read b");
    let c = other.read(|c| Ok(fingerprint(c))).expect("read c");
    assert_eq!(a, b);
    assert_ne!(a.0, c.0);

    // Another `now` moves the dates but keeps the persons and the card stories.
    let later = Store::open(&dir.path().join("d").join("guichet.db")).expect("open");
    let shifted = now()
        .checked_add(jiff::SignedDuration::from_hours(37 * 24 + 5))
        .expect("in range");
    demo::generate(&later, &DemoOptions::default(), shifted).expect("generate later");
    let d = later.read(|c| Ok(fingerprint(c))).expect("read d");
    assert_eq!(a, d);
}

#[test]
fn tiny_institution_still_has_the_fixed_persons() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("guichet.db")).expect("open");
    let summary = demo::generate(
        &store,
        &DemoOptions {
            persons: 1,
            seed: 9,
        },
        now(),
    )
    .expect("generate");
    assert_eq!(summary.persons, 10, "{summary:?}");
    store
        .read(|conn| {
            assert_eq!(first_hit(conn, "oeuvray"), ("Œuvray".into(), "Zoé".into()));
            assert_eq!(
                count(
                    conn,
                    "SELECT COUNT(*) FROM persons WHERE affiliation = 'National_DOC'"
                ),
                1
            );
            assert_eq!(count(conn, "SELECT COUNT(*) FROM person_links"), 1);
            Ok(())
        })
        .expect("checks");
}
