//! The endpoint handlers of [`super::CrousFake`] (reference crous-escr.md §2.3), with the checks and
//! the fake's choices documented on each.

use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};

use super::super::http_fake::{Request, Response};
use super::{
    CrousEvent, CrousState, Holder, Outcome, REASONS, RightHolder, SMART_CARD_FIELDS, SmartCard,
    bad_request, error_body, field_error, locked, not_found, parse_date, unprocessable,
};

/// The request body as `T`; 400 when it is not JSON of that shape.
fn body<T: DeserializeOwned>(request: &Request) -> Result<T, Response> {
    serde_json::from_slice(&request.body)
        .map_err(|e| bad_request(&format!("JSON invalide: {e}"), None))
}

fn created(holder: &Holder) -> Response {
    Response::json(201, &json!(holder.record))
}

/// A dueDate must be present and in a §2.4 format (400 otherwise: fake's choice), and not past (`-8`).
fn check_due_date(record: &RightHolder) -> Result<(), Response> {
    let text = record.due_date.as_deref().unwrap_or("");
    let due = parse_date(text).ok_or_else(|| bad_request("dueDate invalide", Some("dueDate")))?;
    if due < jiff::Timestamp::now() {
        return Err(unprocessable("-8", "La date de fin de droits est dépassée"));
    }
    Ok(())
}

fn check_email(record: &RightHolder) -> Result<(), Response> {
    match record.email.as_deref() {
        Some(email) if !email.trim().is_empty() => Ok(()),
        _ => Err(field_error(
            422,
            Some("-2"),
            "Email obligatoire",
            Some("email"),
        )),
    }
}

/// The holder, or 404.
fn holder_mut<'a>(state: &'a mut CrousState, id: &str) -> Result<&'a mut Holder, Response> {
    state
        .right_holders
        .get_mut(id)
        .ok_or_else(|| not_found("Ayant droit inconnu"))
}

/// The refusals of a write on an existing account: 423 locked, `-41` opposed, `-117` anonymised.
fn check_writable(holder: &Holder) -> Result<(), Response> {
    if holder.locked {
        Err(locked())
    } else if holder.anonymised {
        Err(unprocessable("-117", "Client anonymisé"))
    } else if holder.opposed {
        Err(unprocessable("-41", "Client en opposition"))
    } else {
        Ok(())
    }
}

pub(super) fn create_holder(state: &mut CrousState, request: &Request) -> Outcome {
    let mut record: RightHolder = body(request)?;
    if record.identifier.is_empty() {
        return Err(bad_request("identifier obligatoire", Some("identifier")));
    }
    if let Some(existing) = state.right_holders.get(&record.identifier) {
        if existing.locked {
            return Err(locked());
        }
        return Err(unprocessable("-11", "Client existant"));
    }
    check_due_date(&record)?;
    check_email(&record)?;
    // Received-only fields: what the client sends is ignored.
    record.account_status = Some("ACTIF".into());
    record.blocking_status = Some("NON_BLOQUE".into());
    let id = record.identifier.clone();
    let holder = Holder {
        record,
        ..Holder::default()
    };
    let response = created(&holder);
    state.right_holders.insert(id.clone(), holder);
    *state.holder_creations.entry(id.clone()).or_default() += 1;
    state.history.push(CrousEvent::HolderCreated(id));
    Ok(response)
}

pub(super) fn get_holder(state: &mut CrousState, id: &str) -> Outcome {
    let holder = holder_mut(state, id)?;
    if holder.locked {
        return Err(locked());
    }
    Ok(Response::json(200, &json!(holder.record)))
}

/// PUT: the path names the account, the body's `identifier` is ignored (identifier changes go through
/// PATCH; fake's choice).
pub(super) fn update_holder(state: &mut CrousState, id: &str, request: &Request) -> Outcome {
    let holder = holder_mut(state, id)?;
    check_writable(holder)?;
    let sent: RightHolder = body(request)?;
    check_due_date(&sent)?;
    let student = holder.is_student();
    if !student {
        check_email(&sent)?;
    }
    if let Some(priority) = &holder.priority_rne {
        let same_rne = sent
            .rne_org_code
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case(priority));
        let same_due = sent.due_date.as_deref().and_then(parse_date)
            == holder.record.due_date.as_deref().and_then(parse_date);
        if !same_rne && same_due {
            return Err(error_body(
                406,
                None,
                "Le compte a un rne prioritaire qui est différent du rne proposé",
            ));
        }
        holder.priority_rne = None;
    }
    let record = &mut holder.record;
    record.due_date = sent.due_date;
    record.id_company_rate = sent.id_company_rate;
    record.ine = sent.ine;
    record.rne_org_code = sent.rne_org_code;
    if !student {
        record.first_name = sent.first_name;
        record.last_name = sent.last_name;
        record.email = sent.email;
        record.simple_birth_date = sent.simple_birth_date;
        record.id_rate = sent.id_rate;
    }
    let response = Response::json(200, &json!(record));
    state.history.push(CrousEvent::HolderUpdated(id.into()));
    Ok(response)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdentifierChange {
    current_identifier: Option<String>,
    email: Option<String>,
    new_identifier: Option<String>,
}

/// PATCH `{currentIdentifier, email, newIdentifier}`: the account and its cards move to the new
/// identifier. The e-mail is not checked against the account, a `currentIdentifier` other than the path's
/// is a 400, and the same identifier is a 200 without change (fake's choices).
pub(super) fn change_identifier(state: &mut CrousState, id: &str, request: &Request) -> Outcome {
    let holder = holder_mut(state, id)?;
    check_writable(holder)?;
    let change: IdentifierChange = body(request)?;
    if change
        .current_identifier
        .as_deref()
        .is_some_and(|c| c != id)
    {
        return Err(bad_request(
            "currentIdentifier différent",
            Some("currentIdentifier"),
        ));
    }
    let new_id = change.new_identifier.unwrap_or_default();
    if new_id.is_empty() {
        return Err(bad_request(
            "newIdentifier obligatoire",
            Some("newIdentifier"),
        ));
    }
    if new_id == id {
        return Ok(Response::json(200, &json!(holder.record)));
    }
    if state.right_holders.contains_key(&new_id) {
        return Err(unprocessable("-11", "Client existant"));
    }
    let Some(mut holder) = state.right_holders.remove(id) else {
        return Err(not_found("Ayant droit inconnu"));
    };
    holder.record.identifier = new_id.clone();
    let response = Response::json(200, &json!(holder.record));
    state.right_holders.insert(new_id.clone(), holder);
    state.history.push(CrousEvent::IdentifierChanged {
        from: id.into(),
        to: new_id,
    });
    Ok(response)
}

/// DELETE closed-rightholders: re-opens a `CLOTURE` account (`ACTIF` again); 404 when it is not closed.
pub(super) fn reopen(state: &mut CrousState, id: &str) -> Outcome {
    let holder = holder_mut(state, id)?;
    if !holder.closed() {
        return Err(not_found("Compte non clôturé"));
    }
    holder.record.account_status = Some("ACTIF".into());
    state.history.push(CrousEvent::HolderReopened(id.into()));
    Ok(Response::empty(204))
}

/// A SmartCard from JSON: `uid` mandatory and upper case, `idZdc` mandatory (a string or a number), a
/// `zdcCreationDate` in a §2.4 format when present. Fields outside §2.7 are dropped.
pub(super) fn smart_card(value: &Value) -> Result<SmartCard, Response> {
    let object = value
        .as_object()
        .ok_or_else(|| bad_request("SmartCard attendue", None))?;
    let uid = object.get("uid").and_then(Value::as_str).unwrap_or("");
    if uid.is_empty() {
        return Err(bad_request("uid obligatoire", Some("uid")));
    }
    if uid != uid.to_ascii_uppercase() {
        return Err(bad_request("uid doit être en majuscules", Some("uid")));
    }
    let id_zdc = match object.get("idZdc") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    if id_zdc.is_empty() {
        return Err(bad_request("idZdc obligatoire", Some("idZdc")));
    }
    let date = object.get("zdcCreationDate").filter(|d| !d.is_null());
    if date.is_some_and(|d| d.as_str().and_then(parse_date).is_none()) {
        return Err(bad_request(
            "zdcCreationDate invalide",
            Some("zdcCreationDate"),
        ));
    }
    let fields = object
        .iter()
        .filter(|(k, _)| SMART_CARD_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(SmartCard {
        fields,
        id_zdc,
        uid: uid.into(),
        ..SmartCard::default()
    })
}

/// POST smartcard: 404 for a closed account (§2.11), then the write refusals; an `idZdc` or a `uid`
/// already known anywhere → 422 `-10` (fake's choice).
pub(super) fn add_card(state: &mut CrousState, id: &str, request: &Request) -> Outcome {
    let holder = holder_mut(state, id)?;
    if holder.closed() {
        return Err(not_found("Compte clôturé"));
    }
    check_writable(holder)?;
    let value: Value = body(request)?;
    let card = smart_card(&value)?;
    if state.card(&card.id_zdc).is_some() {
        return Err(field_error(
            422,
            Some("-10"),
            "Carte existante",
            Some("idZdc"),
        ));
    }
    let uid_taken = state
        .right_holders
        .values()
        .any(|h| h.cards.values().any(|c| c.uid == card.uid));
    if uid_taken {
        return Err(field_error(
            422,
            Some("-10"),
            "Carte existante",
            Some("uid"),
        ));
    }
    let response = Response::json(201, &Value::Object(card.fields.clone()));
    let id_zdc = card.id_zdc.clone();
    holder_mut(state, id)?.cards.insert(id_zdc.clone(), card);
    *state.card_creations.entry(id_zdc.clone()).or_default() += 1;
    state.history.push(CrousEvent::CardAdded {
        holder: id.into(),
        id_zdc,
    });
    Ok(response)
}

pub(super) fn get_card(state: &mut CrousState, id: &str, id_zdc: &str) -> Outcome {
    let holder = holder_mut(state, id)?;
    let card = holder
        .cards
        .get(id_zdc)
        .ok_or_else(|| not_found("Carte inconnue"))?;
    Ok(Response::json(200, &Value::Object(card.fields.clone())))
}

/// A non-empty string field of the PATCH body ("" and null are empty).
fn text_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// PATCH smartcard (§2.3): the `uid` header must equal the card's uid exactly (400 otherwise: fake's
/// choice); a body with `cancelDate` invalidates, one with `revalidationDate` revalidates, one with both
/// or neither is a 400. A closed account answers 404 (fake's choice, like the POST of §2.11).
pub(super) fn patch_card(
    state: &mut CrousState,
    id: &str,
    id_zdc: &str,
    request: &Request,
) -> Outcome {
    let holder = holder_mut(state, id)?;
    if holder.closed() {
        return Err(not_found("Compte clôturé"));
    }
    let due = holder.record.due_date.as_deref().and_then(parse_date);
    let writable = check_writable(holder);
    let card = holder
        .cards
        .get_mut(id_zdc)
        .ok_or_else(|| not_found("Carte inconnue"))?;
    match request.header("uid") {
        None => return Err(bad_request("en-tête uid obligatoire", Some("uid"))),
        Some(uid) if uid != card.uid => return Err(bad_request("uid incorrect", Some("uid"))),
        Some(_) => {}
    }
    writable?;
    let patch: Value = body(request)?;
    let cancel = text_field(&patch, "cancelDate");
    let revalidation = text_field(&patch, "revalidationDate");
    let date_ok = |d: Option<&str>| d.is_none_or(|d| parse_date(d).is_some());
    if !date_ok(cancel) || !date_ok(revalidation) {
        return Err(bad_request("date invalide", None));
    }
    let event = match (cancel, revalidation) {
        (Some(cancel), None) => {
            let reason = text_field(&patch, "reason").unwrap_or("");
            if !REASONS.contains(&reason) {
                return Err(bad_request("reason invalide", Some("reason")));
            }
            if card.cancelled {
                return Err(unprocessable("-9", "Carte déjà invalidée"));
            }
            card.cancelled = true;
            card.reason = Some(reason.into());
            card.cancel_date = Some(cancel.into());
            card.invalidations += 1;
            CrousEvent::CardInvalidated {
                holder: id.into(),
                id_zdc: id_zdc.into(),
                reason: reason.into(),
            }
        }
        (None, Some(revalidation)) => {
            if due.is_none_or(|due| due < jiff::Timestamp::now()) {
                return Err(unprocessable("-8", "La date de fin de droits est dépassée"));
            }
            card.cancelled = false;
            card.reason = None;
            card.revalidation_date = Some(revalidation.into());
            card.revalidations += 1;
            CrousEvent::CardRevalidated {
                holder: id.into(),
                id_zdc: id_zdc.into(),
            }
        }
        _ => {
            return Err(bad_request("cancelDate ou revalidationDate attendu", None));
        }
    };
    let response = Response::json(200, &Value::Object(card.fields.clone()));
    state.history.push(event);
    Ok(response)
}
