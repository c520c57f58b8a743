use super::*;
use crate::domain::person::PersonRecord;
use crate::store::test_util::temp_store;

fn now() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().unwrap()
}

fn person(store: &Store, eppn: &str) -> PersonId {
    store
        .write(|tx| {
            let rec = PersonRecord {
                eppn: Some(eppn.into()),
                surname: "Martin".into(),
                given_name: "Paul".into(),
                affiliation: "student".into(),
                editable: true,
                source: "test".into(),
                ..Default::default()
            };
            persons::insert(tx, &rec, now())
        })
        .unwrap()
}

fn alice() -> Actor {
    Actor::Operator("alice".into())
}

fn walk(store: &Store, card: CardId, path: &[CardState]) {
    let opts = CardOptions::default();
    for &to in path {
        let req = Request {
            reason: (to == CardState::Disabled).then_some(DisableReason::Lost),
            csn: None,
            comment: None,
            printer: None,
        };
        store
            .transition_card(card, to, &alice(), &req, &opts, now())
            .unwrap();
    }
}

fn encode(store: &Store, card: CardId, csn: &str) -> Result<()> {
    let req = Request {
        csn: Some(Csn::parse_hex(csn).unwrap()),
        ..Default::default()
    };
    store
        .transition_card(
            card,
            CardState::Encoded,
            &alice(),
            &req,
            &CardOptions::default(),
            now(),
        )
        .map(|_| ())
}

#[test]
fn request_then_walk_to_enabled_records_history_and_audit() {
    let (store, _dir) = temp_store();
    let p = person(&store, "paul.martin@univ.fr");
    let c = store
        .request_card(
            p,
            &alice(),
            Some("first card".into()),
            &CardOptions::default(),
            now(),
        )
        .unwrap();
    walk(
        &store,
        c,
        &[
            CardState::RequestChecked,
            CardState::InPrint,
            CardState::Printed,
        ],
    );
    encode(&store, c, "04A1B2C3D4E5F6").unwrap();
    walk(&store, c, &[CardState::Enabled]);
    let card = store.read(|conn| get(conn, c)).unwrap();
    assert_eq!(card.state, CardState::Enabled);
    assert_eq!(card.qr.as_deref(), Some("paul.martin@univ.fr"));
    assert!(card.encoded_at.is_some() && card.enabled_at.is_some());
    let steps: Vec<_> = card.history.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(steps[0], (None, CardState::New));
    assert_eq!(steps.len(), 6);
    assert!(card.history.iter().all(|e| e.actor == "alice"));
    let audit = store
        .read(|conn| audit::for_subject(conn, "card", c))
        .unwrap();
    assert_eq!(audit.len(), 6);
}

#[test]
fn enabling_a_second_card_disables_the_first_and_enqueues_once_per_service() {
    let (store, _dir) = temp_store();
    let p = person(&store, "a@u.fr");
    let opts = CardOptions {
        services: vec![Service::Crous],
        ..Default::default()
    };
    let first = store.request_card(p, &alice(), None, &opts, now()).unwrap();
    walk(
        &store,
        first,
        &[
            CardState::RequestChecked,
            CardState::InPrint,
            CardState::Printed,
        ],
    );
    encode(&store, first, "DEADBEEF").unwrap();
    store
        .transition_card(
            first,
            CardState::Enabled,
            &alice(),
            &Request::default(),
            &opts,
            now(),
        )
        .unwrap();
    let (_, second) = store
        .transition_card(
            first,
            CardState::Renewed,
            &alice(),
            &Request::default(),
            &opts,
            now(),
        )
        .unwrap();
    let second = second.unwrap();
    assert_eq!(
        store.read(|c| get(c, first)).unwrap().state,
        CardState::Enabled,
        "old card stays enabled"
    );
    walk(
        &store,
        second,
        &[
            CardState::RequestChecked,
            CardState::InPrint,
            CardState::Printed,
        ],
    );
    encode(&store, second, "CAFEBABE").unwrap();
    store
        .transition_card(
            second,
            CardState::Enabled,
            &alice(),
            &Request::default(),
            &opts,
            now(),
        )
        .unwrap();
    let old = store.read(|c| get(c, first)).unwrap();
    assert_eq!(old.state, CardState::Disabled);
    assert_eq!(
        old.history.last().unwrap().note,
        Some(Note::ReplacedBy(second))
    );
    let new = store.read(|c| get(c, second)).unwrap();
    assert_eq!(new.history[0].from, Some(CardState::Enabled));
    assert_eq!(new.history[0].note, Some(Note::RenewalOf(first)));
    let queue = store.read(outbox::counts).unwrap();
    assert_eq!(queue, vec![("crous".to_string(), "pending".to_string(), 1)]);
}

#[test]
fn a_csn_belongs_to_one_card_only() {
    let (store, _dir) = temp_store();
    let a = person(&store, "a@u.fr");
    let b = person(&store, "b@u.fr");
    let ca = store
        .request_card(a, &alice(), None, &CardOptions::default(), now())
        .unwrap();
    let cb = store
        .request_card(b, &alice(), None, &CardOptions::default(), now())
        .unwrap();
    for c in [ca, cb] {
        walk(&store, c, &[CardState::RequestChecked, CardState::InPrint]);
    }
    encode(&store, ca, "04A1B2C3D4E5F6").unwrap();
    let err = encode(&store, cb, "04a1b2c3d4e5f6").unwrap_err();
    assert!(
        matches!(err, StoreError::CsnInUse { card_id, .. } if card_id == ca),
        "{err:?}"
    );
    assert_eq!(
        store.read(|c| get(c, cb)).unwrap().state,
        CardState::InPrint,
        "nothing applied"
    );
}

#[test]
fn forbidden_transition_changes_nothing() {
    let (store, _dir) = temp_store();
    let p = person(&store, "a@u.fr");
    let c = store
        .request_card(p, &alice(), None, &CardOptions::default(), now())
        .unwrap();
    let err = store
        .transition_card(
            c,
            CardState::Enabled,
            &alice(),
            &Request::default(),
            &CardOptions::default(),
            now(),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Card(card::CardError::NotAllowed { .. })
    ));
    let card = store.read(|conn| get(conn, c)).unwrap();
    assert_eq!(card.history.len(), 1);
    let err = store
        .request_card(p, &alice(), None, &CardOptions::default(), now())
        .unwrap_err();
    assert!(matches!(err, StoreError::Card(card::CardError::RequestPending(id)) if id == c));
}

#[test]
fn history_is_append_only() {
    let (store, _dir) = temp_store();
    let p = person(&store, "a@u.fr");
    store
        .request_card(p, &alice(), None, &CardOptions::default(), now())
        .unwrap();
    let err = store.write(|tx| Ok(tx.execute("UPDATE card_events SET actor = 'mallory'", [])?));
    assert!(err.is_err());
    let err = store.write(|tx| Ok(tx.execute("DELETE FROM audit_log", [])?));
    assert!(err.is_err());
}

#[test]
fn escn_and_qr_follow_the_options() {
    let (store, _dir) = temp_store();
    let p = person(&store, "a@u.fr");
    let opts = CardOptions {
        escn: Some((1, 999_859_608)),
        qr_escn: true,
        qr_prefix: "http://pp.esc.gg/".into(),
        services: vec![],
    };
    let c = store.request_card(p, &alice(), None, &opts, now()).unwrap();
    let card = store.read(|conn| get(conn, c)).unwrap();
    let escn = card.escn.unwrap();
    assert!(crate::domain::ids::is_escn(&escn));
    assert_eq!(card.qr.unwrap(), format!("http://pp.esc.gg/{escn}"));
    // A card requested before ESCNs were configured gets them when it goes to print (§4.1).
    let p2 = person(&store, "b@u.fr");
    let c2 = store
        .request_card(p2, &alice(), None, &CardOptions::default(), now())
        .unwrap();
    assert_eq!(store.read(|conn| get(conn, c2)).unwrap().escn, None);
    let (e2, q2) = store
        .write(|tx| ensure_print_identifiers(tx, c2, &opts, now()))
        .unwrap();
    let e2 = e2.unwrap();
    assert_ne!(e2, escn);
    // The QR content chosen at request time (the eppn) is kept: it is the card's join key.
    assert_eq!(q2.as_deref(), Some("b@u.fr"));
    assert!(
        crate::domain::ids::escn_time(&e2).unwrap() > crate::domain::ids::escn_time(&escn).unwrap()
    );
}
