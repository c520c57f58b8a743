use std::collections::VecDeque;

use super::*;

/// A printer whose status() answers from a script, to test [`wait`].
struct Scripted {
    answers: Mutex<VecDeque<Result<JobStatus, PrintError>>>,
    calls: Mutex<usize>,
}

impl Scripted {
    fn new(answers: Vec<Result<JobStatus, PrintError>>) -> Scripted {
        Scripted {
            answers: Mutex::new(answers.into()),
            calls: Mutex::new(0),
        }
    }
}

impl Printer for Scripted {
    fn id(&self) -> String {
        "scripted".into()
    }
    fn submit(&self, _: &PrintJob<'_>) -> Result<Submitted, PrintError> {
        Ok(submitted(1))
    }
    fn status(&self, _: &Submitted) -> Result<JobStatus, PrintError> {
        *self.calls.lock().unwrap() += 1;
        let mut answers = self.answers.lock().unwrap();
        if answers.len() > 1 {
            answers.pop_front().unwrap()
        } else {
            answers.front().cloned().unwrap()
        }
    }
    fn cancel(&self, _: &Submitted) -> Result<(), PrintError> {
        Ok(())
    }
}

fn submitted(job_id: i32) -> Submitted {
    Submitted {
        job_id,
        job_uri: None,
        user: "agent".into(),
    }
}

fn st(state: JobState) -> Result<JobStatus, PrintError> {
    Ok(JobStatus {
        state,
        reasons: Vec::new(),
        message: None,
    })
}

const POLL: Duration = Duration::from_millis(1);

#[test]
fn job_states_follow_rfc_8011() {
    let finals: Vec<_> = (0..12)
        .filter_map(JobState::from_ipp)
        .filter(|s| {
            JobStatus {
                state: *s,
                reasons: Vec::new(),
                message: None,
            }
            .is_final()
        })
        .collect();
    assert_eq!(
        finals,
        vec![JobState::Canceled, JobState::Aborted, JobState::Completed]
    );
    assert_eq!(JobState::from_ipp(3), Some(JobState::Pending));
    assert_eq!(JobState::from_ipp(2), None);
    assert_eq!(PrinterState::from_ipp(5), Some(PrinterState::Stopped));
    assert_eq!(PrinterState::from_ipp(6), None);
}

#[test]
fn wait_reports_intermediate_states_and_returns_the_final_one() {
    let p = Scripted::new(vec![
        st(JobState::Pending),
        st(JobState::Processing),
        Err(PrintError::Timeout { uri: "u".into() }),
        Ok(JobStatus {
            state: JobState::Aborted,
            reasons: vec!["aborted-by-system".into()],
            message: Some("Ribbon ended".into()),
        }),
    ]);
    let mut seen = Vec::new();
    let end = wait(&p, &submitted(1), POLL, Duration::from_secs(10), &mut |s| {
        seen.push(s.state)
    })
    .unwrap();
    assert_eq!(seen, vec![JobState::Pending, JobState::Processing]);
    assert_eq!(end.state, JobState::Aborted);
    assert_eq!(end.message.as_deref(), Some("Ribbon ended"));
}

#[test]
fn wait_gives_up_at_the_timeout() {
    let p = Scripted::new(vec![st(JobState::Held)]);
    let started = Instant::now();
    let e = wait(
        &p,
        &submitted(4),
        POLL,
        Duration::from_millis(50),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(
        e,
        PrintError::WaitTimeout {
            job_id: 4,
            state: JobState::Held
        }
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(*p.calls.lock().unwrap() > 1);
    // An unreachable printer until the end: its error, not a timeout on a state never seen.
    let p = Scripted::new(vec![Err(PrintError::Unreachable {
        uri: "u".into(),
        message: "refused".into(),
    })]);
    let e = wait(
        &p,
        &submitted(4),
        POLL,
        Duration::from_millis(20),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, PrintError::Unreachable { .. }), "{e:?}");
}

#[test]
fn wait_stops_at_a_lasting_error() {
    let p = Scripted::new(vec![
        st(JobState::Processing),
        Err(PrintError::NotFound {
            uri: "u".into(),
            status: "client-error-not-found".into(),
            message: None,
        }),
    ]);
    let e = wait(
        &p,
        &submitted(1),
        POLL,
        Duration::from_secs(10),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, PrintError::NotFound { .. }));
    assert_eq!(*p.calls.lock().unwrap(), 2);
}

fn job(pdf: &[u8]) -> PrintJob<'_> {
    PrintJob {
        name: "cartes",
        user: "agent",
        pdf,
        copies: 1,
    }
}

#[test]
fn the_pdf_printer_writes_the_file_and_completes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cartes.pdf");
    let p = PdfFilePrinter::new(path.clone());
    assert_eq!(p.id(), format!("pdf:{}", path.display()));
    let first = p.submit(&job(b"%PDF-1.4 first")).unwrap();
    let second = p.submit(&job(b"%PDF-1.4 second")).unwrap();
    assert_ne!(first.job_id, second.job_id);
    assert_eq!(fs::read(&path).unwrap(), b"%PDF-1.4 second");
    // Only the final file remains: no temporary left behind.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    let s = p.status(&first).unwrap();
    assert!(s.is_final());
    assert_eq!(s.state, JobState::Completed);
    let done = wait(&p, &second, POLL, Duration::from_secs(1), &mut |_| {
        panic!("no intermediate state")
    })
    .unwrap();
    assert_eq!(done.state, JobState::Completed);
    assert!(matches!(
        p.cancel(&first),
        Err(PrintError::CannotCancel { job_id, .. }) if job_id == first.job_id
    ));
    assert!(matches!(
        p.status(&submitted(99)),
        Err(PrintError::UnknownJob { job_id: 99, .. })
    ));
    assert!(matches!(
        p.cancel(&submitted(99)),
        Err(PrintError::UnknownJob { job_id: 99, .. })
    ));
}

#[test]
fn a_pdf_that_cannot_be_written_is_an_error_and_no_job() {
    let dir = tempfile::tempdir().unwrap();
    let p = PdfFilePrinter::new(dir.path().join("missing-folder/cartes.pdf"));
    let e = p.submit(&job(b"%PDF")).unwrap_err();
    assert!(matches!(e, PrintError::File { .. }), "{e:?}");
    assert!(matches!(
        p.status(&submitted(1)),
        Err(PrintError::UnknownJob { .. })
    ));
    let p = PdfFilePrinter::new(PathBuf::from("/"));
    assert!(matches!(
        p.submit(&job(b"%PDF")),
        Err(PrintError::File { .. })
    ));
}

#[test]
fn a_failed_write_keeps_the_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cartes.pdf");
    fs::write(&path, b"previous").unwrap();
    // A folder where the temporary file would go makes the write fail.
    let pid = std::process::id();
    fs::create_dir(dir.path().join(format!(".cartes.pdf.{pid}-1.tmp"))).unwrap();
    let p = PdfFilePrinter::new(path.clone());
    assert!(p.submit(&job(b"new")).is_err());
    assert_eq!(fs::read(&path).unwrap(), b"previous");
}
