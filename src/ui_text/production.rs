//! Wording of card printing as a whole: why a card's job failed, and a printer's state in a list.

use crate::fl;
use crate::production::job::JobError;
use crate::production::print::PrinterInfo;

pub fn job_error(e: &JobError) -> String {
    match e {
        JobError::Store(e) => super::store_error(e),
        JobError::Template(e) => super::template_error(e),
        JobError::Pdf(e) => super::pdf_error(e),
        JobError::Print(e) => super::print_error(e),
        JobError::NoTemplate => fl!("err-no-template"),
        JobError::Raster(e) => super::raster_error(e),
        JobError::Io { path, message } => fl!(
            "cli-write-file",
            path = path.display().to_string(),
            message = message.clone()
        ),
    }
}

/// "Ready", "Printing", "Stopped: media-empty"…, and whether it takes PDF.
pub fn printer_status(p: &PrinterInfo) -> String {
    let mut s = super::printer_state(p.state);
    let reasons: Vec<&str> = p
        .state_reasons
        .iter()
        .map(String::as_str)
        .filter(|r| *r != "none")
        .collect();
    if !reasons.is_empty() {
        s = format!("{s} ({})", reasons.join(", "));
    }
    if let Some(m) = p.state_message.as_deref().filter(|m| !m.is_empty()) {
        s = format!("{s} — {m}");
    }
    if !p.accepting_jobs {
        s = format!("{s} — {}", fl!("printer-not-accepting"));
    } else if !p.accepts_pdf() {
        s = format!("{s} — {}", fl!("printer-no-pdf"));
    }
    s
}
