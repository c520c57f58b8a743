//! LDAP write-back templates: which attribute values a card adds to its holder's entry when enabled and
//! removes when disabled (`reference/crous-escr.md` §5.1 behaviour, §5.2 placeholders, §5.3 templates).
//!
//! A template file has one `attribute: template` a line, e.g. `supannRefId: {ISO15693}%csn%`. The same
//! expansion serves adding and removing, so a value removed is exactly the value that was added
//! (`supannRefId` is case-exact, §5.3).

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::domain::ids::Csn;

/// One line of the template file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub attribute: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("template line {line}: expected `attribute: template`")]
    NoColon { line: usize },
    #[error("template line {line}: {attribute:?} is not an LDAP attribute name")]
    BadAttribute { line: usize, attribute: String },
    #[error("template line {line}: the template for {attribute} is empty")]
    EmptyValue { line: usize, attribute: String },
}

/// Parses a template file: `attribute: template` lines; blank lines and lines starting with `#` are
/// skipped. Attribute names must be LDAP attribute descriptions (RFC 4512 §2.5: a name or a numeric OID,
/// then `;option`s). Line numbers in errors are 1-based.
pub fn parse_templates(text: &str) -> Result<Vec<Template>, TemplateError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (attribute, value) = trimmed
            .split_once(':')
            .ok_or(TemplateError::NoColon { line })?;
        let attribute = attribute.trim();
        if !is_attribute_description(attribute) {
            return Err(TemplateError::BadAttribute {
                line,
                attribute: attribute.to_string(),
            });
        }
        let value = value.trim();
        if value.is_empty() {
            return Err(TemplateError::EmptyValue {
                line,
                attribute: attribute.to_string(),
            });
        }
        out.push(Template {
            attribute: attribute.to_string(),
            value: value.to_string(),
        });
    }
    Ok(out)
}

/// RFC 4512 `attributedescription`: (`descr` = ALPHA *(ALPHA / DIGIT / "-") | `numericoid`) followed by
/// any number of `;option` (option = 1*(ALPHA / DIGIT / "-")).
fn is_attribute_description(s: &str) -> bool {
    let mut parts = s.split(';');
    let kind = parts.next().unwrap_or_default();
    let keychars =
        |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let descr = kind.starts_with(|c: char| c.is_ascii_alphabetic()) && keychars(kind);
    let numeric_oid = kind.contains('.')
        && kind.split('.').all(|n| {
            !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
                && (n == "0" || !n.starts_with('0'))
        });
    (descr || numeric_oid) && parts.all(keychars)
}

/// The values a card offers to the templates (§5.2), as plain values; `None` = no value.
///
/// `%photo%` (the binary JPEG) is deliberately not offered: a photo is not a text value and Guichet
/// writes no binary attribute through templates, so a `%photo%` token is removed like any leftover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    /// The CSN in hex; `%csn%`, `%reverse_csn%`, `%csn_dec%` and `%reverse_csn_dec%` are its four forms
    /// (`domain::ids::Csn`, upper-case hex). A value that is not a CSN gives none of them.
    pub csn_hex: Option<String>,
    pub eppn: Option<String>,
    pub secondary_id: Option<String>,
    /// `%enabled_date%`, `%due_date%`, `%etat_date%`: GeneralizedTime `yyyyMMddHHmmss'Z'`, in UTC.
    pub enabled_date: Option<Timestamp>,
    pub due_date: Option<Timestamp>,
    pub etat_date: Option<Timestamp>,
    /// `%etat%`: the card state name, e.g. `ENABLED`.
    pub etat: Option<String>,
    pub escn: Option<String>,
    pub esi: Option<String>,
    /// DESFire ids by application name: `access-control` → `%access-control%`. Names are matched
    /// exactly; a name equal to one of the built-in placeholders above is shadowed by it.
    pub app_ids: BTreeMap<String, String>,
}

impl Placeholders {
    /// The value of placeholder `name` (without the `%`), when there is one and it is not blank.
    pub fn value(&self, name: &str) -> Option<String> {
        let csn = || {
            self.csn_hex
                .as_deref()
                .and_then(|h| Csn::parse_hex(h.trim()).ok())
        };
        let text = |v: &Option<String>| v.as_deref().map(str::trim).map(str::to_string);
        let time = |t: &Option<Timestamp>| t.map(generalized_time);
        let value = match name {
            "csn" => csn().map(|c| c.hex()),
            "reverse_csn" => csn().map(|c| c.reversed_hex()),
            "csn_dec" => csn().map(|c| c.decimal()),
            "reverse_csn_dec" => csn().map(|c| c.reversed_decimal()),
            "eppn" => text(&self.eppn),
            "secondary_id" => text(&self.secondary_id),
            "enabled_date" => time(&self.enabled_date),
            "due_date" => time(&self.due_date),
            "etat_date" => time(&self.etat_date),
            "etat" => text(&self.etat),
            "escn" => text(&self.escn),
            "esi" => text(&self.esi),
            other => self.app_ids.get(other).map(|v| v.trim().to_string()),
        };
        value.filter(|v| !v.is_empty())
    }
}

/// LDAP GeneralizedTime in UTC: `20250903141500Z` (§5.2).
pub fn generalized_time(t: Timestamp) -> String {
    t.strftime("%Y%m%d%H%M%SZ").to_string()
}

/// Expands one template: each `%name%` token is replaced by its value and tokens without a value are
/// removed (§5.1).
///
/// Guichet's rule: when the template has placeholders and none of them has a value, the result is
/// `None` and nothing is written, because such a value (`{ISO15693}` alone for a card without CSN)
/// carries no identifier and would be shared by every such card. A template without any placeholder
/// is a constant the administrator chose, and is returned as written. An empty result is `None` too.
pub fn expand(t: &Template, p: &Placeholders) -> Option<String> {
    let mut out = String::with_capacity(t.value.len());
    let mut rest = t.value.as_str();
    let (mut tokens, mut filled) = (0usize, 0usize);
    while let Some(start) = rest.find('%') {
        let (before, from_percent) = rest.split_at(start);
        out.push_str(before);
        let after = from_percent.get(1..).unwrap_or_default();
        let token = after
            .find('%')
            .map(|end| after.split_at(end))
            .filter(|(name, _)| is_placeholder_name(name));
        match token {
            Some((name, tail)) => {
                tokens += 1;
                if let Some(v) = p.value(name) {
                    filled += 1;
                    out.push_str(&v);
                }
                rest = tail.get(1..).unwrap_or_default();
            }
            None => {
                // A lone `%` is kept as written.
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let out = out.trim().to_string();
    (!out.is_empty() && (tokens == 0 || filled > 0)).then_some(out)
}

fn is_placeholder_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Every `(attribute, value)` the templates give for `p`, in template order, without repeats (attribute
/// names compared case-insensitively as LDAP does, values exactly as `supannRefId` is case-exact).
pub fn values_for(templates: &[Template], p: &Placeholders) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for t in templates {
        let Some(value) = expand(t, p) else {
            continue;
        };
        let seen = out
            .iter()
            .any(|(a, v)| a.eq_ignore_ascii_case(&t.attribute) && *v == value);
        if !seen {
            out.push((t.attribute.clone(), value));
        }
    }
    out
}

#[cfg(test)]
#[path = "ldap_template_tests.rs"]
mod tests;
