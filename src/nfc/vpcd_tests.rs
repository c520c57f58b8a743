use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::AtomicU32;
use std::thread;

use super::*;
use crate::nfc::transport::test_card::{ATR, UidCard};

const UID: [u8; 4] = [0xDE, 0xAD, 0xBE, 0xEF];

/// A card that counts the APDUs it processed, and answers `big` bytes when asked `00 B0`.
struct Counting {
    inner: UidCard,
    processed: Arc<AtomicU32>,
}

impl VirtualCard for Counting {
    fn atr(&self) -> Vec<u8> {
        self.inner.atr()
    }
    fn power_on(&mut self) {
        self.inner.power_on();
    }
    fn power_off(&mut self) {
        self.inner.power_off();
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.processed.fetch_add(1, Ordering::SeqCst);
        if apdu.starts_with(&[0x00, 0xB0]) {
            return vec![0; 70_000];
        }
        self.inner.process(apdu)
    }
}

fn counting() -> (Counting, Arc<AtomicU32>) {
    let processed = Arc::new(AtomicU32::new(0));
    (
        Counting {
            inner: UidCard::new(&UID),
            processed: Arc::clone(&processed),
        },
        processed,
    )
}

/// The fake vpcd end: a listener, and `serve` running on a thread against it.
struct Fake {
    stream: TcpStream,
    stop: Arc<AtomicBool>,
    served: thread::JoinHandle<(Counting, Result<ServeEnd, VpcdError>)>,
}

fn start(card: Counting, options: ServeOptions) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let stop = Arc::new(AtomicBool::new(false));
    let thread_stop = Arc::clone(&stop);
    let served = thread::spawn(move || {
        let mut card = card;
        let end = serve(&mut card, addr, &thread_stop, &options);
        (card, end)
    });
    let (stream, _) = listener.accept().expect("accept");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    Fake {
        stream,
        stop,
        served,
    }
}

impl Fake {
    fn send(&mut self, body: &[u8]) {
        let len = u16::try_from(body.len()).expect("short frame");
        self.stream.write_all(&len.to_be_bytes()).expect("write");
        self.stream.write_all(body).expect("write");
    }

    fn receive(&mut self) -> Vec<u8> {
        let mut header = [0u8; 2];
        self.stream.read_exact(&mut header).expect("frame header");
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(header))];
        self.stream.read_exact(&mut body).expect("frame body");
        body
    }

    fn ask(&mut self, body: &[u8]) -> Vec<u8> {
        self.send(body);
        self.receive()
    }

    /// The connection is closed by the card's side: reads give end of stream (or a reset, when the card's
    /// side closed with bytes it had not read).
    fn sees_close(&mut self) -> bool {
        let mut byte = [0u8; 1];
        match self.stream.read(&mut byte) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        }
    }

    fn finish(self) -> (Counting, Result<ServeEnd, VpcdError>) {
        let _ = self.stream.shutdown(Shutdown::Both);
        self.served.join().expect("serve thread")
    }
}

#[test]
fn a_session_powers_the_card_answers_the_atr_and_apdus() {
    let (card, processed) = counting();
    let mut fake = start(card, ServeOptions::default());
    fake.send(&[CTRL_ON]);
    assert_eq!(fake.ask(&[CTRL_ATR]), ATR.to_vec());
    assert_eq!(
        fake.ask(&[0xFF, 0xCA, 0x00, 0x00, 0x00]),
        [&UID[..], &[0x90, 0x00]].concat()
    );
    // An unknown control byte is ignored; the next request is answered normally.
    fake.send(&[0x03]);
    assert_eq!(
        fake.ask(&[0x00, 0xEE, 0x00, 0x00, 0x01, 0x42]),
        vec![0x42, 0x90, 0x00]
    );
    fake.send(&[CTRL_RESET]);
    assert_eq!(fake.ask(&[CTRL_ATR]), ATR.to_vec());
    // An empty message is an (empty) APDU, answered by the card.
    assert_eq!(fake.ask(&[]), vec![0x6D, 0x00]);
    fake.send(&[CTRL_OFF]);
    let (card, end) = fake.finish();
    assert_eq!(
        end.expect("served"),
        ServeEnd {
            reason: EndReason::ClosedByPeer,
            apdus: 3
        }
    );
    assert_eq!(processed.load(Ordering::SeqCst), 3);
    assert!(!card.inner.powered);
    assert_eq!(card.inner.power_ups.load(Ordering::SeqCst), 2);
}

#[test]
fn the_stop_flag_takes_the_card_away() {
    let (card, _) = counting();
    let mut fake = start(card, ServeOptions::default());
    fake.send(&[CTRL_ON]);
    assert_eq!(fake.ask(&[CTRL_ATR]), ATR.to_vec());
    fake.stop.store(true, Ordering::SeqCst);
    assert!(fake.sees_close());
    let (card, end) = fake.finish();
    assert_eq!(end.expect("served").reason, EndReason::Stopped);
    assert!(!card.inner.powered, "the card leaves the field powered off");
}

#[test]
fn a_scheduled_pull_closes_the_connection_before_or_after_processing() {
    for (moment, processed_at_end) in [
        (PullMoment::BeforeProcessing, 1),
        (PullMoment::AfterProcessing, 2),
    ] {
        let (card, processed) = counting();
        let options = ServeOptions {
            pull_after: Some((1, moment)),
            ..ServeOptions::default()
        };
        let mut fake = start(card, options);
        fake.send(&[CTRL_ON]);
        assert_eq!(fake.ask(&[0xFF, 0xCA, 0x00, 0x00, 0x00]).len(), 6);
        fake.send(&[0xFF, 0xCA, 0x00, 0x00, 0x00]);
        assert!(fake.sees_close(), "{moment:?}");
        let (_, end) = fake.finish();
        assert_eq!(
            end.expect("served"),
            ServeEnd {
                reason: EndReason::Pulled,
                apdus: 1
            }
        );
        assert_eq!(processed.load(Ordering::SeqCst), processed_at_end);
    }
}

#[test]
fn an_answer_longer_than_a_frame_is_an_error() {
    let (card, _) = counting();
    let mut fake = start(card, ServeOptions::default());
    fake.send(&[CTRL_ON]);
    fake.send(&[0x00, 0xB0, 0x00, 0x00, 0x00]);
    let (_, end) = fake.finish();
    assert!(matches!(end, Err(VpcdError::ResponseTooLong(70_000))));
}

#[test]
fn no_vpcd_listening_is_a_connect_error() {
    let addr = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port");
    let (mut card, _) = counting();
    let options = ServeOptions {
        connect_wait: Duration::from_millis(100),
        ..ServeOptions::default()
    };
    let end = serve(&mut card, addr, &AtomicBool::new(false), &options);
    assert!(matches!(end, Err(VpcdError::Connect { .. })));
    // Stopped before connecting: no error.
    let end = serve(&mut card, addr, &AtomicBool::new(true), &options);
    assert_eq!(end.expect("stopped").reason, EndReason::Stopped);
}

/// Garbage and truncated frames from the socket: `serve` answers what it can, never panics, and returns
/// when the peer closes.
#[test]
fn garbage_from_the_socket_never_panics() {
    let mut seed: u32 = 0x1234_5678;
    let mut next = move || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 24) as u8
    };
    for round in 0..40 {
        let (card, _) = counting();
        let mut fake = start(card, ServeOptions::default());
        let len = 1 + usize::from(next()) * (round % 4 + 1);
        let mut bytes: Vec<u8> = (0..len).map(|_| next()).collect();
        if round % 5 == 0 {
            // A header announcing more than what follows.
            bytes.splice(0..0, [0xFF, 0xFF]);
        }
        fake.stream.write_all(&bytes).expect("write");
        fake.stream.shutdown(Shutdown::Write).expect("shutdown");
        // Drain the answers so the card's side never blocks on a full socket.
        let mut sink = Vec::new();
        let _ = fake.stream.read_to_end(&mut sink);
        let (_, end) = fake.finish();
        match end {
            Ok(e) => assert_eq!(e.reason, EndReason::ClosedByPeer, "round {round}"),
            Err(e) => assert!(matches!(e, VpcdError::Io(_)), "round {round}: {e}"),
        }
    }
}
