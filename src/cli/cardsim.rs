//! `guichet cardsim`: puts one blank software DESFire card ([`crate::nfc::sim::SimCard`]) on pcscd's vpcd
//! virtual reader (desfire.md §11), for training and for end-to-end tests of the encoder through PC/SC.
//!
//! The card stays on the reader until standard input closes or the process gets SIGTERM (or SIGINT).
//! `--pull-after N` takes it away after N answered APDUs (the next one gets no answer: a card pulled off
//! mid-sequence); `--reinsert` keeps the same card, with everything written on it, and puts it back on the
//! reader when a line is read on standard input (the operator presses Enter), as an operator presenting
//! the card again.
//!
//! The card stays away until asked back on purpose. vpcd sees a card by accepting its connection during
//! pcscd's presence poll (desfire.md §11), so a card that reconnects at once can be back before pcscd has
//! polled an empty reader: pcscd then never records the removal, and its state goes wrong (a reader shown
//! empty with the card on it, or an insertion reported in the middle of the next session). A physical
//! card is seen leaving; a simulated one must stay off at least one poll, and waiting for the operator
//! (or a test that has seen pcscd report the reader empty) guarantees it.

use std::io::BufRead;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use clap::Args;

use super::{CliResult, Env, Failure};
use crate::nfc::sim::{self, SimCard};
use crate::nfc::transport::{PullMoment, VirtualCard};
use crate::nfc::vpcd::{self, EndReason, ServeOptions};
use crate::ui_text;

/// The UID of the card when `--uid` is not given: NXP manufacturer byte `04`, then fixed bytes.
const DEFAULT_UID: [u8; 7] = [0x04, 0x5A, 0x21, 0x3C, 0x77, 0x10, 0x80];

#[derive(Debug, Args)]
pub struct CardsimArgs {
    /// Address of the vpcd virtual reader (pcscd with the vsmartcard-vpcd driver), e.g. 127.0.0.1:35963.
    #[arg(long, value_name = "HOST:PORT")]
    pub vpcd: String,
    /// The card's 7-byte UID in hexadecimal (default 045A213C771080).
    #[arg(long, value_name = "HEX")]
    pub uid: Option<String>,
    /// A random-UID card: the reader sees a new 08xxxxxx UID at each activation; GetCardUID gives the real one.
    #[arg(long)]
    pub random_uid: bool,
    /// Seed of the card's random numbers (challenges, random UIDs), for reproducible transcripts.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Pull the card off the reader after this many answered commands.
    #[arg(long, value_name = "N")]
    pub pull_after: Option<u64>,
    /// After a removal, present the same card again when a line is read on standard input (Enter).
    #[arg(long)]
    pub reinsert: bool,
}

/// Set by SIGTERM/SIGINT or by the end of standard input: the card leaves the reader.
static STOP: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// Installs the signal handlers and reads standard input on a thread of its own: each line asks for the
/// card to be presented again (`--reinsert`); the end of input takes the card away for good.
fn watch_for_the_end() -> Receiver<()> {
    #[cfg(target_os = "linux")]
    // SAFETY: the handler only stores into an atomic, which is async-signal-safe; it is installed before
    // any thread of ours could race with it.
    unsafe {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGINT, handler);
    }
    let (lines, requests) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let mut stdin = std::io::stdin().lock();
        while matches!(stdin.read_line(&mut line), Ok(n) if n > 0) {
            line.clear();
            // Nobody listens once the card is gone for good; the end of input still sets STOP below.
            let _ = lines.send(());
        }
        STOP.store(true, Ordering::SeqCst);
    });
    requests
}

/// Waits for a line on standard input (`true`), or for the end (`false`: input closed or a signal).
fn wait_for_reinsertion(requests: &Receiver<()>) -> bool {
    loop {
        if STOP.load(Ordering::SeqCst) {
            return false;
        }
        match requests.recv_timeout(Duration::from_millis(100)) {
            Ok(()) => return !STOP.load(Ordering::SeqCst),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

fn resolve(addr: &str) -> Result<SocketAddr, Failure> {
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| Failure(ui_text::cardsim_bad_address(addr)))
}

pub fn run(env: &Env, args: CardsimArgs) -> CliResult {
    let addr = resolve(&args.vpcd)?;
    let uid = match args.uid.as_deref() {
        Some(text) => sim::parse_uid(text).map_err(|e| Failure(ui_text::sim_error(&e)))?,
        None => DEFAULT_UID,
    };
    let mut card = if args.random_uid {
        SimCard::with_random_uid(uid, args.seed)
    } else {
        SimCard::blank(uid).with_seed(args.seed)
    };
    let requests = watch_for_the_end();
    let mut options = ServeOptions {
        connect_wait: Duration::from_secs(10),
        pull_after: args.pull_after.map(|n| (n, PullMoment::BeforeProcessing)),
    };
    let uid_text = ui_text::hex_bytes(&card.uid(), "");
    loop {
        // A line typed while the card was on the reader asks for nothing.
        while requests.try_recv().is_ok() {}
        if env.json {
            env.emit(&serde_json::json!({"event": "inserted", "uid": uid_text, "vpcd": addr.to_string()}));
        } else {
            println!(
                "{}",
                ui_text::cardsim_inserted(&uid_text, &addr.to_string())
            );
        }
        let end = vpcd::serve(&mut card as &mut dyn VirtualCard, addr, &STOP, &options)
            .map_err(|e| Failure(ui_text::cardsim_vpcd_error(&e)))?;
        if env.json {
            let reason = match end.reason {
                EndReason::Stopped => "stopped",
                EndReason::ClosedByPeer => "closed",
                EndReason::Pulled => "pulled",
            };
            env.emit(
                &serde_json::json!({"event": "removed", "reason": reason, "apdus": end.apdus}),
            );
        } else {
            println!("{}", ui_text::cardsim_removed(end.reason, end.apdus));
        }
        if end.reason == EndReason::Pulled {
            // Pulled once: presented again, the card stays.
            options.pull_after = None;
        }
        if end.reason == EndReason::Stopped || !args.reinsert || STOP.load(Ordering::SeqCst) {
            return Ok(());
        }
        if env.json {
            env.emit(&serde_json::json!({"event": "waiting"}));
        } else {
            println!("{}", ui_text::cardsim_waiting());
        }
        if !wait_for_reinsertion(&requests) {
            return Ok(());
        }
    }
}
