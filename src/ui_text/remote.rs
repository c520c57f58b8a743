//! Wording of the integrations at run time: a remote error with what to do about it, and a person's
//! computed CROUS tariff.

use crate::fl;
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
