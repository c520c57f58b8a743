use super::*;
use crate::domain::person::PersonRecord;
use crate::nfc::desfire::random::SeededRandom;
use crate::nfc::encoder::{EncodeInput, encode_with_random};
use crate::nfc::keys::KeySet;
use crate::nfc::profile::Profile;
use crate::nfc::sim::SimCard;
use crate::nfc::transport::VirtualReader;
use crate::store::persons;
use crate::store::test_util::temp_store;

fn now() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().unwrap()
}

fn printed_card(store: &Store) -> CardId {
    let person = store
        .write(|tx| {
            let rec = PersonRecord {
                eppn: Some("pmartin@univ.example".into()),
                surname: "Martin".into(),
                given_name: "Paul".into(),
                affiliation: "student".into(),
                editable: true,
                source: "test".into(),
                ..Default::default()
            };
            persons::insert(tx, &rec, now())
        })
        .unwrap();
    let alice = Actor::Operator("alice".into());
    let opts = with_escn();
    let card = store
        .request_card(person, &alice, None, &opts, now())
        .unwrap();
    for to in [
        CardState::RequestChecked,
        CardState::InPrint,
        CardState::Printed,
    ] {
        store
            .transition_card(card, to, &alice, &Request::default(), &opts, now())
            .unwrap();
    }
    card
}

fn with_escn() -> CardOptions {
    CardOptions {
        escn: Some((1, 123_456_789)),
        ..CardOptions::default()
    }
}

fn keys(profile: &Profile) -> KeySet {
    let mut set = KeySet::default();
    for (i, k) in profile
        .applications
        .iter()
        .flat_map(|a| &a.keys)
        .enumerate()
    {
        set.insert_typed(&k.name, &format!("{:02X}", i + 1).repeat(16))
            .unwrap();
    }
    set
}

#[test]
fn a_printed_card_is_encoded_enabled_and_found_again_by_its_qr_code() {
    let (store, _dir) = temp_store();
    let card = printed_card(&store);
    let opts = with_escn();
    let qr = store.read(|c| cards::get(c, card)).unwrap().qr;
    assert_eq!(qr.as_deref(), Some("pmartin@univ.example"));
    assert_eq!(
        store.card_for_scan(" pmartin@univ.example\n").unwrap(),
        Some(card)
    );
    assert_eq!(store.card_for_scan("nobody@univ.example").unwrap(), None);

    let target = store.encode_begin(card, "reader 1", &opts, now()).unwrap();
    assert_eq!(target.card.state, CardState::InEncode);
    assert!(!target.update);
    assert_eq!(target.facts.access_id, Some(card as u64));
    assert_eq!(
        target.facts.crous_number,
        Some((99_990_000 + card as u64).to_string())
    );

    let profile = Profile::esup_default().unwrap();
    let keys = keys(&profile);
    let reader = VirtualReader::with_card(
        "v",
        Box::new(SimCard::blank([4, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66])),
    );
    let input = EncodeInput {
        profile: &profile,
        keys: &keys,
        facts: target.facts.clone(),
        expected_uid: target.expected_uid.clone(),
    };
    let report = {
        let mut t = reader.connect().unwrap();
        encode_with_random(&mut t, &input, Box::new(SeededRandom::new(1)), &mut |_| {})
    };
    let encoded = report.result.unwrap();
    let rec = store
        .encode_finish(card, &encoded, &report.log, true, "alice", &opts, now())
        .unwrap();
    assert_eq!(rec.state, CardState::Enabled);
    let ids: serde_json::Value = serde_json::from_str(&rec.desfire_ids).unwrap();
    assert_eq!(
        ids["access control"],
        serde_json::Value::from((1_234_500_000_000_000u64 + card as u64).to_string())
    );
    assert_eq!(
        store.desfire_ids(card).unwrap(),
        Some(rec.desfire_ids.clone())
    );
    let detail = store.read(|c| cards::get(c, card)).unwrap();
    assert_eq!(detail.csn.unwrap().hex(), "04112233445566");
    let states: Vec<CardState> = detail.history.iter().map(|e| e.to).collect();
    assert!(states.ends_with(&[CardState::InEncode, CardState::Encoded, CardState::Enabled]));
    let encoded_row = detail
        .history
        .iter()
        .find(|e| e.to == CardState::Encoded)
        .unwrap();
    match &encoded_row.note {
        Some(Note::EncodeLog(code)) => assert!(code.starts_with("csn+ picc+"), "{code}"),
        other => panic!("{other:?}"),
    }

    // Presented again: an update that keeps the state.
    let again = store.encode_begin(card, "reader 1", &opts, now()).unwrap();
    assert!(again.update);
    assert_eq!(
        again.expected_uid.as_deref(),
        Some(&[4, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66][..])
    );
    let rec = store
        .encode_finish(card, &encoded, &report.log, true, "alice", &opts, now())
        .unwrap();
    assert_eq!(rec.state, CardState::Enabled);
}

#[test]
fn a_card_not_yet_printed_cannot_be_encoded() {
    let (store, _dir) = temp_store();
    let card = printed_card(&store);
    let person = store.read(|c| cards::get(c, card)).unwrap().person_id;
    let other = store.request_card(
        person,
        &Actor::Operator("bob".into()),
        None,
        &CardOptions::default(),
        now(),
    );
    // The person already has a card in production: the request may be refused; either way a NEW card
    // (or none) is not encodable.
    if let Ok(new) = other {
        assert!(matches!(
            store.encode_begin(new, "r", &CardOptions::default(), now()),
            Err(StoreError::Card(CardError::NotAllowed { .. }))
        ));
    }
    store.encode_failed(card, &[], "alice", now()).unwrap();
}
