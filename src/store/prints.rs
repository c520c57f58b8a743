//! Print jobs: one row per job sent to a printer (or a PDF file) for a card, with the printer's verdict.
//! A card reaches `PRINTED` only with a completed job; the completed job keeps the frozen printed texts
//! and the template (reference crous-escr.md §1.7 step 3).

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, ts};
use crate::domain::card::CardId;

/// Where a print job stands, as the store records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    /// Sent (or being sent) to the printer; no verdict yet.
    Sent,
    Completed,
    /// Refused or aborted by the printer, or not reachable: the card stays `IN_PRINT`.
    Failed,
    Canceled,
}

impl JobOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            JobOutcome::Sent => "sent",
            JobOutcome::Completed => "completed",
            JobOutcome::Failed => "failed",
            JobOutcome::Canceled => "canceled",
        }
    }

    pub fn parse(s: &str) -> Option<JobOutcome> {
        [
            JobOutcome::Sent,
            JobOutcome::Completed,
            JobOutcome::Failed,
            JobOutcome::Canceled,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// One print job of a card.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintJobRow {
    pub id: i64,
    pub card_id: CardId,
    pub batch: Option<String>,
    pub printer: String,
    pub job_id: Option<i32>,
    pub state: JobOutcome,
    pub message: Option<String>,
    pub template: String,
    pub printed: BTreeMap<String, String>,
    pub actor: String,
    pub created_at: String,
    pub updated_at: String,
}

/// What a new job row records.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub card_id: CardId,
    pub batch: Option<&'a str>,
    pub printer: &'a str,
    pub template: &'a str,
    pub printed: &'a BTreeMap<String, String>,
    pub actor: &'a str,
}

/// Records a job about to be sent; returns its row id.
pub fn start(tx: &Transaction<'_>, job: &NewJob<'_>, now: Timestamp) -> Result<i64> {
    let printed = serde_json::to_string(job.printed).unwrap_or_else(|_| "{}".into());
    let at = ts(now);
    tx.prepare_cached(
        "INSERT INTO print_jobs (card_id, batch, printer, state, template, printed, actor, created_at,
                                 updated_at)
         VALUES (?1, ?2, ?3, 'sent', ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        job.card_id,
        job.batch,
        job.printer,
        job.template,
        printed,
        job.actor,
        at
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Records the printer's job id once the printer accepted the job.
pub fn set_job_id(tx: &Transaction<'_>, row: i64, job_id: i32, now: Timestamp) -> Result<()> {
    tx.prepare_cached("UPDATE print_jobs SET job_id = ?1, updated_at = ?2 WHERE id = ?3")?
        .execute(params![job_id, ts(now), row])?;
    Ok(())
}

/// Records the verdict of a job, with the printer's message.
pub fn finish(
    tx: &Transaction<'_>,
    row: i64,
    state: JobOutcome,
    message: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE print_jobs SET state = ?1, message = ?2, updated_at = ?3 WHERE id = ?4",
    )?
    .execute(params![state.as_str(), message, ts(now), row])?;
    Ok(())
}

const SELECT: &str =
    "SELECT id, card_id, batch, printer, job_id, state, message, template, printed,
        actor, created_at, updated_at FROM print_jobs";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PrintJobRow> {
    let state: String = r.get(5)?;
    let printed: String = r.get(8)?;
    Ok(PrintJobRow {
        id: r.get(0)?,
        card_id: r.get(1)?,
        batch: r.get(2)?,
        printer: r.get(3)?,
        job_id: r.get(4)?,
        state: JobOutcome::parse(&state).unwrap_or(JobOutcome::Failed),
        message: r.get(6)?,
        template: r.get(7)?,
        printed: serde_json::from_str(&printed).unwrap_or_default(),
        actor: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

/// The latest job of a card, if it was ever sent to print.
pub fn latest(conn: &Connection, card: CardId) -> Result<Option<PrintJobRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "{SELECT} WHERE card_id = ?1 ORDER BY id DESC LIMIT 1"
        ))?
        .query_row([card], row)
        .optional()?)
}

/// Every job of a card, oldest first.
pub fn of_card(conn: &Connection, card: CardId) -> Result<Vec<PrintJobRow>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE card_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([card], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The jobs of a batch, in sending order.
pub fn of_batch(conn: &Connection, batch: &str) -> Result<Vec<PrintJobRow>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE batch = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([batch], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_util;

    #[test]
    fn a_job_is_recorded_then_finished() {
        let (store, _dir) = test_util::temp_store();
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let card = test_util::person_with_card(&store, now);
        let mut printed = BTreeMap::new();
        printed.insert("name".to_string(), "Hélène Dupré".to_string());
        let id = store
            .write(|tx| {
                let id = start(
                    tx,
                    &NewJob {
                        card_id: card,
                        batch: Some("b1"),
                        printer: "ipp://127.0.0.1:8631/ipp/print",
                        template: "default",
                        printed: &printed,
                        actor: "alice",
                    },
                    now,
                )?;
                set_job_id(tx, id, 7, now)?;
                Ok(id)
            })
            .unwrap();
        let j = store.read(|c| latest(c, card)).unwrap().unwrap();
        assert_eq!((j.id, j.state, j.job_id), (id, JobOutcome::Sent, Some(7)));
        assert_eq!(j.printed, printed);
        store
            .write(|tx| finish(tx, id, JobOutcome::Failed, Some("media-empty"), now))
            .unwrap();
        let j = store.read(|c| of_batch(c, "b1")).unwrap();
        assert_eq!(j.len(), 1);
        assert_eq!(j[0].state, JobOutcome::Failed);
        assert_eq!(j[0].message.as_deref(), Some("media-empty"));
        assert_eq!(store.read(|c| of_card(c, card)).unwrap().len(), 1);
    }
}
