//! The HTTP/1.1 wire side of [`super::HttpFake`]: reading requests (head, `Content-Length` body,
//! keep-alive rules) and writing responses. Never panics on what a client sends.

use std::io;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{Handler, MAX_BODY, MAX_HEAD, Reply, Request, Response, decode};

/// A parsed request and what the connection must do after answering it.
struct Incoming {
    request: Request,
    keep_alive: bool,
}

/// Why reading a request stopped without a request.
enum ReadEnd {
    /// The client closed the connection (or reset it).
    Closed,
    /// The request is malformed: answer this and close.
    Reject(u16, &'static str),
}

pub(super) async fn connection(mut stream: TcpStream, handler: Handler) {
    let mut buffer = Vec::with_capacity(8192);
    loop {
        let incoming = match read_request(&mut stream, &mut buffer).await {
            Ok(incoming) => incoming,
            Err(ReadEnd::Closed) => return,
            Err(ReadEnd::Reject(status, message)) => {
                let response = Response::empty(status).with_header("content-type", "text/plain");
                let response = Response {
                    body: message.as_bytes().to_vec(),
                    ..response
                };
                let _ = write_response(&mut stream, &response, true, false).await;
                return;
            }
        };
        let head_only = incoming.request.method == "HEAD";
        let response = match handler(&incoming.request) {
            Reply::Now(response) => response,
            Reply::After(delay, response) => {
                tokio::time::sleep(delay).await;
                response
            }
            Reply::Drop => return,
        };
        let close = !incoming.keep_alive
            || response
                .headers
                .iter()
                .any(|(n, v)| n.eq_ignore_ascii_case("connection") && has_token(v, "close"));
        if write_response(&mut stream, &response, close, head_only)
            .await
            .is_err()
            || close
        {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

fn find_head_end(buffer: &[u8], from: usize) -> Option<usize> {
    let start = from.saturating_sub(3);
    buffer
        .get(start..)?
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| start + p + 4)
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<(), ReadEnd> {
    let mut chunk = [0u8; 16 * 1024];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => Err(ReadEnd::Closed),
        Ok(n) => {
            buffer.extend_from_slice(chunk.get(..n).unwrap_or_default());
            Ok(())
        }
    }
}

async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Incoming, ReadEnd> {
    let mut searched = 0;
    let head_end = loop {
        if let Some(end) = find_head_end(buffer, searched) {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err(ReadEnd::Reject(431, "request head too large"));
        }
        searched = buffer.len();
        read_more(stream, buffer).await?;
    };
    let head = String::from_utf8_lossy(buffer.get(..head_end).unwrap_or_default()).into_owned();
    let (mut request, version) = parse_head(&head)?;
    if request.header("transfer-encoding").is_some() {
        return Err(ReadEnd::Reject(
            501,
            "chunked request bodies are not supported",
        ));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| ReadEnd::Reject(400, "bad Content-Length"))?,
    };
    if length > MAX_BODY {
        return Err(ReadEnd::Reject(413, "request body too large"));
    }
    let total = head_end + length;
    while buffer.len() < total {
        read_more(stream, buffer).await?;
    }
    request.body = buffer.get(head_end..total).unwrap_or_default().to_vec();
    buffer.drain(..total);
    let connection = request.header("connection").unwrap_or("");
    let keep_alive = if version == "HTTP/1.0" {
        has_token(connection, "keep-alive")
    } else {
        !has_token(connection, "close")
    };
    Ok(Incoming {
        request,
        keep_alive,
    })
}

fn has_token(value: &str, token: &str) -> bool {
    value
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

fn parse_head(head: &str) -> Result<(Request, String), ReadEnd> {
    let bad = ReadEnd::Reject(400, "malformed request");
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad);
    };
    if method.is_empty()
        || !method.bytes().all(|b| b.is_ascii_uppercase())
        || !version.starts_with("HTTP/1.")
        || !target.starts_with(['/', 'h'])
    {
        return Err(bad);
    }
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad);
        };
        if name.is_empty() || name.contains(' ') {
            return Err(bad);
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    // Absolute form (`http://host/path`) as a proxy client would send it.
    let target = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/"),
        None => target,
    };
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name, true), decode(value, true))
        })
        .collect();
    let request = Request {
        method: method.to_string(),
        path: decode(path, false),
        query,
        headers,
        body: Vec::new(),
    };
    Ok((request, version.to_string()))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        423 => "Locked",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

async fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    close: bool,
    head_only: bool,
) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        if !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("connection")
        {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    // 204 and 304 carry neither a body nor a length (RFC 9110 §8.6).
    let bodiless = matches!(response.status, 204 | 304);
    if !bodiless {
        out.push_str(&format!("content-length: {}\r\n", response.body.len()));
    }
    if close {
        out.push_str("connection: close\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !bodiless && !head_only {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes).await?;
    stream.flush().await
}
