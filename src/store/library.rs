//! The librarian's kept state: hidden identifiers given to BCDI, decisions per establishment, plans shown.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Result;

/// The hidden identifiers already given to these persons.
pub fn ent_ids(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut st = conn.prepare("SELECT person_id, ent_id FROM library_ent_ids")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Keeps identifiers given for the first time (an identifier once given never changes).
pub fn keep_ent_ids(tx: &Transaction<'_>, ids: &[(i64, String)], now: Timestamp) -> Result<()> {
    let mut st = tx.prepare(
        "INSERT INTO library_ent_ids (person_id, ent_id, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(person_id) DO NOTHING",
    )?;
    let now = super::ts(now);
    for (person, id) in ids {
        st.execute(params![person, id, now])?;
    }
    Ok(())
}

/// The decisions kept for an establishment (JSON written by the library module).
pub fn decisions(conn: &Connection, uai: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT decisions FROM library_decisions WHERE uai = ?1",
            [uai],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn save_decisions(tx: &Transaction<'_>, uai: &str, json: &str, now: Timestamp) -> Result<()> {
    tx.execute(
        "INSERT INTO library_decisions (uai, decisions, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(uai) DO UPDATE SET decisions = excluded.decisions, updated_at = excluded.updated_at",
        params![uai, json, super::ts(now)],
    )?;
    Ok(())
}

/// Records a plan shown to the librarian (its counts as JSON); returns its id.
pub fn save_plan(
    tx: &Transaction<'_>,
    uai: &str,
    borrowers_file: &str,
    scope: &str,
    summary: &str,
    now: Timestamp,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO library_plans (uai, borrowers_file, scope, summary, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![uai, borrowers_file, scope, summary, super::ts(now)],
    )?;
    Ok(tx.last_insert_rowid())
}

/// A plan shown to the librarian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRecord {
    pub id: i64,
    pub borrowers_file: String,
    pub scope: String,
    /// Counts as JSON.
    pub summary: String,
    pub created_at: String,
}

/// The plans recorded for an establishment, newest first.
pub fn plans(conn: &Connection, uai: &str) -> Result<Vec<PlanRecord>> {
    let mut st = conn.prepare(
        "SELECT id, borrowers_file, scope, summary, created_at FROM library_plans WHERE uai = ?1
         ORDER BY id DESC",
    )?;
    let rows = st.query_map([uai], |r| {
        Ok(PlanRecord {
            id: r.get(0)?,
            borrowers_file: r.get(1)?,
            scope: r.get(2)?,
            summary: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn identifiers_once_given_never_change_and_plans_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.db")).unwrap();
        let now = Timestamp::now();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO persons (id, surname, given_name, display_name, affiliation,
                         folded_surname, folded_given, sort_key, source, created_at, updated_at)
                     VALUES (1, 'A', 'B', 'A B', 'National_ELV', 'a', 'b', 'a b', 'test', '', '')",
                    [],
                )?;
                keep_ent_ids(tx, &[(1, "first".into())], now)?;
                keep_ent_ids(tx, &[(1, "second".into())], now)
            })
            .unwrap();
        assert_eq!(store.read(ent_ids).unwrap()[&1], "first");
        store
            .write(|tx| save_plan(tx, "0291234X", "b.csv", "*", "{}", now))
            .unwrap();
        let p = store.read(|c| plans(c, "0291234X")).unwrap();
        assert_eq!((p.len(), p[0].borrowers_file.as_str()), (1, "b.csv"));
        store
            .write(|tx| save_decisions(tx, "0291234X", "{\"pairs\":[]}", now))
            .unwrap();
        assert!(store.read(|c| decisions(c, "0291234X")).unwrap().is_some());
    }
}
