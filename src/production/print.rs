//! Sending card PDFs to printers. A [`Printer`] takes a job, reports its state and cancels it; the
//! two kinds are an IPP printer ([`IppPrinter`]: a CUPS queue or any IPP Everywhere printer, see
//! `ipp::client`) and a PDF file ([`PdfFilePrinter`], "save as PDF", always available).
//!
//! The card workflow needs the printer's own word on a job: a card is PRINTED only when the job is
//! `Completed`, and a cancelled or aborted job keeps the card IN_PRINT with the printer's message
//! (issue "Card production", point 4). So [`JobStatus`] carries the RFC 8011 job state, its reasons
//! and the printer's message, and [`wait`] polls until the job reaches a final state.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use thiserror::Error;

pub use super::ipp::client::{IppPrinter, system_printers};

/// What can go wrong while printing. `status` fields hold the IPP status keyword (RFC 8011 §B.1,
/// e.g. `client-error-not-authorized`) and `message` the printer's `status-message`, shown to the
/// operator as the printer wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PrintError {
    #[error("invalid printer address {uri}: {reason}")]
    InvalidUri { uri: String, reason: String },
    /// A printer address this build cannot use (`ipps://`, `https://`).
    #[error("{uri}: {what} is not supported")]
    Unsupported { uri: String, what: String },
    #[error("cannot reach the printer {uri}: {message}")]
    Unreachable { uri: String, message: String },
    #[error("the printer {uri} did not answer in time")]
    Timeout { uri: String },
    /// An HTTP error before IPP (404: no such queue, 401: authentication required).
    #[error("the printer {uri} answered HTTP {status} {reason}")]
    Http {
        uri: String,
        status: u16,
        reason: String,
    },
    #[error("the printer {uri} sent an invalid answer: {message}")]
    Protocol { uri: String, message: String },
    /// `document-format-supported` lacks application/pdf.
    #[error("the printer {uri} does not accept PDF (it accepts: {})", formats.join(", "))]
    PdfNotAccepted { uri: String, formats: Vec<String> },
    /// `printer-is-accepting-jobs` is false, or server-error-not-accepting-jobs.
    #[error("the printer {uri} does not accept jobs now: {}", message.as_deref().unwrap_or("-"))]
    NotAccepting {
        uri: String,
        message: Option<String>,
    },
    /// More copies than `copies-supported` allows (1 when the printer does not support copies).
    #[error("the printer {uri} cannot print {copies} copies (at most {max})")]
    Copies { uri: String, copies: u32, max: u32 },
    /// client-error-forbidden, -not-authenticated, -not-authorized.
    #[error("{uri}: {status}: {}", message.as_deref().unwrap_or("-"))]
    NotAuthorized {
        uri: String,
        status: String,
        message: Option<String>,
    },
    /// client-error-not-found, -gone: no such queue, or the job was purged.
    #[error("{uri}: {status}: {}", message.as_deref().unwrap_or("-"))]
    NotFound {
        uri: String,
        status: String,
        message: Option<String>,
    },
    /// The document itself was refused: format not supported, format error, too large.
    #[error("{uri}: {status}: {}", message.as_deref().unwrap_or("-"))]
    DocumentRejected {
        uri: String,
        status: String,
        message: Option<String>,
    },
    /// Any other client-error-* (not possible, bad request, unsupported attributes…).
    #[error("{uri}: {status}: {}", message.as_deref().unwrap_or("-"))]
    Rejected {
        uri: String,
        status: String,
        message: Option<String>,
    },
    /// A temporary server-error-* (service unavailable, temporary error, busy): retry later.
    #[error("{uri}: {status}: {}", message.as_deref().unwrap_or("-"))]
    Busy {
        uri: String,
        status: String,
        message: Option<String>,
    },
    /// Any other server-error-* (internal error, device error, operation not supported…).
    #[error("{uri}: {status}: {}", message.as_deref().unwrap_or("-"))]
    PrinterFailure {
        uri: String,
        status: String,
        message: Option<String>,
    },
    /// No CUPS answers at `server`: the GUI says "no print service".
    #[error("no print service at {server}: {message}")]
    NoPrintService { server: String, message: String },
    #[error("{printer} has no job {job_id}")]
    UnknownJob { printer: String, job_id: i32 },
    /// The job is finished and can no longer be cancelled (a PDF already written).
    #[error("{printer}: job {job_id} is finished and cannot be cancelled")]
    CannotCancel { printer: String, job_id: i32 },
    #[error("cannot write {path}: {message}")]
    File { path: PathBuf, message: String },
    /// [`wait`] gave up; the job is still in `state` and may finish later.
    #[error("job {job_id} still {state:?} when the wait ended")]
    WaitTimeout { job_id: i32, state: JobState },
}

/// A printer: a CUPS queue or IPP printer, or a PDF file.
pub trait Printer: Send + Sync {
    /// The URI, or `pdf:<path>`.
    fn id(&self) -> String;
    /// Sends the PDF (IPP Print-Job).
    fn submit(&self, job: &PrintJob<'_>) -> Result<Submitted, PrintError>;
    /// The job's state (IPP Get-Job-Attributes).
    fn status(&self, job: &Submitted) -> Result<JobStatus, PrintError>;
    /// Cancels the job (IPP Cancel-Job).
    fn cancel(&self, job: &Submitted) -> Result<(), PrintError>;
}

#[derive(Debug, Clone, Copy)]
pub struct PrintJob<'a> {
    /// `job-name`, shown in the printer's queue (not personal data: e.g. "cards 2025-09 #3").
    pub name: &'a str,
    /// `requesting-user-name`: the operator's login. CUPS lets only the same user (or an admin)
    /// cancel the job, so [`Submitted`] keeps it.
    pub user: &'a str,
    pub pdf: &'a [u8],
    /// Sent as `copies` only when it is above 1 (0 counts as 1).
    pub copies: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub job_id: i32,
    pub job_uri: Option<String>,
    /// The `requesting-user-name` the job was sent with, sent again to query and cancel it.
    pub user: String,
}

/// RFC 8011 §5.3.7 job-state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    Pending,
    Held,
    Processing,
    Stopped,
    Canceled,
    Aborted,
    Completed,
}

impl JobState {
    /// The job-state enum value (3 to 9).
    pub fn from_ipp(value: i32) -> Option<JobState> {
        Some(match value {
            3 => JobState::Pending,
            4 => JobState::Held,
            5 => JobState::Processing,
            6 => JobState::Stopped,
            7 => JobState::Canceled,
            8 => JobState::Aborted,
            9 => JobState::Completed,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStatus {
    pub state: JobState,
    /// `job-state-reasons` without the `none` placeholder.
    pub reasons: Vec<String>,
    /// `job-state-message`, else `job-printer-state-message`: what the printer says, e.g. why a
    /// job was aborted.
    pub message: Option<String>,
}

impl JobStatus {
    /// Canceled, aborted and completed jobs never change again (RFC 8011 §5.3.7).
    pub fn is_final(&self) -> bool {
        matches!(
            self.state,
            JobState::Canceled | JobState::Aborted | JobState::Completed
        )
    }
}

/// RFC 8011 §5.4.11 printer-state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrinterState {
    Idle,
    Processing,
    Stopped,
}

impl PrinterState {
    pub fn from_ipp(value: i32) -> Option<PrinterState> {
        Some(match value {
            3 => PrinterState::Idle,
            4 => PrinterState::Processing,
            5 => PrinterState::Stopped,
            _ => return None,
        })
    }
}

/// What Settings → Printers shows of a printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterInfo {
    pub uri: String,
    pub name: String,
    pub info: Option<String>,
    pub location: Option<String>,
    pub make_and_model: Option<String>,
    pub state: PrinterState,
    /// `printer-state-reasons` without `none` (e.g. `media-empty-error`, `toner-low-report`).
    pub state_reasons: Vec<String>,
    pub state_message: Option<String>,
    pub accepting_jobs: bool,
    /// `document-format-supported`.
    pub formats: Vec<String>,
    /// `media-supported`.
    pub media: Vec<String>,
}

impl PrinterInfo {
    pub fn accepts_pdf(&self) -> bool {
        self.formats
            .iter()
            .any(|f| f.eq_ignore_ascii_case("application/pdf"))
    }
}

/// Errors worth another poll: the printer may be rebooting or busy for a moment.
fn transient(e: &PrintError) -> bool {
    matches!(
        e,
        PrintError::Unreachable { .. } | PrintError::Timeout { .. } | PrintError::Busy { .. }
    )
}

/// Polls until a final state or the timeout; the callback sees each intermediate status (for
/// progress UI). Unreachable or busy printers are polled again until the timeout, then the last
/// such error is returned; other errors end the wait at once.
pub fn wait(
    printer: &dyn Printer,
    job: &Submitted,
    poll: Duration,
    timeout: Duration,
    on: &mut dyn FnMut(&JobStatus),
) -> Result<JobStatus, PrintError> {
    let deadline = Instant::now() + timeout;
    let mut last_state = JobState::Pending;
    loop {
        let outcome = match printer.status(job) {
            Ok(s) if s.is_final() => return Ok(s),
            Ok(s) => {
                last_state = s.state;
                on(&s);
                None
            }
            Err(e) if transient(&e) => Some(e),
            Err(e) => return Err(e),
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(outcome.unwrap_or(PrintError::WaitTimeout {
                job_id: job.job_id,
                state: last_state,
            }));
        }
        std::thread::sleep(poll.min(deadline - now));
    }
}

/// "Save as PDF": each job writes the PDF to the file, atomically (a temporary file in the same
/// folder, then a rename), so a reader never sees half a file and a failure leaves any previous
/// file intact. Its jobs are completed as soon as submitted.
#[derive(Debug)]
pub struct PdfFilePrinter {
    path: PathBuf,
    next_job: AtomicI32,
    /// The jobs whose file was written: the only ones status() knows.
    written: Mutex<Vec<i32>>,
}

impl PdfFilePrinter {
    pub fn new(path: PathBuf) -> PdfFilePrinter {
        PdfFilePrinter {
            path,
            next_job: AtomicI32::new(1),
            written: Mutex::new(Vec::new()),
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn known(&self, job: &Submitted) -> Result<(), PrintError> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        if written.contains(&job.job_id) {
            Ok(())
        } else {
            Err(PrintError::UnknownJob {
                printer: self.id(),
                job_id: job.job_id,
            })
        }
    }

    fn write(&self, pdf: &[u8], job_id: i32) -> Result<(), PrintError> {
        write_atomic(&self.path, pdf, &job_id.to_string()).map_err(|e| PrintError::File {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }
}

/// Writes a file atomically: a hidden temporary file in the same folder (named with the process and
/// `tag`), synced, then renamed over `path`; on failure the temporary file is removed and any earlier
/// file stays intact. Used for PDFs "printed" to a file and for delivery slips.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8], tag: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}-{tag}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let written = fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

impl Printer for PdfFilePrinter {
    fn id(&self) -> String {
        format!("pdf:{}", self.path.display())
    }

    fn submit(&self, job: &PrintJob<'_>) -> Result<Submitted, PrintError> {
        // The id is taken first so concurrent jobs use different temporary files.
        let job_id = self.next_job.fetch_add(1, Ordering::SeqCst);
        self.write(job.pdf, job_id)?;
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(job_id);
        Ok(Submitted {
            job_id,
            job_uri: None,
            user: job.user.to_string(),
        })
    }

    fn status(&self, job: &Submitted) -> Result<JobStatus, PrintError> {
        self.known(job)?;
        Ok(JobStatus {
            state: JobState::Completed,
            reasons: vec!["job-completed-successfully".into()],
            message: None,
        })
    }

    fn cancel(&self, job: &Submitted) -> Result<(), PrintError> {
        self.known(job)?;
        Err(PrintError::CannotCancel {
            printer: self.id(),
            job_id: job.job_id,
        })
    }
}

#[cfg(test)]
#[path = "print_tests.rs"]
mod tests;
