//! Value parsers shared by the presets: dates, `{LABEL}value`, `$`-separated values, structure
//! references, national profiles and eduPerson affiliations, `uniqueMember` values.
//!
//! Every public function here is total: any input, however odd, gives an answer (`None` or a
//! best-effort value) and never panics.
//!
//! Below them, the attribute reader of the mapping: [`Reader`] reads a field of an entry through a
//! preset table, trying the field's attributes in order with the row's parser.

use jiff::civil::Date;

use super::{Absent, DATE, Field, MapError, Parse, Row, StructureRef, missing};
use crate::directory::entry::Entry;

/// Parses a directory date and keeps the calendar date only. Accepted forms (`formats.md` §10 "Dates"):
///
/// - `dd/mm/yyyy` (SDET `ENTPersonDateNaissance`, §1.7; one-digit day or month tolerated);
/// - `YYYYMMDD` (`schacDateOfBirth`, §4.5);
/// - `YYYY-MM-DD` (`supannOIDCDateDeNaissance`, §4.1);
/// - GeneralizedTime `yyyyMMddHH[mm[ss]][.fff]` followed by `Z` or `±hh[mm]` (`schacExpiryDate`,
///   `supann*DateFin`, §4.1, §4.5): the date part is taken as written, the zone is not applied.
///
/// Impossible dates (`31/02/2008`, month 13, hour 25, …) give `None`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.contains(&b'/') {
        let mut parts = s.split('/');
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || d.len() > 2 || m.len() > 2 || y.len() != 4 {
            return None;
        }
        return date(num(y.as_bytes())?, num(m.as_bytes())?, num(d.as_bytes())?);
    }
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return date(num(&b[..4])?, num(&b[5..7])?, num(&b[8..])?);
    }
    if b.len() == 8 {
        return date(num(&b[..4])?, num(&b[4..6])?, num(&b[6..])?);
    }
    generalized_time(b)
}

/// GeneralizedTime (RFC 4517 §3.3.13): `yyyyMMddHH[mm[ss]][(.|,)fraction](Z|±hh[mm])`.
fn generalized_time(b: &[u8]) -> Option<Date> {
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !matches!(digits, 10 | 12 | 14) {
        return None;
    }
    let (hour, rest) = (num(&b[8..10])?, &b[digits..]);
    let minute = if digits >= 12 { num(&b[10..12])? } else { 0 };
    let second = if digits == 14 { num(&b[12..14])? } else { 0 };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let rest = match rest.first() {
        Some(b'.' | b',') => {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            &rest[1 + n..]
        }
        _ => rest,
    };
    let zone_ok = match rest {
        b"Z" => true,
        [b'+' | b'-', zone @ ..] if zone.len() == 2 || zone.len() == 4 => {
            let h = num(&zone[..2])?;
            let m = if zone.len() == 4 { num(&zone[2..])? } else { 0 };
            h <= 23 && m <= 59
        }
        _ => false,
    };
    if !zone_ok {
        return None;
    }
    date(num(&b[..4])?, num(&b[4..6])?, num(&b[6..8])?)
}

/// A short run of ASCII digits as a number.
fn num(b: &[u8]) -> Option<i32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + i32::from(d - b'0')))
}

fn date(year: i32, month: i32, day: i32) -> Option<Date> {
    let year = i16::try_from(year).ok()?;
    let month = i8::try_from(month).ok()?;
    let day = i8::try_from(day).ok()?;
    Date::new(year, month, day).ok()
}

/// Splits a `{LABEL}value` (`supannEtablissement`, `supannRefId`, `formats.md` §4.3) into its label and
/// value, both trimmed: `{UAI}0290009C` → `("UAI", "0290009C")`. `None` when the value does not start
/// with a `{…}` label or the label is empty. The label ends at the first `}`; it may hold `:`.
pub fn strip_label(s: &str) -> Option<(&str, &str)> {
    let rest = s.trim().strip_prefix('{')?;
    let (label, value) = rest.split_once('}')?;
    let label = label.trim();
    if label.is_empty() {
        return None;
    }
    Some((label, value.trim()))
}

/// Splits an SDET `$`-value on its **last** `$` (`formats.md` §1.7, §10 "Separators"): DNs contain `,`
/// and `=` but no `$`, so `ENTStructureSIREN=1929…,ou=structures,dc=esco-centre,dc=fr$TS2` gives the DN
/// and `TS2`. Both parts are trimmed; `None` when there is no `$` or either part is empty.
pub fn split_last_dollar(s: &str) -> Option<(&str, &str)> {
    let (head, tail) = s.rsplit_once('$')?;
    let (head, tail) = (head.trim(), tail.trim());
    if head.is_empty() || tail.is_empty() {
        return None;
    }
    Some((head, tail))
}

/// Interprets a structure reference by its shape (`formats.md` §1.7 `ENTPersonStructRattach`, §10): a
/// value with `=` is a DN (SDET LDAP), anything else a code (a UAI at Toutatice, an AAF structure id,
/// a `supannCodeEntite`). Trimmed.
pub fn structure_ref(s: &str) -> StructureRef {
    let s = s.trim();
    if s.contains('=') {
        StructureRef::Dn(s.to_owned())
    } else {
        StructureRef::Code(s.to_owned())
    }
}

/// National profiles by preference, when a person carries several (`formats.md` §1.8).
const PROFILES: [&str; 9] = [
    "National_ELV",
    "National_TUT",
    "National_ENS",
    "National_DIR",
    "National_EVS",
    "National_ETA",
    "National_ACA",
    "National_DOC",
    "National_COL",
];

/// Legacy numeric profiles (`formats.md` §1.8: ENTCORE's CAS connectors, RECIA pupils).
const LEGACY_PROFILES: [(&str, &str); 4] = [
    ("National_1", "National_ELV"),
    ("National_2", "National_TUT"),
    ("National_3", "National_ENS"),
    ("National_4", "National_ETA"),
];

/// The one profile kept from `ENTPersonProfils` values (`formats.md` §1.8): legacy `National_1..4` are
/// read as ELV, TUT, ENS, ETA; the first national profile in the order ELV, TUT, ENS, DIR, EVS, ETA, ACA,
/// DOC, COL wins (names compared case-insensitively, returned in their canonical spelling); with no
/// national profile, the first non-blank value as given; `""` when there is none.
pub fn profile<S: AsRef<str>>(values: &[S]) -> String {
    let canonical = |v: &str| -> Option<&'static str> {
        let v = v.trim();
        PROFILES
            .iter()
            .copied()
            .find(|p| p.eq_ignore_ascii_case(v))
            .or_else(|| {
                LEGACY_PROFILES
                    .iter()
                    .find(|(old, _)| old.eq_ignore_ascii_case(v))
                    .map(|(_, new)| *new)
            })
    };
    let found: Vec<&str> = values
        .iter()
        .filter_map(|v| canonical(v.as_ref()))
        .collect();
    if let Some(best) = PROFILES.iter().find(|p| found.contains(p)) {
        return (*best).to_owned();
    }
    first_non_blank(values)
}

/// eduPerson affiliations by preference when only `eduPersonAffiliation` is known (`formats.md` §4.5).
const AFFILIATIONS: [&str; 8] = [
    "student",
    "faculty",
    "teacher",
    "researcher",
    "staff",
    "employee",
    "affiliate",
    "member",
];

/// The one affiliation kept from eduPerson affiliation values (`formats.md` §4.5): the first of
/// student, faculty, teacher, researcher, staff, employee, affiliate, member present (compared
/// case-insensitively, returned lower-case); otherwise the first non-blank value as given (`alum`,
/// `retired`, …); `""` when there is none.
pub fn affiliation<S: AsRef<str>>(values: &[S]) -> String {
    AFFILIATIONS
        .iter()
        .find(|a| {
            values
                .iter()
                .any(|v| v.as_ref().trim().eq_ignore_ascii_case(a))
        })
        .map(|a| (*a).to_owned())
        .unwrap_or_else(|| first_non_blank(values))
}

fn first_non_blank<S: AsRef<str>>(values: &[S]) -> String {
    values
        .iter()
        .map(|v| v.as_ref().trim())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
        .to_owned()
}

/// The DN of a `uniqueMember` value (NameAndOptionalUID syntax, RFC 4517 §3.3.21): a trailing
/// `#'<bits>'B` is dropped, `uid=a,ou=people,dc=x#'0101'B` → `uid=a,ou=people,dc=x`. A `#` that is part
/// of the DN (`cn=a#b`) is kept. Trimmed.
pub fn uniquemember_dn(s: &str) -> &str {
    let s = s.trim();
    if let Some((dn, uid)) = s.rsplit_once('#')
        && let Some(bits) = uid.strip_prefix('\'').and_then(|u| u.strip_suffix("'B"))
        && bits.bytes().all(|b| b == b'0' || b == b'1')
    {
        return dn.trim_end();
    }
    s
}

/// A parsed field value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(String),
    List(Vec<String>),
    Date(Date),
    Ref(StructureRef),
    Classes(Vec<(StructureRef, String)>),
    Bin(Vec<u8>),
}

impl Value {
    pub(super) fn into_text(self) -> Option<String> {
        match self {
            Value::Text(s) | Value::Ref(StructureRef::Code(s) | StructureRef::Dn(s)) => Some(s),
            Value::List(v) => v.into_iter().next(),
            _ => None,
        }
    }

    pub(super) fn into_list(self) -> Option<Vec<String>> {
        match self {
            Value::List(v) => Some(v),
            other => other.into_text().map(|s| vec![s]),
        }
    }

    pub(super) fn into_ref(self) -> Option<StructureRef> {
        match self {
            Value::Ref(r) => Some(r),
            other => other.into_text().map(|s| structure_ref(&s)),
        }
    }

    pub(super) fn into_date(self) -> Option<Date> {
        match self {
            Value::Date(d) => Some(d),
            _ => None,
        }
    }

    pub(super) fn into_classes(self) -> Option<Vec<(StructureRef, String)>> {
        match self {
            Value::Classes(c) => Some(c),
            _ => None,
        }
    }

    pub(super) fn into_bin(self) -> Option<Vec<u8>> {
        match self {
            Value::Bin(b) => Some(b),
            _ => None,
        }
    }
}

/// Reads fields of one entry through a table.
pub(super) struct Reader<'a, F> {
    pub(super) rows: &'a [Row<F>],
    pub(super) e: &'a Entry<'a>,
}

impl<F: Field> Reader<'_, F> {
    fn rows<'f>(&self, fields: &'f [F]) -> impl Iterator<Item = &Row<F>> + use<'_, 'f, F> {
        fields
            .iter()
            .filter_map(|f| self.rows.iter().find(|r| r.field == *f))
    }

    pub(super) fn attrs(&self, fields: &[F]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for attr in self.rows(fields).flat_map(|r| &r.attrs) {
            if !out.contains(attr) {
                out.push(attr.clone());
            }
        }
        out
    }

    /// The first value found along `fields` (each with its attributes in order); when there is none,
    /// the first absent rule that says something (Missing or Default) along `fields`.
    pub(super) fn get(&self, fields: &[F]) -> Result<Option<Value>, MapError> {
        for r in self.rows(fields) {
            for attr in &r.attrs {
                if let Some(v) = read(r.parse, attr, self.e)? {
                    return Ok(Some(v));
                }
            }
        }
        for r in self.rows(fields) {
            match r.absent {
                Absent::Skip => {}
                Absent::Missing => return Err(missing(self.e, &r.attrs)),
                Absent::Default(v) => return Ok(Some(Value::Text(v.to_owned()))),
            }
        }
        Ok(None)
    }

    pub(super) fn text(&self, f: F) -> Result<Option<String>, MapError> {
        Ok(self.get(&[f])?.and_then(Value::into_text))
    }

    pub(super) fn required(&self, f: F) -> Result<String, MapError> {
        self.text(f)?
            .ok_or_else(|| missing(self.e, &self.attrs(&[f])))
    }

    pub(super) fn list(&self, f: F) -> Result<Vec<String>, MapError> {
        Ok(self
            .get(&[f])?
            .and_then(Value::into_list)
            .unwrap_or_default())
    }

    pub(super) fn date(&self, f: F) -> Result<Option<Date>, MapError> {
        Ok(self.get(&[f])?.and_then(Value::into_date))
    }

    pub(super) fn structure(&self, fields: &[F]) -> Result<Option<StructureRef>, MapError> {
        Ok(self.get(fields)?.and_then(Value::into_ref))
    }
}

/// Reads one attribute of `e` with `parse`: `Ok(None)` when it has no (non-blank) value, `BadValue`
/// when a value does not have the expected shape (a bad value is reported, never dropped).
fn read(parse: Parse, attr: &str, e: &Entry) -> Result<Option<Value>, MapError> {
    let bad = |value: &str, expected: &'static str| MapError::BadValue {
        dn: e.dn.to_string(),
        attr: attr.to_owned(),
        value: value.to_owned(),
        expected,
    };
    // Most fields take the first value: the values are walked, not collected, for them.
    let values = || {
        e.all(attr)
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let first = values().next();
    if first.is_none() && parse != Parse::Binary {
        return Ok(None);
    }
    let list = |v: Vec<String>| (!v.is_empty()).then_some(Value::List(v));
    let text = |s: String| (!s.is_empty()).then_some(Value::Text(s));
    Ok(match parse {
        Parse::Text => first.map(|v| Value::Text(v.to_owned())),
        Parse::Values => list(values().map(str::to_owned).collect()),
        Parse::DollarPairs => {
            if let Some(v) = values().find(|v| split_last_dollar(v).is_none()) {
                return Err(bad(v, "APP$id"));
            }
            list(values().map(str::to_owned).collect())
        }
        Parse::Date => match first {
            Some(v) => Some(Value::Date(parse_date(v).ok_or_else(|| bad(v, DATE))?)),
            None => None,
        },
        Parse::LatestDate => {
            let mut latest = None;
            for v in values() {
                latest = latest.max(Some(parse_date(v).ok_or_else(|| bad(v, DATE))?));
            }
            latest.map(Value::Date)
        }
        Parse::Uai => match first {
            Some(v) => Some(Value::Text(
                labelled_uai(&values().collect::<Vec<_>>())
                    .ok_or_else(|| bad(v, "{UAI}code"))?
                    .to_owned(),
            )),
            None => None,
        },
        Parse::Affiliation => text(affiliation(e.all(attr))),
        Parse::Profile => text(profile(e.all(attr))),
        Parse::Code => first.map(|v| Value::Ref(StructureRef::Code(v.to_owned()))),
        Parse::StructureRef => first.map(|v| Value::Ref(structure_ref(v))),
        Parse::Classes => {
            let mut out = Vec::new();
            for v in values() {
                let (structure, class) =
                    split_last_dollar(v).ok_or_else(|| bad(v, "<structure>$<class>"))?;
                out.push((structure_ref(structure), class.to_owned()));
            }
            (!out.is_empty()).then_some(Value::Classes(out))
        }
        Parse::UniqueMembers => list(
            values()
                .map(uniquemember_dn)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        Parse::Binary => e
            .first_bin(attr)
            .filter(|b| !b.is_empty())
            .map(|b| Value::Bin(b.to_vec())),
    })
}

/// The UAI among `supannEtablissement` values (`formats.md` §4.3, `{UAI}0123456Y`): the first
/// `{UAI}` value, else the first unlabelled value; `None` when only other labels are present.
fn labelled_uai<'a>(values: &[&'a str]) -> Option<&'a str> {
    values
        .iter()
        .find_map(|v| match strip_label(v) {
            Some((label, uai)) if label.eq_ignore_ascii_case("UAI") && !uai.is_empty() => Some(uai),
            _ => None,
        })
        .or_else(|| values.iter().copied().find(|v| !v.starts_with('{')))
}
