//! Every error status the card gives (desfire.md §1.2, §12), the loss of authentication on errors, the EEPROM
//! limit, and garbage APDUs (never a panic).

use super::tests::{UID, card_with_app, login, send, sw};
use super::*;
use crate::nfc::desfire::auth::{self, AuthCommand};
use crate::nfc::desfire::crypto::{Key, KeyType};
use crate::nfc::desfire::random::{Random, SeededRandom};
use crate::nfc::desfire::testing::{Direct, hex};

/// A card with application 000001 (3 AES keys) selected and an AES session with key 0.
fn authenticated() -> SimCard {
    let mut card = card_with_app(0x83);
    login(
        &mut card,
        AuthCommand::Aes,
        0,
        &Key::zero(KeyType::Aes128),
        &mut SeededRandom::new(2),
    );
    card
}

/// Sends `apdu` on an authenticated card, expects `status` and checks the session is gone.
fn expect_error(mut card: SimCard, apdu: &str, status: u8) {
    assert!(card.is_authenticated());
    let r = send(&mut card, apdu);
    assert_eq!(r, [0x91, status], "{apdu}");
    assert!(
        !card.is_authenticated(),
        "an error ends the session: {apdu}"
    );
}

#[test]
fn authentication_error_wrong_key() {
    let mut card = card_with_app(0x81);
    let wrong = Key::new(KeyType::Aes128, &[1; 16]).unwrap();
    let e = auth::authenticate(
        &mut Direct(&mut card),
        AuthCommand::Aes,
        0,
        &wrong,
        &mut SeededRandom::new(1),
    )
    .unwrap_err();
    assert_eq!(e.card_status(), Status::AuthenticationError);
    // Wrong command for the key type: AE at once.
    assert_eq!(send(&mut card, "900A0000010000"), [0x91, 0xAE]);
}

#[test]
fn statuses_on_an_authenticated_card() {
    // 7E: GetVersion takes no data.
    expect_error(authenticated(), "906000000100 00", 0x7E);
    // A0: unknown application (Select drops the session in any case).
    expect_error(authenticated(), "905A000003 090909 00", 0xA0);
    // F0: no such file.
    expect_error(authenticated(), "90F5000001 07 00", 0xF0);
    // 40: no such key.
    expect_error(authenticated(), "9064000001 09 00", 0x40);
    // 9E: file number beyond 31.
    expect_error(authenticated(), "90CD000007 40 00 EEEE 100000 00", 0x9E);
    // 1C: unknown command.
    expect_error(authenticated(), "9099000000", 0x1C);
    // 1E: ChangeKey cryptogram that does not decipher to a valid CRC.
    expect_error(
        authenticated(),
        "90C4000021 01 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF 00",
        0x1E,
    );
}

/// Sends each APDU (hex) and checks the whole answer (hex).
fn steps(card: &mut SimCard, steps: &[(&str, &str)]) {
    for (apdu, answer) in steps {
        assert_eq!(send(card, apdu), hex(answer), "{apdu}");
    }
}

#[test]
fn duplicate_boundary_and_permission() {
    let mut card = card_with_app(0x81);
    steps(
        &mut card,
        &[
            ("905A000003 000000 00", "9100"),
            // DE: the application exists.
            ("90CA000005 010000 0F81 00", "91DE"),
            ("905A000003 010000 00", "9100"),
            // A free file of 16 bytes, then a duplicate.
            ("90CD000007 00 00 EEEE 100000 00", "9100"),
            ("90CD000007 00 00 EEEE 100000 00", "91DE"),
            // BE: beyond the end, reading and writing.
            ("90BD000007 00 080000 090000 00", "91BE"),
            ("903D00000F 00 0C0000 080000 0102030405060708 00", "91BE"),
            // Lock: read and write with key 1, read-write with key 1, change with key 2.
            ("905F000004 00 00 1211 00", "9100"),
            // 9D: write refused after locking (§16), read refused too.
            ("903D00000F 00 000000 080000 0102030405060708 00", "919D"),
            ("90BD000007 00 000000 000000 00", "919D"),
            // AE: ChangeKey needs an authentication.
            ("90C4000011 01 00000000000000000000000000000000 00", "91AE"),
        ],
    );
    let rights = card
        .application(1)
        .unwrap()
        .file(0)
        .unwrap()
        .access_rights();
    assert_eq!((rights.read, rights.write, rights.change), (1, 1, 2));
}

#[test]
fn command_aborted_in_the_middle_of_frames() {
    let mut card = authenticated();
    assert_eq!(sw(&send(&mut card, "9060000000")), 0xAF);
    assert_eq!(send(&mut card, "906E000000"), [0x91, 0xCA]);
    assert!(!card.is_authenticated());
    // AF with nothing under way: illegal command.
    assert_eq!(send(&mut card, "90AF000000"), [0x91, 0x1C]);
}

#[test]
fn eeprom_full() {
    // 1 KB card: 32 blocks.
    let mut card = SimCard::blank(UID).with_capacity(1024);
    card.power_on();
    steps(
        &mut card,
        &[
            ("906E000000", "000400 9100"),
            // Application 1 with 1 key: 2 blocks.
            ("90CA000005 010000 0F01 00", "9100"),
            ("906E000000", "C00300 9100"),
            ("905A000003 010000 00", "9100"),
            // 30 blocks left: 960 bytes fit, one more byte does not.
            ("90CD000007 00 00 EEEE C10300 00", "910E"),
            ("90CD000007 00 00 EEEE C00300 00", "9100"),
            ("90CD000007 01 00 EEEE 010000 00", "910E"),
            ("905A000003 000000 00", "9100"),
            ("90CA000005 020000 0F01 00", "910E"),
            ("906E000000", "000000 9100"),
        ],
    );
    assert_eq!(card.free_memory(), 0);
}

#[test]
fn format_and_delete_need_the_master_key() {
    let mut card = card_with_app(0x81);
    assert_eq!(send(&mut card, "905A00000300000000"), [0x91, 0x00]);
    assert_eq!(send(&mut card, "90FC000000"), [0x91, 0xAE]);
    assert_eq!(send(&mut card, "90DA000003 010000 00"), [0x91, 0xAE]);
    login(
        &mut card,
        AuthCommand::Legacy,
        0,
        &Key::zero(KeyType::Des),
        &mut SeededRandom::new(4),
    );
    assert_eq!(send(&mut card, "90DA000003 020000 00"), [0x91, 0xA0]);
    login(
        &mut card,
        AuthCommand::Legacy,
        0,
        &Key::zero(KeyType::Des),
        &mut SeededRandom::new(4),
    );
    assert_eq!(send(&mut card, "90DA000003 010000 00"), [0x91, 0x00]);
    assert_eq!(card.applications().count(), 0);
}

/// Every command code the card implements.
const KNOWN: [u8; 24] = [
    0x0A, 0x1A, 0xAA, 0x71, 0xAF, 0x60, 0x51, 0x5A, 0x6A, 0xCA, 0xDA, 0xFC, 0x6E, 0x5C, 0x45, 0x54,
    0x64, 0xC4, 0xCD, 0x6F, 0xF5, 0x5F, 0xBD, 0x3D,
];

#[test]
fn garbage_never_panics() {
    let mut noise = SeededRandom::new(0xF00D);
    for round in 0..3 {
        let mut card = match round {
            0 => {
                let mut c = SimCard::blank(UID);
                c.power_on();
                c
            }
            1 => card_with_app(0x83),
            _ => authenticated(),
        };
        for _ in 0..20_000 {
            let mut len = [0u8; 1];
            noise.fill(&mut len).unwrap();
            let mut apdu = vec![0u8; usize::from(len[0] % 64)];
            noise.fill(&mut apdu).unwrap();
            // Mostly native commands with a consistent Lc, to get past the parser.
            if apdu.len() >= 6 && apdu[0] & 1 == 0 {
                apdu[0] = 0x90;
                // Half of them with a command the card implements, to reach the command code.
                if apdu[1] & 1 == 0 {
                    apdu[1] = KNOWN[usize::from(apdu[2]) % KNOWN.len()];
                }
                apdu[2] = 0;
                apdu[3] = 0;
                apdu[4] = (apdu.len() - 6) as u8;
                let last = apdu.len() - 1;
                apdu[last] = 0;
            }
            let r = card.process(&apdu);
            assert!(r.len() >= 2, "{apdu:02X?} → {r:02X?}");
        }
    }
}
