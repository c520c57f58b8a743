use super::*;
use crate::nfc::desfire::testing::{Transcript, hex};

#[test]
fn wrap_matches_reference_apdus() {
    // desfire.md V3 "other exact-APDU tests" and §3.1.
    assert_eq!(
        wrap(ins::CREATE_APPLICATION, &hex("eeffaa0b82")).unwrap(),
        hex("90ca000005eeffaa0b8200")
    );
    assert_eq!(
        wrap(ins::CREATE_STD_DATA_FILE, &hex("010000e0f00000")).unwrap(),
        hex("90cd000007010000e0f0000000")
    );
    assert_eq!(
        wrap(ins::READ_DATA, &hex("01000000200000")).unwrap(),
        hex("90bd0000070100000020000000")
    );
    assert_eq!(wrap(ins::FORMAT_PICC, &[]).unwrap(), hex("90fc000000"));
    assert_eq!(
        wrap(ins::SELECT_APPLICATION, &[0, 0, 0]).unwrap(),
        hex("905a00000300000000")
    );
    assert_eq!(
        wrap(0x3D, &[0; 256]),
        Err(DesfireError::TooLong(256)),
        "Lc is one byte"
    );
}

#[test]
fn every_status_code_round_trips() {
    for b in 0..=255u8 {
        assert_eq!(Status::from_byte(b).byte(), b);
    }
    assert_eq!(Status::from_byte(0xAE), Status::AuthenticationError);
    assert_eq!(Status::from_byte(0x42), Status::Other(0x42));
    assert!(!Status::Ok.is_error() && !Status::AdditionalFrame.is_error());
    assert!(Status::Duplicate.is_error());
    assert_eq!(
        Status::PermissionDenied.to_string(),
        "9D (permission denied)"
    );
}

#[test]
fn parse_response_splits_status_and_rejects_non_desfire() {
    assert_eq!(
        parse_response(&hex("01029100")).unwrap(),
        Response {
            data: vec![1, 2],
            status: Status::Ok
        }
    );
    assert_eq!(
        parse_response(&hex("91AE")).unwrap().ok(),
        Err(DesfireError::Card(Status::AuthenticationError))
    );
    assert_eq!(
        parse_response(&hex("6A82")),
        Err(DesfireError::NotDesfire {
            sw1: 0x6A,
            sw2: 0x82
        })
    );
    assert!(parse_response(&[0x91]).is_err());
    assert!(parse_response(&[]).is_err());
}

#[test]
fn transceive_collects_additional_frames() {
    // GetVersion: three frames (desfire.md §4).
    let mut t = Transcript::new()
        .step("9060000000", "04010101000B0591AF")
        .step("90AF000000", "04010101000B0591AF")
        .step("90AF000000", "04112233445566BA54A63A2A11119100");
    let r = transceive(&mut t, ins::GET_VERSION, &[]).unwrap();
    assert_eq!(r.status, Status::Ok);
    assert_eq!(r.data.len(), 28);
    assert_eq!(&r.data[14..21], &hex("04112233445566")[..]);
    assert!(t.is_done());
}

#[test]
fn transceive_splits_long_writes_into_54_byte_frames() {
    // WriteData of 100 bytes: 7-byte header + 47 bytes, then 53 bytes (desfire.md §3.1 step 6).
    let mut data = hex("01000000640000");
    data.extend((0..100u8).collect::<Vec<_>>());
    let mut t = Transcript::new().reply("91AF").reply("9100");
    let r = transceive(&mut t, ins::WRITE_DATA, &data).unwrap();
    assert_eq!(r.status, Status::Ok);
    assert_eq!(t.sent.len(), 2);
    assert_eq!(&t.sent[0][..5], &hex("903D000036")[..]);
    assert_eq!(t.sent[0].len(), 5 + 54 + 1);
    assert_eq!(&t.sent[1][..5], &hex("90AF000035")[..]);
    assert_eq!(&t.sent[1][5..58], &data[54..]);
}

#[test]
fn transceive_stops_on_error_and_refuses_early_data() {
    let data = vec![0u8; 60];
    let mut t = Transcript::new().reply("919D");
    let r = transceive(&mut t, ins::WRITE_DATA, &data).unwrap();
    assert_eq!(r.status, Status::PermissionDenied);
    assert_eq!(t.sent.len(), 1);

    let mut t = Transcript::new().reply("0191AF");
    assert!(matches!(
        transceive(&mut t, ins::WRITE_DATA, &data),
        Err(DesfireError::Malformed(_))
    ));
}

#[test]
fn transceive_bounds_an_endless_answer() {
    struct Endless;
    impl CardTransport for Endless {
        fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, crate::nfc::transport::TransportError> {
            let mut r = vec![0u8; 59];
            r.extend_from_slice(&[0x91, 0xAF]);
            Ok(r)
        }
    }
    assert!(matches!(
        transceive(&mut Endless, ins::READ_DATA, &[]),
        Err(DesfireError::Malformed(_))
    ));
}

#[test]
fn parse_command_handles_all_cases_and_garbage() {
    let c = parse_command(&hex("90AA0000010000")).unwrap();
    assert!(c.is_native());
    assert_eq!((c.ins, c.data.clone()), (0xAA, vec![0x00]));
    assert_eq!(
        parse_command(&hex("9060000000")).unwrap().data,
        Vec::<u8>::new()
    );
    assert_eq!(parse_command(&hex("90600000")).unwrap().ins, 0x60);
    let c = parse_command(&hex("FFCA000000")).unwrap();
    assert!(!c.is_native());
    assert_eq!(
        parse_command(&hex("905A000003010203")).unwrap().data,
        vec![1, 2, 3]
    );
    assert!(parse_command(&hex("905A0000050102")).is_err());
    assert!(parse_command(&hex("905A000001010203")).is_err());
    assert!(parse_command(&hex("9000")).is_err());
    // Any input: no panic.
    let mut x: u32 = 7;
    for len in 0..300 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect();
        let _ = parse_command(&bytes);
        let _ = parse_response(&bytes);
    }
}

#[test]
fn response_frames_and_command_assembler() {
    let mut frames = ResponseFrames::default();
    let data: Vec<u8> = (0..130).collect();
    let first = frames.start(&data, Status::Ok, MAX_RESPONSE_FRAME);
    assert_eq!(first.len(), 61);
    assert_eq!(&first[59..], &[0x91, 0xAF]);
    let second = frames.next_frame().unwrap();
    assert_eq!(&second[59..], &[0x91, 0xAF]);
    let third = frames.next_frame().unwrap();
    assert_eq!(third.len(), 12 + 2);
    assert_eq!(&third[12..], &[0x91, 0x00]);
    assert!(!frames.is_pending());
    assert_eq!(frames.start(&data, Status::BoundaryError, 59), hex("91BE"));
    assert_eq!(frames.start(&[], Status::Ok, 59), hex("9100"));

    let mut a = CommandAssembler::new(ins::WRITE_DATA, &[1, 2], 5);
    assert!(!a.is_complete());
    a.push(&[3, 4, 5]).unwrap();
    assert!(a.push(&[6]).is_err());
    assert_eq!(a.ins(), ins::WRITE_DATA);
    assert_eq!(a.finish().unwrap(), vec![1, 2, 3, 4, 5]);
    assert!(CommandAssembler::new(1, &[], 2).finish().is_err());
}
