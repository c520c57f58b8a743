//! A stateful fake of the European Student Card Router API v2, following shared/reference/crous-escr.md
//! §3: the Bearer key of §3.1, the endpoints of §3.2 under `/esc-rest/api/v2`, the payloads of §3.3, the
//! card types of §3.4, the error codes of §3.5 with the body `{"code", "message"}` of §3.9.
//!
//! Where the reference leaves the router's behaviour open, the fake chooses ("fake's choice"):
//! - statuses: `SE-0000` "Access denied" → 403; `ER-0019` and `ER-0002` → 409; POST → 201 with the stored
//!   record, PUT → 200 with it, DELETE → 204; errors without a documented code carry `"code": null`;
//! - a person belongs to the PIC of its first `personOrganisationUpdateViews` entry; a POST of a person
//!   another organisation holds is `SE-0000` (not `ER-0019`), as are GET/PUT/DELETE of it;
//! - `GET /persons?page=N&size=M` lists only our organisation's persons, ordered by ESI, in the Spring
//!   paged shape the router publishes (`PagedResourcesPersonLiteView`: `content` of `{identifier,
//!   fullName}`, `page` of `{number, size, totalElements, totalPages}`, `empty`); pages count from 0, the
//!   size defaults to 20 and must be 1–2000;
//! - `GET /cards/{n}/status` answers the router's `CardStatusView` shape: `{cardNumber, status, expiresAt,
//!   issuedAt, issuerIdentifier}` with `status` the card's `cardStatusType`;
//! - a card for an unknown person → 404 (`code: null`), for another organisation's person → `SE-0000`;
//! - DELETE of a person also deletes its cards (without card events in the history);
//! - malformed payloads → 400: a `cardNumber` that is not an ESCN (UUID 8-4-4-4-12 hex), a
//!   `cardStatusType` other than ACTIVE/INACTIVE, a `cardType` outside §3.4, dates other than
//!   `yyyy-MM-dd`, an `academicLevel` other than BACHELOR/MASTER/DOCTORATE, no organisation view, a body
//!   `identifier`/`cardNumber`/`personIdentifier` that contradicts the path or the stored card.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

use super::http_fake::{
    Call, HttpFake, Injection, Injections, Reply, Request, Response, answer, lock,
};

/// The API's base path; [`EscrFake::url`] ends with it.
pub const BASE_PATH: &str = "/esc-rest/api/v2";

/// §3.4.
pub const CARD_TYPES: [&str; 7] = [
    "PASSIVE",
    "SMART_NO_CDZ",
    "SMART_CDZ",
    "SMART_MAY_SP",
    "UNKNOWN",
    "SMART_PASSIVE",
    "SMART_PASSIVE_EMULATION",
];
/// §3.3.
pub const CARD_STATUSES: [&str; 2] = ["ACTIVE", "INACTIVE"];
/// §3.3.
pub const ACADEMIC_LEVELS: [&str; 3] = ["BACHELOR", "MASTER", "DOCTORATE"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrganisationView {
    pub organisation_identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub academic_level: Option<String>,
}

/// EscPerson (§3.3); null fields omitted as ESUP-SGC writes them, unknown fields ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EscPerson {
    pub identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    pub person_organisation_update_views: Vec<OrganisationView>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonEntry {
    pub person: EscPerson,
    /// The owning organisation's PIC.
    pub owner_pic: String,
}

/// EscCard (§3.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EscCard {
    pub card_number: String,
    pub card_status_type: String,
    pub card_type: String,
    pub expires_at: String,
    pub issued_at: String,
    pub issuer_identifier: String,
    pub person_identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processor_identifier: Option<String>,
}

/// A successful state change, in the order the fake applied them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscrEvent {
    PersonCreated(String),
    PersonUpdated(String),
    PersonDeleted(String),
    CardCreated(String),
    CardUpdated(String),
    CardDeleted(String),
}

#[derive(Debug, Default)]
pub struct EscrState {
    /// Keyed by ESI.
    pub persons: BTreeMap<String, PersonEntry>,
    /// Keyed by ESCN.
    pub cards: BTreeMap<String, EscCard>,
    /// Successful POSTs of a person, per ESI.
    pub person_creations: BTreeMap<String, u32>,
    /// Successful POSTs of a card, per ESCN.
    pub card_creations: BTreeMap<String, u32>,
    pub history: Vec<EscrEvent>,
}

struct Inner {
    key: String,
    our_pic: String,
    state: Mutex<EscrState>,
    calls: Mutex<Vec<Call>>,
    injections: Injections,
}

/// The running fake; stops when dropped.
pub struct EscrFake {
    http: HttpFake,
    inner: Arc<Inner>,
}

impl EscrFake {
    /// A router that accepts `api_key` and for which `our_pic` is the caller's organisation.
    pub fn start(api_key: &str, our_pic: &str) -> EscrFake {
        let inner = Arc::new(Inner {
            key: api_key.into(),
            our_pic: our_pic.into(),
            state: Mutex::new(EscrState::default()),
            calls: Mutex::new(Vec::new()),
            injections: Injections::default(),
        });
        let handler_inner = inner.clone();
        let http = HttpFake::start(Arc::new(move |request| handler_inner.handle(request)));
        EscrFake { http, inner }
    }

    /// The `webUrl`: `http://127.0.0.1:PORT/esc-rest/api/v2`.
    pub fn url(&self) -> String {
        format!("{}{BASE_PATH}", self.http.url())
    }

    pub fn http(&self) -> &HttpFake {
        &self.http
    }

    /// The state, to read and to seed. Do not hold it across a request: the server waits for it.
    pub fn state(&self) -> MutexGuard<'_, EscrState> {
        lock(&self.inner.state)
    }

    pub fn calls(&self) -> Vec<Call> {
        lock(&self.inner.calls).clone()
    }

    pub fn clear_calls(&self) {
        lock(&self.inner.calls).clear();
    }

    pub fn inject(&self, injection: Injection) {
        self.inner.injections.add(injection);
    }

    pub fn clear_injections(&self) {
        self.inner.injections.clear();
    }

    pub fn set_offline(&self, offline: bool) {
        self.http.set_offline(offline);
    }

    /// Seeds a person held by the organisation `pic` (another organisation's, for `SE-0000`).
    pub fn add_foreign_person(&self, esi: &str, pic: &str) {
        let person = EscPerson {
            identifier: esi.into(),
            full_name: None,
            person_organisation_update_views: vec![OrganisationView {
                organisation_identifier: pic.into(),
                ..OrganisationView::default()
            }],
        };
        self.state().persons.insert(
            esi.into(),
            PersonEntry {
                person,
                owner_pic: pic.into(),
            },
        );
    }
}

/// The §3.9 error body.
pub fn error_body(status: u16, code: Option<&str>, message: &str) -> Response {
    Response::json(status, &json!({"code": code, "message": message}))
}

fn bad_request(message: &str) -> Response {
    error_body(400, None, message)
}

fn not_found(message: &str) -> Response {
    error_body(404, None, message)
}

fn access_denied() -> Response {
    error_body(403, Some("SE-0000"), "Access denied")
}

type Outcome = Result<Response, Response>;

impl Inner {
    fn handle(&self, request: &Request) -> Reply {
        let (reply, status) = answer(&self.injections, request, error_body, || {
            self.respond(request)
        });
        lock(&self.calls).push(Call::new(request, status));
        reply
    }

    fn respond(&self, request: &Request) -> Response {
        let authorised = request
            .header("authorization")
            .and_then(|v| v.split_once(' '))
            .is_some_and(|(scheme, key)| {
                scheme.eq_ignore_ascii_case("Bearer") && key.trim() == self.key
            });
        if !authorised {
            return error_body(401, None, "Unauthorized");
        }
        let Some(rest) = request
            .path
            .strip_prefix(BASE_PATH)
            .and_then(|r| r.strip_prefix('/'))
        else {
            return not_found("No such resource");
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let mut state = lock(&self.state);
        let state = &mut *state;
        let outcome = match (request.method.as_str(), segments.as_slice()) {
            ("GET", ["persons"]) => self.list_persons(state, request),
            ("POST", ["persons"]) => self.create_person(state, request),
            ("GET", ["persons", esi]) => self
                .own_person(state, esi)
                .map(|p| Response::json(200, &json!(p.person))),
            ("PUT", ["persons", esi]) => self.update_person(state, esi, request),
            ("DELETE", ["persons", esi]) => self.delete_person(state, esi),
            ("POST", ["cards"]) => self.create_card(state, request),
            ("PUT", ["cards", number]) => self.update_card(state, number, request),
            ("DELETE", ["cards", number]) => self.delete_card(state, number),
            ("GET", ["cards", number, "status"]) => card_status(state, number),
            (
                _,
                ["persons"] | ["persons", _] | ["cards"] | ["cards", _] | ["cards", _, "status"],
            ) => Err(error_body(405, None, "Method Not Allowed")),
            _ => Err(not_found("No such resource")),
        };
        outcome.unwrap_or_else(|e| e)
    }

    /// The person if it exists (404) and is ours (`SE-0000`).
    fn own_person<'a>(&self, state: &'a EscrState, esi: &str) -> Result<&'a PersonEntry, Response> {
        let entry = state
            .persons
            .get(esi)
            .ok_or_else(|| not_found("Person not found"))?;
        if entry.owner_pic != self.our_pic {
            return Err(access_denied());
        }
        Ok(entry)
    }

    fn list_persons(&self, state: &EscrState, request: &Request) -> Outcome {
        let number = |name: &str, default: u64| match request.query_param(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| bad_request(&format!("invalid {name}"))),
        };
        let page = number("page", 0)?;
        let size = number("size", 20)?;
        if !(1..=2000).contains(&size) {
            return Err(bad_request("size must be between 1 and 2000"));
        }
        let ours: Vec<&PersonEntry> = state
            .persons
            .values()
            .filter(|p| p.owner_pic == self.our_pic)
            .collect();
        let total = ours.len() as u64;
        let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
        let content: Vec<Value> = ours
            .iter()
            .skip(start)
            .take(usize::try_from(size).unwrap_or(usize::MAX))
            .map(|p| json!({"identifier": p.person.identifier, "fullName": p.person.full_name}))
            .collect();
        Ok(Response::json(
            200,
            &json!({
                "content": content,
                "empty": content.is_empty(),
                "page": {
                    "number": page,
                    "size": size,
                    "totalElements": total,
                    "totalPages": total.div_ceil(size),
                },
            }),
        ))
    }

    fn create_person(&self, state: &mut EscrState, request: &Request) -> Outcome {
        let person: EscPerson = body(request)?;
        if person.identifier.is_empty() {
            return Err(bad_request("identifier is mandatory"));
        }
        let owner = check_person(&person)?;
        if let Some(existing) = state.persons.get(&person.identifier) {
            if existing.owner_pic != self.our_pic {
                return Err(access_denied());
            }
            return Err(error_body(
                409,
                Some("ER-0019"),
                "User already exists for this organisation",
            ));
        }
        let esi = person.identifier.clone();
        let response = Response::json(201, &json!(person));
        state.persons.insert(
            esi.clone(),
            PersonEntry {
                person,
                owner_pic: owner,
            },
        );
        *state.person_creations.entry(esi.clone()).or_default() += 1;
        state.history.push(EscrEvent::PersonCreated(esi));
        Ok(response)
    }

    /// PUT: the organisation that owns the person does not change with the payload.
    fn update_person(&self, state: &mut EscrState, esi: &str, request: &Request) -> Outcome {
        self.own_person(state, esi)?;
        let mut person: EscPerson = body(request)?;
        if !person.identifier.is_empty() && person.identifier != esi {
            return Err(bad_request("the ESI cannot be modified"));
        }
        check_person(&person)?;
        person.identifier = esi.into();
        let response = Response::json(200, &json!(person));
        if let Some(entry) = state.persons.get_mut(esi) {
            entry.person = person;
        }
        state.history.push(EscrEvent::PersonUpdated(esi.into()));
        Ok(response)
    }

    fn delete_person(&self, state: &mut EscrState, esi: &str) -> Outcome {
        self.own_person(state, esi)?;
        state.persons.remove(esi);
        state.cards.retain(|_, c| c.person_identifier != esi);
        state.history.push(EscrEvent::PersonDeleted(esi.into()));
        Ok(Response::empty(204))
    }

    fn create_card(&self, state: &mut EscrState, request: &Request) -> Outcome {
        let card: EscCard = body(request)?;
        if !is_escn(&card.card_number) {
            return Err(bad_request("cardNumber is not an ESCN"));
        }
        check_card(&card)?;
        if state.cards.contains_key(&card.card_number) {
            return Err(error_body(409, Some("ER-0002"), "Card already exists"));
        }
        self.own_person(state, &card.person_identifier)?;
        let number = card.card_number.clone();
        let response = Response::json(201, &json!(card));
        state.cards.insert(number.clone(), card);
        *state.card_creations.entry(number.clone()).or_default() += 1;
        state.history.push(EscrEvent::CardCreated(number));
        Ok(response)
    }

    fn update_card(&self, state: &mut EscrState, number: &str, request: &Request) -> Outcome {
        let stored = state
            .cards
            .get(number)
            .ok_or_else(|| not_found("Card not found"))?;
        let mut card: EscCard = body(request)?;
        if !card.card_number.is_empty() && card.card_number != number {
            return Err(bad_request("cardNumber differs from the path"));
        }
        check_card(&card)?;
        if card.person_identifier != stored.person_identifier {
            return Err(bad_request(
                "personIdentifier differs from the card's person",
            ));
        }
        self.own_person(state, &card.person_identifier)?;
        card.card_number = number.into();
        let response = Response::json(200, &json!(card));
        state.cards.insert(number.into(), card);
        state.history.push(EscrEvent::CardUpdated(number.into()));
        Ok(response)
    }

    fn delete_card(&self, state: &mut EscrState, number: &str) -> Outcome {
        let card = state
            .cards
            .get(number)
            .ok_or_else(|| not_found("Card not found"))?;
        if state
            .persons
            .get(&card.person_identifier)
            .is_some_and(|p| p.owner_pic != self.our_pic)
        {
            return Err(access_denied());
        }
        state.cards.remove(number);
        state.history.push(EscrEvent::CardDeleted(number.into()));
        Ok(Response::empty(204))
    }
}

fn card_status(state: &EscrState, number: &str) -> Outcome {
    let card = state
        .cards
        .get(number)
        .ok_or_else(|| not_found("Card not found"))?;
    Ok(Response::json(
        200,
        &json!({
            "cardNumber": card.card_number,
            "status": card.card_status_type,
            "expiresAt": card.expires_at,
            "issuedAt": card.issued_at,
            "issuerIdentifier": card.issuer_identifier,
        }),
    ))
}

fn body<T: DeserializeOwned>(request: &Request) -> Result<T, Response> {
    serde_json::from_slice(&request.body).map_err(|e| bad_request(&format!("invalid JSON: {e}")))
}

/// The organisation views are valid; returns the owning PIC (the first view's).
fn check_person(person: &EscPerson) -> Result<String, Response> {
    let views = &person.person_organisation_update_views;
    let Some(first) = views.first() else {
        return Err(bad_request("personOrganisationUpdateViews is mandatory"));
    };
    for view in views {
        if view.organisation_identifier.is_empty() {
            return Err(bad_request("organisationIdentifier is mandatory"));
        }
        let level = view.academic_level.as_deref();
        if level.is_some_and(|l| !ACADEMIC_LEVELS.contains(&l)) {
            return Err(bad_request("invalid academicLevel"));
        }
    }
    Ok(first.organisation_identifier.clone())
}

fn check_card(card: &EscCard) -> Result<(), Response> {
    if !CARD_STATUSES.contains(&card.card_status_type.as_str()) {
        return Err(bad_request("invalid cardStatusType"));
    }
    if !CARD_TYPES.contains(&card.card_type.as_str()) {
        return Err(bad_request("invalid cardType"));
    }
    if !is_date(&card.expires_at) || !is_date(&card.issued_at) {
        return Err(bad_request("expiresAt and issuedAt must be yyyy-MM-dd"));
    }
    if card.issuer_identifier.is_empty() || card.person_identifier.is_empty() {
        return Err(bad_request(
            "issuerIdentifier and personIdentifier are mandatory",
        ));
    }
    Ok(())
}

/// `yyyy-MM-dd` and a real calendar day.
fn is_date(text: &str) -> bool {
    text.len() == 10 && text.parse::<jiff::civil::Date>().is_ok()
}

/// An ESCN: a UUID written 8-4-4-4-12 hex digits.
pub fn is_escn(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}
