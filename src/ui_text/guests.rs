//! Wording of the desk's capture of persons not in the directory (SDET identifiers).

use crate::domain::sdet::SdetError;
use crate::fl;
use crate::store::guests::{Captured, GuestError, GuestKind};

/// A birth date as typed at the desk or on the command line (the directory's forms: dd/mm/yyyy,
/// YYYY-MM-DD, YYYYMMDD…): `None` when left empty, else the date or the message to show.
pub fn typed_birth_date(text: &str) -> Result<Option<jiff::civil::Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    crate::directory::mapping::values::parse_date(text)
        .map(Some)
        .ok_or_else(|| fl!("cli-person-bad-date", value = text.to_string()))
}

pub fn guest_kind(k: GuestKind) -> String {
    match k {
        GuestKind::Guest => fl!("guest-kind-guest"),
        GuestKind::ExternalStaff => fl!("guest-kind-external"),
        GuestKind::Visitor => fl!("guest-kind-visitor"),
    }
}

pub fn guest_error(e: &GuestError) -> String {
    match e {
        GuestError::Store(e) => crate::ui_text::store_error(e),
        GuestError::Missing("surname") => fl!("guest-err-surname"),
        GuestError::Missing(_) => fl!("guest-err-given"),
        GuestError::Settings(m) => fl!("guest-err-settings", message = m.clone()),
        GuestError::Sdet(SdetError::EmptyLogin(name))
        | GuestError::Sdet(SdetError::NoInitial(name)) => {
            fl!("guest-err-login", name = name.clone())
        }
        GuestError::Sdet(other) => fl!("guest-err-settings", message = other.to_string()),
    }
}

/// "Recorded: … identifier …, login …" or "Already recorded: …".
pub fn captured(c: &Captured) -> String {
    let args = (
        c.display_name.clone(),
        c.identifier.clone(),
        c.login.clone(),
        c.join_key.clone(),
    );
    if c.existing {
        fl!(
            "guest-existing",
            name = args.0,
            identifier = args.1,
            login = args.2,
            join = args.3
        )
    } else {
        fl!(
            "guest-created",
            name = args.0,
            identifier = args.1,
            login = args.2,
            join = args.3
        )
    }
}

/// The form's line about the identifiers' settings.
pub fn sdet_note(c: &crate::config::SdetConfig) -> String {
    fl!(
        "new-person-territory",
        territory = format!("{}{}", c.territory_letter, c.territory_digit),
        digits = c.timestamp_digits
    )
}
