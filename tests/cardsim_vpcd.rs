//! `guichet cardsim` end to end: the software DESFire card runs as its own process on a private pcscd's vpcd
//! reader, and the host code talks to it through PC/SC exactly as to a real card.

mod support;

use guichet::nfc::apdu::{self, Status, ins};
use guichet::nfc::desfire::auth::{self, AuthCommand};
use guichet::nfc::desfire::crypto::{Key, KeyType};
use guichet::nfc::desfire::random::SeededRandom;
use guichet::nfc::pcsc::{Pcsc, PcscCard};
use guichet::nfc::sim::ATR;
use support::cardsim::{Sim, connect, reader_events, wait_for_reader};
use support::pcscd::{self, Pcscd};

const UID: &str = "04A1B2C3D4E5F6";
const UID_BYTES: [u8; 7] = [0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6];
/// AID F585C0, sent LSB first (desfire.md §2.2).
const AID: [u8; 3] = [0xC0, 0x85, 0xF5];

fn des_login(card: &mut PcscCard) {
    auth::authenticate(
        card,
        AuthCommand::Legacy,
        0,
        &Key::zero(KeyType::Des),
        &mut SeededRandom::new(8),
    )
    .expect("authenticate with the default PICC key");
}

/// CreateApplication of [`AID`] with key settings `amks` and key count/type `nok`.
fn create_application(card: &mut PcscCard, amks: u8, nok: u8) {
    let data = [AID[0], AID[1], AID[2], amks, nok];
    let r = apdu::transceive(card, ins::CREATE_APPLICATION, &data).expect("CreateApplication");
    assert_eq!(r.status, Status::Ok);
}

fn application_ids(card: &mut PcscCard) -> Vec<u8> {
    let r = apdu::transceive(card, ins::GET_APPLICATION_IDS, &[]).expect("GetApplicationIDs");
    assert_eq!(r.status, Status::Ok);
    r.data
}

#[test]
fn a_blank_card_is_read_authenticated_and_written_through_pcsc() {
    let _pcsc = pcscd::lock();
    let Some(daemon) = Pcscd::start() else {
        return;
    };
    let mut sim = Sim::start(&daemon, 0, UID, &[]);
    assert!(sim.line().contains(UID), "the card announces itself");
    let pcsc = Pcsc::establish().expect("the private pcscd");
    let mut card = connect(&pcsc, &daemon.reader(0));
    assert_eq!(card.atr(), ATR);

    let version = apdu::transceive(&mut card, ins::GET_VERSION, &[]).expect("GetVersion");
    assert_eq!(version.status, Status::Ok);
    assert_eq!(version.data.len(), 28);
    assert_eq!(version.data[14..21], UID_BYTES);
    assert_eq!(card.uid(), Ok(UID_BYTES.to_vec()));

    des_login(&mut card);
    create_application(&mut card, 0x0B, 0x84);
    assert_eq!(application_ids(&mut card), AID);
    drop(card);

    let rest = sim.finish();
    assert!(rest.contains("taken away"), "{rest}");
}

#[test]
fn a_pulled_card_comes_back_with_its_contents() {
    let _pcsc = pcscd::lock();
    let Some(daemon) = Pcscd::start() else {
        return;
    };
    // Authentication (2 APDUs) and CreateApplication are answered; the 4th APDU finds no card.
    let mut sim = Sim::start(&daemon, 1, UID, &["--pull-after", "3", "--reinsert"]);
    assert!(sim.line().contains(UID));
    let pcsc = Pcsc::establish().expect("the private pcscd");
    let reader = daemon.reader(1);
    let mut card = connect(&pcsc, &reader);
    let (before, _) = reader_events(&reader);
    des_login(&mut card);
    create_application(&mut card, 0x0F, 0x81);
    let lost = apdu::transceive(&mut card, ins::GET_APPLICATION_IDS, &[]);
    assert!(lost.is_err(), "the card was pulled: {lost:?}");
    drop(card);
    assert!(sim.line().contains("pulled"));
    assert!(sim.line().contains("Press Enter"), "off until asked back");
    let removed = wait_for_reader(&reader, before, false);
    sim.present_again();
    assert!(sim.line().contains(UID), "presented again");
    wait_for_reader(&reader, removed, true);

    let mut card = connect(&pcsc, &reader);
    assert_eq!(application_ids(&mut card), AID);
    drop(card);
    sim.finish();
}
