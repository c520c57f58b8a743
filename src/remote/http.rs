//! The HTTP side shared by the CROUS and ESC-R clients: one reqwest client (rustls, crates.md §11) with
//! the reference's timeouts, and the classification of transport failures and of the statuses every
//! service treats alike (429 with `Retry-After`, 5xx).

use std::time::Duration;

use super::error::{Class, RemoteError};

/// A response, whatever its status.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub retry_after: Option<Duration>,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Builds the client: connect timeout 10 s (crous-escr.md §2.1), whole-call timeout as configured.
pub fn client(timeout: Duration) -> Result<reqwest::Client, RemoteError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .timeout(timeout)
        .user_agent(concat!("Guichet/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(16)
        .build()
        .map_err(|e| RemoteError::config("http-client", e.to_string()))
}

/// Sends a request and reads the whole body. Transport failures are `Retry` and mark the service
/// offline; the status is left to the caller, except through [`transient`].
pub async fn send(req: reqwest::RequestBuilder, operation: &str) -> Result<Reply, RemoteError> {
    let resp = req.send().await.map_err(|e| transport(&e, operation))?;
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = resp
        .bytes()
        .await
        .map_err(|e| transport(&e, operation))?
        .to_vec();
    Ok(Reply {
        status,
        body,
        retry_after,
    })
}

fn transport(e: &reqwest::Error, operation: &str) -> RemoteError {
    let code = if e.is_timeout() { "timeout" } else { "network" };
    let mut err = RemoteError::new(Class::Retry, code, e.to_string(), operation);
    err.offline = true;
    err
}

/// 429 and 5xx: the service is there but cannot answer now. Retried with backoff (or after
/// `Retry-After`); the reference counts a 500 as blocking, so after the last try it goes to a human.
pub fn transient(reply: &Reply, operation: &str, message: String) -> Option<RemoteError> {
    match reply.status {
        429 => {
            let mut e = RemoteError::new(Class::Retry, "HTTP 429", message, operation);
            e.retry_after = reply.retry_after;
            Some(e)
        }
        500..=599 => {
            let mut e = RemoteError::new(
                Class::Retry,
                &format!("HTTP {}", reply.status),
                message,
                operation,
            );
            e.blocking = true;
            e.retry_after = reply.retry_after;
            e.offline = matches!(reply.status, 502..=504);
            Some(e)
        }
        _ => None,
    }
}
