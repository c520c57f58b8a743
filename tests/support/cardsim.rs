//! A `guichet cardsim` process on a private pcscd's vpcd reader (see `pcscd.rs`), and connecting to its card
//! through PC/SC once the reader sees it.
#![allow(dead_code)]

use std::ffi::CString;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use guichet::nfc::pcsc::{Pcsc, PcscCard};
use guichet::nfc::transport::TransportError;

use super::pcscd::Pcscd;

/// A running software card; its standard input stays open until [`Sim::finish`] (or drop).
pub struct Sim {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

impl Sim {
    /// Starts `guichet cardsim` with the card `uid` on vpcd slot `slot`, seed 5, and `extra` options.
    pub fn start(daemon: &Pcscd, slot: u16, uid: &str, extra: &[&str]) -> Sim {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut child = Command::new(super::guichet())
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--lang", "en", "cardsim", "--vpcd"])
            .arg(daemon.card_addr(slot).to_string())
            .args(["--uid", uid, "--seed", "5"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start guichet cardsim");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Sim { child, stdout }
    }

    /// The next line cardsim prints (it announces insertions, pulls and removals).
    pub fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("cardsim output");
        line
    }

    /// Asks a `--reinsert` card that is off the reader to be presented again (a line on its standard
    /// input, as an operator pressing Enter).
    pub fn present_again(&mut self) {
        let stdin = self.child.stdin.as_mut().expect("cardsim's standard input");
        stdin.write_all(b"\n").expect("write to cardsim");
        stdin.flush().expect("write to cardsim");
    }

    /// Closes standard input (the card is taken away), waits for a successful exit and returns the rest of
    /// the output.
    pub fn finish(mut self) -> String {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.child.try_wait().expect("wait").is_none() {
            assert!(Instant::now() < deadline, "cardsim did not end");
            std::thread::sleep(Duration::from_millis(20));
        }
        let status = self.child.wait().expect("exit status");
        assert!(status.success(), "cardsim failed: {status}");
        let mut rest = String::new();
        while self.stdout.read_line(&mut rest).is_ok_and(|n| n > 0) {}
        rest
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Connects to the card on `reader`, waiting up to 15 s for pcscd to see it (a loaded machine is slow).
pub fn connect(pcsc: &Pcsc, reader: &str) -> PcscCard {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match pcsc.connect(reader) {
            Ok(card) => return card,
            Err(TransportError::NoCard(_)) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("connect: {e}"),
        }
    }
}

/// How many card insertions and removals pcscd's event thread has counted on `reader` (pcsc-lite's event
/// counter, which only that thread moves), and whether it shows a card now.
pub fn reader_events(reader: &str) -> (u32, bool) {
    let (ctx, mut states) = watch(reader);
    ctx.get_status_change(Duration::from_secs(5), &mut states)
        .expect("the reader's state");
    let state = &states[0];
    (
        state.event_count(),
        state.event_state().contains(pcsc::State::PRESENT),
    )
}

/// Waits up to 15 s until pcscd's event thread has counted more than `after` insertions and removals on
/// `reader` and shows the card `present` (or the reader empty); returns the count then.
///
/// A test that takes a card away and puts it back waits for each event: pcscd only resets its sessions
/// and powers a card up when its own thread has seen the change (desfire.md §11).
pub fn wait_for_reader(reader: &str, after: u32, present: bool) -> u32 {
    let (ctx, mut states) = watch(reader);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match ctx.get_status_change(Duration::from_millis(500), &mut states) {
            Ok(()) | Err(pcsc::Error::Timeout) => {}
            Err(e) => panic!("the state of {reader}: {e}"),
        }
        let state = &mut states[0];
        let shown = state.event_state().contains(pcsc::State::PRESENT);
        if state.event_count() > after && shown == present {
            return state.event_count();
        }
        assert!(
            Instant::now() < deadline,
            "pcscd did not show {reader} {} after event {after} (now event {}, {:?})",
            if present { "with its card" } else { "empty" },
            state.event_count(),
            state.event_state()
        );
        state.sync_current_state();
    }
}

fn watch(reader: &str) -> (pcsc::Context, Vec<pcsc::ReaderState>) {
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("the private pcscd");
    let name = CString::new(reader).expect("a reader name");
    (
        ctx,
        vec![pcsc::ReaderState::new(name, pcsc::State::UNAWARE)],
    )
}
