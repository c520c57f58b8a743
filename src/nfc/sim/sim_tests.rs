//! The card side against the reference's vectors (desfire.md §9 V2, V3, V4, V6) and the ESUP fresh-card
//! sequence of §3.1, APDU by APDU.

use super::*;
use crate::nfc::desfire::auth::{self, AuthCommand};
use crate::nfc::desfire::crypto::{Cipher, Key, KeyType};
use crate::nfc::desfire::random::{ScriptedRandom, SeededRandom};
use crate::nfc::desfire::session::{AuthScheme, KeyChange};
use crate::nfc::desfire::testing::{Direct, hex};

pub(super) const UID: [u8; 7] = [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66];

/// Sends a hex APDU and returns the R-APDU.
pub(super) fn send(card: &mut SimCard, apdu: &str) -> Vec<u8> {
    card.process(&hex(apdu))
}

/// The final status byte of an R-APDU (after `91`).
pub(super) fn sw(r: &[u8]) -> u8 {
    match r {
        [.., 0x91, s] => *s,
        _ => panic!("not a DESFire answer: {r:02X?}"),
    }
}

/// Authenticates through the host side of the core.
pub(super) fn login(
    card: &mut SimCard,
    command: AuthCommand,
    key_no: u8,
    key: &Key,
    rng: &mut dyn crate::nfc::desfire::random::Random,
) -> Session {
    auth::authenticate(&mut Direct(card), command, key_no, key, rng).unwrap()
}

/// A powered blank card with application `000001` (`nok` given, amks `0F`) selected.
pub(super) fn card_with_app(nok: u8) -> SimCard {
    let mut card = SimCard::blank(UID);
    card.power_on();
    let r = card.process(&[0x90, 0xCA, 0, 0, 5, 0x01, 0, 0, 0x0F, nok, 0]);
    assert_eq!(r, [0x91, 0x00]);
    assert_eq!(send(&mut card, "905A00000301000000"), [0x91, 0x00]);
    card
}

#[test]
fn v2_aes_authentication_card_side() {
    let mut card = card_with_app(0x81).with_random(Box::new(ScriptedRandom::new(&hex(
        "11c512ca518892164389bc54fde6e15a",
    ))));
    assert_eq!(
        send(&mut card, "90AA0000010000"),
        hex("a33856932308775cf464610c2b17a558 91AF")
    );
    let r = send(
        &mut card,
        "90af000020cbe9726faf54bc76b2055d0b9700e7dc97ecad5627f1d1702a16e8408d2a0ada00",
    );
    assert_eq!(r, hex("8fdc476f6bac44fe9150e285abd68d48 9100"));
    assert!(card.is_authenticated());
}

#[test]
fn v4_cmac_chaining_card_side() {
    // RndB is whatever E(0, RndB) = e379… decrypts to.
    let mut rnd_b = hex("e3798763dc7b87424240b62315154e0a");
    Cipher::new(&Key::zero(KeyType::Aes128))
        .cbc_decrypt(&[0; 16], &mut rnd_b)
        .unwrap();
    let mut card = card_with_app(0x81).with_random(Box::new(ScriptedRandom::new(&rnd_b)));
    let mut rnd_a = ScriptedRandom::new(&hex("c6b781428d978837a6360899119f0da4"));
    login(
        &mut card,
        AuthCommand::Aes,
        0,
        &Key::zero(KeyType::Aes128),
        &mut rnd_a,
    );
    for (cmd, mac) in [
        ("90cd00000701000000480100 00", "d31ff3bce4b702e2"),
        ("90cd00000702010000480100 00", "c412c0f81191c31f"),
        ("90cd00000703030000480100 00", "7bc23fcbc4ace524"),
    ] {
        assert_eq!(send(&mut card, cmd), hex(&format!("{mac} 9100")));
    }
    assert_eq!(
        send(&mut card, "90f500000101 00"),
        hex("00000000480100 c2f74ebdeda3c77e 9100")
    );
    let app = card.application(0x000001).unwrap();
    assert_eq!(app.file_ids(), [1, 2, 3]);
    assert_eq!(app.file(3).unwrap().comm_mode(), CommMode::Full);
}

#[test]
fn v3_change_key_same_and_other_key_card_side() {
    let new_key = hex("25432a462d4a614e645267556b587032");

    let mut card = card_with_app(0x82);
    let k = Key::new(KeyType::Aes128, &hex("a8514dd0350f3dfbc86e80744bcc9b57")).unwrap();
    card.vol.session = Some(Session::ev1(AuthScheme::Aes, 0, KeyType::Aes128, &k));
    let r = send(
        &mut card,
        "90c400002100c2b54a718d0251845653199909bb32e8e38bd6719e8dc21799c29c922a0984fc00",
    );
    // The authenticated key changed: plain answer, session over.
    assert_eq!(r, [0x91, 0x00]);
    assert!(!card.is_authenticated());
    assert_eq!(card.application(1).unwrap().key_versions(), [0x10, 0x00]);

    let mut card = card_with_app(0x82);
    let k = Key::new(KeyType::Aes128, &hex("1677623e1e158a62dc3d128db55f947d")).unwrap();
    card.vol.session = Some(Session::ev1(AuthScheme::Aes, 0, KeyType::Aes128, &k));
    let r = send(
        &mut card,
        "90c400002101a8c5a61a06f56f38dc91266fed2e87dc00a5ad72a634ff0e62c8d6d80707dd6000",
    );
    assert_eq!(r.len(), 10, "8-byte CMAC then 91 00: {r:02X?}");
    assert_eq!(sw(&r), 0x00);
    assert!(card.is_authenticated());
    assert_eq!(card.application(1).unwrap().key_versions(), [0x00, 0x10]);
    // The new key is really in place: authenticate with it.
    card.vol.session = None;
    let key = Key::with_version(KeyType::Aes128, &new_key, 0x10).unwrap();
    login(
        &mut card,
        AuthCommand::Aes,
        1,
        &key,
        &mut SeededRandom::new(3),
    );
}

#[test]
fn v6_ev2_first_card_side() {
    let script = hex("B9E2FC789B64BF237CCCAA20EC7E6E48 9D00C4DF");
    let mut card = card_with_app(0x81).with_random(Box::new(ScriptedRandom::new(&script)));
    assert_eq!(
        send(&mut card, "9071000002000000"),
        hex("A04C124213C186F22399D33AC2A30215 91AF")
    );
    let r = send(
        &mut card,
        "90AF000020 35C3E05A752E0144BAC0DE51C1F22C56B34408A23D8AEA266CAB947EA8E0118D 00",
    );
    assert_eq!(
        r,
        hex("3FA64DB5446D1F34CD6EA311167F5E4985B89690C04A05F17FA7AB2F08120663 9100")
    );
    let session = card.vol.session.as_ref().unwrap();
    assert_eq!(session.ev2_state(), Some(([0x9D, 0x00, 0xC4, 0xDF], 0)));
}

#[test]
fn v6_ev2_change_key_card_side() {
    let mut card = card_with_app(0x83);
    let enc = Key::new(KeyType::Aes128, &hex("4CF3CB41A22583A61E89B158D252FC53")).unwrap();
    let mac = Key::new(KeyType::Aes128, &hex("5529860B2FC5FB6154B7F28361D30BF9")).unwrap();
    card.vol.session = Some(Session::ev2(
        0,
        &enc,
        &mac,
        hex("7614281A").try_into().unwrap(),
        2,
    ));
    let r = send(
        &mut card,
        "90C4000029 02 2CF362B7BF4311FF3BE1DAA295E8C68DE09050560D19B9E16C2393AE9CD1FAC7 \
         5D0CE20BCD1D06E6 00",
    );
    assert_eq!(sw(&r), 0x00, "{r:02X?}");
    assert_eq!(card.application(1).unwrap().key_versions(), [0, 0, 1]);
    assert_eq!(card.vol.session.as_ref().unwrap().ev2_state().unwrap().1, 3);
}

#[test]
fn get_version_three_frames_and_uid() {
    let mut card = SimCard::blank(UID);
    card.power_on();
    let f1 = send(&mut card, "9060000000");
    assert_eq!(f1.len(), 9);
    assert_eq!(sw(&f1), 0xAF);
    let f2 = send(&mut card, "90AF000000");
    assert_eq!(sw(&f2), 0xAF);
    let f3 = send(&mut card, "90AF000000");
    assert_eq!(sw(&f3), 0x00);
    let all = [&f1[..7], &f2[..7], &f3[..f3.len() - 2]].concat();
    assert_eq!(all.len(), 28);
    // §4: UID = bytes 14–20.
    assert_eq!(&all[14..21], &UID);
    assert_eq!(all[0], 0x04);
}

#[test]
fn reader_uid_pseudo_apdu() {
    let mut card = SimCard::blank(UID);
    card.power_on();
    assert_eq!(
        card.process(&GET_UID_APDU),
        [&UID[..], &[0x90, 0x00]].concat()
    );
}

#[test]
fn esup_fresh_card_sequence() {
    // desfire.md §3.1 with AID F585C0: the exact APDUs of steps 1, 2, 5, 6, 7; the authentications and
    // ChangeKeys through the core, with seeded randomness.
    let mut card = SimCard::blank(UID).with_seed(42);
    card.power_on();
    let mut rng = SeededRandom::new(7);
    let des = Key::zero(KeyType::Des);
    let aes0 = Key::zero(KeyType::Aes128);
    let keys: Vec<Key> = (1..=4u8)
        .map(|i| Key::with_version(KeyType::Aes128, &[i; 16], 1).unwrap())
        .collect();

    // 1. Format.
    assert_eq!(send(&mut card, "905A00000300000000"), hex("9100"));
    login(&mut card, AuthCommand::Legacy, 0, &des, &mut rng);
    // Legacy sessions do not MAC plain answers.
    assert_eq!(send(&mut card, "90FC000000"), hex("9100"));
    // 2. CreateApplication after PICC authentication.
    login(&mut card, AuthCommand::Legacy, 0, &des, &mut rng);
    assert_eq!(send(&mut card, "90CA000005C085F50B8400"), hex("9100"));
    // 3. Application master key, same key.
    assert_eq!(send(&mut card, "905A000003C085F500"), hex("9100"));
    let mut s = login(&mut card, AuthCommand::Aes, 0, &aes0, &mut rng);
    let data = s
        .change_key_data(0, &keys[0], KeyChange::AuthenticatedKey)
        .unwrap();
    let r = card.process(&apdu::wrap(ins::CHANGE_KEY, &data).unwrap());
    assert_eq!(r, hex("9100"));
    // 4. Keys 1..3, other key, after authenticating with the new key 0.
    assert_eq!(send(&mut card, "905A000003C085F500"), hex("9100"));
    let mut s = login(&mut card, AuthCommand::Aes, 0, &keys[0], &mut rng);
    for (no, key) in keys.iter().enumerate().skip(1) {
        let data = s
            .change_key_data(no as u8, key, KeyChange::OtherKey { old: &aes0 })
            .unwrap();
        let r = card.process(&apdu::wrap(ins::CHANGE_KEY, &data).unwrap());
        assert_eq!(sw(&r), 0x00);
        let (body, _) = r.split_at(r.len() - 2);
        s.open_response(Status::Ok, body, CommMode::Plain, None)
            .unwrap();
    }
    // 5. CreateStdDataFile, free access, enciphered mode for later reads.
    assert_eq!(
        sw(&send(&mut card, "90CD000007 00 03 EEEE 1F0000 00")),
        0x00
    );
    // 6. WriteData in plain: 31 bytes fit the first frame.
    let content: Vec<u8> = (0..31u8).collect();
    let mut write = hex("903D000026 00 000000 1F0000");
    write.extend_from_slice(&content);
    write.push(0);
    assert_eq!(sw(&card.process(&write)), 0x00);
    // 7. Lock: ChangeFileSettings to 1223, plain because CAR was E.
    assert_eq!(sw(&send(&mut card, "905F000004 00 03 2312 00")), 0x00);

    let app = card.application(0xF585C0).unwrap();
    assert_eq!(app.key_settings(), 0x0B);
    assert_eq!(app.key_versions(), [1, 1, 1, 1]);
    let file = app.file(0).unwrap();
    assert_eq!(file.data(), content.as_slice());
    assert_eq!(file.access_rights().to_wire(), [0x23, 0x12]);

    // Read mode "with key" (§4): AES key 1 (read right), enciphered read.
    assert_eq!(send(&mut card, "905A000003C085F500"), hex("9100"));
    let mut s = login(&mut card, AuthCommand::Aes, 1, &keys[1], &mut rng);
    let read = s
        .exchange(
            &mut Direct(&mut card),
            &crate::nfc::desfire::session::SecureCommand {
                ins: ins::READ_DATA,
                header: &[],
                data: &hex("00 000000 1F0000"),
                command_mode: CommMode::Plain,
                response_mode: CommMode::Full,
                response_len: Some(31),
            },
        )
        .unwrap();
    assert_eq!(read, content);
}

#[test]
fn power_cycle_keeps_contents_and_drops_session() {
    let mut card = card_with_app(0x81);
    login(
        &mut card,
        AuthCommand::Aes,
        0,
        &Key::zero(KeyType::Aes128),
        &mut SeededRandom::new(1),
    );
    card.power_off();
    card.power_on();
    assert!(!card.is_authenticated());
    // Back at PICC level: GetApplicationIDs works and lists the application.
    assert_eq!(send(&mut card, "906A000000"), hex("010000 9100"));
}

#[test]
fn uid_parsing() {
    assert_eq!(parse_uid("04:11:22 33445566"), Ok(UID));
    assert_eq!(parse_uid("0411"), Err(SimError::UidLength(2)));
    assert_eq!(parse_uid(""), Err(SimError::UidLength(0)));
    for bad in ["zz", "041", "0é11223344556", "04 11 22 33 44 55 6G"] {
        assert_eq!(parse_uid(bad), Err(SimError::UidHex(bad.to_string())));
    }
}
