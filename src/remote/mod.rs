//! Remote services kept in line with the card bureau: CROUS/Izly, the European Student Card Router
//! (ESC-R) and the LDAP write-back. The outbox worker (`worker`) drains the queue; each
//! service has its client and its per-person reconcile; the pure parts (payloads, parsers, templates) take
//! time as an argument and touch neither the network nor the store. Rules: `reference/crous-escr.md`.

pub mod actions;
pub mod crous;
pub mod error;
pub mod escr;
pub mod escr_model;
pub mod http;
pub mod ldap_template;
pub mod ldap_writeback;
pub mod patch_ids;
pub mod setup;
pub mod state;
pub mod worker;

/// What one remote call did to a card or a router person, for the queue's result line (worded by
/// `ui_text::card_step` and `ui_text::person_step`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Added,
    Revalidated,
    Invalidated,
    AlreadyInvalid,
    Revoked,
    Updated,
    Created,
    UpToDate,
}
