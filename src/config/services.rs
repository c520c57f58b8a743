//! Settings of the outside services the outbox keeps in line: CROUS/Izly, the European Student Card Router
//! and the directory write-back, plus the queue worker's limits. Credentials are secrets (OS keyring:
//! `crous-client-id`, `crous-client-secret`, `escr-api-key`, `writeback-password`), never here.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::TlsMode;

/// CROUS/Izly API (crous-escr.md §2.1). Base URLs are settings so a pre-production or test server can be
/// used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrousConfig {
    #[serde(default)]
    pub enabled: bool,
    /// `webUrl`: production `https://api.lescrous.fr`, pre-production `https://api-pp.nuonet.fr`.
    #[serde(default = "crous_api")]
    pub api_url: String,
    /// `accessUrl`, the OAuth2 token server.
    #[serde(default = "crous_token")]
    pub token_url: String,
    /// Use the INE as the CROUS identifier of students (`CROUS_INE_AS_IDENTIFIER`, default true, §2.6).
    #[serde(default = "yes")]
    pub ine_as_identifier: bool,
    /// Affiliations opted in by default (`ENABLE_CROUS`, sample: students), comma-separated.
    #[serde(default = "students")]
    pub opt_in: String,
    /// Tariff rule sources refreshed from the API: `NUMERO_CROUS/RNE[/PRIORITY]`, comma-separated (§2.14).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule_sources: String,
    /// Days after which an unchanged person is verified against CROUS anyway (fingerprint expiry).
    #[serde(default = "week")]
    pub verify_days: u32,
}

/// European Student Card Router v2 (crous-escr.md §3.1). The PIC is `card.pic`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscrConfig {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default = "escr_api")]
    pub api_url: String,
    #[serde(default = "fr")]
    pub country_code: String,
    /// Affiliations opted in by default (`ENABLE_EUROPEAN_CARD`), comma-separated.
    #[serde(default = "students")]
    pub opt_in: String,
    /// Card type when no dated entry applies (§3.4); the sample date map is built in.
    #[serde(default = "card_type")]
    pub card_type: String,
    /// Third-Party Processor identifier (`vatProcessorInstitution`), sent only when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor: Option<String>,
    #[serde(default = "week")]
    pub verify_days: u32,
}

/// LDAP write-back of card identifiers (crous-escr.md §5) with its own write account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WritebackConfig {
    #[serde(default)]
    pub enabled: bool,
    /// Empty: the directory's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub tls: TlsMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// The write account (password: `secret set writeback-password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind_dn: Option<String>,
    /// Empty: the directory's people base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// `{0}` is the eppn, `{1}` the part before `@` (§5.1).
    #[serde(default = "wb_filter")]
    pub filter: String,
    /// `attribute: template` lines separated by `;` or new lines (§5.3).
    #[serde(default = "wb_templates")]
    pub templates: String,
}

/// The queue worker's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueConfig {
    /// Runs before a retrying error is handed to a human.
    #[serde(default = "max_tries")]
    pub max_tries: u32,
    /// Calls in flight at once per service.
    #[serde(default = "concurrency")]
    pub concurrency: u32,
    /// Subjects started per second per service (0: no limit).
    #[serde(default = "rate")]
    pub rate_per_second: u32,
    /// HTTP timeout of one call.
    #[serde(default = "timeout")]
    pub timeout_seconds: u32,
}

fn yes() -> bool {
    true
}
fn students() -> String {
    "student".into()
}
fn week() -> u32 {
    7
}
fn crous_api() -> String {
    "https://api.lescrous.fr".into()
}
fn crous_token() -> String {
    "https://acces.lescrous.fr".into()
}
fn escr_api() -> String {
    "https://router.europeanstudentcard.eu/esc-rest/api/v2".into()
}
fn fr() -> String {
    "FR".into()
}
fn card_type() -> String {
    "SMART_NO_CDZ".into()
}
fn wb_filter() -> String {
    "(eduPersonPrincipalName={0})".into()
}
fn wb_templates() -> String {
    "supannRefId: {ISO15693}%csn%".into()
}
fn max_tries() -> u32 {
    8
}
fn concurrency() -> u32 {
    4
}
fn rate() -> u32 {
    20
}
fn timeout() -> u32 {
    30
}

impl Default for CrousConfig {
    fn default() -> Self {
        CrousConfig {
            enabled: false,
            api_url: crous_api(),
            token_url: crous_token(),
            ine_as_identifier: true,
            opt_in: students(),
            rule_sources: String::new(),
            verify_days: week(),
        }
    }
}

impl Default for EscrConfig {
    fn default() -> Self {
        EscrConfig {
            enabled: false,
            api_url: escr_api(),
            country_code: fr(),
            opt_in: students(),
            card_type: card_type(),
            processor: None,
            verify_days: week(),
        }
    }
}

impl Default for WritebackConfig {
    fn default() -> Self {
        WritebackConfig {
            enabled: false,
            url: None,
            tls: TlsMode::default(),
            ca_file: None,
            bind_dn: None,
            base: None,
            filter: wb_filter(),
            templates: wb_templates(),
        }
    }
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            max_tries: max_tries(),
            concurrency: concurrency(),
            rate_per_second: rate(),
            timeout_seconds: timeout(),
        }
    }
}

/// One `(numeroCrous, rne, priority)` tariff rule source (§2.14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSource {
    pub crous: String,
    pub rne: String,
    pub priority: i64,
}

impl CrousConfig {
    /// The rule sources, or the first malformed entry.
    pub fn rule_sources(&self) -> Result<Vec<RuleSource>, String> {
        let mut out = Vec::new();
        for item in self
            .rule_sources
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let parts: Vec<&str> = item.split('/').collect();
            let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
            let (crous, rne, priority) = match parts.as_slice() {
                [c, r] if ok(c) && ok(r) => (c, r, 0),
                [c, r, p] if ok(c) && ok(r) => match p.parse::<i64>() {
                    Ok(p) => (c, r, p),
                    Err(_) => return Err(item.to_string()),
                },
                _ => return Err(item.to_string()),
            };
            out.push(RuleSource {
                crous: crous.to_string(),
                rne: rne.to_uppercase(),
                priority,
            });
        }
        Ok(out)
    }
}

/// Whether `affiliation` is in a comma-separated opt-in list (case-insensitive).
pub fn opted_in_by_default(list: &str, affiliation: &str) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|a| !a.is_empty() && (a == "*" || a.eq_ignore_ascii_case(affiliation)))
}

pub(super) fn validate(
    crous: &CrousConfig,
    escr: &EscrConfig,
    wb: &WritebackConfig,
    q: &QueueConfig,
) -> Result<(), String> {
    for url in [&crous.api_url, &crous.token_url, &escr.api_url] {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(format!(
                "{url}: a service URL starts with https:// (or http://)"
            ));
        }
    }
    crous
        .rule_sources()
        .map_err(|e| format!("{e}: expected NUMERO_CROUS/RNE or NUMERO_CROUS/RNE/PRIORITY"))?;
    if let Some(url) = wb.url.as_deref()
        && !url.is_empty()
        && !(url.starts_with("ldap://") || url.starts_with("ldaps://"))
    {
        return Err("a directory URL starts with ldap:// or ldaps://".into());
    }
    if escr.country_code.len() != 2 || !escr.country_code.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err("a country code has two letters (FR)".into());
    }
    if !(1..=100).contains(&q.max_tries) {
        return Err("expected a number of tries from 1 to 100".into());
    }
    if !(1..=64).contains(&q.concurrency) {
        return Err("expected a concurrency from 1 to 64".into());
    }
    if !(1..=600).contains(&q.timeout_seconds) {
        return Err("expected a number of seconds from 1 to 600".into());
    }
    if crous.verify_days == 0 || escr.verify_days == 0 {
        return Err("expected a number of days of at least 1".into());
    }
    Ok(())
}

/// The keys of these sections for `config get|set`.
pub const KEYS: &[(&str, &str)] = &[
    ("crous.enabled", "send cards to CROUS/Izly: true | false"),
    (
        "crous.api_url",
        "CROUS API (https://api.lescrous.fr; pre-production https://api-pp.nuonet.fr)",
    ),
    (
        "crous.token_url",
        "CROUS token server (https://acces.lescrous.fr)",
    ),
    (
        "crous.ine_as_identifier",
        "INE as the CROUS identifier of students: true | false",
    ),
    (
        "crous.opt_in",
        "affiliations opted in by default, comma-separated (default student)",
    ),
    (
        "crous.rule_sources",
        "tariff rule sources NUMERO_CROUS/RNE[/PRIORITY], comma-separated",
    ),
    (
        "crous.verify_days",
        "days before an unchanged person is checked again (default 7)",
    ),
    ("escr.enabled", "send cards to the ESC router: true | false"),
    ("escr.api_url", "ESC router API v2 base URL"),
    ("escr.country_code", "country of the ESI (default FR)"),
    (
        "escr.opt_in",
        "affiliations opted in by default, comma-separated (default student)",
    ),
    ("escr.card_type", "default card type (SMART_NO_CDZ)"),
    (
        "escr.processor",
        "third-party processor identifier (optional)",
    ),
    (
        "escr.verify_days",
        "days before an unchanged person is checked again (default 7)",
    ),
    (
        "writeback.enabled",
        "write card identifiers to the directory: true | false",
    ),
    (
        "writeback.url",
        "ldap:// or ldaps:// (empty: the directory's)",
    ),
    ("writeback.tls", "starttls | none"),
    ("writeback.ca_file", "PEM file of the certificate authority"),
    (
        "writeback.bind_dn",
        "write account DN (password: `secret set writeback-password`)",
    ),
    (
        "writeback.base",
        "search base (empty: directory.people_base)",
    ),
    (
        "writeback.filter",
        "person filter, {0} = eppn, {1} = uid (default (eduPersonPrincipalName={0}))",
    ),
    (
        "writeback.templates",
        "attribute: template lines separated by ; (default supannRefId: {ISO15693}%csn%)",
    ),
    (
        "queue.max_tries",
        "runs before a retrying error goes to a human (default 8)",
    ),
    (
        "queue.concurrency",
        "calls in flight per service (default 4)",
    ),
    (
        "queue.rate_per_second",
        "subjects started per second per service (0: no limit; default 20)",
    ),
    ("queue.timeout_seconds", "timeout of one call (default 30)"),
];
