//! The card lifecycle: 13 states, the transitions an operator may trigger, the system-only ones, the
//! guards, and the effects of a change as data. Pure: time and context are passed in.
//!
//! Every rule here comes from `reference/crous-escr.md` §1 (ESUP-SGC's `CardEtatService`): the workflow
//! map (§1.3), system-only edges (§1.4), state sets (§1.5), guards (§1.6) and side effects (§1.7).

use jiff::Timestamp;
use jiff::civil::Date;

use super::ids::Csn;

/// Database id of a card.
pub type CardId = i64;
/// Database id of a person.
pub type PersonId = i64;

/// The 13 card states of ESUP-SGC's `Etat` enum (§1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CardState {
    New,
    Renewed,
    RequestChecked,
    Rejected,
    Canceled,
    InPrint,
    Printed,
    InEncode,
    Encoded,
    Enabled,
    Disabled,
    Caduc,
    Destroyed,
}

impl CardState {
    pub const ALL: [CardState; 13] = [
        CardState::New,
        CardState::Renewed,
        CardState::RequestChecked,
        CardState::Rejected,
        CardState::Canceled,
        CardState::InPrint,
        CardState::Printed,
        CardState::InEncode,
        CardState::Encoded,
        CardState::Enabled,
        CardState::Disabled,
        CardState::Caduc,
        CardState::Destroyed,
    ];

    /// The stable name used in the database, the CLI and JSON: `IN_PRINT`.
    pub fn as_str(self) -> &'static str {
        match self {
            CardState::New => "NEW",
            CardState::Renewed => "RENEWED",
            CardState::RequestChecked => "REQUEST_CHECKED",
            CardState::Rejected => "REJECTED",
            CardState::Canceled => "CANCELED",
            CardState::InPrint => "IN_PRINT",
            CardState::Printed => "PRINTED",
            CardState::InEncode => "IN_ENCODE",
            CardState::Encoded => "ENCODED",
            CardState::Enabled => "ENABLED",
            CardState::Disabled => "DISABLED",
            CardState::Caduc => "CADUC",
            CardState::Destroyed => "DESTROYED",
        }
    }

    /// Parses a state name, ignoring case and accepting `-` for `_`.
    pub fn parse(s: &str) -> Option<CardState> {
        let norm = s.trim().to_ascii_uppercase().replace('-', "_");
        CardState::ALL.into_iter().find(|st| st.as_str() == norm)
    }

    /// `etatsRequest`: the person has a pending request while a card is in one of these.
    pub fn is_request(self) -> bool {
        use CardState::*;
        matches!(
            self,
            New | Renewed | RequestChecked | Rejected | InPrint | Printed | InEncode | Encoded
        )
    }

    /// `etatsEncoded`: the chip is encoded.
    pub fn is_encoded(self) -> bool {
        matches!(
            self,
            CardState::Encoded | CardState::Enabled | CardState::Disabled | CardState::Caduc
        )
    }

    /// `etatsPrinted`: the card physically exists.
    pub fn is_printed(self) -> bool {
        self.is_encoded() || self == CardState::Printed
    }

    /// Photo changes are allowed in these states.
    pub fn photo_editable(self) -> bool {
        matches!(
            self,
            CardState::New | CardState::Renewed | CardState::RequestChecked | CardState::InPrint
        )
    }

    /// `IN_PRINT` and `IN_ENCODE` are locked to the operator or printer holding them (§1.6.1).
    pub fn is_locked(self) -> bool {
        matches!(self, CardState::InPrint | CardState::InEncode)
    }

    /// No transition at all leaves these states.
    pub fn is_terminal(self) -> bool {
        matches!(self, CardState::Rejected | CardState::Canceled)
    }
}

impl std::fmt::Display for CardState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `MotifDisable`: why a card was disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisableReason {
    Lost,
    Theft,
    OutOfOrder,
}

impl DisableReason {
    pub const ALL: [DisableReason; 3] = [
        DisableReason::Lost,
        DisableReason::Theft,
        DisableReason::OutOfOrder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisableReason::Lost => "LOST",
            DisableReason::Theft => "THEFT",
            DisableReason::OutOfOrder => "OUT_OF_ORDER",
        }
    }

    /// Accepts `lost`, `theft`, `out_of_order` (any case, `-` for `_`).
    pub fn parse(s: &str) -> Option<DisableReason> {
        let norm = s.trim().to_ascii_uppercase().replace('-', "_");
        DisableReason::ALL.into_iter().find(|r| r.as_str() == norm)
    }
}

/// Who asks for a change.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Actor {
    /// A person at a screen or a script, named by login or eppn.
    Operator(String),
    /// A card printer or encoding station, named by its configured name.
    Printer(String),
    /// The application itself: automation, encoding completion.
    System,
    /// The directory synchronisation (due-date rules of reference §1.10), named `sync` in history.
    Sync,
}

impl Actor {
    pub fn name(&self) -> &str {
        match self {
            Actor::Operator(n) | Actor::Printer(n) => n,
            Actor::System => "system",
            Actor::Sync => "sync",
        }
    }
}

/// The facts about a card that the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFacts {
    pub id: CardId,
    pub person_id: PersonId,
    pub state: CardState,
    /// `etatEppn`: who set the current state (and so holds a locked card).
    pub state_by: Option<String>,
    /// The printer that holds an `IN_PRINT` card.
    pub printer: Option<String>,
    pub csn: Option<Csn>,
    /// A card imported from another institution.
    pub external: bool,
}

/// A remote service that validates (enable) and invalidates (disable) cards (§1.7 steps 6-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Crous,
    Escr,
    LdapWriteback,
}

impl Service {
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Crous => "crous",
            Service::Escr => "escr",
            Service::LdapWriteback => "ldap",
        }
    }
}

/// What the rules need to know beyond the card itself.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub now: Timestamp,
    /// `editable` of the person (§1.6.3).
    pub person_editable: bool,
    /// The person's rights end date; an enabled card takes it (§1.7.6).
    pub person_due_date: Option<Date>,
    /// The person's other cards (id and state), for the one-enabled-card rule and pending requests.
    pub other_cards: &'a [(CardId, CardState)],
    /// The validation services configured; enable/disable enqueue a reconcile for each.
    pub services: &'a [Service],
}

/// What the caller asks for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub reason: Option<DisableReason>,
    pub comment: Option<String>,
    /// A chip serial number supplied with the change (encoding).
    pub csn: Option<Csn>,
    /// The printer an operator sends the card to (entering `IN_PRINT`), recorded as `printerEppn`
    /// (reference §1.7 step 2).
    pub printer: Option<String>,
}

/// The history comment ESUP-SGC writes when the sync cancels a request whose due date has passed
/// (reference crous-escr.md §1.9); stored as text, in French, as the reference gives it.
pub fn due_passed_comment(due: Date) -> String {
    format!(
        "La date limite de fin ({}) est dépassée, la demande de carte est annulée.",
        due.strftime("%d/%m/%Y")
    )
}

/// A machine-readable note attached to a history row, rendered in the user's language by the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Disabled because another card of the person was enabled.
    ReplacedBy(CardId),
    /// A card created by renewing another one.
    RenewalOf(CardId),
    /// The step log of an encoding run, in the compact form of `nfc::encoder::LogEntry::code`.
    EncodeLog(String),
}

impl Note {
    pub fn encode(&self) -> String {
        match self {
            Note::ReplacedBy(id) => format!("replaced_by:{id}"),
            Note::RenewalOf(id) => format!("renewal_of:{id}"),
            Note::EncodeLog(log) => format!("encode_log:{log}"),
        }
    }

    pub fn decode(s: &str) -> Option<Note> {
        let (kind, id) = s.split_once(':')?;
        if kind == "encode_log" {
            return Some(Note::EncodeLog(id.to_string()));
        }
        let id = id.parse().ok()?;
        match kind {
            "replaced_by" => Some(Note::ReplacedBy(id)),
            "renewal_of" => Some(Note::RenewalOf(id)),
            _ => None,
        }
    }
}

/// One state change of one card, with the fields it sets.
#[derive(Debug, Clone, PartialEq)]
pub struct StateChange {
    pub card_id: CardId,
    pub from: CardState,
    pub to: CardState,
    pub actor: String,
    pub at: Timestamp,
    pub comment: Option<String>,
    pub note: Option<Note>,
    /// Set the chip serial number (entering `ENCODED`).
    pub csn: Option<Csn>,
    /// Set `encoded_at` and `last_encoded_at` to `at`.
    pub set_encoded: bool,
    /// Set `enabled_at` to `at`, clear the disable reason, take the person's due date.
    pub set_enabled: Option<Option<Date>>,
    pub disable_reason: Option<DisableReason>,
    pub increment_rejects: bool,
    pub clear_pay_order: bool,
    /// Printer that holds the card (entering `IN_PRINT` from a printer).
    pub printer: Option<String>,
}

/// A new card row created by a request or a renewal.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCard {
    pub person_id: PersonId,
    pub state: CardState,
    /// The state the history records as the origin (`None` for a fresh request).
    pub from_state: Option<CardState>,
    pub renewed_from: Option<CardId>,
    pub actor: String,
    pub at: Timestamp,
    pub comment: Option<String>,
    pub note: Option<Note>,
}

/// A reconcile request for the outbox: "bring service X in line with this person's cards".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    Validate {
        service: Service,
        person_id: PersonId,
        card_id: CardId,
    },
    Invalidate {
        service: Service,
        person_id: PersonId,
        card_id: CardId,
    },
}

/// Everything one user action changes, applied by the store in one transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Transition {
    pub changes: Vec<StateChange>,
    pub new_card: Option<NewCard>,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("{from} -> {to} is not allowed; allowed: {allowed:?}")]
    NotAllowed {
        from: CardState,
        to: CardState,
        allowed: Vec<CardState>,
    },
    #[error("{from} -> {to} is performed by the system only; allowed: {allowed:?}")]
    SystemOnly {
        from: CardState,
        to: CardState,
        allowed: Vec<CardState>,
    },
    #[error("card is {state}, held by {holder}")]
    Locked { state: CardState, holder: String },
    #[error("a disable needs a reason")]
    ReasonRequired,
    #[error("a card needs a chip serial number to become ENCODED")]
    CsnRequired,
    #[error("the person's data may not be validated (not editable)")]
    NotEditable,
    #[error("the person already has a pending card request (card {0})")]
    RequestPending(CardId),
    #[error("an external card cannot be renewed")]
    ExternalCard,
}

/// §1.3: the targets offered to a person (operator) from each state, before guards.
fn workflow(from: CardState) -> &'static [CardState] {
    use CardState::*;
    match from {
        New | Renewed => &[Rejected, RequestChecked, Canceled],
        RequestChecked => &[InPrint, Canceled],
        InPrint => &[RequestChecked, InPrint, Printed],
        Printed => &[],
        InEncode => &[Printed],
        Encoded => &[Enabled, Destroyed],
        Enabled => &[Disabled, Renewed],
        Disabled => &[Enabled, Destroyed],
        Caduc => &[Destroyed],
        Rejected | Canceled => &[],
        Destroyed => &[Renewed],
    }
}

/// §1.4 and §1.9: edges only the system performs.
fn system_only(from: CardState) -> &'static [CardState] {
    use CardState::*;
    match from {
        Printed => &[InEncode, Encoded],
        InEncode => &[Encoded],
        InPrint => &[Encoded],
        Encoded => &[Caduc],
        Enabled => &[Caduc],
        Disabled => &[Caduc],
        Caduc => &[Disabled],
        Rejected => &[Canceled],
        _ => &[],
    }
}

fn holds(card: &CardFacts, actor: &Actor) -> bool {
    match actor {
        Actor::System | Actor::Sync => true,
        Actor::Operator(n) => card.state_by.as_deref() == Some(n.as_str()),
        Actor::Printer(p) => {
            card.printer.as_deref() == Some(p.as_str())
                || card.state_by.as_deref() == Some(p.as_str())
        }
    }
}

fn pending_request(ctx: &Context<'_>, except: CardId) -> Option<CardId> {
    ctx.other_cards
        .iter()
        .find(|(id, st)| *id != except && st.is_request())
        .map(|(id, _)| *id)
}

/// The targets offered to `actor` for `card`: the workflow map after the guards (§1.6). System-only
/// edges are never offered; the GUI shows exactly these as buttons.
pub fn offered_targets(card: &CardFacts, actor: &Actor, ctx: &Context<'_>) -> Vec<CardState> {
    if card.state.is_locked() && !holds(card, actor) {
        return Vec::new();
    }
    workflow(card.state)
        .iter()
        .copied()
        .filter(|&to| match to {
            CardState::RequestChecked
                if matches!(card.state, CardState::New | CardState::Renewed) =>
            {
                ctx.person_editable
            }
            CardState::Renewed => {
                !card.external && ctx.person_editable && pending_request(ctx, card.id).is_none()
            }
            _ => true,
        })
        .collect()
}

/// Checks and computes a state change of `card` to `to` asked by `actor`.
pub fn transition(
    card: &CardFacts,
    to: CardState,
    actor: &Actor,
    req: &Request,
    ctx: &Context<'_>,
) -> Result<Transition, CardError> {
    let from = card.state;
    let offered = offered_targets(card, actor, ctx);
    let csn = req.csn.clone().or_else(|| card.csn.clone());
    // §1.6.6 "API hack": ENCODED is accepted with a chip serial number once the card is printed or printing.
    let api_hack = to == CardState::Encoded
        && req.csn.is_some()
        && matches!(
            from,
            CardState::InPrint | CardState::Printed | CardState::InEncode
        );
    let system_edge = system_only(from).contains(&to);

    match actor {
        Actor::System | Actor::Sync => {
            if !workflow(from).contains(&to) && !system_edge {
                return Err(CardError::NotAllowed {
                    from,
                    to,
                    allowed: system_targets(from),
                });
            }
        }
        _ => {
            if card.state.is_locked() && !holds(card, actor) {
                return Err(CardError::Locked {
                    state: from,
                    holder: card
                        .printer
                        .clone()
                        .or(card.state_by.clone())
                        .unwrap_or_default(),
                });
            }
            if !offered.contains(&to) && !api_hack {
                if to == CardState::RequestChecked
                    && workflow(from).contains(&to)
                    && !ctx.person_editable
                {
                    return Err(CardError::NotEditable);
                }
                if to == CardState::Renewed && workflow(from).contains(&to) {
                    if card.external {
                        return Err(CardError::ExternalCard);
                    }
                    if !ctx.person_editable {
                        return Err(CardError::NotEditable);
                    }
                    if let Some(id) = pending_request(ctx, card.id) {
                        return Err(CardError::RequestPending(id));
                    }
                }
                if system_only(from).contains(&to) {
                    return Err(CardError::SystemOnly {
                        from,
                        to,
                        allowed: offered,
                    });
                }
                return Err(CardError::NotAllowed {
                    from,
                    to,
                    allowed: offered,
                });
            }
        }
    }

    let mut out = Transition::default();
    let comment = req.comment.clone().filter(|c| !c.trim().is_empty());

    if to == CardState::Renewed {
        // §1.9: renewal creates a new card; the old one keeps its state until the new one is enabled.
        out.new_card = Some(NewCard {
            person_id: card.person_id,
            state: CardState::Renewed,
            from_state: Some(from),
            renewed_from: Some(card.id),
            actor: actor.name().to_string(),
            at: ctx.now,
            comment,
            note: Some(Note::RenewalOf(card.id)),
        });
        return Ok(out);
    }

    if to == CardState::Encoded && csn.is_none() {
        return Err(CardError::CsnRequired);
    }
    let disable_reason = if to == CardState::Disabled {
        match (req.reason, actor, from) {
            (Some(r), _, _) => Some(r),
            // A card coming back from CADUC (sync) needs no reason.
            (None, Actor::System | Actor::Sync, _) | (None, _, CardState::Caduc) => None,
            (None, _, _) => return Err(CardError::ReasonRequired),
        }
    } else {
        None
    };

    let mut change = base_change(card.id, from, to, actor, ctx.now);
    change.comment = comment;
    change.disable_reason = disable_reason;
    change.csn = (to == CardState::Encoded)
        .then(|| req.csn.clone())
        .flatten();
    change.set_encoded = to == CardState::Encoded;
    change.increment_rejects = to == CardState::Rejected;
    change.clear_pay_order = to == CardState::Canceled;
    if to == CardState::InPrint {
        change.printer = match actor {
            Actor::Printer(p) => Some(p.clone()),
            _ => req.printer.clone(),
        };
    }

    if to == CardState::Enabled {
        change.set_enabled = Some(ctx.person_due_date);
        // §1.7.1: one enabled card per person; the others are disabled with full invalidation.
        for &(other, st) in ctx.other_cards {
            if other != card.id && st == CardState::Enabled {
                let mut off = base_change(other, st, CardState::Disabled, actor, ctx.now);
                off.note = Some(Note::ReplacedBy(card.id));
                out.changes.push(off);
                for &service in ctx.services {
                    out.effects.push(Effect::Invalidate {
                        service,
                        person_id: card.person_id,
                        card_id: other,
                    });
                }
            }
        }
        for &service in ctx.services {
            out.effects.push(Effect::Validate {
                service,
                person_id: card.person_id,
                card_id: card.id,
            });
        }
    }
    let leaves_active = !matches!(from, CardState::Disabled | CardState::Caduc);
    if matches!(to, CardState::Disabled | CardState::Caduc) && leaves_active {
        for &service in ctx.services {
            out.effects.push(Effect::Invalidate {
                service,
                person_id: card.person_id,
                card_id: card.id,
            });
        }
    }
    out.changes.insert(0, change);
    Ok(out)
}

/// Everything the system may do from `from`: the workflow plus the system-only edges.
pub fn system_targets(from: CardState) -> Vec<CardState> {
    let mut v: Vec<CardState> = workflow(from).to_vec();
    for &t in system_only(from) {
        if !v.contains(&t) {
            v.push(t);
        }
    }
    v
}

fn base_change(
    card_id: CardId,
    from: CardState,
    to: CardState,
    actor: &Actor,
    at: Timestamp,
) -> StateChange {
    StateChange {
        card_id,
        from,
        to,
        actor: actor.name().to_string(),
        at,
        comment: None,
        note: None,
        csn: None,
        set_encoded: false,
        set_enabled: None,
        disable_reason: None,
        increment_rejects: false,
        clear_pay_order: false,
        printer: None,
    }
}

/// A new card request for a person (→ `NEW`). Refused while another request is pending (§1.5
/// `etatsRequest`), so a person never has two cards in production at once.
pub fn request(
    person_id: PersonId,
    actor: &Actor,
    comment: Option<String>,
    ctx: &Context<'_>,
) -> Result<NewCard, CardError> {
    if let Some(id) = pending_request(ctx, CardId::MIN) {
        return Err(CardError::RequestPending(id));
    }
    Ok(NewCard {
        person_id,
        state: CardState::New,
        from_state: None,
        renewed_from: None,
        actor: actor.name().to_string(),
        at: ctx.now,
        comment: comment.filter(|c| !c.trim().is_empty()),
        note: None,
    })
}

#[cfg(test)]
#[path = "card_tests.rs"]
mod tests;
