//! User-facing text for domain values and errors, in the current language (through `fl!`). The CLI and
//! the GUI both use these, so a state or an error reads the same everywhere.

use crate::config::ConfigError;
use crate::domain::card::{CardError, CardState, DisableReason, Note};
use crate::domain::person::IdKind;
use crate::fl;
use crate::secrets::SecretError;
use crate::store::StoreError;

mod directory;
pub use directory::*;
mod nfc_reader;
pub use nfc_reader::*;
mod nfc;
pub use nfc::*;
mod nfc_sim;
pub use nfc_sim::*;
mod nfc_profile;
pub use nfc_profile::*;
mod nfc_encode;
pub use nfc_encode::*;
mod production;
pub use production::*;
mod production_photo;
pub use production_photo::*;
mod production_print;
pub use production_print::*;
mod production_render;
pub use production_render::*;
mod remote;
pub use remote::*;
mod guests;
pub use guests::*;
mod library;
pub use library::*;
mod integrations;
pub use integrations::*;

pub fn state(s: CardState) -> String {
    match s {
        CardState::New => fl!("state-new"),
        CardState::Renewed => fl!("state-renewed"),
        CardState::RequestChecked => fl!("state-request-checked"),
        CardState::Rejected => fl!("state-rejected"),
        CardState::Canceled => fl!("state-canceled"),
        CardState::InPrint => fl!("state-in-print"),
        CardState::Printed => fl!("state-printed"),
        CardState::InEncode => fl!("state-in-encode"),
        CardState::Encoded => fl!("state-encoded"),
        CardState::Enabled => fl!("state-enabled"),
        CardState::Disabled => fl!("state-disabled"),
        CardState::Caduc => fl!("state-caduc"),
        CardState::Destroyed => fl!("state-destroyed"),
    }
}

/// The verb on the button that moves a card to `s`.
pub fn action(s: CardState) -> String {
    match s {
        CardState::New => fl!("action-new"),
        CardState::Renewed => fl!("action-renew"),
        CardState::RequestChecked => fl!("action-validate"),
        CardState::Rejected => fl!("action-reject"),
        CardState::Canceled => fl!("action-cancel"),
        CardState::InPrint => fl!("action-print"),
        CardState::Printed => fl!("action-printed"),
        CardState::InEncode => fl!("action-encode"),
        CardState::Encoded => fl!("action-encoded"),
        CardState::Enabled => fl!("action-enable"),
        CardState::Disabled => fl!("action-disable"),
        CardState::Caduc => fl!("action-expire"),
        CardState::Destroyed => fl!("action-destroy"),
    }
}

/// An actor name as recorded in history; the application itself reads as "System".
pub fn actor(name: &str) -> String {
    use crate::domain::card::Actor;
    if name == Actor::System.name() {
        fl!("actor-system")
    } else if name == Actor::Sync.name() {
        fl!("actor-sync")
    } else {
        name.to_string()
    }
}

pub fn reason(r: DisableReason) -> String {
    match r {
        DisableReason::Lost => fl!("reason-lost"),
        DisableReason::Theft => fl!("reason-theft"),
        DisableReason::OutOfOrder => fl!("reason-out-of-order"),
    }
}

pub fn note(n: &Note) -> String {
    match n {
        Note::ReplacedBy(id) => fl!("note-replaced-by", card = id.to_string()),
        Note::RenewalOf(id) => fl!("note-renewal-of", card = id.to_string()),
        Note::EncodeLog(code) => encode_log_note(code),
    }
}

/// The comment column of a history row: the operator's comment and the system's note, in words.
pub fn history_comment(comment: Option<&str>, note: Option<&Note>) -> Option<String> {
    match (comment, note) {
        (Some(c), Some(n)) => Some(format!("{c} ({})", self::note(n))),
        (Some(c), None) => Some(c.to_string()),
        (None, Some(n)) => Some(self::note(n)),
        (None, None) => None,
    }
}

pub fn id_kind(k: IdKind) -> String {
    match k {
        IdKind::Jointure => fl!("id-jointure"),
        IdKind::AppId => fl!("id-app"),
        IdKind::RefId => fl!("id-refid"),
        IdKind::National => fl!("id-national"),
        IdKind::Alias => fl!("id-alias"),
    }
}

/// A readable label for an affiliation or SDET profile value; unknown values are shown as they are.
pub fn affiliation(a: &str) -> String {
    match a {
        "student" => fl!("aff-student"),
        "faculty" => fl!("aff-faculty"),
        "staff" | "employee" => fl!("aff-staff"),
        "researcher" => fl!("aff-researcher"),
        "affiliate" => fl!("aff-affiliate"),
        "alum" => fl!("aff-alum"),
        "library-walk-in" => fl!("aff-visitor"),
        "retired" | "emeritus" => fl!("aff-retired"),
        "National_ELV" | "National_1" => fl!("aff-pupil"),
        "National_TUT" | "National_2" => fl!("aff-parent"),
        "National_ENS" | "National_3" => fl!("aff-teacher"),
        "National_DOC" => fl!("aff-librarian"),
        "National_DIR" => fl!("aff-direction"),
        "National_EVS" => fl!("aff-school-life"),
        "National_ETA" | "National_4" => fl!("aff-school-staff"),
        other => other.to_string(),
    }
}

fn state_list(states: &[CardState]) -> String {
    if states.is_empty() {
        return fl!("none");
    }
    states
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn card_error(e: &CardError) -> String {
    match e {
        CardError::NotAllowed { from, to, allowed } => fl!(
            "err-transition-not-allowed",
            from = from.as_str(),
            to = to.as_str(),
            allowed = state_list(allowed)
        ),
        CardError::SystemOnly { from, to, allowed } => fl!(
            "err-transition-system-only",
            from = from.as_str(),
            to = to.as_str(),
            allowed = state_list(allowed)
        ),
        CardError::Locked { state, holder } => fl!(
            "err-card-locked",
            state = state.as_str(),
            holder = holder.clone()
        ),
        CardError::ReasonRequired => fl!("err-reason-required"),
        CardError::CsnRequired => fl!("err-csn-required"),
        CardError::NotEditable => fl!("err-not-editable"),
        CardError::RequestPending(id) => fl!("err-request-pending", card = id.to_string()),
        CardError::ExternalCard => fl!("err-external-card"),
    }
}

/// "Cannot read FILE: …": the one wording of a file that could not be read, for every command and
/// screen.
pub fn read_error(path: impl std::fmt::Display, e: &std::io::Error) -> String {
    fl!(
        "cli-read-file",
        path = path.to_string(),
        message = e.to_string()
    )
}

/// "Cannot write FILE: …", as [`read_error`].
pub fn write_error(path: impl std::fmt::Display, e: &std::io::Error) -> String {
    fl!(
        "cli-write-file",
        path = path.to_string(),
        message = e.to_string()
    )
}

pub fn store_error(e: &StoreError) -> String {
    match e {
        StoreError::Card(c) => card_error(c),
        StoreError::CsnInUse { csn, card_id } => fl!(
            "err-csn-in-use",
            csn = csn.clone(),
            card = card_id.to_string()
        ),
        StoreError::NotFound { kind, id } => fl!(
            "err-not-found",
            kind = kind.to_string(),
            id = id.to_string()
        ),
        StoreError::Open { path, message } => {
            fl!(
                "err-db-open",
                path = path.display().to_string(),
                message = message.clone()
            )
        }
        StoreError::Migration(m) => fl!("err-db-migration", message = m.clone()),
        StoreError::PhotoLocked { card, state } => fl!(
            "err-photo-locked",
            card = card.to_string(),
            state = self::state(*state)
        ),
        other => fl!("err-db", message = other.to_string()),
    }
}

pub fn config_error(e: &ConfigError) -> String {
    match e {
        ConfigError::Read { path, message } | ConfigError::Write { path, message } => {
            fl!(
                "err-config-io",
                path = path.display().to_string(),
                message = message.clone()
            )
        }
        ConfigError::Parse { path, message } => {
            fl!(
                "err-config-parse",
                path = path.display().to_string(),
                message = message.clone()
            )
        }
        ConfigError::UnknownKey(k) => fl!(
            "err-config-unknown-key",
            key = k.clone(),
            keys = crate::config::keys()
                .map(|(k, _)| *k)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ConfigError::BadValue { key, message } => fl!(
            "err-config-bad-value",
            key = key.clone(),
            message = message.clone()
        ),
        ConfigError::SecretKey(k) => fl!("err-config-secret", key = k.clone()),
    }
}

pub fn secret_error(e: &SecretError, env_var: &str) -> String {
    match e {
        SecretError::Unavailable(m) => fl!(
            "err-keyring-unavailable",
            message = m.clone(),
            var = env_var.to_string()
        ),
        SecretError::Denied(m) => fl!("err-keyring-denied", message = m.clone()),
        SecretError::Empty => fl!("err-secret-empty"),
        SecretError::Stdin(m) | SecretError::Other(m) => {
            fl!("err-keyring-other", message = m.clone())
        }
    }
}

/// A timestamp in the operator's local time zone: `22/11/2026 14:03` (fr) or `2026-11-22 14:03` (en).
pub fn datetime(t: jiff::Timestamp) -> String {
    let zoned = t.to_zoned(jiff::tz::TimeZone::system());
    match crate::i18n::language() {
        crate::i18n::Lang::Fr => zoned.strftime("%d/%m/%Y %H:%M").to_string(),
        crate::i18n::Lang::En => zoned.strftime("%Y-%m-%d %H:%M").to_string(),
    }
}

pub fn date(d: jiff::civil::Date) -> String {
    match crate::i18n::language() {
        crate::i18n::Lang::Fr => d.strftime("%d/%m/%Y").to_string(),
        crate::i18n::Lang::En => d.strftime("%Y-%m-%d").to_string(),
    }
}
