//! CROUS/Izly JSON as the API speaks it (crous-escr.md §2.4, §2.5, §2.7, §2.12) and its date formats.

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Deserializer, Serialize};

/// `RightHolder` (§2.5). Received-only fields are read, never sent; unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RightHolder {
    #[serde(default)]
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id_company_rate: Option<i64>,
    #[serde(
        default,
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id_rate: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simple_birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ine: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rne_org_code: Option<String>,
    /// `NON_CONFIRME`, `ACTIF`, `CLOTURE`, `CLOTURE_EN_COURS` (received only).
    #[serde(default, skip_serializing)]
    pub account_status: Option<String>,
    /// `NON_BLOQUE`, `BLOCAGE_PAR_3_MOTS_DE_PASSE_ERRONNES`, `MIS_EN_OPPOSITION`, `COMPTE_GELE`.
    #[serde(default, skip_serializing)]
    pub blocking_status: Option<String>,
}

/// Numbers may come as JSON numbers or strings.
fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// `SmartCard` (§2.7), built locally (`crousEncodeEnabled`): `idZdc` from Guichet's CROUS numbering,
/// `uid` = CSN upper case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmartCard {
    #[serde(default)]
    pub id_zdc: String,
    #[serde(default)]
    pub uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zdc_creation_date: Option<String>,
}

/// `PATCH /rightholders/{current}` body (§2.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchIdentifier {
    pub current_identifier: String,
    pub email: String,
    pub new_identifier: String,
}

/// The revalidate / invalidate PATCH body (§2.3): the unused date and reason are empty strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardPatch {
    pub revalidation_date: String,
    pub cancel_date: String,
    pub reason: String,
}

impl CardPatch {
    pub fn revalidate(now: DateTime) -> Self {
        CardPatch {
            revalidation_date: format_datetime(now),
            cancel_date: String::new(),
            reason: String::new(),
        }
    }

    pub fn invalidate(now: DateTime, reason: &str) -> Self {
        CardPatch {
            revalidation_date: String::new(),
            cancel_date: format_datetime(now),
            reason: reason.to_string(),
        }
    }
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`: local wall time with a literal `Z`, as ESUP-SGC sends (§2.4).
pub fn format_datetime(t: DateTime) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// `AAAA-MM-JJ` (`simpleBirthDate`).
pub fn format_date(d: Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

/// Parses a due date from the API: `…Z`, `…+02`, `…+02:00`, with or without fractional seconds, or a bare
/// date. The wall time is kept as written (the API's `Z` is not a real UTC marker, §2.4).
pub fn parse_datetime(s: &str) -> Option<DateTime> {
    let s = s.trim();
    if s.len() < 10 || !s.is_char_boundary(10) {
        return None;
    }
    if s.len() == 10 {
        return s.parse::<Date>().ok().map(|d| d.at(0, 0, 0, 0));
    }
    // Strip the zone designator: `Z`, or `+HH`, `+HH:MM`, `-HH…` after the time part.
    let body = s.strip_suffix('Z').unwrap_or(s);
    let body = match body.get(10..).and_then(|t| t.rfind(['+', '-'])) {
        Some(i) => &body[..10 + i],
        None => body,
    };
    body.parse::<DateTime>().ok()
}

/// One error of a CROUS error body `{"errors":[{"code","message","field"}]}` (§2.12).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiError {
    pub code: Option<String>,
    pub message: String,
    pub field: Option<String>,
}

/// The first error of a body; unreadable bodies give their text (shortened).
pub fn api_error(body: &[u8]) -> ApiError {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    };
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body)
        && let Some(e) = v.get("errors").and_then(|e| e.get(0))
    {
        return ApiError {
            code: e.get("code").and_then(text),
            message: e.get("message").and_then(text).unwrap_or_default(),
            field: e.get("field").and_then(text),
        };
    }
    let raw = String::from_utf8_lossy(body);
    ApiError {
        code: None,
        message: raw.chars().take(200).collect(),
        field: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_are_written_and_read_as_the_reference_says() {
        let t = date(2027, 9, 30).at(14, 5, 7, 123_000_000);
        assert_eq!(format_datetime(t), "2027-09-30T14:05:07.123Z");
        assert_eq!(format_date(date(2004, 2, 29)), "2004-02-29");
        for s in [
            "2027-09-30T14:05:07.123Z",
            "2027-09-30T14:05:07Z",
            "2027-09-30T14:05:07.123+02",
            "2027-09-30T14:05:07+02:00",
            "2027-09-30T14:05:07.123-05:00",
        ] {
            let p = parse_datetime(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!((p.hour(), p.minute(), p.second()), (14, 5, 7), "{s}");
        }
        assert_eq!(
            parse_datetime("2027-09-30"),
            Some(date(2027, 9, 30).at(0, 0, 0, 0))
        );
        for bad in [
            "",
            "2027",
            "garbage-garbage",
            "2027-13-40T99:99:99Z",
            "éééééééééééé",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn right_holder_json_names_and_received_only_fields() {
        let rh: RightHolder = serde_json::from_str(
            r#"{"identifier":"X","firstName":"A","idCompanyRate":"10","idRate":1,
                "accountStatus":"ACTIF","somethingNew":true}"#,
        )
        .unwrap();
        assert_eq!(rh.id_company_rate, Some(10));
        assert_eq!(rh.account_status.as_deref(), Some("ACTIF"));
        let out = serde_json::to_value(&rh).unwrap();
        assert_eq!(out["firstName"], "A");
        assert!(out.get("accountStatus").is_none());
        assert!(out.get("lastName").is_none());
    }

    #[test]
    fn error_bodies() {
        let e =
            api_error(br#"{"errors":[{"code":"-11","message":"Client existant","field":null}]}"#);
        assert_eq!(e.code.as_deref(), Some("-11"));
        assert_eq!(e.message, "Client existant");
        assert_eq!(e.field, None);
        let e = api_error(b"<html>oops</html>");
        assert_eq!(e.code, None);
        assert_eq!(e.message, "<html>oops</html>");
        let e = api_error(br#"{"errors":[{"code":-8}]}"#);
        assert_eq!(e.code.as_deref(), Some("-8"));
    }

    #[test]
    fn card_patch_bodies() {
        let t = date(2026, 11, 22).at(10, 0, 0, 0);
        let v = serde_json::to_value(CardPatch::invalidate(t, "DP")).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"revalidationDate":"","cancelDate":"2026-11-22T10:00:00.000Z","reason":"DP"})
        );
    }
}
