use super::*;
use crate::nfc::apdu::ins;

use crate::nfc::desfire::random::{Random, SeededRandom};
use crate::nfc::desfire::testing::hex;

fn aes(k: &str) -> Key {
    Key::new(KeyType::Aes128, &hex(k)).unwrap()
}

fn ev1_aes(k: &str) -> Session {
    Session::ev1(AuthScheme::Aes, 0, KeyType::Aes128, &aes(k))
}

/// One session of each scheme, as host and card hold it after authenticating.
fn all_schemes() -> Vec<Session> {
    let tdes = Key::new(
        KeyType::TwoKey3Des,
        &hex("00112233445566778899aabbccddeeff"),
    )
    .unwrap();
    let k3 = Key::new(KeyType::ThreeKey3Des, &[7; 24]).unwrap();
    vec![
        Session::legacy(0, KeyType::TwoKey3Des, &tdes),
        Session::ev1(AuthScheme::Iso, 0, KeyType::TwoKey3Des, &tdes),
        Session::ev1(AuthScheme::Iso, 0, KeyType::ThreeKey3Des, &k3),
        ev1_aes("c6b78142a2137952119f0da47e109dd2"),
        Session::ev2(
            0,
            &aes("1309C877509E5A215007FF0ED19CA564"),
            &aes("4C6626F5E72EA694202139295C7A7FC7"),
            hex("9D00C4DF").try_into().unwrap(),
            0,
        ),
    ]
}

#[test]
fn v4_ev1_cmac_chaining_host_side() {
    let mut host = ev1_aes("c6b78142a2137952119f0da47e109dd2");
    for (cmd, resp) in [
        ("cd01000000480100", "d31ff3bce4b702e2"),
        ("cd02010000480100", "c412c0f81191c31f"),
        ("cd03030000480100", "7bc23fcbc4ace524"),
        ("f501", "00000000480100c2f74ebdeda3c77e"),
    ] {
        let cmd = hex(cmd);
        let sent = host
            .seal_command(cmd[0], &[], &cmd[1..], CommMode::Plain)
            .unwrap();
        assert_eq!(sent, &cmd[1..], "plain commands go unchanged");
        let resp = hex(resp);
        let data = host
            .open_response(Status::Ok, &resp, CommMode::Plain, None)
            .unwrap();
        assert_eq!(data, &resp[..resp.len() - 8]);
    }
    let mut host = ev1_aes("c6b78142a2137952119f0da47e109dd2");
    host.seal_command(0xCD, &[], &hex("01000000480100"), CommMode::Plain)
        .unwrap();
    assert_eq!(
        host.open_response(Status::Ok, &hex("d31ff3bce4b702e3"), CommMode::Plain, None),
        Err(DesfireError::Integrity("MAC mismatch"))
    );
}

#[test]
fn v4_ev1_cmac_chaining_card_side() {
    let mut card = ev1_aes("c6b78142a2137952119f0da47e109dd2");
    for (cmd, data, mac) in [
        ("cd01000000480100", "", "d31ff3bce4b702e2"),
        ("cd02010000480100", "", "c412c0f81191c31f"),
        ("cd03030000480100", "", "7bc23fcbc4ace524"),
        ("f501", "00000000480100", "c2f74ebdeda3c77e"),
    ] {
        let cmd = hex(cmd);
        assert_eq!(
            card.open_command(cmd[0], 1, &cmd[1..], CommMode::Plain)
                .unwrap(),
            &cmd[1..]
        );
        let out = card
            .seal_response(Status::Ok, &hex(data), CommMode::Plain)
            .unwrap();
        assert_eq!(out, [hex(data), hex(mac)].concat());
    }
}

#[test]
fn v3_ev1_change_key_same_key_both_sides() {
    let new = Key::with_version(
        KeyType::Aes128,
        &hex("25432a462d4a614e645267556b587032"),
        0x10,
    )
    .unwrap();
    let mut host = ev1_aes("a8514dd0350f3dfbc86e80744bcc9b57");
    let data = host
        .change_key_data(0x00, &new, KeyChange::AuthenticatedKey)
        .unwrap();
    assert_eq!(
        apdu::wrap(ins::CHANGE_KEY, &data).unwrap(),
        hex("90c4000021 00 c2b54a718d0251845653199909bb32e8e38bd6719e8dc21799c29c922a0984fc 00")
    );
    let mut card = ev1_aes("a8514dd0350f3dfbc86e80744bcc9b57");
    let (key_no, got) = card
        .open_change_key(&data, KeyType::Aes128, KeyChange::AuthenticatedKey)
        .unwrap();
    assert_eq!((key_no, &got), (0, &new));
    assert_eq!(got.version(), 0x10);
}

#[test]
fn v3_ev1_change_key_other_key_both_sides() {
    let new = Key::with_version(
        KeyType::Aes128,
        &hex("25432a462d4a614e645267556b587032"),
        0x10,
    )
    .unwrap();
    let old = Key::zero(KeyType::Aes128);
    let change = KeyChange::OtherKey { old: &old };
    let mut host = ev1_aes("1677623e1e158a62dc3d128db55f947d");
    let data = host.change_key_data(0x01, &new, change).unwrap();
    assert_eq!(
        apdu::wrap(ins::CHANGE_KEY, &data).unwrap(),
        hex("90c4000021 01 a8c5a61a06f56f38dc91266fed2e87dc00a5ad72a634ff0e62c8d6d80707dd60 00")
    );
    let mut card = ev1_aes("1677623e1e158a62dc3d128db55f947d");
    let (_, got) = card
        .open_change_key(&data, KeyType::Aes128, change)
        .unwrap();
    assert_eq!(got, new);
    // The wrong old key on the card side breaks the second CRC.
    let wrong = Key::new(KeyType::Aes128, &[1; 16]).unwrap();
    let mut card = ev1_aes("1677623e1e158a62dc3d128db55f947d");
    assert!(matches!(
        card.open_change_key(&data, KeyType::Aes128, KeyChange::OtherKey { old: &wrong }),
        Err(DesfireError::Integrity(_))
    ));
}

fn ev2_table26() -> Session {
    Session::ev2(
        0,
        &aes("4CF3CB41A22583A61E89B158D252FC53"),
        &aes("5529860B2FC5FB6154B7F28361D30BF9"),
        hex("7614281A").try_into().unwrap(),
        2,
    )
}

#[test]
fn v6_ev2_full_mode_change_file_settings() {
    let mut host = all_schemes().pop().unwrap();
    host.end_exchange(); // CmdCtr 1
    let msg = Message::Command {
        ins: 0x5F,
        header: &[0x02],
    };
    assert_eq!(
        host.ev2_iv(msg).unwrap(),
        hex("3E27082AB2ACC1EF55C57547934E9962")
    );
    let data = hex("4000E0C1F121200000430000430000");
    let sent = host
        .seal_command(0x5F, &[0x02], &data, CommMode::Full)
        .unwrap();
    assert_eq!(
        sent,
        hex("02 61B6D97903566E84C3AE5274467E89EA D799B7C1A0EF7A04")
    );

    let mut card = all_schemes().pop().unwrap();
    card.end_exchange();
    let opened = card.open_command(0x5F, 1, &sent, CommMode::Full).unwrap();
    assert_eq!(opened, [&[0x02][..], &data].concat());
}

#[test]
fn v6_ev2_change_key_both_sides() {
    let new =
        Key::with_version(KeyType::Aes128, &hex("F3847D627727ED3BC9C4CC050489B966"), 1).unwrap();
    assert_eq!(crc32(new.bytes()), hex("789DFADC")[..]);
    let old = Key::zero(KeyType::Aes128);
    let change = KeyChange::OtherKey { old: &old };
    let mut host = ev2_table26();
    assert_eq!(
        host.ev2_iv(Message::Command {
            ins: 0xC4,
            header: &[2]
        })
        .unwrap(),
        hex("307EDE1814707F30CFE603DD6CA62353")
    );
    let data = host.change_key_data(0x02, &new, change).unwrap();
    assert_eq!(
        data,
        hex("02 2CF362B7BF4311FF3BE1DAA295E8C68DE09050560D19B9E16C2393AE9CD1FAC7 5D0CE20BCD1D06E6")
    );
    let mut card = ev2_table26();
    assert_eq!(
        card.open_change_key(&data, KeyType::Aes128, change)
            .unwrap(),
        (2, new)
    );
}

/// Host and card run `rounds` command/response pairs in `mode` and must agree on everything.
fn round_trip(host: &mut Session, card: &mut Session, mode: CommMode, rng: &mut SeededRandom) {
    for len in [0usize, 1, 7, 8, 15, 16, 17, 31, 32, 60] {
        let mut data = vec![0u8; len];
        rng.fill(&mut data).unwrap();
        let header = [0x01, 0x02];
        let sent = host.seal_command(0x3D, &header, &data, mode).unwrap();
        let opened = card.open_command(0x3D, 2, &sent, mode).unwrap();
        assert_eq!(
            opened,
            [&header[..], &data].concat(),
            "{:?} {mode:?} command {len}",
            host.scheme()
        );
        let reply = card.seal_response(Status::Ok, &data, mode).unwrap();
        let known = if len % 2 == 0 { Some(len) } else { None };
        let got = host.open_response(Status::Ok, &reply, mode, known).unwrap();
        assert_eq!(got, data, "{:?} {mode:?} response {len}", host.scheme());
    }
}

#[test]
fn host_and_card_agree_in_every_scheme_and_mode() {
    let mut rng = SeededRandom::new(9);
    for session in all_schemes() {
        let (mut host, mut card) = (session.clone(), session);
        for mode in [
            CommMode::Plain,
            CommMode::Mac,
            CommMode::Full,
            CommMode::Plain,
        ] {
            round_trip(&mut host, &mut card, mode, &mut rng);
        }
        assert_eq!(host.iv(), card.iv());
        assert_eq!(host.ev2_state(), card.ev2_state());
    }
}

#[test]
fn change_key_and_set_configuration_round_trip_in_every_scheme() {
    let keys = [
        Key::with_version(KeyType::Aes128, &[0x42; 16], 3).unwrap(),
        Key::with_version(
            KeyType::TwoKey3Des,
            &hex("0123456789abcdeffedcba9876543210"),
            5,
        )
        .unwrap(),
        Key::with_version(KeyType::Des, &hex("0123456789abcdef"), 7).unwrap(),
        Key::new(KeyType::ThreeKey3Des, &[0x17; 24]).unwrap(),
    ];
    for session in all_schemes() {
        for new in &keys {
            if session.scheme() == AuthScheme::Ev2 && new.kind() != KeyType::Aes128 {
                continue;
            }
            let old = Key::new(new.kind(), &vec![0x5A; new.kind().key_len()]).unwrap();
            for change in [
                KeyChange::AuthenticatedKey,
                KeyChange::OtherKey { old: &old },
            ] {
                let (mut host, mut card) = (session.clone(), session.clone());
                let data = host.change_key_data(0x83, new, change).unwrap();
                let (no, got) = card.open_change_key(&data, new.kind(), change).unwrap();
                assert_eq!((no, &got), (0x83, new), "{:?} {:?}", session.scheme(), new);
                assert_eq!(got.version(), new.version());
            }
        }
        let (mut host, mut card) = (session.clone(), session.clone());
        let data = host.set_configuration_data(CONFIG_RANDOM_UID).unwrap();
        let opened = card
            .open_command(ins::SET_CONFIGURATION, 1, &data, CommMode::Full)
            .unwrap();
        assert_eq!(opened, vec![0x00, CONFIG_RANDOM_UID]);
    }
}

#[test]
fn tampering_is_detected_and_garbage_never_panics() {
    let mut rng = SeededRandom::new(3);
    for session in all_schemes() {
        for mode in [CommMode::Mac, CommMode::Full] {
            let mut host = session.clone();
            let mut card = session.clone();
            let mut sent = host
                .seal_command(0x3D, &[1], b"twelve bytes", mode)
                .unwrap();
            let last = sent.len() - 1;
            sent[last] ^= 0x01;
            let r = card.open_command(0x3D, 1, &sent, mode);
            assert!(
                matches!(r, Err(DesfireError::Integrity(_))),
                "{:?} {mode:?}: {r:?}",
                session.scheme()
            );
        }
        for len in 0..80 {
            let mut junk = vec![0u8; len];
            rng.fill(&mut junk).unwrap();
            for mode in [CommMode::Plain, CommMode::Mac, CommMode::Full] {
                let _ = session.clone().open_command(0x3D, 1, &junk, mode);
                let _ = session.clone().open_command(0x3D, 99, &junk, mode);
                let _ = session.clone().open_response(Status::Ok, &junk, mode, None);
                let _ = session
                    .clone()
                    .open_response(Status::Ok, &junk, mode, Some(1000));
            }
            let old = Key::zero(KeyType::Aes128);
            let _ = session.clone().open_change_key(
                &junk,
                KeyType::Aes128,
                KeyChange::AuthenticatedKey,
            );
            let _ = session.clone().open_change_key(
                &junk,
                KeyType::ThreeKey3Des,
                KeyChange::OtherKey { old: &old },
            );
        }
    }
}

#[test]
fn error_status_carries_nothing_and_ends_the_exchange() {
    let mut card = ev1_aes("c6b78142a2137952119f0da47e109dd2");
    assert_eq!(
        card.seal_response(Status::PermissionDenied, b"x", CommMode::Mac)
            .unwrap(),
        Vec::<u8>::new()
    );
    let mut host = ev1_aes("c6b78142a2137952119f0da47e109dd2");
    assert_eq!(
        host.open_response(Status::PermissionDenied, &[], CommMode::Plain, None),
        Err(DesfireError::Card(Status::PermissionDenied))
    );
}

#[test]
fn ev2_counter_advances_per_pair_and_runs_out() {
    let mut s = all_schemes().pop().unwrap();
    s.seal_command(0x60, &[], &[], CommMode::Plain).unwrap();
    s.open_response(Status::Ok, &[], CommMode::Plain, None)
        .unwrap();
    assert_eq!(s.ev2_state().map(|(_, c)| c), Some(1));
    let mut s = Session::ev2(
        0,
        &Key::zero(KeyType::Aes128),
        &Key::zero(KeyType::Aes128),
        [0; 4],
        u16::MAX,
    );
    assert_eq!(
        s.seal_response(Status::Ok, &[], CommMode::Mac),
        Err(DesfireError::CounterExhausted)
    );
}

#[test]
fn comm_mode_bytes() {
    for m in [CommMode::Plain, CommMode::Mac, CommMode::Full] {
        assert_eq!(CommMode::from_byte(m.byte()), Some(m));
    }
    assert_eq!(CommMode::from_byte(0x02), Some(CommMode::Plain));
    assert_eq!(CommMode::from_byte(0x04), None);
}
