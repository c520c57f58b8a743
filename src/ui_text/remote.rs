//! Wording of the integrations at run time: a remote error with what to do about it, and a person's
//! computed CROUS tariff.

use crate::fl;
use crate::remote::Effect;
use crate::remote::error::{Class, RemoteError};
use crate::store::remote::StoredRule;

/// A remote error in the user's language: what failed, the service's code and message, and what happens
/// next (retried by itself, needs a manager, or recorded).
pub fn remote_error(e: &RemoteError) -> String {
    let next = match e.class {
        Class::Retry if e.offline => fl!("remote-next-offline"),
        Class::Retry => fl!("remote-next-retry"),
        Class::Human => fl!("remote-next-human"),
        Class::GiveUp => fl!("remote-next-recorded"),
    };
    fl!(
        "remote-error",
        operation = e.operation.clone(),
        code = e.code.clone(),
        message = e.message.clone(),
        next = next
    )
}

/// "société 10, tarif 1 (rule …)" or the defaults.
pub fn tariff_line(company: i64, rate: i64, rule: Option<&StoredRule>) -> String {
    match rule {
        Some(r) => fl!(
            "tariff-line-rule",
            company = company,
            rate = rate,
            status = r
                .rule
                .reference_status
                .clone()
                .unwrap_or_else(|| "*".into()),
            source = r.source.clone(),
            priority = r.rule.priority
        ),
        None => fl!("tariff-line-default", company = company, rate = rate),
    }
}

fn effect(s: Effect) -> String {
    match s {
        Effect::Added => fl!("remote-step-added"),
        Effect::Revalidated => fl!("remote-step-revalidated"),
        Effect::Invalidated => fl!("remote-step-invalidated"),
        Effect::AlreadyInvalid => fl!("remote-step-already-invalid"),
        Effect::Revoked => fl!("remote-step-revoked"),
        Effect::Updated => fl!("remote-step-updated"),
        Effect::Created => fl!("remote-step-created"),
        Effect::UpToDate => fl!("remote-step-up-to-date"),
    }
}

/// "card 12: added" in the queue's result line.
pub fn card_step(card: i64, s: Effect) -> String {
    fl!("remote-done-card", card = card, step = effect(s))
}

/// "person created" in the queue's result line.
pub fn person_step(s: Effect) -> String {
    fl!("remote-done-person", step = effect(s))
}
