//! The outbox: durable "reconcile subject S with service X" tokens, one row per (service, subject).
//! Written in the same transaction as the state change that calls for it; drained by the queue worker
//! (`remote::worker`), which leases rows so two workers never work on the same subject at once.
//!
//! Row states: `pending` → `in_progress` (leased) → `done`, or after an error `failed_retrying` (the worker
//! tries again after a backoff), `needs_human` (a manager must act; the Queue screen lists them apart) or
//! `gave_up` (a non-blocking refusal of the service, recorded: crous-escr.md §2.11). The row keeps the last
//! error of its subject and a try count (§2.12: one error row per subject, updated, never duplicated).

use jiff::Timestamp;
use rusqlite::{Connection, Transaction, params};
use serde::Serialize;

use super::{Result, StoreError, parse_ts, ts};

/// The states of an outbox row, as stored.
pub const STATUSES: [&str; 6] = [
    "pending",
    "in_progress",
    "done",
    "failed_retrying",
    "needs_human",
    "gave_up",
];

/// Enqueues (or re-arms) a reconcile of `subject` with `service`, due now. A row being worked on keeps its
/// lease; its generation changes, so the worker leaves it pending when it finishes.
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
            SET generation = generation + 1,
                status = CASE WHEN status = 'in_progress' AND lease_until > excluded.updated_at
                              THEN 'in_progress' ELSE 'pending' END,
                created_at = CASE WHEN status IN ('done', 'gave_up') THEN excluded.created_at
                                  ELSE created_at END,
                updated_at = excluded.updated_at,
                next_attempt_at = excluded.next_attempt_at",
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

/// The counts of one service in every state (`guichet queue status --json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceCounts {
    pub service: String,
    pub pending: i64,
    pub in_progress: i64,
    pub done: i64,
    pub failed_retrying: i64,
    pub needs_human: i64,
    pub gave_up: i64,
}

impl ServiceCounts {
    /// Work not finished yet: what the badge shows.
    pub fn waiting(&self) -> i64 {
        self.pending + self.in_progress + self.failed_retrying
    }
}

/// Counts per service for `services` (in that order, zeros included), plus any other service present.
pub fn service_counts(conn: &Connection, services: &[&str]) -> Result<Vec<ServiceCounts>> {
    let mut out: Vec<ServiceCounts> = services
        .iter()
        .map(|s| ServiceCounts {
            service: s.to_string(),
            ..Default::default()
        })
        .collect();
    for (service, status, n) in counts(conn)? {
        let i = match out.iter().position(|c| c.service == service) {
            Some(i) => i,
            None => {
                out.push(ServiceCounts {
                    service: service.clone(),
                    ..Default::default()
                });
                out.len() - 1
            }
        };
        let c = &mut out[i];
        match status.as_str() {
            "pending" => c.pending += n,
            "in_progress" => c.in_progress += n,
            "done" => c.done += n,
            "failed_retrying" => c.failed_retrying += n,
            "needs_human" => c.needs_human += n,
            "gave_up" => c.gave_up += n,
            other => {
                return Err(StoreError::BadValue {
                    column: "outbox.status",
                    value: other.to_string(),
                });
            }
        }
    }
    Ok(out)
}

/// The badge: work waiting (pending, in progress, retrying) and rows that need a human.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Badge {
    pub waiting: i64,
    pub needs_human: i64,
}

pub fn badge(conn: &Connection) -> Result<Badge> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(status IN ('pending', 'in_progress', 'failed_retrying')), 0),
                COALESCE(SUM(status = 'needs_human'), 0)
         FROM outbox",
        [],
        |r| {
            Ok(Badge {
                waiting: r.get(0)?,
                needs_human: r.get(1)?,
            })
        },
    )?)
}

/// A row leased by a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub service: String,
    pub subject_kind: String,
    pub subject_id: i64,
    pub generation: i64,
    pub tries: i64,
}

/// Leases up to `limit` due rows of `service`, oldest first, to `owner` until `lease_until`. Rows whose
/// lease expired (a worker that crashed) are due again.
pub fn claim(
    tx: &Transaction<'_>,
    service: &str,
    owner: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: usize,
) -> Result<Vec<Claimed>> {
    let mut stmt = tx.prepare_cached(
        "UPDATE outbox SET status = 'in_progress', lease_owner = ?2, lease_until = ?4
         WHERE id IN (SELECT id FROM outbox
                      WHERE service = ?1
                        AND ((status IN ('pending', 'failed_retrying') AND next_attempt_at <= ?3)
                             OR (status = 'in_progress' AND lease_until <= ?3))
                      ORDER BY next_attempt_at, id LIMIT ?5)
         RETURNING id, service, subject_kind, subject_id, generation, tries",
    )?;
    let rows = stmt.query_map(
        params![service, owner, ts(now), ts(lease_until), limit as i64],
        |r| {
            Ok(Claimed {
                id: r.get(0)?,
                service: r.get(1)?,
                subject_kind: r.get(2)?,
                subject_id: r.get(3)?,
                generation: r.get(4)?,
                tries: r.get(5)?,
            })
        },
    )?;
    let mut out: Vec<Claimed> = rows.collect::<std::result::Result<_, _>>()?;
    // RETURNING gives no order guarantee: oldest first, as claimed.
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// When the next row of `service` becomes due (None: nothing waits).
pub fn next_due(conn: &Connection, service: &str) -> Result<Option<Timestamp>> {
    let s: Option<String> = conn.query_row(
        "SELECT MIN(CASE WHEN status = 'in_progress' THEN lease_until ELSE next_attempt_at END)
         FROM outbox WHERE service = ?1 AND status IN ('pending', 'failed_retrying', 'in_progress')",
        [service],
        |r| r.get(0),
    )?;
    s.map(|s| parse_ts("outbox.next_attempt_at", &s))
        .transpose()
}

/// Closes a leased row after a successful run. If the subject was enqueued again meanwhile (another
/// generation), the row goes back to pending, due now. Returns false when the lease was lost.
pub fn succeed(
    tx: &Transaction<'_>,
    c: &Claimed,
    owner: &str,
    result: &str,
    now: Timestamp,
) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE outbox SET
                status = CASE WHEN generation = ?3 THEN 'done' ELSE 'pending' END,
                done_at = CASE WHEN generation = ?3 THEN ?5 ELSE done_at END,
                next_attempt_at = ?5, updated_at = ?5, tries = 0,
                error_code = NULL, last_error = NULL, error_operation = NULL, blocking = 0,
                first_error_at = NULL, last_result = ?4, lease_owner = NULL, lease_until = NULL
             WHERE id = ?1 AND lease_owner = ?2 AND status = 'in_progress'",
        )?
        .execute(params![c.id, owner, c.generation, result, ts(now)])?;
    Ok(n == 1)
}

/// How a failed run ends for its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailState {
    /// Try again at `next_attempt`.
    Retrying,
    NeedsHuman,
    GaveUp,
}

impl FailState {
    pub fn as_str(self) -> &'static str {
        match self {
            FailState::Retrying => "failed_retrying",
            FailState::NeedsHuman => "needs_human",
            FailState::GaveUp => "gave_up",
        }
    }
}

/// The error a failed run records on its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure<'a> {
    pub state: FailState,
    pub code: &'a str,
    pub message: &'a str,
    pub operation: &'a str,
    pub blocking: bool,
    pub next_attempt: Timestamp,
    /// Whether the run counts as a try (a service that could not be reached does not).
    pub count_try: bool,
}

/// Records a failed run: the error replaces the previous one and the try count grows. A subject enqueued
/// again meanwhile is retried now (its new data may resolve the error).
pub fn fail(
    tx: &Transaction<'_>,
    c: &Claimed,
    owner: &str,
    f: &Failure<'_>,
    now: Timestamp,
) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE outbox SET
                status = CASE WHEN generation = ?3 THEN ?4 ELSE 'pending' END,
                next_attempt_at = CASE WHEN generation = ?3 THEN ?5 ELSE ?10 END,
                tries = tries + ?11, error_code = ?6, last_error = ?7, error_operation = ?8, blocking = ?9,
                first_error_at = COALESCE(first_error_at, ?10),
                updated_at = ?10, lease_owner = NULL, lease_until = NULL
             WHERE id = ?1 AND lease_owner = ?2 AND status = 'in_progress'",
        )?
        .execute(params![
            c.id,
            owner,
            c.generation,
            f.state.as_str(),
            ts(f.next_attempt),
            f.code,
            f.message,
            f.operation,
            f.blocking,
            ts(now),
            i64::from(f.count_try)
        ])?;
    Ok(n == 1)
}

/// Gives leased rows back without a result (the service went offline before they were tried): they keep
/// their try count and become due at `at`.
pub fn release(tx: &Transaction<'_>, c: &Claimed, owner: &str, at: Timestamp) -> Result<()> {
    tx.prepare_cached(
        "UPDATE outbox SET status = CASE WHEN tries > 0 THEN 'failed_retrying' ELSE 'pending' END,
                next_attempt_at = ?3, lease_owner = NULL, lease_until = NULL
         WHERE id = ?1 AND lease_owner = ?2 AND status = 'in_progress'",
    )?
    .execute(params![c.id, owner, ts(at)])?;
    Ok(())
}

/// Rows the Queue screen and `guichet queue list` show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: i64,
    pub service: String,
    pub person_id: i64,
    pub person: String,
    pub eppn: Option<String>,
    pub status: String,
    pub tries: i64,
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub operation: Option<String>,
    pub blocking: bool,
    pub last_result: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub next_attempt_at: String,
}

/// What the list shows; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub service: Option<String>,
    pub statuses: Vec<String>,
    pub error_code: Option<String>,
    pub blocking: Option<bool>,
    /// Part of a name or eppn (case-insensitive, accents ignored).
    pub person: Option<String>,
    /// `YYYY-MM-DD`: rows updated on or after / on or before this day.
    pub from: Option<String>,
    pub to: Option<String>,
    pub person_id: Option<i64>,
    pub limit: Option<usize>,
}

/// The rows matching `f`, errors first, then oldest first.
pub fn list(conn: &Connection, f: &Filter) -> Result<Vec<Item>> {
    let mut sql = String::from(
        "SELECT o.id, o.service, o.subject_id, p.display_name, p.eppn, o.status, o.tries, o.error_code,
                o.last_error, o.error_operation, o.blocking, o.last_result, o.created_at, o.updated_at,
                o.next_attempt_at
         FROM outbox o JOIN persons p ON p.id = o.subject_id AND o.subject_kind = 'person'
         WHERE 1 = 1",
    );
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut arg = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(s) = &f.service {
        arg(&mut sql, " AND o.service = ?", s.clone().into());
    }
    if !f.statuses.is_empty() {
        sql.push_str(" AND o.status IN (");
        for (i, s) in f.statuses.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            arg(&mut sql, "?", s.clone().into());
        }
        sql.push(')');
    }
    if let Some(c) = &f.error_code {
        arg(&mut sql, " AND o.error_code = ?", c.clone().into());
    }
    if let Some(b) = f.blocking {
        arg(&mut sql, " AND o.blocking = ?", i64::from(b).into());
    }
    if let Some(p) = f.person.as_deref().map(crate::domain::names::fold) {
        let p = p.trim().to_string();
        if !p.is_empty() {
            let like = format!("%{p}%");
            arg(
                &mut sql,
                " AND (fold_text(p.display_name) LIKE ? OR LOWER(IFNULL(p.eppn, '')) LIKE ?)",
                like.clone().into(),
            );
        }
    }
    if let Some(id) = f.person_id {
        arg(&mut sql, " AND o.subject_id = ?", id.into());
    }
    if let Some(d) = &f.from {
        arg(&mut sql, " AND o.updated_at >= ?", d.clone().into());
    }
    if let Some(d) = &f.to {
        arg(&mut sql, " AND o.updated_at < ?", format!("{d}T99").into());
    }
    sql.push_str(
        " ORDER BY CASE o.status WHEN 'needs_human' THEN 0 WHEN 'failed_retrying' THEN 1
                   WHEN 'gave_up' THEN 2 WHEN 'in_progress' THEN 3 WHEN 'pending' THEN 4 ELSE 5 END,
                   o.created_at, o.id",
    );
    if let Some(n) = f.limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok(Item {
            id: r.get(0)?,
            service: r.get(1)?,
            person_id: r.get(2)?,
            person: r.get(3)?,
            eppn: r.get(4)?,
            status: r.get(5)?,
            tries: r.get(6)?,
            error_code: r.get(7)?,
            error: r.get(8)?,
            operation: r.get(9)?,
            blocking: r.get(10)?,
            last_result: r.get(11)?,
            created_at: r.get(12)?,
            updated_at: r.get(13)?,
            next_attempt_at: r.get(14)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The error codes present, for the filter's choices.
pub fn error_codes(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT error_code FROM outbox WHERE error_code IS NOT NULL ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// "Retry now": the rows become due immediately (a row in progress is left alone). Returns how many.
pub fn retry_now(tx: &Transaction<'_>, ids: &[i64], now: Timestamp) -> Result<usize> {
    let mut stmt = tx.prepare_cached(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?2, updated_at = ?2,
                generation = generation + 1
         WHERE id = ?1 AND status <> 'in_progress'",
    )?;
    let now = ts(now);
    let mut n = 0;
    for id in ids {
        n += stmt.execute(params![id, now])?;
    }
    Ok(n)
}

/// Deletes finished rows (`done`, and with `gave_up` also the recorded refusals). Returns how many.
pub fn purge(tx: &Transaction<'_>, service: Option<&str>, gave_up: bool) -> Result<usize> {
    let statuses = if gave_up {
        "('done', 'gave_up')"
    } else {
        "('done')"
    };
    let n = tx.execute(
        &format!("DELETE FROM outbox WHERE status IN {statuses} AND (?1 IS NULL OR service = ?1)"),
        [service],
    )?;
    Ok(n)
}

/// The row of (service, person), if any.
pub fn of_subject(conn: &Connection, service: &str, person: i64) -> Result<Option<Item>> {
    let f = Filter {
        service: Some(service.to_string()),
        person_id: Some(person),
        ..Filter::default()
    };
    Ok(list(conn, &f)?.into_iter().next())
}

/// Gives back the rows leased by workers that no longer run (`is_dead(owner)`), due now: after a crash
/// the next worker resumes at once instead of waiting for the leases to expire. Returns how many.
pub fn release_dead(
    tx: &Transaction<'_>,
    is_dead: impl Fn(&str) -> bool,
    now: Timestamp,
) -> Result<usize> {
    let owners: Vec<String> = {
        let mut stmt = tx.prepare_cached(
            "SELECT DISTINCT lease_owner FROM outbox WHERE status = 'in_progress' AND lease_owner IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let mut n = 0;
    for owner in owners.iter().filter(|o| is_dead(o)) {
        n += tx.execute(
            "UPDATE outbox SET status = CASE WHEN tries > 0 THEN 'failed_retrying' ELSE 'pending' END,
                    next_attempt_at = ?2, lease_owner = NULL, lease_until = NULL
             WHERE status = 'in_progress' AND lease_owner = ?1",
            params![owner, ts(now)],
        )?;
    }
    Ok(n)
}
