//! Card histories of the demo institution. Every history is made by walking the real state machine:
//! each step is computed by `domain::card` (request, transition, renewal) and applied by
//! `store::cards`, with times that increase along the history.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rusqlite::Transaction;

pub use super::desk::CardIds;
use super::desk::Desk;
use super::people::{DAY, HOUR, MINUTE, date_seconds, ts};
use super::rng::Rng;
use crate::domain::card::{Actor, CardState, DisableReason, PersonId};
use crate::domain::ids::Csn;
use crate::store::Result;

/// The chip serial number of the fixed person Jérôme Lefèvre's enabled card.
pub const FIXED_CSN: &str = "04A1B2C3D4E5F6";
/// The card printers of the university's card bureau (the first one, listed twice, does most of
/// the work).
pub const UNIV_PRINTERS: &[&str] = &["evolis-primacy-1", "evolis-primacy-1", "evolis-primacy-2"];

/// What happens to a person's cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    /// No card was ever requested.
    NoCard,
    /// One card, requested, produced and enabled.
    Enabled,
    /// A first request still in production, stopped at this state.
    Pending(CardState),
    /// The enabled card was disabled for this reason; a new card was requested and enabled.
    Lost(DisableReason),
    /// The enabled card broke: disabled (out of order), destroyed, renewed, the new one enabled.
    Broken,
    /// The enabled card was renewed; enabling the new card disabled the old one (destroyed later
    /// when `destroy_old`).
    Renewal { destroy_old: bool },
    /// The enabled card is being renewed: the new card is still `RENEWED`.
    PendingRenewal,
    /// The request was rejected (the last card).
    Rejected,
    /// Rejected, canceled by the sync at the end of the academic year, then a new card enabled.
    RejectedThenCanceled,
    /// The request was canceled; with `then_new`, a later request was enabled.
    Canceled { then_new: bool },
    /// The enabled card was recently disabled and not replaced yet.
    DisabledOnly(DisableReason),
    /// The card was disabled as lost, then found and enabled again.
    Reenabled,
    /// A badly printed card was destroyed after encoding, then renewed and enabled.
    Misencoded,
    /// Rights ended: the enabled card became `CADUC` (and was destroyed when `destroy`).
    Expired { destroy: bool },
    /// Rights ended while a request was pending: the sync canceled it.
    ExpiredRequest,
    /// A disabled card became `CADUC` when rights ended.
    ExpiredDisabled,
}

/// The person side of a card story.
pub struct Holder<'a> {
    pub person_id: PersonId,
    pub editable: bool,
    pub due_date: Option<Date>,
    /// QR content when no ESCN is printed: the eppn, or the ENT uid at school.
    pub qr: Option<&'a str>,
    /// Students who opted in for the European Student Card: each card gets an ESCN at request
    /// time and `http://esc.gg/<ESCN>` as QR content.
    pub escn: bool,
    /// The person's own login, used for self-service requests (`None`: operators only).
    pub self_actor: Option<&'a str>,
    /// Card bureau operators who check, cancel, hand over or destroy cards.
    pub operators: &'a [&'a str],
    /// Printers of the bureau; an empty list means browser printing by an operator.
    pub printers: &'a [&'a str],
    /// The photo printed on the cards.
    pub photo_id: Option<i64>,
    /// Use [`FIXED_CSN`] for the first encoded card.
    pub fixed_csn: bool,
}

/// Plays `story` for a holder from `start` (seconds), never later than `limit`; returns the number of
/// cards created.
pub fn play(
    tx: &Transaction<'_>,
    rng: &mut Rng,
    ids: &mut CardIds,
    holder: &Holder<'_>,
    story: Story,
    start: i64,
    limit: i64,
) -> Result<usize> {
    use CardState::*;
    if story == Story::NoCard {
        return Ok(0);
    }
    let fixed_csn = if holder.fixed_csn {
        Csn::parse_hex(FIXED_CSN).ok()
    } else {
        None
    };
    let due = date_seconds(holder.due_date).unwrap_or(limit);
    let mut d = Desk::new(tx, rng, ids, holder, start, limit, fixed_csn);
    match story {
        Story::NoCard => {}
        Story::Enabled => {
            d.enabled()?;
        }
        Story::Pending(state) => {
            let c = d.request(None)?;
            d.advance(c, state)?;
        }
        Story::Lost(reason) => {
            let c = d.enabled()?;
            d.wait_frac(0.2, 0.7);
            let comment = if reason == DisableReason::Theft {
                "Vol déclaré"
            } else {
                "Perte déclarée par le titulaire"
            };
            let who = d.requester();
            d.go(c, Disabled, who, Some(reason), Some(comment))?;
            d.wait(HOUR, 6 * DAY);
            let c2 = d.request(Some("Remplacement de la carte"))?;
            d.advance(c2, Enabled)?;
        }
        Story::Broken => {
            let c = d.enabled()?;
            d.wait_frac(0.2, 0.7);
            let op = d.operator();
            d.go(
                c,
                Disabled,
                op,
                Some(DisableReason::OutOfOrder),
                Some("Puce illisible"),
            )?;
            d.wait(10 * MINUTE, 3 * DAY);
            let op = d.operator();
            d.go(
                c,
                Destroyed,
                op.clone(),
                None,
                Some("Carte défectueuse détruite"),
            )?;
            d.wait(MINUTE, DAY);
            let c2 = d.renew(c, op)?;
            d.advance(c2, Enabled)?;
        }
        Story::Renewal { destroy_old } => {
            let c = d.enabled()?;
            d.wait_frac(0.3, 0.8);
            let who = d.requester();
            let c2 = d.renew(c, who)?;
            d.advance(c2, Enabled)?;
            if destroy_old {
                d.wait(HOUR, 20 * DAY);
                let op = d.operator();
                d.go(c, Destroyed, op, None, Some("Ancienne carte restituée"))?;
            }
        }
        Story::PendingRenewal => {
            let c = d.enabled()?;
            let at = d.limit - d.rng.range(HOUR, 12 * DAY);
            d.jump_to(at);
            let who = d.requester();
            d.renew(c, who)?;
        }
        Story::Rejected => {
            let c = d.request(None)?;
            d.reject(c)?;
        }
        Story::RejectedThenCanceled => {
            let c = d.request(None)?;
            d.reject(c)?;
            let end = academic_year_end(d.t);
            let at = date_seconds(end).unwrap_or(d.t) + d.rng.range(DAY, 6 * DAY);
            d.jump_to(at);
            d.go(c, Canceled, Actor::System, None, Some(&due_comment(end)))?;
            d.wait(DAY, 25 * DAY);
            let c2 = d.request(None)?;
            d.advance(c2, Enabled)?;
        }
        Story::Canceled { then_new } => {
            let c = d.request(None)?;
            d.wait(10 * MINUTE, 2 * DAY);
            if d.rng.chance(0.4) {
                let op = d.operator();
                d.go(c, RequestChecked, op, None, None)?;
                d.wait(HOUR, 3 * DAY);
            }
            let comment = *d
                .rng
                .pick(&[
                    "Demande en double",
                    "Abandon de la demande",
                    "Départ de l'établissement",
                ])
                .unwrap_or(&"");
            let op = d.operator();
            d.go(c, Canceled, op, None, Some(comment))?;
            if then_new {
                d.wait(HOUR, 30 * DAY);
                let c2 = d.request(None)?;
                d.advance(c2, Enabled)?;
            }
        }
        Story::DisabledOnly(reason) => {
            let c = d.enabled()?;
            let at = d.limit - d.rng.range(HOUR, 45 * DAY);
            d.jump_to(at);
            let who = d.requester();
            d.go(c, Disabled, who, Some(reason), None)?;
        }
        Story::Reenabled => {
            let c = d.enabled()?;
            d.wait_frac(0.2, 0.6);
            let who = d.requester();
            d.go(
                c,
                Disabled,
                who.clone(),
                Some(DisableReason::Lost),
                Some("Carte égarée"),
            )?;
            d.wait(HOUR, 15 * DAY);
            d.go(c, Enabled, who, None, Some("Carte retrouvée"))?;
        }
        Story::Misencoded => {
            let c = d.request(None)?;
            d.advance(c, Encoded)?;
            d.wait(HOUR, 2 * DAY);
            let op = d.operator();
            d.go(
                c,
                Destroyed,
                op.clone(),
                None,
                Some("Impression défectueuse"),
            )?;
            d.wait(10 * MINUTE, DAY);
            let c2 = d.renew(c, op)?;
            d.advance(c2, Enabled)?;
        }
        Story::Expired { destroy } => {
            d.limit = due - DAY;
            let c = d.enabled()?;
            d.limit = limit;
            let at = due + d.rng.range(DAY, 20 * DAY);
            d.jump_to(at);
            d.go(c, Caduc, Actor::System, None, Some("Fin des droits"))?;
            if destroy {
                d.wait(DAY, 60 * DAY);
                let op = d.operator();
                d.go(c, Destroyed, op, None, Some("Carte restituée"))?;
            }
        }
        Story::ExpiredRequest => {
            d.limit = due - DAY;
            let c = d.request(None)?;
            d.limit = limit;
            let at = due + d.rng.range(DAY, 10 * DAY);
            d.jump_to(at);
            d.go(
                c,
                Canceled,
                Actor::System,
                None,
                Some(&due_comment(holder.due_date)),
            )?;
        }
        Story::ExpiredDisabled => {
            d.limit = due - DAY;
            let c = d.enabled()?;
            d.wait_frac(0.2, 0.8);
            let who = d.requester();
            d.go(c, Disabled, who, Some(DisableReason::Lost), None)?;
            d.limit = limit;
            let at = due + d.rng.range(DAY, 20 * DAY);
            d.jump_to(at);
            d.go(c, Caduc, Actor::System, None, Some("Fin des droits"))?;
        }
    }
    Ok(d.created)
}

/// The comment of the sync when a request outlives the person's rights (ESUP-SGC's wording).
fn due_comment(due: Option<Date>) -> String {
    due.map(crate::domain::card::due_passed_comment)
        .unwrap_or_default()
}

/// 31 August ending the academic year that contains `t`.
fn academic_year_end(t: i64) -> Option<Date> {
    let date = ts(t).to_zoned(TimeZone::UTC).date();
    let year = if date.month() >= 9 {
        date.year() + 1
    } else {
        date.year()
    };
    Date::new(year, 8, 31).ok()
}
