//! The CROUS/Izly fake, continued: smart cards (§2.3, §2.7), tariff rules, injected failures (§2.11,
//! §2.17), offline/online and the call log.

use std::time::Duration;

use serde_json::{Value, json};

use super::crous::{RH, Session, card, code, err, holder, invalidate, revalidate};
use super::support::crous_fake::{CrousEvent, CrousFake};
use super::support::http_fake::{Failure, Injection};
use super::{PAST, assert_offline, client, client_with_timeout, send};

#[tokio::test]
async fn adds_and_reads_smart_cards() {
    let s = Session::start().await;
    s.fake.add_right_holder(holder("h1"));
    let post = format!("{RH}/h1/smartcard");
    let mut sent = card(99990001, "04A1B2C3D4E5F6");
    sent["extra"] = json!("dropped");
    let answer = s.api("POST", &post, Some(&sent)).await;
    assert_eq!(
        (answer.status, answer.json.clone()),
        (201, card(99990001, "04A1B2C3D4E5F6"))
    );
    let answer = s.api("GET", &format!("{post}/99990001"), None).await;
    assert_eq!(
        (answer.status, answer.json),
        (200, card(99990001, "04A1B2C3D4E5F6"))
    );
    assert_eq!(s.api("GET", &format!("{post}/123"), None).await.status, 404);
    assert_eq!(
        s.api("GET", &format!("{RH}/nobody/smartcard/1"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        s.api(
            "POST",
            &format!("{RH}/nobody/smartcard"),
            Some(&card(5, "04BB"))
        )
        .await
        .status,
        404
    );
    // An idZdc sent as a string is the same card.
    let answer = s
        .api(
            "POST",
            &post,
            Some(&json!({"idZdc": "99990001", "uid": "04CC"})),
        )
        .await;
    assert_eq!((answer.status, code(&answer)), (422, Some("-10")));
    assert_eq!(answer.json["errors"][0]["field"], "idZdc");
    let answer = s.api("POST", &post, Some(&card(2, "04A1B2C3D4E5F6"))).await;
    assert_eq!(
        (answer.status, &answer.json["errors"][0]["field"]),
        (422, &json!("uid"))
    );
    for bad in [
        card(3, "04a1b2"),
        json!({"idZdc": 3}),
        json!({"uid": "04DD"}),
        json!({"idZdc": 3, "uid": "04DD", "zdcCreationDate": "01/09/2025"}),
        json!("card"),
    ] {
        assert_eq!(s.api("POST", &post, Some(&bad)).await.status, 400, "{bad}");
    }
    let state = s.fake.state();
    assert_eq!(state.card_creations.get("99990001"), Some(&1));
    assert_eq!(state.card_creations.len(), 1);
    let (owner, stored) = state.card("99990001").expect("stored");
    assert_eq!(
        (owner, stored.uid.as_str(), stored.cancelled),
        ("h1", "04A1B2C3D4E5F6", false)
    );
}

#[tokio::test]
async fn invalidates_and_revalidates_smart_cards() {
    let s = Session::start().await;
    s.fake.add_right_holder(holder("h1"));
    s.fake.add_smart_card("h1", card(42, "04A1B2"));
    let path = format!("{RH}/h1/smartcard/42");
    let patch = |uid: Option<&'static str>, body: Value| {
        let path = path.clone();
        let s = &s;
        async move { s.api_uid("PATCH", &path, uid, Some(&body)).await }
    };
    assert_eq!(
        patch(None, invalidate("DP")).await.status,
        400,
        "no uid header"
    );
    assert_eq!(
        patch(Some("04a1b2"), invalidate("DP")).await.status,
        400,
        "lower case"
    );
    assert_eq!(
        patch(Some("04FFFF"), invalidate("DP")).await.status,
        400,
        "another card"
    );
    assert_eq!(
        patch(Some("04A1B2"), invalidate("XX")).await.status,
        400,
        "reason"
    );
    assert_eq!(
        patch(
            Some("04A1B2"),
            json!({"cancelDate": "", "revalidationDate": ""})
        )
        .await
        .status,
        400
    );
    let both = json!({"cancelDate": "2026-01-10T10:00:00.000Z", "revalidationDate": "2026-01-10T10:00:00.000Z", "reason": "DP"});
    assert_eq!(patch(Some("04A1B2"), both).await.status, 400);
    let bad_date = json!({"cancelDate": "10/01/2026", "reason": "DP", "revalidationDate": ""});
    assert_eq!(patch(Some("04A1B2"), bad_date).await.status, 400);
    let unknown = s
        .api_uid(
            "PATCH",
            &format!("{RH}/h1/smartcard/43"),
            Some("04A1B2"),
            Some(&revalidate()),
        )
        .await;
    assert_eq!(unknown.status, 404);
    for reason in ["DV", "CD", "HS"] {
        assert_eq!(patch(Some("04A1B2"), revalidate()).await.status, 200);
        assert_eq!(patch(Some("04A1B2"), invalidate(reason)).await.status, 200);
    }
    let again = patch(Some("04A1B2"), invalidate("DP")).await;
    assert_eq!((again.status, code(&again)), (422, Some("-9")));
    {
        let state = s.fake.state();
        let (_, stored) = state.card("42").expect("card");
        assert!(stored.cancelled);
        assert_eq!(stored.reason.as_deref(), Some("HS"));
        assert_eq!(
            stored.cancel_date.as_deref(),
            Some("2026-01-10T10:00:00.000Z")
        );
        assert_eq!(
            stored.revalidation_date.as_deref(),
            Some("2026-01-11T10:00:00.000Z")
        );
        assert_eq!((stored.revalidations, stored.invalidations), (3, 3));
        assert_eq!(state.history.len(), 6);
        assert_eq!(
            state.history.last(),
            Some(&CrousEvent::CardInvalidated {
                holder: "h1".into(),
                id_zdc: "42".into(),
                reason: "HS".into()
            })
        );
    }
    // Revalidating when the holder's rights are over: -8.
    s.fake
        .state()
        .right_holders
        .get_mut("h1")
        .expect("h1")
        .record
        .due_date = Some(PAST.into());
    let answer = patch(Some("04A1B2"), revalidate()).await;
    assert_eq!((answer.status, code(&answer)), (422, Some("-8")));
    let calls = s.fake.calls();
    assert_eq!(calls.first().and_then(|c| c.uid_header.clone()), None);
    assert_eq!(
        calls.get(1).and_then(|c| c.uid_header.as_deref()),
        Some("04a1b2")
    );
    assert_eq!(
        calls.last().and_then(|c| c.body.clone()),
        Some(revalidate())
    );
}

#[tokio::test]
async fn answers_seeded_tariff_rules() {
    let s = Session::start().await;
    let rules = json!([
        {"statusCode": "etd", "indexMin": null, "indexMax": null, "idCompanyRate": 10, "idRate": 1},
        {"statusCode": "prs", "indexMin": 1, "indexMax": 474, "idCompanyRate": 78, "idRate": 1},
    ]);
    s.fake.set_rules("35", "0359999Z", rules.clone());
    let answer = s
        .api("GET", "/beforeizly/v1/crous/35/organization/0359999Z", None)
        .await;
    assert_eq!((answer.status, answer.json), (200, rules));
    let answer = s
        .api("GET", "/beforeizly/v1/crous/35/organization/0000000A", None)
        .await;
    assert_eq!((answer.status, answer.json), (200, json!([])));
    assert_eq!(
        s.api(
            "POST",
            "/beforeizly/v1/crous/35/organization/0359999Z",
            None
        )
        .await
        .status,
        405
    );
    assert_eq!(
        s.api("GET", "/beforeizly/v1/elsewhere", None).await.status,
        404
    );
    assert_eq!(s.api("GET", "/v1/rightholders/h1", None).await.status, 404);
}

#[tokio::test]
async fn injects_every_failure_of_2_17() {
    let s = Session::start().await;
    s.fake.add_right_holder(holder("h1"));
    let path = format!("{RH}/h1");
    let failures = [
        (422, Some("-8"), "dueDate"),
        (422, Some("-9"), "Carte déjà invalidée"),
        (422, Some("-11"), "Client existant"),
        (
            422,
            Some("-31"),
            "card known but rightHolder deleted (rgpd)",
        ),
        (422, Some("-41"), "Client en opposition"),
        (422, Some("-42"), "Client inconnu"),
        (422, Some("-117"), "Client anonymisé"),
        (423, None, "Locked"),
        (
            406,
            None,
            "Le compte a un rne prioritaire qui est différent du rne proposé",
        ),
        (404, None, "Not found"),
        (500, None, "Internal Server Error"),
    ];
    for (status, error_code, message) in failures {
        s.fake.inject(Injection::new(
            Some("GET"),
            "/rightholders/h1",
            1,
            Failure::status(status, error_code, message),
        ));
        let answer = s.api("GET", &path, None).await;
        assert_eq!(
            (answer.status, answer.json),
            (status, err(error_code, message))
        );
        assert_eq!(
            s.api("GET", &path, None).await.status,
            200,
            "used up after one"
        );
    }
    s.fake.inject(Injection::new(
        None,
        "/h1",
        2,
        Failure::TooManyRequests {
            retry_after_secs: 7,
        },
    ));
    let answer = s.api("PUT", &path, Some(&holder("h1"))).await;
    assert_eq!(
        (answer.status, answer.retry_after.as_deref()),
        (429, Some("7"))
    );
    assert_eq!(s.api("GET", &path, None).await.status, 429);
    assert_eq!(s.api("GET", &path, None).await.status, 200);
    assert!(
        s.fake.state().history.is_empty(),
        "an injected failure changes nothing"
    );
    // Until cleared; another method is not affected.
    s.fake.inject(Injection::new(
        Some("put"),
        "rightholders",
        0,
        Failure::status(500, None, "boom"),
    ));
    for _ in 0..3 {
        assert_eq!(s.api("PUT", &path, Some(&holder("h1"))).await.status, 500);
    }
    assert_eq!(s.api("GET", &path, None).await.status, 200);
    s.fake.clear_injections();
    assert_eq!(s.api("PUT", &path, Some(&holder("h1"))).await.status, 200);
    // The token server can fail too.
    s.fake.inject(Injection::new(
        None,
        "/oauth/token",
        1,
        Failure::status(503, None, "gateway"),
    ));
    let url = format!(
        "{}/api/oauth/token?grant_type=client_credentials",
        s.fake.url()
    );
    assert_eq!(
        send(&s.client, "POST", &url, &[], None)
            .await
            .map(|a| a.status)
            .ok(),
        Some(503)
    );
    let statuses: Vec<u16> = s.fake.calls().iter().map(|c| c.status).collect();
    assert_eq!(statuses.len(), 11 * 2 + 3 + 3 + 1 + 1);
}

#[tokio::test]
async fn slow_and_dropped_answers() {
    let s = Session::start().await;
    s.fake.inject(Injection::new(
        Some("POST"),
        RH,
        1,
        Failure::Slow(Duration::from_millis(600)),
    ));
    let impatient = client_with_timeout(Duration::from_millis(150));
    let bearer = format!("Bearer {}", s.token);
    let url = format!("{}{RH}", s.fake.url());
    let error = send(
        &impatient,
        "POST",
        &url,
        &[("Authorization", &bearer)],
        Some(&holder("slow")),
    )
    .await
    .expect_err("times out");
    assert!(error.is_timeout(), "{error}");
    // The change happened although the client gave up: the retry meets -11.
    assert_eq!(s.fake.state().holder_creations.get("slow"), Some(&1));
    let answer = s.api("POST", RH, Some(&holder("slow"))).await;
    assert_eq!(code(&answer), Some("-11"));
    s.fake
        .inject(Injection::new(None, "/rightholders/slow", 0, Failure::Drop));
    let error = send(
        &s.client,
        "GET",
        &format!("{url}/slow"),
        &[("Authorization", &bearer)],
        None,
    )
    .await
    .expect_err("dropped");
    assert!(!error.is_timeout(), "{error}");
    let calls = s.fake.calls();
    assert_eq!(
        calls.iter().map(|c| c.status).collect::<Vec<_>>().first(),
        Some(&201)
    );
    assert!(
        calls
            .iter()
            .skip(2)
            .all(|c| c.status == 0 && c.path == format!("{RH}/slow"))
    );
}

#[tokio::test]
async fn goes_offline_and_back_with_its_state() {
    let s = Session::start().await;
    s.fake.add_right_holder(holder("h1"));
    s.fake.set_offline(true);
    let bearer = format!("Bearer {}", s.token);
    let url = format!("{}{RH}/h1", s.fake.url());
    assert_offline(&s.client, &url, &[("Authorization", &bearer)]).await;
    s.fake.set_offline(false);
    assert_eq!(
        s.api("GET", &format!("{RH}/h1"), None).await.status,
        200,
        "token and state kept"
    );
    assert_eq!(
        s.fake.calls().len(),
        1,
        "nothing reached the fake while offline"
    );
}

#[test]
fn serves_plain_tests_and_stops_on_drop() {
    let fake = CrousFake::start("a", "b");
    let url = fake.url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = client();
        assert_eq!(
            send(&client, "GET", &format!("{url}{RH}/x"), &[], None)
                .await
                .map(|a| a.status)
                .ok(),
            Some(401)
        );
        let token = get_token_for(&fake, &client, "a", "b").await;
        assert!(!token.is_empty());
    });
    drop(fake);
    runtime.block_on(async {
        assert!(
            send(&client(), "GET", &url, &[], None).await.is_err(),
            "stopped"
        );
    });
}

async fn get_token_for(
    fake: &CrousFake,
    client: &reqwest::Client,
    id: &str,
    secret: &str,
) -> String {
    let basic = format!(
        "Basic {}",
        super::support::crous_fake::base64(format!("{id}:{secret}").as_bytes())
    );
    let url = format!(
        "{}/api-pp/oauth/token?grant_type=client_credentials",
        fake.url()
    );
    let answer = super::call(client, "POST", &url, &[("authorization", &basic)], None).await;
    answer.json["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}
