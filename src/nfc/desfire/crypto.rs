//! DESFire key types and cryptographic primitives: CBC with an explicit IV (and the legacy DES send/receive
//! modes), CMAC with DESFire's IV chaining, CRC32 (JAMCRC) and CRC16, padding, EV1 and EV2 session keys,
//! AN10922 diversification and key check values. Everything block-level goes through the RustCrypto `cbc`
//! crate over `aes`/`des`; facts from desfire.md §5–§7, vectors §9 (tests in `crypto_tests.rs`).

use aes::Aes128;
use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt};
use aes::cipher::{InnerIvInit, KeyInit};
use des::{Des, TdesEde2, TdesEde3};
use zeroize::Zeroize;

use super::DesfireError;

/// The four key types of DESFire EV1 and later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// Single DES (8 bytes); on the card a 2K3DES key whose halves are equal, parity bits included.
    Des,
    /// Two-key triple DES (16 bytes).
    TwoKey3Des,
    /// Three-key triple DES (24 bytes).
    ThreeKey3Des,
    /// AES-128 (16 bytes), with a separate version byte.
    Aes128,
}

impl KeyType {
    pub const fn key_len(self) -> usize {
        match self {
            KeyType::Des => 8,
            KeyType::TwoKey3Des | KeyType::Aes128 => 16,
            KeyType::ThreeKey3Des => 24,
        }
    }

    /// Cipher block length: 8 for the DES family, 16 for AES.
    pub const fn block_len(self) -> usize {
        match self {
            KeyType::Aes128 => 16,
            _ => 8,
        }
    }

    /// Length of RndA and RndB in the authentications: 16 for AES and 3K3DES, 8 otherwise (§5.2).
    pub const fn nonce_len(self) -> usize {
        match self {
            KeyType::Aes128 | KeyType::ThreeKey3Des => 16,
            _ => 8,
        }
    }

    /// The crypto bits of `nok` in CreateApplication (§2.2), which are also the bits ORed into the key
    /// number of ChangeKey on the PICC master key (§5.6): `00` (T)DES, `40` 3K3DES, `80` AES.
    pub const fn type_bits(self) -> u8 {
        match self {
            KeyType::Des | KeyType::TwoKey3Des => 0x00,
            KeyType::ThreeKey3Des => 0x40,
            KeyType::Aes128 => 0x80,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            KeyType::Des => "DES",
            KeyType::TwoKey3Des => "2K3DES",
            KeyType::ThreeKey3Des => "3K3DES",
            KeyType::Aes128 => "AES-128",
        }
    }
}

/// A DESFire key: its type, its bytes and its version. The bytes are wiped when the value is dropped and
/// never shown by `Debug` (only the type, version and [check value](Key::check_value)).
///
/// Versions: an AES key carries a separate version byte; DES-family keys keep it in the parity bits (the
/// least significant bit of each byte, §5.2), with libfreefare's layout: bit 7−n of the version in byte n
/// of the first half; for 2K3DES the second half holds the complemented bits (so that a 2K3DES key never
/// turns into a DES key by accident), for DES it repeats the first half.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    kind: KeyType,
    bytes: [u8; 24],
    aes_version: u8,
}

impl Drop for Key {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kcv = self.check_value();
        write!(
            f,
            "Key({}, version {:02X}, KCV {:02X}{:02X}{:02X})",
            self.kind.name(),
            self.version(),
            kcv[0],
            kcv[1],
            kcv[2]
        )
    }
}

impl Key {
    /// A key from its bytes, exactly [`KeyType::key_len`] long; a DES-family key's version is whatever its
    /// parity bits say.
    pub fn new(kind: KeyType, bytes: &[u8]) -> Result<Key, DesfireError> {
        if bytes.len() != kind.key_len() {
            return Err(DesfireError::KeyLength {
                kind: kind.name(),
                expected: kind.key_len(),
                got: bytes.len(),
            });
        }
        let mut key = Key {
            kind,
            bytes: [0; 24],
            aes_version: 0,
        };
        key.bytes[..bytes.len()].copy_from_slice(bytes);
        Ok(key)
    }

    /// A key with its version set (in the parity bits for the DES family).
    pub fn with_version(kind: KeyType, bytes: &[u8], version: u8) -> Result<Key, DesfireError> {
        let mut key = Key::new(kind, bytes)?;
        key.set_version(version);
        Ok(key)
    }

    /// The all-zero key of a type: the factory key of a fresh card or a new application (§3.1).
    pub fn zero(kind: KeyType) -> Key {
        Key {
            kind,
            bytes: [0; 24],
            aes_version: 0,
        }
    }

    pub fn kind(&self) -> KeyType {
        self.kind
    }

    /// The key bytes ([`KeyType::key_len`] of them).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes[..self.kind.key_len()]
    }

    pub fn version(&self) -> u8 {
        match self.kind {
            KeyType::Aes128 => self.aes_version,
            _ => (0..8).fold(0u8, |v, n| v | ((self.bytes[n] & 1) << (7 - n))),
        }
    }

    pub fn set_version(&mut self, version: u8) {
        match self.kind {
            KeyType::Aes128 => self.aes_version = version,
            kind => {
                for n in 0..8 {
                    let bit = (version >> (7 - n)) & 1;
                    self.bytes[n] = (self.bytes[n] & 0xFE) | bit;
                    if kind == KeyType::TwoKey3Des {
                        self.bytes[n + 8] = (self.bytes[n + 8] & 0xFE) | (bit ^ 1);
                    }
                }
            }
        }
    }

    /// The key bytes as ChangeKey sends them (§5.6): a DES key goes as a 16-byte 2K3DES key with equal halves.
    pub fn change_key_bytes(&self) -> Vec<u8> {
        match self.kind {
            KeyType::Des => [self.bytes(), self.bytes()].concat(),
            _ => self.bytes().to_vec(),
        }
    }

    /// Key check value, to show which key is configured without revealing it: the first 3 bytes of the
    /// encryption of one all-zero block under the key (ECB), the classic DES/3DES KCV (ANSI X9.24), applied
    /// as is to AES. Parity bits, hence a DES key's version, do not change it.
    pub fn check_value(&self) -> [u8; 3] {
        let mut block = vec![0u8; self.kind.block_len()];
        let iv = vec![0u8; self.kind.block_len()];
        // Cannot fail: one whole block and a block-sized IV.
        let _ = Cipher::new(self).cbc_encrypt(&iv, &mut block);
        [block[0], block[1], block[2]]
    }
}

/// A block cipher keyed for one [`Key`].
#[derive(Clone)]
pub struct Cipher(Box<Inner>);

#[derive(Clone)]
enum Inner {
    Des(Des),
    Tdes2(TdesEde2),
    Tdes3(TdesEde3),
    Aes(Aes128),
}

/// The first `C::KeySize` bytes of a key's 24-byte store (at most 24, so the index is always in range).
fn key_array<C: KeyInit>(bytes: &[u8; 24]) -> aes::cipher::Key<C> {
    aes::cipher::Key::<C>::from_fn(|i| bytes[i])
}

fn cbc_enc<C: BlockCipherEncrypt + Clone>(
    c: &C,
    iv: &[u8],
    data: &mut [u8],
) -> Result<(), DesfireError> {
    let iv = aes::cipher::Iv::<cbc::Encryptor<C>>::try_from(iv)
        .map_err(|_| DesfireError::Malformed("IV length"))?;
    let len = data.len();
    cbc::Encryptor::<C>::inner_iv_init(c.clone(), &iv)
        .encrypt_padded::<NoPadding>(data, len)
        .map(|_| ())
        .map_err(|_| DesfireError::Malformed("data is not a whole number of blocks"))
}

fn cbc_dec<C: BlockCipherDecrypt + BlockCipherEncrypt + Clone>(
    c: &C,
    iv: &[u8],
    data: &mut [u8],
) -> Result<(), DesfireError> {
    let iv = aes::cipher::Iv::<cbc::Decryptor<C>>::try_from(iv)
        .map_err(|_| DesfireError::Malformed("IV length"))?;
    cbc::Decryptor::<C>::inner_iv_init(c.clone(), &iv)
        .decrypt_padded::<NoPadding>(data)
        .map(|_| ())
        .map_err(|_| DesfireError::Malformed("data is not a whole number of blocks"))
}

/// The two legacy modes in which a DES/2K3DES host of the original DESFire (authentication `0A`) uses only
/// the decryption function (§5.2, vector V8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyMode {
    /// Host → card: XOR with the previous block, then decrypt.
    Send,
    /// Card → host: decrypt, then XOR with the previous block (plain CBC decryption).
    Receive,
}

impl Cipher {
    pub fn new(key: &Key) -> Cipher {
        let b = &key.bytes;
        Cipher(Box::new(match key.kind {
            KeyType::Des => Inner::Des(Des::new(&key_array::<Des>(b))),
            KeyType::TwoKey3Des => Inner::Tdes2(TdesEde2::new(&key_array::<TdesEde2>(b))),
            KeyType::ThreeKey3Des => Inner::Tdes3(TdesEde3::new(&key_array::<TdesEde3>(b))),
            KeyType::Aes128 => Inner::Aes(Aes128::new(&key_array::<Aes128>(b))),
        }))
    }

    pub fn block_len(&self) -> usize {
        match *self.0 {
            Inner::Aes(_) => 16,
            _ => 8,
        }
    }

    /// CBC encryption in place from `iv`; `data` must be whole blocks. The new IV is the last block.
    pub fn cbc_encrypt(&self, iv: &[u8], data: &mut [u8]) -> Result<(), DesfireError> {
        match &*self.0 {
            Inner::Des(c) => cbc_enc(c, iv, data),
            Inner::Tdes2(c) => cbc_enc(c, iv, data),
            Inner::Tdes3(c) => cbc_enc(c, iv, data),
            Inner::Aes(c) => cbc_enc(c, iv, data),
        }
    }

    /// CBC decryption in place from `iv`; `data` must be whole blocks.
    pub fn cbc_decrypt(&self, iv: &[u8], data: &mut [u8]) -> Result<(), DesfireError> {
        match &*self.0 {
            Inner::Des(c) => cbc_dec(c, iv, data),
            Inner::Tdes2(c) => cbc_dec(c, iv, data),
            Inner::Tdes3(c) => cbc_dec(c, iv, data),
            Inner::Aes(c) => cbc_dec(c, iv, data),
        }
    }

    /// The host's legacy "decipher" in `mode` (§5.2): [`LegacyMode::Send`] prepares data for the card,
    /// [`LegacyMode::Receive`] reads the card's data.
    pub fn legacy_decipher(
        &self,
        mode: LegacyMode,
        iv: &[u8],
        data: &mut [u8],
    ) -> Result<(), DesfireError> {
        match mode {
            LegacyMode::Receive => self.cbc_decrypt(iv, data),
            LegacyMode::Send => self.send_mode(iv, data, false),
        }
    }

    /// The card's inverse of [`Cipher::legacy_decipher`] in the same `mode`: it undoes a host's send-mode
    /// data, and produces what the host reads in receive mode (plain CBC encryption).
    pub fn legacy_encipher(
        &self,
        mode: LegacyMode,
        iv: &[u8],
        data: &mut [u8],
    ) -> Result<(), DesfireError> {
        match mode {
            LegacyMode::Receive => self.cbc_encrypt(iv, data),
            LegacyMode::Send => self.send_mode(iv, data, true),
        }
    }

    /// Send mode, block by block: `out = D(in ⊕ prev)`, `prev = out`; `undo` computes the inverse,
    /// `in = E(out) ⊕ prev`, `prev = out`.
    fn send_mode(&self, iv: &[u8], data: &mut [u8], undo: bool) -> Result<(), DesfireError> {
        self.check_blocks(iv, data)?;
        let bl = self.block_len();
        let zero = vec![0u8; bl];
        let mut prev = iv.to_vec();
        for block in data.chunks_mut(bl) {
            if undo {
                let sent = block.to_vec();
                self.cbc_encrypt(&zero, block)?;
                xor_into(block, &prev);
                prev = sent;
            } else {
                xor_into(block, &prev);
                self.cbc_decrypt(&zero, block)?;
                prev.copy_from_slice(block);
            }
        }
        Ok(())
    }

    fn check_blocks(&self, iv: &[u8], data: &[u8]) -> Result<(), DesfireError> {
        let bl = self.block_len();
        if iv.len() != bl {
            return Err(DesfireError::Malformed("IV length"));
        }
        if !data.len().is_multiple_of(bl) {
            return Err(DesfireError::Malformed(
                "data is not a whole number of blocks",
            ));
        }
        Ok(())
    }

    /// The CMAC subkeys K1 and K2 (NIST SP 800-38B: L = E(K, 0); doubling in GF(2^b), constant `87` for
    /// 128-bit blocks and `1B` for 64-bit blocks).
    pub fn cmac_subkeys(&self) -> (Vec<u8>, Vec<u8>) {
        let bl = self.block_len();
        let mut l = vec![0u8; bl];
        let _ = self.cbc_encrypt(&vec![0u8; bl], &mut l);
        let k1 = double(&l);
        let k2 = double(&k1);
        l.zeroize();
        (k1, k2)
    }

    /// CMAC whose CBC starts from `iv` instead of zero, as DESFire EV1 chains it (§5.3); with a zero IV this
    /// is the standard CMAC. Returns the full block; EV1 sends its first 8 bytes.
    pub fn cmac(&self, iv: &[u8], data: &[u8]) -> Result<Vec<u8>, DesfireError> {
        let bl = self.block_len();
        if iv.len() != bl {
            return Err(DesfireError::Malformed("IV length"));
        }
        let (k1, k2) = self.cmac_subkeys();
        let complete = !data.is_empty() && data.len().is_multiple_of(bl);
        let mut m = data.to_vec();
        if !complete {
            pad_iso9797_m2(&mut m, bl);
        }
        let start = m.len() - bl;
        xor_into(&mut m[start..], if complete { &k1 } else { &k2 });
        self.cbc_encrypt(iv, &mut m)?;
        Ok(m.split_off(start))
    }
}

/// Doubling in GF(2^64) or GF(2^128): shift left one bit, XOR the reduction constant if the top bit fell out.
fn double(v: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; v.len()];
    let mut carry = 0u8;
    for i in (0..v.len()).rev() {
        out[i] = (v[i] << 1) | carry;
        carry = v[i] >> 7;
    }
    if carry == 1
        && let Some(last) = out.last_mut()
    {
        *last ^= if v.len() == 16 { 0x87 } else { 0x1B };
    }
    out
}

/// XORs `other` into `data`, byte by byte over the shorter length.
pub fn xor_into(data: &mut [u8], other: &[u8]) {
    for (d, o) in data.iter_mut().zip(other) {
        *d ^= o;
    }
}

/// Compares two byte strings in time independent of where they differ (for MACs and challenges).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Rotates left by one byte: RndB → RndB' and RndA → RndA' (§5.1).
pub fn rotate_left(v: &[u8]) -> Vec<u8> {
    let mut r = v.to_vec();
    if !r.is_empty() {
        r.rotate_left(1);
    }
    r
}

/// DESFire CRC32 (§5.5): reflected polynomial `EDB88320`, initial `FFFFFFFF`, no final XOR (JAMCRC), sent
/// little-endian. The complement of zlib's CRC-32.
pub fn crc32(data: &[u8]) -> [u8; 4] {
    (!crc32fast::hash(data)).to_le_bytes()
}

/// ISO 14443-A CRC_A (§5.5): reflected polynomial `8408`, initial `6363`, sent little-endian. Used by
/// legacy DES sessions.
pub fn crc16(data: &[u8]) -> [u8; 2] {
    let mut crc: u16 = 0x6363;
    for &b in data {
        let mut x = b ^ (crc & 0xFF) as u8;
        x ^= x << 4;
        let x = u16::from(x);
        crc = (crc >> 8) ^ (x << 8) ^ (x << 3) ^ (x >> 4);
    }
    crc.to_le_bytes()
}

/// Zero padding to a whole number of blocks, none if already aligned (EV1 enciphered data, §5.4).
pub fn pad_zero(data: &mut Vec<u8>, block: usize) {
    while !data.len().is_multiple_of(block) {
        data.push(0);
    }
}

/// ISO/IEC 9797-1 method 2: `80` then zeros to a whole number of blocks, always added (CMAC, EV2, §6).
pub fn pad_iso9797_m2(data: &mut Vec<u8>, block: usize) {
    data.push(0x80);
    pad_zero(data, block);
}

/// Removes method-2 padding; `None` if there is none (a tampered or wrongly decrypted message).
pub fn unpad_iso9797_m2(data: &[u8]) -> Option<&[u8]> {
    let end = data.iter().rposition(|&b| b != 0)?;
    (data.get(end) == Some(&0x80)).then(|| &data[..end])
}

/// The EV1 session key made of RndA and RndB for the authenticating key's type (§5.2). A DES session key
/// is a 2K3DES key with equal halves, as the card uses it.
pub fn ev1_session_key(kind: KeyType, rnd_a: &[u8], rnd_b: &[u8]) -> Result<Key, DesfireError> {
    let n = kind.nonce_len();
    if rnd_a.len() != n || rnd_b.len() != n {
        return Err(DesfireError::Malformed("random number length"));
    }
    let parts: &[(usize, usize)] = match kind {
        KeyType::Des => &[(0, 4), (0, 4)],
        KeyType::TwoKey3Des => &[(0, 4), (4, 8)],
        KeyType::ThreeKey3Des => &[(0, 4), (6, 10), (12, 16)],
        KeyType::Aes128 => &[(0, 4), (12, 16)],
    };
    let mut bytes = Vec::with_capacity(24);
    for &(from, to) in parts {
        bytes.extend_from_slice(&rnd_a[from..to]);
        bytes.extend_from_slice(&rnd_b[from..to]);
    }
    let session_kind = match kind {
        KeyType::Des => KeyType::TwoKey3Des,
        k => k,
    };
    let key = Key::new(session_kind, &bytes);
    bytes.zeroize();
    key
}

/// The EV2 session keys (KSesAuthENC, KSesAuthMAC) from the AES key and RndA, RndB (§6 step 4–5): standard
/// AES-CMAC over SV1 and SV2.
pub fn ev2_session_keys(key: &Key, rnd_a: &[u8], rnd_b: &[u8]) -> Result<(Key, Key), DesfireError> {
    if key.kind != KeyType::Aes128 {
        return Err(DesfireError::KeyType {
            got: key.kind.name(),
            operation: "EV2 secure messaging",
        });
    }
    if rnd_a.len() != 16 || rnd_b.len() != 16 {
        return Err(DesfireError::Malformed("random number length"));
    }
    let mut tail = Vec::with_capacity(26);
    tail.extend_from_slice(&rnd_a[0..2]);
    for i in 0..6 {
        tail.push(rnd_a[2 + i] ^ rnd_b[i]);
    }
    tail.extend_from_slice(&rnd_b[6..16]);
    tail.extend_from_slice(&rnd_a[8..16]);
    let derive = |prefix: [u8; 6]| -> Result<Key, DesfireError> {
        use cmac::Mac;
        let mut mac = <cmac::Cmac<Aes128> as KeyInit>::new_from_slice(key.bytes())
            .map_err(|_| DesfireError::Malformed("AES key length"))?;
        mac.update(&prefix);
        mac.update(&tail);
        Key::new(KeyType::Aes128, &mac.finalize().into_bytes())
    };
    let keys = (
        derive([0xA5, 0x5A, 0x00, 0x01, 0x00, 0x80])?,
        derive([0x5A, 0xA5, 0x00, 0x01, 0x00, 0x80])?,
    );
    tail.zeroize();
    Ok(keys)
}

/// AN10922 CMAC (§7): `M` padded to two blocks with `80 00…` and the last block XORed with K2, or, when `M`
/// fills two blocks exactly, XORed with K1; the result is the last CBC block from a zero IV.
fn an10922_cmac(cipher: &Cipher, m: &[u8]) -> Result<Vec<u8>, DesfireError> {
    let bl = cipher.block_len();
    let (k1, k2) = cipher.cmac_subkeys();
    let mut buf = m.to_vec();
    let full = buf.len() == 2 * bl;
    if !full {
        pad_iso9797_m2(&mut buf, 2 * bl);
    }
    xor_into(&mut buf[bl..], if full { &k1 } else { &k2 });
    cipher.cbc_encrypt(&vec![0u8; bl], &mut buf)?;
    let out = buf.split_off(bl);
    buf.zeroize();
    Ok(out)
}

fn diversification_message(prefix: u8, input: &[u8], max: usize) -> Result<Vec<u8>, DesfireError> {
    if input.is_empty() || input.len() > max {
        return Err(DesfireError::DiversificationInput {
            got: input.len(),
            max,
        });
    }
    Ok([&[prefix], input].concat())
}

/// AN10922 AES-128 diversification (§7, as ESUP's `diversificationAES128`): the diversified key from an
/// AES base key and up to 31 bytes of input (ESUP: the 7-byte UID). The new key keeps the base key's
/// version, as libfreefare does; set another with [`Key::set_version`].
pub fn diversify_aes128(base: &Key, input: &[u8]) -> Result<Key, DesfireError> {
    if base.kind != KeyType::Aes128 {
        return Err(DesfireError::KeyType {
            got: base.kind.name(),
            operation: "AES-128 diversification",
        });
    }
    let m = diversification_message(0x01, input, 31)?;
    let out = an10922_cmac(&Cipher::new(base), &m)?;
    Key::with_version(KeyType::Aes128, &out, base.version())
}

/// AN10922 triple-DES diversification (§7, AN10922 §2.4–2.5 via libfreefare): from a DES-family base key
/// and up to 15 bytes of input, a 2K3DES key (`kind` = TwoKey3Des, halves made with prefixes `21`, `22`)
/// or a 3K3DES key (prefixes `31`, `32`, `33`). The base key's version goes to the new key's parity bits.
pub fn diversify_3des(base: &Key, kind: KeyType, input: &[u8]) -> Result<Key, DesfireError> {
    let prefixes: &[u8] = match kind {
        KeyType::TwoKey3Des => &[0x21, 0x22],
        KeyType::ThreeKey3Des => &[0x31, 0x32, 0x33],
        other => {
            return Err(DesfireError::KeyType {
                got: other.name(),
                operation: "triple-DES diversification output",
            });
        }
    };
    if base.kind == KeyType::Aes128 {
        return Err(DesfireError::KeyType {
            got: base.kind.name(),
            operation: "triple-DES diversification",
        });
    }
    let cipher = Cipher::new(base);
    let mut out = Vec::with_capacity(24);
    for &p in prefixes {
        out.extend(an10922_cmac(
            &cipher,
            &diversification_message(p, input, 15)?,
        )?);
    }
    let key = Key::with_version(kind, &out, base.version());
    out.zeroize();
    key
}

#[cfg(test)]
#[path = "crypto_tests.rs"]
mod tests;
