//! One CROUS reconcile of a person (crous-escr.md §2.8–2.11): read the person and their cards as they are
//! now, skip the call entirely when the pushed fields have not changed since the last successful run
//! (fingerprint; checked again after `crous.verify_days`), else bring the right holder in line ("update
//! only if needed") and then the smart cards: revalidate the enabled card, invalidate the disabled and
//! expired ones with their reason.

use jiff::civil::DateTime;
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use reqwest::Method;
use serde_json::{Value, json};

use super::client::{CrousClient, describe, operation, segment};
use super::model::{CardPatch, PatchIdentifier, RightHolder, SmartCard, format_datetime};
use super::reconcile::{self, CNRS_COMPANY, PersonFacts, Plan, STUDENT_COMPANY};
use crate::config::opted_in_by_default;
use crate::domain::card::CardState;
use crate::domain::tariff::{self, Rule, TariffInput};
use crate::fl;
use crate::remote::Effect;
use crate::remote::error::{Class, RemoteError};
use crate::remote::http::{self, Reply};
use crate::remote::state as st;
use crate::store::Store;
use crate::store::encoding::CROUS_COUNTER_BEGIN;
use crate::store::remote::{RemoteState, Subject};

pub const SERVICE: &str = "crous";

/// Behaviour settings of the service.
#[derive(Debug, Clone)]
pub struct Options {
    pub ine_preferred: bool,
    pub opt_in: String,
    pub verify_every: SignedDuration,
    pub tz: TimeZone,
}

pub struct CrousService {
    pub client: CrousClient,
    pub options: Options,
    pub rules: Vec<Rule>,
}

/// The call step a reply belongs to, for the error classification of §2.11.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    GetHolder,
    PostHolder,
    PutHolder,
    GetCard,
    PostCard,
    Revalidate,
    Invalidate,
}

/// §2.11: whether a refusal is non-blocking for this step.
fn non_blocking(step: Step, status: u16, code: Option<&str>) -> bool {
    use Step::*;
    let soft = matches!(code, Some("-8" | "-9" | "-41" | "-42" | "-117"));
    match (step, status) {
        // 423: a locked Izly account; "the card call is skipped" (§2.11), whichever card call meets it.
        (_, 423) => true,
        (PostHolder | PutHolder | Invalidate, 422) => soft,
        (Revalidate, 422) => code == Some("-8"),
        (PostCard, 422) => code == Some("-31"),
        (PostCard | Invalidate, 404) => true,
        (PostHolder | PutHolder, 406) => true,
        (GetHolder, 403) => true,
        _ => false,
    }
}

/// The error of a refused call: transient (retry), non-blocking (recorded), or blocking (a human).
fn refusal(step: Step, reply: &Reply, op: &str) -> RemoteError {
    let message = describe(reply);
    if let Some(e) = http::transient(reply, op, message.clone()) {
        return e;
    }
    let api = super::model::api_error(&reply.body);
    let code = api
        .code
        .clone()
        .unwrap_or_else(|| format!("HTTP {}", reply.status));
    let class = if non_blocking(step, reply.status, api.code.as_deref()) {
        Class::GiveUp
    } else {
        Class::Human
    };
    let mut e = RemoteError::new(class, &code, message, op);
    e.blocking = class == Class::Human;
    e
}

/// How the right-holder step ended (§2.8 step 7).
#[derive(Debug)]
enum Holder {
    Ok,
    Ko(RemoteError),
    Blocked(RemoteError),
}

/// The (société, tarif) of a subject with the index of the rule that gave it (§2.14).
pub fn tariff_of(s: &Subject, rules: &[Rule]) -> tariff::Tariff {
    let status = s
        .options
        .reference_status
        .as_deref()
        .map(|r| tariff::reference_status(Some(r)))
        .unwrap_or_else(|| tariff::status_for_affiliation(&s.affiliation));
    tariff::compute(
        rules,
        &TariffInput {
            reference_status: status,
            rne: s.uai.as_deref(),
            indice: s.options.indice.unwrap_or(0),
        },
    )
}

/// CROUS card number of a card: Guichet's own numbering (`idCounterBegin` + card id, §2.7).
pub fn id_zdc(card: i64) -> String {
    (CROUS_COUNTER_BEGIN + card as u64).to_string()
}

impl CrousService {
    fn opted_in(&self, s: &Subject) -> bool {
        s.options
            .crous
            .unwrap_or_else(|| opted_in_by_default(&self.options.opt_in, &s.affiliation))
    }

    /// The right holder Guichet would send for `s` now (the Queue screen's "local" column).
    pub fn local_view(&self, s: &Subject, state: &RemoteState, now: Timestamp) -> RightHolder {
        let facts = self.facts(s, state);
        let id = reconcile::computed_identifier(
            &facts,
            state.remote_id.as_deref(),
            self.options.ine_preferred,
        )
        .unwrap_or_default();
        reconcile::local_right_holder(&facts, &id, reconcile::local_now(now, &self.options.tz))
    }

    fn facts<'a>(&self, s: &'a Subject, state: &RemoteState) -> PersonFacts<'a> {
        let t = tariff_of(s, &self.rules);
        let mut id_rate = t.id_rate;
        // §2.16: a student's tarif learned from CROUS is kept (no GET per student to learn it again).
        if t.id_company_rate == STUDENT_COMPANY
            && state.data.get("id_company_rate").and_then(Value::as_i64) == Some(STUDENT_COMPANY)
            && let Some(r) = state.data.get("id_rate").and_then(Value::as_i64)
        {
            id_rate = r;
        }
        PersonFacts {
            eppn: s.eppn.as_deref(),
            ine: s.ine.as_deref(),
            first_name: &s.given_name,
            last_name: &s.surname,
            email: s.email.as_deref(),
            birth_date: s.birth_date,
            due_date: s.due_date,
            rne: s.uai.as_deref(),
            id_company_rate: t.id_company_rate,
            id_rate,
        }
    }

    /// Brings CROUS in line with person `person`; returns what was done.
    pub async fn reconcile(
        &self,
        store: &Store,
        person: i64,
        now: Timestamp,
    ) -> Result<String, RemoteError> {
        let Some((s, mut state)) = st::load(store, SERVICE, person)? else {
            return Ok(fl!("remote-done-person-removed"));
        };
        if !self.opted_in(&s) {
            return Ok(fl!("remote-done-crous-off"));
        }
        let followed: Vec<_> = s
            .cards
            .iter()
            .filter(|c| {
                matches!(
                    c.state,
                    CardState::Enabled | CardState::Disabled | CardState::Caduc
                )
            })
            .collect();
        if followed.is_empty() {
            return Ok(fl!("remote-done-no-followed-card"));
        }
        if s.email.is_none() {
            return Err(RemoteError::config("no-email", fl!("remote-err-no-email")));
        }
        if let Some(c) = followed.iter().find(|c| c.csn.is_none()) {
            return Err(RemoteError::config(
                "no-crous-card",
                fl!("remote-err-no-csn", card = c.id),
            ));
        }
        let facts = self.facts(&s, &state);
        let cards: Vec<Value> = followed
            .iter()
            .map(|c| {
                json!([
                    c.id,
                    c.state.as_str(),
                    c.csn.as_ref().map(|x| x.hex()),
                    reconcile::reason_code(c.disable_reason)
                ])
            })
            .collect();
        let fingerprint = fingerprint(&facts, &cards, self.options.ine_preferred);
        let verify_due = st::verify_due(&state, now, self.options.verify_every);
        if st::unchanged(&state, &fingerprint, verify_due) {
            return Ok(fl!("remote-done-unchanged"));
        }
        let now_local = reconcile::local_now(now, &self.options.tz);

        let holder = self.right_holder(&facts, &mut state, now_local).await?;
        let Some(identifier) = state.remote_id.clone() else {
            // No account is known (refused or not created): no card can be sent.
            return Err(match holder {
                Holder::Ko(e) | Holder::Blocked(e) => e,
                Holder::Ok => RemoteError::config("no-identifier", fl!("remote-err-no-identifier")),
            });
        };
        let mut card_data = state.data.get("cards").cloned().unwrap_or(json!({}));
        let mut soft: Option<RemoteError> = None;
        let mut done = Vec::new();
        for c in &followed {
            let key = c.id.to_string();
            let sent = card_data
                .get(&key)
                .and_then(Value::as_str)
                .map(str::to_string);
            let csn = c.csn.as_ref().map(|x| x.hex()).unwrap_or_default();
            let zdc = id_zdc(c.id);
            let result = match c.state {
                CardState::Enabled => {
                    if matches!(holder, Holder::Blocked(_)) {
                        continue;
                    }
                    if sent.as_deref() == Some("valid") && !verify_due {
                        continue;
                    }
                    self.validate_card(&identifier, &zdc, &csn, c.encoded_at, now_local)
                        .await
                        .map(|how| (how, "valid"))
                }
                _ => {
                    if !matches!(holder, Holder::Ok) || sent.as_deref() == Some("invalid") {
                        continue;
                    }
                    self.invalidate_card(
                        &identifier,
                        &zdc,
                        &csn,
                        reconcile::reason_code(c.disable_reason),
                        now_local,
                    )
                    .await
                    .map(|how| (how, "invalid"))
                }
            };
            match result {
                Ok((how, mark)) => {
                    card_data[&key] = json!(mark);
                    done.push(crate::ui_text::card_step(c.id, how));
                }
                Err(e) if e.class == Class::GiveUp => {
                    card_data[&key] = json!(format!("refused {}", e.code));
                    soft.get_or_insert(e);
                }
                Err(e) => {
                    state.data["cards"] = card_data;
                    state.fingerprint = None;
                    st::save(store, SERVICE, person, &state)?;
                    return Err(e);
                }
            }
        }
        state.data["cards"] = card_data;
        state.verified_at = Some(now);
        let outcome = match holder {
            Holder::Ok => soft,
            Holder::Ko(e) | Holder::Blocked(e) => Some(e),
        };
        // A recorded refusal is not "in line": the next change of the person tries again.
        state.fingerprint = outcome.is_none().then_some(fingerprint);
        st::save(store, SERVICE, person, &state)?;
        match outcome {
            Some(e) => Err(e),
            None if done.is_empty() => Ok(fl!("remote-done-crous-checked")),
            None => Ok(done.join("; ")),
        }
    }

    /// §2.8 steps 1–7; keeps the identifier in use and what was learned in `state`.
    async fn right_holder(
        &self,
        facts: &PersonFacts<'_>,
        state: &mut RemoteState,
        now: DateTime,
    ) -> Result<Holder, RemoteError> {
        let pref = self.options.ine_preferred;
        let mut saved = state.remote_id.clone();
        let remote = loop {
            let Some(first) = saved
                .clone()
                .or_else(|| reconcile::computed_identifier(facts, None, pref))
            else {
                return Err(RemoteError::config(
                    "no-identifier",
                    fl!("remote-err-no-identifier"),
                ));
            };
            let path = format!("/rightholders/{}", segment(&first));
            let reply = self
                .client
                .call::<()>(Method::GET, &path, None, None)
                .await?;
            match reply.status {
                200..=299 => {
                    let rh: RightHolder = serde_json::from_slice(&reply.body).map_err(|e| {
                        RemoteError::new(
                            Class::Retry,
                            "bad-json",
                            e.to_string(),
                            &operation(&Method::GET, &path),
                        )
                    })?;
                    break rh;
                }
                404 if saved.is_some() => {
                    // A stale saved identifier: forget it and look again (§2.8 step 2).
                    saved = None;
                    state.remote_id = None;
                }
                404 => {
                    let identifier =
                        reconcile::computed_identifier(facts, None, pref).unwrap_or(first);
                    if reconcile::person_past_due(facts, now) {
                        return Ok(Holder::Blocked(RemoteError::new(
                            Class::GiveUp,
                            "KO_BLOCKED",
                            fl!("remote-err-rights-ended"),
                            "POST /beforeizly/v1/rightholders",
                        )));
                    }
                    let body = reconcile::local_right_holder(facts, &identifier, now);
                    let reply = self
                        .client
                        .call(Method::POST, "/rightholders", Some(&body), None)
                        .await?;
                    if reply.ok() {
                        state.remote_id = Some(identifier);
                        self.learn(state, facts, &body);
                        return Ok(Holder::Ok);
                    }
                    let e = refusal(
                        Step::PostHolder,
                        &reply,
                        &operation(&Method::POST, "/rightholders"),
                    );
                    return soft_or_err(e);
                }
                _ => {
                    let e = refusal(Step::GetHolder, &reply, &operation(&Method::GET, &path));
                    return soft_or_err(e);
                }
            }
        };
        state.remote_id = Some(remote.identifier.clone())
            .filter(|s| !s.is_empty())
            .or(saved);
        let found = state.remote_id.clone().unwrap_or_default();
        let id = reconcile::computed_identifier(facts, Some(&found), pref).unwrap_or(found.clone());
        let mut local = reconcile::local_right_holder(facts, &id, now);
        if facts.id_company_rate == CNRS_COMPANY {
            // §2.16: CNRS staff take the tarif CROUS holds.
            local.id_rate = remote.id_rate.or(local.id_rate);
        }
        match reconcile::plan(&local, &remote, now) {
            Plan::UpToDate | Plan::KeepRemoteDueDate => {
                self.learn(state, facts, &remote);
                Ok(Holder::Ok)
            }
            Plan::WouldDowngradeStudent => Ok(Holder::Blocked(RemoteError::new(
                Class::GiveUp,
                "KO_BLOCKED",
                fl!("remote-err-no-downgrade"),
                "PUT /beforeizly/v1/rightholders/{id}",
            ))),
            Plan::Put {
                mut body,
                patch_identifier_from,
                kept_rate,
            } => {
                let mut target = found.clone();
                if let Some(from) = patch_identifier_from
                    && !reconcile::person_past_due(facts, now)
                {
                    let patch = PatchIdentifier {
                        current_identifier: from.clone(),
                        email: remote.email.clone().unwrap_or_default(),
                        new_identifier: body.identifier.clone(),
                    };
                    let path = format!("/rightholders/{}", segment(&from));
                    let reply = self
                        .client
                        .call(Method::PATCH, &path, Some(&patch), None)
                        .await?;
                    if reply.ok() {
                        target = body.identifier.clone();
                    } else {
                        // §2.8: a PATCH failure does not stop the update (it keeps the old identifier).
                        if let Some(e) = http::transient(
                            &reply,
                            &operation(&Method::PATCH, &path),
                            describe(&reply),
                        ) {
                            return Err(e);
                        }
                        tracing::warn!(status = reply.status, "CROUS identifier change refused");
                        body.identifier = from.clone();
                    }
                }
                let path = format!("/rightholders/{}", segment(&target));
                let reply = self
                    .client
                    .call(Method::PUT, &path, Some(&body), None)
                    .await?;
                if reply.ok() {
                    state.remote_id = Some(target);
                    let mut learned = body.clone();
                    if kept_rate.is_some() {
                        learned.id_rate = kept_rate;
                    }
                    self.learn(state, facts, &learned);
                    return Ok(Holder::Ok);
                }
                state.remote_id = Some(target);
                soft_or_err(refusal(
                    Step::PutHolder,
                    &reply,
                    &operation(&Method::PUT, &path),
                ))
            }
        }
    }

    /// Keeps the société and tarif CROUS holds (a student's tarif is kept locally, §2.16).
    fn learn(&self, state: &mut RemoteState, facts: &PersonFacts<'_>, rh: &RightHolder) {
        if !state.data.is_object() {
            state.data = json!({});
        }
        let company = rh.id_company_rate.unwrap_or(facts.id_company_rate);
        state.data["id_company_rate"] = json!(company);
        if let Some(r) = rh.id_rate {
            state.data["id_rate"] = json!(r);
        }
    }

    /// §2.9 activation: GET the card; 404 → POST; else PATCH revalidate.
    async fn validate_card(
        &self,
        holder: &str,
        zdc: &str,
        csn: &str,
        encoded_at: Option<Timestamp>,
        now: DateTime,
    ) -> Result<Effect, RemoteError> {
        let base = format!("/rightholders/{}/smartcard", segment(holder));
        let path = format!("{base}/{}", segment(zdc));
        let reply = self
            .client
            .call::<()>(Method::GET, &path, None, None)
            .await?;
        match reply.status {
            404 => {
                let card = SmartCard {
                    id_zdc: zdc.to_string(),
                    uid: csn.to_uppercase(),
                    rid: Some(zdc.to_string()),
                    zdc_creation_date: Some(format_datetime(
                        reconcile::local_now(
                            encoded_at.unwrap_or(Timestamp::UNIX_EPOCH),
                            &self.options.tz,
                        )
                        .max(jiff::civil::date(2000, 1, 1).at(0, 0, 0, 0))
                        .min(now),
                    )),
                };
                let reply = self
                    .client
                    .call(Method::POST, &base, Some(&card), None)
                    .await?;
                if reply.ok() {
                    Ok(Effect::Added)
                } else {
                    Err(refusal(
                        Step::PostCard,
                        &reply,
                        &operation(&Method::POST, &base),
                    ))
                }
            }
            200..=299 => {
                let reply = self
                    .client
                    .call(
                        Method::PATCH,
                        &path,
                        Some(&CardPatch::revalidate(now)),
                        Some(&csn.to_uppercase()),
                    )
                    .await?;
                if reply.ok() {
                    Ok(Effect::Revalidated)
                } else {
                    Err(refusal(
                        Step::Revalidate,
                        &reply,
                        &operation(&Method::PATCH, &path),
                    ))
                }
            }
            _ => Err(refusal(
                Step::GetCard,
                &reply,
                &operation(&Method::GET, &path),
            )),
        }
    }

    /// §2.9 deactivation: PATCH with cancelDate and reason; 404 and "already invalidated" (-9) mean
    /// there is nothing left to invalidate.
    async fn invalidate_card(
        &self,
        holder: &str,
        zdc: &str,
        csn: &str,
        reason: &str,
        now: DateTime,
    ) -> Result<Effect, RemoteError> {
        let path = format!(
            "/rightholders/{}/smartcard/{}",
            segment(holder),
            segment(zdc)
        );
        let reply = self
            .client
            .call(
                Method::PATCH,
                &path,
                Some(&CardPatch::invalidate(now, reason)),
                Some(&csn.to_uppercase()),
            )
            .await?;
        if reply.ok() {
            return Ok(Effect::Invalidated);
        }
        let code = super::model::api_error(&reply.body).code;
        if reply.status == 404 || (reply.status == 422 && code.as_deref() == Some("-9")) {
            return Ok(Effect::AlreadyInvalid);
        }
        Err(refusal(
            Step::Invalidate,
            &reply,
            &operation(&Method::PATCH, &path),
        ))
    }
}

fn soft_or_err(e: RemoteError) -> Result<Holder, RemoteError> {
    if e.class == Class::GiveUp {
        Ok(Holder::Ko(e))
    } else {
        Err(e)
    }
}

/// The fingerprint of what is pushed: the person's facts, the identifier preference and the followed
/// cards' states.
fn fingerprint(f: &PersonFacts<'_>, cards: &[Value], ine_preferred: bool) -> String {
    st::fingerprint(&json!([
        f.eppn,
        f.ine,
        f.first_name,
        f.last_name,
        f.email,
        f.birth_date.map(|d| d.to_string()),
        f.due_date.map(|d| d.to_string()),
        f.rne,
        f.id_company_rate,
        f.id_rate,
        ine_preferred,
        cards
    ]))
}
