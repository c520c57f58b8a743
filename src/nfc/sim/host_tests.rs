//! The host side of the core (`auth::authenticate`, `Session::exchange`, `change_key_data`) against the
//! card, for every key type, authentication command and communication mode.

use super::tests::{UID, card_with_app, login, send, sw};
use super::*;
use crate::nfc::desfire::DesfireError;
use crate::nfc::desfire::auth::AuthCommand;
use crate::nfc::desfire::crypto::{Key, KeyType};
use crate::nfc::desfire::random::SeededRandom;
use crate::nfc::desfire::session::{KeyChange, SecureCommand};
use crate::nfc::desfire::testing::Direct;

fn exchange(
    card: &mut SimCard,
    s: &mut Session,
    ins: u8,
    header: &[u8],
    data: &[u8],
    modes: (CommMode, CommMode),
    response_len: Option<usize>,
) -> Result<Vec<u8>, DesfireError> {
    s.exchange(
        &mut Direct(card),
        &SecureCommand {
            ins,
            header,
            data,
            command_mode: modes.0,
            response_mode: modes.1,
            response_len,
        },
    )
}

/// GetCardUID: the real UID, enciphered (§8).
fn get_card_uid(card: &mut SimCard, s: &mut Session) -> Vec<u8> {
    let command = if s.scheme() == crate::nfc::desfire::session::AuthScheme::Ev2 {
        CommMode::Mac
    } else {
        CommMode::Plain
    };
    let modes = (command, CommMode::Full);
    exchange(card, s, ins::GET_CARD_UID, &[], &[], modes, Some(7)).unwrap()
}

/// Walks one key type and authentication command through key changes, files in the three modes, reads,
/// GetCardUID and GetKeyVersion.
fn full_cycle(nok_type: u8, command: AuthCommand, new_key: Key) {
    let mut rng = SeededRandom::new(u64::from(nok_type) + 11);
    let mut card = card_with_app(nok_type | 0x03);
    let zero = Key::zero(card.application(1).unwrap().key_type().unwrap());
    let mut s = login(&mut card, command, 0, &zero, &mut rng);
    // Management commands and answers are MACed under EV2 (commands.rs), protected file data too.
    let mgmt = if command == AuthCommand::Ev2First {
        CommMode::Mac
    } else {
        CommMode::Plain
    };
    let companion = |mode: CommMode| {
        if mode == CommMode::Plain {
            CommMode::Plain
        } else {
            mgmt
        }
    };

    // Key 1 (other key), then key 0 (the authenticated key: session over).
    let data = s
        .change_key_data(1, &new_key, KeyChange::OtherKey { old: &zero })
        .unwrap();
    let r = apdu::transceive(&mut Direct(&mut card), ins::CHANGE_KEY, &data).unwrap();
    s.open_response(r.status, &r.data, mgmt, None).unwrap();
    let data = s
        .change_key_data(0, &new_key, KeyChange::AuthenticatedKey)
        .unwrap();
    let r = apdu::transceive(&mut Direct(&mut card), ins::CHANGE_KEY, &data).unwrap();
    assert_eq!(r.status, Status::Ok);
    assert!(!card.is_authenticated());
    let versions = card.application(1).unwrap().key_versions();
    assert_eq!(versions[..2], [new_key.version(), new_key.version()]);

    let mut s = login(&mut card, command, 0, &new_key, &mut rng);
    for (no, mode) in [CommMode::Plain, CommMode::Mac, CommMode::Full]
        .into_iter()
        .enumerate()
    {
        let no = no as u8;
        // Rights: read, write, read-write and change all key 0.
        let create = [no, mode.byte(), 0x00, 0x00, 100, 0, 0];
        exchange(
            &mut card,
            &mut s,
            ins::CREATE_STD_DATA_FILE,
            &[],
            &create,
            (mgmt, mgmt),
            None,
        )
        .unwrap();
        let content: Vec<u8> = (0..90u8).map(|b| b.wrapping_mul(7) ^ no).collect();
        let mut header = vec![no, 5, 0, 0];
        header.extend_from_slice(&model::u24(content.len()));
        // Long enough for AF frames in both directions.
        exchange(
            &mut card,
            &mut s,
            ins::WRITE_DATA,
            &header,
            &content,
            (mode, companion(mode)),
            None,
        )
        .unwrap();
        let read = exchange(
            &mut card,
            &mut s,
            ins::READ_DATA,
            &[],
            &header,
            (companion(mode), mode),
            Some(content.len()),
        )
        .unwrap();
        assert_eq!(read, content, "{command:?} {mode:?}");
        let stored = card
            .application(1)
            .unwrap()
            .file(no)
            .unwrap()
            .data()
            .to_vec();
        assert_eq!(&stored[5..95], content.as_slice());
    }
    assert_eq!(get_card_uid(&mut card, &mut s), UID);
    let version = exchange(
        &mut card,
        &mut s,
        ins::GET_KEY_VERSION,
        &[],
        &[1],
        (mgmt, mgmt),
        None,
    )
    .unwrap();
    assert_eq!(version, [new_key.version()]);
    assert!(card.is_authenticated());
}

#[test]
fn des_legacy() {
    let key = Key::with_version(
        KeyType::Des,
        &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88],
        5,
    );
    full_cycle(0x00, AuthCommand::Legacy, key.unwrap());
}

#[test]
fn des_iso() {
    let key = Key::with_version(KeyType::Des, &[0x21; 8], 3);
    full_cycle(0x00, AuthCommand::Iso, key.unwrap());
}

#[test]
fn two_key_3des_legacy_and_iso() {
    let bytes: Vec<u8> = (1..=16).collect();
    let key = Key::with_version(KeyType::TwoKey3Des, &bytes, 9).unwrap();
    full_cycle(0x00, AuthCommand::Legacy, key.clone());
    full_cycle(0x00, AuthCommand::Iso, key);
}

#[test]
fn three_key_3des_iso() {
    let bytes: Vec<u8> = (1..=24).collect();
    let key = Key::new(KeyType::ThreeKey3Des, &bytes).unwrap();
    full_cycle(0x40, AuthCommand::Iso, key);
}

#[test]
fn aes_ev1() {
    let key = Key::with_version(KeyType::Aes128, &[0x5A; 16], 0x42).unwrap();
    full_cycle(0x80, AuthCommand::Aes, key);
}

#[test]
fn aes_ev2() {
    let key = Key::with_version(KeyType::Aes128, &[0xA5; 16], 0x07).unwrap();
    full_cycle(0x80, AuthCommand::Ev2First, key);
}

#[test]
fn picc_master_key_to_aes_and_key_settings() {
    let mut card = SimCard::blank(UID);
    card.power_on();
    let mut rng = SeededRandom::new(5);
    let des = Key::zero(KeyType::Des);
    let mut s = login(&mut card, AuthCommand::Legacy, 0, &des, &mut rng);
    let aes = Key::with_version(KeyType::Aes128, &[0x33; 16], 2).unwrap();
    // §3.1 step 9: key number byte 0x80 for an AES PICC master key.
    let data = s
        .change_key_data(0x80, &aes, KeyChange::AuthenticatedKey)
        .unwrap();
    let r = apdu::transceive(&mut Direct(&mut card), ins::CHANGE_KEY, &data).unwrap();
    assert_eq!(r.status, Status::Ok);
    assert_eq!(card.picc_key_type(), KeyType::Aes128);
    assert_eq!(card.picc_key_version(), 2);
    let mut s = login(&mut card, AuthCommand::Aes, 0, &aes, &mut rng);
    let settings = exchange(
        &mut card,
        &mut s,
        ins::GET_KEY_SETTINGS,
        &[],
        &[],
        (CommMode::Plain, CommMode::Plain),
        None,
    )
    .unwrap();
    assert_eq!(settings, [0x0F, 0x81]);
    // ChangeKeySettings (enciphered): no free listing any more.
    exchange(
        &mut card,
        &mut s,
        ins::CHANGE_KEY_SETTINGS,
        &[],
        &[0x09],
        (CommMode::Full, CommMode::Plain),
        None,
    )
    .unwrap();
    assert_eq!(card.picc_key_settings(), 0x09);
    card.reset();
    assert_eq!(sw(&send(&mut card, "906A000000")), 0xAE);
}

#[test]
fn random_uid_card() {
    let mut card = SimCard::blank(UID).with_seed(9);
    card.power_on();
    let mut rng = SeededRandom::new(6);
    let des = Key::zero(KeyType::Des);
    let mut s = login(&mut card, AuthCommand::Iso, 0, &des, &mut rng);
    let data = s
        .set_configuration_data(crate::nfc::desfire::session::CONFIG_RANDOM_UID)
        .unwrap();
    let r = apdu::transceive(&mut Direct(&mut card), ins::SET_CONFIGURATION, &data).unwrap();
    s.open_response(r.status, &r.data, CommMode::Plain, None)
        .unwrap();
    assert!(card.random_uid_enabled());

    card.reset();
    let first = card.process(&GET_UID_APDU);
    card.reset();
    let second = card.process(&GET_UID_APDU);
    assert_eq!(first.len(), 6);
    assert_eq!(first[0], 0x08);
    assert_eq!(second[0], 0x08);
    assert_ne!(first, second, "a new random UID on each activation");
    // The real UID only through GetCardUID, enciphered.
    let mut s = login(&mut card, AuthCommand::Iso, 0, &des, &mut rng);
    assert_eq!(get_card_uid(&mut card, &mut s), UID);

    let built = SimCard::with_random_uid(UID, 1);
    assert!(built.random_uid_enabled());
}

/// The host's command set with EV2 secure messaging (management commands MACed both ways, protected file
/// data MACed or enciphered, plain file data plain) against the card: both sides agree on every command.
#[test]
fn ev2_command_set_against_the_card() {
    use crate::nfc::desfire::commands::{
        AccessRight, AccessRights, Aid, Desfire, KeyCount, KeySettings, NewApplication, NewDataFile,
    };
    use crate::nfc::transport::VirtualReader;

    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID).with_seed(4)));
    let mut t = reader.connect().unwrap();
    let mut d = Desfire::with_random(&mut t, Box::new(SeededRandom::new(12)));
    d.set_prefer_ev2(true);
    let aid = Aid::parse_hex("F585C1").unwrap();
    d.select_application(Aid::PICC).unwrap();
    d.authenticate(0, &Key::zero(KeyType::Des)).unwrap();
    d.create_application(&NewApplication {
        aid,
        settings: KeySettings::decode(0x0B),
        keys: KeyCount {
            count: 2,
            key_type: KeyType::Aes128,
            iso_file_ids: false,
        },
        iso: None,
    })
    .unwrap();
    d.select_application(aid).unwrap();
    d.authenticate(0, &Key::zero(KeyType::Aes128)).unwrap();
    assert_eq!(
        d.session().map(|s| s.scheme()),
        Some(crate::nfc::desfire::session::AuthScheme::Ev2)
    );
    let (settings, keys) = d.get_key_settings().unwrap();
    assert_eq!((settings.encode(), keys.count), (0x0B, 2));
    assert_eq!(d.get_key_version(1).unwrap(), 0);
    let k1 = Key::with_version(KeyType::Aes128, &[0x11; 16], 3).unwrap();
    d.change_key(1, &k1, None).unwrap();
    assert_eq!(d.get_key_version(1).unwrap(), 3);
    let key1 = AccessRight::Key(1);
    let protected = AccessRights {
        read: key1,
        write: key1,
        read_write: key1,
        change: AccessRight::Key(0),
    };
    for (no, mode, access) in [
        (1, CommMode::Full, protected),
        (2, CommMode::Mac, protected),
        (3, CommMode::Plain, AccessRights::FREE),
    ] {
        d.create_std_data_file(&NewDataFile {
            file_no: no,
            iso_fid: None,
            comm_mode: mode,
            access,
            size: 40,
        })
        .unwrap();
    }
    assert_eq!(d.get_file_ids().unwrap(), [1, 2, 3]);
    assert_eq!(d.get_file_settings(2).unwrap().comm_mode, CommMode::Mac);
    // Plain file with free access, inside the EV2 session.
    d.write_data(3, 0, b"plain data", CommMode::Plain).unwrap();
    assert_eq!(
        d.read_data(3, 0, 10, CommMode::Plain).unwrap(),
        b"plain data"
    );
    let uid = d.get_card_uid().unwrap();
    assert_eq!(uid, UID);
    assert!(d.get_free_memory().unwrap() > 0);
    // Protected files with key 1.
    d.authenticate(1, &k1).unwrap();
    let data: Vec<u8> = (0..40).collect();
    d.write_data(1, 0, &data, CommMode::Full).unwrap();
    d.write_data(2, 0, &data, CommMode::Mac).unwrap();
    assert_eq!(d.read_data(1, 0, 40, CommMode::Full).unwrap(), data);
    assert_eq!(d.read_data(2, 0, 40, CommMode::Mac).unwrap(), data);
    // ChangeFileSettings enciphered with the change key (key 0), then the master key changes itself.
    d.authenticate(0, &Key::zero(KeyType::Aes128)).unwrap();
    d.change_file_settings(1, CommMode::Full, AccessRights::FREE, CommMode::Full)
        .unwrap();
    let k0 = Key::with_version(KeyType::Aes128, &[0x22; 16], 1).unwrap();
    d.change_key(0, &k0, None).unwrap();
    assert!(
        d.session().is_none(),
        "changing the authenticated key ends the session"
    );
    d.authenticate(0, &k0).unwrap();
    assert_eq!(d.get_key_version(0).unwrap(), 1);
}
