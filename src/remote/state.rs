//! What every service's reconcile does first and last, in one place: read the person and what the service
//! was last brought to, decide from the fingerprint whether a call is needed at all, and save the new state.

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use super::error::{Class, RemoteError};
use crate::store::remote::{self as rstore, RemoteState, Subject};
use crate::store::{Store, StoreError};

/// A database error during a run: transient (the run is tried again).
pub fn db_error(e: StoreError) -> RemoteError {
    RemoteError::new(Class::Retry, "database", e.to_string(), "store")
}

/// The person as the services see them now and the service's last state; `None` when the person is gone.
pub fn load(
    store: &Store,
    service: &str,
    person: i64,
) -> Result<Option<(Subject, RemoteState)>, RemoteError> {
    let Some(subject) = store
        .read(|c| rstore::subject(c, person))
        .map_err(db_error)?
    else {
        return Ok(None);
    };
    let state = store
        .read(|c| rstore::remote_state(c, service, person))
        .map_err(db_error)?;
    Ok(Some((subject, state)))
}

pub fn save(
    store: &Store,
    service: &str,
    person: i64,
    state: &RemoteState,
) -> Result<(), RemoteError> {
    store
        .write(|tx| rstore::save_remote_state(tx, service, person, state))
        .map_err(db_error)
}

/// The hex SHA-256 of what a service is sent for a person.
pub fn fingerprint(v: &serde_json::Value) -> String {
    Sha256::digest(v.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether the last verification is older than `every` (or there was none).
pub fn verify_due(state: &RemoteState, now: Timestamp, every: SignedDuration) -> bool {
    state
        .verified_at
        .is_none_or(|v| now.duration_since(v) >= every)
}

/// Whether nothing needs a call: the fingerprint is the one last brought in line and no verification is due.
pub fn unchanged(state: &RemoteState, fingerprint: &str, verify_due: bool) -> bool {
    state.fingerprint.as_deref() == Some(fingerprint) && !verify_due
}
