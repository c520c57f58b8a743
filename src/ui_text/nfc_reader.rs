//! Wording of the card readers: reader errors, reader and card events (status bar), the reader list.

use crate::fl;
use crate::nfc::monitor::ReaderEvent;
use crate::nfc::transport::TransportError;

/// Bytes as upper-case hex pairs joined by `separator`: an ATR reads `3B 81 80 01 80 80`.
pub fn hex_bytes(bytes: &[u8], separator: &str) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(separator)
}

pub fn reader_error(e: &TransportError) -> String {
    match e {
        TransportError::NoService => fl!("err-nfc-no-service"),
        TransportError::NoReader(reader) => fl!("err-nfc-no-reader", reader = reader.clone()),
        TransportError::NoCard(reader) => fl!("err-nfc-no-card", reader = reader.clone()),
        TransportError::CardRemoved => fl!("err-nfc-card-removed"),
        TransportError::Busy => fl!("err-nfc-busy"),
        TransportError::UidRefused(sw) => fl!("err-nfc-uid-refused", sw = format!("{sw:04X}")),
        TransportError::Reader(message) => fl!("err-nfc-reader", message = message.clone()),
    }
}

/// One line for the status bar or a log of what happened on the readers.
pub fn reader_event(e: &ReaderEvent) -> String {
    match e {
        ReaderEvent::ReaderAdded(reader) => fl!("nfc-event-reader-added", reader = reader.clone()),
        ReaderEvent::ReaderRemoved(reader) => {
            fl!("nfc-event-reader-removed", reader = reader.clone())
        }
        ReaderEvent::CardPresent { reader, .. } => {
            fl!("nfc-event-card-present", reader = reader.clone())
        }
        ReaderEvent::CardRemoved { reader } => {
            fl!("nfc-event-card-removed", reader = reader.clone())
        }
        ReaderEvent::ServiceUnavailable => fl!("nfc-event-service-unavailable"),
        ReaderEvent::ServiceBack => fl!("nfc-event-service-back"),
    }
}

/// A reader and its card for `guichet nfc readers`: `uid` is what reading the card's UID gave, `None`
/// without a card.
pub fn reader_line(
    reader: &str,
    atr: Option<&[u8]>,
    uid: Option<&Result<String, TransportError>>,
) -> String {
    match (atr, uid) {
        (Some(atr), Some(Ok(uid))) => fl!(
            "nfc-reader-card",
            reader = reader.to_string(),
            atr = hex_bytes(atr, " "),
            uid = uid.clone()
        ),
        (Some(atr), Some(Err(e))) => fl!(
            "nfc-reader-card-no-uid",
            reader = reader.to_string(),
            atr = hex_bytes(atr, " "),
            message = reader_error(e)
        ),
        _ => fl!("nfc-reader-empty", reader = reader.to_string()),
    }
}

pub fn no_readers() -> String {
    fl!("nfc-readers-none")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, message_ids};

    /// Checked in both languages without switching the process-wide language (other tests read it).
    #[test]
    fn every_error_and_event_has_words_in_both_languages() {
        let errors = [
            TransportError::NoService,
            TransportError::NoReader("R".into()),
            TransportError::NoCard("R".into()),
            TransportError::CardRemoved,
            TransportError::Busy,
            TransportError::UidRefused(0x6A81),
            TransportError::Reader("x".into()),
        ];
        let events = [
            ReaderEvent::ReaderAdded("R".into()),
            ReaderEvent::ReaderRemoved("R".into()),
            ReaderEvent::CardPresent {
                reader: "R".into(),
                atr: vec![0x3B],
            },
            ReaderEvent::CardRemoved { reader: "R".into() },
            ReaderEvent::ServiceUnavailable,
            ReaderEvent::ServiceBack,
        ];
        let texts: Vec<String> = errors
            .iter()
            .map(reader_error)
            .chain(events.iter().map(reader_event))
            .collect();
        let mut distinct = texts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), texts.len(), "{texts:#?}");
        assert!(reader_error(&TransportError::UidRefused(0x6A81)).contains("6A81"));
        // Every key of this module is in both languages (the DESFire texts of ui_text/nfc.rs are checked there).
        let source = include_str!("nfc_reader.rs");
        let keys: Vec<&str> = source
            .split('"')
            .filter(|k| {
                (k.starts_with("nfc-") || k.starts_with("err-nfc-"))
                    && !k.contains(' ')
                    && !k.ends_with('-')
            })
            .collect();
        assert!(keys.len() >= 17, "{keys:?}");
        for lang in [Lang::Fr, Lang::En] {
            let ids = message_ids(lang);
            for k in &keys {
                assert!(ids.iter().any(|id| id == k), "{lang:?}: {k} missing");
            }
        }
    }

    #[test]
    fn reader_lines_show_the_atr_and_the_uid() {
        let line = reader_line("R", Some(&[0x3B, 0x81]), Some(&Ok("DEADBEEF".into())));
        assert!(
            line.contains("3B 81") && line.contains("DEADBEEF"),
            "{line}"
        );
        let line = reader_line("R", Some(&[0x3B]), Some(&Err(TransportError::Busy)));
        assert!(
            line.contains(&reader_error(&TransportError::Busy)),
            "{line}"
        );
        assert!(!reader_line("R", None, None).contains("3B"));
        assert_eq!(hex_bytes(&[0x0A, 0xFF], ""), "0AFF");
    }
}
