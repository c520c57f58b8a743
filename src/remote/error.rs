//! The one error type of the remote services, with the class the outbox worker acts on.

use std::time::Duration;

/// What the worker does with an error (ARCHITECTURE §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Transient (network, timeout, 5xx, 429): try again later with backoff; after `queue.max_tries`
    /// runs it goes to a human.
    Retry,
    /// Needs a manager (a blocking refusal, bad credentials, missing data): kept apart on the Queue screen
    /// until someone acts; not retried by itself.
    Human,
    /// A non-blocking refusal (crous-escr.md §2.11: locked, closed, opposed, anonymised accounts…): recorded
    /// with its code; nothing more will be tried until the subject changes.
    GiveUp,
}

/// An error of a remote call or of the preparation of one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation}: {code} {message}")]
pub struct RemoteError {
    pub class: Class,
    /// The service's code (`-11`, `ER-0002`), the HTTP status (`HTTP 500`), or Guichet's own
    /// (`network`, `timeout`, `credentials`, `no-crous-card`…).
    pub code: String,
    pub message: String,
    /// `METHOD path` of the call, or the step that failed.
    pub operation: String,
    /// Whether the reference counts it as blocking (crous-escr.md §2.11).
    pub blocking: bool,
    /// Server's `Retry-After`.
    pub retry_after: Option<Duration>,
    /// The service could not be reached: the worker's circuit for that service opens.
    pub offline: bool,
}

impl RemoteError {
    pub fn new(class: Class, code: &str, message: impl Into<String>, operation: &str) -> Self {
        RemoteError {
            class,
            code: code.to_string(),
            message: message.into(),
            operation: operation.to_string(),
            blocking: class == Class::Human,
            retry_after: None,
            offline: false,
        }
    }

    /// A setting or a secret is missing: a manager must fix the configuration.
    pub fn config(code: &str, message: impl Into<String>) -> Self {
        RemoteError::new(Class::Human, code, message, "configuration")
    }
}
