//! Counter search: names without accents or case in any order, identifiers (eppn, INE, student and
//! staff numbers, join keys, CSN in its four forms, ESCN) by exact value or prefix.
//!
//! FTS5 (`unicode61 remove_diacritics 2`, crates.md §7) finds candidates: every query word as a prefix
//! of a name word, or the whole query, compacted, as a prefix of an identifier token. The candidates are
//! then ranked here: identifier hits first, then exact surname and given-name words, then prefixes.

use rusqlite::Connection;

use super::Result;
use crate::domain::card::PersonId;
use crate::domain::names;

/// How many FTS candidates are ranked for one query.
const CANDIDATES: usize = 400;
/// Words of a query taken into account.
const MAX_WORDS: usize = 8;

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
            let c = names::compact(s);
            if !c.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&c);
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
    words: Vec<String>,
    compact: String,
}

impl Query {
    fn parse(q: &str) -> Option<Query> {
        let folded = names::fold(q);
        let words: Vec<String> = folded.split_whitespace().take(MAX_WORDS).map(str::to_string).collect();
        let compact = names::compact(q);
        (!words.is_empty() && !compact.is_empty()).then_some(Query { words, compact })
    }

    /// The FTS5 expression. Words and the compact token contain only letters and digits (folded), so
    /// quoting them is enough to keep FTS5 syntax out of user input.
    fn fts(&self) -> String {
        let names: Vec<String> = self.words.iter().map(|w| format!("\"{w}\"*")).collect();
        format!("{{names}} : ({}) OR {{ids}} : \"{}\"*", names.join(" AND "), self.compact)
    }

    fn score(&self, surname: &str, given: &str, other_names: &str, ids: &str) -> i64 {
        let mut score = 0;
        let id_tokens = ids.split(' ');
        if id_tokens.clone().any(|t| t == self.compact) {
            score += 10_000;
        } else if self.compact.len() >= 3 && id_tokens.clone().any(|t| t.starts_with(&self.compact)) {
            score += 400;
        }
        let sur: Vec<&str> = surname.split(' ').collect();
        let giv: Vec<&str> = given.split(' ').collect();
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
            } else if other_names.split(' ').any(|t| t.starts_with(w)) {
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
            if q == format!("{surname} {given}") || q == format!("{given} {surname}") {
                score += 100;
            }
        }
        score
    }
}

/// The ids of the best matches for `query`, best first.
pub fn search_ids(conn: &Connection, query: &str, limit: usize) -> Result<Vec<PersonId>> {
    let Some(q) = Query::parse(query) else { return Ok(Vec::new()) };
    let mut stmt = conn.prepare_cached(
        "SELECT f.rowid, p.folded_surname, p.folded_given, f.names, f.ids, p.sort_key
           FROM person_fts f JOIN persons p ON p.id = f.rowid
          WHERE person_fts MATCH ?1 ORDER BY rank LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![q.fts(), CANDIDATES as i64], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut scored = Vec::new();
    for row in rows {
        let (id, sur, giv, all_names, ids, sort_key) = row?;
        scored.push((q.score(&sur, &giv, &all_names, &ids), sort_key, id));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    Ok(scored.into_iter().take(limit).map(|(_, _, id)| id).collect())
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
        assert_eq!(s, "acrennes128407 128407 iso1569304a1b2c3d4e5f6 04a1b2c3d4e5f6");
    }

    #[test]
    fn fts_expression_keeps_user_syntax_out() {
        let q = Query::parse("\"de la\" OR NEAR(x* ").unwrap();
        assert_eq!(q.fts(), "{names} : (\"de\"* AND \"la\"* AND \"or\"* AND \"near\"* AND \"x\"*) OR {ids} : \"delaornearx\"*");
        assert!(Query::parse(" -- ").is_none());
    }

    #[test]
    fn exact_names_outrank_prefixes() {
        let q = Query::parse("martin").unwrap();
        assert!(q.score("martin", "paul", "", "") > q.score("martineau", "paul", "", ""));
        assert!(q.score("dupont", "martin", "", "") > q.score("martineau", "paul", "", ""));
        let q = Query::parse("jean pierre de la fontaine").unwrap();
        assert!(q.score("de la fontaine", "jean pierre", "", "") > q.score("fontaine", "jean pierre", "", ""));
    }
}
