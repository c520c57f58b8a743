//! The one seam between the DESFire protocol code and a reader: a [`CardTransport`] sends a C-APDU and returns
//! the R-APDU. The PC/SC readers and the in-process virtual reader implement it; the software DESFire card
//! implements [`VirtualCard`], the card side of that exchange (also served to pcscd through vpcd).

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
