//! The plan BCDI will apply when the librarian imports the e-sidoc file (formats.md §6), computed before
//! the import so nothing irreversible happens blind. Pure: borrowers in, plan out.
//!
//! BCDI matches on the hidden identifier (`IDENTITE_ENT_M`) once an update has written it (§6.1 R4);
//! before that, on the "Nom Prénom" text as BCDI compares it: case and spacing ignored, accents and
//! punctuation significant (R3, R16) — which is why "LEFEVRE Helene" and "LEFÈVRE Hélène" are two people
//! to BCDI. Beyond BCDI, the suggestions find those pairs with the folded forms (`names::fold`) and small
//! edit distances, so the librarian can rename the borrowers in BCDI before the import.

use std::collections::{HashMap, HashSet};

use super::bcdi::{Borrower, EsidocBorrower};
use crate::domain::names::fold;

/// How BCDI matches this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// No borrower carries an identifier yet: "Nom Prénom" text, every match ambiguous (R3).
    FirstUpdate,
    /// Identifiers are known: only they match (R4).
    ByIdentifier,
}

/// Which leaving borrowers may be deleted or set aside (R9, R10).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every borrower except parents.
    #[default]
    All,
    /// A search equation such as `Statut=Elève`; terms joined by ` ET ` (and) and ` OU ` (or).
    Equation(Vec<Vec<(Field, String)>>),
    /// A mid-year update: no deletion, no set-aside.
    NoDeletion,
}

/// The borrower fields an equation may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Status,
    Class,
    Kind,
}

/// A scope equation that cannot be read: the offending term.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the scope term {term}")]
pub struct ScopeError {
    pub term: String,
}

impl Scope {
    /// Parses `Statut=Elève`, `Statut=Elève OU Statut=Enseignant`, `Statut=Elève ET Classe=6A`; field
    /// names in French or English, compared folded, as are the values.
    pub fn parse(equation: &str) -> Result<Scope, ScopeError> {
        let mut any = Vec::new();
        for alternative in split_words(equation, &["ou", "or"]) {
            let mut all = Vec::new();
            for term in split_words(&alternative, &["et", "and"]) {
                let bad = || ScopeError { term: term.clone() };
                let (field, value) = term.split_once('=').ok_or_else(bad)?;
                let field = match fold(field).as_str() {
                    "statut" | "status" => Field::Status,
                    "classe" | "class" => Field::Class,
                    "type emprunteur" | "type" | "borrower type" => Field::Kind,
                    _ => return Err(bad()),
                };
                all.push((field, fold(value)));
            }
            if all.is_empty() {
                return Err(ScopeError {
                    term: equation.to_string(),
                });
            }
            any.push(all);
        }
        if any.is_empty() {
            return Err(ScopeError {
                term: equation.to_string(),
            });
        }
        Ok(Scope::Equation(any))
    }

    fn allows(&self, b: &Borrower) -> bool {
        match self {
            Scope::All => true,
            Scope::NoDeletion => false,
            Scope::Equation(any) => any.iter().any(|all| {
                all.iter().all(|(f, v)| {
                    let have = match f {
                        Field::Status => fold(&b.status),
                        Field::Class => fold(b.class.as_deref().unwrap_or("")),
                        Field::Kind => fold(&b.kind),
                    };
                    &have == v
                })
            }),
        }
    }
}

fn split_words(s: &str, words: &[&str]) -> Vec<String> {
    let mut parts = vec![String::new()];
    for token in s.split_whitespace() {
        if words.contains(&token.to_lowercase().as_str()) {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(token);
        }
    }
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The librarian's decisions, kept from one preview to the next.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Decisions {
    /// Homonyms: this BCDI borrower is that ENT person (`borrower key`, `ent_id`).
    pub pairs: Vec<(String, String)>,
    /// Suggestions accepted: rename the borrower in BCDI to the ENT name before the import.
    pub accepted: Vec<(String, String)>,
    /// Suggestions rejected: different persons.
    pub rejected: Vec<(String, String)>,
}

/// A borrower's stable key between two loads of the same file: its number, else its name and rank
/// among same-named lines.
pub fn borrower_keys(borrowers: &[Borrower]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    borrowers
        .iter()
        .map(|b| match &b.number {
            Some(n) => format!("#{n}"),
            None => {
                let rank = seen.entry(b.name.clone()).or_default();
                *rank += 1;
                format!("{}~{}", b.name, rank)
            }
        })
        .collect()
}

/// A field BCDI will change on a matched borrower.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

/// A matched pair (indexes into the two lists).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Matched {
    pub borrower: usize,
    pub ent: usize,
    /// Shown with `?` by BCDI (R3): a first-update match on the name.
    pub ambiguous: bool,
    pub changes: Vec<Change>,
}

/// The homonym cases of R12–R14.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HomonymCase {
    /// Several in BCDI, one in the file (R12).
    SeveralInBcdi,
    /// One in BCDI, several in the file (R13).
    SeveralInFile,
    /// Several on both sides (R14).
    Both,
}

/// Borrowers and ENT persons sharing one "Nom Prénom" for BCDI.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Homonyms {
    pub name: String,
    pub case: HomonymCase,
    pub borrowers: Vec<usize>,
    pub ents: Vec<usize>,
    /// Every record of the smaller side is paired; unresolved, BCDI creates an extra record (R15).
    pub resolved: bool,
}

/// Why two records are probably one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// "DUPONT, Jean" against "DUPONT Jean" (R16).
    Comma,
    /// Only accents differ.
    Accents,
    /// Hyphens, apostrophes or other punctuation differ.
    Punctuation,
    /// First and last names swapped.
    Swapped,
    /// One letter typed wrong, missing, extra or swapped with its neighbour.
    Typo,
}

/// What the librarian said about a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pending,
    Accepted,
    Rejected,
}

/// A leaving borrower and a new ENT person that are probably the same person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    pub borrower: usize,
    pub ent: usize,
    pub reason: Reason,
    pub verdict: Verdict,
}

/// What BCDI will do, in its own categories (R5–R8), with the ambiguities to resolve first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Plan {
    pub mode: Mode,
    /// ENT persons BCDI will add (Nouveaux).
    pub new: Vec<usize>,
    /// Matched and changed (Mis à jour).
    pub updated: Vec<Matched>,
    /// Matched, nothing to change.
    pub unchanged: Vec<Matched>,
    /// Leaving, no loan (Supprimés).
    pub deleted: Vec<usize>,
    /// Leaving with loans in progress (Mis à l'écart): type becomes "Usager temporaire".
    pub set_aside: Vec<usize>,
    /// Leaving but outside the deletion scope, a parent, or a mid-year update: left as they are.
    pub untouched: Vec<usize>,
    pub homonyms: Vec<Homonyms>,
    pub suggestions: Vec<Suggestion>,
    /// Accepted suggestions: (borrower, new name) to type in BCDI before the import.
    pub renames: Vec<(usize, String)>,
    /// ENT persons ignored as parents (R1).
    pub parents: usize,
}

impl Plan {
    /// Matches BCDI will show with `?` (R6).
    pub fn ambiguous(&self) -> usize {
        self.updated
            .iter()
            .chain(&self.unchanged)
            .filter(|m| m.ambiguous)
            .count()
    }

    /// Extra records BCDI will create for unresolved homonyms (R15).
    pub fn extra_records(&self) -> usize {
        self.homonyms
            .iter()
            .filter(|h| !h.resolved)
            .map(|h| h.ents.len())
            .sum()
    }
}

/// BCDI's comparison key: lower case, spaces removed, accents and punctuation kept.
pub fn bcdi_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_parent_status(status: &str) -> bool {
    matches!(fold(status).as_str(), "parent" | "parents" | "responsable")
}

/// Computes the plan. `decisions` resolve homonyms and suggestions; unknown keys are ignored (a borrower
/// that left the file since).
pub fn plan(
    borrowers: &[Borrower],
    ent: &[EsidocBorrower],
    scope: &Scope,
    decisions: &Decisions,
) -> Plan {
    let keys = borrower_keys(borrowers);
    let key_index: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let ent_index: HashMap<&str, usize> = ent
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.ent_id.is_empty())
        .map(|(i, e)| (e.ent_id.as_str(), i))
        .collect();
    let resolve = |(k, id): &(String, String)| {
        Some((*key_index.get(k.as_str())?, *ent_index.get(id.as_str())?))
    };

    let mode = if borrowers
        .iter()
        .any(|b| b.ent_id.as_deref().is_some_and(|s| !s.is_empty()))
    {
        Mode::ByIdentifier
    } else {
        Mode::FirstUpdate
    };
    let mut plan = Plan {
        mode,
        new: Vec::new(),
        updated: Vec::new(),
        unchanged: Vec::new(),
        deleted: Vec::new(),
        set_aside: Vec::new(),
        untouched: Vec::new(),
        homonyms: Vec::new(),
        suggestions: Vec::new(),
        renames: Vec::new(),
        parents: 0,
    };
    let ent_in: Vec<usize> = (0..ent.len())
        .filter(|&i| {
            let parent = is_parent_status(&ent[i].status);
            plan.parents += usize::from(parent);
            !parent
        })
        .collect();
    let bcdi_in: Vec<usize> = (0..borrowers.len())
        .filter(|&i| {
            if is_parent_status(&borrowers[i].status) {
                plan.untouched.push(i);
                false
            } else {
                true
            }
        })
        .collect();

    let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
    let mut matched_b: HashSet<usize> = HashSet::new();
    let mut matched_e: HashSet<usize> = HashSet::new();
    let mut pair =
        |b: usize, e: usize, ambiguous: bool, mb: &mut HashSet<usize>, me: &mut HashSet<usize>| {
            if mb.insert(b) && me.insert(e) {
                pairs.push((b, e, ambiguous));
            }
        };

    match mode {
        Mode::ByIdentifier => {
            let by_id: HashMap<&str, usize> = ent_in
                .iter()
                .map(|&i| (ent[i].ent_id.as_str(), i))
                .collect();
            for &b in &bcdi_in {
                if let Some(&e) = borrowers[b].ent_id.as_deref().and_then(|id| by_id.get(id)) {
                    pair(b, e, false, &mut matched_b, &mut matched_e);
                }
            }
        }
        Mode::FirstUpdate => {
            let mut groups: HashMap<String, (Vec<usize>, Vec<usize>)> = HashMap::new();
            for &b in &bcdi_in {
                groups
                    .entry(bcdi_key(&borrowers[b].name))
                    .or_default()
                    .0
                    .push(b);
            }
            for &e in &ent_in {
                if let Some(g) = groups.get_mut(&bcdi_key(&ent[e].name)) {
                    g.1.push(e);
                }
            }
            let chosen: Vec<(usize, usize)> = decisions.pairs.iter().filter_map(resolve).collect();
            let mut names: Vec<&String> = groups.keys().collect();
            names.sort();
            for name in names {
                let (bs, es) = &groups[name];
                match (bs.len(), es.len()) {
                    (_, 0) => {}
                    (1, 1) => pair(bs[0], es[0], true, &mut matched_b, &mut matched_e),
                    (nb, ne) => {
                        for &(b, e) in &chosen {
                            if bs.contains(&b) && es.contains(&e) {
                                pair(b, e, true, &mut matched_b, &mut matched_e);
                            }
                        }
                        let left_b: Vec<usize> = bs
                            .iter()
                            .copied()
                            .filter(|b| !matched_b.contains(b))
                            .collect();
                        let left_e: Vec<usize> = es
                            .iter()
                            .copied()
                            .filter(|e| !matched_e.contains(e))
                            .collect();
                        let decided = left_b.len() < nb;
                        // Resolving one side resolves the other (R14): one of each left, they pair.
                        if decided && left_b.len() == 1 && left_e.len() == 1 {
                            pair(left_b[0], left_e[0], true, &mut matched_b, &mut matched_e);
                        }
                        let paired = bs.iter().filter(|b| matched_b.contains(b)).count();
                        let resolved = paired == nb.min(ne);
                        if !resolved {
                            // Unresolved: BCDI keeps its records and adds the file's (R15).
                            for &b in bs {
                                if matched_b.insert(b) {
                                    plan.untouched.push(b);
                                }
                            }
                            for &e in es {
                                if matched_e.insert(e) {
                                    plan.new.push(e);
                                }
                            }
                        }
                        plan.homonyms.push(Homonyms {
                            name: borrowers[bs[0]].name.clone(),
                            case: match (nb > 1, ne > 1) {
                                (true, false) => HomonymCase::SeveralInBcdi,
                                (false, true) => HomonymCase::SeveralInFile,
                                _ => HomonymCase::Both,
                            },
                            borrowers: bs.clone(),
                            ents: es.clone(),
                            resolved,
                        });
                    }
                }
            }
        }
    }

    // The pairs BCDI would miss, among the borrowers leaving and the persons arriving.
    let leaving: Vec<usize> = bcdi_in
        .iter()
        .copied()
        .filter(|b| !matched_b.contains(b))
        .collect();
    let arriving: Vec<usize> = ent_in
        .iter()
        .copied()
        .filter(|e| !matched_e.contains(e))
        .collect();
    let accepted: HashSet<(usize, usize)> = decisions.accepted.iter().filter_map(resolve).collect();
    let rejected: HashSet<(usize, usize)> = decisions.rejected.iter().filter_map(resolve).collect();
    for (b, e, reason) in super::suggest::pairs(borrowers, ent, &leaving, &arriving) {
        let verdict = if accepted.contains(&(b, e)) {
            Verdict::Accepted
        } else if rejected.contains(&(b, e)) {
            Verdict::Rejected
        } else {
            Verdict::Pending
        };
        if verdict == Verdict::Accepted {
            pair(b, e, false, &mut matched_b, &mut matched_e);
            plan.renames.push((b, ent[e].name.clone()));
        }
        plan.suggestions.push(Suggestion {
            borrower: b,
            ent: e,
            reason,
            verdict,
        });
    }

    for (b, e, ambiguous) in pairs {
        let changes = changes(&borrowers[b], &ent[e]);
        let m = Matched {
            borrower: b,
            ent: e,
            ambiguous,
            changes,
        };
        if m.changes.is_empty() {
            plan.unchanged.push(m);
        } else {
            plan.updated.push(m);
        }
    }
    for &e in &ent_in {
        if !matched_e.contains(&e) {
            plan.new.push(e);
        }
    }
    for &b in &bcdi_in {
        if matched_b.contains(&b) {
            continue;
        }
        let borrower = &borrowers[b];
        if !scope.allows(borrower) {
            plan.untouched.push(b);
        } else if borrower.loans.unwrap_or(0) > 0 {
            // Never deleted with a loan in progress (R11).
            plan.set_aside.push(b);
        } else {
            plan.deleted.push(b);
        }
    }
    plan.new.sort_unstable();
    plan.untouched.sort_unstable();
    plan.updated.sort_by_key(|m| m.borrower);
    plan.unchanged.sort_by_key(|m| m.borrower);
    plan
}

/// What BCDI changes on a matched borrower (ENT values win, R2).
fn changes(b: &Borrower, e: &EsidocBorrower) -> Vec<Change> {
    let mut out = Vec::new();
    let mut diff = |field, from: &str, to: &str| {
        if from != to {
            out.push(Change {
                field,
                from: from.to_string(),
                to: to.to_string(),
            });
        }
    };
    diff("name", &b.name, &e.name);
    diff("status", &b.status, &e.status);
    diff(
        "class",
        b.class.as_deref().unwrap_or(""),
        e.class.as_deref().unwrap_or(""),
    );
    diff("ent_id", b.ent_id.as_deref().unwrap_or(""), &e.ent_id);
    // A temporary user's type cannot be changed (R17): it is not among the changes.
    out
}

#[cfg(test)]
#[path = "reconcile_tests.rs"]
mod tests;
