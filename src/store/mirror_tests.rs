use std::collections::HashSet;

use jiff::Timestamp;

use super::*;
use crate::domain::card::{Actor, CardState};
use crate::domain::group::GroupKind;
use crate::store::Store;
use crate::store::cards::CardOptions;
use crate::store::test_util::temp_store;

fn rec(uuid: &str, surname: &str) -> PersonRecord {
    PersonRecord {
        dn: Some(format!("uid={uuid},ou=people,dc=x")),
        entry_uuid: Some(uuid.into()),
        uid: Some(uuid.into()),
        eppn: Some(format!("{uuid}@x")),
        surname: surname.into(),
        given_name: "Zoé".into(),
        affiliation: "student".into(),
        source: "ldap".into(),
        editable: true,
        ..Default::default()
    }
}

/// A directory group named `name`.
fn ldap_group(name: &str) -> GroupRecord {
    GroupRecord {
        name: name.into(),
        display_name: name.into(),
        kind: GroupKind::Group,
        source: "ldap".into(),
    }
}

fn upsert(store: &Store, r: &PersonRecord, hash: &str) -> (PersonId, Outcome) {
    let key = crate::directory::dn_key(r.dn.as_deref().unwrap());
    let computed = crate::store::persons::Computed::of(r);
    store
        .write(|tx| {
            upsert_person(
                tx,
                r,
                None,
                SyncFacts {
                    dn_key: &key,
                    hash,
                    computed: &computed,
                },
                Timestamp::now(),
            )
        })
        .unwrap()
}

#[test]
fn persons_are_keyed_by_entry_uuid_and_skipped_when_unchanged() {
    let (store, _d) = temp_store();
    let (id, o) = upsert(&store, &rec("u1", "Dupré"), "h1");
    assert_eq!(o, Outcome::Added);
    assert_eq!(
        upsert(&store, &rec("u1", "Dupré"), "h1"),
        (id, Outcome::Unchanged)
    );
    let (id2, o) = upsert(&store, &rec("u1", "Dupré-Martin"), "h2");
    assert_eq!((id2, o), (id, Outcome::Modified));
    let found = store
        .read(|c| crate::store::search::search_ids(c, "dupre martin", 5))
        .unwrap();
    assert_eq!(found, vec![id]);
    // Deleted and re-created in the directory (new entryUUID, same eppn): same mirror row.
    let mut again = rec("u1", "Dupré-Martin");
    again.entry_uuid = Some("u1-new".into());
    assert_eq!(upsert(&store, &again, "h3"), (id, Outcome::Modified));
}

#[test]
fn group_members_change_by_difference_and_nesting_is_flattened() {
    let (store, _d) = temp_store();
    let ids: Vec<PersonId> = (0..5)
        .map(|i| upsert(&store, &rec(&format!("p{i}"), "Nom"), "h").0)
        .collect();
    store
        .write(|tx| {
            let (a, _) = upsert_group(tx, &ldap_group("a:parent"), "ga", "cn=parent", "1")?;
            let (b, _) = upsert_group(tx, &ldap_group("a:child"), "gb", "cn=child", "1")?;
            assert_eq!(
                set_group_members(tx, a, &HashSet::from([ids[0], ids[1]]))?,
                (2, 0)
            );
            assert_eq!(
                set_group_members(tx, b, &HashSet::from([ids[2], ids[3]]))?,
                (2, 0)
            );
            set_group_children(tx, a, &HashSet::from([b]))?;
            assert_eq!(flatten_nested(tx)?, 2);
            // One change in a big group: one insert, one delete.
            assert_eq!(
                set_group_members(tx, b, &HashSet::from([ids[2], ids[4]]))?,
                (1, 1)
            );
            flatten_nested(tx)?;
            let members: HashSet<PersonId> = tx
                .prepare("SELECT person_id FROM memberships WHERE group_id = ?1")?
                .query_map([a], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            assert_eq!(members, HashSet::from([ids[0], ids[1], ids[2], ids[4]]));
            // A person both direct and nested keeps the row when the nesting goes.
            set_group_members(tx, a, &HashSet::from([ids[0], ids[1], ids[2]]))?;
            set_group_children(tx, a, &HashSet::new())?;
            flatten_nested(tx)?;
            let members: HashSet<PersonId> = tx
                .prepare("SELECT person_id FROM memberships WHERE group_id = ?1")?
                .query_map([a], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            assert_eq!(members, HashSet::from([ids[0], ids[1], ids[2]]));
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_departed_person_with_cards_is_kept_and_one_without_is_erased() {
    let (store, _d) = temp_store();
    let (keep, _) = upsert(&store, &rec("k", "Garde"), "h");
    let (gone, _) = upsert(&store, &rec("g", "Parti"), "h");
    store
        .request_card(
            keep,
            &Actor::Operator("op".into()),
            None,
            &CardOptions::default(),
            Timestamp::now(),
        )
        .unwrap();
    let erased = store
        .write(|tx| {
            Ok((
                remove_person(tx, keep, Timestamp::now())?,
                remove_person(tx, gone, Timestamp::now())?,
            ))
        })
        .unwrap();
    assert_eq!(erased, (false, true));
    let detail = store
        .read(|c| crate::store::persons::detail(c, keep))
        .unwrap();
    assert!(detail.departed_at.is_some());
    assert_eq!(detail.cards.len(), 1);
    assert!(
        store
            .read(|c| crate::store::persons::detail(c, gone))
            .is_err()
    );
    // Coming back clears the mark.
    upsert(&store, &rec("k", "Garde"), "h");
    let detail = store
        .read(|c| crate::store::persons::detail(c, keep))
        .unwrap();
    assert!(detail.departed_at.is_none());
}

#[test]
fn due_dates_drive_the_system_transitions_with_actor_sync() {
    let (store, _d) = temp_store();
    let mut r = rec("d", "Échue");
    r.due_date = Some(jiff::civil::date(2026, 1, 31));
    let (id, _) = upsert(&store, &r, "h");
    let now = Timestamp::now();
    let card = store
        .request_card(
            id,
            &Actor::Operator("op".into()),
            None,
            &CardOptions::default(),
            now,
        )
        .unwrap();
    let today = jiff::civil::date(2026, 11, 22);
    let done = store
        .write(|tx| crate::store::due_dates::apply(tx, today, &CardOptions::default(), now))
        .unwrap();
    assert_eq!(done, vec![(card, CardState::New, CardState::Canceled)]);
    let detail = store.read(|c| crate::store::cards::get(c, card)).unwrap();
    assert_eq!(detail.state, CardState::Canceled);
    let last = detail.history.last().unwrap();
    assert_eq!(last.actor, "sync");
    assert!(last.comment.as_deref().unwrap().contains("31/01/2026"));
    // Nothing more to do the second time.
    let again = store
        .write(|tx| crate::store::due_dates::apply(tx, today, &CardOptions::default(), now))
        .unwrap();
    assert!(again.is_empty());
}

#[test]
fn a_first_loads_memberships_are_written_once_each_with_their_origins_merged() {
    let (store, _d) = temp_store();
    let persons: Vec<PersonId> = (0..80)
        .map(|i| upsert(&store, &rec(&format!("m{i}"), "Nom"), "h").0)
        .collect();
    let (a, b) = store
        .write(|tx| {
            let (a, _) = upsert_group(tx, &ldap_group("g:a"), "ga", "cn=a", "1")?;
            let (b, _) = upsert_group(tx, &ldap_group("g:b"), "gb", "cn=b", "1")?;
            // A resumed first load: a row written before the interruption gains the new origin.
            add_membership(tx, b, persons[0], FROM_PERSON)?;
            Ok((a, b))
        })
        .unwrap();
    let mut pending: Vec<PendingMembership> = Vec::new();
    for (g, origin) in [(a, FROM_GROUP), (b, FROM_GROUP)] {
        for &p in persons.iter().rev() {
            pending.push((g as u32, p as u32, origin as u8));
        }
    }
    // The same membership from both sides, in any order.
    pending.push((a as u32, persons[5] as u32, FROM_PERSON as u8));
    pending.push((a as u32, persons[5] as u32, FROM_PERSON as u8));
    let written = store
        .write_unchecked(|tx| insert_memberships(tx, &mut pending))
        .unwrap();
    assert_eq!(
        written, 160,
        "more rows than one statement takes, each once"
    );
    assert!(pending.is_empty());
    let origin = |g: i64, p: PersonId| -> i64 {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT origin FROM memberships WHERE group_id = ?1 AND person_id = ?2",
                    [g, p],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    };
    assert_eq!(origin(a, persons[5]), FROM_GROUP | FROM_PERSON);
    assert_eq!(origin(a, persons[6]), FROM_GROUP);
    assert_eq!(origin(b, persons[0]), FROM_GROUP | FROM_PERSON);
    assert_eq!(origin(b, persons[79]), FROM_GROUP);
    assert_eq!(store.read(membership_count).unwrap(), 160);
}

#[test]
fn a_first_loads_memberships_into_an_empty_table_keep_every_origin() {
    let (store, _d) = temp_store();
    let persons: Vec<PersonId> = (0..70)
        .map(|i| upsert(&store, &rec(&format!("e{i}"), "Nom"), "h").0)
        .collect();
    let g = store
        .write(|tx| Ok(upsert_group(tx, &ldap_group("g:e"), "ge", "cn=e", "1")?.0))
        .unwrap();
    // Each person from the group's side, and every third from the person's side too, either first.
    let mut pending: Vec<PendingMembership> = Vec::new();
    for (i, &p) in persons.iter().enumerate() {
        if i % 3 == 0 {
            pending.push((g as u32, p as u32, FROM_PERSON as u8));
        }
        pending.push((g as u32, p as u32, FROM_GROUP as u8));
        if i % 3 == 1 {
            pending.push((g as u32, p as u32, FROM_PERSON as u8));
        }
    }
    let written = store
        .write_unchecked(|tx| insert_memberships(tx, &mut pending))
        .unwrap();
    assert_eq!(written, 70);
    let origins: Vec<i64> = store
        .read(|c| {
            let mut st = c.prepare("SELECT origin FROM memberships ORDER BY person_id")?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<std::result::Result<_, _>>()?)
        })
        .unwrap();
    let expected: Vec<i64> = (0..70)
        .map(|i| match i % 3 {
            2 => FROM_GROUP,
            _ => FROM_GROUP | FROM_PERSON,
        })
        .collect();
    assert_eq!(origins, expected);
}
