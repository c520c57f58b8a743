//! LDAP write-back of card identifiers against a real slapd (crous-escr.md §5): values added on ENABLED,
//! removed on DISABLED, idempotent on replay, with a write account separate from the sync's reader.

mod support;

use std::sync::Arc;
use std::time::Duration;

use guichet::directory::client::ConnectSettings;
use guichet::domain::card::{Actor, CardState, DisableReason, Request, Service};
use guichet::domain::ids::Csn;
use guichet::domain::person::PersonRecord;
use guichet::remote::ldap_template::parse_templates;
use guichet::remote::ldap_writeback::Writeback;
use guichet::remote::worker::{Limits, Services, Worker};
use guichet::store::cards::CardOptions;
use guichet::store::{Store, outbox, persons, remote};
use jiff::{SignedDuration, Timestamp};
use support::slapd::{Slapd, SlapdOptions};

const SUFFIX: &str = "dc=univ-guichet,dc=fr";

fn values(slapd: &Slapd, eppn: &str) -> Vec<String> {
    let mut v: Vec<String> = slapd
        .search(
            SUFFIX,
            &format!("(eduPersonPrincipalName={eppn})"),
            &["supannRefId"],
        )
        .lines()
        .filter_map(|l| l.strip_prefix("supannRefId: ").map(str::to_string))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn values_are_added_on_enable_removed_on_disable_and_replays_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(support::guichet())
        .args([
            "gen-ldif",
            "--preset",
            "supann",
            "--persons",
            "20",
            "--groups",
            "2",
            "--max-group",
            "5",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let ldif = tmp.path().join("supann.ldif");
    std::fs::write(&ldif, &out.stdout).unwrap();
    let eppn = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("eduPersonPrincipalName: ")
                .map(str::to_string)
        })
        .expect("an eppn in the generated directory");
    let Some(slapd) = Slapd::start(SlapdOptions {
        suffix: SUFFIX.to_string(),
        ldif: Some(ldif),
        ..SlapdOptions::default()
    }) else {
        return;
    };
    let before = values(&slapd, &eppn);

    let store = Store::open(&tmp.path().join("guichet.db")).unwrap();
    let o = CardOptions {
        services: vec![Service::LdapWriteback],
        ..CardOptions::default()
    };
    let person = store
        .write(|tx| {
            let rec = PersonRecord {
                eppn: Some(eppn.clone()),
                surname: "Martin".into(),
                given_name: "Léa".into(),
                affiliation: "staff".into(),
                editable: true,
                source: "test".into(),
                ..Default::default()
            };
            persons::insert(tx, &rec, Timestamp::now())
        })
        .unwrap();
    let actor = Actor::Operator("alice".into());
    let card = store
        .request_card(person, &actor, None, &o, Timestamp::now())
        .unwrap();
    let step = |to: CardState, req: Request| {
        store
            .transition_card(card, to, &actor, &req, &o, Timestamp::now())
            .unwrap();
    };
    for to in [
        CardState::RequestChecked,
        CardState::InPrint,
        CardState::Printed,
    ] {
        step(to, Request::default());
    }
    step(
        CardState::Encoded,
        Request {
            csn: Some(Csn::parse_hex("04A1B2C3D4E5F6").unwrap()),
            ..Default::default()
        },
    );
    store
        .write(|tx| {
            tx.execute(
                "UPDATE cards SET desfire_ids = '{\"access control\":\"1000042\"}' WHERE id = ?1",
                [card],
            )?;
            Ok(())
        })
        .unwrap();
    step(CardState::Enabled, Request::default());

    let wb = Writeback {
        connect: ConnectSettings {
            url: slapd.url(),
            tls: guichet::config::TlsMode::None,
            ca_file: None,
            // The write account: the sync's reader may not write.
            bind_dn: Some(slapd.admin_dn()),
            password: Some(slapd.admin_password().to_string()),
            timeout: Duration::from_secs(5),
        },
        base: SUFFIX.into(),
        filter: "(eduPersonPrincipalName={0})".into(),
        templates: parse_templates(
            "supannRefId: {ISO15693}%csn%\nsupannRefId: {UNIV-GUICHET:ACCESS-CONTROL}%access-control%",
        )
        .unwrap(),
        country_code: "FR".into(),
        verify_every: SignedDuration::from_hours(24),
    };
    let worker = Worker::new(
        store.clone(),
        Services {
            ldap: Some(Arc::new(wb)),
            ..Services::default()
        },
        Limits::default(),
    );
    let r = worker.drain().await;
    assert_eq!(r.done, 1, "{r:?}");
    let mut expected = before.clone();
    expected.push("{ISO15693}04A1B2C3D4E5F6".into());
    expected.push("{UNIV-GUICHET:ACCESS-CONTROL}1000042".into());
    expected.sort();
    assert_eq!(values(&slapd, &eppn), expected);

    // Replay with the fingerprint forgotten: the values are there once, nothing fails.
    store
        .write(|tx| {
            remote::forget_fingerprint(tx, "ldap", person)?;
            outbox::enqueue(tx, "ldap", "person", person, Timestamp::now())
        })
        .unwrap();
    let r = worker.drain().await;
    assert_eq!(r.done, 1, "{r:?}");
    assert_eq!(values(&slapd, &eppn), expected);

    // Disabled: our values are removed, the others stay.
    step(
        CardState::Disabled,
        Request {
            reason: Some(DisableReason::Lost),
            ..Default::default()
        },
    );
    let r = worker.drain().await;
    assert_eq!(r.done, 1, "{r:?}");
    assert_eq!(values(&slapd, &eppn), before);
    // And replaying the removal is harmless.
    store
        .write(|tx| {
            remote::forget_fingerprint(tx, "ldap", person)?;
            outbox::enqueue(tx, "ldap", "person", person, Timestamp::now())
        })
        .unwrap();
    assert_eq!(worker.drain().await.done, 1);
    assert_eq!(values(&slapd, &eppn), before);
}
