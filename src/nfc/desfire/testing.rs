//! Test helpers shared by the DESFire unit tests: hex decoding and a transport that replays a transcript.

use std::collections::VecDeque;

use crate::nfc::transport::{CardTransport, TransportError, VirtualCard};

/// Decodes hex, ignoring spaces; test input is trusted, so bad hex fails the test.
pub fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(digits.len().is_multiple_of(2), "odd hex length: {s}");
    digits
        .chunks(2)
        .map(|p| {
            let text = std::str::from_utf8(p).expect("ascii");
            u8::from_str_radix(text, 16).expect("hex digit")
        })
        .collect()
}

/// Plays one side of a recorded exchange: each `transmit` must send exactly the next expected C-APDU (when
/// one is given) and gets the recorded R-APDU back.
#[derive(Default)]
pub struct Transcript {
    steps: VecDeque<(Option<Vec<u8>>, Vec<u8>)>,
    pub sent: Vec<Vec<u8>>,
}

impl Transcript {
    pub fn new() -> Transcript {
        Transcript::default()
    }

    /// Expects `apdu` (hex) and answers `reply` (hex).
    pub fn step(mut self, apdu: &str, reply: &str) -> Transcript {
        self.steps.push_back((Some(hex(apdu)), hex(reply)));
        self
    }

    /// Answers `reply` (hex) to whatever comes next.
    pub fn reply(mut self, reply: &str) -> Transcript {
        self.steps.push_back((None, hex(reply)));
        self
    }

    pub fn is_done(&self) -> bool {
        self.steps.is_empty()
    }
}

impl CardTransport for Transcript {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.sent.push(apdu.to_vec());
        let (expected, reply) = self.steps.pop_front().ok_or(TransportError::CardRemoved)?;
        if let Some(expected) = expected {
            assert_eq!(apdu, expected.as_slice(), "unexpected C-APDU");
        }
        Ok(reply)
    }
}

/// Lets a host function talk to an in-process [`VirtualCard`].
pub struct Direct<'a, C: VirtualCard>(pub &'a mut C);

impl<C: VirtualCard> CardTransport for Direct<'_, C> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.0.process(apdu))
    }
}
