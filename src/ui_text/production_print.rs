//! Wording of printing: errors, job and printer states.

use crate::fl;
use crate::production::print::{JobState, JobStatus, PrintError, PrinterState};

/// The printer's own message, or a dash when it gave none.
fn said(message: &Option<String>) -> String {
    message.clone().unwrap_or_else(|| "—".into())
}

pub fn print_error(e: &PrintError) -> String {
    match e {
        PrintError::InvalidUri { uri, reason } => fl!(
            "err-print-invalid-uri",
            uri = uri.clone(),
            reason = reason.clone()
        ),
        PrintError::Unsupported { uri, what } => fl!(
            "err-print-unsupported",
            uri = uri.clone(),
            what = what.clone()
        ),
        PrintError::Unreachable { uri, message } => fl!(
            "err-print-unreachable",
            uri = uri.clone(),
            message = message.clone()
        ),
        PrintError::Timeout { uri } => fl!("err-print-timeout", uri = uri.clone()),
        PrintError::Http {
            uri,
            status,
            reason,
        } => fl!(
            "err-print-http",
            uri = uri.clone(),
            status = status.to_string(),
            reason = reason.clone()
        ),
        PrintError::Protocol { uri, message } => fl!(
            "err-print-protocol",
            uri = uri.clone(),
            message = message.clone()
        ),
        PrintError::PdfNotAccepted { uri, formats } => fl!(
            "err-print-pdf-not-accepted",
            uri = uri.clone(),
            formats = formats.join(", ")
        ),
        PrintError::NotAccepting { uri, message } => fl!(
            "err-print-not-accepting",
            uri = uri.clone(),
            message = said(message)
        ),
        PrintError::Copies { uri, copies, max } => fl!(
            "err-print-copies",
            uri = uri.clone(),
            copies = copies.to_string(),
            max = max.to_string()
        ),
        PrintError::NotAuthorized {
            uri,
            status,
            message,
        } => fl!(
            "err-print-not-authorized",
            uri = uri.clone(),
            status = status.clone(),
            message = said(message)
        ),
        PrintError::NotFound {
            uri,
            status,
            message,
        } => fl!(
            "err-print-not-found",
            uri = uri.clone(),
            status = status.clone(),
            message = said(message)
        ),
        PrintError::DocumentRejected {
            uri,
            status,
            message,
        } => fl!(
            "err-print-document-rejected",
            uri = uri.clone(),
            status = status.clone(),
            message = said(message)
        ),
        PrintError::Rejected {
            uri,
            status,
            message,
        } => fl!(
            "err-print-rejected",
            uri = uri.clone(),
            status = status.clone(),
            message = said(message)
        ),
        PrintError::Busy {
            uri,
            status,
            message,
        } => fl!(
            "err-print-busy",
            uri = uri.clone(),
            status = status.clone(),
            message = said(message)
        ),
        PrintError::PrinterFailure {
            uri,
            status,
            message,
        } => fl!(
            "err-print-printer-failure",
            uri = uri.clone(),
            status = status.clone(),
            message = said(message)
        ),
        PrintError::NoPrintService { server, message } => fl!(
            "err-print-no-service",
            server = server.clone(),
            message = message.clone()
        ),
        PrintError::UnknownJob { printer, job_id } => fl!(
            "err-print-unknown-job",
            printer = printer.clone(),
            job = job_id.to_string()
        ),
        PrintError::CannotCancel { printer, job_id } => fl!(
            "err-print-cannot-cancel",
            printer = printer.clone(),
            job = job_id.to_string()
        ),
        PrintError::File { path, message } => fl!(
            "err-print-file",
            path = path.display().to_string(),
            message = message.clone()
        ),
        PrintError::WaitTimeout { job_id, state } => fl!(
            "err-print-wait-timeout",
            job = job_id.to_string(),
            state = job_state(*state)
        ),
    }
}

pub fn job_state(s: JobState) -> String {
    match s {
        JobState::Pending => fl!("print-job-pending"),
        JobState::Held => fl!("print-job-held"),
        JobState::Processing => fl!("print-job-processing"),
        JobState::Stopped => fl!("print-job-stopped"),
        JobState::Canceled => fl!("print-job-canceled"),
        JobState::Aborted => fl!("print-job-aborted"),
        JobState::Completed => fl!("print-job-completed"),
    }
}

/// A job's state with the printer's message, for the progress line and the card's history.
pub fn job_status(s: &JobStatus) -> String {
    match &s.message {
        Some(m) => fl!(
            "print-job-status-message",
            state = job_state(s.state),
            message = m.clone()
        ),
        None => job_state(s.state),
    }
}

pub fn printer_state(s: PrinterState) -> String {
    match s {
        PrinterState::Idle => fl!("printer-state-idle"),
        PrinterState::Processing => fl!("printer-state-processing"),
        PrinterState::Stopped => fl!("printer-state-stopped"),
    }
}
