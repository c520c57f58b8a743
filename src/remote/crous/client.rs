//! The CROUS/Izly HTTP client (crous-escr.md §2.1–2.3): OAuth2 client credentials against the token
//! server, `Bearer` on every call, and on 401 or 403 one new token and one retry of the call.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::Method;
use serde::Serialize;

use super::model::{ApiError, api_error};
use crate::remote::error::{Class, RemoteError};
use crate::remote::http::{self, Reply};

/// Every resource path starts with this prefix (§2.1).
pub const PREFIX: &str = "/beforeizly/v1";

/// Credentials and URLs of one CROUS API.
#[derive(Clone)]
pub struct CrousSettings {
    pub api_url: String,
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub timeout: Duration,
}

impl std::fmt::Debug for CrousSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrousSettings")
            .field("api_url", &self.api_url)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

/// The client. Cheap to share behind an `Arc`; the token is kept for the process.
pub struct CrousClient {
    http: reqwest::Client,
    s: CrousSettings,
    token: Mutex<Option<String>>,
}

impl CrousClient {
    pub fn new(s: CrousSettings) -> Result<CrousClient, RemoteError> {
        Ok(CrousClient {
            http: http::client(s.timeout)?,
            s,
            token: Mutex::new(None),
        })
    }

    /// The token path: `api-pp` for a pre-production API (its URL contains `-pp`, §2.2).
    fn token_endpoint(&self) -> String {
        let domain = if self.s.api_url.contains("-pp") {
            "api-pp"
        } else {
            "api"
        };
        format!(
            "{}/{domain}/oauth/token?grant_type=client_credentials",
            self.s.token_url.trim_end_matches('/')
        )
    }

    async fn fresh_token(&self) -> Result<String, RemoteError> {
        let op = "POST oauth/token";
        let req = self
            .http
            .post(self.token_endpoint())
            .basic_auth(&self.s.client_id, Some(&self.s.client_secret))
            .header(reqwest::header::ACCEPT, "application/json");
        let reply = http::send(req, op).await?;
        if let Some(e) = http::transient(&reply, op, describe(&reply)) {
            return Err(e);
        }
        if !reply.ok() {
            return Err(RemoteError::new(
                Class::Human,
                "credentials",
                format!("HTTP {}: {}", reply.status, describe(&reply)),
                op,
            ));
        }
        let token = reply
            .json()
            .and_then(|v| v.get("access_token")?.as_str().map(str::to_string))
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                RemoteError::new(
                    Class::Retry,
                    "bad-token",
                    crate::fl!("remote-err-bad-token"),
                    op,
                )
            })?;
        if let Ok(mut t) = self.token.lock() {
            *t = Some(token.clone());
        }
        Ok(token)
    }

    async fn token(&self) -> Result<String, RemoteError> {
        let cached = self.token.lock().ok().and_then(|t| t.clone());
        match cached {
            Some(t) => Ok(t),
            None => self.fresh_token().await,
        }
    }

    /// One authenticated call; 401/403 → new token and one retry (§2.2 "Token renewal").
    pub async fn call<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        uid: Option<&str>,
    ) -> Result<Reply, RemoteError> {
        let op = operation(&method, path);
        let url = format!("{}{PREFIX}{path}", self.s.api_url.trim_end_matches('/'));
        let build = |token: &str| {
            let mut req = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(token)
                .header(reqwest::header::ACCEPT, "application/json");
            if let Some(b) = body {
                req = req.json(b);
            }
            if let Some(uid) = uid {
                req = req.header("uid", uid);
            }
            req
        };
        let token = self.token().await?;
        let reply = http::send(build(&token), &op).await?;
        if matches!(reply.status, 401 | 403) {
            let token = self.fresh_token().await?;
            return http::send(build(&token), &op).await;
        }
        Ok(reply)
    }
}

/// `METHOD /path` with identifiers left out, for error rows and logs (no personal data in logs).
pub fn operation(method: &Method, path: &str) -> String {
    let shape: Vec<&str> = path
        .split('/')
        .map(|seg| match seg {
            "rightholders"
            | "smartcard"
            | "closed-rightholders"
            | "crous"
            | "organization"
            | "" => seg,
            _ => "{id}",
        })
        .collect();
    format!("{method} {PREFIX}{}", shape.join("/"))
}

/// The error body's code and message, or the status.
pub fn describe(reply: &Reply) -> String {
    let ApiError { code, message, .. } = api_error(&reply.body);
    match code {
        Some(c) => format!("{c} {message}"),
        None if message.is_empty() => format!("HTTP {}", reply.status),
        None => message,
    }
}

/// A refused call as an error: transient (429, 5xx: retried) or for a manager, with the API's code when the
/// body gives one, else the status.
pub fn refused(reply: &Reply, op: &str) -> RemoteError {
    http::transient(reply, op, describe(reply)).unwrap_or_else(|| {
        let code = api_error(&reply.body)
            .code
            .unwrap_or_else(|| format!("HTTP {}", reply.status));
        RemoteError::new(Class::Human, &code, describe(reply), op)
    })
}

/// Encodes one path segment (identifiers may hold `@`, spaces…).
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_hide_identifiers() {
        assert_eq!(
            operation(
                &Method::PATCH,
                "/rightholders/jdupont@univ.fr/smartcard/99990001"
            ),
            "PATCH /beforeizly/v1/rightholders/{id}/smartcard/{id}"
        );
        assert_eq!(
            operation(&Method::GET, "/crous/12/organization/0123456Y"),
            "GET /beforeizly/v1/crous/{id}/organization/{id}"
        );
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(segment("a b/c@d.fr"), "a%20b%2Fc@d.fr");
        assert_eq!(segment("é"), "%C3%A9");
    }
}
