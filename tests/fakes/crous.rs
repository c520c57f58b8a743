//! The CROUS/Izly fake against shared/reference/crous-escr.md §2: token exchange, every endpoint, the
//! seeded account states, every injected failure, offline/online, the call log and the counters.

use serde_json::{Value, json};

use super::support::crous_fake::{CrousEvent, CrousFake, base64, parse_date};
use super::{Answer, FUTURE, PAST, call, client};

pub const ID: &str = "guichet";
pub const SECRET: &str = "s3cr3t:é";
pub const RH: &str = "/beforeizly/v1/rightholders";

pub struct Session {
    pub fake: CrousFake,
    pub client: reqwest::Client,
    pub token: String,
}

pub async fn get_token(fake: &CrousFake, client: &reqwest::Client) -> String {
    let basic = format!("Basic {}", base64(format!("{ID}:{SECRET}").as_bytes()));
    let url = format!(
        "{}/api/oauth/token?grant_type=client_credentials",
        fake.url()
    );
    let answer = call(client, "POST", &url, &[("Authorization", &basic)], None).await;
    assert_eq!(answer.status, 200, "{:?}", answer.json);
    answer.json["access_token"]
        .as_str()
        .expect("an access_token")
        .to_string()
}

impl Session {
    pub async fn start() -> Session {
        let fake = CrousFake::start(ID, SECRET);
        let client = client();
        let token = get_token(&fake, &client).await;
        Session {
            fake,
            client,
            token,
        }
    }

    pub async fn api(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        self.api_uid(method, path, None, body).await
    }

    pub async fn api_uid(
        &self,
        method: &str,
        path: &str,
        uid: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        let bearer = format!("Bearer {}", self.token);
        let mut headers = vec![("Authorization", bearer.as_str())];
        if let Some(uid) = uid {
            headers.push(("uid", uid));
        }
        let url = format!("{}{path}", self.fake.url());
        call(&self.client, method, &url, &headers, body).await
    }
}

pub fn holder(id: &str) -> Value {
    json!({
        "identifier": id, "firstName": "Hélène", "lastName": "Dupré", "email": "helene@univ.fr",
        "dueDate": FUTURE, "idCompanyRate": 78, "idRate": 99, "simpleBirthDate": "2001-02-03",
        "ine": null, "rneOrgCode": "0359999Z",
    })
}

pub fn card(id_zdc: u64, uid: &str) -> Value {
    json!({
        "idTransmitter": "0B", "idMapping": "1", "idZdc": id_zdc, "zdcCreationDate": "2025-09-01T10:00:00.000Z",
        "pixSs": "0", "pixNn": "1", "appl": "2", "uid": uid, "rid": "12345",
    })
}

/// The §2.12 body.
pub fn err(code: Option<&str>, message: &str) -> Value {
    json!({"errors": [{"code": code, "message": message, "field": null}]})
}

pub fn code(answer: &Answer) -> Option<&str> {
    answer.json["errors"][0]["code"].as_str()
}

pub fn invalidate(reason: &str) -> Value {
    json!({"cancelDate": "2026-01-10T10:00:00.000Z", "reason": reason, "revalidationDate": ""})
}

pub fn revalidate() -> Value {
    json!({"revalidationDate": "2026-01-11T10:00:00.000Z", "cancelDate": "", "reason": ""})
}

#[test]
fn parses_the_date_formats_of_2_4() {
    let expected = parse_date("2027-08-31T21:59:59Z").expect("Z");
    for text in [
        "2027-08-31T21:59:59.000Z",
        "2027-08-31T23:59:59+02",
        "2027-08-31T23:59:59.000+02",
        "2027-08-31T23:59:59+02:00",
        "2027-08-31T23:59:59.000+02:00",
    ] {
        assert_eq!(parse_date(text), Some(expected), "{text}");
    }
    for text in [
        "",
        "2027-08-31",
        "2027-08-31T23:59:59",
        "x+02",
        "2027-13-31T00:00:00Z",
        "+02",
    ] {
        assert_eq!(parse_date(text), None, "{text}");
    }
    assert_eq!(base64(b"guichet:s"), "Z3VpY2hldDpz");
    assert_eq!(base64(b"ab"), "YWI=");
    assert_eq!(base64(b"a"), "YQ==");
}

#[tokio::test]
async fn token_exchange() {
    let fake = CrousFake::start(ID, SECRET);
    let client = client();
    let good = format!("Basic {}", base64(format!("{ID}:{SECRET}").as_bytes()));
    let bad = format!("Basic {}", base64(format!("{ID}:wrong").as_bytes()));
    let url = |prefix: &str, grant: &str| {
        format!("{}/{prefix}/oauth/token?grant_type={grant}", fake.url())
    };
    let cc = "client_credentials";
    for prefix in ["api", "api-pp"] {
        let answer = call(
            &client,
            "POST",
            &url(prefix, cc),
            &[("Authorization", &good)],
            None,
        )
        .await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json["token_type"], "Bearer");
        assert_eq!(answer.json["expires_in"], 3600);
        assert!(
            answer.json["access_token"]
                .as_str()
                .is_some_and(|t| t.len() >= 16)
        );
    }
    let first = get_token(&fake, &client).await;
    assert_ne!(first, get_token(&fake, &client).await, "tokens are random");
    let answer = call(
        &client,
        "POST",
        &url("api", cc),
        &[("Authorization", &bad)],
        None,
    )
    .await;
    assert_eq!(
        (answer.status, answer.json["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let answer = call(&client, "POST", &url("api", cc), &[], None).await;
    assert_eq!(answer.status, 401);
    let bearer = format!("Bearer {first}");
    let answer = call(
        &client,
        "POST",
        &url("api", cc),
        &[("Authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(answer.status, 401);
    let answer = call(
        &client,
        "POST",
        &url("api", "password"),
        &[("Authorization", &good)],
        None,
    )
    .await;
    assert_eq!(answer.status, 400);
    let answer = call(
        &client,
        "GET",
        &url("api", cc),
        &[("Authorization", &good)],
        None,
    )
    .await;
    assert_eq!(answer.status, 405);
    assert_eq!(fake.token_calls(), 9);
    assert!(fake.calls().is_empty(), "token calls are not API calls");
    fake.clear_calls();
    assert_eq!(fake.token_calls(), 0);
}

#[tokio::test]
async fn api_calls_need_a_valid_bearer_token() {
    let s = Session::start().await;
    let url = format!("{}{RH}/x", s.fake.url());
    let answer = call(&s.client, "GET", &url, &[], None).await;
    assert_eq!(
        (answer.status, answer.json.clone()),
        (401, err(None, "Unauthorized"))
    );
    let answer = call(
        &s.client,
        "GET",
        &url,
        &[("Authorization", "Bearer nope")],
        None,
    )
    .await;
    assert_eq!(answer.status, 401);
    assert_eq!(s.api("GET", &format!("{RH}/x"), None).await.status, 404);
    s.fake.expire_tokens();
    assert_eq!(s.api("GET", &format!("{RH}/x"), None).await.status, 401);
    let fresh = get_token(&s.fake, &s.client).await;
    let bearer = format!("Bearer {fresh}");
    let answer = call(&s.client, "GET", &url, &[("Authorization", &bearer)], None).await;
    assert_eq!(answer.status, 404);
    assert_eq!(
        s.fake.calls().iter().map(|c| c.status).collect::<Vec<_>>(),
        [401, 401, 404, 401, 404]
    );
}

#[tokio::test]
async fn creates_and_reads_right_holders() {
    let s = Session::start().await;
    let mut sent = holder("h1");
    sent["accountStatus"] = json!("CLOTURE"); // received only: ignored
    sent["unknownField"] = json!(42);
    let answer = s.api("POST", RH, Some(&sent)).await;
    assert_eq!(answer.status, 201);
    let answer = s.api("GET", &format!("{RH}/h1"), None).await;
    assert_eq!(answer.status, 200);
    let mut expected = holder("h1");
    expected["accountStatus"] = json!("ACTIF");
    expected["blockingStatus"] = json!("NON_BLOQUE");
    assert_eq!(answer.json, expected);
    assert_eq!(
        s.api("POST", RH, Some(&holder("h1"))).await.json,
        err(Some("-11"), "Client existant")
    );
    let answer = s.api("GET", &format!("{RH}/nobody"), None).await;
    assert_eq!((answer.status, code(&answer)), (404, None));
    // §2.4 offsets, with and without milliseconds.
    for (i, due) in [
        "2099-01-01T00:00:00+02",
        "2099-01-01T00:00:00.000+02:00",
        "2099-01-01T00:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        let mut body = holder(&format!("d{i}"));
        body["dueDate"] = json!(due);
        assert_eq!(s.api("POST", RH, Some(&body)).await.status, 201, "{due}");
    }
    let mut past = holder("past");
    past["dueDate"] = json!(PAST);
    let answer = s.api("POST", RH, Some(&past)).await;
    assert_eq!((answer.status, code(&answer)), (422, Some("-8")));
    let mut no_mail = holder("nomail");
    no_mail["email"] = json!("");
    let answer = s.api("POST", RH, Some(&no_mail)).await;
    assert_eq!((answer.status, code(&answer)), (422, Some("-2")));
    assert_eq!(answer.json["errors"][0]["field"], "email");
    for bad in [
        json!({"identifier": ""}),
        json!([1]),
        json!({"identifier": "b", "dueDate": "soon"}),
    ] {
        assert_eq!(s.api("POST", RH, Some(&bad)).await.status, 400, "{bad}");
    }
    let mut rate_as_text = holder("typed");
    rate_as_text["idRate"] = json!("99");
    assert_eq!(s.api("POST", RH, Some(&rate_as_text)).await.status, 400);
    let state = s.fake.state();
    assert_eq!(state.holder_creations.get("h1"), Some(&1));
    assert_eq!(state.holder_creations.get("past"), None);
    assert_eq!(state.right_holders.len(), 4);
}

#[tokio::test]
async fn updates_right_holders() {
    let s = Session::start().await;
    s.fake.add_right_holder(holder("h1"));
    let path = format!("{RH}/h1");
    assert_eq!(
        s.api("PUT", &format!("{RH}/zz"), Some(&holder("zz")))
            .await
            .status,
        404
    );
    let mut change = holder("ignored-body-identifier");
    change["lastName"] = json!("Martin");
    change["idRate"] = json!(2);
    let answer = s.api("PUT", &path, Some(&change)).await;
    assert_eq!(
        (answer.status, &answer.json["lastName"]),
        (200, &json!("Martin"))
    );
    assert_eq!(answer.json["identifier"], "h1");
    change["dueDate"] = json!(PAST);
    let answer = s.api("PUT", &path, Some(&change)).await;
    assert_eq!((answer.status, code(&answer)), (422, Some("-8")));
    let got = s.api("GET", &path, None).await.json;
    assert_eq!(
        (got["lastName"].as_str(), got["idRate"].as_i64()),
        (Some("Martin"), Some(2))
    );
    // A student's names, e-mail and tariff come from the CVEC import: a PUT leaves them.
    let mut student = holder("ine1");
    student["ine"] = json!("0987654321A");
    student["idCompanyRate"] = json!(10);
    student["idRate"] = json!(5);
    s.fake.add_right_holder(student.clone());
    student["firstName"] = json!("Autre");
    student["idRate"] = json!(1);
    student["email"] = json!(null);
    student["dueDate"] = json!("2098-01-01T00:00:00.000Z");
    let answer = s.api("PUT", &format!("{RH}/ine1"), Some(&student)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        (
            &answer.json["firstName"],
            &answer.json["idRate"],
            &answer.json["email"]
        ),
        (&json!("Hélène"), &json!(5), &json!("helene@univ.fr"))
    );
    assert_eq!(answer.json["dueDate"], "2098-01-01T00:00:00.000Z");
    // 406 "rne prioritaire" until an update changes the due date.
    s.fake.add_right_holder(holder("two"));
    s.fake
        .state()
        .right_holders
        .get_mut("two")
        .expect("seeded")
        .priority_rne = Some("0759999A".into());
    let answer = s
        .api("PUT", &format!("{RH}/two"), Some(&holder("two")))
        .await;
    assert_eq!(answer.status, 406);
    assert_eq!(
        answer.json,
        err(
            None,
            "Le compte a un rne prioritaire qui est différent du rne proposé"
        )
    );
    let mut next_year = holder("two");
    next_year["dueDate"] = json!("2098-08-31T23:59:59.000Z");
    assert_eq!(
        s.api("PUT", &format!("{RH}/two"), Some(&next_year))
            .await
            .status,
        200
    );
    assert_eq!(
        s.api("PUT", &format!("{RH}/two"), Some(&next_year))
            .await
            .status,
        200
    );
    let history = s.fake.state().history.clone();
    assert_eq!(
        history,
        [
            CrousEvent::HolderUpdated("h1".into()),
            CrousEvent::HolderUpdated("ine1".into()),
            CrousEvent::HolderUpdated("two".into()),
            CrousEvent::HolderUpdated("two".into()),
        ]
    );
}

#[tokio::test]
async fn changes_identifiers_with_the_cards() {
    let s = Session::start().await;
    s.fake.add_right_holder(holder("eppn@univ.fr"));
    s.fake
        .add_smart_card("eppn@univ.fr", card(99990001, "04A1B2C3D4E5F6"));
    s.fake.add_right_holder(holder("taken"));
    let patch = |current: &str, new: &str| json!({"currentIdentifier": current, "email": "helene@univ.fr", "newIdentifier": new});
    let answer = s
        .api("PATCH", &format!("{RH}/ghost"), Some(&patch("ghost", "x")))
        .await;
    assert_eq!(answer.status, 404);
    let answer = s
        .api(
            "PATCH",
            &format!("{RH}/eppn@univ.fr"),
            Some(&patch("eppn@univ.fr", "taken")),
        )
        .await;
    assert_eq!(answer.json, err(Some("-11"), "Client existant"));
    let answer = s
        .api(
            "PATCH",
            &format!("{RH}/eppn@univ.fr"),
            Some(&patch("other", "x")),
        )
        .await;
    assert_eq!(answer.status, 400);
    let answer = s
        .api(
            "PATCH",
            &format!("{RH}/eppn%40univ.fr"),
            Some(&patch("eppn@univ.fr", "0987654321A")),
        )
        .await;
    assert_eq!(
        (answer.status, &answer.json["identifier"]),
        (200, &json!("0987654321A"))
    );
    assert_eq!(
        s.api("GET", &format!("{RH}/eppn@univ.fr"), None)
            .await
            .status,
        404
    );
    let answer = s
        .api("GET", &format!("{RH}/0987654321A/smartcard/99990001"), None)
        .await;
    assert_eq!(
        (answer.status, &answer.json["uid"]),
        (200, &json!("04A1B2C3D4E5F6"))
    );
    let state = s.fake.state();
    assert_eq!(
        state.history,
        [CrousEvent::IdentifierChanged {
            from: "eppn@univ.fr".into(),
            to: "0987654321A".into()
        }]
    );
    assert_eq!(state.card("99990001").map(|(h, _)| h), Some("0987654321A"));
}

#[tokio::test]
async fn closed_accounts_refuse_cards_until_reopened() {
    let s = Session::start().await;
    let mut closed = holder("c1");
    closed["accountStatus"] = json!("CLOTURE");
    s.fake.add_right_holder(closed);
    s.fake.add_right_holder(holder("open"));
    let answer = s.api("GET", &format!("{RH}/c1"), None).await;
    assert_eq!(
        (answer.status, &answer.json["accountStatus"]),
        (200, &json!("CLOTURE"))
    );
    let answer = s
        .api(
            "POST",
            &format!("{RH}/c1/smartcard"),
            Some(&card(1, "04AA")),
        )
        .await;
    assert_eq!(answer.status, 404);
    assert_eq!(
        s.api("DELETE", "/beforeizly/v1/closed-rightholders/open", None)
            .await
            .status,
        404
    );
    assert_eq!(
        s.api("DELETE", "/beforeizly/v1/closed-rightholders/none", None)
            .await
            .status,
        404
    );
    let answer = s
        .api("DELETE", "/beforeizly/v1/closed-rightholders/c1", None)
        .await;
    assert_eq!((answer.status, answer.json), (204, Value::Null));
    assert_eq!(
        s.api("GET", &format!("{RH}/c1"), None).await.json["accountStatus"],
        "ACTIF"
    );
    assert_eq!(
        s.api(
            "POST",
            &format!("{RH}/c1/smartcard"),
            Some(&card(1, "04AA"))
        )
        .await
        .status,
        201
    );
    assert_eq!(
        s.fake.state().history.first(),
        Some(&CrousEvent::HolderReopened("c1".into()))
    );
}

#[tokio::test]
async fn locked_opposed_and_anonymised_accounts() {
    let s = Session::start().await;
    for id in ["locked", "opposed", "anon"] {
        s.fake.add_right_holder(holder(id));
        s.fake
            .add_smart_card(id, card(id.len() as u64, &format!("04{:02X}", id.len())));
    }
    {
        let mut state = s.fake.state();
        let holders = &mut state.right_holders;
        holders.get_mut("locked").expect("seeded").locked = true;
        holders.get_mut("opposed").expect("seeded").opposed = true;
        holders.get_mut("anon").expect("seeded").anonymised = true;
    }
    let expectations = [
        ("locked", 423, None),
        ("opposed", 422, Some("-41")),
        ("anon", 422, Some("-117")),
    ];
    for (id, status, expected) in expectations {
        let uid = format!("04{:02X}", id.len());
        let card_path = format!("{RH}/{id}/smartcard/{}", id.len());
        let answers = [
            s.api("PUT", &format!("{RH}/{id}"), Some(&holder(id))).await,
            s.api(
                "POST",
                &format!("{RH}/{id}/smartcard"),
                Some(&card(77, "04FF")),
            )
            .await,
            s.api_uid("PATCH", &card_path, Some(&uid), Some(&invalidate("DP")))
                .await,
            s.api_uid("PATCH", &card_path, Some(&uid), Some(&revalidate()))
                .await,
            s.api(
                "PATCH",
                &format!("{RH}/{id}"),
                Some(&json!({"newIdentifier": "n"})),
            )
            .await,
        ];
        for answer in answers {
            assert_eq!((answer.status, code(&answer)), (status, expected), "{id}");
        }
    }
    let answer = s.api("GET", &format!("{RH}/locked"), None).await;
    assert_eq!(
        (answer.status, answer.json),
        (423, err(None, "Compte Izly bloqué"))
    );
    assert_eq!(s.api("POST", RH, Some(&holder("locked"))).await.status, 423);
    assert_eq!(
        s.api("GET", &format!("{RH}/opposed"), None).await.status,
        200
    );
    assert_eq!(s.api("GET", &format!("{RH}/anon"), None).await.status, 200);
    assert!(s.fake.state().history.is_empty());
}
