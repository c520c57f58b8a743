//! Wording of the software DESFire card (`guichet cardsim`): its errors and what it reports while it is on
//! the virtual reader.

use crate::fl;
use crate::nfc::sim::SimError;
use crate::nfc::vpcd::{EndReason, VpcdError};

pub fn sim_error(e: &SimError) -> String {
    match e {
        SimError::UidLength(got) => fl!("err-cardsim-uid-length", got = got.to_string()),
        SimError::UidHex(text) => fl!("err-cardsim-uid-hex", uid = text.clone()),
    }
}

pub fn cardsim_vpcd_error(e: &VpcdError) -> String {
    match e {
        VpcdError::Connect { addr, message } => fl!(
            "err-cardsim-connect",
            addr = addr.to_string(),
            message = message.clone()
        ),
        VpcdError::Io(message) => fl!("err-cardsim-io", message = message.clone()),
        VpcdError::ResponseTooLong(len) => {
            fl!("err-cardsim-response-too-long", len = len.to_string())
        }
    }
}

/// The `--vpcd` address does not name a host and port.
pub fn cardsim_bad_address(addr: &str) -> String {
    fl!("err-cardsim-address", addr = addr.to_string())
}

/// The card is on the virtual reader.
pub fn cardsim_inserted(uid: &str, addr: &str) -> String {
    fl!(
        "cardsim-inserted",
        uid = uid.to_string(),
        addr = addr.to_string()
    )
}

/// The card left the reader, and why.
pub fn cardsim_removed(reason: EndReason, apdus: u64) -> String {
    let apdus = apdus.to_string();
    match reason {
        EndReason::Stopped => fl!("cardsim-stopped", apdus = apdus),
        EndReason::ClosedByPeer => fl!("cardsim-closed", apdus = apdus),
        EndReason::Pulled => fl!("cardsim-pulled", apdus = apdus),
    }
}

/// `--reinsert`: the card is off the reader until the operator asks for it back.
pub fn cardsim_waiting() -> String {
    fl!("cardsim-waiting")
}
