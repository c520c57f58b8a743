//! A stateful fake of the CROUS/Izly "beforeizly" API and of its OAuth2 token server, on one loopback
//! port (`webUrl` and `accessUrl` are both [`CrousFake::url`]). It follows shared/reference/crous-escr.md
//! §2: the token exchange of §2.2, the endpoints of §2.3, the date formats of §2.4, the RightHolder of §2.5,
//! the SmartCard of §2.7, the errors of §2.11 with the body of §2.12, and the list of §2.17.
//!
//! Where the reference leaves the server's behaviour open, the fake chooses; each choice is marked
//! "fake's choice" below. In short:
//! - success statuses: POST right holder or smart card → 201 with the stored record; PUT and PATCH → 200
//!   with the record; DELETE closed-rightholders → 204;
//! - errors other than the 422 codes carry `"code": null` in the §2.12 body;
//! - a RightHolder comes back with absent values as `null` (as Jackson writes them by default);
//! - a malformed body, a missing or unparseable `dueDate`, a lower-case or missing `uid` → 400;
//! - a missing e-mail on POST (and on PUT of a non-student) → 422 code `-2` "Email obligatoire";
//! - a smart card whose `idZdc` (or `uid`) is already known → 422 code `-10` "Carte existante";
//! - tariff rules never seeded → 200 with an empty list (the "keep the previous rules" path of §2.14).
//!
//! Injected failures apply to token calls too (a path filter like "/oauth/" targets them); `calls()` lists
//! only API calls.
#![allow(dead_code)]

#[path = "crous_fake_api.rs"]
mod api;

use std::collections::{BTreeMap, HashSet};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::http_fake::{Call, HttpFake, Injection, Injections, Request, Response, answer, lock};

/// The resource prefix of every API path (§2.1).
pub const PREFIX: &str = "/beforeizly/v1/";

/// The SmartCard fields of §2.7; other request fields are ignored.
pub const SMART_CARD_FIELDS: [&str; 9] = [
    "idTransmitter",
    "idMapping",
    "idZdc",
    "zdcCreationDate",
    "pixSs",
    "pixNn",
    "appl",
    "uid",
    "rid",
];

/// The reason codes of an invalidation (§2.7).
pub const REASONS: [&str; 4] = ["DP", "DV", "CD", "HS"];

/// A RightHolder as §2.5 lists it: the fields sent and the two received only. Unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RightHolder {
    pub identifier: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub due_date: Option<String>,
    pub id_company_rate: Option<i64>,
    pub id_rate: Option<i64>,
    pub simple_birth_date: Option<String>,
    pub ine: Option<String>,
    pub rne_org_code: Option<String>,
    pub account_status: Option<String>,
    pub blocking_status: Option<String>,
}

/// A right holder and the server-side states the tests seed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Holder {
    pub record: RightHolder,
    /// Izly account locked: 423 on GET/PUT/PATCH of the right holder, POST of a smart card and PATCH of a
    /// smart card (fake's choice for the identifier PATCH and the revalidation, which §2.11 does not list).
    pub locked: bool,
    /// "Client en opposition": 422 `-41` on PUT, identifier PATCH, POST and PATCH of a smart card.
    pub opposed: bool,
    /// "Client anonymisé": 422 `-117` on the same calls as `opposed`; GET still answers (fake's choice).
    pub anonymised: bool,
    /// Another establishment owns the account (§2.11, 406): a PUT with another `rneOrgCode` and the same
    /// dueDate is refused; one that changes the dueDate succeeds and clears this (fake's reading of §2.11).
    pub priority_rne: Option<String>,
    /// Smart cards keyed by `idZdc`.
    pub cards: BTreeMap<String, SmartCard>,
}

impl Holder {
    /// `accountStatus: CLOTURE` (only that value; `CLOTURE_EN_COURS` is not closed yet: fake's choice).
    pub fn closed(&self) -> bool {
        self.record.account_status.as_deref() == Some("CLOTURE")
    }

    /// A student record (§2.8: an INE and société 10), whose names, e-mail, birth date and tariff come from
    /// the CVEC import: a PUT leaves them unchanged.
    pub fn is_student(&self) -> bool {
        self.record.ine.as_deref().is_some_and(|i| !i.is_empty())
            && self.record.id_company_rate == Some(10)
    }
}

/// A smart card under its holder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SmartCard {
    /// The §2.7 fields as the client sent them (types kept: `idZdc` may be a number or a string).
    pub fields: Map<String, Value>,
    pub id_zdc: String,
    pub uid: String,
    pub cancelled: bool,
    pub reason: Option<String>,
    pub cancel_date: Option<String>,
    pub revalidation_date: Option<String>,
    pub revalidations: u32,
    pub invalidations: u32,
}

/// A successful state change, in the order the fake applied them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrousEvent {
    HolderCreated(String),
    HolderUpdated(String),
    IdentifierChanged {
        from: String,
        to: String,
    },
    HolderReopened(String),
    CardAdded {
        holder: String,
        id_zdc: String,
    },
    CardRevalidated {
        holder: String,
        id_zdc: String,
    },
    CardInvalidated {
        holder: String,
        id_zdc: String,
        reason: String,
    },
}

#[derive(Debug, Default)]
pub struct CrousState {
    /// Keyed by identifier.
    pub right_holders: BTreeMap<String, Holder>,
    /// Tariff rules keyed by (numeroCrous, rne): the JSON list answered.
    pub rules: BTreeMap<(String, String), Value>,
    /// Successful POSTs of a right holder, per identifier.
    pub holder_creations: BTreeMap<String, u32>,
    /// Successful POSTs of a smart card, per idZdc.
    pub card_creations: BTreeMap<String, u32>,
    pub history: Vec<CrousEvent>,
}

impl CrousState {
    pub fn holder(&self, identifier: &str) -> Option<&Holder> {
        self.right_holders.get(identifier)
    }

    /// A card and its holder's identifier, wherever it is.
    pub fn card(&self, id_zdc: &str) -> Option<(&str, &SmartCard)> {
        self.right_holders
            .iter()
            .find_map(|(id, h)| h.cards.get(id_zdc).map(|c| (id.as_str(), c)))
    }
}

struct Inner {
    /// `base64(clientId:clientSecret)`, compared with the Basic credentials.
    basic: String,
    state: Mutex<CrousState>,
    calls: Mutex<Vec<Call>>,
    injections: Injections,
    tokens: Mutex<HashSet<String>>,
    token_calls: AtomicU64,
    token_seq: AtomicU64,
}

/// The running fake; stops when dropped.
pub struct CrousFake {
    http: HttpFake,
    inner: Arc<Inner>,
}

impl CrousFake {
    pub fn start(client_id: &str, client_secret: &str) -> CrousFake {
        let inner = Arc::new(Inner {
            basic: base64(format!("{client_id}:{client_secret}").as_bytes()),
            state: Mutex::new(CrousState::default()),
            calls: Mutex::new(Vec::new()),
            injections: Injections::default(),
            tokens: Mutex::new(HashSet::new()),
            token_calls: AtomicU64::new(0),
            token_seq: AtomicU64::new(0),
        });
        let handler_inner = inner.clone();
        let http = HttpFake::start(Arc::new(move |request| handler_inner.handle(request)));
        CrousFake { http, inner }
    }

    /// Both the API base (`webUrl`) and the token server (`accessUrl`).
    pub fn url(&self) -> String {
        self.http.url()
    }

    pub fn http(&self) -> &HttpFake {
        &self.http
    }

    /// The state, to read and to seed. Do not hold it across a request: the server waits for it.
    pub fn state(&self) -> MutexGuard<'_, CrousState> {
        lock(&self.inner.state)
    }

    /// API calls received (token calls excluded), in order.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.inner.calls).clone()
    }

    /// Token requests received, valid or not.
    pub fn token_calls(&self) -> u64 {
        self.inner.token_calls.load(Ordering::SeqCst)
    }

    /// Forgets the calls and the token-call count (not the state).
    pub fn clear_calls(&self) {
        lock(&self.inner.calls).clear();
        self.inner.token_calls.store(0, Ordering::SeqCst);
    }

    pub fn inject(&self, injection: Injection) {
        self.inner.injections.add(injection);
    }

    pub fn clear_injections(&self) {
        self.inner.injections.clear();
    }

    /// Every token issued so far is refused with 401 from now on; the next token works.
    pub fn expire_tokens(&self) {
        lock(&self.inner.tokens).clear();
    }

    pub fn set_offline(&self, offline: bool) {
        self.http.set_offline(offline);
    }

    /// Seeds a right holder from its JSON (§2.5). `accountStatus` and `blockingStatus` default to `ACTIF`
    /// and `NON_BLOQUE`.
    pub fn add_right_holder(&self, record: Value) {
        let mut record: RightHolder =
            serde_json::from_value(record).expect("a RightHolder JSON object to seed");
        assert!(
            !record.identifier.is_empty(),
            "a seeded right holder needs an identifier"
        );
        record.account_status.get_or_insert_with(|| "ACTIF".into());
        record
            .blocking_status
            .get_or_insert_with(|| "NON_BLOQUE".into());
        let holder = Holder {
            record,
            ..Holder::default()
        };
        self.state()
            .right_holders
            .insert(holder.record.identifier.clone(), holder);
    }

    /// Seeds a smart card (§2.7 JSON with at least `idZdc` and `uid`) under an existing holder.
    pub fn add_smart_card(&self, holder_id: &str, card: Value) {
        let card =
            api::smart_card(&card).expect("a SmartCard JSON object with idZdc and uid to seed");
        self.state()
            .right_holders
            .get_mut(holder_id)
            .expect("seed the right holder before its smart card")
            .cards
            .insert(card.id_zdc.clone(), card);
    }

    /// The list answered for `GET /crous/{numeroCrous}/organization/{rne}`.
    pub fn set_rules(&self, numero_crous: &str, rne: &str, rules: Value) {
        self.state()
            .rules
            .insert((numero_crous.into(), rne.into()), rules);
    }
}

/// The §2.12 error body.
pub fn error_body(status: u16, code: Option<&str>, message: &str) -> Response {
    field_error(status, code, message, None)
}

fn field_error(status: u16, code: Option<&str>, message: &str, field: Option<&str>) -> Response {
    Response::json(
        status,
        &json!({"errors": [{"code": code, "message": message, "field": field}]}),
    )
}

fn unprocessable(code: &str, message: &str) -> Response {
    error_body(422, Some(code), message)
}

fn bad_request(message: &str, field: Option<&str>) -> Response {
    field_error(400, None, message, field)
}

fn not_found(message: &str) -> Response {
    error_body(404, None, message)
}

fn locked() -> Response {
    error_body(423, None, "Compte Izly bloqué")
}

/// Every call's outcome: the success response or the error response.
type Outcome = Result<Response, Response>;

fn is_token_path(path: &str) -> bool {
    path == "/api/oauth/token" || path == "/api-pp/oauth/token"
}

impl Inner {
    fn handle(&self, request: &Request) -> super::http_fake::Reply {
        let token = is_token_path(&request.path);
        if token {
            self.token_calls.fetch_add(1, Ordering::SeqCst);
        }
        let (reply, status) = answer(&self.injections, request, error_body, || {
            self.respond(request)
        });
        if !token {
            lock(&self.calls).push(Call::new(request, status));
        }
        reply
    }

    fn respond(&self, request: &Request) -> Response {
        if is_token_path(&request.path) {
            return self.token(request);
        }
        if !self.authorised(request) {
            return error_body(401, None, "Unauthorized");
        }
        let Some(rest) = request.path.strip_prefix(PREFIX) else {
            return not_found("Ressource inconnue");
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let mut state = lock(&self.state);
        let state = &mut *state;
        let outcome = match (request.method.as_str(), segments.as_slice()) {
            ("POST", ["rightholders"]) => api::create_holder(state, request),
            ("GET", ["rightholders", id]) => api::get_holder(state, id),
            ("PUT", ["rightholders", id]) => api::update_holder(state, id, request),
            ("PATCH", ["rightholders", id]) => api::change_identifier(state, id, request),
            ("DELETE", ["closed-rightholders", id]) => api::reopen(state, id),
            ("POST", ["rightholders", id, "smartcard"]) => api::add_card(state, id, request),
            ("GET", ["rightholders", id, "smartcard", zdc]) => api::get_card(state, id, zdc),
            ("PATCH", ["rightholders", id, "smartcard", zdc]) => {
                api::patch_card(state, id, zdc, request)
            }
            ("GET", ["crous", numero, "organization", rne]) => Ok(Response::json(
                200,
                state
                    .rules
                    .get(&(numero.to_string(), rne.to_string()))
                    .unwrap_or(&json!([])),
            )),
            (
                _,
                ["rightholders"]
                | ["rightholders", _]
                | ["closed-rightholders", _]
                | ["rightholders", _, "smartcard"]
                | ["rightholders", _, "smartcard", _]
                | ["crous", _, "organization", _],
            ) => Err(error_body(405, None, "Method Not Allowed")),
            _ => Err(not_found("Ressource inconnue")),
        };
        outcome.unwrap_or_else(|e| e)
    }

    /// §2.2: `POST …/oauth/token?grant_type=client_credentials`, Basic credentials, no body. The error
    /// bodies are OAuth2's (RFC 6749 §5.2), as a gateway writes them (fake's choice).
    fn token(&self, request: &Request) -> Response {
        if request.method != "POST" {
            return Response::json(405, &json!({"error": "invalid_request"}));
        }
        if request.query_param("grant_type") != Some("client_credentials") {
            return Response::json(400, &json!({"error": "unsupported_grant_type"}));
        }
        let valid = request
            .header("authorization")
            .and_then(|v| v.split_once(' '))
            .is_some_and(|(scheme, credentials)| {
                scheme.eq_ignore_ascii_case("Basic") && credentials.trim() == self.basic
            });
        if !valid {
            return Response::json(401, &json!({"error": "invalid_client"}));
        }
        let seq = self.token_seq.fetch_add(1, Ordering::SeqCst);
        let token = format!(
            "{:016x}{:016x}",
            std::hash::RandomState::new().hash_one(seq),
            std::hash::RandomState::new().hash_one(!seq)
        );
        lock(&self.tokens).insert(token.clone());
        Response::json(
            200,
            &json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600}),
        )
    }

    fn authorised(&self, request: &Request) -> bool {
        request
            .header("authorization")
            .and_then(|v| v.split_once(' '))
            .is_some_and(|(scheme, token)| {
                scheme.eq_ignore_ascii_case("Bearer") && lock(&self.tokens).contains(token.trim())
            })
    }
}

/// A §2.4 date-time: `…Z`, `…+02:00` or `…+02`, with or without fractional seconds.
pub fn parse_date(text: &str) -> Option<jiff::Timestamp> {
    if let Ok(instant) = text.parse::<jiff::Timestamp>() {
        return Some(instant);
    }
    // An hour-only offset (`+02`): completed with minutes for the RFC 3339 parser.
    let split = text.len().checked_sub(3)?;
    let (head, offset) = text.split_at_checked(split)?;
    let digits = offset.get(1..)?;
    if offset.starts_with(['+', '-']) && digits.bytes().all(|b| b.is_ascii_digit()) {
        format!("{head}{offset}:00").parse().ok()
    } else {
        None
    }
}

/// Standard base64 with padding (RFC 4648 §4), for the expected Basic credentials.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(ALPHABET[index]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
