//! Counts for the status bar and the CLI.

use rusqlite::Connection;

use super::Result;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub persons: i64,
    pub cards: i64,
    pub enabled_cards: i64,
    pub pending_requests: i64,
}

pub fn counts(conn: &Connection) -> Result<Counts> {
    let persons = conn.query_row("SELECT COUNT(*) FROM persons", [], |r| r.get(0))?;
    let (cards, enabled, pending) = conn.query_row(
        "SELECT COUNT(*),
                IFNULL(SUM(state = 'ENABLED'), 0),
                IFNULL(SUM(state IN ('NEW', 'RENEWED', 'REQUEST_CHECKED')), 0)
           FROM cards",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(Counts {
        persons,
        cards,
        enabled_cards: enabled,
        pending_requests: pending,
    })
}
