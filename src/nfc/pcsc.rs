//! PC/SC readers (pcsc-lite's pcscd on Linux, the smart-card service on Windows and macOS) through the
//! `pcsc` crate: list the readers, see which hold a card, connect to one and exchange APDUs inside one
//! exclusive transaction (crates.md §4).
//!
//! Without the service (pcscd not installed or not running) every entry point returns
//! [`TransportError::NoService`]; the application says so and keeps working without readers.

use std::ffi::CString;
use std::time::Duration;

use pcsc::{Card, Context, Disposition, Protocols, ReaderState, Scope, ShareMode, State};

use super::transport::{self, CardTransport, TransportError};

/// One reader and what is on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderStatus {
    pub name: String,
    /// The ATR of the card in the field; `None` without a card (or with a card that does not answer).
    pub atr: Option<Vec<u8>>,
}

/// Whether a reader name is a SAM slot (the secure module inside some readers, not a place for a card):
/// those are never offered to the operator.
pub fn is_sam_slot(name: &str) -> bool {
    name.contains("SAM")
}

/// Maps a PC/SC error outside an exchange with the card (listing, status, connecting).
pub(crate) fn map_error(e: pcsc::Error, reader: &str) -> TransportError {
    use pcsc::Error as E;
    match e {
        E::NoService | E::ServiceStopped => TransportError::NoService,
        E::UnknownReader | E::ReaderUnavailable | E::NoReadersAvailable => {
            TransportError::NoReader(reader.to_string())
        }
        E::NoSmartcard | E::RemovedCard | E::UnpoweredCard | E::UnresponsiveCard => {
            TransportError::NoCard(reader.to_string())
        }
        E::ResetCard => TransportError::CardRemoved,
        E::SharingViolation => TransportError::Busy,
        other => TransportError::Reader(other.to_string()),
    }
}

/// Maps a PC/SC error during an exchange: a card that left, lost power or was reset by another program has
/// lost its DESFire session, so all of them read as [`TransportError::CardRemoved`].
fn map_transmit_error(e: pcsc::Error, reader: &str) -> TransportError {
    use pcsc::Error as E;
    match e {
        E::RemovedCard | E::ResetCard | E::UnpoweredCard | E::NoSmartcard | E::UnresponsiveCard => {
            TransportError::CardRemoved
        }
        other => map_error(other, reader),
    }
}

/// A connection to the PC/SC service.
#[derive(Clone)]
pub struct Pcsc {
    ctx: Context,
}

impl std::fmt::Debug for Pcsc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pcsc")
    }
}

impl Pcsc {
    /// Connects to the service: [`TransportError::NoService`] when it is not running.
    pub fn establish() -> Result<Pcsc, TransportError> {
        Context::establish(Scope::User)
            .map(|ctx| Pcsc { ctx })
            .map_err(|e| map_error(e, ""))
    }

    pub(crate) fn context(&self) -> &Context {
        &self.ctx
    }

    /// The names of the card readers (SAM slots left out), in the service's order.
    pub fn readers(&self) -> Result<Vec<String>, TransportError> {
        let names = self
            .ctx
            .list_readers_owned()
            .map_err(|e| map_error(e, ""))?;
        Ok(names
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !is_sam_slot(n))
            .collect())
    }

    /// Each reader with the ATR of its card, read from the service without touching the cards.
    pub fn statuses(&self) -> Result<Vec<ReaderStatus>, TransportError> {
        let names = self.readers()?;
        let mut states = Vec::with_capacity(names.len());
        for name in &names {
            let Ok(c) = CString::new(name.as_str()) else {
                continue;
            };
            states.push(ReaderState::new(c, State::UNAWARE));
        }
        if states.is_empty() {
            return Ok(Vec::new());
        }
        // With UNAWARE states the call returns at once with the current state of every reader.
        match self
            .ctx
            .get_status_change(Duration::from_millis(1000), &mut states)
        {
            Ok(()) | Err(pcsc::Error::Timeout) => {}
            Err(e) => return Err(map_error(e, "")),
        }
        Ok(states.iter().map(status_of).collect())
    }

    /// Connects to the card on `reader` and opens the exclusive transaction that [`PcscCard`] holds.
    ///
    /// The connection itself is exclusive too: pcsc-lite's `SCardBeginTransaction` waits without limit
    /// while another program holds a transaction, whereas an exclusive connection fails at once with
    /// [`TransportError::Busy`], which the operator can act on.
    pub fn connect(&self, reader: &str) -> Result<PcscCard, TransportError> {
        let name =
            CString::new(reader).map_err(|_| TransportError::NoReader(reader.to_string()))?;
        let mut card = self
            .ctx
            .connect(&name, ShareMode::Exclusive, Protocols::ANY)
            .map_err(|e| map_error(e, reader))?;
        begin_transaction(&mut card, reader)?;
        let atr = card
            .status2_owned()
            .map(|s| s.atr().to_vec())
            .map_err(|e| map_transmit_error(e, reader))?;
        Ok(PcscCard {
            card,
            reader: reader.to_string(),
            atr,
            buffer: vec![0; pcsc::MAX_BUFFER_SIZE_EXTENDED],
        })
    }
}

/// What a reader state says about its card: present (and not mute) with its ATR, or none.
pub(crate) fn status_of(rs: &ReaderState) -> ReaderStatus {
    let event = rs.event_state();
    let present = event.contains(State::PRESENT) && !event.contains(State::MUTE);
    ReaderStatus {
        name: rs.name().to_string_lossy().into_owned(),
        atr: present.then(|| rs.atr().to_vec()),
    }
}

/// Starts the exclusive transaction and leaves it open for the card's lifetime.
///
/// The crate's `Transaction` borrows the `Card` mutably, which a struct cannot hold next to the card itself.
/// The transaction value is forgotten instead (it owns nothing; forgetting it only skips its
/// `SCardEndTransaction`), and the transaction ends with the connection: `SCardDisconnect` releases it, both
/// in pcsc-lite and in winscard. A card reset by another program before we begin (`ResetCard`) is
/// reconnected once and the transaction retried (the pattern `transaction2` exists for, crates.md §4).
fn begin_transaction(card: &mut Card, reader: &str) -> Result<(), TransportError> {
    let card = match card.transaction2() {
        Ok(tx) => {
            std::mem::forget(tx);
            return Ok(());
        }
        Err((card, pcsc::Error::ResetCard)) => card,
        Err((_, e)) => return Err(map_error(e, reader)),
    };
    card.reconnect(ShareMode::Exclusive, Protocols::ANY, Disposition::LeaveCard)
        .map_err(|e| map_error(e, reader))?;
    let tx = card.transaction().map_err(|e| map_error(e, reader))?;
    std::mem::forget(tx);
    Ok(())
}

/// A card on a PC/SC reader, held in one exclusive transaction for as long as the value lives, so that a
/// whole authenticate-and-write sequence is never interleaved with another program's commands.
///
/// Dropping it disconnects with `SCARD_RESET_CARD` (the `pcsc` crate's `Drop` for `Card`): the transaction
/// ends and the card is reset, so no authenticated DESFire session outlives the connection for another
/// program to use.
pub struct PcscCard {
    card: Card,
    reader: String,
    atr: Vec<u8>,
    buffer: Vec<u8>,
}

impl std::fmt::Debug for PcscCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscCard")
            .field("reader", &self.reader)
            .finish()
    }
}

impl PcscCard {
    pub fn reader(&self) -> &str {
        &self.reader
    }

    /// The Answer To Reset read when connecting.
    pub fn atr(&self) -> &[u8] {
        &self.atr
    }

    /// The card's UID (its CSN) through the reader's GET DATA pseudo-APDU.
    pub fn uid(&mut self) -> Result<Vec<u8>, TransportError> {
        transport::read_uid(self)
    }
}

impl CardTransport for PcscCard {
    /// A response without a status word means the exchange did not complete: a card always ends its
    /// answer with SW1 SW2. pcsc-lite 1.9.9 with vpcd reports a card gone mid-exchange this way (an empty
    /// success), so it reads as [`TransportError::CardRemoved`] too.
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let response = self
            .card
            .transmit(apdu, &mut self.buffer)
            .map_err(|e| map_transmit_error(e, &self.reader))?;
        if response.len() < 2 {
            return Err(TransportError::CardRemoved);
        }
        Ok(response.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sam_slots_are_recognised() {
        assert!(is_sam_slot("ACS ACR1281 1S Dual Reader SAM 00 02"));
        assert!(!is_sam_slot("ACS ACR1281 1S Dual Reader PICC 00 01"));
        assert!(!is_sam_slot("Virtual PCD 00 00"));
    }

    #[test]
    fn errors_map_to_what_the_operator_can_act_on() {
        use pcsc::Error as E;
        assert_eq!(map_error(E::NoService, "r"), TransportError::NoService);
        assert_eq!(map_error(E::ServiceStopped, "r"), TransportError::NoService);
        assert_eq!(
            map_error(E::UnknownReader, "r"),
            TransportError::NoReader("r".into())
        );
        assert_eq!(
            map_error(E::NoSmartcard, "r"),
            TransportError::NoCard("r".into())
        );
        assert_eq!(map_error(E::SharingViolation, "r"), TransportError::Busy);
        assert_eq!(
            map_transmit_error(E::RemovedCard, "r"),
            TransportError::CardRemoved
        );
        assert_eq!(
            map_transmit_error(E::ResetCard, "r"),
            TransportError::CardRemoved
        );
        assert!(matches!(
            map_transmit_error(E::InvalidParameter, "r"),
            TransportError::Reader(_)
        ));
    }
}
