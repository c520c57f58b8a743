//! The European Student Card Router v2 (crous-escr.md §3): the client (Bearer key) and the per-person
//! reconcile. Payloads and rules are in `remote::escr_model`.

pub mod client;
pub mod service;

pub use client::{EscrClient, EscrSettings};
pub use service::{EscrService, SERVICE};
