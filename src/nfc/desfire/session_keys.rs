//! ChangeKey cryptograms (desfire.md §5.6, §6 step 7) and SetConfiguration (§5.7), both sides.

use super::*;
use crate::nfc::apdu::ins;

/// Plain length of the key bytes in a ChangeKey cryptogram: a DES key travels as 16 bytes (§5.6).
fn change_key_len(kind: KeyType) -> usize {
    match kind {
        KeyType::ThreeKey3Des => 24,
        _ => 16,
    }
}

/// The key carried by a ChangeKey: DES and 2K3DES share one application type, and a 16-byte key whose
/// halves are equal, parity bits included, is a DES key (libfreefare's `mifare_desfire_key_set_version`).
fn key_from_change(kind: KeyType, bytes: &[u8], version: u8) -> Result<Key, DesfireError> {
    match kind {
        KeyType::Aes128 => Key::with_version(kind, bytes, version),
        KeyType::ThreeKey3Des => Key::new(kind, bytes),
        KeyType::Des | KeyType::TwoKey3Des => match bytes.split_at_checked(8) {
            Some((a, b)) if a == b => Key::new(KeyType::Des, a),
            _ => Key::new(KeyType::TwoKey3Des, bytes),
        },
    }
}

impl Session {
    /// Host: the data of ChangeKey (`90 C4 … <this> 00`): `keyNo ‖ cryptogram` (EV2: `‖ MAC`). For the
    /// PICC master key, OR the new key's [`KeyType::type_bits`] into `key_no` (§3.1 step 9); the CRC covers
    /// the byte as sent.
    ///
    /// - EV1: `newKey [‖ ver] ‖ CRC32(C4 ‖ keyNo ‖ newKey [‖ ver])`, or for another key
    ///   `(new ⊕ old) [‖ ver] ‖ CRC32(C4 ‖ keyNo ‖ (new ⊕ old) [‖ ver]) ‖ CRC32(new)`; zero-padded,
    ///   enciphered with the IV chain. The version byte is for AES keys only (DES keys keep it in parity).
    /// - Legacy: the same with CRC16 over the key part only, enciphered in send mode.
    /// - EV2: `new ‖ ver` or `(new ⊕ old) ‖ ver ‖ CRC32(new)`, as a FULL-mode command.
    pub fn change_key_data(
        &mut self,
        key_no: u8,
        new_key: &Key,
        change: KeyChange,
    ) -> Result<Vec<u8>, DesfireError> {
        let new_bytes = new_key.change_key_bytes();
        let mut body = new_bytes.clone();
        if let KeyChange::OtherKey { old } = change {
            xor_into(&mut body, &old.change_key_bytes());
        }
        if new_key.kind() == KeyType::Aes128 {
            body.push(new_key.version());
        }
        let other = matches!(change, KeyChange::OtherKey { .. });
        let header = [key_no];
        let result = match &mut self.state {
            State::Ev2 { .. } => {
                if other {
                    body.extend_from_slice(&crc32(&new_bytes));
                }
                self.seal_command(ins::CHANGE_KEY, &header, &body, CommMode::Full)
            }
            State::Ev1 { cipher, iv } => {
                let mut p = body.clone();
                p.extend_from_slice(&crc32(&[&[ins::CHANGE_KEY, key_no], &body[..]].concat()));
                if other {
                    p.extend_from_slice(&crc32(&new_bytes));
                }
                pad_zero(&mut p, cipher.block_len());
                ev1_encrypt(cipher, iv, &mut p)?;
                Ok([&header[..], &p].concat())
            }
            State::Legacy { cipher } => {
                let mut p = body.clone();
                p.extend_from_slice(&crc16(&body));
                if other {
                    p.extend_from_slice(&crc16(&new_bytes));
                }
                pad_zero(&mut p, 8);
                cipher.legacy_decipher(LegacyMode::Send, &[0; 8], &mut p)?;
                Ok([&header[..], &p].concat())
            }
        };
        body.zeroize();
        let mut new_bytes = new_bytes;
        new_bytes.zeroize();
        result
    }

    /// Card: checks a ChangeKey's data (`keyNo ‖ cryptogram [‖ MAC]`) and returns the key number byte and
    /// the new key. `new_type` is the key type the application (or, at PICC level, the key number's type
    /// bits) calls for; for the DES family the card tells DES from 2K3DES by the key halves.
    pub fn open_change_key(
        &mut self,
        received: &[u8],
        new_type: KeyType,
        change: KeyChange,
    ) -> Result<(u8, Key), DesfireError> {
        let (&key_no, rest) = received
            .split_first()
            .ok_or(DesfireError::Malformed("empty ChangeKey"))?;
        let key_len = change_key_len(new_type);
        let body_len = key_len + usize::from(new_type == KeyType::Aes128);
        let other = matches!(change, KeyChange::OtherKey { .. });
        let mut plain = match &mut self.state {
            State::Ev2 { .. } => {
                let opened = self.open_command(ins::CHANGE_KEY, 1, received, CommMode::Full)?;
                opened.get(1..).unwrap_or_default().to_vec()
            }
            State::Ev1 { cipher, iv } => {
                let bl = cipher.block_len();
                if rest.is_empty() || !rest.len().is_multiple_of(bl) {
                    return Err(DesfireError::Malformed("ChangeKey cryptogram length"));
                }
                let mut p = rest.to_vec();
                let next_iv = rest[rest.len() - bl..].to_vec();
                cipher.cbc_decrypt(iv, &mut p)?;
                iv.copy_from_slice(&next_iv);
                p
            }
            State::Legacy { cipher } => {
                if rest.is_empty() || !rest.len().is_multiple_of(8) {
                    return Err(DesfireError::Malformed("ChangeKey cryptogram length"));
                }
                let mut p = rest.to_vec();
                cipher.legacy_encipher(LegacyMode::Send, &[0; 8], &mut p)?;
                p
            }
        };
        let result = self.parse_change_key(key_no, &plain, key_len, body_len, other, change);
        plain.zeroize();
        result.and_then(|(bytes, version)| {
            let key = key_from_change(new_type, &bytes, version);
            let mut bytes = bytes;
            bytes.zeroize();
            Ok((key_no, key?))
        })
    }

    /// Splits a deciphered ChangeKey plaintext into the new key bytes and version, checking its CRCs and
    /// padding.
    fn parse_change_key(
        &self,
        key_no: u8,
        plain: &[u8],
        key_len: usize,
        body_len: usize,
        other: bool,
        change: KeyChange,
    ) -> Result<(Vec<u8>, u8), DesfireError> {
        let ev2 = matches!(self.state, State::Ev2 { .. });
        let crc_len = match self.state {
            State::Legacy { .. } => 2,
            _ => 4,
        };
        let body = plain
            .get(..body_len)
            .ok_or(DesfireError::Malformed("ChangeKey cryptogram too short"))?;
        let mut pos = body_len;
        let mut take = |n: usize| -> Result<&[u8], DesfireError> {
            let s = plain
                .get(pos..pos + n)
                .ok_or(DesfireError::Malformed("ChangeKey cryptogram too short"))?;
            pos += n;
            Ok(s)
        };
        if !ev2 {
            let expected = match self.state {
                State::Legacy { .. } => crc16(body).to_vec(),
                _ => crc32(&[&[ins::CHANGE_KEY, key_no], body].concat()).to_vec(),
            };
            if !ct_eq(take(crc_len)?, &expected) {
                return Err(DesfireError::Integrity("ChangeKey CRC mismatch"));
            }
        }
        let mut new_bytes = body.get(..key_len).unwrap_or_default().to_vec();
        if let KeyChange::OtherKey { old } = change {
            xor_into(&mut new_bytes, &old.change_key_bytes());
        }
        if other {
            let expected = match self.state {
                State::Legacy { .. } => crc16(&new_bytes).to_vec(),
                _ => crc32(&new_bytes).to_vec(),
            };
            if !ct_eq(take(crc_len)?, &expected) {
                new_bytes.zeroize();
                return Err(DesfireError::Integrity("ChangeKey new-key CRC mismatch"));
            }
        }
        // EV2 padding was checked when opening; EV1 and legacy pad with zeros.
        if !ev2 && plain.get(pos..).is_some_and(|p| p.iter().any(|&b| b != 0)) {
            new_bytes.zeroize();
            return Err(DesfireError::Integrity("ChangeKey padding"));
        }
        if ev2 && plain.len() != pos {
            new_bytes.zeroize();
            return Err(DesfireError::Malformed("ChangeKey cryptogram length"));
        }
        let version = body.get(key_len).copied().unwrap_or(0);
        Ok((new_bytes, version))
    }

    /// Host: the data of SetConfiguration option `00` (§5.7): `00 ‖ E(flags ‖ CRC)`, flags from
    /// [`CONFIG_DISABLE_FORMAT`] and [`CONFIG_RANDOM_UID`]. The card side opens it with
    /// `open_command(ins::SET_CONFIGURATION, 1, data, CommMode::Full)`.
    pub fn set_configuration_data(&mut self, flags: u8) -> Result<Vec<u8>, DesfireError> {
        self.seal_command(ins::SET_CONFIGURATION, &[0x00], &[flags], CommMode::Full)
    }
}
