//! Printing through IPP against a real IPP Everywhere printer (ippeveprinter, see
//! tests/support/ipp.rs): printer attributes, a PDF job that completes and arrives byte for byte,
//! a job the printer aborts with its message, a printer refusing PDF, cancelling, the PDF-file
//! printer and the "no print service" error.

mod support;

use std::time::Duration;

use guichet::production::print::{
    IppPrinter, JobState, JobStatus, PdfFilePrinter, PrintError, PrintJob, Printer, PrinterState,
    system_printers, wait,
};
use support::ipp::{Behaviour, IppEve};

const POLL: Duration = Duration::from_millis(100);
const TIMEOUT: Duration = Duration::from_secs(30);

/// A one-page PDF the size of a CR80 card (242.646 × 153.014 pt, desfire.md §14.1), written by
/// hand with a correct cross-reference table.
fn card_pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 20 120 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 242.646 153.014] \
         /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A loopback port nothing listens on (the listener that found it is closed again).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

fn job<'a>(name: &'a str, pdf: &'a [u8], copies: u32) -> PrintJob<'a> {
    PrintJob {
        name,
        user: "agent-guichet",
        pdf,
        copies,
    }
}

#[test]
fn the_printer_describes_itself() {
    let Some(eve) = IppEve::start("Guichet Cartes", Behaviour::Prints) else {
        return;
    };
    let printer = IppPrinter::new(&eve.uri()).unwrap();
    assert_eq!(printer.id(), eve.uri());
    let info = printer.attributes().unwrap();
    assert_eq!(info.uri, eve.uri());
    assert_eq!(info.name, "Guichet Cartes");
    assert_eq!(info.state, PrinterState::Idle);
    assert!(info.accepting_jobs);
    assert!(info.accepts_pdf(), "{:?}", info.formats);
    assert!(
        info.formats.iter().any(|f| f == "application/pdf"),
        "{:?}",
        info.formats
    );
    assert!(info.make_and_model.is_some());
    assert!(
        info.media.iter().any(|m| m.starts_with("iso_a4")),
        "{:?}",
        info.media
    );
}

#[test]
fn a_pdf_job_completes_and_the_printer_receives_the_exact_bytes() {
    let Some(eve) = IppEve::start("Guichet Cartes", Behaviour::Prints) else {
        return;
    };
    let printer = IppPrinter::new(&eve.uri()).unwrap();
    let pdf = card_pdf("Helene Dupre");
    let submitted = printer.submit(&job("cartes-lot-1", &pdf, 1)).unwrap();
    assert!(submitted.job_id > 0);
    assert!(
        submitted
            .job_uri
            .as_deref()
            .is_some_and(|u| u.contains("127.0.0.1") || u.contains("localhost"))
    );
    let mut seen: Vec<JobStatus> = Vec::new();
    let done = wait(&printer, &submitted, POLL, TIMEOUT, &mut |s| {
        seen.push(s.clone())
    })
    .unwrap();
    assert_eq!(done.state, JobState::Completed, "{done:?}\n{}", eve.log());
    assert!(seen.iter().all(|s| !s.is_final()));
    let files = eve.received_files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0].to_string_lossy().ends_with("cartes-lot-1.pdf"),
        "{files:?}"
    );
    assert_eq!(std::fs::read(&files[0]).unwrap(), pdf);

    // Copies within copies-supported (1-999) are sent; more are refused before sending.
    let second = printer.submit(&job("cartes-lot-2", &pdf, 2)).unwrap();
    let done = wait(&printer, &second, POLL, TIMEOUT, &mut |_| {}).unwrap();
    assert_eq!(done.state, JobState::Completed);
    let e = printer
        .submit(&job("cartes-lot-3", &pdf, 1000))
        .unwrap_err();
    assert!(
        matches!(
            e,
            PrintError::Copies {
                copies: 1000,
                max: 999,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(eve.received_files().len(), 2);
}

#[test]
fn a_failed_job_is_aborted_with_the_printer_message() {
    let Some(eve) = IppEve::start(
        "Guichet Sans Ruban",
        Behaviour::Fails("Ribbon ended, replace the ribbon".into()),
    ) else {
        return;
    };
    let printer = IppPrinter::new(&eve.uri()).unwrap();
    let pdf = card_pdf("Jerome Lefevre");
    let submitted = printer.submit(&job("cartes-lot-1", &pdf, 1)).unwrap();
    let done = wait(&printer, &submitted, POLL, TIMEOUT, &mut |_| {}).unwrap();
    assert_eq!(done.state, JobState::Aborted, "{done:?}\n{}", eve.log());
    assert_eq!(
        done.message.as_deref(),
        Some("Ribbon ended, replace the ribbon")
    );
    assert!(
        done.reasons.iter().any(|r| r == "aborted-by-system"),
        "{:?}",
        done.reasons
    );
}

#[test]
fn a_printer_without_pdf_is_refused_before_sending() {
    let Some(eve) = IppEve::start("Guichet Raster", Behaviour::RasterOnly) else {
        return;
    };
    let printer = IppPrinter::new(&eve.uri()).unwrap();
    let e = printer
        .submit(&job("cartes-lot-1", &card_pdf("x"), 1))
        .unwrap_err();
    match e {
        PrintError::PdfNotAccepted { uri, formats } => {
            assert_eq!(uri, eve.uri());
            assert!(
                formats.iter().any(|f| f == "image/pwg-raster"),
                "{formats:?}"
            );
        }
        other => panic!("expected PdfNotAccepted, got {other:?}"),
    }
    assert!(eve.received_files().is_empty());
}

#[test]
fn a_job_can_be_cancelled_and_unknown_jobs_are_errors() {
    let Some(eve) = IppEve::start("Guichet Lente", Behaviour::Slow(Duration::from_secs(3))) else {
        return;
    };
    let printer = IppPrinter::new(&eve.uri()).unwrap();
    let submitted = printer
        .submit(&job("cartes-lot-1", &card_pdf("Zoe Oeuvray"), 1))
        .unwrap();
    let before = printer.status(&submitted).unwrap();
    assert!(!before.is_final(), "{before:?}");
    // ippeveprinter marks the job and lets its print command finish (3 s here), then reports the
    // job canceled rather than completed.
    printer.cancel(&submitted).unwrap();
    let done = wait(&printer, &submitted, POLL, TIMEOUT, &mut |_| {}).unwrap();
    assert_eq!(done.state, JobState::Canceled, "{done:?}\n{}", eve.log());
    // A finished job cannot be cancelled again: the printer says so.
    let e = printer.cancel(&submitted).unwrap_err();
    assert!(matches!(e, PrintError::Rejected { .. }), "{e:?}");
    let mut unknown = submitted.clone();
    unknown.job_id = 4242;
    let e = printer.status(&unknown).unwrap_err();
    assert!(matches!(e, PrintError::NotFound { .. }), "{e:?}");
}

#[test]
fn the_pdf_file_printer_writes_the_file_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lot.pdf");
    let printer = PdfFilePrinter::new(path.clone());
    let pdf = card_pdf("Paul Martin");
    let submitted = printer.submit(&job("lot", &pdf, 1)).unwrap();
    let done = wait(&printer, &submitted, POLL, TIMEOUT, &mut |_| {}).unwrap();
    assert_eq!(done.state, JobState::Completed);
    assert_eq!(std::fs::read(&path).unwrap(), pdf);
    assert_eq!(printer.id(), format!("pdf:{}", path.display()));
}

#[test]
fn no_cups_gives_the_no_print_service_error() {
    let port = closed_port();
    let e = system_printers(Some(&format!("127.0.0.1:{port}"))).unwrap_err();
    assert!(
        matches!(&e, PrintError::NoPrintService { server, .. } if *server == format!("127.0.0.1:{port}")),
        "{e:?}"
    );
}

#[test]
fn unsupported_and_unreachable_printers_are_clear_errors() {
    let e = IppPrinter::new("ipps://printer.example.org/ipp/print").unwrap_err();
    assert!(matches!(e, PrintError::Unsupported { .. }), "{e:?}");
    let port = closed_port();
    let printer = IppPrinter::new(&format!("ipp://127.0.0.1:{port}/ipp/print")).unwrap();
    let e = printer.submit(&job("lot", &card_pdf("x"), 1)).unwrap_err();
    assert!(matches!(e, PrintError::Unreachable { .. }), "{e:?}");
}
