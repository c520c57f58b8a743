use super::*;
use crate::nfc::desfire::random::{Random, SeededRandom};
use crate::nfc::desfire::testing::hex;

fn aes(k: &str) -> Key {
    Key::new(KeyType::Aes128, &hex(k)).unwrap()
}

#[test]
fn v1_aes_cmac_nist_vectors() {
    let c = Cipher::new(&aes("2b7e151628aed2a6abf7158809cf4f3c"));
    let (k1, k2) = c.cmac_subkeys();
    assert_eq!(k1, hex("fbeed618357133667c85e08f7236a8de"));
    assert_eq!(k2, hex("f7ddac306ae266ccf90bc11ee46d513b"));
    let zero = [0u8; 16];
    let m16 = "6bc1bee22e409f96e93d7e117393172a";
    let m40 = format!("{m16}ae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411");
    let m64 = format!("{m40}e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
    for (m, mac) in [
        ("", "bb1d6929e95937287fa37d129b756746"),
        (m16, "070a16b46b4d4144f79bdd9dd04a287c"),
        (&m40, "dfa66747de9ae63030ca32611497c827"),
        (&m64, "51f0bebf7e3b9d92fc49741779363cfe"),
    ] {
        assert_eq!(c.cmac(&zero, &hex(m)).unwrap(), hex(mac), "M = {m}");
    }
}

#[test]
fn cmac_with_zero_iv_matches_the_cmac_crate_for_aes_and_3des() {
    use cmac::Mac;
    let mut rng = SeededRandom::new(5);
    for len in 0..50 {
        let mut data = vec![0u8; len];
        rng.fill(&mut data).unwrap();

        let aes_key = aes("000102030405060708090a0b0c0d0e0f");
        let mut m = <cmac::Cmac<aes::Aes128> as KeyInit>::new_from_slice(aes_key.bytes()).unwrap();
        m.update(&data);
        let ours = Cipher::new(&aes_key).cmac(&[0; 16], &data).unwrap();
        assert_eq!(ours, m.finalize().into_bytes().to_vec());

        let tdes = Key::new(
            KeyType::TwoKey3Des,
            &hex("0123456789abcdeffedcba9876543210"),
        )
        .unwrap();
        let mut m = <cmac::Cmac<des::TdesEde2> as KeyInit>::new_from_slice(tdes.bytes()).unwrap();
        m.update(&data);
        let ours = Cipher::new(&tdes).cmac(&[0; 8], &data).unwrap();
        assert_eq!(ours, m.finalize().into_bytes().to_vec());
    }
}

#[test]
fn cmac_chains_from_the_iv() {
    let c = Cipher::new(&Key::zero(KeyType::Aes128));
    let a = c.cmac(&[0; 16], b"x").unwrap();
    let b = c.cmac(&[1; 16], b"x").unwrap();
    assert_ne!(a, b);
    assert!(c.cmac(&[0; 8], b"x").is_err(), "IV of the wrong length");
}

#[test]
fn v7_crc32_and_crc16_check_values() {
    assert_eq!(crc32(b"123456789"), [0xD9, 0xC6, 0x0B, 0x34]);
    // CRC-16/ISO-IEC-14443-3-A check value BF05, and ISO 14443-3 annex example 00 00 → A0 1E.
    assert_eq!(crc16(b"123456789"), [0x05, 0xBF]);
    assert_eq!(crc16(&[0, 0]), [0xA0, 0x1E]);
    assert_eq!(crc16(&[0x12, 0x34]), [0x26, 0xCF]);
}

#[test]
fn v8_des_send_and_receive_modes() {
    let c = Cipher::new(&Key::new(KeyType::Des, &[1; 8]).unwrap());
    let mut d = hex("d659e17043a84068");
    c.legacy_decipher(LegacyMode::Receive, &[0; 8], &mut d)
        .unwrap();
    assert_eq!(d, hex("730ddfada4d20789"));
    let mut d = hex("730ddfada4d20789");
    c.legacy_decipher(LegacyMode::Send, &[0; 8], &mut d)
        .unwrap();
    assert_eq!(d, hex("d659e17043a84068"));
}

#[test]
fn legacy_encipher_undoes_legacy_decipher_over_several_blocks() {
    let key = Key::new(
        KeyType::TwoKey3Des,
        &hex("00112233445566778899aabbccddeeff"),
    )
    .unwrap();
    let c = Cipher::new(&key);
    let plain: Vec<u8> = (0..32).collect();
    for mode in [LegacyMode::Send, LegacyMode::Receive] {
        let mut host = plain.clone();
        c.legacy_decipher(mode, &[0; 8], &mut host).unwrap();
        assert_ne!(host, plain);
        c.legacy_encipher(mode, &[0; 8], &mut host).unwrap();
        assert_eq!(host, plain, "{mode:?}");
    }
    // Send mode chains on the produced blocks, so it differs from ECB decryption after the first block.
    let mut send = plain.clone();
    c.legacy_decipher(LegacyMode::Send, &[0; 8], &mut send)
        .unwrap();
    let mut second = plain[8..16].to_vec();
    c.cbc_decrypt(&[0; 8], &mut second).unwrap();
    assert_ne!(&send[8..16], &second[..]);
    assert!(
        c.legacy_decipher(LegacyMode::Send, &[0; 8], &mut [0; 7])
            .is_err()
    );
}

#[test]
fn cbc_round_trip_and_length_checks() {
    for kind in [
        KeyType::Des,
        KeyType::TwoKey3Des,
        KeyType::ThreeKey3Des,
        KeyType::Aes128,
    ] {
        let mut bytes = vec![0u8; kind.key_len()];
        SeededRandom::new(1).fill(&mut bytes).unwrap();
        let c = Cipher::new(&Key::new(kind, &bytes).unwrap());
        let bl = kind.block_len();
        assert_eq!(c.block_len(), bl);
        let iv = vec![7u8; bl];
        let plain: Vec<u8> = (0..(3 * bl) as u8).collect();
        let mut d = plain.clone();
        c.cbc_encrypt(&iv, &mut d).unwrap();
        assert_ne!(d, plain);
        c.cbc_decrypt(&iv, &mut d).unwrap();
        assert_eq!(d, plain);
        assert!(c.cbc_encrypt(&iv, &mut vec![0; bl + 1]).is_err());
        assert!(c.cbc_decrypt(&iv[1..], &mut vec![0; bl]).is_err());
    }
}

#[test]
fn key_lengths_versions_and_check_values() {
    assert_eq!(
        Key::new(KeyType::Aes128, &[0; 8]),
        Err(DesfireError::KeyLength {
            kind: "AES-128",
            expected: 16,
            got: 8
        })
    );
    let mut des = Key::zero(KeyType::Des);
    des.set_version(0xA5);
    assert_eq!(des.version(), 0xA5);
    assert_eq!(des.bytes(), &hex("0100010000010001")[..]);
    assert_eq!(
        des.change_key_bytes(),
        hex("01000100000100010100010000010001")
    );
    let tdes = Key::with_version(KeyType::TwoKey3Des, &[0; 16], 0x80).unwrap();
    assert_eq!(tdes.bytes(), &hex("01000000000000000001010101010101")[..]);
    assert_eq!(tdes.version(), 0x80);
    let aes_key = Key::with_version(KeyType::Aes128, &[0; 16], 0x10).unwrap();
    assert_eq!((aes_key.version(), aes_key.bytes()), (0x10, &[0u8; 16][..]));

    // Known answers: DES(0, 0) = 8CA64DE9C1B123A7; AES-128(0, 0) = 66E94BD4EF8A2C3B….
    assert_eq!(Key::zero(KeyType::Des).check_value(), [0x8C, 0xA6, 0x4D]);
    assert_eq!(des.check_value(), [0x8C, 0xA6, 0x4D], "parity bits ignored");
    assert_eq!(
        Key::zero(KeyType::TwoKey3Des).check_value(),
        [0x8C, 0xA6, 0x4D]
    );
    assert_eq!(Key::zero(KeyType::Aes128).check_value(), [0x66, 0xE9, 0x4B]);

    let secret = aes("f3f9377698707b688eaf84abe39e3791");
    let shown = format!("{secret:?}");
    assert!(shown.contains("AES-128") && !shown.to_lowercase().contains("f3f9"));
}

#[test]
fn padding_rules() {
    let mut v = vec![1, 2, 3];
    pad_zero(&mut v, 8);
    assert_eq!(v, vec![1, 2, 3, 0, 0, 0, 0, 0]);
    pad_zero(&mut v, 8);
    assert_eq!(v.len(), 8, "aligned data gets no zero padding");
    let mut v = vec![0u8; 16];
    pad_iso9797_m2(&mut v, 16);
    assert_eq!((v.len(), v[16]), (32, 0x80), "method 2 always pads");
    assert_eq!(unpad_iso9797_m2(&v), Some(&[0u8; 16][..]));
    assert_eq!(unpad_iso9797_m2(&[1, 2, 0, 0]), None);
    assert_eq!(unpad_iso9797_m2(&[]), None);
    assert_eq!(unpad_iso9797_m2(&[0x80]), Some(&[][..]));
}

#[test]
fn v2_ev1_session_keys() {
    let a = hex("2176770e7a6eb4bef00d5e4b201d1e57");
    let b = hex("11c512ca518892164389bc54fde6e15a");
    let k = ev1_session_key(KeyType::Aes128, &a, &b).unwrap();
    assert_eq!(k.bytes(), &hex("2176770e11c512ca201d1e57fde6e15a")[..]);
    // ISO DES variant: only RndB[0..4] = f449db5c is known.
    let k = ev1_session_key(
        KeyType::Des,
        &hex("5f7d1dd12d979173"),
        &hex("f449db5c00000000"),
    )
    .unwrap();
    assert_eq!(k.bytes(), &hex("5f7d1dd1f449db5c5f7d1dd1f449db5c")[..]);
    let a: Vec<u8> = (0..16).collect();
    let b: Vec<u8> = (16..32).collect();
    let k = ev1_session_key(KeyType::ThreeKey3Des, &a, &b).unwrap();
    assert_eq!(
        k.bytes(),
        &hex("00010203101112130607080916171819 0c0d0e0f1c1d1e1f")[..]
    );
    let k = ev1_session_key(KeyType::TwoKey3Des, &a[..8], &b[..8]).unwrap();
    assert_eq!(k.bytes(), &hex("00010203101112130405060714151617")[..]);
    assert!(ev1_session_key(KeyType::Aes128, &a[..8], &b).is_err());
}

#[test]
fn v6_ev2_session_keys() {
    let (enc, mac) = ev2_session_keys(
        &Key::zero(KeyType::Aes128),
        &hex("13C5DB8A5930439FC3DEF9A4C675360F"),
        &hex("B9E2FC789B64BF237CCCAA20EC7E6E48"),
    )
    .unwrap();
    assert_eq!(enc.bytes(), &hex("1309C877509E5A215007FF0ED19CA564")[..]);
    assert_eq!(mac.bytes(), &hex("4C6626F5E72EA694202139295C7A7FC7")[..]);
    assert!(ev2_session_keys(&Key::zero(KeyType::Des), &[0; 16], &[0; 16]).is_err());
}

#[test]
fn v5_an10922_aes() {
    let base = Key::with_version(
        KeyType::Aes128,
        &hex("00112233445566778899AABBCCDDEEFF"),
        16,
    )
    .unwrap();
    let (k1, k2) = Cipher::new(&base).cmac_subkeys();
    assert_eq!(k1, hex("FBC9F75C9413C041DFEE452D3F0706D1"));
    assert_eq!(k2, hex("F793EEB928278083BFDC8A5A7E0E0D25"));
    let input = hex("04782E21801D80 3042F5 4E585020416275");
    let k = diversify_aes128(&base, &input).unwrap();
    assert_eq!(k.bytes(), &hex("A8DD63A3B89D54B37CA802473FDA9175")[..]);
    assert_eq!(k.version(), 16);

    // Short input: 32-byte padding, not a plain CMAC of M (libfreefare issue #91).
    let base = aes("f3f9377698707b688eaf84abe39e3791");
    let k = diversify_aes128(&base, &hex("04deadbeeffeed")).unwrap();
    assert_eq!(k.bytes(), &hex("0bb408baff98b6ee9f2e1585777f6a51")[..]);
    let plain = Cipher::new(&base)
        .cmac(&[0; 16], &hex("0104deadbeeffeed"))
        .unwrap();
    assert_eq!(plain, hex("721e2c01e81af85d815633969cea2607"));

    assert!(diversify_aes128(&base, &[]).is_err());
    assert!(diversify_aes128(&base, &[0; 31]).is_ok());
    assert_eq!(
        diversify_aes128(&base, &[0; 32]).map(|_| ()),
        Err(DesfireError::DiversificationInput { got: 32, max: 31 })
    );
    assert!(diversify_aes128(&Key::zero(KeyType::Des), &[1]).is_err());
}

#[test]
fn v5_an10922_triple_des() {
    let base = Key::new(
        KeyType::TwoKey3Des,
        &hex("00112233445566778899AABBCCDDEEFF"),
    )
    .unwrap();
    let k = diversify_3des(
        &base,
        KeyType::TwoKey3Des,
        &hex("04782E21801D80 3042F5 4E58502041"),
    )
    .unwrap();
    assert_eq!(k.bytes(), &hex("16f9587d9e8910c96b9649d007107dd6")[..]);
    let base = Key::new(
        KeyType::ThreeKey3Des,
        &hex("00112233445566778899AABBCCDDEEFF0102030405060708"),
    )
    .unwrap();
    let k = diversify_3des(
        &base,
        KeyType::ThreeKey3Des,
        &hex("04782E21801D80 3042F5 4E5850"),
    )
    .unwrap();
    assert_eq!(
        k.bytes(),
        &hex("2E0DD03774D3FA9B5705AB0BDA91CA0B55B8E07FCDBF10EC")[..]
    );
    assert!(diversify_3des(&base, KeyType::Aes128, &[1]).is_err());
    assert!(diversify_3des(&base, KeyType::TwoKey3Des, &[0; 16]).is_err());
}

#[test]
fn helpers() {
    assert_eq!(rotate_left(&[1, 2, 3]), vec![2, 3, 1]);
    assert_eq!(rotate_left(&[]), Vec::<u8>::new());
    assert!(ct_eq(&[1, 2], &[1, 2]) && !ct_eq(&[1, 2], &[1, 3]) && !ct_eq(&[1], &[1, 2]));
    assert_eq!(KeyType::Aes128.type_bits(), 0x80);
    assert_eq!(KeyType::ThreeKey3Des.type_bits(), 0x40);
}
