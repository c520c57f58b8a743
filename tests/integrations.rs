//! The integrations against the stateful CROUS and ESC-R fakes (tests/support), through the real
//! reqwest client and the real outbox worker: exact call sequences, error classes, offline then online.

mod support;

use std::sync::Arc;
use std::time::Duration;

use guichet::domain::card::{Actor, CardState, DisableReason, Request, Service};
use guichet::domain::ids::Csn;
use guichet::domain::person::PersonRecord;
use guichet::remote::crous::service::Options as CrousOptions;
use guichet::remote::crous::{CrousClient, CrousService, CrousSettings};
use guichet::remote::escr::service::Options as EscrOptions;
use guichet::remote::escr::{EscrClient, EscrService, EscrSettings};
use guichet::remote::worker::{Limits, Services, Worker};
use guichet::store::Store;
use guichet::store::cards::CardOptions;
use guichet::store::outbox::{self, Filter};
use guichet::store::persons;
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use serde_json::json;
use support::crous_fake::CrousFake;
use support::escr_fake::EscrFake;
use support::http_fake::{Failure, Injection};

const PIC: &str = "999859608";

fn opts(services: &[Service]) -> CardOptions {
    CardOptions {
        escn: Some((1, 999_859_608)),
        services: services.to_vec(),
        ..CardOptions::default()
    }
}

fn crous_service(fake: &CrousFake) -> CrousService {
    CrousService {
        client: CrousClient::new(CrousSettings {
            api_url: fake.url(),
            token_url: fake.url(),
            client_id: "guichet".into(),
            client_secret: "s3cret".into(),
            timeout: Duration::from_secs(3),
        })
        .unwrap(),
        options: CrousOptions {
            ine_preferred: true,
            opt_in: "student,staff".into(),
            verify_every: SignedDuration::from_hours(24 * 7),
            tz: TimeZone::UTC,
        },
        rules: vec![guichet::domain::tariff::Rule {
            priority: 1,
            reference_status: Some("etd".into()),
            rne: None,
            indice_min: None,
            indice_max: None,
            id_company_rate: 10,
            id_rate: 1,
        }],
    }
}

fn escr_service(fake: &EscrFake) -> EscrService {
    EscrService {
        client: EscrClient::new(EscrSettings {
            api_url: fake.url(),
            key: "escr-key".into(),
            timeout: Duration::from_secs(3),
        })
        .unwrap(),
        options: EscrOptions {
            pic: Some(PIC.into()),
            country_code: "FR".into(),
            opt_in: "student".into(),
            card_type: "SMART_NO_CDZ".into(),
            processor: None,
            verify_every: SignedDuration::from_hours(24 * 7),
            tz: TimeZone::UTC,
        },
    }
}

fn limits() -> Limits {
    Limits {
        max_tries: 3,
        concurrency: 4,
        rate_per_second: 0,
        lease: Duration::from_secs(60),
    }
}

fn person(store: &Store, eppn: &str, ine: Option<&str>, affiliation: &str) -> i64 {
    store
        .write(|tx| {
            let rec = PersonRecord {
                eppn: Some(eppn.into()),
                ine: ine.map(str::to_string),
                surname: "Martin".into(),
                given_name: "Léa".into(),
                email: Some(format!("{}@mail.example", eppn.split('@').next().unwrap())),
                affiliation: affiliation.into(),
                due_date: Some(jiff::civil::date(2030, 9, 30)),
                editable: true,
                source: "test".into(),
                ..Default::default()
            };
            persons::insert(tx, &rec, Timestamp::now())
        })
        .unwrap()
}

fn walk(store: &Store, card: i64, to: CardState, req: Request, o: &CardOptions) {
    store
        .transition_card(
            card,
            to,
            &Actor::Operator("alice".into()),
            &req,
            o,
            Timestamp::now(),
        )
        .unwrap();
}

/// A card taken to ENABLED with chip `csn` (the enable queues the services of `o`).
fn enabled_card(store: &Store, person: i64, csn: &str, o: &CardOptions) -> i64 {
    let card = store
        .request_card(
            person,
            &Actor::Operator("alice".into()),
            None,
            o,
            Timestamp::now(),
        )
        .unwrap();
    for to in [
        CardState::RequestChecked,
        CardState::InPrint,
        CardState::Printed,
    ] {
        walk(store, card, to, Request::default(), o);
    }
    let req = Request {
        csn: Some(Csn::parse_hex(csn).unwrap()),
        ..Default::default()
    };
    walk(store, card, CardState::Encoded, req, o);
    walk(store, card, CardState::Enabled, Request::default(), o);
    card
}

fn calls(fake: &CrousFake) -> Vec<String> {
    fake.calls()
        .iter()
        .map(|c| format!("{} {}", c.method, c.path))
        .collect()
}

fn row(store: &Store, service: &str, person: i64) -> outbox::Item {
    store
        .read(|c| outbox::of_subject(c, service, person))
        .unwrap()
        .expect("an outbox row")
}

fn reenqueue(store: &Store, service: &str, person: i64) {
    store
        .write(|tx| outbox::enqueue(tx, service, "person", person, Timestamp::now()))
        .unwrap();
}

#[tokio::test]
async fn enable_queues_in_the_same_transaction_and_the_worker_sends_only_what_is_needed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    let fake = CrousFake::start("guichet", "s3cret");
    let o = opts(&[Service::Crous]);
    let p = person(&store, "lmartin@univ.example", None, "staff");
    let card = enabled_card(&store, p, "04A1B2C3D4E5F6", &o);
    // Queued with the state change, before any worker ran.
    assert_eq!(row(&store, "crous", p).status, "pending");
    assert_eq!(store.read(outbox::badge).unwrap().waiting, 1);

    let worker = Worker::new(
        store.clone(),
        Services {
            crous: Some(Arc::new(crous_service(&fake))),
            ..Services::default()
        },
        limits(),
    );
    let r = worker.drain().await;
    assert_eq!((r.runs, r.done), (1, 1), "{r:?}");
    let zdc = (99_990_000 + card).to_string();
    assert_eq!(
        calls(&fake),
        vec![
            "GET /beforeizly/v1/rightholders/lmartin@univ.example".to_string(),
            "POST /beforeizly/v1/rightholders".into(),
            format!("GET /beforeizly/v1/rightholders/lmartin@univ.example/smartcard/{zdc}"),
            "POST /beforeizly/v1/rightholders/lmartin@univ.example/smartcard".into(),
        ]
    );
    {
        let st = fake.state();
        let h = st.holder("lmartin@univ.example").unwrap();
        assert_eq!(h.record.email.as_deref(), Some("lmartin@mail.example"));
        assert_eq!(h.cards[&zdc].uid, "04A1B2C3D4E5F6");
    }
    assert_eq!(store.read(outbox::badge).unwrap().waiting, 0);
    assert_eq!(row(&store, "crous", p).status, "done");

    // Unchanged person: no call at all.
    fake.clear_calls();
    reenqueue(&store, "crous", p);
    worker.drain().await;
    assert_eq!(calls(&fake), Vec::<String>::new());
    assert_eq!(fake.token_calls(), 0);

    // A changed e-mail of a non-student: GET + PUT, nothing else.
    store
        .write(|tx| {
            tx.execute(
                "UPDATE persons SET email = 'lea.martin@univ.example' WHERE id = ?1",
                [p],
            )?;
            outbox::enqueue(tx, "crous", "person", p, Timestamp::now())
        })
        .unwrap();
    worker.drain().await;
    assert_eq!(
        calls(&fake),
        vec![
            "GET /beforeizly/v1/rightholders/lmartin@univ.example".to_string(),
            "PUT /beforeizly/v1/rightholders/lmartin@univ.example".into(),
        ]
    );

    // A changed identifier (the person now has an INE): PATCH then PUT.
    fake.clear_calls();
    store
        .write(|tx| {
            tx.execute("UPDATE persons SET ine = '0123456789A' WHERE id = ?1", [p])?;
            outbox::enqueue(tx, "crous", "person", p, Timestamp::now())
        })
        .unwrap();
    worker.drain().await;
    assert_eq!(
        calls(&fake),
        vec![
            "GET /beforeizly/v1/rightholders/lmartin@univ.example".to_string(),
            "PATCH /beforeizly/v1/rightholders/lmartin@univ.example".into(),
            "PUT /beforeizly/v1/rightholders/0123456789A".into(),
        ]
    );
    assert!(fake.state().holder("0123456789A").is_some());

    // A disable (lost) sends the DP reason with the uid header.
    fake.clear_calls();
    let req = Request {
        reason: Some(DisableReason::Lost),
        ..Default::default()
    };
    walk(&store, card, CardState::Disabled, req, &o);
    worker.drain().await;
    let c = fake.calls();
    let patch = c
        .iter()
        .find(|c| c.method == "PATCH" && c.path.contains("/smartcard/"))
        .expect("an invalidation");
    assert_eq!(patch.body.as_ref().unwrap()["reason"], "DP");
    assert_eq!(patch.uid_header.as_deref(), Some("04A1B2C3D4E5F6"));
    let st = fake.state();
    let (_, sc) = st.card(&zdc).unwrap();
    assert!(sc.cancelled);
    assert_eq!(sc.reason.as_deref(), Some("DP"));
}

#[tokio::test]
async fn students_are_never_downgraded_and_errors_follow_their_class() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    let fake = CrousFake::start("guichet", "s3cret");
    let o = opts(&[Service::Crous]);
    // CROUS holds this staff member as a student (société 10): no PUT, a recorded refusal.
    let p = person(&store, "student@univ.example", None, "staff");
    fake.add_right_holder(
        json!({"identifier": "student@univ.example", "firstName": "Léa",
        "lastName": "Martin", "email": "old@mail.example", "dueDate": "2030-09-30T00:00:00.000Z",
        "idCompanyRate": 10, "idRate": 1}),
    );
    enabled_card(&store, p, "04000000000001", &o);
    let worker = Worker::new(
        store.clone(),
        Services {
            crous: Some(Arc::new(crous_service(&fake))),
            ..Services::default()
        },
        limits(),
    );
    worker.drain().await;
    assert!(
        !calls(&fake).iter().any(|c| c.starts_with("PUT")),
        "{:?}",
        calls(&fake)
    );
    let r = row(&store, "crous", p);
    assert_eq!(r.status, "gave_up", "{r:?}");
    assert_eq!(r.error_code.as_deref(), Some("KO_BLOCKED"));
    assert_eq!(
        fake.state()
            .holder("student@univ.example")
            .unwrap()
            .record
            .id_company_rate,
        Some(10)
    );

    // 401 once: a new token and one retry.
    let q = person(&store, "token@univ.example", None, "staff");
    enabled_card(&store, q, "04000000000002", &o);
    fake.expire_tokens();
    let before = fake.token_calls();
    worker.drain().await;
    assert_eq!(row(&store, "crous", q).status, "done");
    assert_eq!(fake.token_calls(), before + 1);

    // 423 Locked: non-blocking, recorded.
    let l = person(&store, "locked@univ.example", None, "staff");
    fake.inject(Injection::new(
        Some("GET"),
        "/rightholders/locked@",
        0,
        Failure::status(423, None, "Locked"),
    ));
    enabled_card(&store, l, "04000000000003", &o);
    worker.drain().await;
    assert_eq!(row(&store, "crous", l).status, "gave_up");
    fake.clear_injections();

    // 500: retried by itself; after max_tries it goes to a human.
    let e = person(&store, "err500@univ.example", None, "staff");
    fake.inject(Injection::new(
        None,
        "/rightholders/err500@",
        0,
        Failure::status(500, None, "boom"),
    ));
    enabled_card(&store, e, "04000000000004", &o);
    worker.drain().await;
    let r = row(&store, "crous", e);
    assert_eq!((r.status.as_str(), r.tries), ("failed_retrying", 1));
    for _ in 0..2 {
        store
            .write(|tx| outbox::retry_now(tx, &[r.id], Timestamp::now()))
            .unwrap();
        worker.drain().await;
    }
    let r = row(&store, "crous", e);
    assert_eq!((r.status.as_str(), r.tries), ("needs_human", 3));
    assert!(r.blocking);
    fake.clear_injections();

    // 422 -11 on creation: blocking, needs a human at once.
    let x = person(&store, "exists@univ.example", None, "staff");
    fake.inject(Injection::new(
        Some("POST"),
        "/rightholders",
        1,
        Failure::status(422, Some("-11"), "Client existant"),
    ));
    enabled_card(&store, x, "04000000000005", &o);
    worker.drain().await;
    let r = row(&store, "crous", x);
    assert_eq!(r.status, "needs_human");
    assert_eq!(r.error_code.as_deref(), Some("-11"));
    fake.clear_injections();

    // 429 with Retry-After: the row waits that long.
    let t = person(&store, "busy@univ.example", None, "staff");
    fake.inject(Injection::new(
        None,
        "/rightholders/busy@",
        1,
        Failure::TooManyRequests {
            retry_after_secs: 120,
        },
    ));
    enabled_card(&store, t, "04000000000006", &o);
    worker.drain().await;
    let r = row(&store, "crous", t);
    assert_eq!(r.status, "failed_retrying");
    let next: Timestamp = r.next_attempt_at.parse().unwrap();
    let wait = next.duration_since(Timestamp::now());
    assert!(wait > SignedDuration::from_secs(100), "{wait:?}");

    // Needs-human rows are listed apart.
    let human = store
        .read(|c| {
            outbox::list(
                c,
                &Filter {
                    statuses: vec!["needs_human".into()],
                    ..Filter::default()
                },
            )
        })
        .unwrap();
    assert_eq!(human.len(), 2);
}

#[tokio::test]
async fn offline_desks_keep_working_and_the_queue_drains_when_the_services_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    let crous = CrousFake::start("guichet", "s3cret");
    let escr = EscrFake::start("escr-key", PIC);
    crous.set_offline(true);
    escr.set_offline(true);
    let o = opts(&[Service::Crous, Service::Escr]);
    let worker = Worker::new(
        store.clone(),
        Services {
            crous: Some(Arc::new(crous_service(&crous))),
            escr: Some(Arc::new(escr_service(&escr))),
            ..Services::default()
        },
        limits(),
    );
    let mut people = Vec::new();
    for i in 0..6 {
        let p = person(
            &store,
            &format!("s{i}@univ.example"),
            Some(&format!("000000000{i}A")),
            "student",
        );
        enabled_card(&store, p, &format!("0400000000001{i}"), &o);
        people.push(p);
        // The desk keeps working while the services are away.
        let r = worker.drain().await;
        assert!(!r.offline.is_empty(), "{r:?}");
    }
    let badge = store.read(outbox::badge).unwrap();
    assert_eq!(badge.waiting, 12);
    // Nothing counted as a try while offline.
    for p in &people {
        assert_eq!(row(&store, "crous", *p).tries, 0);
    }
    crous.set_offline(false);
    escr.set_offline(false);
    let mut rounds = 0;
    while store.read(outbox::badge).unwrap().waiting > 0 {
        rounds += 1;
        assert!(rounds < 200, "the queue did not drain");
        worker.drain().await;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(crous.state().holder_creations.len(), 6);
    assert!(crous.state().holder_creations.values().all(|n| *n == 1));
    let e = escr.state();
    assert_eq!(e.person_creations.len(), 6);
    assert_eq!(e.cards.len(), 6);
    assert!(
        e.cards
            .values()
            .all(|c| c.card_status_type == "ACTIVE" && c.issuer_identifier == PIC)
    );
}

#[tokio::test]
async fn escr_enable_disable_and_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    let fake = EscrFake::start("escr-key", PIC);
    let o = opts(&[Service::Escr]);
    let worker = Worker::new(
        store.clone(),
        Services {
            escr: Some(Arc::new(escr_service(&fake))),
            ..Services::default()
        },
        limits(),
    );
    // No INE: no European card, nothing sent.
    let n = person(&store, "noine@univ.example", None, "student");
    enabled_card(&store, n, "04000000000020", &o);
    worker.drain().await;
    assert!(fake.calls().is_empty());
    assert_eq!(row(&store, "escr", n).status, "done");

    let p = person(&store, "ine@univ.example", Some("1111111111A"), "student");
    let card = enabled_card(&store, p, "04000000000021", &o);
    worker.drain().await;
    let esi = "urn:schac:personalUniqueCode:int:esi:fr:1111111111A";
    {
        let st = fake.state();
        assert!(st.persons.contains_key(esi));
        assert_eq!(st.cards.len(), 1);
    }
    // Disabled: the card is revoked, the person stays.
    let req = Request {
        reason: Some(DisableReason::Theft),
        ..Default::default()
    };
    walk(&store, card, CardState::Disabled, req, &o);
    worker.drain().await;
    {
        let st = fake.state();
        assert!(st.cards.is_empty());
        assert!(st.persons.contains_key(esi));
    }
    // Enabled again, then expired (the sync's CADUC): the router person is deleted.
    walk(&store, card, CardState::Enabled, Request::default(), &o);
    worker.drain().await;
    assert_eq!(fake.state().cards.len(), 1);
    store
        .transition_card(
            card,
            CardState::Caduc,
            &Actor::Sync,
            &Request::default(),
            &o,
            Timestamp::now(),
        )
        .unwrap();
    worker.drain().await;
    assert!(!fake.state().persons.contains_key(esi));

    // Another organisation's person: SE-0000, recorded, not retried.
    let f = person(
        &store,
        "foreign@univ.example",
        Some("2222222222B"),
        "student",
    );
    fake.add_foreign_person(
        "urn:schac:personalUniqueCode:int:esi:fr:2222222222B",
        "111111111",
    );
    enabled_card(&store, f, "04000000000022", &o);
    worker.drain().await;
    let r = row(&store, "escr", f);
    assert_eq!(r.status, "gave_up");
    assert_eq!(r.error_code.as_deref(), Some("SE-0000"));
}

#[tokio::test]
async fn managers_tools_compare_patch_reopen_rules_and_migrations() {
    use guichet::remote::actions;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    let fake = CrousFake::start("guichet", "s3cret");
    let o = opts(&[Service::Crous]);
    let p = person(&store, "tools@univ.example", None, "staff");
    enabled_card(&store, p, "04000000000030", &o);
    let crous = Arc::new(crous_service(&fake));
    let services = Services {
        crous: Some(crous.clone()),
        ..Services::default()
    };
    let worker = Worker::new(
        store.clone(),
        Services {
            crous: Some(crous.clone()),
            ..Services::default()
        },
        limits(),
    );
    worker.drain().await;

    // Local next to live remote values.
    fake.state()
        .right_holders
        .get_mut("tools@univ.example")
        .unwrap()
        .record
        .email = Some("remote@mail.example".into());
    let cmp = actions::compare(&services, &store, "crous", p, Timestamp::now())
        .await
        .unwrap();
    assert_eq!(cmp.found_under.as_deref(), Some("tools@univ.example"));
    let email = cmp.rows.iter().find(|r| r.field == "email").unwrap();
    assert_eq!(
        (email.local.as_str(), email.remote.as_str()),
        ("tools@mail.example", "remote@mail.example")
    );

    // A manual identifier change, then the person follows it.
    actions::patch_identifier(&crous, "tools@univ.example", "T00LS", "remote@mail.example")
        .await
        .unwrap();
    actions::adopt_identifier(&store, p, "T00LS", Timestamp::now()).unwrap();
    assert!(fake.state().holder("T00LS").is_some());
    worker.drain().await;
    assert_eq!(row(&store, "crous", p).status, "done");

    // Re-open a closed account.
    fake.state()
        .right_holders
        .get_mut("T00LS")
        .unwrap()
        .record
        .account_status = Some("CLOTURE".into());
    actions::reopen(&crous, &store, p, Timestamp::now())
        .await
        .unwrap();
    assert_eq!(
        fake.state()
            .holder("T00LS")
            .unwrap()
            .record
            .account_status
            .as_deref(),
        Some("ACTIF")
    );
    assert_eq!(row(&store, "crous", p).status, "pending");

    // Option off: the row closes without a call.
    actions::crous_option(&store, p, false, Timestamp::now()).unwrap();
    fake.clear_calls();
    worker.drain().await;
    assert!(fake.calls().is_empty());
    let r = row(&store, "crous", p);
    assert_eq!(r.status, "done");
    assert!(r.last_result.unwrap().contains("CROUS"));

    // Tariff rules from the API; an empty answer keeps them.
    fake.set_rules(
        "12",
        "0123456Y",
        json!([{"statusCode": "prs", "indexMin": 0, "indexMax": 0, "idCompanyRate": 78, "idRate": 99},
               {"statusCode": "etd", "idCompanyRate": 10, "idRate": 1}]),
    );
    let src = guichet::config::RuleSource {
        crous: "12".into(),
        rne: "0123456Y".into(),
        priority: 5,
    };
    let out =
        actions::refresh_rules(&crous, &store, std::slice::from_ref(&src), Timestamp::now()).await;
    assert_eq!(out[0].1.as_ref().copied().unwrap(), 2);
    fake.set_rules("12", "0123456Y", json!([]));
    actions::refresh_rules(&crous, &store, &[src], Timestamp::now()).await;
    assert_eq!(store.read(guichet::store::remote::rules).unwrap().len(), 2);

    // A migration batch: one line succeeds, one fails (unknown account), the failure is retried.
    let lines = vec![
        (
            2,
            "T00LS".to_string(),
            "tools2@univ.example".to_string(),
            "remote@mail.example".to_string(),
        ),
        (
            3,
            "nobody@univ.example".to_string(),
            "x@univ.example".to_string(),
            "x@mail.example".to_string(),
        ),
    ];
    store
        .write(|tx| guichet::store::remote::insert_patch_batch(tx, "b1", &lines, Timestamp::now()))
        .unwrap();
    let (ok, failed) = actions::run_patch_batch(&crous, &store, "b1", false)
        .await
        .unwrap();
    assert_eq!((ok, failed), (1, 1));
    let rows = store
        .read(|c| guichet::store::remote::patch_rows(c, Some("b1")))
        .unwrap();
    assert_eq!(rows[0].status, "done");
    assert_eq!(rows[1].status, "failed");
    assert!(rows[1].message.as_deref().unwrap_or("").contains("404") || rows[1].message.is_some());
    fake.add_right_holder(json!({"identifier": "nobody@univ.example", "firstName": "N", "lastName": "B",
        "email": "x@mail.example", "dueDate": "2030-09-30T00:00:00.000Z", "idCompanyRate": 78, "idRate": 99}));
    let (ok, failed) = actions::run_patch_batch(&crous, &store, "b1", true)
        .await
        .unwrap();
    assert_eq!((ok, failed), (1, 0));
    assert!(fake.state().holder("x@univ.example").is_some());
}
