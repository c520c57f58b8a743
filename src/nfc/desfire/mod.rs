//! MIFARE DESFire protocol core shared by the host (encoder) and the software card (simulator): key types and
//! cryptography ([`crypto`]), random numbers ([`random`]), the authenticated session with its MAC and
//! encryption rules ([`session`]), and the authentication exchanges, host side and card side ([`auth`]). The
//! ISO 7816 wrapping, the `AF` framing and the status codes live in [`crate::nfc::apdu`]. Facts and test
//! vectors: `shared/reference/desfire.md` §1, §5–§9.
//!
//! Host: `auth::authenticate(t, AuthCommand::Aes, key_no, &key, &mut OsRandom)` gives a
//! [`session::Session`]; each later command goes through `Session::exchange` (or, step by step,
//! `Session::seal_command`, `apdu::transceive` and `Session::open_response`). Card: the simulator embeds [`auth::CardAuth`] and calls
//! `Session::open_command` / `Session::seal_response`; a failure maps to the status to answer with through
//! [`DesfireError::card_status`].

pub mod auth;
pub mod commands;
pub mod crypto;
pub mod random;
pub mod session;
#[cfg(test)]
pub(crate) mod testing;

use crate::nfc::apdu::Status;
use crate::nfc::transport::TransportError;

/// Everything that can go wrong while talking DESFire, on either side of the exchange.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DesfireError {
    /// The reader could not exchange the APDU.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The card answered with an error status (anything but `00` and `AF`, desfire.md §1.1).
    #[error("the card answered {0}")]
    Card(Status),
    /// The answer is not a DESFire answer (`SW1` is not `91`): e.g. `6A 82` from a non-DESFire card.
    #[error("not a DESFire answer: SW {sw1:02X} {sw2:02X}")]
    NotDesfire { sw1: u8, sw2: u8 },
    /// A message is shorter or longer than the protocol allows, or its framing is wrong.
    #[error("malformed message: {0}")]
    Malformed(&'static str),
    /// A MAC, a CRC or a padding does not verify: the message was altered or the keys differ.
    #[error("integrity check failed: {0}")]
    Integrity(&'static str),
    /// A MACed or enciphered command (or one that needs a key) was asked for without authentication; nothing
    /// was sent.
    #[error("this command needs an authenticated session")]
    NotAuthenticated,
    /// The other side did not prove knowledge of the key (rotated random number mismatch).
    #[error("authentication failed")]
    Authentication,
    /// A key of the wrong length for its type was given.
    #[error("a {kind} key is {expected} bytes long, not {got}")]
    KeyLength {
        kind: &'static str,
        expected: usize,
        got: usize,
    },
    /// The key type does not fit the operation (e.g. AES authentication with a DES key).
    #[error("a {got} key cannot be used for {operation}")]
    KeyType {
        got: &'static str,
        operation: &'static str,
    },
    /// A command's data does not fit in one short APDU (255 bytes).
    #[error("command data too long for one APDU: {0} bytes")]
    TooLong(usize),
    /// The diversification input is empty or too long for AN10922 (desfire.md §7).
    #[error("diversification input of {got} bytes (1 to {max} allowed)")]
    DiversificationInput { got: usize, max: usize },
    /// The EV2 command counter reached its end: the session must be re-established.
    #[error("EV2 command counter exhausted")]
    CounterExhausted,
    /// The operating system's random number generator failed (or a scripted test source ran dry).
    #[error("random number generator failed: {0}")]
    Random(String),
}

impl DesfireError {
    /// The status a card answers with when processing a command fails this way (desfire.md §1.2, §12):
    /// bad MAC/CRC → `1E`, failed authentication or wrong key type → `AE`, wrong length → `7E`, a status
    /// carried as is, anything else → `9E` (parameter error).
    pub fn card_status(&self) -> Status {
        match self {
            DesfireError::Card(s) => *s,
            DesfireError::Integrity(_) => Status::IntegrityError,
            DesfireError::Authentication
            | DesfireError::KeyType { .. }
            | DesfireError::NotAuthenticated => Status::AuthenticationError,
            DesfireError::Malformed(_) | DesfireError::TooLong(_) => Status::LengthError,
            _ => Status::ParameterError,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_status_mapping() {
        assert_eq!(
            DesfireError::Integrity("mac").card_status(),
            Status::IntegrityError
        );
        assert_eq!(
            DesfireError::Authentication.card_status(),
            Status::AuthenticationError
        );
        assert_eq!(
            DesfireError::Malformed("x").card_status(),
            Status::LengthError
        );
        assert_eq!(
            DesfireError::Card(Status::PermissionDenied).card_status(),
            Status::PermissionDenied
        );
        assert_eq!(
            DesfireError::CounterExhausted.card_status(),
            Status::ParameterError
        );
    }
}
