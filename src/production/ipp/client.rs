//! The IPP client behind [`IppPrinter`] and [`system_printers`]: printer URIs, the four operations
//! printing needs (Get-Printer-Attributes, Print-Job, Get-Job-Attributes, Cancel-Job, RFC 8011 §4)
//! and CUPS-Get-Printers, with IPP status codes mapped to [`PrintError`].

use std::sync::atomic::{AtomicI32, Ordering};

use super::http::{self, HttpError, Target, Timeouts};
use super::{Group, Message, Value, group, op, status_keyword, tag};
use crate::production::print::{
    JobState, JobStatus, PrintError, PrintJob, Printer, PrinterInfo, PrinterState, Submitted,
};

/// The IPP port (RFC 8010 §8.1), the default of `ipp://` URIs and of CUPS.
pub const IPP_PORT: u16 = 631;
const PDF: &str = "application/pdf";
/// RFC 8011 §5.1.2/5.1.3: names and texts sent to a printer are at most 255 octets.
const MAX_NAME: usize = 255;

/// The attributes [`PrinterInfo`] is made of.
const INFO_ATTRIBUTES: &[&str] = &[
    "printer-name",
    "printer-info",
    "printer-location",
    "printer-make-and-model",
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
    "document-format-supported",
    "media-supported",
];

/// A parsed printer URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterUri {
    pub target: Target,
    /// The HTTP request path (`/ipp/print`, `/printers/queue`).
    pub path: String,
    /// The `printer-uri` operation attribute: the URI itself for `ipp://`, its `ipp://` form with
    /// an explicit port for `http://`.
    pub printer_uri: String,
}

/// Parses `ipp://host[:port]/path` (port 631 by default) or `http://host[:port]/path` (port 80).
/// `ipps://` and `https://` are refused with [`PrintError::Unsupported`]: printers mostly present
/// self-signed certificates, and CUPS queues are reached on localhost without TLS.
pub fn parse_uri(uri: &str) -> Result<PrinterUri, PrintError> {
    let invalid = |reason: &str| PrintError::InvalidUri {
        uri: uri.to_string(),
        reason: reason.to_string(),
    };
    let trimmed = uri.trim();
    let (scheme, rest) = trimmed
        .split_once("://")
        .ok_or_else(|| invalid("expected ipp://host/path"))?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "ipp" => IPP_PORT,
        "http" => 80,
        "ipps" | "https" => {
            return Err(PrintError::Unsupported {
                uri: uri.to_string(),
                what: format!("{scheme}:// (IPP over TLS)"),
            });
        }
        _ => return Err(invalid("the scheme must be ipp:// or http://")),
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    if authority.contains('@') {
        return Err(invalid("user names in the address are not supported"));
    }
    let (host, port) = split_host_port(authority, default_port).map_err(|r| invalid(&r))?;
    if path.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err(invalid("spaces or control characters in the path"));
    }
    let target = Target::Tcp { host, port };
    let printer_uri = if scheme == "ipp" {
        trimmed.to_string()
    } else {
        format!("ipp://{}{path}", target.label())
    };
    Ok(PrinterUri {
        target,
        path,
        printer_uri,
    })
}

/// `host`, `host:port`, `[v6]`, `[v6]:port`.
fn split_host_port(authority: &str, default_port: u16) -> Result<(String, u16), String> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']').ok_or("unclosed [ in the host name")?;
        match after.strip_prefix(':') {
            Some(p) => (host, Some(p)),
            None if after.is_empty() => (host, None),
            None => return Err("unexpected characters after the host".into()),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty()
        || host
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control() || b == b'/')
    {
        return Err("missing or invalid host name".into());
    }
    let port = match port {
        None | Some("") => default_port,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| format!("invalid port {p:.10}"))?,
    };
    Ok((host.to_string(), port))
}

/// A printer reached by IPP: a CUPS queue (`ipp://localhost:631/printers/<queue>`) or a network
/// printer (`ipp://printer.example.org/ipp/print`). Blocking: the GUI calls it from a blocking task.
#[derive(Debug)]
pub struct IppPrinter {
    uri: String,
    parsed: PrinterUri,
    timeouts: Timeouts,
    next_request: AtomicI32,
}

impl IppPrinter {
    pub fn new(uri: &str) -> Result<IppPrinter, PrintError> {
        Ok(IppPrinter {
            uri: uri.trim().to_string(),
            parsed: parse_uri(uri)?,
            timeouts: Timeouts::default(),
            next_request: AtomicI32::new(1),
        })
    }

    /// Connect and per-read/write timeouts (5 s and 30 s by default).
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> IppPrinter {
        self.timeouts = timeouts;
        self
    }

    /// The printer's description and state (Get-Printer-Attributes).
    pub fn attributes(&self) -> Result<PrinterInfo, PrintError> {
        let printer = self.printer_attributes(INFO_ATTRIBUTES)?;
        printer_info(&printer, self.uri.clone(), &self.uri)
    }

    fn request(&self, operation: u16) -> Message {
        let id = self.next_request.fetch_add(1, Ordering::Relaxed);
        Message::request(operation, id, &self.parsed.printer_uri)
    }

    fn printer_attributes(&self, names: &[&str]) -> Result<Group, PrintError> {
        let mut m = self.request(op::GET_PRINTER_ATTRIBUTES);
        m.push(group::OPERATION, "requested-attributes", keywords(names));
        let response = call(
            &self.parsed.target,
            &self.parsed.path,
            &m,
            &[],
            self.timeouts,
            &self.uri,
        )?;
        Ok(response.group(group::PRINTER).cloned().unwrap_or(Group {
            tag: group::PRINTER,
            attributes: Vec::new(),
        }))
    }

    fn job_request(&self, operation: u16, job: &Submitted) -> Message {
        let mut m = self.request(operation);
        m.push(group::OPERATION, "job-id", vec![Value::Integer(job.job_id)]);
        m.push(
            group::OPERATION,
            "requesting-user-name",
            vec![name_value(&job.user)],
        );
        m
    }

    fn send(&self, m: &Message, data: &[u8]) -> Result<Message, PrintError> {
        call(
            &self.parsed.target,
            &self.parsed.path,
            m,
            data,
            self.timeouts,
            &self.uri,
        )
    }
}

impl Printer for IppPrinter {
    fn id(&self) -> String {
        self.uri.clone()
    }

    /// Checks that the printer takes PDF, accepts jobs and supports the copies asked, then sends
    /// Print-Job with the document.
    fn submit(&self, job: &PrintJob<'_>) -> Result<Submitted, PrintError> {
        let printer = self.printer_attributes(&[
            "document-format-supported",
            "printer-is-accepting-jobs",
            "printer-state-message",
            "copies-supported",
        ])?;
        let formats = printer.strs("document-format-supported");
        if !formats.iter().any(|f| f.eq_ignore_ascii_case(PDF)) {
            return Err(PrintError::PdfNotAccepted {
                uri: self.uri.clone(),
                formats,
            });
        }
        if printer.bool("printer-is-accepting-jobs") == Some(false) {
            return Err(PrintError::NotAccepting {
                uri: self.uri.clone(),
                message: non_empty(printer.str("printer-state-message")),
            });
        }
        let copies = job.copies.max(1);
        if copies > 1 {
            let max = match printer
                .get("copies-supported")
                .and_then(|a| a.values.first())
            {
                Some(Value::Range(_, hi)) => u32::try_from(*hi).unwrap_or(1),
                Some(Value::Integer(hi)) => u32::try_from(*hi).unwrap_or(1),
                _ => 1,
            };
            if copies > max {
                return Err(PrintError::Copies {
                    uri: self.uri.clone(),
                    copies,
                    max,
                });
            }
        }
        let user = if job.user.trim().is_empty() {
            "guichet"
        } else {
            job.user
        };
        let mut m = self.request(op::PRINT_JOB);
        m.push(
            group::OPERATION,
            "requesting-user-name",
            vec![name_value(user)],
        );
        m.push(group::OPERATION, "job-name", vec![name_value(job.name)]);
        m.push(
            group::OPERATION,
            "document-format",
            vec![Value::Str(tag::MIME_MEDIA_TYPE, PDF.into())],
        );
        if copies > 1 {
            let n = i32::try_from(copies).unwrap_or(i32::MAX);
            m.push(group::JOB, "copies", vec![Value::Integer(n)]);
        }
        let response = self.send(&m, job.pdf)?;
        let job_group = response.group(group::JOB);
        let job_id =
            job_group
                .and_then(|g| g.int("job-id"))
                .ok_or_else(|| PrintError::Protocol {
                    uri: self.uri.clone(),
                    message: "Print-Job answer without job-id".into(),
                })?;
        Ok(Submitted {
            job_id,
            job_uri: job_group.and_then(|g| g.str("job-uri")).map(str::to_string),
            user: user.to_string(),
        })
    }

    fn status(&self, job: &Submitted) -> Result<JobStatus, PrintError> {
        let mut m = self.job_request(op::GET_JOB_ATTRIBUTES, job);
        m.push(
            group::OPERATION,
            "requested-attributes",
            keywords(&[
                "job-state",
                "job-state-reasons",
                "job-state-message",
                "job-printer-state-message",
            ]),
        );
        let response = self.send(&m, &[])?;
        let protocol = |message: String| PrintError::Protocol {
            uri: self.uri.clone(),
            message,
        };
        let g = response
            .group(group::JOB)
            .ok_or_else(|| protocol("Get-Job-Attributes answer without job attributes".into()))?;
        let raw = g
            .int("job-state")
            .ok_or_else(|| protocol("no job-state".into()))?;
        let state =
            JobState::from_ipp(raw).ok_or_else(|| protocol(format!("unknown job-state {raw}")))?;
        Ok(JobStatus {
            state,
            reasons: without_none(g.strs("job-state-reasons")),
            message: non_empty(g.str("job-state-message"))
                .or_else(|| non_empty(g.str("job-printer-state-message"))),
        })
    }

    fn cancel(&self, job: &Submitted) -> Result<(), PrintError> {
        let m = self.job_request(op::CANCEL_JOB, job);
        self.send(&m, &[]).map(|_| ())
    }
}

/// The print queues of the CUPS server `server` (`host[:port]`, or a socket path such as
/// `/run/cups/cups.sock`), else `$CUPS_SERVER`, else `localhost:631` (CUPS-Get-Printers). When no
/// CUPS answers, the error is [`PrintError::NoPrintService`].
pub fn system_printers(server: Option<&str>) -> Result<Vec<PrinterInfo>, PrintError> {
    let env = std::env::var("CUPS_SERVER").ok();
    let server = server
        .or(env.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("localhost");
    let target = cups_target(server)?;
    let label = target.label();
    let mut m = Message::new(op::CUPS_GET_PRINTERS, 1);
    m.push(
        group::OPERATION,
        "requested-attributes",
        keywords(&[&["printer-uri-supported"], INFO_ATTRIBUTES].concat()),
    );
    let response =
        call(&target, "/", &m, &[], Timeouts::default(), &label).map_err(|e| match e {
            PrintError::Unreachable { message, .. } => PrintError::NoPrintService {
                server: label.clone(),
                message,
            },
            PrintError::Timeout { .. } => PrintError::NoPrintService {
                server: label.clone(),
                message: "no answer".into(),
            },
            other => other,
        })?;
    let host = match &target {
        Target::Tcp { .. } => label.clone(),
        Target::Unix(_) => format!("localhost:{IPP_PORT}"),
    };
    response
        .groups
        .iter()
        .filter(|g| g.tag == group::PRINTER)
        .map(|g| {
            let uris = g.strs("printer-uri-supported");
            let uri = uris
                .iter()
                .find(|u| u.starts_with("ipp://"))
                .or(uris.first())
                .cloned()
                .unwrap_or_else(|| {
                    format!(
                        "ipp://{host}/printers/{}",
                        g.str("printer-name").unwrap_or_default()
                    )
                });
            printer_info(g, uri, &label)
        })
        .collect()
}

/// `CUPS_SERVER` forms: `host`, `host:port`, `[v6]:port`, `/path/to/socket`; a trailing
/// `/version=1.1` (libcups syntax) is ignored.
fn cups_target(server: &str) -> Result<Target, PrintError> {
    if server.starts_with('/') {
        return Ok(Target::Unix(server.into()));
    }
    let authority = server.split('/').next().unwrap_or_default();
    let (host, port) =
        split_host_port(authority, IPP_PORT).map_err(|reason| PrintError::InvalidUri {
            uri: server.to_string(),
            reason,
        })?;
    Ok(Target::Tcp { host, port })
}

fn printer_info(g: &Group, uri: String, label: &str) -> Result<PrinterInfo, PrintError> {
    let raw = g.int("printer-state").ok_or_else(|| PrintError::Protocol {
        uri: label.to_string(),
        message: "no printer-state".into(),
    })?;
    let state = PrinterState::from_ipp(raw).ok_or_else(|| PrintError::Protocol {
        uri: label.to_string(),
        message: format!("unknown printer-state {raw}"),
    })?;
    Ok(PrinterInfo {
        uri,
        name: g.str("printer-name").unwrap_or_default().to_string(),
        info: non_empty(g.str("printer-info")),
        location: non_empty(g.str("printer-location")),
        make_and_model: non_empty(g.str("printer-make-and-model")),
        state,
        state_reasons: without_none(g.strs("printer-state-reasons")),
        state_message: non_empty(g.str("printer-state-message")),
        // Required by RFC 8011 §5.4.23; a printer that omits it is taken at its word that it
        // prints (the Print-Job answer says otherwise if not).
        accepting_jobs: g.bool("printer-is-accepting-jobs").unwrap_or(true),
        formats: g.strs("document-format-supported"),
        media: g.strs("media-supported"),
    })
}

/// One IPP exchange: the request (and document) over HTTP POST, the answer decoded, its status
/// mapped to an error unless successful.
pub fn call(
    target: &Target,
    path: &str,
    request: &Message,
    data: &[u8],
    timeouts: Timeouts,
    uri: &str,
) -> Result<Message, PrintError> {
    let protocol = |message: String| PrintError::Protocol {
        uri: uri.to_string(),
        message,
    };
    let header = request
        .encode_header()
        .map_err(|e| protocol(e.to_string()))?;
    let response = http::post(target, path, "application/ipp", &[&header, data], timeouts)
        .map_err(|e| http_error(e, uri))?;
    if response.status != 200 {
        return Err(PrintError::Http {
            uri: uri.to_string(),
            status: response.status,
            reason: response.reason,
        });
    }
    let message = Message::decode(&response.body).map_err(|e| protocol(e.to_string()))?;
    status_error(message.code, message.status_message(), uri).map_or(Ok(message), Err)
}

fn http_error(e: HttpError, uri: &str) -> PrintError {
    let uri = uri.to_string();
    match e {
        HttpError::Connect { message, .. } | HttpError::Io { message, .. } => {
            PrintError::Unreachable { uri, message }
        }
        HttpError::Timeout { .. } => PrintError::Timeout { uri },
        HttpError::Malformed(_) | HttpError::TooLarge => PrintError::Protocol {
            uri,
            message: e.to_string(),
        },
    }
}

/// RFC 8011 §B.1: successful codes are 0x0000–0x00FF; client errors 0x0400–0x04FF; server errors
/// 0x0500–0x05FF. `None` when the code is a success.
pub fn status_error(code: u16, message: Option<String>, uri: &str) -> Option<PrintError> {
    let uri = uri.to_string();
    let status = status_keyword(code).to_string();
    Some(match code {
        0x0000..=0x00FF => return None,
        0x0401..=0x0403 => PrintError::NotAuthorized {
            uri,
            status,
            message,
        },
        0x0406 | 0x0407 => PrintError::NotFound {
            uri,
            status,
            message,
        },
        0x0408 | 0x040A | 0x040F..=0x0412 => PrintError::DocumentRejected {
            uri,
            status,
            message,
        },
        0x0400..=0x04FF => PrintError::Rejected {
            uri,
            status,
            message,
        },
        0x0506 => PrintError::NotAccepting { uri, message },
        0x0502 | 0x0505 | 0x0507 => PrintError::Busy {
            uri,
            status,
            message,
        },
        0x0500..=0x05FF => PrintError::PrinterFailure {
            uri,
            status,
            message,
        },
        _ => PrintError::Protocol {
            uri,
            message: format!("unexpected IPP status 0x{code:04x}"),
        },
    })
}

fn keywords(names: &[&str]) -> Vec<Value> {
    names.iter().map(|n| Value::keyword(n)).collect()
}

/// A nameWithoutLanguage value cut to 255 octets on a character boundary.
fn name_value(s: &str) -> Value {
    let mut end = s.len().min(MAX_NAME);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Value::Str(tag::NAME, s.get(..end).unwrap_or_default().to_string())
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn without_none(v: Vec<String>) -> Vec<String> {
    v.into_iter().filter(|r| r != "none").collect()
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
