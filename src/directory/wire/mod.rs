//! The directory connection the sync and "Test connection" read through: LDAP over TCP, LDAPS or
//! StartTLS (rustls), a simple bind, and searches whose responses are decoded from the received bytes
//! in place ([`proto`]). Facts: reference crates.md §3.
//!
//! A full sync reads a few hundred megabytes of entries: decoding them straight into [`Entry`] values,
//! without an intermediate tree, is what keeps the reading side light. The socket is read only when the
//! caller asks for the next message, so a writer that lags slows the reading instead of filling memory
//! (at most one message and the socket's receive buffer are in flight). The write-back to the
//! directory (`remote::ldap_writeback`) keeps ldap3.

pub mod ber;
pub mod proto;

use std::ops::Range;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;

use self::proto::{Control, Message, Op, Outcome, Scope};
use super::client::{self, ConnectSettings, DirError};
use crate::config::TlsMode;

/// How much the read buffer grows by at least.
const READ_CHUNK: usize = 256 * 1024;

/// The socket, before or after TLS.
enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// One bound connection.
pub struct Conn {
    stream: Stream,
    url: String,
    /// Received bytes; `buf[start..]` is not consumed yet.
    buf: Vec<u8>,
    start: usize,
    next_id: i32,
    /// The operation whose responses [`Conn::next`] returns.
    current: i32,
    /// Longest wait for the server's next bytes.
    timeout: Duration,
}

/// Connects as `s` says (TLS verified against the system's authorities and the CA file), then binds
/// when a bind DN is set.
pub async fn connect(s: &ConnectSettings) -> Result<Conn, DirError> {
    let (host, _) = client::host_port(&s.url).ok_or_else(|| DirError::Unreachable {
        url: s.url.clone(),
        message: "not an ldap:// or ldaps:// address".into(),
    })?;
    let tcp = client::tcp_stream(&s.url, s.timeout)
        .await
        .map_err(|e| DirError::from_io(e, &s.url))?
        .ok_or_else(|| DirError::Unreachable {
            url: s.url.clone(),
            message: "not an ldap:// or ldaps:// address".into(),
        })?;
    let _ = tcp.set_nodelay(true);
    let mut conn = Conn {
        stream: Stream::Plain(tcp),
        url: s.url.clone(),
        buf: Vec::new(),
        start: 0,
        next_id: 1,
        current: 0,
        timeout: s.timeout,
    };
    if s.is_ldaps() {
        conn = conn.with_tls(s, &host).await?;
    } else if s.tls == TlsMode::Starttls {
        let id = conn.send(proto::starttls_request).await?;
        conn.current = id;
        let outcome = conn.result(proto::EXTENDED_RESPONSE).await?;
        if outcome.rc != 0 {
            return Err(DirError::Tls {
                url: s.url.clone(),
                message: format!(
                    "StartTLS refused: LDAP code {} {}",
                    outcome.rc, outcome.text
                ),
            });
        }
        conn = conn.with_tls(s, &host).await?;
    }
    if let Some(dn) = &s.bind_dn {
        let password = s.password.as_deref().unwrap_or("");
        let id = conn
            .send(|id| proto::bind_request(id, dn, password))
            .await?;
        conn.current = id;
        let outcome = conn.result(proto::BIND_RESPONSE).await?;
        if outcome.rc != 0 {
            return Err(DirError::bind_refused(dn, outcome.rc, outcome.text));
        }
    }
    Ok(conn)
}

impl Conn {
    /// The same connection with TLS on: the handshake, verified against the system's authorities and
    /// the CA file.
    async fn with_tls(self, s: &ConnectSettings, host: &str) -> Result<Conn, DirError> {
        let tls_err = |message: String| DirError::Tls {
            url: s.url.clone(),
            message,
        };
        let config: Arc<rustls::ClientConfig> = client::tls_config(s.ca_file.as_deref())?;
        let name = rustls_pki_types::ServerName::try_from(host.to_string())
            .map_err(|e| tls_err(e.to_string()))?;
        let Stream::Plain(tcp) = self.stream else {
            return Err(tls_err("TLS is already on".into()));
        };
        let connector = tokio_rustls::TlsConnector::from(config);
        let tls = tokio::time::timeout(s.timeout, connector.connect(name, tcp))
            .await
            .map_err(|_| DirError::Unreachable {
                url: s.url.clone(),
                message: "the TLS handshake timed out".into(),
            })?
            .map_err(|e| DirError::from_io(e, &s.url))?;
        Ok(Conn {
            stream: Stream::Tls(Box::new(tls)),
            buf: Vec::new(),
            start: 0,
            ..self
        })
    }

    /// Sends the request `make` builds with the next message id; returns that id.
    async fn send(&mut self, make: impl FnOnce(i32) -> Vec<u8>) -> Result<i32, DirError> {
        let id = self.next_id;
        self.next_id = if id == i32::MAX { 1 } else { id + 1 };
        let bytes = make(id);
        let write = async {
            self.stream.write_all(&bytes).await?;
            self.stream.flush().await
        };
        tokio::time::timeout(self.timeout, write)
            .await
            .map_err(|_| self.timed_out())?
            .map_err(|e| DirError::from_io(e, &self.url))?;
        Ok(id)
    }

    /// Starts a search; its responses come from [`Conn::next`].
    pub async fn search(
        &mut self,
        base: &str,
        scope: Scope,
        filter: &str,
        attrs: &[String],
        controls: &[Control],
    ) -> Result<(), DirError> {
        let encoded = proto::encode_filter(filter).ok_or_else(|| DirError::Ldap {
            op: "search",
            rc: 87,
            message: format!("invalid filter {filter}"),
        })?;
        self.current = self
            .send(|id| proto::search_request(id, base, scope, &encoded, attrs, controls))
            .await?;
        Ok(())
    }

    /// The bytes of the next message of the current operation, to read with [`Conn::message`].
    pub async fn next(&mut self) -> Result<Range<usize>, DirError> {
        loop {
            let range = self.read_message().await?;
            let id = {
                let m = self.message(range.clone())?;
                if m.id == 0 {
                    // An unsolicited notification: the server is closing (RFC 4511 §4.4.1).
                    let text = match m.op {
                        Op::Result(_, o) => o.text,
                        _ => String::new(),
                    };
                    return Err(DirError::Unreachable {
                        url: self.url.clone(),
                        message: format!("the directory closed the connection {text}")
                            .trim_end()
                            .to_string(),
                    });
                }
                m.id
            };
            if id == i64::from(self.current) {
                return Ok(range);
            }
        }
    }

    /// The message [`Conn::next`] returned.
    pub fn message(&self, range: Range<usize>) -> Result<Message<'_>, DirError> {
        proto::parse_message(&self.buf[range]).map_err(|e| DirError::Protocol(e.to_string()))
    }

    /// Waits for the result of the current operation, which must be a `tag` response.
    async fn result(&mut self, tag: u8) -> Result<Outcome, DirError> {
        let range = self.next().await?;
        match self.message(range)?.op {
            Op::Result(t, outcome) if t == tag => Ok(outcome),
            _ => Err(DirError::Protocol("unexpected response".into())),
        }
    }

    /// Reads until one whole message is in the buffer; returns its place.
    async fn read_message(&mut self) -> Result<Range<usize>, DirError> {
        loop {
            let pending = &self.buf[self.start..];
            let size = ber::element_size(pending).map_err(|e| DirError::Protocol(e.to_string()))?;
            if let Some(n) = size.filter(|&n| n <= pending.len()) {
                let range = self.start..self.start + n;
                self.start += n;
                return Ok(range);
            }
            // Keep only what is not consumed, then make room for the rest of the message.
            if self.start > 0 {
                self.buf.drain(..self.start);
                self.start = 0;
            }
            let missing = size.map_or(0, |n| n - self.buf.len());
            self.buf.reserve(missing.max(READ_CHUNK));
            let read =
                tokio::time::timeout(self.read_timeout(), self.stream.read_buf(&mut self.buf))
                    .await
                    .map_err(|_| self.timed_out())?
                    .map_err(|e| DirError::from_io(e, &self.url))?;
            if read == 0 {
                return Err(DirError::Unreachable {
                    url: self.url.clone(),
                    message: "the directory closed the connection".into(),
                });
            }
        }
    }

    /// Searches of large bases may keep the server busy a while before their first entry.
    fn read_timeout(&self) -> Duration {
        (self.timeout * 6).max(Duration::from_secs(60))
    }

    fn timed_out(&self) -> DirError {
        DirError::Unreachable {
            url: self.url.clone(),
            message: "the directory did not answer in time".into(),
        }
    }

    /// Ends the session politely; errors do not matter any more.
    pub async fn unbind(mut self) {
        let _ = self.send(proto::unbind_request).await;
        let _ = self.stream.shutdown().await;
    }
}

/// The value of the control `oid` among a message's controls.
pub fn control<'a>(controls: &[proto::ControlRef<'a>], oid: &[u8]) -> Option<&'a [u8]> {
    controls.iter().find(|c| c.oid == oid).and_then(|c| c.value)
}

/// `Ok` for a result that says success, else the server's code and message as the error of `op`.
pub fn succeeded(outcome: Outcome, op: &'static str) -> Result<(), DirError> {
    if outcome.rc == 0 {
        return Ok(());
    }
    Err(DirError::Ldap {
        op,
        rc: outcome.rc,
        message: outcome.text,
    })
}

/// The cookie of the paged results control among a search's result controls; empty when the server
/// sent none (no more pages).
pub fn paged_cookie(controls: &[proto::ControlRef<'_>]) -> Result<Vec<u8>, DirError> {
    let Some(value) = control(controls, proto::PAGED_OID.as_bytes()) else {
        return Ok(Vec::new());
    };
    proto::paged_cookie(value)
        .map(<[u8]>::to_vec)
        .map_err(|e| DirError::Protocol(e.to_string()))
}

#[cfg(test)]
mod tests;
