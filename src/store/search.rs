//! Counter search: names without accents or case in any order, identifiers (eppn, INE, student and
//! staff numbers, join keys, CSN in its four forms, ESCN) by exact value or prefix.
//!
//! Candidates come from three bounded lookups, so a broad query ("a", "mar") costs no more than a precise
//! one on 275,000 persons:
//! 1. the directory order index (`persons.sort_key`): the query read as "SURNAME Given…" prefix, in
//!    alphabetical order — what an operator typing a surname expects;
//! 2. FTS5 (`unicode61 remove_diacritics 2`, crates.md §7): every query word as a prefix of a name word in
//!    any order (`person_fts`), and the whole query, compacted, as an identifier token or its prefix
//!    (`person_ids_fts`, an index of its own since migration V9); each read in index order with a cap,
//!    never ranked by SQLite;
//! 3. for one- and two-letter queries only the first lookup runs (prefix lists that short are the directory
//!    itself).
//!
//! The candidates are then ranked here: identifier hits first, then exact surname and given-name words, then
//! prefixes, then directory order.

use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::ToSqlOutput;

use super::Result;
use super::persons::Computed;
use crate::domain::card::PersonId;
use crate::domain::names;
use crate::domain::person::PersonRecord;

/// FTS candidates read for one query.
const FTS_CAP: usize = 300;
/// Words of a query taken into account.
const MAX_WORDS: usize = 8;
/// Queries this short (compacted) only use the directory order.
const SHORT: usize = 2;

/// The triggers that keep `person_fts` in step with persons, identifiers and cards: dropped for a
/// transaction that indexes what it writes itself, and re-created from their own SQL before it commits
/// (see [`super::Store::write_self_indexed`]).
pub(crate) fn suspend_index(tx: &rusqlite::Transaction<'_>) -> Result<Vec<String>> {
    let triggers: Vec<(String, String)> = {
        let mut stmt =
            tx.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_fts\\_%' ESCAPE '\\'")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    Ok(triggers.into_iter().map(|(_, sql)| sql).collect())
}

/// Re-creates the triggers [`suspend_index`] dropped.
pub(crate) fn restore_triggers(tx: &rusqlite::Transaction<'_>, triggers: &[String]) -> Result<()> {
    for sql in triggers {
        tx.execute_batch(sql)?;
    }
    Ok(())
}

/// Rebuilds `person_fts` and `person_ids_fts` from `person_search_doc` (the triggers suspended).
pub(crate) fn rebuild_index(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM person_fts;
         DELETE FROM person_ids_fts;
         INSERT INTO person_fts(rowid, surname, given, other, ids)
              SELECT id, surname, given, other, ids FROM person_search_doc;
         INSERT INTO person_ids_fts(rowid, ids) SELECT rowid, ids FROM person_fts;",
    )?;
    Ok(())
}

/// One search document, written by [`index_persons`] and [`index_new_persons`]: the names (and the
/// identifier tokens, stored for ranking) in `person_fts`…
pub(crate) const INSERT_DOC: &str =
    "INSERT INTO person_fts(rowid, surname, given, other, ids) VALUES (?1, ?2, ?3, ?4, ?5)";
/// … and the identifier tokens in their own index (migration V9).
pub(crate) const INSERT_IDS: &str = "INSERT INTO person_ids_fts(rowid, ids) VALUES (?1, ?2)";

/// Brings the index up to date for `ids`, persons whose search document changed without the triggers
/// ([`super::Store::write_self_indexed`]): each one's old document, if any, is replaced by the view's.
/// Runs of consecutive ids are read with one statement each. (New persons of a directory load go
/// through [`index_new_persons`].)
pub fn index_persons(tx: &rusqlite::Transaction<'_>, ids: &mut Vec<PersonId>) -> Result<()> {
    ids.sort_unstable();
    ids.dedup();
    let mut delete = tx.prepare_cached("DELETE FROM person_fts WHERE rowid = ?1")?;
    let mut delete_ids = tx.prepare_cached("DELETE FROM person_ids_fts WHERE rowid = ?1")?;
    for id in ids.iter() {
        delete.execute([id])?;
        delete_ids.execute([id])?;
    }
    // Documents read a run at a time, written one row at a time: an `INSERT … SELECT` into the index
    // would open a statement savepoint, and FTS5 writes its pending terms out as a new segment at each
    // savepoint (to merge later); single-row inserts let them pile up until the commit.
    let mut docs = tx.prepare_cached(
        "SELECT id, surname, given, other, ids FROM person_search_doc WHERE id BETWEEN ?1 AND ?2",
    )?;
    let mut insert = tx.prepare_cached(INSERT_DOC)?;
    let mut insert_ids = tx.prepare_cached(INSERT_IDS)?;
    let mut i = 0;
    while i < ids.len() {
        let first = ids[i];
        while i + 1 < ids.len() && ids[i + 1] == ids[i] + 1 {
            i += 1;
        }
        let mut rows = docs.query([first, ids[i]])?;
        while let Some(r) = rows.next()? {
            let v = |i| r.get_ref(i).map(ToSqlOutput::Borrowed);
            insert.execute((v(0)?, v(1)?, v(2)?, v(3)?, v(4)?))?;
            insert_ids.execute((v(0)?, v(4)?))?;
        }
        i += 1;
    }
    Ok(())
}

/// The part of a new person's search document that is not a stored column: what `person_search_doc`
/// computes from the record (a new row has no card yet). A directory sync makes it on its reading
/// thread, so the writer only inserts it ([`index_new_persons`]).
#[derive(Debug, Clone, Default)]
pub struct NewDoc {
    /// Folded birth name, or empty.
    pub(super) other: String,
    /// Identifier tokens: the identifier columns, then the identifier rows in key order (kind, value),
    /// each through [`push_id_tokens`].
    pub(super) ids: String,
}

impl NewDoc {
    pub fn of(rec: &PersonRecord) -> NewDoc {
        let mut ids = String::new();
        for v in [
            &rec.uid,
            &rec.eppn,
            &rec.supann_etu_id,
            &rec.supann_emp_id,
            &rec.ine,
            &rec.ent_login,
            &rec.email,
        ]
        .into_iter()
        .flatten()
        {
            push_id_tokens(&mut ids, v);
        }
        let mut rows: Vec<(&str, &str)> = rec
            .identifiers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        rows.sort_unstable();
        rows.dedup();
        for (_, v) in rows {
            push_id_tokens(&mut ids, v);
        }
        NewDoc {
            other: rec
                .birth_name
                .as_deref()
                .map(names::fold)
                .unwrap_or_default(),
            ids,
        }
    }
}

/// Indexes persons that were just inserted, from their computed columns and [`NewDoc`]s: the same
/// document as the view's, without reading the rows back. A directory load indexes every person it
/// adds this way.
pub fn index_new_persons<'a>(
    tx: &rusqlite::Transaction<'_>,
    persons: impl IntoIterator<Item = (PersonId, &'a Computed, &'a NewDoc)>,
) -> Result<()> {
    let mut insert = tx.prepare_cached(INSERT_DOC)?;
    let mut insert_ids = tx.prepare_cached(INSERT_IDS)?;
    for (id, computed, doc) in persons {
        insert.execute(rusqlite::params![
            id,
            computed.folded_surname,
            computed.folded_given,
            doc.other,
            doc.ids
        ])?;
        insert_ids.execute(rusqlite::params![id, doc.ids])?;
    }
    Ok(())
}

/// One search result, as `guichet search --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SearchHit {
    pub person_id: PersonId,
    pub display_name: String,
    pub surname: String,
    pub given_name: String,
    pub eppn: Option<String>,
    pub ine: Option<String>,
    pub uid: Option<String>,
    pub affiliation: String,
    pub uai: Option<String>,
}

/// Appends the search tokens of one identifier value: the compacted value, and for `SOURCE$key` or
/// `{LABEL}value` forms also the compacted key alone.
pub fn push_id_tokens(out: &mut String, value: &str) {
    for part in value.split_whitespace() {
        let mut push = |s: &str| {
            let mark = out.len();
            if !out.is_empty() {
                out.push(' ');
            }
            let start = out.len();
            names::fold_into(out, s, "");
            if out.len() == start {
                out.truncate(mark);
            }
        };
        push(part);
        if let Some((_, key)) = part.rsplit_once('$') {
            push(key);
        }
        if part.starts_with('{')
            && let Some((_, v)) = part.split_once('}')
        {
            push(v);
        }
    }
}

struct Query {
    folded: String,
    words: Vec<String>,
    compact: String,
    /// Digits, punctuation or a long token: an identifier may be being typed.
    id_like: bool,
}

/// A candidate with what the ranking needs.
struct Candidate {
    surname: String,
    given: String,
    other: String,
    ids: String,
}

impl Query {
    fn parse(q: &str) -> Option<Query> {
        let folded = names::fold(q);
        let words: Vec<String> = folded
            .split_whitespace()
            .take(MAX_WORDS)
            .map(str::to_string)
            .collect();
        let compact = names::compact(q);
        let id_like = compact.len() >= 8
            || q.trim()
                .chars()
                .any(|c| !c.is_alphabetic() && !c.is_whitespace());
        (!words.is_empty() && !compact.is_empty()).then_some(Query {
            folded,
            words,
            compact,
            id_like,
        })
    }

    /// The FTS5 expression on the names (`person_fts`). Words contain only letters and digits
    /// (folded), so quoting them is enough to keep FTS5 syntax out of user input.
    fn names_fts(&self) -> String {
        let names: Vec<String> = self.words.iter().map(|w| format!("\"{w}\"*")).collect();
        format!("{{surname given other}} : ({})", names.join(" AND "))
    }

    /// The FTS5 expression on the identifiers (`person_ids_fts`): the compact token, letters and digits
    /// only, quoted. It is matched as a prefix only when the query looks like an identifier being typed
    /// (digits or punctuation, or long): a short run of letters is a name, and as an identifier prefix
    /// it would expand to every eppn that starts with a first name.
    fn ids_fts(&self) -> String {
        let id_prefix = if self.id_like { "*" } else { "" };
        format!("\"{}\"{id_prefix}", self.compact)
    }

    fn score(&self, c: &Candidate) -> i64 {
        let mut score = 0;
        let id_tokens = c.ids.split(' ');
        if id_tokens.clone().any(|t| t == self.compact) {
            score += 10_000;
        } else if self.compact.len() >= 3 && id_tokens.clone().any(|t| t.starts_with(&self.compact))
        {
            score += 400;
        }
        let sur: Vec<&str> = c.surname.split(' ').collect();
        let giv: Vec<&str> = c.given.split(' ').collect();
        let mut matched = 0;
        for w in &self.words {
            let w = w.as_str();
            let s = if sur.contains(&w) {
                30
            } else if giv.contains(&w) {
                20
            } else if sur.iter().any(|t| t.starts_with(w)) {
                10
            } else if giv.iter().any(|t| t.starts_with(w)) {
                6
            } else if c.other.split(' ').any(|t| t.starts_with(w)) {
                2
            } else {
                0
            };
            if s > 0 {
                matched += 1;
            }
            score += s;
        }
        if matched == self.words.len() {
            score += 50;
            let q = self.words.join(" ");
            if q == format!("{} {}", c.surname, c.given)
                || q == format!("{} {}", c.given, c.surname)
            {
                score += 100;
            }
        }
        score
    }
}

/// Persons whose directory key ("surname given") starts with the folded query, alphabetically.
fn directory_prefix(
    conn: &Connection,
    q: &Query,
    limit: usize,
    out: &mut HashMap<PersonId, Candidate>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, folded_surname, folded_given FROM persons
          WHERE sort_key >= ?1 AND sort_key < ?1 || char(1114111) ORDER BY sort_key LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![q.folded, limit as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, surname, given) = row?;
        out.entry(id).or_insert(Candidate {
            surname,
            given,
            other: String::new(),
            ids: String::new(),
        });
    }
    Ok(())
}

/// Full-text candidates in index order, at most `FTS_CAP` by name and `FTS_CAP` by identifier.
fn fts_candidates(
    conn: &Connection,
    q: &Query,
    out: &mut HashMap<PersonId, Candidate>,
) -> Result<()> {
    let by_name = conn.prepare_cached(
        "SELECT rowid, surname, given, other, ids FROM person_fts WHERE person_fts MATCH ?1 LIMIT ?2",
    )?;
    let by_id = conn.prepare_cached(
        "SELECT f.rowid, f.surname, f.given, f.other, f.ids
           FROM person_ids_fts i JOIN person_fts f ON f.rowid = i.rowid
          WHERE person_ids_fts MATCH ?1 LIMIT ?2",
    )?;
    for (mut stmt, expression) in [(by_name, q.names_fts()), (by_id, q.ids_fts())] {
        let rows = stmt.query_map(rusqlite::params![expression, FTS_CAP as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Candidate {
                    surname: r.get(1)?,
                    given: r.get(2)?,
                    other: r.get(3)?,
                    ids: r.get(4)?,
                },
            ))
        })?;
        for row in rows {
            let (id, c) = row?;
            out.insert(id, c);
        }
    }
    Ok(())
}

/// The ids of the best matches for `query`, best first.
pub fn search_ids(conn: &Connection, query: &str, limit: usize) -> Result<Vec<PersonId>> {
    let Some(q) = Query::parse(query) else {
        return Ok(Vec::new());
    };
    let mut candidates = HashMap::new();
    directory_prefix(conn, &q, limit, &mut candidates)?;
    if q.compact.chars().count() > SHORT {
        fts_candidates(conn, &q, &mut candidates)?;
    }
    let mut scored: Vec<(i64, String, PersonId)> = candidates
        .into_iter()
        .map(|(id, c)| (q.score(&c), format!("{} {}", c.surname, c.given), id))
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    Ok(scored
        .into_iter()
        .take(limit)
        .map(|(_, _, id)| id)
        .collect())
}

/// The best matches for `query` with the fields the CLI prints, best first.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let ids = search_ids(conn, query, limit)?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.display_name, p.surname, p.given_name, p.eppn, p.ine, p.uid, p.affiliation,
                COALESCE(s.uai, ps.uai)
           FROM persons p LEFT JOIN structures s ON s.id = p.structure_id
                          LEFT JOIN structures ps ON ps.id = s.parent_id
          WHERE p.id = ?1",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(stmt.query_row([id], |r| {
            Ok(SearchHit {
                person_id: r.get(0)?,
                display_name: r.get(1)?,
                surname: r.get(2)?,
                given_name: r.get(3)?,
                eppn: r.get(4)?,
                ine: r.get(5)?,
                uid: r.get(6)?,
                affiliation: r.get(7)?,
                uai: r.get(8)?,
            })
        })?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_tokens_split_join_keys_and_labels() {
        let mut s = String::new();
        push_id_tokens(&mut s, "AC-RENNES$128407 {ISO15693}04A1B2C3D4E5F6");
        assert_eq!(
            s,
            "acrennes128407 128407 iso1569304a1b2c3d4e5f6 04a1b2c3d4e5f6"
        );
    }

    #[test]
    fn fts_expression_keeps_user_syntax_out() {
        let q = Query::parse("\"de la\" OR NEAR(x* ").unwrap();
        assert_eq!(
            q.names_fts(),
            "{surname given other} : (\"de\"* AND \"la\"* AND \"or\"* AND \"near\"* AND \"x\"*)"
        );
        assert_eq!(q.ids_fts(), "\"delaornearx\"*");
        assert!(Query::parse(" -- ").is_none());
        let name = Query::parse("Mathi").unwrap();
        assert_eq!(name.names_fts(), "{surname given other} : (\"mathi\"*)");
        assert_eq!(name.ids_fts(), "\"mathi\"");
        assert_eq!(Query::parse("jean.d").unwrap().ids_fts(), "\"jeand\"*");
        assert_eq!(Query::parse("0412").unwrap().ids_fts(), "\"0412\"*");
    }

    fn cand(surname: &str, given: &str) -> Candidate {
        Candidate {
            surname: surname.into(),
            given: given.into(),
            other: String::new(),
            ids: String::new(),
        }
    }

    #[test]
    fn exact_names_outrank_prefixes() {
        let q = Query::parse("martin").unwrap();
        assert!(q.score(&cand("martin", "paul")) > q.score(&cand("martineau", "paul")));
        assert!(q.score(&cand("dupont", "martin")) > q.score(&cand("martineau", "paul")));
        let q = Query::parse("jean pierre de la fontaine").unwrap();
        assert!(
            q.score(&cand("de la fontaine", "jean pierre"))
                > q.score(&cand("fontaine", "jean pierre"))
        );
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
pub(super) mod quality;
