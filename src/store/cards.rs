//! Cards: the only code that changes card state. A request or a transition is computed by
//! `domain::card` and applied here with its history rows, audit rows and outbox rows in one transaction.

use std::sync::Mutex;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, audit, outbox, parse_date, parse_ts, persons, photos, ts};
use crate::domain::card::{
    self, Actor, CardFacts, CardId, CardState, Context, DisableReason, Effect, NewCard, Note,
    PersonId, Request, Service, Transition,
};
use crate::domain::ids::{Csn, ESC_QR_PREFIX, EscnGenerator};

/// One row of a card's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardEvent {
    pub from: Option<CardState>,
    pub to: CardState,
    pub at: Timestamp,
    pub actor: String,
    pub comment: Option<String>,
    pub note: Option<Note>,
}

/// A card with its whole history.
#[derive(Debug, Clone, PartialEq)]
pub struct CardDetail {
    pub id: CardId,
    pub person_id: PersonId,
    pub state: CardState,
    pub state_at: Timestamp,
    pub state_by: Option<String>,
    pub comment: Option<String>,
    pub requested_at: Timestamp,
    pub csn: Option<Csn>,
    pub qr: Option<String>,
    pub escn: Option<String>,
    pub due_date: Option<Date>,
    pub disable_reason: Option<DisableReason>,
    pub reject_count: i64,
    pub printer: Option<String>,
    pub external: bool,
    pub renewed_from: Option<CardId>,
    pub encoded_at: Option<Timestamp>,
    pub enabled_at: Option<Timestamp>,
    pub history: Vec<CardEvent>,
}

impl CardDetail {
    pub fn facts(&self) -> CardFacts {
        CardFacts {
            id: self.id,
            person_id: self.person_id,
            state: self.state,
            state_by: self.state_by.clone(),
            printer: self.printer.clone(),
            csn: self.csn.clone(),
            external: self.external,
        }
    }
}

/// How new cards get their identifiers (from the settings file, `[card]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardOptions {
    /// ESCN generation: (server prefix, institution PIC). `None`: no ESCN.
    pub escn: Option<(u16, u32)>,
    /// Print `<qr_prefix><ESCN>` in the QR code instead of the eppn (crous-escr.md §4.2).
    pub qr_escn: bool,
    /// URL prefix of ESCN QR codes; empty means the production `http://esc.gg/`.
    pub qr_prefix: String,
    /// Validation services that enable/disable enqueue work for.
    pub services: Vec<Service>,
}

const CARD_COLUMNS: &str =
    "id, person_id, state, state_at, state_by, comment, requested_at, csn, qr, escn, due_date,
    disable_reason, reject_count, printer, external, renewed_from, encoded_at, enabled_at";

type RawCard = (
    (
        CardId,
        PersonId,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
    ),
    (
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        Option<String>,
        bool,
        Option<CardId>,
        Option<String>,
    ),
    Option<String>,
);

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawCard> {
    Ok((
        (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
        ),
        (
            r.get(9)?,
            r.get(10)?,
            r.get(11)?,
            r.get(12)?,
            r.get(13)?,
            r.get(14)?,
            r.get(15)?,
            r.get(16)?,
        ),
        r.get(17)?,
    ))
}

fn state(column: &'static str, s: &str) -> Result<CardState> {
    CardState::parse(s).ok_or(StoreError::BadValue {
        column,
        value: s.to_string(),
    })
}

fn from_raw(raw: RawCard) -> Result<CardDetail> {
    let ((id, person_id, st, state_at, state_by, comment, requested_at, csn, qr), rest, enabled_at) =
        raw;
    let (escn, due, reason, reject_count, printer, external, renewed_from, encoded_at) = rest;
    Ok(CardDetail {
        id,
        person_id,
        state: state("cards.state", &st)?,
        state_at: parse_ts("cards.state_at", &state_at)?,
        state_by,
        comment,
        requested_at: parse_ts("cards.requested_at", &requested_at)?,
        csn: csn
            .map(|c| {
                Csn::parse_hex(&c).map_err(|_| StoreError::BadValue {
                    column: "cards.csn",
                    value: c,
                })
            })
            .transpose()?,
        qr,
        escn,
        due_date: due.map(|d| parse_date("cards.due_date", &d)).transpose()?,
        disable_reason: reason
            .map(|r| {
                DisableReason::parse(&r).ok_or(StoreError::BadValue {
                    column: "cards.disable_reason",
                    value: r,
                })
            })
            .transpose()?,
        reject_count,
        printer,
        external,
        renewed_from,
        encoded_at: encoded_at
            .map(|t| parse_ts("cards.encoded_at", &t))
            .transpose()?,
        enabled_at: enabled_at
            .map(|t| parse_ts("cards.enabled_at", &t))
            .transpose()?,
        history: Vec::new(),
    })
}

fn history(conn: &Connection, card: CardId) -> Result<Vec<CardEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_state, to_state, at, actor, comment, note FROM card_events WHERE card_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([card], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (from, to, at, actor, comment, note) = row?;
        out.push(CardEvent {
            from: from
                .map(|f| state("card_events.from_state", &f))
                .transpose()?,
            to: state("card_events.to_state", &to)?,
            at: parse_ts("card_events.at", &at)?,
            actor,
            comment,
            note: note.as_deref().and_then(Note::decode),
        });
    }
    Ok(out)
}

/// One card with its history.
pub fn get(conn: &Connection, id: CardId) -> Result<CardDetail> {
    let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = ?1");
    let raw = conn.prepare_cached(&sql)?.query_row([id], raw).optional()?;
    let mut card = from_raw(raw.ok_or(StoreError::NotFound { kind: "card", id })?)?;
    card.history = history(conn, id)?;
    Ok(card)
}

/// A person's cards, newest first, each with its history.
pub fn of_person(conn: &Connection, person: PersonId) -> Result<Vec<CardDetail>> {
    let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE person_id = ?1 ORDER BY id DESC");
    let mut stmt = conn.prepare_cached(&sql)?;
    let raws = stmt
        .query_map([person], raw)?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(raws.len());
    for r in raws {
        let mut c = from_raw(r)?;
        c.history = history(conn, c.id)?;
        out.push(c);
    }
    Ok(out)
}

fn others(conn: &Connection, person: PersonId, except: CardId) -> Result<Vec<(CardId, CardState)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, state FROM cards WHERE person_id = ?1 AND id <> ?2")?;
    let rows = stmt.query_map(params![person, except], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, st) = row?;
        out.push((id, state("cards.state", &st)?));
    }
    Ok(out)
}

/// The targets offered to `actor` for a card: what the Desk shows as buttons.
pub fn offered(
    conn: &Connection,
    card: &CardDetail,
    actor: &Actor,
    now: Timestamp,
) -> Result<Vec<CardState>> {
    let others = others(conn, card.person_id, card.id)?;
    let (editable, due) = persons::editable_and_due_date(conn, card.person_id)?;
    let ctx = Context {
        now,
        person_editable: editable,
        person_due_date: due,
        other_cards: &others,
        services: &[],
    };
    Ok(card::offered_targets(&card.facts(), actor, &ctx))
}

/// The process's ESCN generator, for the (prefix, PIC) it was made for; ESCNs are generated one at a time
/// (reference §4.1: "serialised so that one process never generates two at once").
static ESCN: Mutex<Option<((u16, u32), EscnGenerator)>> = Mutex::new(None);

fn next_escn(conn: &Connection, prefix: u16, pic: u32, now: Timestamp) -> Result<Option<String>> {
    let Ok(mut guard) = ESCN.lock() else {
        return Err(StoreError::Poisoned);
    };
    if guard.as_ref().map(|(k, _)| *k) != Some((prefix, pic)) {
        *guard = match EscnGenerator::new(prefix, pic) {
            Ok(mut g) => {
                // Continue after the newest stored ESCN: monotonic across restarts and clock steps.
                let last: Option<String> = conn
                    .prepare_cached(
                        "SELECT escn FROM cards WHERE escn IS NOT NULL ORDER BY id DESC LIMIT 1",
                    )?
                    .query_row([], |r| r.get(0))
                    .optional()?;
                if let Some(last) = last {
                    g.resume_after(&last);
                }
                Some(((prefix, pic), g))
            }
            Err(_) => None,
        };
    }
    let random = {
        use std::hash::{BuildHasher, RandomState};
        (RandomState::new().hash_one(now.as_nanosecond()) & 0x3FFF) as u16
    };
    Ok(guard
        .as_mut()
        .map(|(_, g)| g.next(now.as_millisecond(), random)))
}

/// The QR content of a card (reference crous-escr.md §4.2): `<prefix><ESCN>` when configured and the card
/// has an ESCN, else the person's eppn.
fn qr_for(
    conn: &Connection,
    person: PersonId,
    escn: Option<&str>,
    opts: &CardOptions,
) -> Result<Option<String>> {
    use crate::production::qr::{QrContent, qr_content};
    if let (Some(_), true) = (escn, opts.qr_escn) {
        let prefix = match opts.qr_prefix.trim() {
            "" => ESC_QR_PREFIX,
            p => p,
        };
        let rule = QrContent::Escn {
            prefix: prefix.to_string(),
        };
        return Ok(qr_content(&rule, None, escn));
    }
    let eppn: Option<String> =
        conn.query_row("SELECT eppn FROM persons WHERE id = ?1", [person], |r| {
            r.get(0)
        })?;
    Ok(qr_content(&QrContent::Eppn, eppn.as_deref(), None))
}

/// Identifiers a new card receives at request time: ESCN (if configured) and the QR content.
fn new_identifiers(
    conn: &Connection,
    person: PersonId,
    opts: &CardOptions,
    now: Timestamp,
) -> Result<(Option<String>, Option<String>)> {
    let escn = match opts.escn {
        Some((prefix, pic)) => next_escn(conn, prefix, pic, now)?,
        None => None,
    };
    let qr = qr_for(conn, person, escn.as_deref(), opts)?;
    Ok((escn, qr))
}

/// Gives a card entering `IN_PRINT` the ESCN and QR content it still lacks (reference §4.1: "or at
/// `IN_PRINT` if still missing"); returns the card's (ESCN, QR).
pub fn ensure_print_identifiers(
    tx: &Transaction<'_>,
    card: CardId,
    opts: &CardOptions,
    now: Timestamp,
) -> Result<(Option<String>, Option<String>)> {
    let (person, escn, qr): (PersonId, Option<String>, Option<String>) = tx.query_row(
        "SELECT person_id, escn, qr FROM cards WHERE id = ?1",
        [card],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let escn = match (escn, opts.escn) {
        (Some(e), _) => Some(e),
        (None, Some((prefix, pic))) => next_escn(tx, prefix, pic, now)?,
        (None, None) => None,
    };
    let qr = match qr {
        Some(q) => Some(q),
        None => qr_for(tx, person, escn.as_deref(), opts)?,
    };
    tx.prepare_cached("UPDATE cards SET escn = ?1, qr = ?2 WHERE id = ?3")?
        .execute(params![escn, qr, card])?;
    Ok((escn, qr))
}

/// Inserts a new card row with its first history row; returns its id.
pub fn insert_new(
    tx: &Transaction<'_>,
    new: &NewCard,
    escn: Option<&str>,
    qr: Option<&str>,
    photo_id: Option<i64>,
) -> Result<CardId> {
    let at = ts(new.at);
    tx.prepare_cached(
        "INSERT INTO cards (person_id, state, state_at, state_by, comment, requested_at, escn, qr, renewed_from, photo_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![new.person_id, new.state.as_str(), at, new.actor, new.comment, escn, qr, new.renewed_from, photo_id])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO card_events (card_id, from_state, to_state, at, actor, comment, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        new.from_state.map(CardState::as_str),
        new.state.as_str(),
        at,
        new.actor,
        new.comment,
        new.note.as_ref().map(Note::encode)
    ])?;
    audit::append(
        tx,
        new.at,
        &new.actor,
        "card.create",
        "card",
        id,
        Some(new.state.as_str()),
    )?;
    Ok(id)
}

/// Applies the state changes and effects of a transition (not its new card) inside `tx`.
pub fn apply_changes(tx: &Transaction<'_>, t: &Transition, person: PersonId) -> Result<()> {
    for ch in &t.changes {
        if let Some(csn) = &ch.csn {
            let owner: Option<CardId> = tx
                .prepare_cached("SELECT id FROM cards WHERE csn = ?1 AND id <> ?2")?
                .query_row(params![csn.hex(), ch.card_id], |r| r.get(0))
                .optional()?;
            if let Some(card_id) = owner {
                return Err(StoreError::CsnInUse {
                    csn: csn.hex(),
                    card_id,
                });
            }
        }
        let at = ts(ch.at);
        let forms = ch.csn.as_ref().map(Csn::forms);
        let f = |i: usize| forms.as_ref().map(|f| f[i].clone());
        let (enabled, due) = match ch.set_enabled {
            Some(due) => (true, due.map(|d| d.to_string())),
            None => (false, None),
        };
        let n = tx
            .prepare_cached(
                "UPDATE cards SET state = ?1, state_at = ?2, state_by = ?3, comment = ?4,
                    csn = COALESCE(?5, csn), csn_reversed = COALESCE(?6, csn_reversed),
                    csn_decimal = COALESCE(?7, csn_decimal), csn_rev_decimal = COALESCE(?8, csn_rev_decimal),
                    encoded_at = CASE WHEN ?9 THEN ?2 ELSE encoded_at END,
                    last_encoded_at = CASE WHEN ?9 THEN ?2 ELSE last_encoded_at END,
                    enabled_at = CASE WHEN ?10 THEN ?2 ELSE enabled_at END,
                    due_date = CASE WHEN ?10 THEN ?11 ELSE due_date END,
                    disable_reason = CASE WHEN ?10 THEN NULL WHEN ?1 = 'DISABLED' THEN ?12 ELSE disable_reason END,
                    reject_count = reject_count + ?13,
                    pay_order = CASE WHEN ?14 THEN NULL ELSE pay_order END,
                    printer = COALESCE(?15, printer)
                 WHERE id = ?16 AND state = ?17",
            )?
            .execute(params![
                ch.to.as_str(),
                at,
                ch.actor,
                ch.comment,
                f(0),
                f(1),
                f(2),
                f(3),
                ch.set_encoded,
                enabled,
                due,
                ch.disable_reason.map(DisableReason::as_str),
                i64::from(ch.increment_rejects),
                ch.clear_pay_order,
                ch.printer,
                ch.card_id,
                ch.from.as_str(),
            ])?;
        if n != 1 {
            // Another station changed the card since it was read: nothing is applied.
            return Err(StoreError::NotFound {
                kind: "card in the expected state",
                id: ch.card_id,
            });
        }
        tx.prepare_cached(
            "INSERT INTO card_events (card_id, from_state, to_state, at, actor, comment, note, printer)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            ch.card_id,
            ch.from.as_str(),
            ch.to.as_str(),
            at,
            ch.actor,
            ch.comment,
            ch.note.as_ref().map(Note::encode),
            ch.printer
        ])?;
        let detail = format!("{} -> {}", ch.from, ch.to);
        audit::append(
            tx,
            ch.at,
            &ch.actor,
            "card.transition",
            "card",
            ch.card_id,
            Some(&detail),
        )?;
    }
    // Effects only come with a state change; they are due at the time of that change.
    let Some(at) = t.changes.first().map(|c| c.at) else {
        return Ok(());
    };
    for e in &t.effects {
        let (Effect::Validate { service, .. } | Effect::Invalidate { service, .. }) = *e;
        outbox::enqueue(tx, service.as_str(), "person", person, at)?;
    }
    Ok(())
}

/// Whether the person holds a card the services follow (ENABLED, DISABLED or CADUC).
pub fn has_followed_card(conn: &Connection, person: PersonId) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM cards WHERE person_id = ?1
                             AND state IN ('ENABLED', 'DISABLED', 'CADUC'))",
        )?
        .query_row([person], |r| r.get(0))?)
}

impl Store {
    /// Requests a new card for a person (→ `NEW`), with the person's current photo.
    pub fn request_card(
        &self,
        person: PersonId,
        actor: &Actor,
        comment: Option<String>,
        opts: &CardOptions,
        now: Timestamp,
    ) -> Result<CardId> {
        self.write(|tx| {
            persons::editable_and_due_date(tx, person)?;
            let others = others(tx, person, CardId::MIN)?;
            let ctx = Context {
                now,
                person_editable: true,
                person_due_date: None,
                other_cards: &others,
                services: &[],
            };
            let new = card::request(person, actor, comment, &ctx)?;
            let (escn, qr) = new_identifiers(tx, person, opts, now)?;
            let photo = photos::current_id(tx, person)?;
            insert_new(tx, &new, escn.as_deref(), qr.as_deref(), photo)
        })
    }

    /// Moves a card to `to` on behalf of `actor`; returns the transition applied and the id of the card a
    /// renewal created.
    pub fn transition_card(
        &self,
        card_id: CardId,
        to: CardState,
        actor: &Actor,
        req: &Request,
        opts: &CardOptions,
        now: Timestamp,
    ) -> Result<(Transition, Option<CardId>)> {
        self.write(|tx| transition_in(tx, card_id, to, actor, req, opts, now))
    }
}

/// Applies a transition inside the caller's transaction (the directory sync applies the due-date rules
/// with its own batches); returns the transition and the id of a card it created (renewal).
pub fn transition_in(
    tx: &Transaction<'_>,
    card_id: CardId,
    to: CardState,
    actor: &Actor,
    req: &Request,
    opts: &CardOptions,
    now: Timestamp,
) -> Result<(Transition, Option<CardId>)> {
    transition_noted(tx, card_id, to, actor, req, opts, now, None)
}

/// [`transition_in`] with a machine-readable note on the card's own history row (the encoding log).
#[allow(clippy::too_many_arguments)]
pub fn transition_noted(
    tx: &Transaction<'_>,
    card_id: CardId,
    to: CardState,
    actor: &Actor,
    req: &Request,
    opts: &CardOptions,
    now: Timestamp,
    note: Option<Note>,
) -> Result<(Transition, Option<CardId>)> {
    let current = get(tx, card_id)?;
    let others = others(tx, current.person_id, card_id)?;
    let (editable, due) = persons::editable_and_due_date(tx, current.person_id)?;
    let ctx = Context {
        now,
        person_editable: editable,
        person_due_date: due,
        other_cards: &others,
        services: &opts.services,
    };
    let mut t = card::transition(&current.facts(), to, actor, req, &ctx)?;
    if let Some(note) = note
        && let Some(own) = t.changes.iter_mut().find(|c| c.card_id == card_id)
    {
        own.note = Some(note);
    }
    apply_changes(tx, &t, current.person_id)?;
    let created = match &t.new_card {
        Some(new) => {
            let (escn, qr) = new_identifiers(tx, current.person_id, opts, now)?;
            let photo: Option<i64> =
                tx.query_row("SELECT photo_id FROM cards WHERE id = ?1", [card_id], |r| {
                    r.get(0)
                })?;
            let photo = photo.or(photos::current_id(tx, current.person_id)?);
            Some(insert_new(tx, new, escn.as_deref(), qr.as_deref(), photo)?)
        }
        None => None,
    };
    Ok((t, created))
}

#[cfg(test)]
#[path = "cards_tests.rs"]
mod tests;
