//! A minimal blocking HTTP/1.1 client for IPP (RFC 8010 §4: IPP rides on HTTP POST with
//! `Content-Type: application/ipp`). One request a connection (`Connection: close`), a
//! Content-Length request body, a response framed by Content-Length, chunked encoding or the end of
//! the connection. Every step has a timeout so a dead printer cannot hang the GUI's print task.
//!
//! The target is a TCP host and port, or (Unix) a local socket path, as `CUPS_SERVER` may name one.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use thiserror::Error;

/// The largest response accepted: a CUPS-Get-Printers answer for a big print room is a few hundred
/// kilobytes; this bounds the memory a broken server can make us use.
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// The longest status line or header line accepted.
const MAX_LINE: usize = 16 * 1024;
const MAX_HEADERS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HttpError {
    #[error("cannot connect to {target}: {message}")]
    Connect { target: String, message: String },
    #[error("{target} did not answer in time")]
    Timeout { target: String },
    #[error("connection to {target} failed: {message}")]
    Io { target: String, message: String },
    #[error("malformed HTTP response: {0}")]
    Malformed(String),
    #[error("HTTP response larger than {MAX_BODY} bytes")]
    TooLarge,
}

/// Where to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Tcp {
        host: String,
        port: u16,
    },
    /// A Unix domain socket (CUPS's `/run/cups/cups.sock`).
    Unix(std::path::PathBuf),
}

impl Target {
    /// The `Host` header: the host and port the URI names (CUPS checks it against its names).
    fn host_header(&self) -> String {
        match self {
            Target::Tcp { host, port } if host.contains(':') => format!("[{host}]:{port}"),
            Target::Tcp { host, port } => format!("{host}:{port}"),
            Target::Unix(_) => "localhost".into(),
        }
    }

    /// `host:port` (`[v6]:port`) or the socket path, for messages and `ipp://` URIs.
    pub fn label(&self) -> String {
        match self {
            Target::Tcp { .. } => self.host_header(),
            Target::Unix(p) => p.display().to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    /// Each read and each write (not the whole exchange): a printer receiving a large job keeps
    /// making progress.
    pub io: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(5),
            io: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// POSTs `body` (its parts sent one after the other, so a document is not copied) to `path`.
pub fn post(
    target: &Target,
    path: &str,
    content_type: &str,
    body: &[&[u8]],
    timeouts: Timeouts,
) -> Result<Response, HttpError> {
    let mut stream = connect(target, timeouts)?;
    let length: usize = body.iter().map(|b| b.len()).sum();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: \
         {length}\r\nConnection: close\r\nUser-Agent: guichet/{}\r\n\r\n",
        target.host_header(),
        env!("CARGO_PKG_VERSION"),
    );
    let io_error = |e: io::Error| map_io(target, e);
    let sent = std::iter::once(head.as_bytes())
        .chain(body.iter().copied())
        .try_for_each(|part| stream.write_all(part))
        .and_then(|()| stream.flush());
    // A server may answer (an error) and close before reading the whole body: its answer says more
    // than our broken pipe, so read it first.
    match (sent, read_response(&mut BufReader::new(stream), target)) {
        (_, Ok(r)) => Ok(r),
        (Err(e), Err(_)) => Err(io_error(e)),
        (Ok(()), Err(e)) => Err(e),
    }
}

fn connect(target: &Target, timeouts: Timeouts) -> Result<Box<dyn Stream>, HttpError> {
    let fail = |e: io::Error| HttpError::Connect {
        target: target.label(),
        message: e.to_string(),
    };
    match target {
        Target::Tcp { host, port } => {
            let addrs: Vec<_> = (host.as_str(), *port)
                .to_socket_addrs()
                .map_err(fail)?
                .collect();
            let mut last = io::Error::new(io::ErrorKind::NotFound, "no address for this host");
            for addr in addrs {
                match TcpStream::connect_timeout(&addr, timeouts.connect) {
                    Ok(s) => {
                        s.set_read_timeout(Some(timeouts.io)).map_err(fail)?;
                        s.set_write_timeout(Some(timeouts.io)).map_err(fail)?;
                        let _ = s.set_nodelay(true);
                        return Ok(Box::new(s));
                    }
                    Err(e) => last = e,
                }
            }
            Err(if is_timeout(&last) {
                HttpError::Timeout {
                    target: target.label(),
                }
            } else {
                fail(last)
            })
        }
        #[cfg(unix)]
        Target::Unix(path) => {
            let s = std::os::unix::net::UnixStream::connect(path).map_err(fail)?;
            s.set_read_timeout(Some(timeouts.io)).map_err(fail)?;
            s.set_write_timeout(Some(timeouts.io)).map_err(fail)?;
            Ok(Box::new(s))
        }
        #[cfg(not(unix))]
        Target::Unix(_) => Err(fail(io::Error::new(
            io::ErrorKind::Unsupported,
            "local sockets are not available on this system",
        ))),
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

fn map_io(target: &Target, e: io::Error) -> HttpError {
    if is_timeout(&e) {
        HttpError::Timeout {
            target: target.label(),
        }
    } else {
        HttpError::Io {
            target: target.label(),
            message: e.to_string(),
        }
    }
}

/// Reads one response, skipping interim 1xx responses (a server may send `100 Continue`).
fn read_response<R: BufRead>(r: &mut R, target: &Target) -> Result<Response, HttpError> {
    loop {
        let status_line = read_line(r, target)?.ok_or_else(|| {
            HttpError::Malformed("connection closed before the status line".into())
        })?;
        let (status, reason) = parse_status_line(&status_line)?;
        let mut headers = Vec::new();
        loop {
            let line = read_line(r, target)?
                .ok_or_else(|| HttpError::Malformed("connection closed in the headers".into()))?;
            if line.is_empty() {
                break;
            }
            if headers.len() >= MAX_HEADERS {
                return Err(HttpError::Malformed("too many headers".into()));
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| HttpError::Malformed(format!("header without colon: {line:.60}")))?;
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        if (100..200).contains(&status) {
            continue;
        }
        let mut response = Response {
            status,
            reason,
            headers,
            body: Vec::new(),
        };
        let chunked = response
            .header("Transfer-Encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        response.body = if chunked {
            read_chunked(r, target)?
        } else if let Some(len) = response.header("Content-Length") {
            let len: usize = len
                .parse()
                .map_err(|_| HttpError::Malformed(format!("Content-Length {len:.30}")))?;
            if len > MAX_BODY {
                return Err(HttpError::TooLarge);
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body).map_err(|e| map_io(target, e))?;
            body
        } else {
            read_to_end(r, target)?
        };
        return Ok(response);
    }
}

fn parse_status_line(line: &str) -> Result<(u16, String), HttpError> {
    let bad = || HttpError::Malformed(format!("status line {line:.60}"));
    let rest = line.strip_prefix("HTTP/1.").ok_or_else(bad)?;
    let mut parts = rest.splitn(3, ' ');
    let _minor = parts.next();
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..1000).contains(s))
        .ok_or_else(bad)?;
    Ok((status, parts.next().unwrap_or_default().trim().to_string()))
}

/// A line without its CRLF; `None` at the end of the stream before any byte.
fn read_line<R: BufRead>(r: &mut R, target: &Target) -> Result<Option<String>, HttpError> {
    let mut buf = Vec::new();
    let n = r
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut buf)
        .map_err(|e| map_io(target, e))?;
    if n == 0 {
        return Ok(None);
    }
    if buf.len() > MAX_LINE {
        return Err(HttpError::Malformed("line too long".into()));
    }
    while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        buf.pop();
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

fn read_to_end<R: Read>(r: &mut R, target: &Target) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    r.take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| map_io(target, e))?;
    if body.len() > MAX_BODY {
        return Err(HttpError::TooLarge);
    }
    Ok(body)
}

/// Decodes a chunked body (RFC 9112 §7.1): hexadecimal sizes with optional extensions, a zero
/// chunk, optional trailers, the final empty line.
pub fn read_chunked<R: BufRead>(r: &mut R, target: &Target) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(r, target)?
            .ok_or_else(|| HttpError::Malformed("chunked body ends without a last chunk".into()))?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| HttpError::Malformed(format!("chunk size {size_text:.20}")))?;
        if size == 0 {
            // Trailers up to the empty line; a server closing right after the zero chunk is
            // accepted.
            while let Some(l) = read_line(r, target)? {
                if l.is_empty() {
                    break;
                }
            }
            return Ok(body);
        }
        if body.len().saturating_add(size) > MAX_BODY {
            return Err(HttpError::TooLarge);
        }
        let start = body.len();
        body.resize(start + size, 0);
        let chunk = body
            .get_mut(start..)
            .ok_or_else(|| HttpError::Malformed("chunk".into()))?;
        r.read_exact(chunk).map_err(|e| {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                HttpError::Malformed("chunked body truncated".into())
            } else {
                map_io(target, e)
            }
        })?;
        match read_line(r, target)? {
            Some(l) if l.is_empty() => {}
            _ => return Err(HttpError::Malformed("chunk not followed by CRLF".into())),
        }
    }
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
