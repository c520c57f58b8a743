//! ChangeKey through the handle (desfire.md §5.6, §9 V3, V6 table 26, §3.1 step 9) for every key type and
//! session scheme, and EV2 data commands, replayed against a mirrored card session.

use super::*;
use crate::nfc::apdu::Status;
use crate::nfc::desfire::testing::{Transcript, hex};

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn aes(k: &str) -> Key {
    Key::new(KeyType::Aes128, &hex(k)).unwrap()
}

#[test]
fn v3_change_key_same_key_ends_the_session() {
    let mut t = Transcript::new().step(
        "90c4000021 00 c2b54a718d0251845653199909bb32e8e38bd6719e8dc21799c29c922a0984fc 00",
        "9100",
    );
    let mut d = Desfire::new(&mut t);
    d.set_session(Session::ev1(
        AuthScheme::Aes,
        0,
        KeyType::Aes128,
        &aes("a8514dd0350f3dfbc86e80744bcc9b57"),
    ));
    let new = Key::with_version(
        KeyType::Aes128,
        &hex("25432a462d4a614e645267556b587032"),
        0x10,
    )
    .unwrap();
    d.change_key(0, &new, None).unwrap();
    assert!(d.session().is_none());
}

#[test]
fn v3_change_other_key_checks_the_card_mac() {
    let session = Session::ev1(
        AuthScheme::Aes,
        0,
        KeyType::Aes128,
        &aes("1677623e1e158a62dc3d128db55f947d"),
    );
    let new = Key::with_version(
        KeyType::Aes128,
        &hex("25432a462d4a614e645267556b587032"),
        0x10,
    )
    .unwrap();
    let data = hex("01 a8c5a61a06f56f38dc91266fed2e87dc00a5ad72a634ff0e62c8d6d80707dd60");
    let zero = Key::zero(KeyType::Aes128);
    let mut card = session.clone();
    card.open_change_key(&data, KeyType::Aes128, KeyChange::OtherKey { old: &zero })
        .unwrap();
    let mac = card
        .seal_response(Status::Ok, &[], CommMode::Plain)
        .unwrap();
    let mut t = Transcript::new().step(
        &format!("90c4000021 {} 00", to_hex(&data)),
        &format!("{} 9100", to_hex(&mac)),
    );
    let mut d = Desfire::new(&mut t);
    d.set_session(session.clone());
    d.change_key(1, &new, None).unwrap();
    assert!(d.session().is_some());

    // A wrong card MAC is an integrity error and ends the session.
    let mut t = Transcript::new().reply("0000000000000000 9100");
    let mut d = Desfire::new(&mut t);
    d.set_session(session);
    assert!(matches!(
        d.change_key(1, &new, None),
        Err(DesfireError::Integrity(_))
    ));
    assert!(d.session().is_none());
}

#[test]
fn v6_ev2_change_key_table_26() {
    let session = Session::ev2(
        0,
        &aes("4CF3CB41A22583A61E89B158D252FC53"),
        &aes("5529860B2FC5FB6154B7F28361D30BF9"),
        [0x76, 0x14, 0x28, 0x1A],
        2,
    );
    let data =
        hex("02 2CF362B7BF4311FF3BE1DAA295E8C68DE09050560D19B9E16C2393AE9CD1FAC7 5D0CE20BCD1D06E6");
    let zero = Key::zero(KeyType::Aes128);
    let mut card = session.clone();
    card.open_change_key(&data, KeyType::Aes128, KeyChange::OtherKey { old: &zero })
        .unwrap();
    let mac = card.seal_response(Status::Ok, &[], CommMode::Mac).unwrap();
    let mut t = Transcript::new().step(
        &format!("90C4000029 {} 00", to_hex(&data)),
        &format!("{} 9100", to_hex(&mac)),
    );
    let mut d = Desfire::new(&mut t);
    d.set_session(session);
    let new =
        Key::with_version(KeyType::Aes128, &hex("F3847D627727ED3BC9C4CC050489B966"), 1).unwrap();
    d.change_key(2, &new, None).unwrap();
    assert_eq!(
        d.session().unwrap().ev2_state(),
        Some(([0x76, 0x14, 0x28, 0x1A], 3))
    );
}

#[test]
fn change_key_of_every_type_reaches_the_card() {
    let session_key = Key::new(
        KeyType::TwoKey3Des,
        &hex("0123456789abcdeffedcba9876543210"),
    )
    .unwrap();
    let aes_session = aes("00112233445566778899aabbccddeeff");
    let sessions = [
        Session::legacy(0, KeyType::TwoKey3Des, &session_key),
        Session::ev1(AuthScheme::Iso, 0, KeyType::TwoKey3Des, &session_key),
        Session::ev1(AuthScheme::Aes, 0, KeyType::Aes128, &aes_session),
    ];
    let keys = [
        Key::with_version(KeyType::Des, &hex("0123456789abcdef"), 7).unwrap(),
        Key::with_version(
            KeyType::TwoKey3Des,
            &hex("00112233445566778899aabbccddeeff"),
            3,
        )
        .unwrap(),
        Key::new(KeyType::ThreeKey3Des, &[0x17; 24]).unwrap(),
        Key::with_version(KeyType::Aes128, &[0x42; 16], 9).unwrap(),
    ];
    for session in &sessions {
        for new in &keys {
            let zero = Key::zero(new.kind());
            let change = KeyChange::OtherKey { old: &zero };
            let mut mirror = session.clone();
            let data = mirror.change_key_data(1, new, change).unwrap();
            let mut card = session.clone();
            let (no, got) = card.open_change_key(&data, new.kind(), change).unwrap();
            assert_eq!((no, &got), (1, new));
            let reply = card
                .seal_response(Status::Ok, &[], CommMode::Plain)
                .unwrap();
            let mut t = Transcript::new().step(
                &to_hex(&apdu::wrap(ins::CHANGE_KEY, &data).unwrap()),
                &format!("{} 9100", to_hex(&reply)),
            );
            let mut d = Desfire::new(&mut t);
            d.set_session(session.clone());
            d.change_key(1, new, None).unwrap();
            assert!(d.session().is_some(), "{:?} {:?}", session.scheme(), new);
        }
    }
}

#[test]
fn ev2_plain_file_data_carries_no_mac_and_picc_key_gets_type_bits() {
    let session = Session::ev2(
        0,
        &aes("4CF3CB41A22583A61E89B158D252FC53"),
        &aes("5529860B2FC5FB6154B7F28361D30BF9"),
        [0x76, 0x14, 0x28, 0x1A],
        0,
    );
    // Plain file under EV2: the data goes as is and the answer has no MAC; the counter still moves on.
    let mut t = Transcript::new()
        .step("903D00000B 00 000000 040000 01020304 00", "9100")
        .step("905A00000300000000", "9100");
    let mut d = Desfire::new(&mut t);
    d.set_session(session);
    d.write_data(0, 0, &[1, 2, 3, 4], CommMode::Plain).unwrap();
    assert_eq!(
        d.session().unwrap().ev2_state(),
        Some(([0x76, 0x14, 0x28, 0x1A], 1))
    );
    d.select_application(Aid::PICC).unwrap();
    assert!(d.session().is_none());
    drop(d);

    // At PICC level, ChangeKey on key 0 carries the new key's type bits (desfire.md §3.1 step 9).
    let session = Session::ev1(
        AuthScheme::Aes,
        0,
        KeyType::Aes128,
        &aes("00112233445566778899aabbccddeeff"),
    );
    let new = Key::with_version(KeyType::Aes128, &[0x42; 16], 1).unwrap();
    let mut mirror = session.clone();
    let data = mirror
        .change_key_data(0x80, &new, KeyChange::AuthenticatedKey)
        .unwrap();
    let mut t = Transcript::new().step("905A00000300000000", "9100").step(
        &to_hex(&apdu::wrap(ins::CHANGE_KEY, &data).unwrap()),
        "9100",
    );
    let mut d = Desfire::new(&mut t);
    d.select_application(Aid::PICC).unwrap();
    d.set_session(session);
    d.change_key(0, &new, None).unwrap();
    assert!(d.session().is_none());
}

/// Seals `data` on the mirror as the handle will, lets the card open it and answer `answer`; returns the
/// transcript step (APDU, reply) in hex.
fn mirrored(
    mirror: &mut Session,
    card: &mut Session,
    (code, header, data, mode): (u8, &[u8], &[u8], CommMode),
    answer: &[u8],
) -> (String, String) {
    let sent = mirror.seal_command(code, header, data, mode).unwrap();
    let opened = card.open_command(code, header.len(), &sent, mode).unwrap();
    assert_eq!(opened, [header, data].concat());
    let reply = card
        .seal_response(Status::Ok, answer, CommMode::Plain)
        .unwrap();
    mirror
        .open_response(Status::Ok, &reply, CommMode::Plain, None)
        .unwrap();
    (
        to_hex(&apdu::wrap(code, &sent).unwrap()),
        format!("{} 9100", to_hex(&reply)),
    )
}

#[test]
fn key_settings_key_version_and_configuration_under_ev1() {
    let session = Session::ev1(
        AuthScheme::Aes,
        0,
        KeyType::Aes128,
        &aes("000102030405060708090a0b0c0d0e0f"),
    );
    let (mut mirror, mut card) = (session.clone(), session.clone());
    let steps = [
        mirrored(
            &mut mirror,
            &mut card,
            (ins::CHANGE_KEY_SETTINGS, &[], &[0x09], CommMode::Full),
            &[],
        ),
        mirrored(
            &mut mirror,
            &mut card,
            (ins::GET_KEY_SETTINGS, &[], &[], CommMode::Plain),
            &[0x09, 0x84],
        ),
        mirrored(
            &mut mirror,
            &mut card,
            (ins::GET_KEY_VERSION, &[2], &[], CommMode::Plain),
            &[0x10],
        ),
        mirrored(
            &mut mirror,
            &mut card,
            (ins::SET_CONFIGURATION, &[0x00], &[0x03], CommMode::Full),
            &[],
        ),
    ];
    let mut t = Transcript::new();
    for (apdu, reply) in &steps {
        t = t.step(apdu, reply);
    }
    let mut d = Desfire::new(&mut t);
    d.set_session(session);
    d.change_key_settings(KeySettings::decode(0x09)).unwrap();
    let (settings, keys) = d.get_key_settings().unwrap();
    assert_eq!(settings.encode(), 0x09);
    assert_eq!((keys.count, keys.key_type), (4, KeyType::Aes128));
    assert_eq!(d.get_key_version(2).unwrap(), 0x10);
    d.set_configuration(PiccConfiguration {
        disable_format: true,
        random_uid: true,
    })
    .unwrap();
    assert!(d.session().is_some());
    drop(d);
    assert!(t.is_done());
}
