use super::*;
use crate::nfc::apdu::{parse_command, response_apdu};
use crate::nfc::desfire::random::{ScriptedRandom, SeededRandom};
use crate::nfc::desfire::session::CommMode;
use crate::nfc::desfire::testing::{Direct, Transcript, hex};
use crate::nfc::transport::VirtualCard;

/// A card that only knows how to authenticate, with one key, embedding [`CardAuth`] as the simulator will.
struct AuthOnlyCard {
    key: Key,
    rng: SeededRandom,
    pending: Option<CardAuth>,
    session: Option<Session>,
}

impl AuthOnlyCard {
    fn new(key: Key) -> AuthOnlyCard {
        AuthOnlyCard {
            key,
            rng: SeededRandom::new(77),
            pending: None,
            session: None,
        }
    }

    fn answer(&mut self, apdu: &[u8]) -> Result<(Vec<u8>, Status), DesfireError> {
        let cmd = parse_command(apdu)?;
        if let Some(command) = AuthCommand::from_ins(cmd.ins) {
            self.session = None;
            let key_no = CardAuth::requested_key(command, &cmd.data)?;
            if key_no != 0 {
                return Err(DesfireError::Card(Status::NoSuchKey));
            }
            let (state, challenge) = CardAuth::start(command, key_no, &self.key, &mut self.rng)?;
            self.pending = Some(state);
            return Ok((challenge, Status::AdditionalFrame));
        }
        let state = self
            .pending
            .take()
            .ok_or(DesfireError::Card(Status::IllegalCommand))?;
        let (session, proof) = state.finish(&cmd.data, &mut self.rng)?;
        self.session = Some(session);
        Ok((proof, Status::Ok))
    }
}

impl VirtualCard for AuthOnlyCard {
    fn atr(&self) -> Vec<u8> {
        hex("3B8180018080")
    }
    fn power_on(&mut self) {}
    fn power_off(&mut self) {
        self.pending = None;
        self.session = None;
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        match self.answer(apdu) {
            Ok((data, status)) => response_apdu(&data, status),
            Err(e) => response_apdu(&[], e.card_status()),
        }
    }
}

/// Both sessions protect a message the same way.
fn assert_same_session(host: &mut Session, card: &mut Session) {
    let sent = host
        .seal_command(0xBD, &[1], b"some data", CommMode::Full)
        .unwrap();
    assert_eq!(
        card.open_command(0xBD, 1, &sent, CommMode::Full).unwrap(),
        b"\x01some data"
    );
    let reply = card
        .seal_response(Status::Ok, b"reply", CommMode::Mac)
        .unwrap();
    assert_eq!(
        host.open_response(Status::Ok, &reply, CommMode::Mac, None)
            .unwrap(),
        b"reply"
    );
}

fn keys() -> Vec<Key> {
    vec![
        Key::zero(KeyType::Des),
        Key::new(
            KeyType::TwoKey3Des,
            &hex("00112233445566778899aabbccddeeff"),
        )
        .unwrap(),
        Key::new(KeyType::ThreeKey3Des, &[0x33; 24]).unwrap(),
        Key::new(KeyType::Aes128, &[0x42; 16]).unwrap(),
    ]
}

#[test]
fn host_against_card_for_every_command_and_key_type() {
    let commands = [
        AuthCommand::Legacy,
        AuthCommand::Iso,
        AuthCommand::Aes,
        AuthCommand::Ev2First,
    ];
    let mut tried = 0;
    for key in keys() {
        for command in commands.into_iter().filter(|c| c.accepts(key.kind())) {
            let mut card = AuthOnlyCard::new(key.clone());
            let mut rng = SeededRandom::new(1);
            let mut host =
                authenticate(&mut Direct(&mut card), command, 0, &key, &mut rng).unwrap();
            let mut card_session = card.session.take().unwrap();
            assert_eq!(host.key_no(), 0);
            assert_eq!(host.key_type(), key.kind());
            assert_eq!(host.ev2_state(), card_session.ev2_state());
            assert_same_session(&mut host, &mut card_session);
            tried += 1;
        }
    }
    assert_eq!(tried, 7);
}

#[test]
fn wrong_key_is_refused_by_the_card_and_wrong_types_never_sent() {
    let card_key = Key::new(KeyType::Aes128, &[0x42; 16]).unwrap();
    let mut card = AuthOnlyCard::new(card_key);
    let wrong = Key::zero(KeyType::Aes128);
    let r = authenticate(
        &mut Direct(&mut card),
        AuthCommand::Aes,
        0,
        &wrong,
        &mut SeededRandom::new(2),
    );
    assert_eq!(
        r.map(|_| ()),
        Err(DesfireError::Card(Status::AuthenticationError))
    );

    let r = authenticate(
        &mut Direct(&mut card),
        AuthCommand::Aes,
        3,
        &wrong,
        &mut SeededRandom::new(2),
    );
    assert_eq!(r.map(|_| ()), Err(DesfireError::Card(Status::NoSuchKey)));

    let mut t = Transcript::new();
    let r = authenticate(
        &mut t,
        AuthCommand::Aes,
        0,
        &Key::zero(KeyType::Des),
        &mut SeededRandom::new(2),
    );
    assert!(matches!(r, Err(DesfireError::KeyType { .. })));
    assert!(t.sent.is_empty());
    assert_eq!(
        AuthCommand::for_key(KeyType::ThreeKey3Des),
        AuthCommand::Iso
    );
    assert_eq!(
        AuthCommand::for_key(KeyType::TwoKey3Des),
        AuthCommand::Legacy
    );
}

#[test]
fn a_card_without_the_key_is_caught() {
    // The card answers with a proof that is not RndA': the host must not accept the session.
    let mut t = Transcript::new()
        .step("90AA0000010000", "a33856932308775cf464610c2b17a55891AF")
        .reply("000102030405060708090a0b0c0d0e0f9100");
    let r = authenticate(
        &mut t,
        AuthCommand::Aes,
        0,
        &Key::zero(KeyType::Aes128),
        &mut SeededRandom::new(3),
    );
    assert_eq!(r.map(|_| ()), Err(DesfireError::Authentication));
}

#[test]
fn v2_aes_host_side() {
    let mut t = Transcript::new()
        .step("90AA0000010000", "a33856932308775cf464610c2b17a55891AF")
        .step(
            "90af000020cbe9726faf54bc76b2055d0b9700e7dc97ecad5627f1d1702a16e8408d2a0ada00",
            "8fdc476f6bac44fe9150e285abd68d489100",
        );
    let mut rng = ScriptedRandom::new(&hex("2176770e7a6eb4bef00d5e4b201d1e57"));
    let mut host = authenticate(
        &mut t,
        AuthCommand::Aes,
        0,
        &Key::zero(KeyType::Aes128),
        &mut rng,
    )
    .unwrap();
    assert!(t.is_done());
    let expected = Key::new(KeyType::Aes128, &hex("2176770e11c512ca201d1e57fde6e15a")).unwrap();
    let mut reference = Session::ev1(AuthScheme::Aes, 0, KeyType::Aes128, &expected);
    assert_same_session(&mut host, &mut reference);
}

#[test]
fn v2_aes_card_side() {
    let mut rng = ScriptedRandom::new(&hex("11c512ca518892164389bc54fde6e15a"));
    let (state, challenge) =
        CardAuth::start(AuthCommand::Aes, 0, &Key::zero(KeyType::Aes128), &mut rng).unwrap();
    assert_eq!(challenge, hex("a33856932308775cf464610c2b17a558"));
    let answer = hex("cbe9726faf54bc76b2055d0b9700e7dc97ecad5627f1d1702a16e8408d2a0ada");
    let (mut card, proof) = state.finish(&answer, &mut rng).unwrap();
    assert_eq!(proof, hex("8fdc476f6bac44fe9150e285abd68d48"));
    let expected = Key::new(KeyType::Aes128, &hex("2176770e11c512ca201d1e57fde6e15a")).unwrap();
    let mut reference = Session::ev1(AuthScheme::Aes, 0, KeyType::Aes128, &expected);
    assert_same_session(&mut reference, &mut card);
}

#[test]
fn v4_real_card_transcript_both_sides() {
    let zero = Key::zero(KeyType::Aes128);
    let mut t = Transcript::new()
        .step("90AA0000010000", "e3798763dc7b87424240b62315154e0a91AF")
        .step(
            "90AF000020424fed3e1903d591b5bd376b3ae6672195f829b4d145bc6a3c3322b6df1daae400",
            "94c0ac20045311b60c3821615b339f969100",
        );
    let mut rng = ScriptedRandom::new(&hex("c6b781428d978837a6360899119f0da4"));
    let mut host = authenticate(&mut t, AuthCommand::Aes, 0, &zero, &mut rng).unwrap();
    // The first MACed response of the transcript (desfire.md V4).
    host.seal_command(0xCD, &[], &hex("01000000480100"), CommMode::Plain)
        .unwrap();
    host.open_response(Status::Ok, &hex("d31ff3bce4b702e2"), CommMode::Plain, None)
        .unwrap();

    let mut rnd_b = hex("e3798763dc7b87424240b62315154e0a");
    Cipher::new(&zero)
        .cbc_decrypt(&[0; 16], &mut rnd_b)
        .unwrap();
    let mut rng = ScriptedRandom::new(&rnd_b);
    let (state, challenge) = CardAuth::start(AuthCommand::Aes, 0, &zero, &mut rng).unwrap();
    assert_eq!(challenge, hex("e3798763dc7b87424240b62315154e0a"));
    let answer = hex("424fed3e1903d591b5bd376b3ae6672195f829b4d145bc6a3c3322b6df1daae4");
    let (mut card, proof) = state.finish(&answer, &mut rng).unwrap();
    assert_eq!(proof, hex("94c0ac20045311b60c3821615b339f96"));
    card.open_command(0xCD, 0, &hex("01000000480100"), CommMode::Plain)
        .unwrap();
    assert_eq!(
        card.seal_response(Status::Ok, &[], CommMode::Plain)
            .unwrap(),
        hex("d31ff3bce4b702e2")
    );
}

#[test]
fn v6_ev2_first_both_sides() {
    let zero = Key::zero(KeyType::Aes128);
    let mut t = Transcript::new()
        .step("9071000002000000", "A04C124213C186F22399D33AC2A3021591AF")
        .step(
            "90AF00002035C3E05A752E0144BAC0DE51C1F22C56B34408A23D8AEA266CAB947EA8E0118D00",
            "3FA64DB5446D1F34CD6EA311167F5E4985B89690C04A05F17FA7AB2F081206639100",
        );
    let mut rng = ScriptedRandom::new(&hex("13C5DB8A5930439FC3DEF9A4C675360F"));
    let mut host = authenticate(&mut t, AuthCommand::Ev2First, 0, &zero, &mut rng).unwrap();
    assert_eq!(host.ev2_state(), Some(([0x9D, 0x00, 0xC4, 0xDF], 0)));
    // One plain pair moves the counter to 1, then AN12196 table 19 must come out.
    host.seal_command(0x60, &[], &[], CommMode::Plain).unwrap();
    host.open_response(Status::Ok, &[], CommMode::Plain, None)
        .unwrap();
    let sent = host
        .seal_command(
            0x5F,
            &[0x02],
            &hex("4000E0C1F121200000430000430000"),
            CommMode::Full,
        )
        .unwrap();
    assert_eq!(
        sent,
        hex("02 61B6D97903566E84C3AE5274467E89EA D799B7C1A0EF7A04")
    );

    let mut rng = ScriptedRandom::new(&hex("B9E2FC789B64BF237CCCAA20EC7E6E48 9D00C4DF"));
    assert_eq!(
        CardAuth::requested_key(AuthCommand::Ev2First, &hex("0000")).unwrap(),
        0
    );
    let (state, challenge) = CardAuth::start(AuthCommand::Ev2First, 0, &zero, &mut rng).unwrap();
    assert_eq!(challenge, hex("A04C124213C186F22399D33AC2A30215"));
    let answer = hex("35C3E05A752E0144BAC0DE51C1F22C56B34408A23D8AEA266CAB947EA8E0118D");
    let (card, proof) = state.finish(&answer, &mut rng).unwrap();
    assert_eq!(
        proof,
        hex("3FA64DB5446D1F34CD6EA311167F5E4985B89690C04A05F17FA7AB2F08120663")
    );
    assert_eq!(card.ev2_state(), Some(([0x9D, 0x00, 0xC4, 0xDF], 0)));
}

#[test]
fn v2_iso_des_command_format() {
    let key = Key::zero(KeyType::Des);
    let mut card = AuthOnlyCard::new(key.clone());
    struct Recorder<'a>(Direct<'a, AuthOnlyCard>, Vec<Vec<u8>>);
    impl CardTransport for Recorder<'_> {
        fn transmit(
            &mut self,
            apdu: &[u8],
        ) -> Result<Vec<u8>, crate::nfc::transport::TransportError> {
            self.1.push(apdu.to_vec());
            self.0.transmit(apdu)
        }
    }
    let mut rec = Recorder(Direct(&mut card), Vec::new());
    let mut rng = ScriptedRandom::new(&hex("5f7d1dd12d979173"));
    let session = authenticate(&mut rec, AuthCommand::Iso, 0, &key, &mut rng).unwrap();
    assert_eq!(rec.1[0], hex("901a0000010000"));
    assert_eq!(&rec.1[1][..5], &hex("90af000010")[..]);
    assert_eq!(session.scheme(), AuthScheme::Iso);
}

#[test]
fn malformed_exchanges_are_rejected_without_panic() {
    let zero = Key::zero(KeyType::Aes128);
    let mut t = Transcript::new().reply("0102030491AF");
    let r = authenticate(
        &mut t,
        AuthCommand::Aes,
        0,
        &zero,
        &mut SeededRandom::new(1),
    );
    assert_eq!(
        r.map(|_| ()),
        Err(DesfireError::Malformed("challenge length"))
    );
    let mut t = Transcript::new().reply("9100");
    assert!(
        authenticate(
            &mut t,
            AuthCommand::Aes,
            0,
            &zero,
            &mut SeededRandom::new(1)
        )
        .is_err()
    );

    assert!(CardAuth::requested_key(AuthCommand::Aes, &[]).is_err());
    assert!(CardAuth::requested_key(AuthCommand::Aes, &[0, 1]).is_err());
    assert!(CardAuth::requested_key(AuthCommand::Ev2First, &[0, 2, 1]).is_err());
    assert_eq!(
        CardAuth::requested_key(AuthCommand::Ev2First, &[5, 1, 9]).unwrap(),
        5
    );

    let mut rng = SeededRandom::new(4);
    for key in keys() {
        for command in [
            AuthCommand::Legacy,
            AuthCommand::Iso,
            AuthCommand::Aes,
            AuthCommand::Ev2First,
        ] {
            if !command.accepts(key.kind()) {
                assert!(CardAuth::start(command, 0, &key, &mut rng).is_err());
                continue;
            }
            for len in 0..40 {
                let (state, _) = CardAuth::start(command, 0, &key, &mut rng).unwrap();
                let mut junk = vec![0u8; len];
                rng.fill(&mut junk).unwrap();
                let r = state.finish(&junk, &mut rng);
                assert!(r.is_err(), "{command:?} accepted junk of {len} bytes");
                let status = r.map(|_| ()).unwrap_err().card_status();
                assert!(matches!(
                    status,
                    Status::AuthenticationError | Status::LengthError
                ));
            }
        }
    }
}
