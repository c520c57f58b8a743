//! Wire-level rules of the three session schemes: what EV1 MACs and CRCs cover, the legacy MAC and
//! modes, and finding the plain data behind a CRC and its padding (desfire.md §5.2–§5.4).

use super::*;

/// Splits `data ‖ MAC`.
pub(super) fn split_mac(body: &[u8], mac_len: usize) -> Result<(&[u8], &[u8]), DesfireError> {
    body.len()
        .checked_sub(mac_len)
        .map(|n| body.split_at(n))
        .ok_or(DesfireError::Malformed("message shorter than its MAC"))
}

/// The counter the response of the current pair uses; `FFFF` cannot be followed.
pub(super) fn next_counter(counter: u16) -> Result<u16, DesfireError> {
    counter.checked_add(1).ok_or(DesfireError::CounterExhausted)
}

/// What EV1 MACs (§5.3) and CRCs (§5.4): `INS ‖ header ‖ data` for a command, `data ‖ status` for a
/// response.
pub(super) fn ev1_input(msg: Message, data: &[u8]) -> Vec<u8> {
    match msg {
        Message::Command { ins, header } => [&[ins], header, data].concat(),
        Message::Response { status } => [data, &[status.byte()]].concat(),
    }
}

/// EV1 CBC from the session IV; the IV becomes the last ciphertext block.
pub(super) fn ev1_encrypt(
    cipher: &Cipher,
    iv: &mut [u8],
    buf: &mut [u8],
) -> Result<(), DesfireError> {
    cipher.cbc_encrypt(iv, buf)?;
    let bl = cipher.block_len();
    if let Some(last) = buf.len().checked_sub(bl).and_then(|s| buf.get(s..)) {
        iv.copy_from_slice(last);
    }
    Ok(())
}

/// Legacy: commands go in "send mode", responses in "receive mode" (§5.2).
pub(super) fn legacy_mode(msg: Message) -> LegacyMode {
    match msg {
        Message::Command { .. } => LegacyMode::Send,
        Message::Response { .. } => LegacyMode::Receive,
    }
}

/// Legacy MAC (§5.3): first 4 bytes of the last block of the CBC encryption of the zero-padded data.
pub(super) fn legacy_mac(cipher: &Cipher, data: &[u8]) -> Result<Vec<u8>, DesfireError> {
    let mut buf = data.to_vec();
    pad_zero(&mut buf, 8);
    if buf.is_empty() {
        buf.resize(8, 0);
    }
    cipher.cbc_encrypt(&[0; 8], &mut buf)?;
    let start = buf.len() - 8;
    Ok(buf[start..start + 4].to_vec())
}

/// Finds `plain ‖ CRC ‖ padding` in deciphered data: padding is zeros (or `80` then zeros, which
/// libfreefare also accepts, §5.4), at most a block long; the CRC must match.
pub(super) fn find_plain(
    buf: &[u8],
    plain_len: Option<usize>,
    crc_len: usize,
    block_len: usize,
    crc: impl Fn(&[u8]) -> Vec<u8>,
) -> Result<Vec<u8>, DesfireError> {
    let max = buf
        .len()
        .checked_sub(crc_len)
        .ok_or(DesfireError::Malformed(
            "enciphered data shorter than its CRC",
        ))?;
    let candidates: Vec<usize> = match plain_len {
        Some(n) if n <= max => vec![n],
        Some(_) => return Err(DesfireError::Malformed("enciphered data too short")),
        // Shortest first, as libfreefare does: a CRC without final XOR also "verifies" at every later
        // position inside zero padding (the CRC of `M ‖ CRC(M)` is zero), so the longest match is wrong.
        None => (max.saturating_sub(block_len)..=max).collect(),
    };
    for n in candidates {
        let (plain, rest) = buf.split_at(n);
        let (sum, padding) = rest.split_at(crc_len);
        let padding_ok = padding.len() <= block_len
            && match padding.split_first() {
                None => true,
                Some((&first, tail)) => {
                    (first == 0 || first == 0x80) && tail.iter().all(|&b| b == 0)
                }
            };
        if padding_ok && ct_eq(&crc(plain), sum) {
            return Ok(plain.to_vec());
        }
    }
    Err(DesfireError::Integrity("CRC mismatch"))
}

impl Cipher {
    /// The direction-appropriate legacy operation for the sender: the host deciphers in send mode, the
    /// card enciphers its answers (what the host reads in receive mode).
    pub(super) fn legacy_decipher_or_encipher(
        &self,
        mode: LegacyMode,
        buf: &mut [u8],
    ) -> Result<(), DesfireError> {
        match mode {
            LegacyMode::Send => self.legacy_decipher(LegacyMode::Send, &[0; 8], buf),
            LegacyMode::Receive => self.legacy_encipher(LegacyMode::Receive, &[0; 8], buf),
        }
    }

    /// The receiver's inverse of [`Cipher::legacy_decipher_or_encipher`].
    pub(super) fn legacy_undo(&self, mode: LegacyMode, buf: &mut [u8]) -> Result<(), DesfireError> {
        match mode {
            LegacyMode::Send => self.legacy_encipher(LegacyMode::Send, &[0; 8], buf),
            LegacyMode::Receive => self.legacy_decipher(LegacyMode::Receive, &[0; 8], buf),
        }
    }
}
