//! Persons captured at the desk: guests, external staff and visitors the directory does not hold. Each gets
//! the SDET identifiers (formats.md §2): the national identifier (the same one again when the same
//! surname, first name and birth date are presented again: no second record), a login unique across the
//! mirror's logins, the display name of §2.3 and a join key `SOURCE$identifier`.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{StoreError, persons};
use crate::config::SdetConfig;
use crate::domain::card::PersonId;
use crate::domain::names::fold;
use crate::domain::person::{IdKind, PersonRecord};
use crate::domain::sdet::{self, Discriminant, JoinKey, SdetError};

/// The `source` of desk-captured persons.
pub const SOURCE: &str = "desk";

/// Who is captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum GuestKind {
    /// An invited person (SupAnn `affiliate`).
    #[default]
    Guest,
    /// External staff working on site (SupAnn `employee`).
    ExternalStaff,
    /// A visitor, e.g. of the library (SupAnn `library-walk-in`).
    Visitor,
}

impl GuestKind {
    pub const ALL: [GuestKind; 3] = [
        GuestKind::Guest,
        GuestKind::ExternalStaff,
        GuestKind::Visitor,
    ];

    pub fn affiliation(self) -> &'static str {
        match self {
            GuestKind::Guest => "affiliate",
            GuestKind::ExternalStaff => "employee",
            GuestKind::Visitor => "library-walk-in",
        }
    }

    pub fn parse(s: &str) -> Option<GuestKind> {
        match fold(s).as_str() {
            "guest" | "invite" | "affiliate" => Some(GuestKind::Guest),
            "external" | "external staff" | "exterieur" | "employee" => {
                Some(GuestKind::ExternalStaff)
            }
            "visitor" | "visiteur" => Some(GuestKind::Visitor),
            _ => None,
        }
    }
}

/// What the counter types.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuestInput {
    pub surname: String,
    pub given_name: String,
    pub birth_date: Option<Date>,
    pub email: Option<String>,
    pub kind: GuestKind,
    /// A structure code the person is attached to (a component, a school).
    pub structure_code: Option<String>,
}

/// The person recorded (or found again) and their identifiers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Captured {
    pub person_id: PersonId,
    pub identifier: String,
    pub login: String,
    pub display_name: String,
    pub join_key: String,
    /// The same surname, first name and birth date were captured before: that person is returned.
    pub existing: bool,
}

/// Why a capture failed.
#[derive(Debug, thiserror::Error)]
pub enum GuestError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Sdet(#[from] SdetError),
    #[error("the SDET settings are not valid: {0}")]
    Settings(String),
    #[error("{0} is required")]
    Missing(&'static str),
}

impl From<rusqlite::Error> for GuestError {
    fn from(e: rusqlite::Error) -> Self {
        GuestError::Store(StoreError::from(e))
    }
}

/// A desk-captured person with the same discriminant attributes (folded names, birth date), if any.
fn known(tx: &Transaction<'_>, d: &Discriminant) -> Result<Option<(PersonId, String)>, GuestError> {
    Ok(tx
        .query_row(
            "SELECT p.id, i.value FROM persons p
             JOIN person_identifiers i ON i.person_id = p.id AND i.kind = 'national'
             WHERE p.source = ?1 AND p.folded_surname = ?2 AND p.folded_given = ?3
               AND p.birth_date IS ?4
             ORDER BY p.id LIMIT 1",
            params![
                SOURCE,
                d.surname,
                d.given_name,
                d.birth_date.map(|b| b.to_string())
            ],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Records a person captured at the desk with their SDET identifiers, or returns the one captured before
/// with the same surname, first name and birth date.
pub fn capture(
    tx: &Transaction<'_>,
    input: &GuestInput,
    settings: &SdetConfig,
    now: Timestamp,
) -> Result<Captured, GuestError> {
    let surname = input.surname.trim();
    let given = input.given_name.trim();
    if fold(surname).is_empty() {
        return Err(GuestError::Missing("surname"));
    }
    if fold(given).is_empty() {
        return Err(GuestError::Missing("given_name"));
    }
    let territory = settings.territory().map_err(GuestError::Settings)?;
    let digits = settings.digits().map_err(GuestError::Settings)?;
    let style = settings.style().map_err(GuestError::Settings)?;
    let d = Discriminant::new(surname, given, input.birth_date);
    if let Some((id, identifier)) = known(tx, &d)? {
        let (login, display_name): (Option<String>, String) = tx.query_row(
            "SELECT ent_login, display_name FROM persons WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        return Ok(Captured {
            person_id: id,
            join_key: JoinKey::new(&settings.join_source, &identifier)?.to_string(),
            identifier,
            login: login.unwrap_or_default(),
            display_name,
            existing: true,
        });
    }
    let local = now.to_zoned(jiff::tz::TimeZone::system()).datetime();
    // One person, one identifier: the pure rule of §2.1, not the batch generator (whose memory of the
    // identifiers it made would hand the taken one back). Identifiers carry the millisecond: one taken
    // already (two captures in the same millisecond on two desks) moves to the next one.
    let mut at = local;
    let identifier = loop {
        let id = sdet::identifier(territory, digits, given, surname, at)?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM person_identifiers WHERE kind = 'national' AND value = ?1)",
            [&id],
            |r| r.get(0),
        )?;
        if !taken {
            break id;
        }
        at = at
            .checked_add(jiff::SignedDuration::from_millis(1))
            .map_err(|_| SdetError::ClockOverflow)?;
    };
    let login = sdet::unique_login(style, given, surname, |l| {
        tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM persons WHERE ent_login = ?1 COLLATE NOCASE
                           OR uid = ?1 COLLATE NOCASE)
                 OR EXISTS(SELECT 1 FROM person_identifiers
                           WHERE kind = 'alias' AND value = ?1 COLLATE NOCASE)",
            [l],
            |r| r.get::<_, bool>(0),
        )
        // A database that cannot answer counts the login as taken: the next one is tried.
        .unwrap_or(true)
    })?;
    let join_key = JoinKey::new(&settings.join_source, &identifier)?.to_string();
    let display_name = sdet::display_name(surname, given);
    let record = PersonRecord {
        uid: Some(login.clone()),
        ent_login: Some(login.clone()),
        surname: surname.to_string(),
        given_name: given.to_string(),
        birth_date: input.birth_date,
        email: input
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string),
        affiliation: input.kind.affiliation().to_string(),
        structure_code: input.structure_code.clone(),
        editable: true,
        identifiers: vec![
            (IdKind::National, identifier.clone()),
            (IdKind::Jointure, join_key.clone()),
        ],
        source: SOURCE.to_string(),
        ..PersonRecord::default()
    };
    let person_id = persons::insert(tx, &record, now)?;
    tx.execute(
        "UPDATE persons SET display_name = ?1 WHERE id = ?2",
        params![display_name, person_id],
    )?;
    Ok(Captured {
        person_id,
        identifier,
        login,
        display_name,
        join_key,
        existing: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn settings() -> SdetConfig {
        SdetConfig {
            territory_letter: "V".into(),
            territory_digit: 6,
            ..SdetConfig::default()
        }
    }

    fn input(surname: &str, given: &str) -> GuestInput {
        GuestInput {
            surname: surname.into(),
            given_name: given.into(),
            birth_date: Date::new(1980, 5, 17).ok(),
            ..GuestInput::default()
        }
    }

    #[test]
    fn a_guest_gets_the_sdet_identifiers_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.db")).unwrap();
        let now = Timestamp::now();
        let a = store
            .write(|tx| {
                Ok(capture(
                    tx,
                    &input("de La Fontaine", "Jean-Pierre"),
                    &settings(),
                    now,
                ))
            })
            .unwrap()
            .unwrap();
        assert!(!a.existing);
        assert!(a.identifier.starts_with("Vjd6"), "{}", a.identifier);
        assert_eq!(a.identifier.len(), 4 + 17);
        assert_eq!(a.login, "jean-pierre.de-la-fontaine");
        assert_eq!(a.display_name, "DE LA FONTAINE Jean Pierre");
        assert_eq!(a.join_key, format!("ENT${}", a.identifier));

        // The same discriminant attributes again (case and accents aside): the same person.
        let again = store
            .write(|tx| {
                Ok(capture(
                    tx,
                    &input("DE LA FONTAINE", "jean pierre"),
                    &settings(),
                    now,
                ))
            })
            .unwrap()
            .unwrap();
        assert!(again.existing);
        assert_eq!(
            (again.person_id, again.identifier.clone()),
            (a.person_id, a.identifier.clone())
        );

        // An alias already held in the directory is not given as a login (§2.2).
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO person_identifiers (person_id, kind, value)
                     VALUES (?1, 'alias', 'jean-pierre.de-la-fontaine2')",
                    [a.person_id],
                )?;
                Ok(())
            })
            .unwrap();
        // A homonym born another day: another person, another login.
        let mut other = input("de La Fontaine", "Jean-Pierre");
        other.birth_date = Date::new(1990, 1, 2).ok();
        let b = store
            .write(|tx| Ok(capture(tx, &other, &settings(), now)))
            .unwrap()
            .unwrap();
        assert!(!b.existing);
        assert_ne!(b.identifier, a.identifier);
        assert_eq!(b.login, "jean-pierre.de-la-fontaine3");
        let found = store
            .read(|c| crate::store::search::search(c, "jean pierre fontaine", 10))
            .unwrap();
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn two_captures_in_the_same_millisecond_get_two_identifiers() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.db")).unwrap();
        // Half-way through a second, so that the next milliseconds are the next numbers.
        let now = Timestamp::from_millisecond(1_700_000_000_500).unwrap();
        // Same initials (J, D), other persons, one instant: the second moves to the next millisecond.
        let ids: Vec<String> = ["Dupont", "Durand", "Dubois"]
            .into_iter()
            .map(|surname| {
                store
                    .write(|tx| Ok(capture(tx, &input(surname, "Jean"), &settings(), now)))
                    .unwrap()
                    .unwrap()
                    .identifier
            })
            .collect();
        let at = |id: &str| id[4..].parse::<u64>().unwrap();
        assert_eq!(at(&ids[1]), at(&ids[0]) + 1, "{ids:?}");
        assert_eq!(at(&ids[2]), at(&ids[0]) + 2, "{ids:?}");
        assert!(ids.iter().all(|id| id.starts_with("Vjd6")), "{ids:?}");
    }

    #[test]
    fn missing_names_and_bad_settings_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.db")).unwrap();
        let now = Timestamp::now();
        let r = store
            .write(|tx| Ok(capture(tx, &input(" ", "Anne"), &settings(), now)))
            .unwrap();
        assert!(matches!(r, Err(GuestError::Missing("surname"))));
        let bad = SdetConfig {
            timestamp_digits: 16,
            ..settings()
        };
        let r = store
            .write(|tx| Ok(capture(tx, &input("Roux", "Anne"), &bad, now)))
            .unwrap();
        assert!(matches!(r, Err(GuestError::Settings(_))));
    }
}
