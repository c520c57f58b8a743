//! Input of the bulk CROUS identifier migration ("patchIdentifier", `reference/crous-escr.md` §2.13):
//! each entry becomes `PATCH /beforeizly/v1/rightholders/{oldId}` with `currentIdentifier` = oldId,
//! `email` and `newIdentifier`. Entries come from a CSV file (`oldId;eppnNewId;mail`) or are generated
//! for an eppn → INE migration.
//!
//! A file is accepted whole or not at all: a migration half applied leaves accounts under two identifier
//! schemes, which is harder to repair than a file fixed and loaded again.

use crate::library::text::split_fields;
use std::collections::HashMap;

/// One identifier change to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchLine {
    /// 1-based line of the CSV file, or 1-based position for generated entries.
    pub line: usize,
    pub old_id: String,
    pub new_id: String,
    pub email: String,
}

/// The columns of the file, named as in its header (language-neutral, shown as they are).
pub const COLUMNS: [&str; 3] = ["oldId", "eppnNewId", "mail"];

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// The line does not have exactly the three columns.
    ColumnCount {
        found: usize,
    },
    Empty,
    /// Not of the shape `local@domain.tld`.
    BadEmail,
    /// The new identifier is the old one.
    SameIds,
    /// This oldId was already given on `first_line`.
    DuplicateOldId {
        first_line: usize,
    },
    /// This newId was already given on `first_line`.
    DuplicateNewId {
        first_line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    /// One of [`COLUMNS`], or `"*"` for the whole line.
    pub field: &'static str,
    pub problem: LineProblem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchIdsError {
    #[error("the first line is not the header oldId;eppnNewId;mail")]
    MissingHeader,
    #[error("{} bad line(s) in the identifier file, first on line {}", .0.len(), .0.first().map_or(0, |e| e.line))]
    Lines(Vec<LineError>),
}

/// Parses the migration file. The header (first non-blank line) must be `oldId;eppnNewId;mail`, compared
/// case-insensitively; its separator (`;`, or `,`) is used for every line. A BOM, CRLF line ends, blank
/// lines and spaces or double quotes around values are tolerated. Every bad line is reported at once.
pub fn parse_csv(text: &str) -> Result<Vec<PatchLine>, PatchIdsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or(PatchIdsError::MissingHeader)?;
    let separator = [';', ',']
        .into_iter()
        .find(|&sep| is_header(&split_fields(header, sep)))
        .ok_or(PatchIdsError::MissingHeader)?;

    let mut errors = Vec::new();
    let mut entries = Vec::new();
    let mut old_seen: HashMap<String, usize> = HashMap::new();
    let mut new_seen: HashMap<String, usize> = HashMap::new();
    for (line, raw) in lines {
        let fields = split_fields(raw, separator);
        let [old_id, new_id, email] = match <[String; 3]>::try_from(fields) {
            Ok(f) => f,
            Err(f) => {
                errors.push(LineError {
                    line,
                    field: "*",
                    problem: LineProblem::ColumnCount { found: f.len() },
                });
                continue;
            }
        };
        let before = errors.len();
        let mut fail = |field, problem| {
            errors.push(LineError {
                line,
                field,
                problem,
            })
        };
        for (field, value) in COLUMNS.iter().zip([&old_id, &new_id, &email]) {
            if value.is_empty() {
                fail(field, LineProblem::Empty);
            }
        }
        if !email.is_empty() && !is_email(&email) {
            fail(COLUMNS[2], LineProblem::BadEmail);
        }
        if !old_id.is_empty() && old_id == new_id {
            fail(COLUMNS[1], LineProblem::SameIds);
        }
        if !old_id.is_empty() {
            if let Some(&first_line) = old_seen.get(&old_id) {
                fail(COLUMNS[0], LineProblem::DuplicateOldId { first_line });
            } else {
                old_seen.insert(old_id.clone(), line);
            }
        }
        if !new_id.is_empty() {
            if let Some(&first_line) = new_seen.get(&new_id) {
                fail(COLUMNS[1], LineProblem::DuplicateNewId { first_line });
            } else {
                new_seen.insert(new_id.clone(), line);
            }
        }
        if errors.len() == before {
            entries.push(PatchLine {
                line,
                old_id,
                new_id,
                email,
            });
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(PatchIdsError::Lines(errors))
    }
}

fn is_header(fields: &[String]) -> bool {
    fields.len() == COLUMNS.len()
        && fields
            .iter()
            .zip(COLUMNS)
            .all(|(f, c)| f.eq_ignore_ascii_case(c))
}

/// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces. CROUS is
/// the judge of deliverability; this only catches columns swapped or mangled by a spreadsheet.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Entries for an eppn → INE migration: one per person with an INE and an e-mail (CROUS requires the
/// e-mail, §2.16), `line` being the 1-based position in `persons`. Persons whose INE already is their
/// eppn are skipped, as are blank values.
pub fn generate_ine_pairs(persons: &[(String, Option<String>, Option<String>)]) -> Vec<PatchLine> {
    persons
        .iter()
        .enumerate()
        .filter_map(|(i, (eppn, ine, email))| {
            let eppn = eppn.trim();
            let ine = ine.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            let email = email.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            (!eppn.is_empty() && eppn != ine).then(|| PatchLine {
                line: i + 1,
                old_id: eppn.to_string(),
                new_id: ine.to_string(),
                email: email.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "patch_ids_tests.rs"]
mod tests;
