//! The four authentications (desfire.md §5.1, §5.2, §6): legacy `0A`, ISO `1A`, AES `AA` and EV2First `71`.
//! The host side runs the whole exchange over a [`CardTransport`] and returns the [`Session`]; the card side
//! is [`CardAuth`], a two-step state machine the simulator embeds (first command → challenge, answer →
//! proof and session). Both sides take their random numbers from a [`Random`] so transcripts can be replayed.
//!
//! The exchange: the card sends `E(K, RndB)`; the host answers `E(K, RndA ‖ RndB')` and the card proves
//! itself with `E(K, RndA')` (′ = rotated left by one byte). The IVs differ by scheme: legacy restarts
//! from zero and the host only deciphers (send/receive modes); EV1 (`1A`, `AA`) chains each step's IV to
//! the last ciphertext block before it; EV2 uses zero every time and the card's proof also carries the
//! transaction identifier TI.

use super::DesfireError;
use super::crypto::{
    Cipher, Key, KeyType, LegacyMode, ct_eq, ev1_session_key, ev2_session_keys, rotate_left,
};
use super::random::Random;
use super::session::{AuthScheme, Session};
use crate::nfc::apdu::{self, Status, ins};
use crate::nfc::transport::CardTransport;

/// Which authentication command to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthCommand {
    /// `0A`: DES and 2K3DES keys, original DESFire crypto.
    Legacy,
    /// `1A`: DES, 2K3DES and 3K3DES keys with EV1 secure messaging.
    Iso,
    /// `AA`: AES keys, EV1.
    Aes,
    /// `71`: AES keys, EV2 secure messaging (EV2 cards and later).
    Ev2First,
}

impl AuthCommand {
    pub fn ins(self) -> u8 {
        match self {
            AuthCommand::Legacy => ins::AUTHENTICATE_LEGACY,
            AuthCommand::Iso => ins::AUTHENTICATE_ISO,
            AuthCommand::Aes => ins::AUTHENTICATE_AES,
            AuthCommand::Ev2First => ins::AUTHENTICATE_EV2_FIRST,
        }
    }

    pub fn from_ins(b: u8) -> Option<AuthCommand> {
        [
            AuthCommand::Legacy,
            AuthCommand::Iso,
            AuthCommand::Aes,
            AuthCommand::Ev2First,
        ]
        .into_iter()
        .find(|c| c.ins() == b)
    }

    /// The command ESUP uses for a key type (§3.1 step 1): `0A` for DES and 2K3DES, `1A` for 3K3DES, `AA`
    /// for AES.
    pub fn for_key(kind: KeyType) -> AuthCommand {
        match kind {
            KeyType::Des | KeyType::TwoKey3Des => AuthCommand::Legacy,
            KeyType::ThreeKey3Des => AuthCommand::Iso,
            KeyType::Aes128 => AuthCommand::Aes,
        }
    }

    /// Whether this command can authenticate a key of `kind`.
    pub fn accepts(self, kind: KeyType) -> bool {
        match self {
            AuthCommand::Legacy => matches!(kind, KeyType::Des | KeyType::TwoKey3Des),
            AuthCommand::Iso => kind != KeyType::Aes128,
            AuthCommand::Aes | AuthCommand::Ev2First => kind == KeyType::Aes128,
        }
    }

    fn check_key(self, key: &Key) -> Result<(), DesfireError> {
        if self.accepts(key.kind()) {
            Ok(())
        } else {
            Err(DesfireError::KeyType {
                got: key.kind().name(),
                operation: match self {
                    AuthCommand::Legacy => "legacy authentication (0A)",
                    AuthCommand::Iso => "ISO authentication (1A)",
                    AuthCommand::Aes => "AES authentication (AA)",
                    AuthCommand::Ev2First => "EV2 authentication (71)",
                },
            })
        }
    }

    /// The data of the first command: the key number, plus LenCap = 0 for EV2First (§6 step 1).
    fn first_data(self, key_no: u8) -> Vec<u8> {
        match self {
            AuthCommand::Ev2First => vec![key_no, 0x00],
            _ => vec![key_no],
        }
    }
}

/// The last `block` bytes of `data` (the next EV1 IV), or zeros for data shorter than a block.
fn last_block(data: &[u8], block: usize) -> Vec<u8> {
    data.len()
        .checked_sub(block)
        .and_then(|s| data.get(s..))
        .map_or_else(|| vec![0; block], <[u8]>::to_vec)
}

/// The session both sides derive once RndA and RndB are shared (§5.2, §6 steps 4–5).
fn make_session(
    command: AuthCommand,
    key_no: u8,
    key: &Key,
    rnd_a: &[u8],
    rnd_b: &[u8],
    ti: [u8; 4],
) -> Result<Session, DesfireError> {
    let kind = key.kind();
    Ok(match command {
        AuthCommand::Legacy => Session::legacy(key_no, kind, &ev1_session_key(kind, rnd_a, rnd_b)?),
        AuthCommand::Iso => Session::ev1(
            AuthScheme::Iso,
            key_no,
            kind,
            &ev1_session_key(kind, rnd_a, rnd_b)?,
        ),
        AuthCommand::Aes => Session::ev1(
            AuthScheme::Aes,
            key_no,
            kind,
            &ev1_session_key(kind, rnd_a, rnd_b)?,
        ),
        AuthCommand::Ev2First => {
            let (enc, mac) = ev2_session_keys(key, rnd_a, rnd_b)?;
            Session::ev2(key_no, &enc, &mac, ti, 0)
        }
    })
}

/// Host: authenticates with `key` as key number `key_no` and returns the session. A refusal by the card
/// (wrong key: `AE`, unknown key: `40`…) comes back as [`DesfireError::Card`]; a card that fails to prove
/// knowledge of the key as [`DesfireError::Authentication`].
pub fn authenticate(
    t: &mut dyn CardTransport,
    command: AuthCommand,
    key_no: u8,
    key: &Key,
    rng: &mut dyn Random,
) -> Result<Session, DesfireError> {
    command.check_key(key)?;
    let n = key.kind().nonce_len();
    let cipher = Cipher::new(key);
    let bl = cipher.block_len();
    let zero = vec![0u8; bl];

    let challenge = apdu::exchange(t, command.ins(), &command.first_data(key_no))?;
    expect_status(challenge.status, Status::AdditionalFrame)?;
    if challenge.data.len() != n {
        return Err(DesfireError::Malformed("challenge length"));
    }
    let mut rnd_b = challenge.data.clone();
    match command {
        AuthCommand::Legacy => cipher.legacy_decipher(LegacyMode::Receive, &zero, &mut rnd_b)?,
        _ => cipher.cbc_decrypt(&zero, &mut rnd_b)?,
    }

    let mut rnd_a = vec![0u8; n];
    rng.fill(&mut rnd_a)?;
    let mut token = [rnd_a.as_slice(), &rotate_left(&rnd_b)].concat();
    match command {
        AuthCommand::Legacy => cipher.legacy_decipher(LegacyMode::Send, &zero, &mut token)?,
        AuthCommand::Iso | AuthCommand::Aes => {
            cipher.cbc_encrypt(&last_block(&challenge.data, bl), &mut token)?
        }
        AuthCommand::Ev2First => cipher.cbc_encrypt(&zero, &mut token)?,
    }

    let proof = apdu::exchange(t, ins::ADDITIONAL_FRAME, &token)?;
    expect_status(proof.status, Status::Ok)?;
    let expected_len = if command == AuthCommand::Ev2First {
        32
    } else {
        n
    };
    if proof.data.len() != expected_len {
        return Err(DesfireError::Malformed("authentication proof length"));
    }
    let mut plain = proof.data;
    match command {
        AuthCommand::Legacy => cipher.legacy_decipher(LegacyMode::Receive, &zero, &mut plain)?,
        AuthCommand::Iso | AuthCommand::Aes => {
            cipher.cbc_decrypt(&last_block(&token, bl), &mut plain)?
        }
        AuthCommand::Ev2First => cipher.cbc_decrypt(&zero, &mut plain)?,
    }
    let (ti, rnd_a_rot) = match command {
        AuthCommand::Ev2First => {
            let (ti, rest) = plain.split_at(4);
            let ti = <[u8; 4]>::try_from(ti).map_err(|_| DesfireError::Malformed("TI length"))?;
            (ti, rest.get(..16).unwrap_or_default())
        }
        _ => ([0; 4], plain.as_slice()),
    };
    if !ct_eq(rnd_a_rot, &rotate_left(&rnd_a)) {
        return Err(DesfireError::Authentication);
    }
    make_session(command, key_no, key, &rnd_a, &rnd_b, ti)
}

fn expect_status(got: Status, want: Status) -> Result<(), DesfireError> {
    match got {
        s if s == want => Ok(()),
        s if s.is_error() => Err(DesfireError::Card(s)),
        _ => Err(DesfireError::Malformed(
            "unexpected status during authentication",
        )),
    }
}

/// Card side of an authentication, between the challenge and the host's answer.
pub struct CardAuth {
    command: AuthCommand,
    key_no: u8,
    key: Key,
    rnd_b: Vec<u8>,
    /// The IV for the host's answer: the last block of the challenge (EV1), zero otherwise.
    iv: Vec<u8>,
}

impl std::fmt::Debug for CardAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardAuth")
            .field("command", &self.command)
            .field("key_no", &self.key_no)
            .finish_non_exhaustive()
    }
}

impl CardAuth {
    /// The key number an authentication command asks for; checks the command's length (one byte, or for
    /// EV2First key number, LenCap and LenCap bytes of PCD capabilities).
    pub fn requested_key(command: AuthCommand, data: &[u8]) -> Result<u8, DesfireError> {
        match (command, data) {
            (AuthCommand::Ev2First, [key_no, len_cap, caps @ ..])
                if caps.len() == usize::from(*len_cap) =>
            {
                Ok(*key_no)
            }
            (AuthCommand::Ev2First, _) => Err(DesfireError::Malformed("EV2First command length")),
            (_, [key_no]) => Ok(*key_no),
            _ => Err(DesfireError::Malformed("authentication command length")),
        }
    }

    /// Starts an authentication with the card's `key` stored under `key_no`; returns the state and the
    /// challenge `E(K, RndB)`, to send with status `AF`.
    pub fn start(
        command: AuthCommand,
        key_no: u8,
        key: &Key,
        rng: &mut dyn Random,
    ) -> Result<(CardAuth, Vec<u8>), DesfireError> {
        command.check_key(key)?;
        let cipher = Cipher::new(key);
        let bl = cipher.block_len();
        let mut rnd_b = vec![0u8; key.kind().nonce_len()];
        rng.fill(&mut rnd_b)?;
        let mut challenge = rnd_b.clone();
        match command {
            AuthCommand::Legacy => {
                cipher.legacy_encipher(LegacyMode::Receive, &vec![0; bl], &mut challenge)?
            }
            _ => cipher.cbc_encrypt(&vec![0; bl], &mut challenge)?,
        }
        let iv = match command {
            AuthCommand::Iso | AuthCommand::Aes => last_block(&challenge, bl),
            _ => vec![0; bl],
        };
        let state = CardAuth {
            command,
            key_no,
            key: key.clone(),
            rnd_b,
            iv,
        };
        Ok((state, challenge))
    }

    pub fn command(&self) -> AuthCommand {
        self.command
    }

    pub fn key_no(&self) -> u8 {
        self.key_no
    }

    /// Checks the host's answer (the data of its `AF` command); on success returns the session and the
    /// card's proof, to send with status `00`. A wrong answer gives [`DesfireError::Authentication`]
    /// (status `AE`) and a wrong length [`DesfireError::Malformed`] (`7E`), see
    /// [`DesfireError::card_status`]. EV2 draws the TI from `rng` and sends zero capabilities.
    pub fn finish(
        self,
        answer: &[u8],
        rng: &mut dyn Random,
    ) -> Result<(Session, Vec<u8>), DesfireError> {
        let n = self.rnd_b.len();
        if answer.len() != 2 * n {
            return Err(DesfireError::Malformed("authentication answer length"));
        }
        let cipher = Cipher::new(&self.key);
        let bl = cipher.block_len();
        let zero = vec![0u8; bl];
        let mut plain = answer.to_vec();
        match self.command {
            AuthCommand::Legacy => cipher.legacy_encipher(LegacyMode::Send, &zero, &mut plain)?,
            _ => cipher.cbc_decrypt(&self.iv, &mut plain)?,
        }
        let (rnd_a, rnd_b_rot) = plain.split_at(n);
        if !ct_eq(rnd_b_rot, &rotate_left(&self.rnd_b)) {
            return Err(DesfireError::Authentication);
        }
        let mut ti = [0u8; 4];
        let mut proof = match self.command {
            AuthCommand::Ev2First => {
                rng.fill(&mut ti)?;
                let mut p = ti.to_vec();
                p.extend_from_slice(&rotate_left(rnd_a));
                p.extend_from_slice(&[0; 12]);
                p
            }
            _ => rotate_left(rnd_a),
        };
        match self.command {
            AuthCommand::Legacy => {
                cipher.legacy_encipher(LegacyMode::Receive, &zero, &mut proof)?
            }
            AuthCommand::Iso | AuthCommand::Aes => {
                cipher.cbc_encrypt(&last_block(answer, bl), &mut proof)?
            }
            AuthCommand::Ev2First => cipher.cbc_encrypt(&zero, &mut proof)?,
        }
        let session = make_session(self.command, self.key_no, &self.key, rnd_a, &self.rnd_b, ti)?;
        Ok((session, proof))
    }
}

#[cfg(test)]
#[path = "auth_tests.rs"]
mod tests;
