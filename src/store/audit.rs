//! The audit log: append-only rows of who did what to which subject. No personal data beyond ids.

use jiff::Timestamp;
use rusqlite::{Connection, Transaction, params};

use super::{Result, ts};

pub fn append(
    tx: &Transaction<'_>,
    at: Timestamp,
    actor: &str,
    action: &str,
    subject_kind: &str,
    subject_id: i64,
    detail: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, subject_kind, subject_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![ts(at), actor, action, subject_kind, subject_id, detail])?;
    Ok(())
}

/// One audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: i64,
    pub detail: Option<String>,
}

/// The audit rows about one subject, oldest first.
pub fn for_subject(conn: &Connection, kind: &str, id: i64) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, action, subject_kind, subject_id, detail FROM audit_log
          WHERE subject_kind = ?1 AND subject_id = ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![kind, id], |r| {
        Ok(AuditRow {
            at: r.get(0)?,
            actor: r.get(1)?,
            action: r.get(2)?,
            subject_kind: r.get(3)?,
            subject_id: r.get(4)?,
            detail: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
