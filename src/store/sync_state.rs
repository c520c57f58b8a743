//! Directory synchronisation state: per searched base (`people`, `groups`, `structures`), the RFC 4533
//! cookie (or the modifyTimestamp watermark in fallback mode) with the fingerprint of the settings it
//! belongs to, and the outcome of the last runs for the status bar.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, parse_ts, ts};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    pub base: String,
    pub cookie: Option<Vec<u8>>,
    pub fingerprint: Option<String>,
    pub last_full_at: Option<Timestamp>,
    pub last_delta_at: Option<Timestamp>,
    pub last_ok_at: Option<Timestamp>,
    pub offline_since: Option<Timestamp>,
    pub last_error: Option<String>,
    pub last_mode: Option<String>,
    pub last_report: Option<String>,
}

fn opt_ts(column: &'static str, v: Option<String>) -> Result<Option<Timestamp>> {
    v.map(|s| parse_ts(column, &s)).transpose()
}

pub fn get(conn: &Connection, base: &str) -> Result<Option<SyncState>> {
    let row = conn
        .query_row(
            "SELECT cookie, fingerprint, last_full_at, last_delta_at, last_ok_at, offline_since, last_error,
                    last_mode, last_report
               FROM sync_state WHERE directory = ?1",
            [base],
            |r| {
                Ok((
                    r.get::<_, Option<Vec<u8>>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    [
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ],
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((cookie, fingerprint, [full, delta, ok, offline], error, mode, report)) = row else {
        return Ok(None);
    };
    Ok(Some(SyncState {
        base: base.to_string(),
        cookie,
        fingerprint,
        last_full_at: opt_ts("sync_state.last_full_at", full)?,
        last_delta_at: opt_ts("sync_state.last_delta_at", delta)?,
        last_ok_at: opt_ts("sync_state.last_ok_at", ok)?,
        offline_since: opt_ts("sync_state.offline_since", offline)?,
        last_error: error,
        last_mode: mode,
        last_report: report,
    }))
}

/// Records a successful run for `base`: its new cookie, the settings fingerprint, the mode
/// (`full` also sets `last_full_at`) and the report; clears the offline state.
pub fn save_success(
    tx: &Transaction<'_>,
    base: &str,
    cookie: Option<&[u8]>,
    fingerprint: &str,
    mode: &str,
    report: &str,
    now: Timestamp,
) -> Result<()> {
    let now = ts(now);
    tx.execute(
        "INSERT INTO sync_state (directory, cookie, fingerprint, last_full_at, last_delta_at, last_ok_at,
                                 offline_since, last_error, last_mode, last_report)
         VALUES (?1, ?2, ?3, CASE WHEN ?4 = 'incremental' THEN NULL ELSE ?5 END, ?5, ?5, NULL, NULL, ?4, ?6)
         ON CONFLICT(directory) DO UPDATE SET
             cookie = excluded.cookie, fingerprint = excluded.fingerprint,
             last_full_at = CASE WHEN ?4 = 'full' THEN ?5 ELSE sync_state.last_full_at END,
             last_delta_at = ?5, last_ok_at = ?5, offline_since = NULL, last_error = NULL,
             last_mode = ?4, last_report = ?6",
        params![base, cookie, fingerprint, mode, now, report],
    )?;
    Ok(())
}

/// Records a failed run: the message, and the start of the outage when the directory was unreachable.
pub fn save_failure(
    tx: &Transaction<'_>,
    base: &str,
    error: &str,
    unreachable: bool,
    now: Timestamp,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_state (directory, last_error, offline_since) VALUES (?1, ?2, CASE WHEN ?3 THEN ?4 END)
         ON CONFLICT(directory) DO UPDATE SET last_error = ?2,
             offline_since = CASE WHEN ?3 THEN IFNULL(sync_state.offline_since, ?4) ELSE NULL END",
        params![base, error, unreachable, ts(now)],
    )?;
    Ok(())
}

/// Forgets the cookies, so the next run is a full one.
pub fn reset(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE sync_state SET cookie = NULL, fingerprint = NULL",
        [],
    )?;
    Ok(())
}
