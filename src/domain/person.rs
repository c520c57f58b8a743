//! A person of the directory mirror, with every identifier family kept apart (ARCHITECTURE §7).
//!
//! Identifier families: `uid` (login), `eppn` (eduPersonPrincipalName, the university-wide identity),
//! `supannEtuId` / `supannEmpId` (student and staff numbers), INE (Identifiant National Étudiant / de
//! l'Élève, national pupil and student number), ENT login and ENTPersonJointure keys (`SOURCE$key`, the
//! school directory's join keys), and per-application ids (BCDI, SACoche: `APP$id`).

use jiff::civil::Date;

use super::names;

/// A multi-valued identifier family, kept in its own rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// `ENTPersonJointure`: `SOURCE$key`, e.g. `AC-RENNES$128407`.
    Jointure,
    /// Per-application id, `APP$id`, e.g. `BCDI$c76a…` (RECIA's `ESCOPersonExternalIds`).
    AppId,
    /// `supannRefId`: `{LABEL}value`.
    RefId,
    /// `ENTPersonIdentifiant`: the SDET national identifier given to a person captured at the desk
    /// (formats.md §2.1), `Vpm620130101012345678`.
    National,
    /// `ENTPersonAlias`: an alias login (formats.md §2.2: unique across logins and aliases).
    Alias,
}

impl IdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Jointure => "jointure",
            IdKind::AppId => "app",
            IdKind::RefId => "refid",
            IdKind::National => "national",
            IdKind::Alias => "alias",
        }
    }

    pub fn parse(s: &str) -> Option<IdKind> {
        match s {
            "jointure" => Some(IdKind::Jointure),
            "app" => Some(IdKind::AppId),
            "refid" => Some(IdKind::RefId),
            "national" => Some(IdKind::National),
            "alias" => Some(IdKind::Alias),
            _ => None,
        }
    }
}

/// A person as written to the mirror (from the directory, a file, or the demo generator).
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct PersonRecord {
    pub dn: Option<String>,
    pub entry_uuid: Option<String>,
    pub uid: Option<String>,
    pub eppn: Option<String>,
    pub supann_etu_id: Option<String>,
    pub supann_emp_id: Option<String>,
    pub ine: Option<String>,
    pub ent_login: Option<String>,
    pub surname: String,
    pub given_name: String,
    pub birth_name: Option<String>,
    pub civility: Option<String>,
    pub birth_date: Option<Date>,
    pub email: Option<String>,
    /// Primary affiliation or profile as the directory gives it (`student`, `staff`, `National_ELV`, …).
    pub affiliation: String,
    /// Code of the establishment or component the person belongs to (see `StructureRecord::code`).
    pub structure_code: Option<String>,
    /// End of rights (`schacExpiryDate`); cards take it when enabled.
    pub due_date: Option<Date>,
    /// `false` blocks request validation (§1.6.3 of crous-escr.md).
    pub editable: bool,
    pub identifiers: Vec<(IdKind, String)>,
    /// Where the record comes from: `demo`, `ldap`, …
    pub source: String,
}

impl PersonRecord {
    pub fn display_name(&self) -> String {
        names::display_name(&self.surname, &self.given_name)
    }
}

/// Whether an affiliation or profile value designates a pupil or student (for labels and statistics).
pub fn is_learner(affiliation: &str) -> bool {
    matches!(affiliation, "student" | "National_ELV" | "National_1")
}
