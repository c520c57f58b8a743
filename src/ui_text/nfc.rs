//! Wording of the contactless-card errors: DESFire protocol failures, card statuses and reader failures.

use crate::fl;
use crate::nfc::apdu::Status;
use crate::nfc::desfire::DesfireError;

/// What went wrong with the card and what to do about it.
pub fn nfc_error(e: &DesfireError) -> String {
    match e {
        DesfireError::Transport(t) => super::reader_error(t),
        DesfireError::Card(s) => fl!("err-nfc-card-status", status = nfc_status(*s)),
        DesfireError::NotDesfire { sw1, sw2 } => {
            fl!("err-nfc-not-desfire", sw = format!("{sw1:02X} {sw2:02X}"))
        }
        DesfireError::Malformed(d) => fl!("err-nfc-malformed", detail = d.to_string()),
        DesfireError::Integrity(d) => fl!("err-nfc-integrity", detail = d.to_string()),
        DesfireError::Authentication => fl!("err-nfc-authentication"),
        DesfireError::NotAuthenticated => fl!("err-nfc-not-authenticated"),
        DesfireError::KeyLength {
            kind,
            expected,
            got,
        } => fl!(
            "err-nfc-key-length",
            kind = kind.to_string(),
            expected = expected.to_string(),
            got = got.to_string()
        ),
        DesfireError::KeyType { got, operation } => fl!(
            "err-nfc-key-type",
            kind = got.to_string(),
            operation = operation.to_string()
        ),
        DesfireError::TooLong(len) => fl!("err-nfc-too-long", len = len.to_string()),
        DesfireError::DiversificationInput { got, max } => fl!(
            "err-nfc-diversification",
            got = got.to_string(),
            max = max.to_string()
        ),
        DesfireError::CounterExhausted => fl!("err-nfc-counter"),
        DesfireError::Random(m) => fl!("err-nfc-random", message = m.clone()),
    }
}

/// What a DESFire status code means for the operator (desfire.md §1.2).
pub fn nfc_status(s: Status) -> String {
    match s {
        Status::Ok => fl!("nfc-status-ok"),
        Status::NoChanges => fl!("nfc-status-no-changes"),
        Status::OutOfEeprom => fl!("nfc-status-out-of-eeprom"),
        Status::IllegalCommand => fl!("nfc-status-illegal-command"),
        Status::IntegrityError => fl!("nfc-status-integrity-error"),
        Status::NoSuchKey => fl!("nfc-status-no-such-key"),
        Status::LengthError => fl!("nfc-status-length-error"),
        Status::PermissionDenied => fl!("nfc-status-permission-denied"),
        Status::ParameterError => fl!("nfc-status-parameter-error"),
        Status::ApplicationNotFound => fl!("nfc-status-application-not-found"),
        Status::AuthenticationError => fl!("nfc-status-authentication-error"),
        Status::AdditionalFrame => fl!("nfc-status-additional-frame"),
        Status::BoundaryError => fl!("nfc-status-boundary-error"),
        Status::CommandAborted => fl!("nfc-status-command-aborted"),
        Status::PiccDisabled => fl!("nfc-status-picc-disabled"),
        Status::CountError => fl!("nfc-status-count-error"),
        Status::Duplicate => fl!("nfc-status-duplicate"),
        Status::EepromError => fl!("nfc-status-eeprom-error"),
        Status::FileNotFound => fl!("nfc-status-file-not-found"),
        Status::FileIntegrityError => fl!("nfc-status-file-integrity-error"),
        Status::Other(code) => fl!("nfc-status-other", code = format!("{code:02X}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_error_has_its_own_text() {
        let mut texts: Vec<String> = (0..=255u8)
            .map(Status::from_byte)
            .filter(|s| !matches!(s, Status::Other(_)))
            .map(nfc_status)
            .collect();
        assert_eq!(texts.len(), 20);
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), 20, "two statuses share a text");
        assert!(nfc_status(Status::Other(0x42)).contains("42"));
        let card = nfc_error(&DesfireError::Card(Status::AuthenticationError));
        assert!(card.contains(&nfc_status(Status::AuthenticationError)));
        use crate::nfc::transport::TransportError;
        let removed = nfc_error(&DesfireError::Transport(TransportError::CardRemoved));
        assert_eq!(
            removed,
            crate::ui_text::reader_error(&TransportError::CardRemoved)
        );
        assert!(
            nfc_error(&DesfireError::NotDesfire {
                sw1: 0x6A,
                sw2: 0x82
            })
            .contains("6A 82")
        );
    }
}
