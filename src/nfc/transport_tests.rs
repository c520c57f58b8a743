use std::sync::atomic::Ordering;

use super::test_card::{ATR, UidCard};
use super::*;

const UID: [u8; 7] = [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66];

fn reader() -> (VirtualReader, Arc<std::sync::atomic::AtomicU32>) {
    let card = UidCard::new(&UID);
    let power_ups = Arc::clone(&card.power_ups);
    (
        VirtualReader::with_card("Virtual 0", Box::new(card)),
        power_ups,
    )
}

#[test]
fn connect_powers_the_card_and_reads_its_uid() {
    let (reader, power_ups) = reader();
    assert_eq!(power_ups.load(Ordering::SeqCst), 0);
    assert_eq!(reader.atr(), Some(ATR.to_vec()));
    let mut tx = reader.connect().expect("connect");
    assert_eq!(power_ups.load(Ordering::SeqCst), 1);
    assert_eq!(read_uid(&mut tx), Ok(UID.to_vec()));
    assert_eq!(
        tx.transmit(&[0x00, 0xEE, 0x00, 0x00, 0x02, 0xAB, 0xCD]),
        Ok(vec![0xAB, 0xCD, 0x90, 0x00])
    );
    assert_eq!(reader.transmits(), 2);
}

#[test]
fn one_connection_at_a_time_and_its_end_resets_the_card() {
    let (reader, power_ups) = reader();
    let tx = reader.connect().expect("connect");
    assert_eq!(reader.connect().err(), Some(TransportError::Busy));
    drop(tx);
    // The reset at the end of the connection is a power cycle of the card.
    assert_eq!(power_ups.load(Ordering::SeqCst), 2);
    assert!(reader.connect().is_ok());
}

#[test]
fn an_empty_reader_has_no_card() {
    let reader = VirtualReader::new("Virtual 1");
    assert!(!reader.card_present());
    assert_eq!(reader.atr(), None);
    assert_eq!(
        reader.connect().err(),
        Some(TransportError::NoCard("Virtual 1".into()))
    );
}

#[test]
fn a_scheduled_pull_fails_that_transmit_and_later_ones() {
    for moment in [PullMoment::BeforeProcessing, PullMoment::AfterProcessing] {
        let (reader, _) = reader();
        let mut tx = reader.connect().expect("connect");
        reader.pull_after(1, moment);
        assert!(read_uid(&mut tx).is_ok());
        assert_eq!(read_uid(&mut tx), Err(TransportError::CardRemoved));
        assert!(!reader.card_present());
        assert_eq!(read_uid(&mut tx), Err(TransportError::CardRemoved));
        // Back on the reader, the old connection stays dead; a new one works.
        reader.put_back();
        assert_eq!(read_uid(&mut tx), Err(TransportError::CardRemoved));
        drop(tx);
        let mut tx = reader.connect().expect("reconnect");
        assert_eq!(read_uid(&mut tx), Ok(UID.to_vec()));
        assert_eq!(reader.transmits(), 2, "{moment:?}");
    }
}

#[test]
fn a_cancelled_pull_does_not_happen() {
    let (reader, _) = reader();
    let mut tx = reader.connect().expect("connect");
    reader.pull_after(0, PullMoment::BeforeProcessing);
    reader.cancel_pull();
    assert!(read_uid(&mut tx).is_ok());
}

#[test]
fn a_card_taken_out_keeps_its_state_when_put_on_another_reader() {
    let (reader, power_ups) = reader();
    let mut tx = reader.connect().expect("connect");
    let card = reader.take().expect("the card");
    assert_eq!(read_uid(&mut tx), Err(TransportError::CardRemoved));
    assert!(reader.take().is_none());
    let other = VirtualReader::with_card("Virtual 2", card);
    let mut tx2 = other.connect().expect("connect");
    assert_eq!(read_uid(&mut tx2), Ok(UID.to_vec()));
    assert_eq!(power_ups.load(Ordering::SeqCst), 2);
    let replaced = other.insert(Box::new(UidCard::new(&[1, 2, 3, 4])));
    assert!(replaced.is_some());
    assert_eq!(read_uid(&mut tx2), Err(TransportError::CardRemoved));
}

/// A transport answering a fixed response, to feed `read_uid` odd answers.
struct Fixed(Vec<u8>);

impl CardTransport for Fixed {
    fn transmit(&mut self, _apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.0.clone())
    }
}

#[test]
fn read_uid_rejects_short_or_failed_answers() {
    assert_eq!(
        read_uid(&mut Fixed(vec![0x6A, 0x81])),
        Err(TransportError::UidRefused(0x6A81))
    );
    assert_eq!(
        read_uid(&mut Fixed(vec![0x90, 0x00])),
        Err(TransportError::UidRefused(0x9000))
    );
    assert_eq!(
        read_uid(&mut Fixed(vec![0x90])),
        Err(TransportError::UidRefused(0))
    );
    assert_eq!(
        read_uid(&mut Fixed(vec![])),
        Err(TransportError::UidRefused(0))
    );
    assert_eq!(read_uid(&mut Fixed(vec![7, 0x90, 0x00])), Ok(vec![7]));
}
