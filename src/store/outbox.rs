//! The outbox: durable "reconcile subject S with service X" tokens, one row per (service, subject).
//! Written in the same transaction as the state change that calls for it; drained by the queue worker.

use jiff::Timestamp;
use rusqlite::{Connection, Transaction, params};

use super::{Result, ts};

/// Enqueues (or re-arms) a reconcile of `subject` with `service`, due now.
pub fn enqueue(
    tx: &Transaction<'_>,
    service: &str,
    subject_kind: &str,
    subject_id: i64,
    now: Timestamp,
) -> Result<()> {
    let now = ts(now);
    tx.prepare_cached(
        "INSERT INTO outbox (service, subject_kind, subject_id, status, created_at, updated_at, next_attempt_at)
         VALUES (?1, ?2, ?3, 'pending', ?4, ?4, ?4)
         ON CONFLICT(service, subject_kind, subject_id) DO UPDATE
            SET status = 'pending', updated_at = excluded.updated_at, next_attempt_at = excluded.next_attempt_at",
    )?
    .execute(params![service, subject_kind, subject_id, now])?;
    Ok(())
}

/// Rows per (service, status), for the status bar and `guichet queue status`.
pub fn counts(conn: &Connection) -> Result<Vec<(String, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT service, status, COUNT(*) FROM outbox GROUP BY service, status ORDER BY 1, 2",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
