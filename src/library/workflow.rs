//! The librarian's steps over the store and the files, shared by the Library screen and `guichet bcdi`:
//! export an establishment's borrowers (hidden identifiers given once and kept), preview BCDI's update
//! against its borrower list with the kept decisions, and the output files (fixes, set-aside list).

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::FileError;
use super::bcdi::{self, Borrower, EsidocBorrower, Export, ExportOptions};
use super::reconcile::{self, Decisions, Plan, Scope};
use super::text::{self, Charset};
use crate::store::school::{self, SchoolPerson};
use crate::store::{self, Store, StoreError};

/// The one error type of the library's steps.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("no establishment with the UAI {0} in the directory")]
    UnknownUai(String),
    #[error("{file}: {error}")]
    File { file: String, error: FileError },
    #[error("cannot draw random bytes: {0}")]
    Random(String),
}

/// An export ready to save.
#[derive(Debug, Clone)]
pub struct Exported {
    pub export: Export,
    pub xml: Vec<u8>,
    pub unmappable: Vec<char>,
}

fn random_bytes<const N: usize>() -> Result<[u8; N], LibraryError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| LibraryError::Random(e.to_string()))?;
    Ok(b)
}

/// A random (version 4) UUID, the form of RECIA's `BCDI$<uuid>` identifiers (formats.md §1.7).
fn new_uuid() -> Result<String, LibraryError> {
    let mut b = random_bytes::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    Ok(crate::directory::sync::uuid_text(&b))
}

/// `MOT_DE_PASSE_M`: 7 random letters and digits, as RECIA writes it (formats.md §5.1).
fn new_password() -> Result<String, LibraryError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    Ok(random_bytes::<7>()?
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

/// The establishment's persons, or `UnknownUai`.
pub fn persons(store: &Store, uai: &str) -> Result<Vec<SchoolPerson>, LibraryError> {
    store
        .read(|c| school::persons(c, Some(uai)))?
        .ok_or_else(|| LibraryError::UnknownUai(uai.to_string()))
}

/// The e-sidoc export of an establishment. Each person keeps the hidden identifier given before; a
/// person without one takes the directory's `BCDI$…` id when there is one, else a new UUID; new ones are
/// kept in the same step, so next year's file carries the same identifiers.
pub fn export(
    store: &Store,
    uai: &str,
    opts: &ExportOptions,
    charset: Charset,
    now: Timestamp,
) -> Result<Exported, LibraryError> {
    let persons = persons(store, uai)?;
    let kept = store.read(store::library::ent_ids)?;
    let mut ids: HashMap<i64, String> = HashMap::new();
    let mut given: Vec<(i64, String)> = Vec::new();
    for p in &persons {
        let id = match (kept.get(&p.id), p.app_id("BCDI")) {
            (Some(k), _) => k.clone(),
            (None, Some(d)) => d.to_string(),
            (None, None) => new_uuid()?,
        };
        if !kept.contains_key(&p.id) {
            given.push((p.id, id.clone()));
        }
        ids.insert(p.id, id);
    }
    let mut passwords = Vec::with_capacity(persons.len());
    for _ in &persons {
        passwords.push(new_password()?);
    }
    let mut passwords = passwords.into_iter();
    let export = bcdi::borrowers(
        &persons,
        opts,
        |p| ids.get(&p.id).cloned().unwrap_or_default(),
        || passwords.next().unwrap_or_default(),
    );
    let used: Vec<(i64, String)> = given
        .into_iter()
        .filter(|(id, _)| export.borrowers.iter().any(|b| b.person_id == Some(*id)))
        .collect();
    store.write(|tx| store::library::keep_ent_ids(tx, &used, now))?;
    let (xml, unmappable) = bcdi::write_xml(&export.borrowers, charset);
    Ok(Exported {
        export,
        xml,
        unmappable,
    })
}

/// Where the ENT's side of the comparison comes from.
pub enum EntSource<'a> {
    /// The mirror's persons of this UAI (exported as they would be).
    Mirror {
        uai: &'a str,
        opts: &'a ExportOptions,
    },
    /// An e-sidoc XML produced elsewhere (files alone, no directory).
    File { name: &'a str, bytes: &'a [u8] },
}

/// Everything the preview shows.
#[derive(Debug, Clone)]
pub struct Preview {
    pub borrowers: Vec<Borrower>,
    pub keys: Vec<String>,
    pub ent: Vec<EsidocBorrower>,
    pub plan: Plan,
    pub decisions: Decisions,
    /// Persons of the mirror left out of the file, with the reason (empty for an ENT file).
    pub skipped: Vec<bcdi::Skipped>,
    /// Pupils of the mirror without a class (a warning).
    pub without_class: Vec<String>,
    /// What the ENT side is: "establishment name (UAI)" or the ENT file's name.
    pub source: String,
}

/// How a chosen file is named in the decisions' key and the plan records: its file name alone, so
/// that the window and `guichet bcdi plan` share the decisions taken on the same ENT file wherever
/// it is opened from.
pub fn file_label(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The deletion scope as recorded with a plan, the same from the window and the CLI: `no-deletion`,
/// the equation as typed, or `all`.
pub fn scope_record(equation: Option<&str>, no_deletion: bool) -> String {
    match (no_deletion, equation.map(str::trim)) {
        (true, _) => "no-deletion".into(),
        (false, Some(eq)) if !eq.is_empty() => eq.to_string(),
        (false, _) => "all".into(),
    }
}

/// The key decisions are kept under: the UAI, or the ENT file's name ([`file_label`]).
pub fn decisions_key(source: &EntSource<'_>) -> String {
    match source {
        EntSource::Mirror { uai, .. } => uai.trim().to_uppercase(),
        EntSource::File { name, .. } => format!("file:{name}"),
    }
}

/// The kept decisions of an establishment (none yet: empty).
pub fn kept_decisions(store: &Store, key: &str) -> Result<Decisions, LibraryError> {
    Ok(store
        .read(|c| store::library::decisions(c, key))?
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

pub fn keep_decisions(
    store: &Store,
    key: &str,
    d: &Decisions,
    now: Timestamp,
) -> Result<(), LibraryError> {
    let json = serde_json::to_string(d).unwrap_or_else(|_| "{}".into());
    Ok(store.write(|tx| store::library::save_decisions(tx, key, &json, now))?)
}

/// Reads both sides and computes the plan with `decisions` (the kept ones when `None`).
pub fn preview(
    store: &Store,
    source: &EntSource<'_>,
    borrowers_name: &str,
    borrowers_bytes: &[u8],
    scope: &Scope,
    decisions: Option<Decisions>,
    now: Timestamp,
) -> Result<Preview, LibraryError> {
    let borrowers = bcdi::read_borrowers(borrowers_bytes).map_err(|error| LibraryError::File {
        file: borrowers_name.to_string(),
        error,
    })?;
    let export = match source {
        EntSource::Mirror { uai, opts } => export(store, uai, opts, Charset::Utf8, now)?.export,
        EntSource::File { name, bytes } => Export {
            borrowers: bcdi::read_xml(bytes).map_err(|error| LibraryError::File {
                file: name.to_string(),
                error,
            })?,
            ..Export::default()
        },
    };
    let ent = export.borrowers;
    let source_label = match source {
        EntSource::Mirror { uai, .. } => match store.read(|c| school::establishment(c, uai))? {
            Some(s) => format!("{} ({})", s.name, s.uai.unwrap_or_default()),
            None => uai.to_string(),
        },
        EntSource::File { name, .. } => name.to_string(),
    };
    let decisions = match decisions {
        Some(d) => d,
        None => kept_decisions(store, &decisions_key(source))?,
    };
    let plan = reconcile::plan(&borrowers, &ent, scope, &decisions);
    Ok(Preview {
        keys: reconcile::borrower_keys(&borrowers),
        borrowers,
        ent,
        plan,
        decisions,
        skipped: export.skipped,
        without_class: export.without_class,
        source: source_label,
    })
}

impl Preview {
    fn ent_json(&self, i: usize) -> Value {
        let e = &self.ent[i];
        json!({"name": e.name, "status": e.status, "class": e.class, "ent_id": e.ent_id,
               "borrower_number": null, "loans": null})
    }

    fn borrower_json(&self, i: usize) -> Value {
        let b = &self.borrowers[i];
        json!({"name": b.name, "status": b.status, "class": b.class, "ent_id": b.ent_id,
               "borrower_number": b.number, "loans": b.loans, "key": self.keys[i], "line": b.line})
    }

    /// The plan as `guichet bcdi plan --json` prints it (ARCHITECTURE §4, issue #7).
    pub fn to_json(&self) -> Value {
        let p = &self.plan;
        let matched = |m: &reconcile::Matched| {
            let mut v = self.ent_json(m.ent);
            let b = &self.borrowers[m.borrower];
            v["borrower_number"] = json!(b.number);
            v["loans"] = json!(b.loans);
            v["key"] = json!(self.keys[m.borrower]);
            v["ambiguous"] = json!(m.ambiguous);
            v["changes"] = json!(m.changes);
            v
        };
        json!({
            "mode": p.mode,
            "new": p.new.iter().map(|&i| self.ent_json(i)).collect::<Vec<_>>(),
            "updated": p.updated.iter().map(matched).collect::<Vec<_>>(),
            "unchanged": p.unchanged.len(),
            "ambiguous": p.ambiguous(),
            "deleted": p.deleted.iter().map(|&i| self.borrower_json(i)).collect::<Vec<_>>(),
            "set_aside": p.set_aside.iter().map(|&i| self.borrower_json(i)).collect::<Vec<_>>(),
            "untouched": p.untouched.len(),
            "parents": p.parents,
            "extra_records": p.extra_records(),
            "homonyms": p.homonyms.iter().map(|h| json!({
                "name": h.name, "case": h.case, "resolved": h.resolved,
                "bcdi": h.borrowers.iter().map(|&i| self.borrower_json(i)).collect::<Vec<_>>(),
                "file": h.ents.iter().map(|&i| self.ent_json(i)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "suggestions": p.suggestions.iter().map(|s| json!({
                "deleted": self.borrower_json(s.borrower),
                "new": self.ent_json(s.ent),
                "reason": s.reason,
                "verdict": s.verdict,
            })).collect::<Vec<_>>(),
            "renames": p.renames.iter().map(|(b, name)| json!({
                "borrower_number": self.borrowers[*b].number,
                "from": self.borrowers[*b].name,
                "to": name,
            })).collect::<Vec<_>>(),
        })
    }

    /// "Rename these borrowers in BCDI before the import": `;` CSV with a header.
    pub fn fixes_csv(&self, header: [&str; 3]) -> String {
        let mut out = format!("{};{};{}\r\n", header[0], header[1], header[2]);
        for (b, name) in &self.plan.renames {
            let borrower = &self.borrowers[*b];
            out.push_str(&format!(
                "{};{};{}\r\n",
                text::csv_value(borrower.number.as_deref().unwrap_or(""), ';'),
                text::csv_value(&borrower.name, ';'),
                text::csv_value(name, ';')
            ));
        }
        out
    }

    /// The set-aside borrowers and their loans to chase: `;` CSV with a header.
    pub fn set_aside_csv(&self, header: [&str; 5]) -> String {
        let mut out = header.join(";") + "\r\n";
        for &i in &self.plan.set_aside {
            let b = &self.borrowers[i];
            let fields = [
                b.number.clone().unwrap_or_default(),
                b.name.clone(),
                b.status.clone(),
                b.class.clone().unwrap_or_default(),
                b.loans.unwrap_or(0).to_string(),
            ];
            let line: Vec<String> = fields.iter().map(|f| text::csv_value(f, ';')).collect();
            out.push_str(&(line.join(";") + "\r\n"));
        }
        out
    }
}

/// Records the plan shown (its counts) for the establishment's history; returns its id.
pub fn record(
    store: &Store,
    key: &str,
    borrowers_file: &str,
    scope: &str,
    preview: &Preview,
    now: Timestamp,
) -> Result<i64, LibraryError> {
    let p = &preview.plan;
    let summary = json!({
        "mode": p.mode, "new": p.new.len(), "updated": p.updated.len(), "unchanged": p.unchanged.len(),
        "ambiguous": p.ambiguous(), "deleted": p.deleted.len(), "set_aside": p.set_aside.len(),
        "homonyms": p.homonyms.len(), "suggestions": p.suggestions.len(), "renames": p.renames.len(),
    })
    .to_string();
    Ok(store
        .write(|tx| store::library::save_plan(tx, key, borrowers_file, scope, &summary, now))?)
}

/// The files of an update written into `dir`: the e-sidoc XML to import, the borrowers to rename in
/// BCDI first, the set-aside borrowers with their loans, the PDF report and the plan as JSON. Returns the paths written,
/// or the path that failed.
pub fn write_outputs(
    preview: &Preview,
    dir: &std::path::Path,
    charset: Charset,
) -> Result<Vec<String>, (String, std::io::Error)> {
    let report = super::report::report(preview, &preview.source, Timestamp::now());
    let pdf = crate::production::slip::slip_pdf(&report).map_err(|e| {
        (
            "rapport-mise-a-jour.pdf".to_string(),
            std::io::Error::other(e.to_string()),
        )
    })?;
    let files: [(&str, Vec<u8>); 5] = [
        (
            "emprunteurs-esidoc.xml",
            bcdi::write_xml(&preview.ent, charset).0,
        ),
        (
            "renommer-dans-bcdi.csv",
            preview
                .fixes_csv([
                    &crate::fl!("library-col-number"),
                    &crate::fl!("library-col-name-bcdi"),
                    &crate::fl!("library-col-name-new"),
                ])
                .into_bytes(),
        ),
        (
            "mis-a-l-ecart.csv",
            preview
                .set_aside_csv([
                    &crate::fl!("library-col-number"),
                    &crate::fl!("library-col-name-bcdi"),
                    &crate::fl!("library-col-status"),
                    &crate::fl!("library-col-class"),
                    &crate::fl!("library-col-loans"),
                ])
                .into_bytes(),
        ),
        ("rapport-mise-a-jour.pdf", pdf),
        (
            "plan.json",
            serde_json::to_vec_pretty(&preview.to_json()).unwrap_or_default(),
        ),
    ];
    std::fs::create_dir_all(dir).map_err(|e| (dir.display().to_string(), e))?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        crate::production::print::write_atomic(&path, &bytes, "bcdi")
            .map_err(|e| (path.display().to_string(), e))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_and_the_cli_record_files_and_scopes_alike() {
        let p = std::path::Path::new("/home/cdi/Téléchargements/ent 2026.xml");
        assert_eq!(file_label(p), "ent 2026.xml");
        assert_eq!(file_label(std::path::Path::new("ent.xml")), "ent.xml");
        assert_eq!(scope_record(None, false), "all");
        assert_eq!(scope_record(Some("  "), false), "all");
        assert_eq!(scope_record(Some(" Statut=Elève "), false), "Statut=Elève");
        assert_eq!(scope_record(Some("Statut=Elève"), true), "no-deletion");
        assert_eq!(scope_record(None, true), "no-deletion");
    }
}
