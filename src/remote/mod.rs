//! Remote services kept in line with the card bureau: CROUS/Izly, the European Student Card Router
//! (ESC-R) and the LDAP write-back. The modules here are the pure parts (payloads, parsers, templates);
//! time is passed in and nothing touches the network or the store. Rules: `reference/crous-escr.md`.

pub mod escr_model;
pub mod ldap_template;
pub mod patch_ids;
