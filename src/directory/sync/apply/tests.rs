//! The writer side on its own: batches sent by hand, as the reading side would.

use std::sync::mpsc;

use super::{Applier, Finish, Msg, Options};
use crate::directory::mapping::MappedPerson;
use crate::directory::sync::items::PersonItem;
use crate::directory::sync::{Kind, Mode, Report};
use crate::domain::person::PersonRecord;
use crate::store::{Store, persons, test_util};

fn person(uuid: &str, eppn: &str, surname: &str) -> PersonItem {
    let m = MappedPerson {
        record: PersonRecord {
            dn: Some(format!("uid={surname},ou=people,dc=x")),
            eppn: Some(eppn.into()),
            surname: surname.into(),
            given_name: "Anne".into(),
            affiliation: "student".into(),
            source: "ldap".into(),
            ..PersonRecord::default()
        },
        ..MappedPerson::default()
    };
    PersonItem::new(uuid.into(), m)
}

/// A first load of `batches` (people only) into `store`.
fn first_load(store: &Store, batches: Vec<Vec<PersonItem>>) -> Result<Report, String> {
    let applier = Applier::new(
        store.clone(),
        Options {
            allow_mass_delete: false,
            mass_delete_percent: 10,
            cards: Default::default(),
            bulk: true,
            first_load: true,
        },
    );
    let (tx, rx) = mpsc::channel();
    for b in batches {
        tx.send(Msg::Persons(b)).unwrap();
    }
    tx.send(Msg::Done {
        kind: Kind::People,
        by_absence: true,
    })
    .unwrap();
    tx.send(Msg::Finish(Finish {
        mode: Mode::Full,
        states: Vec::new(),
        skipped: Vec::new(),
        entries: 0,
    }))
    .unwrap();
    let out = applier.run(rx).map_err(|e| e.to_string());
    store.recover_first_load().unwrap();
    out.map(|r| r.expect("finished"))
}

fn unique_indexes(store: &Store) -> Vec<String> {
    store
        .read(|c| {
            let mut s = c.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons'
                    AND sql LIKE 'CREATE UNIQUE%' ORDER BY name",
            )?;
            let rows = s.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap()
}

fn rows(store: &Store) -> Vec<(String, String, String)> {
    store
        .read(|c| {
            let mut s = c.prepare(
                "SELECT IFNULL(entry_uuid, '-'), eppn, surname FROM persons ORDER BY eppn, surname",
            )?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap()
}

#[test]
fn a_fresh_first_load_keeps_the_uniqueness_rules_while_their_indexes_are_away() {
    let (store, _dir) = test_util::temp_store();
    let report = first_load(
        &store,
        vec![
            vec![person("u1", "a@x", "Abgrall"), person("u2", "b@x", "Bihan")],
            // The same entry twice, then another entry with an eppn already taken: as before, the
            // row found is rewritten.
            vec![
                person("u1", "a@x", "Abgrall-Le Du"),
                person("u3", "b@x", "Bihannic"),
                person("u4", "c@x", "Cornec"),
            ],
        ],
    )
    .unwrap();
    assert_eq!((report.added, report.modified), (3, 2));
    assert_eq!(
        rows(&store),
        [
            ("u1".into(), "a@x".into(), "Abgrall-Le Du".into()),
            ("u3".into(), "b@x".into(), "Bihannic".into()),
            ("u4".into(), "c@x".into(), "Cornec".into()),
        ]
    );
    assert_eq!(
        unique_indexes(&store),
        ["persons_entry_uuid", "persons_eppn"]
    );
}

#[test]
fn without_repeats_the_unique_indexes_are_built_once_every_person_is_written() {
    let (store, _dir) = test_util::temp_store();
    let report = first_load(
        &store,
        vec![
            (0..50)
                .map(|i| person(&format!("u{i}"), &format!("p{i}@x"), &format!("P{i}")))
                .collect(),
        ],
    )
    .unwrap();
    assert_eq!((report.added, report.modified), (50, 0));
    assert_eq!(
        unique_indexes(&store),
        ["persons_entry_uuid", "persons_eppn"]
    );
    // The rule holds again for what comes next.
    let again = store.write(|tx| {
        persons::insert(
            tx,
            &person("u9", "p1@x", "Autre").mapped.record,
            jiff::Timestamp::now(),
        )
    });
    assert!(again.is_err());
}

#[test]
fn a_person_written_at_the_counter_during_the_load_brings_the_rules_back_first() {
    let (store, _dir) = test_util::temp_store();
    // Written before the load: its eppn counts among those taken.
    store
        .write(|tx| {
            persons::insert(
                tx,
                &PersonRecord {
                    source: "local".into(),
                    ..person("", "local@x", "Local").mapped.record
                },
                jiff::Timestamp::now(),
            )
        })
        .unwrap();
    let clash = first_load(&store, vec![vec![person("u1", "local@x", "Annuaire")]]);
    // As before the indexes were suspended: a directory entry never takes a local person's eppn.
    let e = clash.unwrap_err();
    assert!(e.contains("UNIQUE"), "{e}");
    assert_eq!(rows(&store).len(), 1);
    assert_eq!(
        unique_indexes(&store),
        ["persons_entry_uuid", "persons_eppn"]
    );

    // During a load: the indexes come back before the counter's person is written.
    let (store, _dir) = test_util::temp_store();
    store
        .write(|tx| {
            assert!(crate::store::mirror::begin_first_load(tx)?);
            Ok(())
        })
        .unwrap();
    assert!(unique_indexes(&store).is_empty());
    store
        .write(|tx| {
            persons::insert(
                tx,
                &person("u7", "counter@x", "Guichet").mapped.record,
                jiff::Timestamp::now(),
            )
        })
        .unwrap();
    assert_eq!(
        unique_indexes(&store),
        ["persons_entry_uuid", "persons_eppn"]
    );
}
