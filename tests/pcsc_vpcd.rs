//! The PC/SC layer end to end: a private pcscd with the vpcd virtual reader, a software card served over
//! vpcd, the reader monitor, `PcscCard` and `guichet nfc readers`.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use guichet::nfc::monitor::{Monitor, ReaderEvent};
use guichet::nfc::pcsc::Pcsc;
use guichet::nfc::transport::{CardTransport, PullMoment, TransportError, VirtualCard};
use guichet::nfc::vpcd::{self, EndReason, ServeEnd, ServeOptions, VpcdError};
use support::pcscd::{self, Pcscd};

const ATR: [u8; 6] = [0x3B, 0x81, 0x80, 0x01, 0x80, 0x80];
const UID: [u8; 7] = [0x04, 0x5A, 0x21, 0x3C, 0x77, 0x10, 0x80];
const ECHO: [u8; 8] = [0x00, 0xEE, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03];

/// Answers GET DATA (UID) with its UID, echoes `00 EE 00 00 Lc data`, and 6D 00 to the rest.
struct TestCard;

impl VirtualCard for TestCard {
    fn atr(&self) -> Vec<u8> {
        ATR.to_vec()
    }
    fn power_on(&mut self) {}
    fn power_off(&mut self) {}
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        match apdu {
            [0xFF, 0xCA, 0x00, 0x00, 0x00] => [&UID[..], &[0x90, 0x00]].concat(),
            [0x00, 0xEE, 0x00, 0x00, lc, data @ ..] if data.len() == usize::from(*lc) => {
                [data, &[0x90, 0x00]].concat()
            }
            _ => vec![0x6D, 0x00],
        }
    }
}

/// A card on a vpcd slot: the serving thread, stopped by [`Inserted::remove`].
struct Inserted {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Result<ServeEnd, VpcdError>>,
}

fn insert(daemon: &Pcscd, slot: u16, options: ServeOptions) -> Inserted {
    let stop = Arc::new(AtomicBool::new(false));
    let addr = daemon.card_addr(slot);
    let thread_stop = Arc::clone(&stop);
    let thread =
        std::thread::spawn(move || vpcd::serve(&mut TestCard, addr, &thread_stop, &options));
    Inserted { stop, thread }
}

impl Inserted {
    fn remove(self) -> ServeEnd {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .join()
            .expect("serve thread")
            .expect("served the card")
    }
}

/// The next event satisfying `want` within `within`, skipping others.
fn expect_event(
    rx: &Receiver<ReaderEvent>,
    within: Duration,
    what: &str,
    want: impl Fn(&ReaderEvent) -> bool,
) -> ReaderEvent {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(e) if want(&e) => return e,
            Ok(_) => {}
            Err(_) => panic!("no {what} within {within:?}"),
        }
    }
}

fn monitor() -> (Monitor, Receiver<ReaderEvent>) {
    let (tx, rx) = channel();
    let monitor = Monitor::with_retry(Duration::from_millis(200), move |e| {
        let _ = tx.send(e);
    })
    .expect("start the monitor");
    (monitor, rx)
}

fn readers_cli(json: bool) -> std::process::Output {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut args = vec!["nfc", "readers"];
    if json {
        args.push("--json");
    }
    support::cli(dir.path(), &args)
}

#[test]
fn cards_on_the_virtual_reader_are_seen_read_and_lost() {
    let _pcsc = pcscd::lock();
    let Some(daemon) = Pcscd::start() else {
        return;
    };
    let (slot0, slot1) = (daemon.reader(0), daemon.reader(1));
    let pcsc = Pcsc::establish().expect("the private pcscd");
    let readers = pcsc.readers().expect("readers");
    assert_eq!(readers, vec![slot0.clone(), slot1.clone()]);
    assert_eq!(
        pcsc.connect(&slot0).err(),
        Some(TransportError::NoCard(slot0.clone()))
    );

    let (monitor, events) = monitor();
    for reader in [&slot0, &slot1] {
        expect_event(&events, Duration::from_secs(5), "reader", |e| {
            *e == ReaderEvent::ReaderAdded(reader.clone())
        });
    }

    // Inserting: the vpcd client connects.
    let inserted = insert(&daemon, 0, ServeOptions::default());
    let present = expect_event(&events, Duration::from_secs(5), "card", |e| {
        matches!(e, ReaderEvent::CardPresent { .. })
    });
    assert_eq!(
        present,
        ReaderEvent::CardPresent {
            reader: slot0.clone(),
            atr: ATR.to_vec()
        }
    );
    let snapshot = monitor.snapshot();
    assert!(monitor.service_available());
    assert_eq!(snapshot.len(), 2);
    assert_eq!(snapshot[0].atr.as_deref(), Some(&ATR[..]));
    assert_eq!(snapshot[1].atr, None);

    let mut card = pcsc.connect(&slot0).expect("connect");
    assert_eq!(card.atr(), ATR);
    assert_eq!(card.uid(), Ok(UID.to_vec()));
    assert_eq!(card.transmit(&ECHO), Ok(vec![1, 2, 3, 0x90, 0x00]));
    // The connection is exclusive: another one is refused at once, not queued.
    assert_eq!(pcsc.connect(&slot0).err(), Some(TransportError::Busy));
    drop(card);

    // The CLI, text and JSON, through the same private service (the environment is inherited).
    let out = readers_cli(false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!(
            "{slot0}: card present, ATR 3B 81 80 01 80 80, UID 045A213C771080"
        )),
        "{text}"
    );
    assert!(text.contains(&format!("{slot1}: no card")), "{text}");
    let out = readers_cli(true);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["reader"], slot0.as_str());
    assert_eq!(lines[0]["uid"], "045A213C771080");
    assert_eq!(lines[0]["atr"], "3B8180018080");
    assert_eq!(lines[1]["card"], false);

    // Removing: the socket closes; the connection made before fails with CardRemoved.
    let mut card = pcsc.connect(&slot0).expect("connect again");
    let end = inserted.remove();
    assert_eq!(end.reason, EndReason::Stopped);
    assert_eq!(end.apdus, 4, "UID, echo, the CLI's two UID reads");
    expect_event(&events, Duration::from_secs(5), "card removal", |e| {
        *e == ReaderEvent::CardRemoved {
            reader: slot0.clone(),
        }
    });
    assert_eq!(card.transmit(&ECHO), Err(TransportError::CardRemoved));
    drop(card);
    assert!(monitor.snapshot().iter().all(|r| r.atr.is_none()));
    drop(monitor);
}

#[test]
fn a_card_pulled_mid_sequence_fails_the_exchange() {
    let _pcsc = pcscd::lock();
    let Some(daemon) = Pcscd::start() else {
        return;
    };
    let pcsc = Pcsc::establish().expect("the private pcscd");
    let options = ServeOptions {
        pull_after: Some((1, PullMoment::AfterProcessing)),
        ..ServeOptions::default()
    };
    let inserted = insert(&daemon, 1, options);
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut card = loop {
        match pcsc.connect(&daemon.reader(1)) {
            Ok(card) => break card,
            Err(TransportError::NoCard(_)) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("connect: {e}"),
        }
    };
    assert_eq!(card.transmit(&ECHO), Ok(vec![1, 2, 3, 0x90, 0x00]));
    assert_eq!(card.transmit(&ECHO), Err(TransportError::CardRemoved));
    let end = inserted
        .thread
        .join()
        .expect("serve thread")
        .expect("served");
    assert_eq!(
        end,
        ServeEnd {
            reason: EndReason::Pulled,
            apdus: 1
        }
    );
}

#[test]
fn without_pcscd_the_service_is_reported_missing_and_found_again() {
    let _pcsc = pcscd::lock();
    assert_eq!(Pcsc::establish().err(), Some(TransportError::NoService));
    let out = readers_cli(false);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("PC/SC") && stderr.contains("pcscd"),
        "{stderr}"
    );

    // The iced subscription's stream says so first.
    let mut stream = Box::pin(guichet::nfc::monitor::events());
    let first = iced::futures::executor::block_on(iced::futures::StreamExt::next(&mut stream));
    assert_eq!(first, Some(ReaderEvent::ServiceUnavailable));
    drop(stream);

    let (monitor, events) = monitor();
    expect_event(&events, Duration::from_secs(5), "unavailability", |e| {
        *e == ReaderEvent::ServiceUnavailable
    });
    assert!(!monitor.service_available());
    let Some(mut daemon) = Pcscd::start() else {
        return;
    };
    expect_event(&events, Duration::from_secs(5), "service back", |e| {
        *e == ReaderEvent::ServiceBack
    });
    expect_event(&events, Duration::from_secs(5), "reader", |e| {
        *e == ReaderEvent::ReaderAdded(daemon.reader(0))
    });
    daemon.stop();
    expect_event(
        &events,
        Duration::from_secs(3),
        "loss of the service",
        |e| *e == ReaderEvent::ServiceUnavailable,
    );
}
