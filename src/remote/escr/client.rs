//! ESC-R v2 client: `Authorization: Bearer <key>` (the API key itself, §3.1), JSON both ways, error
//! bodies `{"code","message"}` (§3.5).

use std::time::Duration;

use reqwest::Method;
use serde::Serialize;

use crate::remote::error::RemoteError;
use crate::remote::http::{self, Reply};

#[derive(Clone)]
pub struct EscrSettings {
    pub api_url: String,
    pub key: String,
    pub timeout: Duration,
}

impl std::fmt::Debug for EscrSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EscrSettings")
            .field("api_url", &self.api_url)
            .finish_non_exhaustive()
    }
}

pub struct EscrClient {
    http: reqwest::Client,
    s: EscrSettings,
}

impl EscrClient {
    pub fn new(s: EscrSettings) -> Result<EscrClient, RemoteError> {
        Ok(EscrClient {
            http: http::client(s.timeout)?,
            s,
        })
    }

    pub async fn call<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Reply, RemoteError> {
        let url = format!("{}{path}", self.s.api_url.trim_end_matches('/'));
        let mut req = self
            .http
            .request(method.clone(), url)
            .bearer_auth(&self.s.key)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(b) = body {
            req = req.json(b);
        }
        http::send(req, &operation(&method, path)).await
    }
}

/// `METHOD /path` without identifiers.
pub fn operation(method: &Method, path: &str) -> String {
    let shape: Vec<&str> = path
        .split('/')
        .map(|seg| match seg {
            "persons" | "cards" | "status" | "" => seg,
            _ => "{id}",
        })
        .collect();
    format!("{method} {}", shape.join("/"))
}

/// The router's error code and message (`{"code","message"}`), if the body has them.
pub fn error_code(reply: &Reply) -> (Option<String>, String) {
    let v = reply.json();
    let code = v
        .as_ref()
        .and_then(|v| v.get("code")?.as_str().map(str::to_string));
    let message = v
        .as_ref()
        .and_then(|v| v.get("message")?.as_str().map(str::to_string))
        .unwrap_or_else(|| {
            String::from_utf8_lossy(&reply.body)
                .chars()
                .take(200)
                .collect()
        });
    (code, message)
}
