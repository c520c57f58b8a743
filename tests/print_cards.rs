//! Card printing end to end: a card goes IN_PRINT → PRINTED only when a real IPP printer (ippeveprinter,
//! tests/support/ipp.rs) reports its job completed; the PDF it received has CR80 pages, the accented names
//! (pdftotext) and a QR code that decodes to exactly the card's content (pdftoppm + zbarimg); a printer
//! that aborts the job leaves the card IN_PRINT with its message; a batch saved as PDF with its slip.

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use guichet::config::PrintConfig;
use guichet::domain::card::{Actor, CardId, CardState, Request};
use guichet::production::catalog::Catalog;
use guichet::production::job::{self, Outcome, PrintSettings};
use guichet::production::photo;
use guichet::production::print::{IppPrinter, Printer};
use guichet::production::webcam::{FrameSource, SyntheticSource};
use guichet::store::cards::{self, CardOptions};
use guichet::store::photos::NewPhoto;
use guichet::store::{Store, prints};
use support::ipp::{Behaviour, IppEve};

fn opts() -> CardOptions {
    CardOptions {
        escn: Some((1, 999_859_608)),
        qr_escn: true,
        qr_prefix: "http://esc.gg/".into(),
        services: vec![],
    }
}

fn alice() -> Actor {
    Actor::Operator("alice".into())
}

/// Hélène Dupré's card, validated, with a photo from the training camera.
fn checked_card(store: &Store, person_index: i64) -> CardId {
    let now = jiff::Timestamp::now();
    let card = store
        .request_card(person_index, &alice(), None, &opts(), now)
        .unwrap();
    let frame = SyntheticSource::new().next_frame().unwrap();
    let jpeg = photo::process_frame(&frame, None).unwrap();
    let p = NewPhoto {
        jpeg: &jpeg.bytes,
        width: jpeg.width,
        height: jpeg.height,
        source: "webcam",
        consent: Some(true),
    };
    store.set_card_photo(card, &p, "alice", now).unwrap();
    store
        .transition_card(
            card,
            CardState::RequestChecked,
            &alice(),
            &Request::default(),
            &opts(),
            now,
        )
        .unwrap();
    card
}

fn settings() -> PrintSettings {
    PrintSettings {
        actor: alice(),
        opts: opts(),
        poll: Duration::from_millis(100),
        timeout: Duration::from_secs(60),
        batch: Some("test".into()),
        labels: guichet::ui_text::affiliation,
    }
}

fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("-v").output().is_ok();
    if !ok {
        support::missing(name);
    }
    ok
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run tool");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The QR codes zbarimg decodes in the first page of `pdf`.
fn qr_of(pdf: &Path, dir: &Path) -> String {
    let prefix = dir.join("page");
    run(Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&prefix));
    let png = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("page png");
    run(Command::new("zbarimg").args(["-q", "--raw"]).arg(png))
        .trim()
        .to_string()
}

#[test]
fn a_card_is_printed_only_when_the_printer_completes_the_job() {
    if !(tool("pdftotext") && tool("zbarimg")) {
        return;
    }
    let Some(printer) = IppEve::start("Guichet-Evolis", Behaviour::Prints) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = support::fixture_store(dir.path());
    let card = checked_card(&store, 1);
    let catalog = Catalog::load(dir.path());
    let ipp = IppPrinter::new(&printer.uri()).unwrap();
    let results = job::print_cards(
        &store,
        &catalog,
        &PrintConfig::default(),
        &ipp,
        false,
        &[card],
        &settings(),
        &AtomicBool::new(false),
        &mut |_| {},
    );
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].outcome, Outcome::Printed, "{results:?}");
    let detail = store.read(|c| cards::get(c, card)).unwrap();
    assert_eq!(detail.state, CardState::Printed);
    let escn = detail.escn.clone().expect("ESCN");
    let job = store.read(|c| prints::latest(c, card)).unwrap().unwrap();
    assert_eq!(job.state, prints::JobOutcome::Completed);
    assert_eq!(job.printer, ipp.id());
    assert!(
        job.printed.values().any(|v| v.contains("Hélène")),
        "printed texts frozen: {:?}",
        job.printed
    );

    let files = printer.received_files();
    assert_eq!(files.len(), 1, "{files:?}");
    let info = run(Command::new("pdfinfo").arg(&files[0]));
    assert!(
        info.contains("242.6") && info.contains("153"),
        "CR80 page: {info}"
    );
    let words = run(Command::new("pdftotext").arg(&files[0]).arg("-"));
    assert!(words.contains("Hélène"), "{words}");
    assert!(words.to_lowercase().contains("dupré"), "{words}");
    let shots = tempfile::tempdir().unwrap();
    assert_eq!(
        qr_of(&files[0], shots.path()),
        format!("http://esc.gg/{escn}")
    );
}

#[test]
fn a_job_the_printer_aborts_leaves_the_card_in_print_with_its_message() {
    let Some(printer) = IppEve::start(
        "Guichet-Broken",
        Behaviour::Fails("Ribbon ended, replace the ribbon".into()),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = support::fixture_store(dir.path());
    let card = checked_card(&store, 2);
    let ipp = IppPrinter::new(&printer.uri()).unwrap();
    let results = job::print_cards(
        &store,
        &Catalog::load(dir.path()),
        &PrintConfig::default(),
        &ipp,
        false,
        &[card],
        &settings(),
        &AtomicBool::new(false),
        &mut |_| {},
    );
    let Outcome::Failed(message) = &results[0].outcome else {
        panic!("{results:?}");
    };
    assert!(message.contains("Ribbon ended"), "{message}");
    assert_eq!(
        store.read(|c| cards::get(c, card)).unwrap().state,
        CardState::InPrint
    );
    let job = store.read(|c| prints::latest(c, card)).unwrap().unwrap();
    assert_eq!(job.state, prints::JobOutcome::Failed);
    assert!(job.message.unwrap_or_default().contains("Ribbon ended"));
    // A retry from IN_PRINT on a working printer completes the card.
    let Some(good) = IppEve::start("Guichet-Retry", Behaviour::Prints) else {
        return;
    };
    let retry = job::print_cards(
        &store,
        &Catalog::load(dir.path()),
        &PrintConfig::default(),
        &IppPrinter::new(&good.uri()).unwrap(),
        false,
        &[card],
        &settings(),
        &AtomicBool::new(false),
        &mut |_| {},
    );
    assert_eq!(retry[0].outcome, Outcome::Printed, "{retry:?}");
}

#[test]
fn the_cli_prints_a_batch_as_pdf_with_its_delivery_slip() {
    if !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = support::fixture_store(dir.path());
    let cards: Vec<CardId> = (1..=3).map(|i| checked_card(&store, i)).collect();
    drop(store);
    // `--limit 1` prints the first card of the campaign only; the others wait for the next run.
    let first = dir.path().join("first.pdf");
    let batch = ["--json", "print", "--batch", "--state", "REQUEST_CHECKED"];
    let limited = [
        &batch[..],
        &["--limit", "1", "--pdf", first.to_str().unwrap()],
    ]
    .concat();
    let out = support::cli(dir.path(), &limited);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    let states: Vec<CardState> = cards
        .iter()
        .map(|c| store.read(|conn| cards::get(conn, *c)).unwrap().state)
        .collect();
    assert_eq!(
        states.iter().filter(|s| **s == CardState::Printed).count(),
        1,
        "{states:?}"
    );
    let rest: Vec<CardId> = cards
        .iter()
        .zip(&states)
        .filter(|(_, s)| **s == CardState::RequestChecked)
        .map(|(c, _)| *c)
        .collect();
    drop(store);
    let pdf = dir.path().join("batch.pdf");
    let slip = dir.path().join("slip.pdf");
    let pngs = dir.path().join("png");
    let out = Command::new(support::guichet())
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--lang",
            "fr",
            "--json",
            "print",
            "--batch",
            "--state",
            "REQUEST_CHECKED",
        ])
        .arg("--pdf")
        .arg(&pdf)
        .arg("--slip")
        .arg(&slip)
        .arg("--png")
        .arg(&pngs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["result"] == "printed"), "{lines:?}");
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    for c in &cards {
        assert_eq!(
            store.read(|conn| cards::get(conn, *c)).unwrap().state,
            CardState::Printed
        );
    }
    let text = run(Command::new("pdftotext").arg(&first).arg("-"))
        + &run(Command::new("pdftotext").arg(&pdf).arg("-"));
    assert!(
        text.contains("Jérôme") && text.contains("Jean-Pierre"),
        "{text}"
    );
    let slip_text = run(Command::new("pdftotext").arg(&slip).arg("-"));
    assert!(slip_text.contains("Bordereau de livraison"), "{slip_text}");
    assert!(slip_text.contains("Lefèvre"), "{slip_text}");
    let bitmaps: Vec<_> = std::fs::read_dir(&pngs).unwrap().collect();
    assert!(bitmaps.len() >= 2, "{bitmaps:?}");
    let bitmap = image::open(pngs.join(format!("card-{}-front.png", rest[0]))).unwrap();
    assert_eq!((bitmap.width(), bitmap.height()), (1016, 648));
}
