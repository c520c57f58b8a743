//! Identifiers given to persons captured at the desk (guests, external staff, visitors), by the SDET rules
//! (formats.md §2): the national identifier's territory letter and digit and its timestamp width (the
//! specification's text says 15 digits, its worked example 17: the example is the default), the login
//! form and the join key's source.

use serde::{Deserialize, Serialize};

use crate::domain::sdet::{LoginStyle, Territory, TimestampDigits};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdetConfig {
    /// `L`: the project territory's letter (Rhône `V`, Bas-Rhin `A`); `Z` until the institution sets its own.
    #[serde(default = "letter")]
    pub territory_letter: String,
    /// `C`: the project territory's digit (Rhône 6, Bas-Rhin 1).
    #[serde(default)]
    pub territory_digit: u8,
    /// 17 (`yyyyMMddhhmmsszzz`, the worked example) or 15 (`jjMMaahhmmsszzz`, the text).
    #[serde(default = "seventeen")]
    pub timestamp_digits: u8,
    /// `first.last` (`prenom.nom`, then 2, 3…) or `initial` (`pnom`, then 2, 3…).
    #[serde(default = "first_last")]
    pub login_style: String,
    /// Source of the join key `SOURCE$key` (`ENT` for manual entry, §2.4).
    #[serde(default = "ent")]
    pub join_source: String,
}

fn letter() -> String {
    "Z".into()
}
fn seventeen() -> u8 {
    17
}
fn first_last() -> String {
    "first.last".into()
}
fn ent() -> String {
    crate::domain::sdet::MANUAL_SOURCE.into()
}

impl Default for SdetConfig {
    fn default() -> Self {
        SdetConfig {
            territory_letter: letter(),
            territory_digit: 0,
            timestamp_digits: seventeen(),
            login_style: first_last(),
            join_source: ent(),
        }
    }
}

impl SdetConfig {
    pub fn territory(&self) -> Result<Territory, String> {
        let mut letters = self.territory_letter.chars();
        let (Some(l), None) = (letters.next(), letters.next()) else {
            return Err("the territory letter is one letter".into());
        };
        let d = char::from_digit(u32::from(self.territory_digit), 10)
            .ok_or_else(|| "the territory digit is one digit, 0 to 9".to_string())?;
        Territory::new(l, d).map_err(|e| e.to_string())
    }

    pub fn digits(&self) -> Result<TimestampDigits, String> {
        TimestampDigits::from_count(self.timestamp_digits).map_err(|e| e.to_string())
    }

    pub fn style(&self) -> Result<LoginStyle, String> {
        match self.login_style.trim() {
            "first.last" | "prenom.nom" => Ok(LoginStyle::FirstDotLast),
            "initial" | "pnom" => Ok(LoginStyle::InitialLast),
            _ => Err("expected first.last or initial".into()),
        }
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        self.territory()?;
        self.digits()?;
        self.style()?;
        if self.join_source.trim().is_empty() || self.join_source.contains('$') {
            return Err("a join key source is a word without '$'".into());
        }
        Ok(())
    }
}

pub const KEYS: &[(&str, &str)] = &[
    (
        "sdet.territory_letter",
        "desk-captured persons: territory letter of the national identifier (e.g. V)",
    ),
    (
        "sdet.territory_digit",
        "territory digit of the national identifier, 0-9 (e.g. 6)",
    ),
    (
        "sdet.timestamp_digits",
        "17 (yyyyMMddhhmmsszzz, default) or 15 (jjMMaahhmmsszzz)",
    ),
    ("sdet.login_style", "first.last | initial"),
    (
        "sdet.join_source",
        "source of the join key SOURCE$key (default ENT)",
    ),
];
