//! Self-tests of the fakes of tests/support (the HTTP server, CROUS/Izly, ESC-R), over loopback HTTP with
//! the real reqwest client, so that a regression in a fake is caught here rather than as a puzzling
//! failure of an integration test. Run: `cargo test --test fakes`.

mod support;

#[path = "fakes/crous.rs"]
mod crous;
#[path = "fakes/crous_cards.rs"]
mod crous_cards;
#[path = "fakes/escr.rs"]
mod escr;
#[path = "fakes/http.rs"]
mod http;

use std::time::Duration;

use serde_json::Value;

/// A due date far in the future, in the §2.4 format.
pub const FUTURE: &str = "2099-08-31T23:59:59.000Z";
/// A due date in the past.
pub const PAST: &str = "2001-01-01T00:00:00.000Z";

/// What a test looks at in an answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    /// The body as JSON; `Null` when empty or not JSON.
    pub json: Value,
}

pub fn client() -> reqwest::Client {
    client_with_timeout(Duration::from_secs(10))
}

pub fn client_with_timeout(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .expect("build a reqwest client")
}

/// Sends one request; the headers are `(name, value)` pairs, the body is sent as JSON.
pub async fn send(
    client: &reqwest::Client,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Result<Answer, reqwest::Error> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a valid method");
    let mut request = client.request(method, url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = response.bytes().await?;
    Ok(Answer {
        status,
        retry_after,
        json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    })
}

/// [`send`], failing the test on a transport error.
pub async fn call(
    client: &reqwest::Client,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Answer {
    send(client, method, url, headers, body)
        .await
        .unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

/// Checks that a fake is offline for this client: every request fails, and once the client's pooled
/// connections (closed by the fake when it went offline) are used up, with a connect error. The first
/// request on a pooled connection may fail otherwise: hyper writes it before it notices the close and
/// reports an incomplete message, as with a real server that goes down.
pub async fn assert_offline(client: &reqwest::Client, url: &str, headers: &[(&str, &str)]) {
    for _ in 0..5 {
        match send(client, "GET", url, headers, None).await {
            Ok(answer) => panic!("{url} answered {} while offline", answer.status),
            Err(e) if e.is_connect() => return,
            Err(_) => {}
        }
    }
    panic!("{url}: no connect error while offline");
}
