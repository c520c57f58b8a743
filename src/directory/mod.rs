//! The directory mirror: LDAP client, presets (SupAnn, SDET), synchronisation (full, RFC 4533
//! incremental, modifyTimestamp fallback) and the synthetic directory generator.

pub mod client;
pub mod entry;
pub mod ldif_gen;
pub mod mapping;
pub mod sync;
pub mod wire;

pub use entry::{Entry, dn_key};
