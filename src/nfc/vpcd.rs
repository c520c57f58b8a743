//! A vpcd client: serves a [`VirtualCard`] to pcscd's virtual reader driver (vsmartcard-vpcd), so that the
//! software card is reached through the real PC/SC stack exactly like a card on a reader.
//!
//! Protocol (desfire.md §11): every message in both directions is a big-endian `u16` length followed by that
//! many bytes. From vpcd, a 1-byte message is a control byte (`00` power off, `01` power on, `02` reset,
//! `04` send the ATR, the only one answered); any other length is a C-APDU, answered by exactly one frame
//! holding the R-APDU. Opening the TCP connection inserts the card; closing it removes the card.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::transport::{PullMoment, VirtualCard};

const CTRL_OFF: u8 = 0x00;
const CTRL_ON: u8 = 0x01;
const CTRL_RESET: u8 = 0x02;
const CTRL_ATR: u8 = 0x04;

/// How often a blocked read looks at the stop flag.
const POLL: Duration = Duration::from_millis(50);

#[derive(Debug, thiserror::Error)]
pub enum VpcdError {
    /// vpcd did not accept the connection (pcscd not running with the vpcd driver on that port).
    #[error("cannot connect to vpcd at {addr}: {message}")]
    Connect { addr: SocketAddr, message: String },
    /// The connection failed after it was made.
    #[error("vpcd connection: {0}")]
    Io(String),
    /// The card's answer does not fit in one frame (more than 65535 bytes).
    #[error("the card's answer is {0} bytes long, more than a vpcd frame holds")]
    ResponseTooLong(usize),
}

/// How [`serve`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// Keep trying to connect this long (vpcd starts listening when pcscd loads the driver).
    pub connect_wait: Duration,
    /// Simulates a card pulled away mid-sequence: after this many APDUs answered, the next APDU closes the
    /// connection without an answer, before or after the card processed it.
    pub pull_after: Option<(u64, PullMoment)>,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            connect_wait: Duration::from_secs(2),
            pull_after: None,
        }
    }
}

/// Why [`serve`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The stop flag was set: the card was taken away.
    Stopped,
    /// vpcd closed the connection (pcscd stopped).
    ClosedByPeer,
    /// The scheduled pull ([`ServeOptions::pull_after`]) happened.
    Pulled,
}

/// What a finished [`serve`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeEnd {
    pub reason: EndReason,
    /// APDUs answered.
    pub apdus: u64,
}

/// Puts `card` on the vpcd reader listening at `addr` and answers it until `stop` is set, the connection
/// closes or the scheduled pull happens. The card is powered off when the connection ends, like a card
/// leaving the field; its persistent state stays in `card` for the next insertion.
pub fn serve(
    card: &mut dyn VirtualCard,
    addr: SocketAddr,
    stop: &AtomicBool,
    options: &ServeOptions,
) -> Result<ServeEnd, VpcdError> {
    let Some(mut stream) = connect(addr, stop, options.connect_wait)? else {
        return Ok(ServeEnd {
            reason: EndReason::Stopped,
            apdus: 0,
        });
    };
    let io = |e: io::Error| VpcdError::Io(e.to_string());
    stream.set_read_timeout(Some(POLL)).map_err(io)?;
    stream.set_nodelay(true).map_err(io)?;
    let mut session = Session {
        card,
        powered: false,
        apdus: 0,
        pull_after: options.pull_after,
    };
    let result = session.run(&mut stream, stop);
    if session.powered {
        session.card.power_off();
    }
    result.map(|reason| ServeEnd {
        reason,
        apdus: session.apdus,
    })
}

/// Connects, retrying while vpcd is not listening yet; `None` when stopped meanwhile.
fn connect(
    addr: SocketAddr,
    stop: &AtomicBool,
    wait: Duration,
) -> Result<Option<TcpStream>, VpcdError> {
    let deadline = Instant::now() + wait;
    loop {
        if stop.load(Ordering::SeqCst) {
            return Ok(None);
        }
        match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            Ok(s) => return Ok(Some(s)),
            Err(e) if Instant::now() >= deadline => {
                return Err(VpcdError::Connect {
                    addr,
                    message: e.to_string(),
                });
            }
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

struct Session<'c> {
    card: &'c mut dyn VirtualCard,
    powered: bool,
    apdus: u64,
    pull_after: Option<(u64, PullMoment)>,
}

/// What reading one frame gave.
enum Frame {
    Message(Vec<u8>),
    Closed,
    Stopped,
}

impl Session<'_> {
    fn run<S: Read + Write>(
        &mut self,
        stream: &mut S,
        stop: &AtomicBool,
    ) -> Result<EndReason, VpcdError> {
        loop {
            let message = match read_frame(stream, stop)? {
                Frame::Message(m) => m,
                Frame::Closed => return Ok(EndReason::ClosedByPeer),
                Frame::Stopped => return Ok(EndReason::Stopped),
            };
            if let [control] = message.as_slice() {
                match *control {
                    CTRL_OFF => {
                        self.card.power_off();
                        self.powered = false;
                    }
                    CTRL_ON => {
                        self.card.power_on();
                        self.powered = true;
                    }
                    CTRL_RESET => {
                        self.card.reset();
                        self.powered = true;
                    }
                    CTRL_ATR => {
                        if !write_frame(stream, &self.card.atr())? {
                            return Ok(EndReason::ClosedByPeer);
                        }
                    }
                    other => tracing::debug!("vpcd: unknown control byte {other:#04x} ignored"),
                }
                continue;
            }
            let pull = match self.pull_after {
                Some((n, moment)) if self.apdus >= n => Some(moment),
                _ => None,
            };
            if pull == Some(PullMoment::BeforeProcessing) {
                return Ok(EndReason::Pulled);
            }
            let response = self.card.process(&message);
            if pull == Some(PullMoment::AfterProcessing) {
                return Ok(EndReason::Pulled);
            }
            if !write_frame(stream, &response)? {
                return Ok(EndReason::ClosedByPeer);
            }
            self.apdus += 1;
        }
    }
}

/// Reads one frame; a connection closed mid-frame is a closed connection.
fn read_frame<S: Read>(stream: &mut S, stop: &AtomicBool) -> Result<Frame, VpcdError> {
    let mut header = [0u8; 2];
    if !read_exact(stream, &mut header, stop)? {
        return Ok(if stop.load(Ordering::SeqCst) {
            Frame::Stopped
        } else {
            Frame::Closed
        });
    }
    let mut body = vec![0u8; usize::from(u16::from_be_bytes(header))];
    if !read_exact(stream, &mut body, stop)? {
        return Ok(if stop.load(Ordering::SeqCst) {
            Frame::Stopped
        } else {
            Frame::Closed
        });
    }
    Ok(Frame::Message(body))
}

/// Fills `buf`, waiting through read timeouts; `false` on end of stream or stop.
fn read_exact<S: Read>(
    stream: &mut S,
    buf: &mut [u8],
    stop: &AtomicBool,
) -> Result<bool, VpcdError> {
    let mut filled = 0;
    while filled < buf.len() {
        if stop.load(Ordering::SeqCst) {
            return Ok(false);
        }
        let Some(rest) = buf.get_mut(filled..) else {
            return Ok(false);
        };
        match stream.read(rest) {
            Ok(0) => return Ok(false),
            Ok(n) => filled += n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(e) if peer_gone(&e) => return Ok(false),
            Err(e) => return Err(VpcdError::Io(e.to_string())),
        }
    }
    Ok(true)
}

/// Whether the peer closed the connection: the card is then simply out of the reader.
fn peer_gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    )
}

/// Writes one frame; `false` when the peer has closed the connection.
fn write_frame<S: Write>(stream: &mut S, body: &[u8]) -> Result<bool, VpcdError> {
    let len = u16::try_from(body.len()).map_err(|_| VpcdError::ResponseTooLong(body.len()))?;
    let mut frame = Vec::with_capacity(body.len() + 2);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(body);
    match stream.write_all(&frame).and_then(|()| stream.flush()) {
        Ok(()) => Ok(true),
        Err(e) if peer_gone(&e) => Ok(false),
        Err(e) => Err(VpcdError::Io(e.to_string())),
    }
}

#[cfg(test)]
#[path = "vpcd_tests.rs"]
mod tests;
