//! The one seam between the DESFire protocol code and a reader: a [`CardTransport`] sends a C-APDU and returns
//! the R-APDU. The PC/SC readers and the in-process virtual reader implement it; the software DESFire card
//! implements [`VirtualCard`], the card side of that exchange (also served to pcscd through vpcd).

use std::sync::{Arc, Mutex, MutexGuard};

/// Why an APDU could not be exchanged with the card. The card's own status words are not errors here: they
/// come back inside the response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No PC/SC service (pcscd not running, or no smart-card service on the system).
    #[error("the PC/SC service is not running")]
    NoService,
    /// The named reader is not (or no longer) connected.
    #[error("reader {0:?} not found")]
    NoReader(String),
    /// The reader has no card in its field.
    #[error("no card on reader {0:?}")]
    NoCard(String),
    /// The card left the field (or was reset) during the exchange.
    #[error("the card was removed")]
    CardRemoved,
    /// Another program holds the card in an exclusive transaction.
    #[error("the card is in use by another program")]
    Busy,
    /// The reader did not return the card's UID to GET DATA (`FF CA 00 00 00`): the status word it gave
    /// (0 when the answer was shorter than a status word).
    #[error("the reader did not give the card's UID (status {0:04X})")]
    UidRefused(u16),
    /// Any other failure reported by the reader stack, with its message.
    #[error("reader error: {0}")]
    Reader(String),
}

/// Sends command APDUs to one card. Implementations keep the card in one exclusive transaction for as long as
/// the value lives, so a whole authenticate-and-write sequence is not interleaved with other programs.
pub trait CardTransport {
    /// Sends one C-APDU and returns the R-APDU: response data followed by SW1 SW2.
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError>;
}

/// The card side: what a simulated card does when a reader powers it and sends it APDUs (desfire.md §11–§12).
pub trait VirtualCard: Send {
    /// The Answer To Reset sent after power-up or reset.
    fn atr(&self) -> Vec<u8>;
    /// Power-up: the card starts with no authentication and (random-UID cards) a fresh random UID.
    fn power_on(&mut self);
    /// Power-down: volatile state (sessions, selected application) is lost.
    fn power_off(&mut self);
    /// Warm reset: like power-off then power-on.
    fn reset(&mut self) {
        self.power_off();
        self.power_on();
    }
    /// Processes one C-APDU and returns the R-APDU (data ‖ SW1 SW2). Never panics on any input.
    fn process(&mut self, apdu: &[u8]) -> Vec<u8>;
}

/// The reader's pseudo-APDU GET DATA (UID): PC/SC Part 3 readers answer it themselves with the card's UID
/// (the CSN). Over vpcd there is no reader firmware, so the simulated card answers it (desfire.md §12).
pub const GET_UID_APDU: [u8; 5] = [0xFF, 0xCA, 0x00, 0x00, 0x00];

/// Reads the card's UID through the reader's GET DATA pseudo-APDU ([`GET_UID_APDU`]).
pub fn read_uid(transport: &mut dyn CardTransport) -> Result<Vec<u8>, TransportError> {
    let response = transport.transmit(&GET_UID_APDU)?;
    match response.split_last_chunk::<2>() {
        Some((uid, [0x90, 0x00])) if !uid.is_empty() => Ok(uid.to_vec()),
        Some((_, &[sw1, sw2])) => Err(TransportError::UidRefused(u16::from_be_bytes([sw1, sw2]))),
        None => Err(TransportError::UidRefused(0)),
    }
}

/// When a scheduled pull takes the card away: before the card sees the command (the command is lost), or
/// after it processed it (the command took effect but its response is lost). A write interrupted by a
/// card pulled away can end either way, and the resume logic must cope with both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullMoment {
    BeforeProcessing,
    AfterProcessing,
}

/// An in-process reader holding a [`VirtualCard`]: the training mode and the tests use it instead of PC/SC.
/// Clones share the same slot, so a test can keep one clone to pull the card while the code under test
/// talks to the card through a [`VirtualTransport`].
///
/// Like a PC/SC reader: connecting powers the card up; one connection at a time holds the card (the
/// exclusive transaction of [`CardTransport`]); ending it resets the card so no authenticated session
/// outlives it; a card that leaves the field invalidates the connection even if it comes back.
#[derive(Clone)]
pub struct VirtualReader {
    name: String,
    slot: Arc<Mutex<Slot>>,
}

struct Slot {
    card: Option<Box<dyn VirtualCard>>,
    /// The card is on the reader (not lifted away).
    in_field: bool,
    powered: bool,
    /// Bumped each time the card leaves the field: a connection made before is dead.
    insertion: u64,
    /// The connection currently holding the card, by insertion number.
    connected: Option<u64>,
    /// Successful transmits left before the scheduled pull, and its moment.
    pull: Option<(u32, PullMoment)>,
    transmits: u64,
}

impl Slot {
    fn leave_field(&mut self) {
        if let Some(card) = self.card.as_mut()
            && self.powered
        {
            card.power_off();
        }
        self.powered = false;
        self.in_field = false;
        self.connected = None;
        self.insertion += 1;
    }

    fn present(&self) -> bool {
        self.card.is_some() && self.in_field
    }
}

impl std::fmt::Debug for VirtualReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualReader")
            .field("name", &self.name)
            .field("card_present", &self.card_present())
            .finish()
    }
}

impl VirtualReader {
    /// An empty reader.
    pub fn new(name: &str) -> VirtualReader {
        VirtualReader {
            name: name.to_string(),
            slot: Arc::new(Mutex::new(Slot {
                card: None,
                in_field: false,
                powered: false,
                insertion: 0,
                connected: None,
                pull: None,
                transmits: 0,
            })),
        }
    }

    /// A reader with `card` on it.
    pub fn with_card(name: &str, card: Box<dyn VirtualCard>) -> VirtualReader {
        let reader = VirtualReader::new(name);
        reader.insert(card);
        reader
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn slot(&self) -> MutexGuard<'_, Slot> {
        // A panic elsewhere while holding the lock leaves the slot consistent (every update is one step).
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts `card` on the reader and returns the card that was there, if any (taken away first).
    pub fn insert(&self, card: Box<dyn VirtualCard>) -> Option<Box<dyn VirtualCard>> {
        let mut slot = self.slot();
        slot.leave_field();
        let previous = slot.card.replace(card);
        slot.in_field = true;
        previous
    }

    /// Takes the card off the reader, powered down, with its persistent state.
    pub fn take(&self) -> Option<Box<dyn VirtualCard>> {
        let mut slot = self.slot();
        slot.leave_field();
        slot.card.take()
    }

    /// Lifts the card out of the field without taking it: power is lost, the connection is dead, the card
    /// keeps its persistent state for [`VirtualReader::put_back`].
    pub fn lift(&self) {
        self.slot().leave_field();
    }

    /// Puts a lifted card back in the field (a new connection powers it up again).
    pub fn put_back(&self) {
        let mut slot = self.slot();
        if slot.card.is_some() {
            slot.in_field = true;
        }
    }

    /// Whether a card is in the field.
    pub fn card_present(&self) -> bool {
        self.slot().present()
    }

    /// Schedules a pull: after `transmits` more successful exchanges, the next one fails with
    /// [`TransportError::CardRemoved`] and the card is lifted ([`VirtualReader::lift`]).
    pub fn pull_after(&self, transmits: u32, moment: PullMoment) {
        self.slot().pull = Some((transmits, moment));
    }

    /// Cancels a scheduled pull.
    pub fn cancel_pull(&self) {
        self.slot().pull = None;
    }

    /// How many APDUs the card has answered since the reader was made (tests use it to size pull points).
    pub fn transmits(&self) -> u64 {
        self.slot().transmits
    }

    /// The card's ATR when a card is in the field.
    pub fn atr(&self) -> Option<Vec<u8>> {
        let slot = self.slot();
        match &slot.card {
            Some(card) if slot.in_field => Some(card.atr()),
            _ => None,
        }
    }

    /// Connects to the card, powering it up: [`TransportError::NoCard`] without a card in the field,
    /// [`TransportError::Busy`] while another connection holds it.
    pub fn connect(&self) -> Result<VirtualTransport, TransportError> {
        let mut slot = self.slot();
        if !slot.present() {
            return Err(TransportError::NoCard(self.name.clone()));
        }
        if slot.connected.is_some() {
            return Err(TransportError::Busy);
        }
        if !slot.powered {
            if let Some(card) = slot.card.as_mut() {
                card.power_on();
            }
            slot.powered = true;
        }
        let insertion = slot.insertion;
        slot.connected = Some(insertion);
        Ok(VirtualTransport {
            slot: Arc::clone(&self.slot),
            insertion,
        })
    }
}

/// One connection to a [`VirtualReader`]'s card; see there.
pub struct VirtualTransport {
    slot: Arc<Mutex<Slot>>,
    insertion: u64,
}

impl VirtualTransport {
    fn slot(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl CardTransport for VirtualTransport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut slot = self.slot();
        if slot.insertion != self.insertion || !slot.present() {
            return Err(TransportError::CardRemoved);
        }
        let pull = match slot.pull {
            Some((0, moment)) => Some(moment),
            Some((n, moment)) => {
                slot.pull = Some((n - 1, moment));
                None
            }
            None => None,
        };
        if pull == Some(PullMoment::BeforeProcessing) {
            slot.pull = None;
            slot.leave_field();
            return Err(TransportError::CardRemoved);
        }
        let Some(card) = slot.card.as_mut() else {
            return Err(TransportError::CardRemoved);
        };
        let response = card.process(apdu);
        if pull == Some(PullMoment::AfterProcessing) {
            slot.pull = None;
            slot.leave_field();
            return Err(TransportError::CardRemoved);
        }
        slot.transmits += 1;
        Ok(response)
    }
}

impl Drop for VirtualTransport {
    /// Ends the connection like PC/SC's `SCARD_RESET_CARD` disposition: the card's sessions end with it.
    fn drop(&mut self) {
        let mut slot = self.slot();
        if slot.connected == Some(self.insertion) && slot.insertion == self.insertion {
            slot.connected = None;
            if let Some(card) = slot.card.as_mut() {
                card.reset();
            }
        }
    }
}

/// A small card for the reader tests: answers GET DATA (UID) with its UID, echoes `00 EE 00 00 Lc data`
/// back with 90 00, counts power-ups, and answers 6D 00 to anything else.
#[cfg(test)]
pub(crate) mod test_card {
    use super::{GET_UID_APDU, VirtualCard};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    pub const ATR: [u8; 6] = [0x3B, 0x81, 0x80, 0x01, 0x80, 0x80];

    pub struct UidCard {
        pub uid: Vec<u8>,
        pub power_ups: Arc<AtomicU32>,
        pub powered: bool,
    }

    impl UidCard {
        pub fn new(uid: &[u8]) -> UidCard {
            UidCard {
                uid: uid.to_vec(),
                power_ups: Arc::new(AtomicU32::new(0)),
                powered: false,
            }
        }
    }

    impl VirtualCard for UidCard {
        fn atr(&self) -> Vec<u8> {
            ATR.to_vec()
        }
        fn power_on(&mut self) {
            self.powered = true;
            self.power_ups.fetch_add(1, Ordering::SeqCst);
        }
        fn power_off(&mut self) {
            self.powered = false;
        }
        fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
            if !self.powered {
                return vec![0x6F, 0x00];
            }
            if apdu == GET_UID_APDU {
                return [self.uid.as_slice(), &[0x90, 0x00]].concat();
            }
            match apdu {
                [0x00, 0xEE, 0x00, 0x00, lc, data @ ..] if data.len() == usize::from(*lc) => {
                    [data, &[0x90, 0x00]].concat()
                }
                _ => vec![0x6D, 0x00],
            }
        }
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
