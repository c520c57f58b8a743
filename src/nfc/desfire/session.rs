//! The authenticated session, the same object on both sides of the exchange: the host seals commands and
//! opens responses, the simulated card opens commands and seals responses, and each of those steps advances
//! the shared state (EV1 IV chaining, EV2 command counter) identically on both sides.
//!
//! Three schemes (desfire.md §5.2–§5.7, §6):
//! - **legacy** (authentication `0A`, DES/2K3DES): IV zero for each message, 4-byte DES MAC over the data,
//!   CRC16 in enciphered data, host commands enciphered in "send mode";
//! - **EV1** (`1A`, `AA`): every plain message updates the IV with a CMAC (§5.3), responses carry an 8-byte
//!   CMAC, enciphered data holds a CRC32 and zero padding and chains the IV to its last block (§5.4);
//! - **EV2** (`71`): TI and command counter, per-message IVs, `80` padding, truncated MAC (§6).
//!
//! A card that answers an error status ends the authentication: after [`DesfireError::Card`] from
//! [`Session::open_response`] the session must be discarded (and the card forgets its side).

use zeroize::Zeroize;

use super::DesfireError;
use super::crypto::{
    Cipher, Key, KeyType, LegacyMode, crc16, crc32, ct_eq, pad_iso9797_m2, pad_zero,
    unpad_iso9797_m2, xor_into,
};
use crate::nfc::apdu::{self, Status};
use crate::nfc::transport::CardTransport;

/// How a command or response is protected (the file "communication settings" of §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommMode {
    Plain,
    Mac,
    Full,
}

impl CommMode {
    /// From a file's communication-settings byte: `00` plain, `01` MACed, `03` enciphered (§2.1).
    pub fn from_byte(b: u8) -> Option<CommMode> {
        match b {
            0x00 | 0x02 => Some(CommMode::Plain),
            0x01 => Some(CommMode::Mac),
            0x03 => Some(CommMode::Full),
            _ => None,
        }
    }

    pub fn byte(self) -> u8 {
        match self {
            CommMode::Plain => 0x00,
            CommMode::Mac => 0x01,
            CommMode::Full => 0x03,
        }
    }
}

/// Which authentication established the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// `0A`, DES and 2K3DES keys, original DESFire crypto.
    Legacy,
    /// `1A`, (3)DES keys with EV1 CMAC and CRC32.
    Iso,
    /// `AA`, AES keys, EV1.
    Aes,
    /// `71`, AES keys, EV2 secure messaging.
    Ev2,
}

/// The message a primitive applies to. A command's header (key number, file number…) travels in clear but
/// is covered by the MAC or CRC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    Command { ins: u8, header: &'a [u8] },
    Response { status: Status },
}

/// Bits of SetConfiguration option `00` (§5.7): both are permanent on real cards.
pub const CONFIG_DISABLE_FORMAT: u8 = 0x01;
pub const CONFIG_RANDOM_UID: u8 = 0x02;

/// Which key a ChangeKey replaces (§5.6, §6 step 7).
#[derive(Debug, Clone, Copy)]
pub enum KeyChange<'a> {
    /// The key this session authenticated with: plain new key, one CRC. The card ends the session: its
    /// answer carries no MAC, so do not pass it to [`Session::open_response`]; authenticate again.
    AuthenticatedKey,
    /// Another key, whose current value the card XORs out; a second CRC covers the new key.
    OtherKey { old: &'a Key },
}

#[derive(Clone)]
enum State {
    Legacy {
        cipher: Cipher,
    },
    Ev1 {
        cipher: Cipher,
        iv: Vec<u8>,
    },
    Ev2 {
        enc: Cipher,
        mac: Cipher,
        ti: [u8; 4],
        counter: u16,
    },
}

/// An authenticated session. Made by [`super::auth`]; the constructors are public for tests that start
/// from a known session key.
#[derive(Clone)]
pub struct Session {
    scheme: AuthScheme,
    key_no: u8,
    key_type: KeyType,
    state: State,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("scheme", &self.scheme)
            .field("key_no", &self.key_no)
            .field("key_type", &self.key_type)
            .finish_non_exhaustive()
    }
}

/// A host command run through [`Session::exchange`].
#[derive(Debug, Clone, Copy)]
pub struct SecureCommand<'a> {
    pub ins: u8,
    /// Bytes sent in clear before the data (covered by MAC and CRC).
    pub header: &'a [u8],
    pub data: &'a [u8],
    pub command_mode: CommMode,
    pub response_mode: CommMode,
    /// Length of an enciphered response's plain data when the command fixes it (e.g. ReadData); `None`
    /// finds it from the CRC.
    pub response_len: Option<usize>,
}

fn ev1_mac_len() -> usize {
    8
}

impl Session {
    /// A legacy (`0A`) session; the session key is 2K3DES (a DES session repeats its 8 bytes).
    pub fn legacy(key_no: u8, key_type: KeyType, session_key: &Key) -> Session {
        Session {
            scheme: AuthScheme::Legacy,
            key_no,
            key_type,
            state: State::Legacy {
                cipher: Cipher::new(session_key),
            },
        }
    }

    /// An EV1 session (`1A` or `AA`), IV zero.
    pub fn ev1(scheme: AuthScheme, key_no: u8, key_type: KeyType, session_key: &Key) -> Session {
        let cipher = Cipher::new(session_key);
        let iv = vec![0u8; cipher.block_len()];
        Session {
            scheme,
            key_no,
            key_type,
            state: State::Ev1 { cipher, iv },
        }
    }

    /// An EV2 session from KSesAuthENC, KSesAuthMAC, the transaction identifier and the command counter
    /// (zero right after authentication).
    pub fn ev2(key_no: u8, enc: &Key, mac: &Key, ti: [u8; 4], counter: u16) -> Session {
        Session {
            scheme: AuthScheme::Ev2,
            key_no,
            key_type: KeyType::Aes128,
            state: State::Ev2 {
                enc: Cipher::new(enc),
                mac: Cipher::new(mac),
                ti,
                counter,
            },
        }
    }

    pub fn scheme(&self) -> AuthScheme {
        self.scheme
    }

    /// The key number the session was authenticated with.
    pub fn key_no(&self) -> u8 {
        self.key_no
    }

    /// The type of the authenticating key.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The current EV1 IV (not secret), for diagnostics and tests.
    pub fn iv(&self) -> Option<&[u8]> {
        match &self.state {
            State::Ev1 { iv, .. } => Some(iv),
            _ => None,
        }
    }

    /// EV2 transaction identifier and command counter.
    pub fn ev2_state(&self) -> Option<([u8; 4], u16)> {
        match &self.state {
            State::Ev2 { ti, counter, .. } => Some((*ti, *counter)),
            _ => None,
        }
    }

    fn block_len(&self) -> usize {
        match &self.state {
            State::Legacy { cipher } | State::Ev1 { cipher, .. } => cipher.block_len(),
            State::Ev2 { .. } => 16,
        }
    }

    /// The MAC of an outgoing message's `data` (after its header; already enciphered in FULL mode), to
    /// append to it. EV1 advances the IV to the full CMAC.
    pub fn mac_outgoing(&mut self, msg: Message, data: &[u8]) -> Result<Vec<u8>, DesfireError> {
        match &mut self.state {
            State::Legacy { cipher } => legacy_mac(cipher, data),
            State::Ev1 { cipher, iv } => {
                let input = ev1_input(msg, data);
                let full = cipher.cmac(iv, &input)?;
                iv.copy_from_slice(&full);
                Ok(full[..ev1_mac_len()].to_vec())
            }
            State::Ev2 {
                mac, ti, counter, ..
            } => {
                let (first, ctr) = match msg {
                    Message::Command { ins, .. } => (ins, *counter),
                    Message::Response { status } => (status.byte(), next_counter(*counter)?),
                };
                let mut input = vec![first];
                input.extend_from_slice(&ctr.to_le_bytes());
                input.extend_from_slice(ti);
                if let Message::Command { header, .. } = msg {
                    input.extend_from_slice(header);
                }
                input.extend_from_slice(data);
                let full = mac.cmac(&[0; 16], &input)?;
                Ok(full.iter().skip(1).step_by(2).copied().collect())
            }
        }
    }

    /// Checks the MAC that came with an incoming message (same rules as [`Session::mac_outgoing`]).
    pub fn verify_incoming(
        &mut self,
        msg: Message,
        data: &[u8],
        mac: &[u8],
    ) -> Result<(), DesfireError> {
        let expected = self.mac_outgoing(msg, data)?;
        if ct_eq(&expected, mac) {
            Ok(())
        } else {
            Err(DesfireError::Integrity("MAC mismatch"))
        }
    }

    /// Enciphers an outgoing message's data with its CRC and padding (§5.4, §6); the header stays in clear.
    pub fn encrypt_data(&mut self, msg: Message, plain: &[u8]) -> Result<Vec<u8>, DesfireError> {
        match &mut self.state {
            State::Legacy { cipher } => {
                let mut buf = plain.to_vec();
                buf.extend_from_slice(&crc16(plain));
                pad_zero(&mut buf, 8);
                let mode = legacy_mode(msg);
                cipher.legacy_decipher_or_encipher(mode, &mut buf)?;
                Ok(buf)
            }
            State::Ev1 { cipher, iv } => {
                let mut buf = plain.to_vec();
                buf.extend_from_slice(&crc32(&ev1_input(msg, plain)));
                pad_zero(&mut buf, cipher.block_len());
                ev1_encrypt(cipher, iv, &mut buf)?;
                Ok(buf)
            }
            State::Ev2 { .. } => {
                let iv = self.ev2_iv(msg)?;
                let mut buf = plain.to_vec();
                pad_iso9797_m2(&mut buf, 16);
                if let State::Ev2 { enc, .. } = &self.state {
                    enc.cbc_encrypt(&iv, &mut buf)?;
                }
                Ok(buf)
            }
        }
    }

    /// Deciphers an incoming message's data and checks its CRC and padding. `plain_len` is the plain length
    /// when known; otherwise the longest length whose CRC verifies is taken.
    pub fn decrypt_data(
        &mut self,
        msg: Message,
        enciphered: &[u8],
        plain_len: Option<usize>,
    ) -> Result<Vec<u8>, DesfireError> {
        let bl = self.block_len();
        if enciphered.is_empty() || !enciphered.len().is_multiple_of(bl) {
            return Err(DesfireError::Malformed(
                "enciphered data is not a whole number of blocks",
            ));
        }
        let mut buf = enciphered.to_vec();
        let result = match &mut self.state {
            State::Legacy { cipher } => {
                let mode = legacy_mode(msg);
                cipher.legacy_undo(mode, &mut buf)?;
                find_plain(&buf, plain_len, 2, bl, |p| crc16(p).to_vec())
            }
            State::Ev1 { cipher, iv } => {
                let next_iv = enciphered[enciphered.len() - bl..].to_vec();
                cipher.cbc_decrypt(iv, &mut buf)?;
                iv.copy_from_slice(&next_iv);
                find_plain(&buf, plain_len, 4, bl, |p| {
                    crc32(&ev1_input(msg, p)).to_vec()
                })
            }
            State::Ev2 { .. } => {
                let iv = self.ev2_iv(msg)?;
                if let State::Ev2 { enc, .. } = &self.state {
                    enc.cbc_decrypt(&iv, &mut buf)?;
                }
                match unpad_iso9797_m2(&buf) {
                    Some(p) if plain_len.is_none_or(|n| n == p.len()) => Ok(p.to_vec()),
                    _ => Err(DesfireError::Integrity("bad padding")),
                }
            }
        };
        buf.zeroize();
        result
    }

    /// EV2 IV for a message: `E(KSesAuthENC, A5 5A ‖ TI ‖ CmdCtr ‖ 0×8)` for commands, `5A A5` and the
    /// incremented counter for responses (§6 step 6).
    fn ev2_iv(&self, msg: Message) -> Result<Vec<u8>, DesfireError> {
        let State::Ev2 {
            enc, ti, counter, ..
        } = &self.state
        else {
            return Err(DesfireError::Malformed("not an EV2 session"));
        };
        let (prefix, ctr) = match msg {
            Message::Command { .. } => ([0xA5, 0x5A], *counter),
            Message::Response { .. } => ([0x5A, 0xA5], next_counter(*counter)?),
        };
        let mut block = Vec::with_capacity(16);
        block.extend_from_slice(&prefix);
        block.extend_from_slice(ti);
        block.extend_from_slice(&ctr.to_le_bytes());
        block.resize(16, 0);
        enc.cbc_encrypt(&[0; 16], &mut block)?;
        Ok(block)
    }

    /// Host: protects a command; returns the APDU data `header ‖ body [‖ MAC]`.
    pub fn seal_command(
        &mut self,
        ins: u8,
        header: &[u8],
        data: &[u8],
        mode: CommMode,
    ) -> Result<Vec<u8>, DesfireError> {
        let msg = Message::Command { ins, header };
        let mut out = header.to_vec();
        self.seal(msg, data, mode, &mut out)?;
        Ok(out)
    }

    /// Card: checks and unprotects a command's data (`received` = the whole APDU data, header first);
    /// returns `header ‖ plain data`.
    pub fn open_command(
        &mut self,
        ins: u8,
        header_len: usize,
        received: &[u8],
        mode: CommMode,
    ) -> Result<Vec<u8>, DesfireError> {
        self.open_command_len(ins, header_len, received, mode, None)
    }

    /// [`Session::open_command`] for a command whose plain data length the card knows (WriteData's length
    /// field, a fixed-size setting): an enciphered body is then cut at exactly that length instead of at the
    /// first length whose CRC verifies, which a shorter prefix can do by chance.
    pub fn open_command_len(
        &mut self,
        ins: u8,
        header_len: usize,
        received: &[u8],
        mode: CommMode,
        plain_len: Option<usize>,
    ) -> Result<Vec<u8>, DesfireError> {
        let (header, body) = received
            .split_at_checked(header_len)
            .ok_or(DesfireError::Malformed("command shorter than its header"))?;
        let mut out = header.to_vec();
        out.extend(self.open(Message::Command { ins, header }, body, mode, plain_len)?);
        Ok(out)
    }

    /// Card: protects response data for `status`; returns what goes before `91 status`. An error status
    /// carries nothing (and ends the session).
    pub fn seal_response(
        &mut self,
        status: Status,
        data: &[u8],
        mode: CommMode,
    ) -> Result<Vec<u8>, DesfireError> {
        if status.is_error() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        self.seal(Message::Response { status }, data, mode, &mut out)?;
        self.end_exchange();
        Ok(out)
    }

    /// Host: checks and unprotects a response; an error status is returned as [`DesfireError::Card`].
    pub fn open_response(
        &mut self,
        status: Status,
        received: &[u8],
        mode: CommMode,
        plain_len: Option<usize>,
    ) -> Result<Vec<u8>, DesfireError> {
        if status.is_error() {
            return Err(DesfireError::Card(status));
        }
        let plain = self.open(Message::Response { status }, received, mode, plain_len)?;
        self.end_exchange();
        Ok(plain)
    }

    /// Host: seals a command, sends it with `AF` framing and opens the answer.
    pub fn exchange(
        &mut self,
        t: &mut dyn CardTransport,
        cmd: &SecureCommand,
    ) -> Result<Vec<u8>, DesfireError> {
        let body = self.seal_command(cmd.ins, cmd.header, cmd.data, cmd.command_mode)?;
        let r = apdu::transceive(t, cmd.ins, &body)?;
        self.open_response(r.status, &r.data, cmd.response_mode, cmd.response_len)
    }

    fn seal(
        &mut self,
        msg: Message,
        data: &[u8],
        mode: CommMode,
        out: &mut Vec<u8>,
    ) -> Result<(), DesfireError> {
        let ev1 = matches!(self.state, State::Ev1 { .. });
        let is_response = matches!(msg, Message::Response { .. });
        match mode {
            // EV1 MACs every plain message; its responses carry the MAC, its commands only chain the IV.
            CommMode::Plain if ev1 => {
                let mac = self.mac_outgoing(msg, data)?;
                out.extend_from_slice(data);
                if is_response {
                    out.extend_from_slice(&mac);
                }
            }
            CommMode::Plain => out.extend_from_slice(data),
            CommMode::Mac => {
                let mac = self.mac_outgoing(msg, data)?;
                out.extend_from_slice(data);
                out.extend_from_slice(&mac);
            }
            CommMode::Full => {
                let enc = self.encrypt_data(msg, data)?;
                if let State::Ev2 { .. } = self.state {
                    let mac = self.mac_outgoing(msg, &enc)?;
                    out.extend_from_slice(&enc);
                    out.extend_from_slice(&mac);
                } else {
                    out.extend_from_slice(&enc);
                }
            }
        }
        Ok(())
    }

    fn open(
        &mut self,
        msg: Message,
        body: &[u8],
        mode: CommMode,
        plain_len: Option<usize>,
    ) -> Result<Vec<u8>, DesfireError> {
        let ev1 = matches!(self.state, State::Ev1 { .. });
        let is_response = matches!(msg, Message::Response { .. });
        let mac_len = self.mac_len();
        match mode {
            CommMode::Plain if ev1 && !is_response => {
                self.mac_outgoing(msg, body)?;
                Ok(body.to_vec())
            }
            CommMode::Plain if !ev1 => Ok(body.to_vec()),
            CommMode::Plain | CommMode::Mac => {
                let (data, mac) = split_mac(body, mac_len)?;
                self.verify_incoming(msg, data, mac)?;
                Ok(data.to_vec())
            }
            CommMode::Full => {
                if let State::Ev2 { .. } = self.state {
                    let (enc, mac) = split_mac(body, mac_len)?;
                    self.verify_incoming(msg, enc, mac)?;
                    self.decrypt_data(msg, enc, plain_len)
                } else {
                    self.decrypt_data(msg, body, plain_len)
                }
            }
        }
    }

    fn mac_len(&self) -> usize {
        match self.state {
            State::Legacy { .. } => 4,
            _ => ev1_mac_len(),
        }
    }

    /// EV2: a command/response pair is complete, the counter moves on.
    fn end_exchange(&mut self) {
        if let State::Ev2 { counter, .. } = &mut self.state {
            *counter = counter.saturating_add(1);
        }
    }
}

#[path = "session_keys.rs"]
mod keys;

#[path = "session_wire.rs"]
mod wire;
use wire::*;

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
