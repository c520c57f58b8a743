//! Exact-APDU tests of the host commands: desfire.md §3.1, §9 V2–V4 and V6 replayed through a scripted
//! transport, typed encode/decode round trips, status mapping and garbage input.

use super::*;
use crate::nfc::apdu::Status;
use crate::nfc::desfire::random::{ScriptedRandom, SeededRandom};
use crate::nfc::desfire::testing::{Transcript, hex};

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn aes(k: &str) -> Key {
    Key::new(KeyType::Aes128, &hex(k)).unwrap()
}

fn scripted<'t>(t: &'t mut Transcript, rnd_a: &str) -> Desfire<'t> {
    Desfire::with_random(t, Box::new(ScriptedRandom::new(&hex(rnd_a))))
}

#[test]
fn v2_aes_authentication() {
    let mut t = Transcript::new()
        .step("90AA0000010000", "a33856932308775cf464610c2b17a558 91AF")
        .step(
            "90af000020 cbe9726faf54bc76b2055d0b9700e7dc97ecad5627f1d1702a16e8408d2a0ada 00",
            "8fdc476f6bac44fe9150e285abd68d48 9100",
        );
    let mut d = scripted(&mut t, "2176770e7a6eb4bef00d5e4b201d1e57");
    d.authenticate(0, &Key::zero(KeyType::Aes128)).unwrap();
    assert_eq!(d.session().unwrap().scheme(), AuthScheme::Aes);
    assert_eq!(d.apdu_count(), 2);
    drop(d);
    assert!(t.is_done());
}

#[test]
fn authentication_command_follows_key_type_and_preference() {
    let cases = [
        (KeyType::Des, false, "900A0000010200"),
        (KeyType::TwoKey3Des, false, "900A0000010200"),
        (KeyType::ThreeKey3Des, false, "901A0000010200"),
        (KeyType::Aes128, false, "90AA0000010200"),
        (KeyType::ThreeKey3Des, true, "901A0000010200"),
        (KeyType::Aes128, true, "9071000002020000"),
    ];
    for (kind, ev2, apdu) in cases {
        let mut t = Transcript::new().step(apdu, "91AE");
        let mut d = Desfire::new(&mut t);
        d.set_prefer_ev2(ev2);
        assert_eq!(
            d.authenticate(2, &Key::zero(kind)),
            Err(DesfireError::Card(Status::AuthenticationError))
        );
        assert!(d.session().is_none());
    }
}

#[test]
fn v4_authenticate_create_files_and_read_settings_with_cmac_chaining() {
    let mut t = Transcript::new()
        .step("90AA0000010000", "e3798763dc7b87424240b62315154e0a 91AF")
        .step(
            "90AF000020 424fed3e1903d591b5bd376b3ae6672195f829b4d145bc6a3c3322b6df1daae4 00",
            "94c0ac20045311b60c3821615b339f96 9100",
        )
        .step("90CD000007 01 00 0000 480100 00", "d31ff3bce4b702e2 9100")
        .step("90CD000007 02 01 0000 480100 00", "c412c0f81191c31f 9100")
        .step("90CD000007 03 03 0000 480100 00", "7bc23fcbc4ace524 9100")
        .step("90F5000001 01 00", "00000000480100 c2f74ebdeda3c77e 9100");
    let mut d = scripted(&mut t, "c6b781428d978837a6360899119f0da4");
    d.authenticate(0, &Key::zero(KeyType::Aes128)).unwrap();
    let key0 = AccessRights::from_config(0x0000);
    for (file_no, comm_mode) in [
        (1, CommMode::Plain),
        (2, CommMode::Mac),
        (3, CommMode::Full),
    ] {
        d.create_std_data_file(&NewDataFile {
            file_no,
            iso_fid: None,
            comm_mode,
            access: key0,
            size: 0x148,
        })
        .unwrap();
    }
    let settings = d.get_file_settings(1).unwrap();
    assert_eq!(
        settings,
        FileSettings {
            kind: FileKind::StdData { size: 0x148 },
            comm_mode: CommMode::Plain,
            access: key0,
        }
    );
    assert_eq!(d.apdu_count(), 6);
    assert!(d.session().is_some());
    drop(d);
    assert!(t.is_done());
}

#[test]
fn v6_ev2_first_authentication() {
    let mut t = Transcript::new()
        .step("9071000002000000", "A04C124213C186F22399D33AC2A30215 91AF")
        .step(
            "90AF000020 35C3E05A752E0144BAC0DE51C1F22C56B34408A23D8AEA266CAB947EA8E0118D 00",
            "3FA64DB5446D1F34CD6EA311167F5E4985B89690C04A05F17FA7AB2F08120663 9100",
        );
    let mut d = scripted(&mut t, "13C5DB8A5930439FC3DEF9A4C675360F");
    d.set_prefer_ev2(true);
    d.authenticate(0, &Key::zero(KeyType::Aes128)).unwrap();
    let s = d.session().unwrap();
    assert_eq!(s.scheme(), AuthScheme::Ev2);
    assert_eq!(s.ev2_state(), Some(([0x9D, 0x00, 0xC4, 0xDF], 0)));
}

#[test]
fn plain_commands_match_the_reference_apdus() {
    let mut t = Transcript::new()
        .step("905A00000300000000", "9100")
        .step("90fc000000", "9100")
        .step("90ca000005eeffaa0b8200", "9100")
        .step("905A000003eeffaa00", "9100")
        .step("90cd000007010000e0f0000000", "9100")
        .step("903d00000f01000000080000546573743132333400", "9100")
        .step(
            "90bd0000070100000020000000",
            &format!("{} 9100", "54".repeat(32)),
        )
        .step("906A000000", "eeffaa 4085f5 91AF")
        .step("90AF000000", "c085f5 9100")
        .step("906E000000", "00 1c 00 9100")
        .step("906F000000", "01 9100");
    let mut d = Desfire::new(&mut t);
    d.select_application(Aid::PICC).unwrap();
    d.format_picc().unwrap();
    let aid = Aid::parse_hex("AAFFEE").unwrap();
    d.create_application(&NewApplication {
        aid,
        settings: KeySettings::decode(0x0B),
        keys: KeyCount::decode(0x82).unwrap(),
        iso: None,
    })
    .unwrap();
    d.select_application(aid).unwrap();
    assert_eq!(d.selected(), Some(aid));
    d.create_std_data_file(&NewDataFile {
        file_no: 1,
        iso_fid: None,
        comm_mode: CommMode::Plain,
        access: AccessRights::from_wire([0x00, 0xE0]),
        size: 240,
    })
    .unwrap();
    d.write_data(1, 0, b"Test1234", CommMode::Plain).unwrap();
    assert_eq!(
        d.read_data(1, 0, 32, CommMode::Plain).unwrap(),
        vec![0x54; 32]
    );
    assert_eq!(
        d.get_application_ids().unwrap(),
        vec![
            aid,
            Aid::parse_hex("F58540").unwrap(),
            Aid::parse_hex("F585C0").unwrap()
        ]
    );
    assert_eq!(d.get_free_memory().unwrap(), 0x1C00);
    assert_eq!(d.get_file_ids().unwrap(), vec![1]);
    assert_eq!(d.apdu_count(), 11);
    drop(d);
    assert!(t.is_done());
}

#[test]
fn iso_application_and_file_and_long_write_over_frames() {
    let payload: Vec<u8> = (0..100).collect();
    let mut t = Transcript::new()
        .step("90CA00000A 40 85 F5 0B A4 00 E1 D2 76 00 00", "9100")
        .step("90CD000009 00 01 E1 03 23 12 1F 00 00 00", "9100")
        .step(
            &format!("903D000036 00 000000 640000 {} 00", to_hex(&payload[..47])),
            "91AF",
        )
        .step(&format!("90AF000035 {} 00", to_hex(&payload[47..])), "9100")
        .step("905F000004 00 03 23 12 00", "9100");
    let mut d = Desfire::new(&mut t);
    d.create_application(&NewApplication {
        aid: Aid::parse_hex("F58540").unwrap(),
        settings: KeySettings::decode(0x0B),
        keys: KeyCount {
            count: 4,
            key_type: KeyType::Aes128,
            iso_file_ids: false,
        },
        iso: Some((0xE100, vec![0xD2, 0x76, 0x00])),
    })
    .unwrap();
    let locked = AccessRights::from_config(0x1223);
    d.create_std_data_file(&NewDataFile {
        file_no: 0,
        iso_fid: Some(0xE101),
        comm_mode: CommMode::Full,
        access: locked,
        size: 31,
    })
    .unwrap();
    d.write_data(0, 0, &payload, CommMode::Plain).unwrap();
    d.change_file_settings(0, CommMode::Full, locked, CommMode::Plain)
        .unwrap();
    assert_eq!(d.apdu_count(), 5);
    drop(d);
    assert!(t.is_done());
}

#[test]
fn get_version_over_three_frames() {
    let mut t = Transcript::new()
        .step("9060000000", "04 01 01 01 00 18 05 91AF")
        .step("90AF000000", "04 01 01 01 04 18 05 91AF")
        .step(
            "90AF000000",
            "04 52 33 9A 2B 4C 80 BA 54 D6 53 30 22 19 9100",
        );
    let mut d = Desfire::new(&mut t);
    let v = d.get_version().unwrap();
    assert_eq!(v.hardware.vendor, 0x04);
    assert_eq!(v.hardware.storage_bytes(), 4096);
    assert_eq!((v.software.major, v.software.minor), (1, 4));
    assert_eq!(v.uid, [0x04, 0x52, 0x33, 0x9A, 0x2B, 0x4C, 0x80]);
    assert_eq!(v.batch, [0xBA, 0x54, 0xD6, 0x53, 0x30]);
    assert_eq!((v.production_week, v.production_year), (0x22, 0x19));
}

#[test]
fn enciphered_read_write_and_card_uid_under_ev1() {
    let key = aes("00112233445566778899aabbccddeeff");
    let host = Session::ev1(AuthScheme::Aes, 1, KeyType::Aes128, &key);
    let (mut mirror, mut card) = (host.clone(), host.clone());
    let content: Vec<u8> = (0..31).map(|i| i * 7).collect();
    let uid = hex("04 52 33 9A 2B 4C 80");
    // Replay both ends: the mirror seals exactly what the handle will send, the card answers.
    let mut t = Transcript::new();
    let write_header = hex("00 000000 1f0000");
    let sent = mirror
        .seal_command(ins::WRITE_DATA, &write_header, &content, CommMode::Full)
        .unwrap();
    card.open_command(ins::WRITE_DATA, 7, &sent, CommMode::Full)
        .unwrap();
    let reply = card
        .seal_response(Status::Ok, &[], CommMode::Plain)
        .unwrap();
    mirror
        .open_response(Status::Ok, &reply, CommMode::Plain, None)
        .unwrap();
    let mut apdus = vec![(ins::WRITE_DATA, sent, reply)];
    let read_header = hex("00 000000 1f0000");
    let sent = mirror
        .seal_command(ins::READ_DATA, &read_header, &[], CommMode::Plain)
        .unwrap();
    card.open_command(ins::READ_DATA, 7, &sent, CommMode::Plain)
        .unwrap();
    let reply = card
        .seal_response(Status::Ok, &content, CommMode::Full)
        .unwrap();
    mirror
        .open_response(Status::Ok, &reply, CommMode::Full, Some(31))
        .unwrap();
    apdus.push((ins::READ_DATA, sent, reply));
    let sent = mirror
        .seal_command(ins::GET_CARD_UID, &[], &[], CommMode::Plain)
        .unwrap();
    card.open_command(ins::GET_CARD_UID, 0, &sent, CommMode::Plain)
        .unwrap();
    let reply = card
        .seal_response(Status::Ok, &uid, CommMode::Full)
        .unwrap();
    apdus.push((ins::GET_CARD_UID, sent, reply));
    for (ins, sent, reply) in &apdus {
        let chunks: Vec<&[u8]> = match sent.is_empty() {
            true => vec![&[]],
            false => sent.chunks(apdu::MAX_COMMAND_FRAME).collect(),
        };
        let frames = chunks.len();
        for (i, chunk) in chunks.into_iter().enumerate() {
            let code = if i == 0 { *ins } else { ins::ADDITIONAL_FRAME };
            let last = i + 1 == frames;
            let answer = if last {
                format!("{} 9100", to_hex(reply))
            } else {
                "91AF".into()
            };
            t = t.step(&to_hex(&apdu::wrap(code, chunk).unwrap()), &answer);
        }
    }
    let mut d = Desfire::new(&mut t);
    d.set_session(host);
    d.write_data(0, 0, &content, CommMode::Full).unwrap();
    assert_eq!(d.read_data(0, 0, 31, CommMode::Full).unwrap(), content);
    assert_eq!(d.get_card_uid().unwrap(), uid);
    drop(d);
    assert!(t.is_done());
}

#[test]
fn card_errors_are_mapped_and_end_the_session() {
    let mut t = Transcript::new()
        .step("905A000003 c0 85 f5 00", "91A0")
        .reply("919D")
        .reply("6A82")
        .reply("91");
    let mut d = Desfire::new(&mut t);
    let aid = Aid::parse_hex("F585C0").unwrap();
    assert_eq!(
        d.select_application(aid),
        Err(DesfireError::Card(Status::ApplicationNotFound))
    );
    assert_eq!(d.selected(), None);
    d.set_session(Session::ev1(
        AuthScheme::Aes,
        0,
        KeyType::Aes128,
        &aes("00000000000000000000000000000000"),
    ));
    assert_eq!(
        d.delete_application(aid),
        Err(DesfireError::Card(Status::PermissionDenied))
    );
    assert!(d.session().is_none());
    assert_eq!(
        d.format_picc(),
        Err(DesfireError::NotDesfire {
            sw1: 0x6A,
            sw2: 0x82
        })
    );
    assert!(matches!(d.get_file_ids(), Err(DesfireError::Malformed(_))));
    // Without a session, enciphered commands are refused before anything is sent.
    let before = d.apdu_count();
    assert_eq!(
        d.change_key_settings(KeySettings::decode(0x0F)),
        Err(NEEDS_SESSION)
    );
    assert_eq!(
        d.set_configuration(PiccConfiguration::default()),
        Err(NEEDS_SESSION)
    );
    assert_eq!(d.get_card_uid(), Err(NEEDS_SESSION));
    assert_eq!(
        d.change_key(1, &aes("00000000000000000000000000000000"), None),
        Err(NEEDS_SESSION)
    );
    assert_eq!(d.read_data(0, 0, 4, CommMode::Full), Err(NEEDS_SESSION));
    assert_eq!(d.apdu_count(), before);
}

#[test]
fn short_and_garbage_answers_are_errors() {
    let mut t = Transcript::new()
        .reply("04 01 9100")
        .reply("0102 9100")
        .reply("01 9100")
        .reply("0B C4 9100")
        .reply("00 9100")
        .reply("01 02 9100");
    let mut d = Desfire::new(&mut t);
    assert!(matches!(d.get_version(), Err(DesfireError::Malformed(_))));
    assert!(matches!(
        d.get_application_ids(),
        Err(DesfireError::Malformed(_))
    ));
    assert!(matches!(
        d.get_free_memory(),
        Err(DesfireError::Malformed(_))
    ));
    assert!(matches!(
        d.get_key_settings(),
        Err(DesfireError::Malformed(_))
    ));
    assert!(matches!(
        d.get_file_settings(0),
        Err(DesfireError::Malformed(_))
    ));
    assert!(matches!(
        d.read_data(0, 0, 4, CommMode::Plain),
        Err(DesfireError::Malformed(_))
    ));

    let mut rng = SeededRandom::new(9);
    for len in 0..40 {
        for _ in 0..50 {
            let mut buf = vec![0u8; len];
            rng.fill(&mut buf).unwrap();
            let _ = FileSettings::decode(&buf);
            let _ = Version::decode(&buf);
            let _ = KeyCount::decode(buf.first().copied().unwrap_or(0));
        }
    }
    let full: Vec<u8> = (0..28).collect();
    for n in 0..28 {
        assert!(Version::decode(&full[..n]).is_err());
    }
    assert!(Version::decode(&full).is_ok());
}

#[test]
fn typed_values_round_trip() {
    let ar = AccessRights::from_config(0x1223);
    assert_eq!(ar.wire(), [0x23, 0x12]);
    assert_eq!(ar.read, AccessRight::Key(1));
    assert_eq!(ar.change, AccessRight::Key(3));
    assert_eq!(AccessRights::FREE.wire(), [0xEE, 0xEE]);
    for v in 0..=u16::MAX {
        let a = AccessRights::from_config(v);
        assert_eq!(a.config(), v);
        assert_eq!(AccessRights::from_wire(a.wire()), a);
    }
    for b in 0..=u8::MAX {
        assert_eq!(KeySettings::decode(b).encode(), b);
    }
    let s = KeySettings::decode(0x0B);
    assert!(s.settings_changeable && !s.free_create_delete && s.free_directory);
    assert_eq!(s.change_key, ChangeKeyAccess::MasterKey);
    for b in [0x84u8, 0xA4, 0x82, 0x0E, 0x41] {
        assert_eq!(KeyCount::decode(b).unwrap().encode(), b);
    }
    assert!(KeyCount::decode(0xC4).is_err());
    let aid = Aid::parse_hex("F58540").unwrap();
    assert_eq!(aid.wire(), [0x40, 0x85, 0xF5]);
    assert_eq!(Aid::from_wire(aid.wire()), aid);
    assert_eq!(aid.to_string(), "F58540");
    assert_eq!(Aid::parse_hex("F5854"), None);
    assert_eq!(Aid::parse_hex("GGGGGG"), None);
    assert_eq!(Aid::from_u32(0x0100_0000), None);
    assert_eq!(u24_bytes(0x1F), Some([0x1F, 0, 0]));
    assert_eq!(u24(&[0x1F, 0, 0]), Some(31));
    assert_eq!(u24(&[1, 2]), None);
    assert_eq!(u24_bytes(1 << 24), None);
}
