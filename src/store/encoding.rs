//! The card side of an encoding run: which card a scanned QR code names, moving the card into IN_ENCODE
//! before the chip is touched, and recording the outcome (CSN, DESFire ids, step log) with the
//! IN_ENCODE → ENCODED (→ ENABLED) transitions, each in one transaction.
//!
//! The content sources' sequence numbers (desfire.md §2.4, crous-escr.md §2.7) are the card's number in
//! Guichet: the access-control id is `base + card id` and the CROUS card number `99990000 + card id`
//! (ESUP's sample `idCounterBegin`), so they are unique, never reused and the same on every re-encode.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::cards::{self, CardDetail, CardOptions, transition_noted};
use super::{Result, Store, StoreError, audit};
use crate::domain::card::{Actor, CardError, CardId, CardState, Note, Request};
use crate::domain::ids::Csn;
use crate::nfc::encoder::{Encoded, LogEntry, log_code};
use crate::nfc::profile::CardFacts;

/// ESUP's sample start of CROUS card numbers (crous-escr.md §2.7, `idCounterBegin`).
pub const CROUS_COUNTER_BEGIN: u64 = 99_990_000;

/// States a card may be encoded from: printed (or printing) for a first encoding; encoded, enabled or
/// disabled for an update.
const ENCODABLE: [CardState; 6] = [
    CardState::InPrint,
    CardState::Printed,
    CardState::InEncode,
    CardState::Encoded,
    CardState::Enabled,
    CardState::Disabled,
];

/// A card ready for the chip.
#[derive(Debug, Clone)]
pub struct EncodeTarget {
    pub card: CardDetail,
    /// The ids to write.
    pub facts: CardFacts,
    /// The chip recorded for the card by an earlier run.
    pub expected_uid: Option<Vec<u8>>,
    /// The card was encoded before: this run updates it and changes no state.
    pub update: bool,
}

/// What recording a successful run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub state: CardState,
    /// The `desfire_ids` JSON stored on the card.
    pub desfire_ids: String,
}

fn facts_for(card: &CardDetail) -> CardFacts {
    let seq = u64::try_from(card.id).unwrap_or(0);
    CardFacts {
        csn: Vec::new(),
        escn: card.escn.clone(),
        crous_number: Some((CROUS_COUNTER_BEGIN + seq).to_string()),
        access_id: Some(seq),
    }
}

impl Store {
    /// The card a scanned QR code names: the printed content (eppn or ESC URL), or a bare ESCN. With an
    /// eppn, a person may have several cards: the one waiting for encoding, else the newest.
    pub fn card_for_scan(&self, scan: &str) -> Result<Option<CardId>> {
        let scan = scan.trim();
        if scan.is_empty() {
            return Ok(None);
        }
        self.read(|c| {
            let id: Option<CardId> = c
                .prepare_cached(
                    "SELECT id FROM cards WHERE qr = ?1 OR escn = ?1 OR lower(escn) = lower(?1)
                     ORDER BY state IN ('PRINTED', 'IN_PRINT', 'IN_ENCODE') DESC, id DESC LIMIT 1",
                )?
                .query_row([scan], |r| r.get(0))
                .optional()?;
            Ok(id)
        })
    }

    /// Prepares `card` for the chip: IN_PRINT → PRINTED → IN_ENCODE (a card presented for encoding is
    /// printed), PRINTED → IN_ENCODE; a card already encoded is an update and keeps its state. Refuses
    /// other states. `station` (the reader) is recorded in the history comment.
    pub fn encode_begin(
        &self,
        card: CardId,
        station: &str,
        opts: &CardOptions,
        now: Timestamp,
    ) -> Result<EncodeTarget> {
        self.write(|tx| {
            let current = cards::get(tx, card)?;
            if !ENCODABLE.contains(&current.state) {
                return Err(StoreError::Card(CardError::NotAllowed {
                    from: current.state,
                    to: CardState::InEncode,
                    allowed: Vec::new(),
                }));
            }
            let req = Request {
                comment: Some(station.to_string()),
                ..Request::default()
            };
            let path: &[CardState] = match current.state {
                CardState::InPrint => &[CardState::Printed, CardState::InEncode],
                CardState::Printed => &[CardState::InEncode],
                _ => &[],
            };
            for &to in path {
                cards::transition_in(tx, card, to, &Actor::System, &req, opts, now)?;
            }
            let card = cards::get(tx, card)?;
            Ok(EncodeTarget {
                facts: facts_for(&card),
                expected_uid: card.csn.as_ref().map(|c| c.bytes().to_vec()),
                update: card.state.is_encoded(),
                card,
            })
        })
    }

    /// Records a successful run: CSN, DESFire ids and the step log; IN_ENCODE → ENCODED, then ENABLED when
    /// `auto_enable` (which queues the validation services). An update records the ids and the log in
    /// the audit trail and keeps the state.
    #[allow(clippy::too_many_arguments)]
    pub fn encode_finish(
        &self,
        card: CardId,
        encoded: &Encoded,
        log: &[LogEntry],
        auto_enable: bool,
        operator: &str,
        opts: &CardOptions,
        now: Timestamp,
    ) -> Result<Recorded> {
        let csn = Csn::from_bytes(&encoded.uid).map_err(|_| StoreError::BadValue {
            column: "cards.csn",
            value: encoded.uid.iter().map(|b| format!("{b:02X}")).collect(),
        })?;
        let ids: serde_json::Map<String, serde_json::Value> = encoded
            .ids
            .iter()
            .map(|i| {
                (
                    i.application.clone(),
                    serde_json::Value::from(i.value.clone()),
                )
            })
            .collect();
        let desfire_ids = serde_json::Value::Object(ids).to_string();
        let note = Note::EncodeLog(log_code(log));
        self.write(|tx| {
            let current = cards::get(tx, card)?;
            if current.state == CardState::InEncode {
                let req = Request {
                    csn: Some(csn.clone()),
                    comment: Some(operator.to_string()),
                    ..Request::default()
                };
                transition_noted(
                    tx,
                    card,
                    CardState::Encoded,
                    &Actor::System,
                    &req,
                    opts,
                    now,
                    Some(note.clone()),
                )?;
                if auto_enable {
                    cards::transition_in(
                        tx,
                        card,
                        CardState::Enabled,
                        &Actor::System,
                        &Request::default(),
                        opts,
                        now,
                    )?;
                }
            } else if current.state.is_encoded() {
                if current.csn.as_ref() != Some(&csn) {
                    return Err(StoreError::BadValue {
                        column: "cards.csn",
                        value: csn.hex(),
                    });
                }
                tx.execute(
                    "UPDATE cards SET last_encoded_at = ?1 WHERE id = ?2",
                    params![super::ts(now), card],
                )?;
                audit::append(
                    tx,
                    now,
                    operator,
                    "card.reencode",
                    "card",
                    card,
                    Some(&note.encode()),
                )?;
            } else {
                return Err(StoreError::Card(CardError::NotAllowed {
                    from: current.state,
                    to: CardState::Encoded,
                    allowed: Vec::new(),
                }));
            }
            tx.execute(
                "UPDATE cards SET desfire_ids = ?1 WHERE id = ?2",
                params![desfire_ids, card],
            )?;
            Ok(Recorded {
                state: cards::get(tx, card)?.state,
                desfire_ids: desfire_ids.clone(),
            })
        })
    }

    /// Records a failed run in the audit trail (the card stays IN_ENCODE until a run succeeds or the
    /// operator puts it back to PRINTED).
    pub fn encode_failed(
        &self,
        card: CardId,
        log: &[LogEntry],
        operator: &str,
        now: Timestamp,
    ) -> Result<()> {
        let note = Note::EncodeLog(log_code(log)).encode();
        self.write(|tx| {
            audit::append(
                tx,
                now,
                operator,
                "card.encode_failed",
                "card",
                card,
                Some(&note),
            )
        })
    }

    /// The `desfire_ids` recorded on a card (JSON object: application name → id).
    pub fn desfire_ids(&self, card: CardId) -> Result<Option<String>> {
        self.read(|c| {
            Ok(
                c.query_row("SELECT desfire_ids FROM cards WHERE id = ?1", [card], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten(),
            )
        })
    }
}

#[cfg(test)]
#[path = "encoding_tests.rs"]
mod tests;
