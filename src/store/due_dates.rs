//! The sync's card rules from the person's due date (reference crous-escr.md §1.10): the cards take the
//! person's due date; ENABLED, DISABLED or ENCODED past due → CADUC; CADUC with a future due date →
//! DISABLED; NEW or REJECTED past due → CANCELED. Applied by the directory sync with actor `sync`.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Transaction, params};

use super::Result;
use super::cards::{CardOptions, transition_in};
use crate::domain::card::{self, Actor, CardId, CardState, Request};

/// Applies the rules to every card whose person has a due date; returns the transitions made.
pub fn apply(
    tx: &Transaction<'_>,
    today: Date,
    opts: &CardOptions,
    now: Timestamp,
) -> Result<Vec<(CardId, CardState, CardState)>> {
    tx.execute(
        "UPDATE cards SET due_date = (SELECT p.due_date FROM persons p WHERE p.id = cards.person_id)
          WHERE state NOT IN ('CANCELED', 'DESTROYED', 'REJECTED')
            AND due_date IS NOT (SELECT p.due_date FROM persons p WHERE p.id = cards.person_id)",
        [],
    )?;
    let due: Vec<(CardId, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT c.id, c.state, p.due_date FROM cards c JOIN persons p ON p.id = c.person_id
              WHERE p.due_date IS NOT NULL
                AND ((c.state IN ('ENABLED', 'DISABLED', 'ENCODED', 'NEW', 'REJECTED') AND p.due_date < ?1)
                  OR (c.state = 'CADUC' AND p.due_date >= ?1))
              ORDER BY c.id",
        )?;
        let rows = stmt.query_map(params![today.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let mut done = Vec::new();
    for (id, state, due_date) in due {
        let Some(from) = CardState::parse(&state) else {
            continue;
        };
        let due_date = super::parse_date("persons.due_date", &due_date)?;
        let (to, comment) = match from {
            CardState::Caduc => (CardState::Disabled, None),
            CardState::New | CardState::Rejected => (
                CardState::Canceled,
                Some(card::due_passed_comment(due_date)),
            ),
            _ => (CardState::Caduc, None),
        };
        let req = Request {
            comment,
            ..Request::default()
        };
        transition_in(tx, id, to, &Actor::Sync, &req, opts, now)?;
        done.push((id, from, to));
    }
    Ok(done)
}
