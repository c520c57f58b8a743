use super::*;
use jiff::civil::{date, datetime};
use serde_json::json;

const ESI: &str = "urn:schac:personalUniqueCode:int:esi:fr:123456789AB";

#[test]
fn esi_needs_an_ine() {
    assert_eq!(esi("FR", " 123456789AB "), Some(ESI.to_string()));
    assert_eq!(esi("FR", ""), None);
    assert_eq!(esi("FR", "   "), None);
}

#[test]
fn academic_levels() {
    assert_eq!(academic_level(Some(6)), Some("BACHELOR"));
    assert_eq!(academic_level(Some(7)), Some("MASTER"));
    assert_eq!(academic_level(Some(8)), Some("DOCTORATE"));
    assert_eq!(academic_level(Some(5)), None);
    assert_eq!(academic_level(None), None);
}

#[test]
fn person_json_has_the_router_names_and_omits_nulls() {
    let p = build_person(
        ESI,
        "DUPONT",
        "Jean",
        "999859608",
        Some("jean@univ.fr"),
        Some(7),
    );
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({
            "identifier": ESI,
            "fullName": "DUPONT Jean",
            "personOrganisationUpdateViews": [
                {"organisationIdentifier": "999859608", "email": "jean@univ.fr", "academicLevel": "MASTER"}
            ]
        })
    );
    let bare = build_person(ESI, "DUPONT", "", "999859608", Some(" "), Some(3));
    assert_eq!(
        serde_json::to_value(&bare).unwrap(),
        json!({
            "identifier": ESI,
            "fullName": "DUPONT",
            "personOrganisationUpdateViews": [{"organisationIdentifier": "999859608"}]
        })
    );
    let back: EscPerson = serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
    assert_eq!(back, p);
}

fn facts(enabled: bool, processor: Option<&str>) -> CardFacts<'_> {
    CardFacts {
        escn: "d88b02c1-894e-1038-a711-001999465982",
        enabled,
        card_type: "SMART_NO_CDZ",
        due_date: date(2027, 8, 31),
        encoded_date: date(2025, 9, 3),
        pic: "999859608",
        esi: ESI,
        processor,
    }
}

#[test]
fn card_json_has_the_router_names_and_dates() {
    let card = build_card(&facts(true, None));
    assert_eq!(
        serde_json::to_value(&card).unwrap(),
        json!({
            "cardNumber": "d88b02c1-894e-1038-a711-001999465982",
            "cardStatusType": "ACTIVE",
            "cardType": "SMART_NO_CDZ",
            "expiresAt": "2027-08-31",
            "issuedAt": "2025-09-03",
            "issuerIdentifier": "999859608",
            "personIdentifier": ESI
        })
    );
    let inactive = build_card(&facts(false, Some("FR12345678901")));
    let v = serde_json::to_value(&inactive).unwrap();
    assert_eq!(v["cardStatusType"], "INACTIVE");
    assert_eq!(v["processorIdentifier"], "FR12345678901");
    let back: EscCard = serde_json::from_value(v).unwrap();
    assert_eq!(back, inactive);
    assert_eq!(
        build_card(&facts(true, Some(" "))).processor_identifier,
        None
    );
}

#[test]
fn card_dates_read_back_from_datetimes_and_reject_garbage() {
    let mut v = serde_json::to_value(build_card(&facts(true, None))).unwrap();
    v["expiresAt"] = json!("2027-08-31T00:00:00.000Z");
    let card: EscCard = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(card.expires_at, date(2027, 8, 31));
    for bad in [json!("31/08/2027"), json!("é"), json!(""), json!(12)] {
        v["expiresAt"] = bad;
        assert!(serde_json::from_value::<EscCard>(v.clone()).is_err());
    }
}

#[test]
fn card_type_follows_the_sample_map() {
    let map = default_card_types();
    let at = |y, m, d, h, mi, s| card_type(datetime(y, m, d, h, mi, s, 0), DEFAULT_CARD_TYPE, &map);
    assert_eq!(at(2017, 6, 1, 0, 0, 0), "SMART_NO_CDZ");
    assert_eq!(at(2018, 1, 1, 16, 17, 10), "SMART_NO_CDZ"); // strictly before only
    assert_eq!(at(2018, 1, 1, 16, 17, 11), "SMART_CDZ");
    assert_eq!(at(2024, 12, 2, 16, 17, 10), "SMART_CDZ");
    assert_eq!(at(2024, 12, 2, 16, 17, 11), "SMART_NO_CDZ");
    assert_eq!(at(2030, 1, 1, 0, 0, 0), "SMART_NO_CDZ");
}

#[test]
fn card_type_walks_the_map_in_date_order_whatever_its_order() {
    let mut map = default_card_types();
    map.reverse();
    map.push((datetime(2020, 1, 1, 0, 0, 0, 0), "PASSIVE".to_string()));
    let t = |y| card_type(datetime(y, 6, 1, 0, 0, 0, 0), "UNKNOWN", &map);
    assert_eq!(t(2017), "UNKNOWN");
    assert_eq!(t(2019), "SMART_CDZ");
    assert_eq!(t(2021), "PASSIVE");
    assert_eq!(t(2025), "SMART_NO_CDZ");
    assert_eq!(card_type(datetime(2025, 1, 1, 0, 0, 0, 0), "X", &[]), "X");
}

#[test]
fn person_differs_only_on_what_we_send() {
    let p = build_person(
        ESI,
        "DUPONT",
        "Jean",
        "999859608",
        Some("Jean@Univ.fr"),
        Some(6),
    );
    let saved = serde_json::to_value(&p).unwrap();
    assert!(!person_differs(&p, &saved));

    let mut remote = saved.clone();
    remote["organisationCount"] = json!(2);
    remote["personOrganisationUpdateViews"][0]["email"] = json!("jean@univ.fr");
    remote["personOrganisationUpdateViews"][0]["phone"] = json!("+33 1 23");
    remote["personOrganisationUpdateViews"]
        .as_array_mut()
        .unwrap()
        .push(json!({"organisationIdentifier": "111111111", "email": "other@x.eu"}));
    assert!(!person_differs(&p, &remote), "added fields are ignored");

    let router_view = json!({"identifier": ESI, "fullName": "DUPONT Jean", "organisationCount": 1});
    assert!(!person_differs(&p, &router_view));

    let changed = |path: &str, value: serde_json::Value| {
        let mut r = saved.clone();
        if let Some(slot) = r.pointer_mut(path) {
            *slot = value;
        }
        person_differs(&p, &r)
    };
    assert!(changed("/fullName", json!("DUPONT Jeanne")));
    assert!(changed("/identifier", json!("x")));
    assert!(changed(
        "/personOrganisationUpdateViews/0/email",
        json!("new@univ.fr")
    ));
    assert!(changed(
        "/personOrganisationUpdateViews/0/email",
        json!(null)
    ));
    assert!(changed(
        "/personOrganisationUpdateViews/0/academicLevel",
        json!("MASTER")
    ));
    assert!(changed(
        "/personOrganisationUpdateViews/0/organisationIdentifier",
        json!("1")
    ));
    assert!(changed("/personOrganisationUpdateViews", json!("garbage")));
    assert!(person_differs(&p, &json!(null)));
    assert!(person_differs(&p, &json!([1, 2])));
}
