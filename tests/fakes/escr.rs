//! The ESC-R v2 fake against shared/reference/crous-escr.md §3: the Bearer key, persons and their
//! organisation, cards, paging, the error codes, injected failures, offline/online and the counters.

use std::time::Duration;

use serde_json::{Value, json};

use super::support::escr_fake::{EscrEvent, EscrFake, is_escn};
use super::support::http_fake::{Failure, Injection};
use super::{Answer, assert_offline, call, client, client_with_timeout, send};

const KEY: &str = "esc-key-123";
const PIC: &str = "999888777";
const OTHER_PIC: &str = "111222333";
const ESCN: &str = "d88b02c1-894e-1038-a711-001999465982";

fn esi(ine: &str) -> String {
    format!("urn:schac:personalUniqueCode:int:esi:fr:{ine}")
}

fn person(ine: &str) -> Value {
    json!({
        "identifier": esi(ine),
        "fullName": "DUPRÉ Hélène",
        "personOrganisationUpdateViews": [
            {"organisationIdentifier": PIC, "email": "helene@univ.fr", "academicLevel": "MASTER"}
        ],
    })
}

fn esc_card(number: &str, ine: &str) -> Value {
    json!({
        "cardNumber": number, "cardStatusType": "ACTIVE", "cardType": "SMART_NO_CDZ",
        "expiresAt": "2027-08-31", "issuedAt": "2025-09-01", "issuerIdentifier": PIC,
        "personIdentifier": esi(ine),
    })
}

fn escr_err(code: Option<&str>, message: &str) -> Value {
    json!({"code": code, "message": message})
}

struct Router {
    fake: EscrFake,
    client: reqwest::Client,
}

impl Router {
    fn start() -> Router {
        Router {
            fake: EscrFake::start(KEY, PIC),
            client: client(),
        }
    }

    async fn api(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        let bearer = format!("Bearer {KEY}");
        let url = format!("{}{path}", self.fake.url());
        call(
            &self.client,
            method,
            &url,
            &[("Authorization", &bearer)],
            body,
        )
        .await
    }
}

#[tokio::test]
async fn checks_the_bearer_key() {
    let r = Router::start();
    assert!(r.fake.url().ends_with("/esc-rest/api/v2"));
    let url = format!("{}/persons", r.fake.url());
    for headers in [
        vec![],
        vec![("Authorization", "Bearer wrong")],
        vec![("Key", KEY)],
    ] {
        let answer = call(&r.client, "GET", &url, &headers, None).await;
        assert_eq!(
            (answer.status, answer.json),
            (401, escr_err(None, "Unauthorized"))
        );
    }
    assert_eq!(r.api("GET", "/persons", None).await.status, 200);
    let outside = format!("{}/persons", r.fake.http().url());
    let answer = call(
        &r.client,
        "GET",
        &outside,
        &[("Authorization", &format!("Bearer {KEY}"))],
        None,
    )
    .await;
    assert_eq!(answer.status, 404);
}

#[tokio::test]
async fn manages_persons() {
    let r = Router::start();
    let answer = r.api("POST", "/persons", Some(&person("111A"))).await;
    assert_eq!((answer.status, answer.json), (201, person("111A")));
    let path = format!("/persons/{}", esi("111A"));
    let answer = r.api("GET", &path, None).await;
    assert_eq!((answer.status, answer.json), (200, person("111A")));
    let answer = r.api("POST", "/persons", Some(&person("111A"))).await;
    assert_eq!(
        (answer.status, answer.json),
        (
            409,
            escr_err(Some("ER-0019"), "User already exists for this organisation")
        )
    );
    let answer = r
        .api("GET", &format!("/persons/{}", esi("404")), None)
        .await;
    assert_eq!(
        (answer.status, answer.json["code"].clone()),
        (404, Value::Null)
    );
    // Another organisation's person: SE-0000 on every call.
    r.fake.add_foreign_person(&esi("222B"), OTHER_PIC);
    let foreign = format!("/persons/{}", esi("222B"));
    let denied = escr_err(Some("SE-0000"), "Access denied");
    for (method, body) in [
        ("GET", None),
        ("PUT", Some(person("222B"))),
        ("DELETE", None),
    ] {
        let answer = r.api(method, &foreign, body.as_ref()).await;
        assert_eq!((answer.status, &answer.json), (403, &denied), "{method}");
    }
    assert_eq!(
        r.api("POST", "/persons", Some(&person("222B"))).await.json,
        denied
    );
    // PUT replaces the views and the name, never the ESI.
    let mut changed = person("111A");
    changed["fullName"] = json!("MARTIN Hélène");
    changed["personOrganisationUpdateViews"][0]["academicLevel"] = json!("DOCTORATE");
    let answer = r.api("PUT", &path, Some(&changed)).await;
    assert_eq!((answer.status, &answer.json), (200, &changed));
    assert_eq!(r.api("GET", &path, None).await.json, changed);
    assert_eq!(r.api("PUT", &path, Some(&person("999Z"))).await.status, 400);
    assert_eq!(
        r.api(
            "PUT",
            &format!("/persons/{}", esi("404")),
            Some(&person("404"))
        )
        .await
        .status,
        404
    );
    for bad in [
        json!({"identifier": esi("3"), "personOrganisationUpdateViews": []}),
        json!({"identifier": esi("3"), "personOrganisationUpdateViews": [{"organisationIdentifier": ""}]}),
        json!({"identifier": esi("3"), "personOrganisationUpdateViews": [{"organisationIdentifier": PIC, "academicLevel": "6"}]}),
        json!({"fullName": "X", "personOrganisationUpdateViews": [{"organisationIdentifier": PIC}]}),
        json!("person"),
    ] {
        assert_eq!(
            r.api("POST", "/persons", Some(&bad)).await.status,
            400,
            "{bad}"
        );
    }
    // Null fields are omitted.
    let minimal = json!({"identifier": esi("4"), "personOrganisationUpdateViews": [{"organisationIdentifier": PIC}]});
    assert_eq!(
        r.api("POST", "/persons", Some(&minimal)).await.json,
        minimal
    );
    assert_eq!(r.api("DELETE", &path, None).await.status, 204);
    assert_eq!(r.api("GET", &path, None).await.status, 404);
    assert_eq!(r.api("DELETE", &path, None).await.status, 404);
    let state = r.fake.state();
    assert_eq!(state.person_creations.get(&esi("111A")), Some(&1));
    assert_eq!(state.person_creations.get(&esi("222B")), None);
    assert_eq!(
        state.history,
        [
            EscrEvent::PersonCreated(esi("111A")),
            EscrEvent::PersonUpdated(esi("111A")),
            EscrEvent::PersonCreated(esi("4")),
            EscrEvent::PersonDeleted(esi("111A")),
        ]
    );
}

#[tokio::test]
async fn pages_our_persons() {
    let r = Router::start();
    for i in 0..5 {
        assert_eq!(
            r.api("POST", "/persons", Some(&person(&format!("P{i}"))))
                .await
                .status,
            201
        );
    }
    r.fake.add_foreign_person(&esi("F"), OTHER_PIC);
    let answer = r.api("GET", "/persons?page=1&size=2", None).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json,
        json!({
            "content": [
                {"identifier": esi("P2"), "fullName": "DUPRÉ Hélène"},
                {"identifier": esi("P3"), "fullName": "DUPRÉ Hélène"},
            ],
            "empty": false,
            "page": {"number": 1, "size": 2, "totalElements": 5, "totalPages": 3},
        })
    );
    let last = r.api("GET", "/persons?page=2&size=2", None).await.json;
    assert_eq!(last["content"].as_array().map(Vec::len), Some(1));
    let beyond = r.api("GET", "/persons?page=9&size=200", None).await.json;
    assert_eq!(
        (
            beyond["empty"].clone(),
            beyond["page"]["totalPages"].clone()
        ),
        (json!(true), json!(1))
    );
    let default = r.api("GET", "/persons", None).await.json;
    assert_eq!(
        (
            default["page"]["number"].clone(),
            default["page"]["size"].clone()
        ),
        (json!(0), json!(20))
    );
    for bad in [
        "page=-1",
        "size=0",
        "size=2001",
        "page=x",
        "size=99999999999999999999999",
    ] {
        assert_eq!(
            r.api("GET", &format!("/persons?{bad}"), None).await.status,
            400,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn manages_cards() {
    let r = Router::start();
    r.api("POST", "/persons", Some(&person("111A"))).await;
    r.fake.add_foreign_person(&esi("222B"), OTHER_PIC);
    let answer = r.api("POST", "/cards", Some(&esc_card(ESCN, "111A"))).await;
    assert_eq!((answer.status, answer.json), (201, esc_card(ESCN, "111A")));
    let answer = r.api("POST", "/cards", Some(&esc_card(ESCN, "111A"))).await;
    assert_eq!(
        (answer.status, answer.json),
        (409, escr_err(Some("ER-0002"), "Card already exists"))
    );
    let other = "00000000-0000-1000-8000-000000000001";
    assert_eq!(
        r.api("POST", "/cards", Some(&esc_card(other, "404")))
            .await
            .status,
        404
    );
    assert_eq!(
        r.api("POST", "/cards", Some(&esc_card(other, "222B")))
            .await
            .json["code"],
        "SE-0000"
    );
    let mutations: [(&str, Value); 8] = [
        ("cardNumber", json!("not-an-escn")),
        ("cardStatusType", json!("SUSPENDED")),
        ("cardType", json!(2)),
        ("expiresAt", json!("2027-08-31T00:00:00")),
        ("issuedAt", json!("2025-02-30")),
        ("issuerIdentifier", json!("")),
        ("personIdentifier", json!(null)),
        ("cardType", json!("SMART")),
    ];
    for (field, value) in mutations {
        let mut bad = esc_card(other, "111A");
        bad[field] = value;
        assert_eq!(
            r.api("POST", "/cards", Some(&bad)).await.status,
            400,
            "{field}"
        );
    }
    let mut with_processor = esc_card(other, "111A");
    with_processor["processorIdentifier"] = json!("FR123");
    with_processor["cardType"] = json!("SMART_CDZ");
    assert_eq!(
        r.api("POST", "/cards", Some(&with_processor)).await.json,
        with_processor
    );
    // PUT, status, DELETE.
    let mut inactive = esc_card(ESCN, "111A");
    inactive["cardStatusType"] = json!("INACTIVE");
    let answer = r
        .api("PUT", &format!("/cards/{ESCN}"), Some(&inactive))
        .await;
    assert_eq!((answer.status, &answer.json), (200, &inactive));
    let answer = r.api("GET", &format!("/cards/{ESCN}/status"), None).await;
    assert_eq!(
        (answer.status, answer.json),
        (
            200,
            json!({"cardNumber": ESCN, "status": "INACTIVE", "expiresAt": "2027-08-31", "issuedAt": "2025-09-01", "issuerIdentifier": PIC})
        )
    );
    assert_eq!(
        r.api(
            "PUT",
            &format!("/cards/{ESCN}"),
            Some(&esc_card(other, "111A"))
        )
        .await
        .status,
        400
    );
    assert_eq!(
        r.api(
            "PUT",
            &format!("/cards/{ESCN}"),
            Some(&esc_card(ESCN, "222B"))
        )
        .await
        .status,
        400
    );
    let missing = "00000000-0000-1000-8000-00000000dead";
    assert_eq!(
        r.api(
            "PUT",
            &format!("/cards/{missing}"),
            Some(&esc_card(missing, "111A"))
        )
        .await
        .status,
        404
    );
    assert_eq!(
        r.api("GET", &format!("/cards/{missing}/status"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        r.api("DELETE", &format!("/cards/{missing}"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        r.api("DELETE", &format!("/cards/{ESCN}"), None)
            .await
            .status,
        204
    );
    assert_eq!(
        r.api("GET", &format!("/cards/{ESCN}/status"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        r.api("GET", &format!("/cards/{ESCN}"), None).await.status,
        405
    );
    // Deleting the person deletes its remaining card.
    assert_eq!(
        r.api("DELETE", &format!("/persons/{}", esi("111A")), None)
            .await
            .status,
        204
    );
    assert_eq!(
        r.api("GET", &format!("/cards/{other}/status"), None)
            .await
            .status,
        404
    );
    let state = r.fake.state();
    assert_eq!(state.card_creations.get(ESCN), Some(&1));
    assert_eq!(state.card_creations.get(other), Some(&1));
    assert!(state.cards.is_empty());
    assert_eq!(
        state.history,
        [
            EscrEvent::PersonCreated(esi("111A")),
            EscrEvent::CardCreated(ESCN.into()),
            EscrEvent::CardCreated(other.into()),
            EscrEvent::CardUpdated(ESCN.into()),
            EscrEvent::CardDeleted(ESCN.into()),
            EscrEvent::PersonDeleted(esi("111A")),
        ]
    );
}

#[test]
fn recognises_escns() {
    assert!(is_escn(ESCN));
    assert!(is_escn("D88B02C1-894E-1038-A711-001999465982"));
    for bad in [
        "",
        "d88b02c1894e1038a711001999465982",
        "d88b02c1-894e-1038-a711-00199946598",
        "g88b02c1-894e-1038-a711-001999465982",
        "d88b02c1-894e-1038-a711-001999465982-1",
    ] {
        assert!(!is_escn(bad), "{bad}");
    }
}

#[tokio::test]
async fn injected_failures_offline_and_the_call_log() {
    let r = Router::start();
    r.fake.inject(Injection::new(
        Some("POST"),
        "/cards",
        1,
        Failure::status(500, Some("ER-9999"), "boom"),
    ));
    let answer = r.api("POST", "/cards", Some(&esc_card(ESCN, "1"))).await;
    assert_eq!(
        (answer.status, answer.json),
        (500, escr_err(Some("ER-9999"), "boom"))
    );
    r.fake.inject(Injection::new(
        None,
        "/persons",
        1,
        Failure::TooManyRequests {
            retry_after_secs: 3,
        },
    ));
    let answer = r.api("GET", "/persons", None).await;
    assert_eq!(
        (answer.status, answer.retry_after.as_deref()),
        (429, Some("3"))
    );
    assert_eq!(answer.json, escr_err(None, "Too Many Requests"));
    r.fake.inject(Injection::new(
        Some("POST"),
        "/persons",
        1,
        Failure::Slow(Duration::from_millis(600)),
    ));
    let impatient = client_with_timeout(Duration::from_millis(150));
    let bearer = format!("Bearer {KEY}");
    let url = format!("{}/persons", r.fake.url());
    let error = send(
        &impatient,
        "POST",
        &url,
        &[("Authorization", &bearer)],
        Some(&person("S")),
    )
    .await
    .expect_err("times out");
    assert!(error.is_timeout(), "{error}");
    assert_eq!(
        r.fake.state().person_creations.get(&esi("S")),
        Some(&1),
        "applied anyway"
    );
    r.fake
        .inject(Injection::new(Some("DELETE"), "", 0, Failure::Drop));
    let path = format!("{url}/{}", esi("S"));
    assert!(
        send(
            &r.client,
            "DELETE",
            &path,
            &[("Authorization", &bearer)],
            None
        )
        .await
        .is_err()
    );
    r.fake.clear_injections();
    assert_eq!(
        r.api("DELETE", &format!("/persons/{}", esi("S")), None)
            .await
            .status,
        204
    );
    let calls = r.fake.calls();
    assert_eq!(
        calls.first().map(|c| (c.method.as_str(), c.status)),
        Some(("POST", 500))
    );
    assert_eq!(
        calls.first().and_then(|c| c.body.clone()),
        Some(esc_card(ESCN, "1"))
    );
    assert!(calls.iter().any(|c| c.method == "DELETE" && c.status == 0));
    assert_eq!(
        calls.last().map(|c| c.path.clone()),
        Some(format!("/esc-rest/api/v2/persons/{}", esi("S")))
    );
    r.fake.clear_calls();
    assert!(r.fake.calls().is_empty());
    r.fake.set_offline(true);
    assert_offline(&r.client, &url, &[("Authorization", &bearer)]).await;
    r.fake.set_offline(false);
    assert_eq!(r.api("GET", "/persons", None).await.status, 200);
    assert_eq!(r.fake.calls().len(), 1);
}
