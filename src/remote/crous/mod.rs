//! CROUS/Izly (crous-escr.md §2): the HTTP client with its OAuth2 token, the JSON model, the pure
//! "update only if needed" decisions and the per-person reconcile the outbox worker runs.

pub mod client;
pub mod model;
pub mod reconcile;
pub mod service;

pub use client::{CrousClient, CrousSettings};
pub use service::{CrousService, SERVICE};
