//! BCDI/e-sidoc borrowers: the e-sidoc borrower XML written for BCDI's import (formats.md §5.1–§5.2), and
//! the two files a librarian loads for the update preview: a BCDI borrower export (CSV or tab-separated,
//! BCDI's column names) or a previous e-sidoc XML.

use jiff::civil::Date;

use super::text::{self, Charset};
use super::{FileError, Problem};
use crate::domain::names::fold;
use crate::store::school::SchoolPerson;

/// BCDI's status of a pupil, as RECIA writes it (formats.md §5.1) and as the deletion scope `Statut=Elève`
/// names it.
pub const STATUS_PUPIL: &str = "Elève";
pub const STATUS_TEACHER: &str = "Enseignant";
pub const STATUS_STAFF: &str = "Personnel";
/// The borrower type BCDI gives a leaving borrower who still has loans (formats.md §6.1 R8).
pub const TEMPORARY_USER: &str = "Usager temporaire";

/// One e-sidoc borrower, every element of formats.md §5.1 in the file's order.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct EsidocBorrower {
    /// `EMPRUNTEUR_M`: "NOM Prénom".
    pub name: String,
    /// `DATE_NAISSANCE_M`: dd/mm/yyyy.
    pub birth_date: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub phone: String,
    pub email: String,
    /// `STATUT_M_M`.
    pub status: String,
    /// `CLASSE_M`, pupils only.
    pub class: Option<String>,
    /// `MOT_DE_PASSE_M`.
    pub password: String,
    /// `IDENTITE_ENT_M`: the hidden join key BCDI's later updates match on (formats.md §5.1, §6.1 R4).
    pub ent_id: String,
    /// The mirror's person, when the borrower comes from it.
    #[serde(skip)]
    pub person_id: Option<i64>,
}

/// Who goes into the file (parents never do: formats.md §6.1 R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Population {
    Pupils,
    Teachers,
    Staff,
}

impl Population {
    pub const ALL: [Population; 3] = [Population::Pupils, Population::Teachers, Population::Staff];

    pub fn parse(s: &str) -> Option<Population> {
        match fold(s).as_str() {
            "pupils" | "eleves" | "pupil" | "eleve" => Some(Population::Pupils),
            "teachers" | "enseignants" | "teacher" | "enseignant" => Some(Population::Teachers),
            "staff" | "personnels" | "personnel" => Some(Population::Staff),
            _ => None,
        }
    }
}

/// The population and BCDI status of an SDET profile (formats.md §1.8); `None` for parents.
pub fn status_of(profile: &str) -> Option<(Population, &'static str)> {
    match profile {
        "National_ELV" | "National_1" | "student" => Some((Population::Pupils, STATUS_PUPIL)),
        "National_ENS" | "National_3" | "faculty" => Some((Population::Teachers, STATUS_TEACHER)),
        "National_TUT" | "National_2" => None,
        _ => Some((Population::Staff, STATUS_STAFF)),
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    pub populations: Vec<Population>,
    /// Pupils of these classes only; empty: every class.
    pub classes: Vec<String>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            populations: Population::ALL.to_vec(),
            classes: Vec::new(),
        }
    }
}

/// Why a person of the chosen populations is not in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// `EMPRUNTEUR_M` is required and non-empty.
    NoName,
    /// `DATE_NAISSANCE_M` is required and non-empty.
    NoBirthDate,
    /// Left the establishment (the directory no longer lists them).
    Departed,
}

/// A person left out, with the reason, so the librarian sees every one (never silently dropped).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub person_id: i64,
    pub name: String,
    pub reason: SkipReason,
}

/// The borrowers to write, who was left out and the pupils without a class (a warning, as RECIA does).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Export {
    pub borrowers: Vec<EsidocBorrower>,
    pub skipped: Vec<Skipped>,
    pub without_class: Vec<String>,
}

/// dd/mm/yyyy.
pub fn french_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// The borrowers of an establishment's persons. `ent_id` gives each person's kept hidden identifier,
/// `password` a new `MOT_DE_PASSE_M` (RECIA: 7 random alphanumerics).
pub fn borrowers(
    persons: &[SchoolPerson],
    opts: &ExportOptions,
    mut ent_id: impl FnMut(&SchoolPerson) -> String,
    mut password: impl FnMut() -> String,
) -> Export {
    let mut out = Export::default();
    for p in persons {
        let Some((population, status)) = status_of(&p.profile) else {
            continue;
        };
        if !opts.populations.contains(&population) {
            continue;
        }
        let class = p.classes.first().cloned();
        if population == Population::Pupils
            && !opts.classes.is_empty()
            && !p.classes.iter().any(|c| opts.classes.contains(c))
        {
            continue;
        }
        // "NOM Prénom", the `EMPRUNTEUR_M` form (formats.md §5.1: `sn + " " + givenName`, surname
        // upper-cased): the counter's display form.
        let name = crate::domain::names::display_name(&p.surname, &p.given_name);
        let skip = |reason| Skipped {
            person_id: p.id,
            name: name.clone(),
            reason,
        };
        if p.departed {
            out.skipped.push(skip(SkipReason::Departed));
            continue;
        }
        if p.surname.trim().is_empty() || p.given_name.trim().is_empty() {
            out.skipped.push(skip(SkipReason::NoName));
            continue;
        }
        let Some(birth) = p.birth_date else {
            out.skipped.push(skip(SkipReason::NoBirthDate));
            continue;
        };
        if population == Population::Pupils && class.is_none() {
            out.without_class.push(name.clone());
        }
        out.borrowers.push(EsidocBorrower {
            name,
            birth_date: french_date(birth),
            email: p.email.clone().unwrap_or_default(),
            status: status.to_string(),
            class: if population == Population::Pupils {
                class
            } else {
                None
            },
            password: password(),
            ent_id: ent_id(p),
            person_id: Some(p.id),
            ..EsidocBorrower::default()
        });
    }
    out
}

/// The e-sidoc XML: declaration then CRLF, `FICHES_XML` / `EMPRUNTEURS` with every element of
/// formats.md §5.1 (`CLASSE_M` only when there is a class; `TYPE_EMPRUNTEUR_M` = `Usager` as ENTCORE
/// writes it). Returns the bytes and the characters the charset could not carry (written as `&#…;`).
pub fn write_xml(borrowers: &[EsidocBorrower], charset: Charset) -> (Vec<u8>, Vec<char>) {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"{}\"?>\r\n<FICHES_XML>\r\n",
        charset.label()
    );
    for b in borrowers {
        x.push_str("  <EMPRUNTEURS>\r\n");
        let mut el = |tag: &str, v: &str| {
            x.push_str(&format!("    <{tag}>{}</{tag}>\r\n", text::xml_escape(v)));
        };
        el("EMPRUNTEUR_M", &b.name);
        el("DATE_NAISSANCE_M", &b.birth_date);
        el("ADRESSE_M", &b.address);
        el("CODE_POSTAL_M", &b.postal_code);
        el("VILLE_M", &b.city);
        el("TEL_M", &b.phone);
        el("MEL_M", &b.email);
        el("STATUT_M_M", &b.status);
        if let Some(c) = &b.class {
            el("CLASSE_M", c);
        }
        el("COMPTE_M", "OUI");
        el("MOT_DE_PASSE_M", &b.password);
        el("IDENTITE_ENT_M", &b.ent_id);
        el("TYPE_EMPRUNTEUR_M", "Usager");
        x.push_str("  </EMPRUNTEURS>\r\n");
    }
    x.push_str("</FICHES_XML>\r\n");
    text::encode(&x, charset)
}

/// Reads an e-sidoc borrower XML (a previous export, or the ENT's own). `EMPRUNTEUR_M` is required.
pub fn read_xml(bytes: &[u8]) -> Result<Vec<EsidocBorrower>, FileError> {
    let decoded = text::decode_xml(bytes)?;
    let doc = roxmltree::Document::parse(&decoded.text).map_err(|e| FileError::Xml {
        line: e.pos().row as usize,
        message: e.to_string(),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "FICHES_XML" {
        return Err(FileError::Root {
            expected: "FICHES_XML",
            found: root.tag_name().name().to_string(),
        });
    }
    let mut out = Vec::new();
    for e in root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "EMPRUNTEURS")
    {
        let get = |tag: &str| {
            e.children()
                .find(|c| c.is_element() && c.tag_name().name() == tag)
                .and_then(|c| c.text())
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        let name = get("EMPRUNTEUR_M");
        if name.is_empty() {
            return Err(FileError::Field {
                line: text::line_of(&decoded.text, e.range().start),
                field: "EMPRUNTEUR_M".into(),
                value: String::new(),
                problem: Problem::Missing,
            });
        }
        let class = get("CLASSE_M");
        out.push(EsidocBorrower {
            name,
            birth_date: get("DATE_NAISSANCE_M"),
            address: get("ADRESSE_M"),
            postal_code: get("CODE_POSTAL_M"),
            city: get("VILLE_M"),
            phone: get("TEL_M"),
            email: get("MEL_M"),
            status: get("STATUT_M_M"),
            class: (!class.is_empty()).then_some(class),
            password: get("MOT_DE_PASSE_M"),
            ent_id: get("IDENTITE_ENT_M"),
            person_id: None,
        });
    }
    if out.is_empty() {
        return Err(FileError::NoRecord);
    }
    Ok(out)
}

/// A borrower as BCDI holds it (a line of its borrower export).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Borrower {
    /// Line in the file (1-based), for messages.
    pub line: usize,
    /// `N° Emprunteur`.
    pub number: Option<String>,
    /// `Emprunteur`: "NOM Prénom" as typed in BCDI.
    pub name: String,
    /// `Statut`.
    pub status: String,
    /// `Classe`.
    pub class: Option<String>,
    /// `Type emprunteur`.
    pub kind: String,
    /// `Prêts en cours`; `None` when the file does not say (an e-sidoc XML).
    pub loans: Option<u32>,
    /// `Identité E.`: the hidden identifier, once an update has written it.
    pub ent_id: Option<String>,
}

/// BCDI's column names and their accepted aliases, compared folded (case and accents ignored).
const COLUMNS: [(&str, &[&str]); 7] = [
    (
        "N° Emprunteur",
        &[
            "n emprunteur",
            "no emprunteur",
            "numero emprunteur",
            "borrower number",
            "number",
        ],
    ),
    (
        "Emprunteur",
        &["emprunteur", "borrower", "name", "nom prenom"],
    ),
    ("Statut", &["statut", "status"]),
    ("Classe", &["classe", "class"]),
    (
        "Type emprunteur",
        &["type emprunteur", "borrower type", "type"],
    ),
    (
        "Prêts en cours",
        &[
            "prets en cours",
            "loans",
            "current loans",
            "loans in progress",
        ],
    ),
    (
        "Identité E.",
        &["identite e", "identite ent", "ent identity", "ent id"],
    ),
];

/// Reads the borrowers BCDI holds: its CSV (`;` or `,`) or tab-separated export with a header row, or an
/// e-sidoc XML. `Emprunteur` is required, and so is `Prêts en cours` for a CSV (deletions depend on it).
pub fn read_borrowers(bytes: &[u8]) -> Result<Vec<Borrower>, FileError> {
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if start == Some(&b'<') {
        return Ok(read_xml(bytes)?
            .into_iter()
            .enumerate()
            .map(|(i, b)| Borrower {
                line: i + 1,
                number: None,
                name: b.name,
                status: b.status,
                class: b.class,
                kind: String::new(),
                loans: None,
                ent_id: (!b.ent_id.is_empty()).then_some(b.ent_id),
            })
            .collect());
    }
    let decoded = text::decode(bytes, None)?;
    let lines = text::lines(&decoded.text);
    let mut rows = lines.iter().filter(|(_, l)| !l.trim().is_empty());
    let Some(&(_, header)) = rows.next() else {
        return Err(FileError::Empty);
    };
    let sep = if header.contains('\t') {
        '\t'
    } else {
        text::detect_separator(header)
    };
    let names = text::split_fields(header, sep);
    let folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
    let position = |i: usize| {
        let (_, aliases) = COLUMNS[i];
        folded.iter().position(|f| aliases.contains(&f.as_str()))
    };
    let missing = |i: usize| FileError::MissingColumn {
        column: COLUMNS[i].0.to_string(),
        header: header.trim().to_string(),
    };
    let name_at = position(1).ok_or_else(|| missing(1))?;
    let loans_at = position(5).ok_or_else(|| missing(5))?;
    let (number_at, status_at, class_at, kind_at, id_at) = (
        position(0),
        position(2),
        position(3),
        position(4),
        position(6),
    );
    let mut out = Vec::new();
    for &(line, raw) in rows {
        let fields = text::split_fields(raw, sep);
        let get = |at: Option<usize>| {
            at.and_then(|i| fields.get(i))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if fields.len() <= name_at.max(loans_at) && fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        let Some(name) = get(Some(name_at)) else {
            return Err(FileError::Field {
                line,
                field: names[name_at].clone(),
                value: String::new(),
                problem: Problem::Missing,
            });
        };
        let loans = match get(Some(loans_at)) {
            None => 0,
            Some(v) => v.parse::<u32>().map_err(|_| FileError::Field {
                line,
                field: names[loans_at].clone(),
                value: v.clone(),
                problem: Problem::BadNumber,
            })?,
        };
        out.push(Borrower {
            line,
            number: get(number_at),
            name,
            status: get(status_at).unwrap_or_default(),
            class: get(class_at),
            kind: get(kind_at).unwrap_or_default(),
            loans: Some(loans),
            ent_id: get(id_at),
        });
    }
    if out.is_empty() {
        return Err(FileError::NoRecord);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "bcdi_tests.rs"]
mod tests;
