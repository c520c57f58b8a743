//! SACoche and ENT identifiers (formats.md §7): the ITOP CSV of an establishment's ENT identifiers
//! (what SACoche's `itop` import reads), and the check of an ENT's CSV the way SACoche's "Importer /
//! imposer les identifiants d'un ENT" page will match it against its users (§7.1–§7.3), so the ENT
//! administrator sees before the import which lines will be set, which are unchanged and which need
//! manual handling.

use std::collections::HashMap;

use serde::Serialize;

use super::FileError;
use super::text::{self, Charset};
use crate::domain::names::fold;
use crate::store::school::SchoolPerson;

/// The application name of SACoche ids in `ESCOPersonExternalIds` (`SACOCHE$<uuid>`, formats.md §1.7).
pub const APP: &str = "SACOCHE";

/// The identifier SACoche stores as `user_id_ent` for a person: their SACoche application id when the
/// directory gives one (RECIA's Sacoche-WS, §7.4), else their ENT `uid`. The export writes it and the
/// check compares against it, so an exported file checks as unchanged.
pub fn ent_id(p: &SchoolPerson) -> Option<&str> {
    p.app_id(APP)
        .or(p.uid.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The ITOP profile of a person: the SDET national profile, `National_2` for parents (the ITOP
/// convention, formats.md §1.8 and §7.2).
fn itop_profile(profile: &str) -> &str {
    match profile {
        "National_TUT" => "National_2",
        p => p,
    }
}

/// `M`/`F` from the civility (`M`, `M.`, `Mme`, `Mlle`), empty when unknown.
fn sex(civility: Option<&str>) -> &'static str {
    match civility.map(|c| c.trim().trim_end_matches('.').to_lowercase()) {
        Some(c) if c == "m" || c == "mr" => "M",
        Some(c) if c == "mme" || c == "mlle" => "F",
        _ => "",
    }
}

/// The ITOP CSV of some persons, before encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItopCsv {
    pub text: String,
    /// Persons written.
    pub rows: usize,
    /// Departed persons, and persons with neither a SACoche id nor a uid: not written (SACoche skips a
    /// line without id, §7.3 step 1). Person ids, in the given order.
    pub left_out: Vec<(i64, LeftOut)>,
}

/// Why a person is not in the ITOP file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    Departed,
    NoId,
}

/// The ITOP CSV (formats.md §7.2) of an establishment's persons: header
/// `Guid;Nom;Prénom;Profil;Classes;Groupe;DateNaissance;Sexe;Civilite;Guid_Enfant1…`, `;`-separated,
/// CRLF line ends. Decisions (SACoche reads only the first three columns; GEPI reads the others by
/// header name):
/// - `Classes`: the class codes joined by `,` (pupils have one; `,` cannot be taken for the `;`
///   separator), `Groupe` empty (the mirror keeps teaching groups apart from classes);
/// - `DateNaissance` `dd/mm/yyyy`; `Sexe` `M`/`F` from the civility; `Civilite` as the directory has it;
/// - as many `Guid_Enfant` columns as the parent with the most children needs, at least three; a
///   child's Guid is written only when the child is among `persons` and has one.
pub fn itop_csv(persons: &[SchoolPerson]) -> ItopCsv {
    let ids: HashMap<i64, &str> = persons
        .iter()
        .filter(|p| !p.departed)
        .filter_map(|p| ent_id(p).map(|id| (p.id, id)))
        .collect();
    let written: Vec<(&SchoolPerson, &str)> = persons
        .iter()
        .filter_map(|p| ids.get(&p.id).map(|id| (p, *id)))
        .collect();
    let children_of = |p: &SchoolPerson| -> Vec<&str> {
        p.children
            .iter()
            .filter_map(|c| ids.get(c).copied())
            .collect()
    };
    let width = written
        .iter()
        .map(|(p, _)| children_of(p).len())
        .max()
        .unwrap_or(0)
        .max(3);
    let mut header: Vec<String> = [
        "Guid",
        "Nom",
        "Prénom",
        "Profil",
        "Classes",
        "Groupe",
        "DateNaissance",
        "Sexe",
        "Civilite",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend((1..=width).map(|i| format!("Guid_Enfant{i}")));
    let mut text = header.join(";");
    text.push_str("\r\n");
    for (p, id) in &written {
        let mut row = vec![
            id.to_string(),
            p.surname.clone(),
            p.given_name.clone(),
            itop_profile(&p.profile).to_string(),
            p.classes.join(","),
            String::new(),
            p.birth_date
                .map(|d| d.strftime("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            sex(p.civility.as_deref()).to_string(),
            p.civility.clone().unwrap_or_default(),
        ];
        let mut children: Vec<String> = children_of(p).iter().map(|s| s.to_string()).collect();
        children.resize(width, String::new());
        row.extend(children);
        let row: Vec<String> = row.iter().map(|v| text::csv_value(v, ';')).collect();
        text.push_str(&row.join(";"));
        text.push_str("\r\n");
    }
    ItopCsv {
        text,
        rows: written.len(),
        left_out: persons
            .iter()
            .filter_map(|p| match (p.departed, ids.contains_key(&p.id)) {
                (true, _) => Some((p.id, LeftOut::Departed)),
                (false, false) => Some((p.id, LeftOut::NoId)),
                (false, true) => None,
            })
            .collect(),
    }
}

/// The ITOP CSV encoded in `charset` (UTF-8 by default, windows-1252 for old spreadsheets); also the
/// characters windows-1252 lacks (written as `&#…;`), for a warning.
pub fn itop_bytes(persons: &[SchoolPerson], charset: Charset) -> (ItopCsv, Vec<u8>, Vec<char>) {
    let csv = itop_csv(persons);
    let (bytes, unmappable) = text::encode(&csv.text, charset);
    (csv, bytes, unmappable)
}

/// Where the three columns SACoche reads are (§7.1 `csv_ordre`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// Fixed 0-based indices.
    Fixed {
        id: usize,
        surname: usize,
        given_name: usize,
        sconet: Option<usize>,
    },
    /// Located by header text (compared folded: case and accents ignored).
    ByHeader {
        id: &'static str,
        surname: &'static str,
        given_name: &'static str,
    },
}

/// A special rule of one ENT (§7.2 "Special cases").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    None,
    /// `logica_*` ENTs (Lilie, Celi@, PCN): an id `ID : 75185265` is rewritten `UT75185265`.
    LogicaId,
    /// ItsLearning: header labels carry a profile suffix, stripped; a file with several persons per row
    /// (its parents' file) is refused.
    ItslearningHeader,
}

/// One ENT's CSV layout, a row of SACoche's 2022 table (formats.md §7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntFormat {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub header_lines: usize,
    pub columns: Columns,
    pub quirk: Quirk,
}

const fn fixed(
    name: &'static str,
    aliases: &'static [&'static str],
    header_lines: usize,
    (id, surname, given_name): (usize, usize, usize),
    sconet: Option<usize>,
    quirk: Quirk,
) -> EntFormat {
    EntFormat {
        name,
        aliases,
        header_lines,
        columns: Columns::Fixed {
            id,
            surname,
            given_name,
            sconet,
        },
        quirk,
    }
}

/// Every format of formats.md §7.2, as data: (header lines, id_ent, nom, prénom, Sconet id).
pub const FORMATS: &[EntFormat] = &[
    fixed("perso", &["lcs"], 1, (0, 1, 2), None, Quirk::None),
    fixed("itop", &[], 1, (0, 1, 2), None, Quirk::None),
    EntFormat {
        name: "kosmos",
        aliases: &[],
        header_lines: 1,
        columns: Columns::ByHeader {
            id: "Identifiant ENT",
            surname: "Nom",
            given_name: "Prénom",
        },
        quirk: Quirk::None,
    },
    fixed(
        "itslearning",
        &["scolastance"],
        1,
        (4, 2, 3),
        None,
        Quirk::ItslearningHeader,
    ),
    fixed("netocentre", &[], 1, (0, 2, 3), None, Quirk::None),
    fixed("toutatice", &[], 0, (2, 0, 1), None, Quirk::None),
    fixed("liberscol", &["reunion"], 1, (2, 0, 1), None, Quirk::None),
    fixed("laclasse", &["provence"], 1, (3, 1, 2), None, Quirk::None),
    fixed("pentila", &[], 1, (5, 0, 1), None, Quirk::None),
    fixed("sopra", &[], 1, (2, 3, 4), None, Quirk::None),
    fixed("logica", &[], 1, (0, 3, 4), Some(2), Quirk::LogicaId),
    fixed("atos", &[], 1, (0, 2, 3), Some(4), Quirk::None),
    fixed("gestibase", &[], 1, (0, 1, 2), Some(3), Quirk::None),
    fixed("webeducation", &[], 1, (5, 3, 4), Some(1), Quirk::None),
    fixed("esup", &[], 2, (0, 2, 3), None, Quirk::None),
    fixed("envole_orleans-tours", &[], 0, (0, 1, 2), None, Quirk::None),
];

/// The format called `name` (case-insensitive; aliases of the table, and `logica_*` for the Logica ENTs).
pub fn format(name: &str) -> Result<&'static EntFormat, FileError> {
    let n = name.trim().to_ascii_lowercase();
    let n = if n.starts_with("logica_") {
        "logica"
    } else {
        n.as_str()
    };
    FORMATS
        .iter()
        .find(|f| f.name == n || f.aliases.contains(&n))
        .ok_or_else(|| FileError::UnknownFormat {
            name: name.to_string(),
        })
}

/// One usable line of an ENT file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntRow {
    pub line: usize,
    pub id_ent: String,
    pub surname: String,
    pub given_name: String,
    /// The Sconet id when the format has one and it is not zero.
    pub sconet: Option<String>,
}

/// An ENT file as SACoche reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntFile {
    pub format: &'static str,
    pub charset: Charset,
    pub separator: char,
    pub rows: Vec<EntRow>,
    /// Lines without id, nom or prénom (SACoche skips them, §7.3 step 1).
    pub skipped: Vec<usize>,
}

/// `ID : 75185265` → `UT75185265` (Logica ENTs, §7.2); other ids unchanged.
fn logica_id(id: &str) -> String {
    match id.strip_prefix("ID") {
        Some(rest) => match rest.trim_start().strip_prefix(':') {
            Some(n) if !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit()) => {
                format!("UT{}", n.trim())
            }
            _ => id.to_string(),
        },
        None => id.to_string(),
    }
}

/// An ItsLearning header label without its profile suffix: `Nom (Élève)`, `Nom_Eleve`, `Nom Parent`
/// → `Nom`.
fn strip_profile_suffix(label: &str) -> String {
    let base = label.split('(').next().unwrap_or(label);
    let folded = fold(base);
    let words: Vec<&str> = folded.split(' ').collect();
    let profile = |w: &str| {
        matches!(
            w,
            "eleve" | "eleves" | "parent" | "parents" | "personnel" | "enseignant" | "responsable"
        ) || w.chars().all(|c| c.is_ascii_digit())
    };
    let keep = words.len() - words.iter().rev().take_while(|w| profile(w)).count();
    words[..keep.max(1).min(words.len())].join(" ")
}

/// Reads an ENT file the way SACoche does (§7.1): encoding detected (UTF-8, else windows-1252),
/// separator detected on the first line, the format's header lines skipped, columns taken by index or by
/// header text. A line with fewer columns than the format needs is an error (the file is truncated or
/// not this format); lines without id, nom or prénom are skipped.
pub fn parse(bytes: &[u8], fmt: &EntFormat) -> Result<EntFile, FileError> {
    let decoded = text::decode(bytes, None)?;
    let lines = text::lines(&decoded.text);
    let first = lines
        .iter()
        .find(|(_, l)| !l.trim().is_empty())
        .map_or("", |(_, l)| *l);
    let sep = text::detect_separator(first);
    let (id, surname, given_name, sconet) = match fmt.columns {
        Columns::Fixed {
            id,
            surname,
            given_name,
            sconet,
        } => (id, surname, given_name, sconet),
        Columns::ByHeader {
            id,
            surname,
            given_name,
        } => {
            let labels: Vec<String> = text::split_fields(first, sep)
                .iter()
                .map(|l| fold(l))
                .collect();
            let find = |name: &str| {
                labels.iter().position(|l| *l == fold(name)).ok_or_else(|| {
                    FileError::MissingColumn {
                        column: name.to_string(),
                        header: first.to_string(),
                    }
                })
            };
            (find(id)?, find(surname)?, find(given_name)?, None)
        }
    };
    if fmt.quirk == Quirk::ItslearningHeader {
        let mut labels: Vec<String> = text::split_fields(first, sep)
            .iter()
            .map(|l| strip_profile_suffix(l))
            .filter(|l| !l.is_empty())
            .collect();
        labels.sort();
        if labels.windows(2).any(|w| w[0] == w[1]) {
            return Err(FileError::SeveralPersonsPerRow {
                header: first.to_string(),
            });
        }
    }
    let needed = 1 + [id, surname, given_name, sconet.unwrap_or(0)]
        .into_iter()
        .max()
        .unwrap_or(0);
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for &(line, content) in lines.iter().skip(fmt.header_lines) {
        if content.trim().is_empty() {
            continue;
        }
        let fields = text::split_fields(content, sep);
        if fields.len() < needed {
            return Err(FileError::Columns {
                line,
                expected: needed,
                found: fields.len(),
            });
        }
        let get = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or_default();
        let mut id_ent = get(id).to_string();
        if fmt.quirk == Quirk::LogicaId {
            id_ent = logica_id(&id_ent);
        }
        let (nom, prenom) = (get(surname), get(given_name));
        if id_ent.is_empty() || nom.is_empty() || prenom.is_empty() {
            skipped.push(line);
            continue;
        }
        let sconet = sconet
            .map(get)
            .filter(|s| !s.is_empty() && s.chars().any(|c| c != '0'))
            .map(str::to_string);
        rows.push(EntRow {
            line,
            id_ent,
            surname: nom.to_string(),
            given_name: prenom.to_string(),
            sconet,
        });
    }
    if rows.is_empty() && skipped.is_empty() {
        return Err(FileError::NoRecord);
    }
    Ok(EntFile {
        format: fmt.name,
        charset: decoded.charset,
        separator: sep,
        rows,
        skipped,
    })
}

/// How a line found its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The Sconet id (§7.3 step 3).
    Sconet,
    /// Folded nom and prénom (§7.3 step 4).
    Name,
}

/// What SACoche will do with one line (§7.3 steps 4–5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The person's id will be set to the line's (`previous`: their id until now).
    Set {
        person_id: i64,
        previous: Option<String>,
    },
    /// The person already has this id ("identique").
    Unchanged { person_id: i64 },
    /// No person with this Sconet id, or this nom and prénom ("nom et prénom non trouvés").
    NotFound,
    /// More than one person: SACoche asks for manual handling.
    Homonyms { person_ids: Vec<i64> },
    /// The id already belongs to another person ("déjà affecté"): refused.
    IdUsed { person_id: i64, used_by: i64 },
}

/// One line of the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckLine {
    pub line: usize,
    pub id_ent: String,
    pub surname: String,
    pub given_name: String,
    pub matched_by: MatchedBy,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Line counts of the three tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub modified: usize,
    pub problems: usize,
    pub unchanged: usize,
    pub skipped: usize,
}

/// The check of an ENT file: SACoche's three tables (§7.3 step 6) and the lines it skips.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub format: &'static str,
    pub charset: &'static str,
    pub separator: String,
    pub modified: Vec<CheckLine>,
    pub problems: Vec<CheckLine>,
    pub unchanged: Vec<CheckLine>,
    pub skipped_lines: Vec<usize>,
    pub counts: Counts,
}

/// The Sconet id a person carries: the key of their `SIECLE$…` join key, which the SIECLE import writes
/// from `ELEVE_ID` — SACoche's `user_sconet_id` ("ELEVE.ELEVE_ID pour un élève"), the value §7.3 step 3
/// matches. Leading zeros are ignored on both sides.
fn sconet_of(p: &SchoolPerson) -> Option<&str> {
    p.jointures.iter().find_map(|j| {
        let (source, key) = j.split_once('$')?;
        source
            .eq_ignore_ascii_case(super::siecle::JOIN_SOURCE)
            .then(|| key.trim_start_matches('0'))
    })
}

/// Matches an ENT file against `persons` as SACoche will (§7.3): by Sconet id when the line has a
/// non-zero one, else by exact equality of the folded nom and prénom (`names::fold`: accents, case and
/// punctuation ignored; the birth date is never used). Lines are taken in file order and each `Set`
/// counts for the following ones, as SACoche updates its base line after line.
pub fn check(file: &EntFile, persons: &[SchoolPerson]) -> CheckReport {
    let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut by_sconet: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in persons.iter().enumerate() {
        by_name
            .entry((fold(&p.surname), fold(&p.given_name)))
            .or_default()
            .push(i);
        if let Some(s) = sconet_of(p) {
            by_sconet.entry(s).or_default().push(i);
        }
    }
    let mut current: Vec<Option<String>> = persons
        .iter()
        .map(|p| ent_id(p).map(str::to_string))
        .collect();
    let mut holder: HashMap<String, usize> = current
        .iter()
        .enumerate()
        .filter_map(|(i, id)| id.clone().map(|id| (id, i)))
        .collect();
    let mut report = CheckReport {
        format: file.format,
        charset: file.charset.label(),
        separator: file.separator.to_string(),
        modified: Vec::new(),
        problems: Vec::new(),
        unchanged: Vec::new(),
        skipped_lines: file.skipped.clone(),
        counts: Counts::default(),
    };
    for row in &file.rows {
        let (matched_by, hits) = match &row.sconet {
            Some(s) => (MatchedBy::Sconet, by_sconet.get(s.trim_start_matches('0'))),
            None => (
                MatchedBy::Name,
                by_name.get(&(fold(&row.surname), fold(&row.given_name))),
            ),
        };
        let hits: &[usize] = hits.map_or(&[], Vec::as_slice);
        let outcome = match hits {
            [] => Outcome::NotFound,
            [i] => {
                let i = *i;
                let person_id = persons.get(i).map_or(0, |p| p.id);
                let previous = current.get(i).cloned().flatten();
                match holder.get(&row.id_ent) {
                    Some(&h) if h == i => Outcome::Unchanged { person_id },
                    Some(&h) => Outcome::IdUsed {
                        person_id,
                        used_by: persons.get(h).map_or(0, |p| p.id),
                    },
                    None => {
                        if let Some(old) = &previous {
                            holder.remove(old);
                        }
                        holder.insert(row.id_ent.clone(), i);
                        if let Some(c) = current.get_mut(i) {
                            *c = Some(row.id_ent.clone());
                        }
                        Outcome::Set {
                            person_id,
                            previous,
                        }
                    }
                }
            }
            many => Outcome::Homonyms {
                person_ids: many
                    .iter()
                    .filter_map(|&i| persons.get(i).map(|p| p.id))
                    .collect(),
            },
        };
        let line = CheckLine {
            line: row.line,
            id_ent: row.id_ent.clone(),
            surname: row.surname.clone(),
            given_name: row.given_name.clone(),
            matched_by,
            outcome,
        };
        match line.outcome {
            Outcome::Set { .. } => report.modified.push(line),
            Outcome::Unchanged { .. } => report.unchanged.push(line),
            _ => report.problems.push(line),
        }
    }
    report.counts = Counts {
        modified: report.modified.len(),
        problems: report.problems.len(),
        unchanged: report.unchanged.len(),
        skipped: report.skipped_lines.len(),
    };
    report
}

#[cfg(test)]
#[path = "sacoche_tests.rs"]
mod tests;
