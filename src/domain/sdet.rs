//! SDET first-degree identity rules for persons captured at the desk (formats.md §2): the national
//! identifier `ENTPersonIdentifiant` (§2.1), logins and aliases (§2.2), the display name
//! `ENTPersonNomAffichage` (§2.3) and join keys `SOURCE$key` (§2.4). Pure: the clock and the existing
//! identifiers, logins and aliases are passed in.
//!
//! Intended settings (the caller reads them and passes them here): `sdet.territory_letter`,
//! `sdet.territory_digit`, `sdet.timestamp_digits` (17 or 15).

use std::collections::HashMap;

use jiff::civil::{Date, DateTime};

use super::names::fold;

/// What is wrong with an SDET value or setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdetError {
    #[error("the territory letter is one ASCII letter, got {0:?}")]
    TerritoryLetter(char),
    #[error("the territory digit is one ASCII digit, got {0:?}")]
    TerritoryDigit(char),
    #[error("the timestamp has 17 or 15 digits, got {0}")]
    TimestampDigits(u8),
    #[error("no ASCII letter to take an initial from in {0:?}")]
    NoInitial(String),
    #[error("the identifier clock ran past the year 9999")]
    ClockOverflow,
    #[error("nothing left of {0:?} to build a login from")]
    EmptyLogin(String),
    #[error("no free login for {0:?} after {1} tries")]
    NoFreeLogin(String, u32),
    #[error("the alias {0:?} is already a login or an alias")]
    AliasTaken(String),
    #[error("an alias is one word of letters, digits, '.', '-' or '_': {0:?}")]
    BadAlias(String),
    #[error(
        "a join key is SOURCE$key with a non-empty source without '$' and a non-empty key: {0:?}"
    )]
    BadJoinKey(String),
}

/// The project territory: `L` (a letter, Rhône = `V`, Bas-Rhin = `A`) and `C` (a digit, Rhône = `6`,
/// Bas-Rhin = `1`) of the identifier (§2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Territory {
    letter: char,
    digit: char,
}

impl Territory {
    pub fn new(letter: char, digit: char) -> Result<Territory, SdetError> {
        if !letter.is_ascii_alphabetic() {
            return Err(SdetError::TerritoryLetter(letter));
        }
        if !digit.is_ascii_digit() {
            return Err(SdetError::TerritoryDigit(digit));
        }
        Ok(Territory { letter, digit })
    }
}

/// The width of the identifier's timestamp. The specification contradicts itself (§2.1): its text says
/// 15 digits `jjMMaahhmmsszzz`, its worked example has 17 digits `yyyyMMddhhmmsszzz`; the worked example
/// is the default (ENTCORE's generator agrees with it, and it keeps the century).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimestampDigits {
    /// `yyyyMMddhhmmsszzz`.
    #[default]
    Seventeen,
    /// `jjMMaahhmmsszzz`.
    Fifteen,
}

impl TimestampDigits {
    /// From the setting `sdet.timestamp_digits`.
    pub fn from_count(n: u8) -> Result<TimestampDigits, SdetError> {
        match n {
            17 => Ok(TimestampDigits::Seventeen),
            15 => Ok(TimestampDigits::Fifteen),
            n => Err(SdetError::TimestampDigits(n)),
        }
    }

    fn format(self, t: DateTime) -> String {
        let ms = t.subsec_nanosecond() / 1_000_000;
        match self {
            TimestampDigits::Seventeen => format!(
                "{:04}{:02}{:02}{:02}{:02}{:02}{ms:03}",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            TimestampDigits::Fifteen => format!(
                "{:02}{:02}{:02}{:02}{:02}{:02}{ms:03}",
                t.day(),
                t.month(),
                t.year().rem_euclid(100),
                t.hour(),
                t.minute(),
                t.second()
            ),
        }
    }
}

/// The first letter of a name folded to ASCII lower case (`Élodie` → `e`, `Œdipe` → `o`). §2.1 leaves
/// non-ASCII initials unspecified; folding is its "natural reading".
fn initial(name: &str) -> Result<char, SdetError> {
    fold(name)
        .chars()
        .find(|c| !c.is_whitespace())
        .filter(char::is_ascii_lowercase)
        .ok_or_else(|| SdetError::NoInitial(name.to_string()))
}

/// The identifier `L xx C timestamp` of a person created at `at` (local time, to the millisecond):
/// `xx` = initial of the first name + initial of the last name (§2.1's example rule).
pub fn identifier(
    territory: Territory,
    digits: TimestampDigits,
    given_name: &str,
    surname: &str,
    at: DateTime,
) -> Result<String, SdetError> {
    Ok(format!(
        "{}{}{}{}{}",
        territory.letter,
        initial(given_name)?,
        initial(surname)?,
        territory.digit,
        digits.format(at)
    ))
}

/// The attributes that tell two persons apart for the generator: folded surname, folded given name and
/// the birth date. §2.1 names nom d'usage and prénom usuel; the birth date is added because §2.6 calls it
/// the technical field "utilisé pour dédoublonner les comptes", mandatory for manual creation — two
/// pupils named Jean Dupont born on different days are two persons.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Discriminant {
    pub surname: String,
    pub given_name: String,
    pub birth_date: Option<Date>,
}

impl Discriminant {
    pub fn new(surname: &str, given_name: &str, birth_date: Option<Date>) -> Discriminant {
        Discriminant {
            surname: fold(surname),
            given_name: fold(given_name),
            birth_date,
        }
    }
}

/// What the generator gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generated {
    /// The same discriminant attributes were presented before: their identifier.
    Existing(String),
    New(String),
}

impl Generated {
    pub fn id(&self) -> &str {
        match self {
            Generated::Existing(s) | Generated::New(s) => s,
        }
    }
}

/// Generates identifiers idempotently and with distinct milliseconds (§2.1 generation rules): the
/// timestamp advances by one millisecond past the last one it used when the clock has not moved on.
#[derive(Debug, Clone)]
pub struct IdentifierGenerator {
    territory: Territory,
    digits: TimestampDigits,
    last: Option<DateTime>,
    made: HashMap<Discriminant, String>,
}

impl IdentifierGenerator {
    pub fn new(territory: Territory, digits: TimestampDigits) -> IdentifierGenerator {
        IdentifierGenerator {
            territory,
            digits,
            last: None,
            made: HashMap::new(),
        }
    }

    /// The identifier of a person with the names `given_name`/`surname` (as typed) and discriminant `d`.
    /// `known` looks up identifiers generated before (the mirror); identifiers this generator made are
    /// remembered too, so a batch presenting a person twice gets one identifier.
    pub fn generate(
        &mut self,
        d: &Discriminant,
        given_name: &str,
        surname: &str,
        now: DateTime,
        known: impl Fn(&Discriminant) -> Option<String>,
    ) -> Result<Generated, SdetError> {
        if let Some(id) = self.made.get(d).cloned().or_else(|| known(d)) {
            return Ok(Generated::Existing(id));
        }
        // Milliseconds only: sub-millisecond parts never reach the identifier.
        let now = now
            .round(
                jiff::civil::DateTimeRound::new()
                    .smallest(jiff::Unit::Millisecond)
                    .mode(jiff::RoundMode::Trunc),
            )
            .map_err(|_| SdetError::ClockOverflow)?;
        let at = match self.last {
            Some(last) if now <= last => last
                .checked_add(jiff::SignedDuration::from_millis(1))
                .map_err(|_| SdetError::ClockOverflow)?,
            _ => now,
        };
        let id = identifier(self.territory, self.digits, given_name, surname, at)?;
        self.last = Some(at);
        self.made.insert(d.clone(), id.clone());
        Ok(Generated::New(id))
    }
}

/// The two login shapes of §2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoginStyle {
    /// `prenom.nom`.
    #[default]
    FirstDotLast,
    /// `pnom`: initial of the first name, then the last name.
    InitialLast,
}

/// One name as a login part: apostrophes removed, lower case, no accents, spaces (and hyphens) as `-`
/// (ENTCORE's practice, §2.2): `d'Artagnan` → `dartagnan`, `Jean-Pierre` → `jean-pierre`.
fn login_part(name: &str) -> String {
    let without: String = name
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | 'ʼ' | '‘'))
        .collect();
    fold(&without).replace(' ', "-")
}

/// The login before any increment.
pub fn login_base(style: LoginStyle, given_name: &str, surname: &str) -> Result<String, SdetError> {
    let last = login_part(surname);
    let first = login_part(given_name);
    if last.is_empty() || first.is_empty() {
        return Err(SdetError::EmptyLogin(format!("{given_name} {surname}")));
    }
    Ok(match style {
        LoginStyle::FirstDotLast => format!("{first}.{last}"),
        LoginStyle::InitialLast => {
            let i = first.chars().next().unwrap_or_default();
            format!("{i}{last}")
        }
    })
}

/// A login unique across the existing logins and aliases (`taken`): the base for the first holder,
/// then the base followed by 2, 3… — RECIA's practice (`benjamin.legrand3`, formats.md §1.7 and §2.2),
/// without zero padding (the specification's `XX` width is unspecified).
pub fn unique_login(
    style: LoginStyle,
    given_name: &str,
    surname: &str,
    taken: impl Fn(&str) -> bool,
) -> Result<String, SdetError> {
    let base = login_base(style, given_name, surname)?;
    if !taken(&base) {
        return Ok(base);
    }
    (2..=MAX_INCREMENT)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken(c))
        .ok_or(SdetError::NoFreeLogin(base, MAX_INCREMENT))
}

/// Homonyms tried before giving up (a `taken` that always answers yes must not loop for ever).
const MAX_INCREMENT: u32 = 100_000;

/// Checks an alias asked for by a person: first come, first served, unique across all logins and
/// aliases (§2.2). Returns it trimmed and in lower case.
pub fn check_alias(alias: &str, taken: impl Fn(&str) -> bool) -> Result<String, SdetError> {
    let a = alias.trim().to_lowercase();
    if a.is_empty()
        || !a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(SdetError::BadAlias(alias.to_string()));
    }
    if taken(&a) {
        return Err(SdetError::AliasTaken(a));
    }
    Ok(a)
}

/// `ENTPersonNomAffichage` (§2.3): nom d'usage in capitals without diacritics, a space, the prénom usuel
/// with each word capitalised and its diacritics kept; ligatures split, hyphens and apostrophes as spaces,
/// runs of spaces collapsed (the specification leaves collapsing open). `de La Fontaine`, `Jean-Pierre`
/// → `DE LA FONTAINE Jean Pierre`.
pub fn display_name(surname: &str, given_name: &str) -> String {
    let last = fold(surname).to_uppercase();
    let mut first = String::new();
    for word in given_name
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '\'' | '’' | 'ʼ' | '‘'))
        .filter(|w| !w.is_empty())
    {
        if !first.is_empty() {
            first.push(' ');
        }
        let split = split_ligatures(word);
        let mut chars = split.chars();
        if let Some(c) = chars.next() {
            first.extend(c.to_uppercase());
            first.extend(chars.flat_map(char::to_lowercase));
        }
    }
    match (last.is_empty(), first.is_empty()) {
        (true, _) => first,
        (_, true) => last,
        _ => format!("{last} {first}"),
    }
}

fn split_ligatures(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            c => out.push(c),
        }
    }
    out
}

/// Source of join keys for manual entry in the ENT (§2.4).
pub const MANUAL_SOURCE: &str = "ENT";

/// An `ENTPersonJointure` value: source identifier `$` key (§2.4), e.g. `AC-RENNES$128407`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JoinKey {
    pub source: String,
    pub key: String,
}

impl JoinKey {
    pub fn new(source: &str, key: &str) -> Result<JoinKey, SdetError> {
        let (s, k) = (source.trim(), key.trim());
        if s.is_empty() || k.is_empty() || s.contains('$') {
            return Err(SdetError::BadJoinKey(format!("{source}${key}")));
        }
        Ok(JoinKey {
            source: s.to_string(),
            key: k.to_string(),
        })
    }

    /// A key for a person entered by hand: source `ENT`.
    pub fn manual(key: &str) -> Result<JoinKey, SdetError> {
        JoinKey::new(MANUAL_SOURCE, key)
    }

    /// Parses `SOURCE$key`, splitting on the first `$` (a source never holds one; a key may).
    pub fn parse(value: &str) -> Result<JoinKey, SdetError> {
        let (s, k) = value
            .split_once('$')
            .ok_or_else(|| SdetError::BadJoinKey(value.to_string()))?;
        JoinKey::new(s, k).map_err(|_| SdetError::BadJoinKey(value.to_string()))
    }
}

impl std::fmt::Display for JoinKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}${}", self.source, self.key)
    }
}

#[cfg(test)]
#[path = "sdet_tests.rs"]
mod tests;
