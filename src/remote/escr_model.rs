//! European Student Card Router (ESC-R) API v2: the person and card payloads and the rules that fill
//! them (`reference/crous-escr.md` §3.3 payloads, §3.4 card type by date, §3.6 ESI, §3.7 when to PUT).

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

/// The ESI prefix before the lower-case country code (§3.6, the format in use since 2021-03).
pub const ESI_PREFIX: &str = "urn:schac:personalUniqueCode:int:esi:";

/// The European Student Identifier of a student, `urn:schac:personalUniqueCode:int:esi:fr:<INE>` (§3.6).
/// `None` when the INE is blank: no INE, no European Student Card. A person already known to the router
/// keeps the ESI saved for them ("ESI can't be modified in ESCR"); this builds only a new one.
pub fn esi(country_code: &str, ine: &str) -> Option<String> {
    let ine = ine.trim();
    if ine.is_empty() {
        return None;
    }
    Some(format!(
        "{ESI_PREFIX}{}:{ine}",
        country_code.trim().to_lowercase()
    ))
}

/// `POST /persons` and `PUT /persons/{esi}` body (§3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EscPerson {
    pub identifier: String,
    pub full_name: String,
    #[serde(default)]
    pub person_organisation_update_views: Vec<EscOrgView>,
}

/// The person's link to one organisation (PIC), with the organisation-specific data (§3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EscOrgView {
    pub organisation_identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub academic_level: Option<String>,
}

/// The router's academic level for an EQF level: 6 `BACHELOR`, 7 `MASTER`, 8 `DOCTORATE`, none
/// otherwise (the field is then omitted, §3.3).
pub fn academic_level(eqf: Option<u8>) -> Option<&'static str> {
    match eqf? {
        6 => Some("BACHELOR"),
        7 => Some("MASTER"),
        8 => Some("DOCTORATE"),
        _ => None,
    }
}

/// The person payload. `esi` is the saved ESI or a new one from [`esi`]; `full_name` is the family name,
/// a space and the first name as the directory gives them (§3.3); `pic` is the organisation (the
/// configured PIC or the person's own `pic`, §3.1). A blank e-mail is omitted.
pub fn build_person(
    esi: &str,
    surname: &str,
    given_name: &str,
    pic: &str,
    email: Option<&str>,
    eqf: Option<u8>,
) -> EscPerson {
    let full_name = [surname.trim(), given_name.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    EscPerson {
        identifier: esi.trim().to_string(),
        full_name,
        person_organisation_update_views: vec![EscOrgView {
            organisation_identifier: pic.trim().to_string(),
            email: email
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_string),
            academic_level: academic_level(eqf).map(str::to_string),
        }],
    }
}

/// `cardStatusType` of a card (§3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CardStatusType {
    Active,
    Inactive,
}

/// `POST /cards` and `PUT /cards/{cardNumber}` body (§3.3). Dates are written `yyyy-MM-dd`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EscCard {
    pub card_number: String,
    pub card_status_type: CardStatusType,
    pub card_type: String,
    #[serde(with = "ymd")]
    pub expires_at: Date,
    #[serde(with = "ymd")]
    pub issued_at: Date,
    pub issuer_identifier: String,
    pub person_identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_identifier: Option<String>,
}

/// What a card payload is built from, as plain values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardFacts<'a> {
    pub escn: &'a str,
    /// Whether the card is `ENABLED`: only then is it `ACTIVE` (§3.3).
    pub enabled: bool,
    /// From [`card_type`].
    pub card_type: &'a str,
    /// The card's due date.
    pub due_date: Date,
    /// The card's encoding date.
    pub encoded_date: Date,
    /// The issuing organisation's PIC.
    pub pic: &'a str,
    pub esi: &'a str,
    /// The Third-Party Processor id, sent only when configured (§3.1).
    pub processor: Option<&'a str>,
}

pub fn build_card(f: &CardFacts) -> EscCard {
    EscCard {
        card_number: f.escn.trim().to_string(),
        card_status_type: if f.enabled {
            CardStatusType::Active
        } else {
            CardStatusType::Inactive
        },
        card_type: f.card_type.to_string(),
        expires_at: f.due_date,
        issued_at: f.encoded_date,
        issuer_identifier: f.pic.trim().to_string(),
        person_identifier: f.esi.trim().to_string(),
        processor_identifier: f
            .processor
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string),
    }
}

/// The default `cardType` of the sample configuration (§3.4).
pub const DEFAULT_CARD_TYPE: &str = "SMART_NO_CDZ";

/// The card type of a card encoded at `encoded_at` (§3.4): walking `by_date` in ascending date order,
/// every entry strictly before `encoded_at` overrides the type; `default` when none is.
pub fn card_type(encoded_at: DateTime, default: &str, by_date: &[(DateTime, String)]) -> String {
    let mut entries: Vec<&(DateTime, String)> = by_date.iter().collect();
    entries.sort_by_key(|(at, _)| *at);
    entries
        .into_iter()
        .fold(
            default,
            |current, (at, kind)| {
                if *at < encoded_at { kind } else { current }
            },
        )
        .to_string()
}

/// The sample date → type map of §3.4: `SMART_CDZ` from 2018-01-01 16:17:10, `SMART_NO_CDZ` from
/// 2024-12-02 16:17:10 (with [`DEFAULT_CARD_TYPE`] before both).
pub fn default_card_types() -> Vec<(DateTime, String)> {
    vec![
        (
            jiff::civil::datetime(2018, 1, 1, 16, 17, 10, 0),
            "SMART_CDZ".to_string(),
        ),
        (
            jiff::civil::datetime(2024, 12, 2, 16, 17, 10, 0),
            "SMART_NO_CDZ".to_string(),
        ),
    ]
}

/// Whether `local` must be PUT because it differs from `remote` (§3.7: PUT only when the saved copy
/// differs). `remote` is the copy saved when the person was last sent, or the router's answer: fields the
/// router adds (`organisationCount`, `identifierCode`…) are ignored, as are its views of other
/// organisations, and e-mails compare case-insensitively. When `remote` carries no view list at all (the
/// router's read view has none), only the identifier and the name are compared. Anything that is not a
/// JSON object differs.
pub fn person_differs(local: &EscPerson, remote: &serde_json::Value) -> bool {
    let Some(remote) = remote.as_object() else {
        return true;
    };
    if text(remote.get("identifier")) != Some(local.identifier.as_str())
        || text(remote.get("fullName")) != Some(local.full_name.as_str())
    {
        return true;
    }
    let Some(views) = remote.get("personOrganisationUpdateViews") else {
        return false;
    };
    let Some(views) = views.as_array() else {
        return true;
    };
    local.person_organisation_update_views.iter().any(|mine| {
        let theirs = views.iter().find(|v| {
            text(v.get("organisationIdentifier")) == Some(mine.organisation_identifier.as_str())
        });
        let Some(theirs) = theirs else {
            return true;
        };
        let email_same = match (mine.email.as_deref(), text(theirs.get("email"))) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        !email_same || text(theirs.get("academicLevel")) != mine.academic_level.as_deref()
    })
}

/// The trimmed text of a JSON string value; `None` for anything else.
fn text(v: Option<&serde_json::Value>) -> Option<&str> {
    v.and_then(|v| v.as_str()).map(str::trim)
}

/// `yyyy-MM-dd` dates (jiff is built without its serde feature). Reading also accepts a date-time whose
/// first ten characters are the date, in case the router answers with one.
mod ymd {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.strftime("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        let day = s.get(..10).unwrap_or(&s);
        day.parse::<Date>()
            .map_err(|e| serde::de::Error::custom(format!("not a yyyy-MM-dd date: {s:?}: {e}")))
    }
}

#[cfg(test)]
#[path = "escr_model_tests.rs"]
mod tests;
