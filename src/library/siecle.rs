//! SIECLE's `ElevesSansAdresses.xml` (formats.md §8.1): the ministry's pupil export of one establishment,
//! read into pupils, then imported into the mirror in one transaction.
//!
//! Rules (Pix's import, §8.1): a file naming the same INE twice is refused as a whole; a pupil without
//! INE or in the division `Inactifs` is reported and not imported; a pupil with a `DATE_SORTIE` is
//! leaving; pupils of an earlier import absent from a new file are disabled (marked departed, never
//! deleted: their cards and history stay).

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;
use roxmltree::{Document, Node};
use rusqlite::Transaction;
use serde::Serialize;

use super::text::{self, Charset};
use super::{FileError, Problem};
use crate::directory::mapping::values::parse_date;
use crate::domain::names;
use crate::domain::person::{IdKind, PersonRecord};
use crate::domain::structure::{StructureKind, StructureRecord};
use crate::store::{self, persons, school, structures};

/// The root element (formats.md §8.1).
pub const ROOT: &str = "BEE_ELEVES";
/// The `source` of persons imported from SIECLE.
pub const SOURCE: &str = "siecle";
/// The source of their join key, `SIECLE$<ELEVE_ID>` (formats.md §2.4: free for other sources). The key
/// is the `ELEVE_ID` attribute, the Sconet id SACoche stores as `user_sconet_id` ("ELEVE.ELEVE_ID pour un
/// élève") and matches on first (§7.3 step 3); `ELENOET` is kept on the pupil but not stored.
pub const JOIN_SOURCE: &str = "SIECLE";
/// The division SIECLE puts pupils who are no longer taught in.
const INACTIVE: &str = "Inactifs";

/// One `ELEVE` of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pupil {
    /// Line of the `ELEVE` element.
    pub line: usize,
    pub eleve_id: String,
    /// `ID_NATIONAL`, upper case.
    pub ine: Option<String>,
    pub family_name: String,
    pub usage_name: Option<String>,
    pub given_name: String,
    pub other_given_names: Vec<String>,
    pub birth_date: Option<Date>,
    pub mef: Option<String>,
    pub status: Option<String>,
    pub leaving: Option<Date>,
    pub elenoet: Option<String>,
    /// `CODE_STRUCTURE` of the `TYPE_STRUCTURE` `D` structure (the class).
    pub division: Option<String>,
}

impl Pupil {
    /// The name the pupil goes by: nom d'usage when given, else nom de famille.
    pub fn surname(&self) -> &str {
        self.usage_name.as_deref().unwrap_or(&self.family_name)
    }

    fn display_name(&self) -> String {
        names::display_name(self.surname(), &self.given_name)
    }
}

/// A parsed SIECLE file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiecleFile {
    /// `PARAMETRES/UAJ`, the establishment's UAI.
    pub uai: String,
    pub charset: Charset,
    pub pupils: Vec<Pupil>,
}

fn child<'a, 'i>(n: Node<'a, 'i>, tag: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name(tag))
}

/// The trimmed text of a child element, `None` when absent or blank.
fn child_text(n: Node<'_, '_>, tag: &str) -> Option<String> {
    child(n, tag)
        .and_then(|c| c.text())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A `dd/mm/yyyy` child (formats.md §10 "Dates"); a malformed one names its line.
fn child_date(text: &str, n: Node<'_, '_>, tag: &str) -> Result<Option<Date>, FileError> {
    let Some(value) = child_text(n, tag) else {
        return Ok(None);
    };
    match parse_date(&value).filter(|_| value.contains('/')) {
        Some(d) => Ok(Some(d)),
        None => Err(FileError::Field {
            line: line(text, child(n, tag).unwrap_or(n)),
            field: tag.to_string(),
            value,
            problem: Problem::BadDate,
        }),
    }
}

fn line(text: &str, n: Node<'_, '_>) -> usize {
    text::line_of(text, n.range().start)
}

fn missing(text: &str, n: Node<'_, '_>, field: &str) -> FileError {
    FileError::Field {
        line: line(text, n),
        field: field.to_string(),
        value: String::new(),
        problem: Problem::Missing,
    }
}

/// Reads an `ElevesSansAdresses.xml` (or `ElevesAvecAdresses.xml`): encoding by declaration
/// (ISO-8859-15 in practice), root `BEE_ELEVES`, `PARAMETRES/UAJ`, the `ELEVE`s and their divisions.
/// Refused as a whole: malformed XML, another root, no UAJ, a pupil without `ELEVE_ID`, nom or prénom, a
/// malformed date or INE, the same INE twice (every line named), no pupil at all.
pub fn parse(bytes: &[u8]) -> Result<SiecleFile, FileError> {
    let decoded = text::decode_xml(bytes)?;
    let text = decoded.text.as_str();
    let doc = Document::parse(text).map_err(|e| FileError::Xml {
        // roxmltree places an unclosed root at 1:1; the file was cut at its end.
        line: match e {
            roxmltree::Error::UnclosedRootNode => text::lines(text).len().max(1),
            _ => e.pos().row as usize,
        },
        message: e.to_string(),
    })?;
    let root = doc.root_element();
    if !root.has_tag_name(ROOT) {
        return Err(FileError::Root {
            expected: ROOT,
            found: root.tag_name().name().to_string(),
        });
    }
    let uai = child(root, "PARAMETRES")
        .and_then(|p| child_text(p, "UAJ"))
        .ok_or_else(|| missing(text, root, "UAJ"))?
        .to_uppercase();
    let data = child(root, "DONNEES");
    let mut divisions: HashMap<String, String> = HashMap::new();
    for se in data
        .and_then(|d| child(d, "STRUCTURES"))
        .into_iter()
        .flat_map(|s| s.children().filter(|c| c.has_tag_name("STRUCTURES_ELEVE")))
    {
        let Some(id) = se.attribute("ELEVE_ID").map(str::trim) else {
            continue;
        };
        let division = se
            .children()
            .filter(|c| c.has_tag_name("STRUCTURE"))
            .find(|s| child_text(*s, "TYPE_STRUCTURE").as_deref() == Some("D"))
            .and_then(|s| child_text(s, "CODE_STRUCTURE"));
        if let Some(d) = division {
            divisions.entry(id.to_string()).or_insert(d);
        }
    }
    let mut pupils = Vec::new();
    for e in data
        .and_then(|d| child(d, "ELEVES"))
        .into_iter()
        .flat_map(|s| s.children().filter(|c| c.has_tag_name("ELEVE")))
    {
        let eleve_id = e
            .attribute("ELEVE_ID")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| missing(text, e, "ELEVE_ID"))?
            .to_string();
        let ine = child_text(e, "ID_NATIONAL").map(|s| s.to_uppercase());
        if let Some(i) = &ine
            && (i.len() != 11 || !i.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            return Err(FileError::Field {
                line: line(text, child(e, "ID_NATIONAL").unwrap_or(e)),
                field: "ID_NATIONAL".into(),
                value: i.clone(),
                problem: Problem::BadIne,
            });
        }
        pupils.push(Pupil {
            line: line(text, e),
            ine,
            family_name: child_text(e, "NOM_DE_FAMILLE")
                .ok_or_else(|| missing(text, e, "NOM_DE_FAMILLE"))?,
            usage_name: child_text(e, "NOM_USAGE"),
            given_name: child_text(e, "PRENOM").ok_or_else(|| missing(text, e, "PRENOM"))?,
            other_given_names: ["PRENOM2", "PRENOM3"]
                .iter()
                .filter_map(|t| child_text(e, t))
                .collect(),
            birth_date: child_date(text, e, "DATE_NAISS")?,
            mef: child_text(e, "CODE_MEF"),
            status: child_text(e, "CODE_STATUT"),
            leaving: child_date(text, e, "DATE_SORTIE")?,
            elenoet: child_text(e, "ELENOET").or_else(|| {
                e.attribute("ELENOET")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            }),
            division: divisions.get(&eleve_id).cloned(),
            eleve_id,
        });
    }
    if pupils.is_empty() {
        return Err(FileError::NoRecord);
    }
    let mut lines_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for p in &pupils {
        if let Some(ine) = &p.ine {
            lines_of.entry(ine).or_default().push(p.line);
        }
    }
    if let Some(p) = pupils.iter().find(|p| {
        p.ine
            .as_deref()
            .is_some_and(|i| lines_of.get(i).is_some_and(|l| l.len() > 1))
    }) {
        let ine = p.ine.clone().unwrap_or_default();
        let lines = lines_of.remove(ine.as_str()).unwrap_or_default();
        return Err(FileError::DuplicateIne { ine, lines });
    }
    Ok(SiecleFile {
        uai,
        charset: decoded.charset,
        pupils,
    })
}

/// A pupil in the import report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PupilRef {
    /// Line of the `ELEVE` element; 0 for a pupil of an earlier import absent from this file.
    pub line: usize,
    pub ine: Option<String>,
    pub name: String,
    pub person_id: Option<i64>,
}

/// Why a pupil was not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    NoIne,
    Inactive,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    #[serde(flatten)]
    pub pupil: PupilRef,
    pub reason: SkipReason,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImportReport {
    pub uai: String,
    /// The establishment was not in the mirror and was created.
    pub structure_created: bool,
    pub added: Vec<PupilRef>,
    pub updated: Vec<PupilRef>,
    /// Pupils with a leaving date; `person_id` is set when a person of an earlier import was marked
    /// departed.
    pub left: Vec<PupilRef>,
    /// Pupils of an earlier import absent from this file: marked departed.
    pub absent: Vec<PupilRef>,
    /// Pupils found by INE among the directory's persons: the directory stays authoritative for them
    /// (a SIECLE import never rewrites what the sync wrote, which would then look unchanged to it).
    pub in_directory: Vec<PupilRef>,
    pub skipped: Vec<Skipped>,
}

/// Imports a parsed file into the mirror, in the caller's transaction (give it the whole import: nothing
/// is half applied). The establishment is the structure with the file's UAI (created, kind school, when
/// missing). Each pupil is found by INE; a new one becomes a person (profile `National_ELV`, source
/// `siecle`, join key `SIECLE$<ELEVE_ID>`) in the class group `{structure code}:Classes:{division}` —
/// the directory sync's naming.
pub fn import(
    tx: &Transaction<'_>,
    file: &SiecleFile,
    now: Timestamp,
) -> store::Result<ImportReport> {
    let mut report = ImportReport {
        uai: file.uai.clone(),
        ..ImportReport::default()
    };
    let school = match school::establishment(tx, &file.uai)? {
        Some(s) => s,
        None => {
            let rec = StructureRecord {
                code: file.uai.clone(),
                uai: Some(file.uai.clone()),
                kind: StructureKind::School,
                name: file.uai.clone(),
                parent_code: None,
            };
            let id = structures::upsert(tx, &rec)?;
            report.structure_created = true;
            structures::get(tx, id)?.ok_or(store::StoreError::NotFound {
                kind: "structure",
                id,
            })?
        }
    };
    let stamp = store::ts(now);
    let mut seen: HashSet<i64> = HashSet::new();
    for p in &file.pupils {
        let mut r = PupilRef {
            line: p.line,
            ine: p.ine.clone(),
            name: p.display_name(),
            person_id: None,
        };
        let Some(ine) = &p.ine else {
            report.skipped.push(Skipped {
                pupil: r,
                reason: SkipReason::NoIne,
            });
            continue;
        };
        if p.division
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case(INACTIVE))
        {
            report.skipped.push(Skipped {
                pupil: r,
                reason: SkipReason::Inactive,
            });
            continue;
        }
        let found = store::siecle::by_ine(tx, ine, SOURCE, school.id)?;
        match found {
            Some((id, source)) if source != SOURCE => {
                seen.insert(id);
                r.person_id = Some(id);
                report.in_directory.push(r);
            }
            Some((id, _)) if p.leaving.is_some() => {
                store::siecle::mark_departed(tx, id, &stamp)?;
                r.person_id = Some(id);
                report.left.push(r);
            }
            None if p.leaving.is_some() => report.left.push(r),
            Some((id, _)) => {
                seen.insert(id);
                store::siecle::update_pupil(
                    tx,
                    id,
                    &record(p, ine),
                    school.id,
                    &join_key(p),
                    JOIN_SOURCE,
                    &stamp,
                )?;
                store::siecle::set_class(tx, id, &school.code, p.division.as_deref(), SOURCE)?;
                r.person_id = Some(id);
                report.updated.push(r);
            }
            None => {
                let id = persons::insert_with(tx, &record(p, ine), Some(school.id), None, now)?;
                seen.insert(id);
                store::siecle::set_class(tx, id, &school.code, p.division.as_deref(), SOURCE)?;
                r.person_id = Some(id);
                report.added.push(r);
            }
        }
    }
    let earlier = store::siecle::present(tx, SOURCE, school.id)?;
    for (id, ine, name) in earlier.into_iter().filter(|(id, ..)| !seen.contains(id)) {
        store::siecle::mark_departed(tx, id, &stamp)?;
        report.absent.push(PupilRef {
            line: 0,
            ine,
            name,
            person_id: Some(id),
        });
    }
    Ok(report)
}

fn join_key(p: &Pupil) -> String {
    format!("{JOIN_SOURCE}${}", p.eleve_id)
}

fn record(p: &Pupil, ine: &str) -> PersonRecord {
    PersonRecord {
        ine: Some(ine.to_string()),
        surname: p.surname().to_string(),
        given_name: p.given_name.clone(),
        birth_name: p.usage_name.is_some().then(|| p.family_name.clone()),
        birth_date: p.birth_date,
        affiliation: "National_ELV".into(),
        editable: true,
        identifiers: vec![(IdKind::Jointure, join_key(p))],
        source: SOURCE.into(),
        ..PersonRecord::default()
    }
}

#[cfg(test)]
#[path = "siecle_tests.rs"]
mod tests;
