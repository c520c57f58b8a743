//! Guichet: the card bureau's desktop application. See README.md ("Architecture").

pub mod cli;
pub mod config;
pub mod demo;
pub mod directory;
pub mod domain;
pub mod fast_hash;
pub mod gui;
pub mod i18n;
pub mod library;
pub mod nfc;
pub mod production;
pub mod remote;
pub mod secrets;
pub mod store;
pub mod ui_text;

/// CPU time of the calling thread so far (Linux; `None` elsewhere): a sync's debug log reports each
/// thread's, which shows which one a full load waits for.
pub(crate) fn thread_cpu() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(std::time::Duration::from_nanos(ns))
}
