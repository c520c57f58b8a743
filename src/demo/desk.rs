//! The card desk of the demo generator: one person's cards while a story is played, moved by the
//! real state machine (`domain::card`) and applied by `store::cards`; and the identifier counters
//! (chip serial numbers, ESCN) shared by every card of a run.

use rusqlite::Transaction;

use super::cards::{FIXED_CSN, Holder};
use super::people::{DAY, HOUR, MINUTE, ts};
use super::rng::Rng;
use crate::domain::card::{
    self, Actor, CardError, CardFacts, CardState, Context, DisableReason, NewCard, Request,
};
use crate::domain::ids::{Csn, EscnGenerator};
use crate::store::{Result, StoreError, cards};

/// ESCN server prefix and fictitious PIC of the university.
const ESCN_PREFIX: u16 = 1;
const ESCN_PIC: u32 = 999_123_456;

/// Identifier counters shared by every card of a run.
#[derive(Debug)]
pub struct CardIds {
    csn: u64,
    csn_salt: u64,
    escn: u64,
}

impl CardIds {
    pub fn new(seed: u64) -> CardIds {
        CardIds {
            csn: 0,
            csn_salt: super::rng::mix64(seed ^ 0xC5) & 0xFFFF_FFFF_FFFF,
            escn: 0,
        }
    }

    /// A unique 7-byte NXP-style serial number `04…`, never [`FIXED_CSN`]. The low 32 bits are a
    /// bijection of the counter (hence unique); the 16 bits above them change every 1,024 cards, so
    /// consecutive cards land near each other in the CSN index while the values still look random.
    fn next_csn(&mut self) -> Result<Csn> {
        loop {
            self.csn += 1;
            let salt = self.csn_salt;
            let low = (self.csn as u32).wrapping_mul(0x9E37_79B9) ^ (salt as u32);
            let high = ((self.csn >> 10) as u16).wrapping_mul(0x7F4B) ^ ((salt >> 32) as u16);
            let x = (u64::from(high) << 32) | u64::from(low);
            let mut bytes = [0x04u8; 7];
            for (i, b) in bytes.iter_mut().skip(1).enumerate() {
                *b = (x >> (40 - 8 * i)) as u8;
            }
            let csn = Csn::from_bytes(&bytes).map_err(|e| bad("cards.csn", e))?;
            if csn.hex() != FIXED_CSN {
                return Ok(csn);
            }
        }
    }

    /// A unique ESCN for a card requested at `at_s`: a fresh generator per card, so the UUID time is
    /// the request time; the counter, spread over the milliseconds and the clock sequence, keeps
    /// every value unique.
    fn next_escn(&mut self, at_s: i64) -> Result<String> {
        let n = self.escn;
        self.escn += 1;
        let mut generator =
            EscnGenerator::new(ESCN_PREFIX, ESCN_PIC).map_err(|e| bad("cards.escn", e))?;
        Ok(generator.next(
            at_s * 1000 + (n % 1000) as i64,
            ((n / 1000) % 16_384) as u16,
        ))
    }
}

fn bad(column: &'static str, e: impl std::fmt::Display) -> StoreError {
    StoreError::BadValue {
        column,
        value: e.to_string(),
    }
}

const REJECT_REASONS: &[&str] = &[
    "Photo non conforme : visage non centré",
    "Photo floue",
    "Photo non conforme : lunettes de soleil",
    "Pièce justificative manquante",
];

/// One person's cards while their story is played.
pub struct Desk<'a, 'c> {
    tx: &'a Transaction<'c>,
    pub rng: &'a mut Rng,
    ids: &'a mut CardIds,
    holder: &'a Holder<'a>,
    cards: Vec<CardFacts>,
    /// Current time of the story, in seconds.
    pub t: i64,
    pub limit: i64,
    pub created: usize,
    fixed_csn: Option<Csn>,
    /// Who holds the card being printed (a printer, or the operator printing from the browser).
    printer: Option<Actor>,
}

impl<'a, 'c> Desk<'a, 'c> {
    pub fn new(
        tx: &'a Transaction<'c>,
        rng: &'a mut Rng,
        ids: &'a mut CardIds,
        holder: &'a Holder<'a>,
        start: i64,
        limit: i64,
        fixed_csn: Option<Csn>,
    ) -> Desk<'a, 'c> {
        Desk {
            tx,
            rng,
            ids,
            holder,
            cards: Vec::new(),
            t: start,
            limit,
            created: 0,
            fixed_csn,
            printer: None,
        }
    }

    /// Moves the story's clock forward by a random duration, staying before the limit when it can.
    pub fn wait(&mut self, lo: i64, hi: i64) {
        let step = self.rng.range(lo, hi).max(1);
        let room = self.limit - self.t;
        self.t += if step < room { step } else { (room / 3).max(1) };
    }

    /// Moves forward by a fraction of the time left before the limit.
    pub fn wait_frac(&mut self, lo: f64, hi: f64) {
        let room = (self.limit - self.t).max(0) as f64;
        self.t += ((room * self.rng.float(lo, hi)) as i64).max(1);
    }

    /// Moves to `at` if it is later (at most to the limit); always moves by one second at least.
    pub fn jump_to(&mut self, at: i64) {
        self.t = at.min(self.limit).max(self.t + 1);
    }

    /// Whether `actor` works at the bureau (an operator other than the holder, or a printer).
    fn is_bureau(&self, actor: &Actor) -> bool {
        match actor {
            Actor::Operator(name) => self.holder.self_actor != Some(name.as_str()),
            Actor::Printer(_) => true,
            Actor::System | Actor::Sync => false,
        }
    }

    /// Moves the clock to the bureau's opening hours (weekdays, 07:00-16:00 UTC) if it is outside
    /// them; the limit still wins.
    fn office_hours(&mut self) {
        const OPEN: i64 = 7 * HOUR;
        const CLOSE: i64 = 16 * HOUR;
        // Drawn first, whether used or not, so that the random sequence never depends on `now`.
        let delay = self.rng.range(5 * MINUTE, 3 * HOUR);
        let mut day = self.t.div_euclid(DAY);
        let second = self.t.rem_euclid(DAY);
        // 1970-01-01 was a Thursday: weekday 0 is Monday.
        let weekday = |day: i64| (day + 3).rem_euclid(7);
        if weekday(day) < 5 && (OPEN..CLOSE).contains(&second) {
            return;
        }
        if second >= OPEN || weekday(day) >= 5 {
            day += 1;
        }
        while weekday(day) >= 5 {
            day += 1;
        }
        let at = day * DAY + OPEN + delay;
        if at < self.limit {
            self.t = at;
        }
    }

    pub fn operator(&mut self) -> Actor {
        let name = self
            .rng
            .pick(self.holder.operators)
            .copied()
            .unwrap_or("guichet");
        Actor::Operator(name.to_string())
    }

    /// The person themself (self-service) or an operator on their behalf.
    pub fn requester(&mut self) -> Actor {
        match self.holder.self_actor {
            Some(me) if self.rng.chance(0.6) => Actor::Operator(me.to_string()),
            _ => self.operator(),
        }
    }

    fn others(&self, except: Option<i64>) -> Vec<(i64, CardState)> {
        self.cards
            .iter()
            .filter(|c| Some(c.id) != except)
            .map(|c| (c.id, c.state))
            .collect()
    }

    fn card(&self, idx: usize) -> Result<&CardFacts> {
        self.cards.get(idx).ok_or(StoreError::NotFound {
            kind: "demo card",
            id: idx as i64,
        })
    }

    /// A new request (→ `NEW`); returns the card's index.
    pub fn request(&mut self, comment: Option<&str>) -> Result<usize> {
        let actor = self.requester();
        if self.is_bureau(&actor) {
            self.office_hours();
        }
        let others = self.others(None);
        let ctx = self.context(&others);
        let new = card::request(
            self.holder.person_id,
            &actor,
            comment.map(str::to_string),
            &ctx,
        )?;
        self.insert(&new)
    }

    fn context<'o>(&self, others: &'o [(i64, CardState)]) -> Context<'o> {
        Context {
            now: ts(self.t),
            person_editable: self.holder.editable,
            person_due_date: self.holder.due_date,
            other_cards: others,
            services: &[],
        }
    }

    fn insert(&mut self, new: &NewCard) -> Result<usize> {
        let escn = if self.holder.escn {
            Some(self.ids.next_escn(self.t)?)
        } else {
            None
        };
        let qr = match &escn {
            Some(e) => Some(format!("http://esc.gg/{e}")),
            None => self.holder.qr.map(str::to_string),
        };
        let id = cards::insert_new(
            self.tx,
            new,
            escn.as_deref(),
            qr.as_deref(),
            self.holder.photo_id,
        )?;
        self.cards.push(CardFacts {
            id,
            person_id: self.holder.person_id,
            state: new.state,
            state_by: Some(new.actor.clone()),
            printer: None,
            csn: None,
            external: false,
        });
        self.created += 1;
        Ok(self.cards.len() - 1)
    }

    /// Applies one transition of card `idx`; returns the index of a card the transition created.
    pub fn go(
        &mut self,
        idx: usize,
        to: CardState,
        actor: Actor,
        reason: Option<DisableReason>,
        comment: Option<&str>,
    ) -> Result<Option<usize>> {
        if self.is_bureau(&actor) {
            self.office_hours();
        }
        let csn = if to == CardState::Encoded {
            Some(match self.fixed_csn.take() {
                Some(c) => c,
                None => self.ids.next_csn()?,
            })
        } else {
            None
        };
        let req = Request {
            reason,
            comment: comment.map(str::to_string),
            csn,
            printer: None,
        };
        let facts = self.card(idx)?.clone();
        let others = self.others(Some(facts.id));
        let ctx = self.context(&others);
        let t = card::transition(&facts, to, &actor, &req, &ctx)?;
        cards::apply_changes(self.tx, &t, self.holder.person_id)?;
        for ch in &t.changes {
            if let Some(c) = self.cards.iter_mut().find(|c| c.id == ch.card_id) {
                c.state = ch.to;
                c.state_by = Some(ch.actor.clone());
                if ch.printer.is_some() {
                    c.printer.clone_from(&ch.printer);
                }
                if ch.csn.is_some() {
                    c.csn.clone_from(&ch.csn);
                }
            }
        }
        match &t.new_card {
            Some(new) => Ok(Some(self.insert(new)?)),
            None => Ok(None),
        }
    }

    /// Renews card `idx` (→ a new `RENEWED` card); returns the new card's index.
    pub fn renew(&mut self, idx: usize, actor: Actor) -> Result<usize> {
        let id = self.card(idx)?.id;
        self.go(idx, CardState::Renewed, actor, None, Some("Renouvellement"))?
            .ok_or(StoreError::NotFound {
                kind: "renewed card",
                id,
            })
    }

    pub fn reject(&mut self, idx: usize) -> Result<()> {
        self.wait(10 * MINUTE, 3 * DAY);
        let comment = *self.rng.pick(REJECT_REASONS).unwrap_or(&"");
        let op = self.operator();
        self.go(idx, CardState::Rejected, op, None, Some(comment))?;
        Ok(())
    }

    /// A request walked all the way to `ENABLED`; returns its index.
    pub fn enabled(&mut self) -> Result<usize> {
        let c = self.request(None)?;
        self.advance(c, CardState::Enabled)?;
        Ok(c)
    }

    /// Walks card `idx` along the production path (check, print, encode, enable) until `target`,
    /// with the detours real bureaus see: a reprint, a one-pass print-and-encode, an interrupted
    /// encoding.
    pub fn advance(&mut self, idx: usize, target: CardState) -> Result<()> {
        use CardState::*;
        for _ in 0..32 {
            let state = self.card(idx)?.state;
            if state == target {
                return Ok(());
            }
            match state {
                New | Renewed => {
                    self.wait(10 * MINUTE, 3 * DAY);
                    let op = self.operator();
                    self.go(idx, RequestChecked, op, None, None)?;
                }
                RequestChecked => {
                    self.wait(HOUR, 4 * DAY);
                    let holder = match self.rng.pick(self.holder.printers) {
                        Some(p) if self.rng.chance(0.85) => Actor::Printer((*p).to_string()),
                        _ => self.operator(),
                    };
                    self.printer = Some(holder.clone());
                    self.go(idx, InPrint, holder, None, None)?;
                }
                InPrint => {
                    let holder = self.printer.clone().unwrap_or(Actor::System);
                    let one_pass =
                        matches!(holder, Actor::Printer(_)) && matches!(target, Encoded | Enabled);
                    if self.rng.chance(0.03) {
                        self.wait(2 * MINUTE, 20 * MINUTE);
                        self.go(idx, InPrint, holder, None, Some("Réimpression"))?;
                    } else if one_pass && self.rng.chance(0.75) {
                        self.wait(20, 90);
                        self.go(idx, Encoded, Actor::System, None, None)?;
                    } else {
                        self.wait(MINUTE, 6 * MINUTE);
                        self.go(idx, Printed, holder, None, None)?;
                    }
                }
                Printed => {
                    self.wait(MINUTE, 2 * HOUR);
                    self.go(idx, InEncode, Actor::System, None, None)?;
                }
                InEncode => {
                    if target != InEncode && self.rng.chance(0.03) {
                        self.wait(30, 5 * MINUTE);
                        self.go(
                            idx,
                            Printed,
                            Actor::System,
                            None,
                            Some("Encodage interrompu"),
                        )?;
                    } else {
                        self.wait(10, 90);
                        self.go(idx, Encoded, Actor::System, None, None)?;
                    }
                }
                Encoded if target == Enabled => {
                    if self.rng.chance(0.75) {
                        self.wait(1, 5);
                        self.go(idx, Enabled, Actor::System, None, None)?;
                    } else {
                        self.wait(2 * HOUR, 6 * DAY);
                        let op = self.operator();
                        self.go(idx, Enabled, op, None, Some("Carte remise au titulaire"))?;
                    }
                }
                _ => {
                    return Err(CardError::NotAllowed {
                        from: state,
                        to: target,
                        allowed: Vec::new(),
                    }
                    .into());
                }
            }
        }
        let from = self.card(idx)?.state;
        Err(CardError::NotAllowed {
            from,
            to: target,
            allowed: Vec::new(),
        }
        .into())
    }
}
