//! "Update only if needed" (crous-escr.md §2.6, §2.8, §2.16), as pure decisions: which identifier to look
//! up, whether the remote right holder must change, and what the PUT sends. No I/O: the service
//! (`crous::service`) performs the calls these functions choose.

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp, tz::TimeZone};

use super::model::{RightHolder, format_date, format_datetime, parse_datetime};
use crate::domain::names::fold;

/// Société of students (§2.16).
pub const STUDENT_COMPANY: i64 = 10;
/// Société of CNRS staff: their tarif is copied from CROUS (§2.16).
pub const CNRS_COMPANY: i64 = 7999;
/// `DEFAULT_DATE_FIN_DROITS` (§6) for persons without a due date.
pub const DEFAULT_DUE: Date = jiff::civil::date(2049, 12, 31);

/// The person's data the right holder is built from (§2.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFacts<'a> {
    pub eppn: Option<&'a str>,
    pub ine: Option<&'a str>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: Option<&'a str>,
    pub birth_date: Option<Date>,
    pub due_date: Option<Date>,
    pub rne: Option<&'a str>,
    pub id_company_rate: i64,
    pub id_rate: i64,
}

/// The identifier to send (§2.6): the INE of a person who has one when `ine_preferred`, else the saved
/// identifier, else the eppn.
pub fn computed_identifier(
    p: &PersonFacts<'_>,
    saved: Option<&str>,
    ine_preferred: bool,
) -> Option<String> {
    match (ine_preferred, p.ine, saved, p.eppn) {
        (true, Some(ine), _, _) => Some(ine.to_string()),
        (_, _, Some(saved), _) => Some(saved.to_string()),
        (_, _, _, Some(eppn)) => Some(eppn.to_string()),
        _ => None,
    }
}

/// The local right holder: dueDate never earlier than now + 3 h ("dueDate can't be past in IZLY").
pub fn local_right_holder(p: &PersonFacts<'_>, identifier: &str, now: DateTime) -> RightHolder {
    let floor = now
        .checked_add(SignedDuration::from_hours(3))
        .unwrap_or(now);
    let due = p.due_date.unwrap_or(DEFAULT_DUE).at(0, 0, 0, 0).max(floor);
    RightHolder {
        identifier: identifier.to_string(),
        first_name: Some(p.first_name.to_string()),
        last_name: Some(p.last_name.to_string()),
        email: p.email.map(str::to_string),
        due_date: Some(format_datetime(due)),
        id_company_rate: Some(p.id_company_rate),
        id_rate: Some(p.id_rate),
        simple_birth_date: p.birth_date.map(format_date),
        ine: p.ine.map(str::to_string),
        rne_org_code: p.rne.map(str::to_string),
        account_status: None,
        blocking_status: None,
    }
}

/// The person's own due date in the past (nothing is created for such a person, §2.8 step 2).
pub fn person_past_due(p: &PersonFacts<'_>, now: DateTime) -> bool {
    p.due_date.unwrap_or(DEFAULT_DUE).at(0, 0, 0, 0) < now
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    fold(a.unwrap_or("")) == fold(b.unwrap_or(""))
}

/// Both records carry an INE: the student rules apply (§2.8 step 5).
pub fn is_student(local: &RightHolder, remote: &RightHolder) -> bool {
    let has = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    has(&local.ine) && has(&remote.ine)
}

fn due(rh: &RightHolder) -> Option<DateTime> {
    rh.due_date.as_deref().and_then(parse_datetime)
}

/// `mustUpdateDueDateCrous` (§2.8): not for a student whose CROUS date is later, not when both are past,
/// else when they differ by 5 minutes or more.
pub fn must_update_due_date(
    local: Option<DateTime>,
    remote: Option<DateTime>,
    student: bool,
    now: DateTime,
) -> bool {
    match (local, remote) {
        (Some(l), Some(r)) => {
            if student && r > l {
                return false;
            }
            if l < now && r < now {
                return false;
            }
            let diff = l.duration_since(r).abs();
            diff >= SignedDuration::from_mins(5)
        }
        (None, None) => false,
        _ => true,
    }
}

/// `fieldsEqualsOrCanNotBeUpdate` negated: whether the remote right holder must change (§2.8 step 5).
pub fn needs_update(local: &RightHolder, remote: &RightHolder, now: DateTime) -> bool {
    let student = is_student(local, remote);
    let id = |a: &RightHolder| a.id_company_rate;
    let mut differs = !same(Some(&local.identifier), Some(&remote.identifier))
        || !same(local.ine.as_deref(), remote.ine.as_deref())
        || !same(
            local.rne_org_code.as_deref(),
            remote.rne_org_code.as_deref(),
        )
        || id(local) != id(remote);
    if !student {
        let day = |s: &Option<String>| s.as_deref().map(|s| s.get(..10).unwrap_or(s).to_string());
        differs = differs
            || day(&local.simple_birth_date) != day(&remote.simple_birth_date)
            || !same(local.email.as_deref(), remote.email.as_deref())
            || !same(local.first_name.as_deref(), remote.first_name.as_deref())
            || !same(local.last_name.as_deref(), remote.last_name.as_deref())
            || local.id_rate != remote.id_rate;
    }
    let (l, r) = (due(local), due(remote));
    if student && matches!((l, r), (Some(l), Some(r)) if r > l) {
        // §2.8: "an update is needed" — and the PUT rules then end it as OK without a PUT.
        return true;
    }
    differs || must_update_due_date(l, r, student, now)
}

/// What to do with an existing right holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing differs (or both due dates are past): no write.
    UpToDate,
    /// A student whose CROUS due date is later: no PUT, treated as OK so cards proceed.
    KeepRemoteDueDate,
    /// Remote société 10, local not: a student stays a student (`KO_BLOCKED`).
    WouldDowngradeStudent,
    /// Send this PUT; `patch_identifier_from` is set when the identifier changes first (PATCH before PUT);
    /// `kept_rate` is the CROUS tarif kept for a student (saved locally).
    Put {
        body: Box<RightHolder>,
        patch_identifier_from: Option<String>,
        kept_rate: Option<i64>,
    },
}

/// The PUT rules of §2.8 step 6.
pub fn plan(local: &RightHolder, remote: &RightHolder, now: DateTime) -> Plan {
    let (l, r) = (due(local), due(remote));
    if matches!((l, r), (Some(l), Some(r)) if l < now && r < now) {
        return Plan::UpToDate;
    }
    if !needs_update(local, remote, now) {
        return Plan::UpToDate;
    }
    if remote.id_company_rate == Some(STUDENT_COMPANY)
        && local.id_company_rate != Some(STUDENT_COMPANY)
    {
        return Plan::WouldDowngradeStudent;
    }
    let student = is_student(local, remote);
    if student && matches!((l, r), (Some(l), Some(r)) if r > l) {
        return Plan::KeepRemoteDueDate;
    }
    let mut body = local.clone();
    let mut kept_rate = None;
    if student && remote.id_rate.is_some() && remote.id_rate != local.id_rate {
        body.id_rate = remote.id_rate;
        kept_rate = remote.id_rate;
    }
    let patch_identifier_from = (!same(Some(&local.identifier), Some(&remote.identifier))
        && !remote.identifier.is_empty())
    .then(|| remote.identifier.clone());
    Plan::Put {
        body: Box::new(body),
        patch_identifier_from,
        kept_rate,
    }
}

/// The wall-clock "now" the API's dates are compared with (server local time, §2.4).
pub fn local_now(now: Timestamp, tz: &TimeZone) -> DateTime {
    now.to_zoned(tz.clone()).datetime()
}

/// CROUS reason code of a disable reason (§2.7).
pub fn reason_code(reason: Option<crate::domain::card::DisableReason>) -> &'static str {
    use crate::domain::card::DisableReason::*;
    match reason {
        Some(Lost) => "DP",
        Some(Theft) => "DV",
        Some(OutOfOrder) => "CD",
        None => "HS",
    }
}

#[cfg(test)]
#[path = "reconcile_tests.rs"]
mod tests;
