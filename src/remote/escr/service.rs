//! One ESC-R reconcile of a person (crous-escr.md §3.6–3.7): no INE → no European card; the person is
//! created or updated (GET, 404 → POST, PUT only when the router's copy differs; `ER-0019` is a warning;
//! `SE-0000` means another organisation's person), each enabled card with an ESCN is posted `ACTIVE`
//! (`ER-0002` → PUT), a disabled or expired card is deleted, and when no card is enabled any more and one
//! has expired (CADUC) the router person is deleted. A person whose payloads did not change since the last
//! successful run costs no call (fingerprint), until the verification period passes.

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use reqwest::Method;
use serde_json::{Value, json};

use super::client::{EscrClient, error_code, operation};
use crate::config::opted_in_by_default;
use crate::domain::card::CardState;
use crate::fl;
use crate::remote::Effect;
use crate::remote::crous::reconcile::DEFAULT_DUE;
use crate::remote::error::{Class, RemoteError};
use crate::remote::escr_model::{self, CardFacts, EscCard, EscPerson};
use crate::remote::http::{self, Reply};
use crate::remote::state as st;
use crate::store::Store;
use crate::store::remote::{RemoteState, Subject, SubjectCard};

pub const SERVICE: &str = "escr";

#[derive(Debug, Clone)]
pub struct Options {
    pub pic: Option<String>,
    pub country_code: String,
    pub opt_in: String,
    pub card_type: String,
    pub processor: Option<String>,
    pub verify_every: SignedDuration,
    pub tz: TimeZone,
}

pub struct EscrService {
    pub client: EscrClient,
    pub options: Options,
}

fn refusal(reply: &Reply, op: &str) -> RemoteError {
    let (code, message) = error_code(reply);
    if let Some(e) = http::transient(reply, op, message.clone()) {
        return e;
    }
    let code = code.unwrap_or_else(|| format!("HTTP {}", reply.status));
    let mut e = RemoteError::new(Class::Human, &code, message, op);
    if reply.status == 401 {
        e.code = "credentials".into();
    }
    e
}

fn seg(s: &str) -> String {
    crate::remote::crous::client::segment(s)
}

impl EscrService {
    /// The ESI of a subject: the saved one ("ESI can't be modified in ESCR", §3.6), else from the INE.
    pub fn esi_of(&self, s: &Subject, state: &RemoteState) -> Option<String> {
        state
            .remote_id
            .clone()
            .or_else(|| escr_model::esi(&self.options.country_code, s.ine.as_deref()?))
    }

    fn pic_of(&self, s: &Subject) -> Option<String> {
        s.options.pic.clone().or_else(|| self.options.pic.clone())
    }

    /// The payloads Guichet would send for `s` now (the Queue screen's "local" column).
    pub fn local_view(
        &self,
        s: &Subject,
        state: &RemoteState,
    ) -> Option<(EscPerson, Vec<EscCard>)> {
        let esi = self.esi_of(s, state)?;
        let pic = self.pic_of(s)?;
        let person = escr_model::build_person(
            &esi,
            &s.surname,
            &s.given_name,
            &pic,
            s.email.as_deref(),
            None,
        );
        let cards = s
            .cards
            .iter()
            .filter(|c| c.escn.is_some() && c.state.is_encoded())
            .map(|c| self.card(s, c, &esi, &pic))
            .collect();
        Some((person, cards))
    }

    fn card(&self, s: &Subject, c: &SubjectCard, esi: &str, pic: &str) -> EscCard {
        let encoded = c.encoded_at.unwrap_or(c.state_at);
        let encoded_local = encoded.to_zoned(self.options.tz.clone());
        let card_type = escr_model::card_type(
            encoded_local.datetime(),
            &self.options.card_type,
            &escr_model::default_card_types(),
        );
        escr_model::build_card(&CardFacts {
            escn: c.escn.as_deref().unwrap_or_default(),
            enabled: c.state == CardState::Enabled,
            card_type: &card_type,
            due_date: c.due_date.or(s.due_date).unwrap_or(DEFAULT_DUE),
            encoded_date: encoded_local.date(),
            pic,
            esi,
            processor: self.options.processor.as_deref(),
        })
    }

    pub async fn reconcile(
        &self,
        store: &Store,
        person: i64,
        now: Timestamp,
    ) -> Result<String, RemoteError> {
        let Some((s, mut state)) = st::load(store, SERVICE, person)? else {
            return Ok(fl!("remote-done-person-removed"));
        };
        let opted = s
            .options
            .escr
            .unwrap_or_else(|| opted_in_by_default(&self.options.opt_in, &s.affiliation));
        if !opted && state.remote_id.is_none() {
            return Ok(fl!("remote-done-escr-off"));
        }
        let Some(esi) = self.esi_of(&s, &state) else {
            return Ok(fl!("remote-done-no-ine"));
        };
        let Some(pic) = self.pic_of(&s) else {
            return Err(RemoteError::config("no-pic", fl!("remote-err-no-pic")));
        };
        let followed: Vec<&SubjectCard> = s
            .cards
            .iter()
            .filter(|c| {
                c.escn.is_some()
                    && matches!(
                        c.state,
                        CardState::Enabled | CardState::Disabled | CardState::Caduc
                    )
            })
            .collect();
        if followed.is_empty() && state.remote_id.is_none() {
            return Ok(fl!("remote-done-no-escn-card"));
        }
        let person_body = escr_model::build_person(
            &esi,
            &s.surname,
            &s.given_name,
            &pic,
            s.email.as_deref(),
            None,
        );
        let cards: Vec<EscCard> = followed
            .iter()
            .map(|c| self.card(&s, c, &esi, &pic))
            .collect();
        let states: Vec<&str> = followed.iter().map(|c| c.state.as_str()).collect();
        let fp = st::fingerprint(&json!([opted, person_body, cards, states]));
        let verify_due = st::verify_due(&state, now, self.options.verify_every);
        if st::unchanged(&state, &fp, verify_due) {
            return Ok(fl!("remote-done-unchanged"));
        }
        if !state.data.is_object() {
            state.data = json!({});
        }
        let any_enabled = followed.iter().any(|c| c.state == CardState::Enabled);
        let any_caduc = followed.iter().any(|c| c.state == CardState::Caduc);
        let mut done = Vec::new();

        // Cards going out first (a deleted card must not stay ACTIVE), then the person, then new cards.
        for (c, body) in followed.iter().zip(&cards) {
            if c.state == CardState::Enabled && opted {
                continue;
            }
            let key = body.card_number.clone();
            if state.data["cards"][&key].as_str() == Some("deleted") && !verify_due {
                continue;
            }
            let path = format!("/cards/{}", seg(&key));
            let reply = self.client.call::<()>(Method::DELETE, &path, None).await?;
            if !(reply.ok() || reply.status == 404) {
                return self.fail(
                    store,
                    person,
                    &mut state,
                    refusal(&reply, &operation(&Method::DELETE, &path)),
                );
            }
            state.data["cards"][&key] = json!("deleted");
            done.push(crate::ui_text::card_step(c.id, Effect::Revoked));
        }
        if (!any_enabled && any_caduc) || !opted {
            // §3.7: a card going CADUC deletes the router person (404/403 tolerated).
            let path = format!("/persons/{}", seg(&esi));
            let reply = self.client.call::<()>(Method::DELETE, &path, None).await?;
            if !(reply.ok() || matches!(reply.status, 403 | 404)) {
                return self.fail(
                    store,
                    person,
                    &mut state,
                    refusal(&reply, &operation(&Method::DELETE, &path)),
                );
            }
            done.push(fl!("remote-done-router-person-removed"));
        } else {
            match self.person(&esi, &person_body).await? {
                Ok(how) => done.push(crate::ui_text::person_step(how)),
                Err(e) if e.class == Class::GiveUp => {
                    // SE-0000: another organisation's person; nothing of ours can be sent.
                    state.fingerprint = None;
                    state.verified_at = Some(now);
                    st::save(store, SERVICE, person, &state)?;
                    return Err(e);
                }
                Err(e) => return self.fail(store, person, &mut state, e),
            }
            for (c, body) in followed.iter().zip(&cards) {
                if c.state != CardState::Enabled {
                    continue;
                }
                let key = body.card_number.clone();
                if state.data["cards"][&key].as_str() == Some("active") && !verify_due {
                    continue;
                }
                match self.post_card(body).await? {
                    Ok(how) => {
                        state.data["cards"][&key] = json!("active");
                        done.push(crate::ui_text::card_step(c.id, how));
                    }
                    Err(e) => return self.fail(store, person, &mut state, e),
                }
            }
        }
        state.remote_id = Some(esi);
        state.verified_at = Some(now);
        state.fingerprint = Some(fp);
        st::save(store, SERVICE, person, &state)?;
        Ok(if done.is_empty() {
            fl!("remote-done-escr-checked")
        } else {
            done.join("; ")
        })
    }

    fn fail(
        &self,
        store: &Store,
        person: i64,
        state: &mut RemoteState,
        e: RemoteError,
    ) -> Result<String, RemoteError> {
        state.fingerprint = None;
        st::save(store, SERVICE, person, state)?;
        Err(e)
    }

    /// GET; 404 → POST (`ER-0019`: already there, a warning); found → PUT when it differs.
    async fn person(
        &self,
        esi: &str,
        body: &EscPerson,
    ) -> Result<Result<Effect, RemoteError>, RemoteError> {
        let path = format!("/persons/{}", seg(esi));
        let reply = self.client.call::<()>(Method::GET, &path, None).await?;
        let (code, message) = error_code(&reply);
        if code.as_deref() == Some("SE-0000") {
            return Ok(Err(RemoteError::new(
                Class::GiveUp,
                "SE-0000",
                fl!("remote-err-other-organisation", message = message),
                &operation(&Method::GET, &path),
            )));
        }
        if reply.status == 404 {
            let reply = self
                .client
                .call(Method::POST, "/persons", Some(body))
                .await?;
            if reply.ok() || error_code(&reply).0.as_deref() == Some("ER-0019") {
                return Ok(Ok(Effect::Created));
            }
            return Ok(Err(refusal(&reply, "POST /persons")));
        }
        if !reply.ok() {
            return Ok(Err(refusal(&reply, &operation(&Method::GET, &path))));
        }
        let remote: Value = reply.json().unwrap_or(Value::Null);
        if !escr_model::person_differs(body, &remote) {
            return Ok(Ok(Effect::UpToDate));
        }
        let reply = self.client.call(Method::PUT, &path, Some(body)).await?;
        if reply.ok() {
            Ok(Ok(Effect::Updated))
        } else {
            Ok(Err(refusal(&reply, &operation(&Method::PUT, &path))))
        }
    }

    /// POST; `ER-0002` (the card exists) → PUT.
    async fn post_card(&self, body: &EscCard) -> Result<Result<Effect, RemoteError>, RemoteError> {
        let reply = self.client.call(Method::POST, "/cards", Some(body)).await?;
        if reply.ok() {
            return Ok(Ok(Effect::Added));
        }
        if error_code(&reply).0.as_deref() != Some("ER-0002") {
            return Ok(Err(refusal(&reply, "POST /cards")));
        }
        let path = format!("/cards/{}", seg(&body.card_number));
        let reply = self.client.call(Method::PUT, &path, Some(body)).await?;
        if reply.ok() {
            Ok(Ok(Effect::Updated))
        } else {
            Ok(Err(refusal(&reply, &operation(&Method::PUT, &path))))
        }
    }
}
