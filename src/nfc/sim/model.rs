//! The card's persistent contents: PICC settings, applications with their keys, standard data files and the
//! EEPROM budget. Encodings follow desfire.md §2.2 (amks, nok, access-rights nibbles, LSB-first AIDs and
//! sizes). The getters are the read-only view tests use; key bytes are never exposed.

use std::collections::BTreeMap;

use crate::nfc::desfire::crypto::{Key, KeyType};
use crate::nfc::desfire::session::CommMode;

/// EEPROM is allocated in blocks of this many bytes (desfire.md §3.3: DAM quotas count 32-byte blocks).
pub const BLOCK: usize = 32;
/// The most applications a PICC holds (status `CE` beyond, §1.2).
pub const MAX_APPLICATIONS: usize = 28;
/// Keys per application (nok low nibble 1..=14).
pub const MAX_KEYS: u8 = 14;
/// File numbers run from 0 to 31.
pub const MAX_FILE_NO: u8 = 31;
/// Free memory of a blank 8 KB card: 8 KB less the PICC's own area. The exact figure of real cards varies
/// by batch; what matters is that it is finite and reported by GetFreeMemory.
pub const EEPROM_8K: usize = 8192 - 256;

/// nok high-nibble flag: the application supports ISO file identifiers (§2.2).
pub const NOK_ISO: u8 = 0x20;

/// Blocks an application takes: one for its directory entry and one per key (the DAM quota formula of
/// §3.3 counts the same items).
pub fn application_blocks(keys: usize) -> usize {
    1 + keys
}

/// Blocks a file of `size` bytes takes (at least one).
pub fn file_blocks(size: usize) -> usize {
    size.div_ceil(BLOCK).max(1)
}

/// The key type the nok byte's bits 6–7 select (§2.2: `0` (T)DES, `4` 3K3DES, `8` AES).
pub fn key_type_from_nok(nok: u8) -> Option<KeyType> {
    match nok & 0xC0 {
        0x00 => Some(KeyType::Des),
        0x40 => Some(KeyType::ThreeKey3Des),
        0x80 => Some(KeyType::Aes128),
        _ => None,
    }
}

/// A file's access rights, one key number per nibble (`E` free, `F` never, §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessRights {
    pub read: u8,
    pub write: u8,
    pub read_write: u8,
    pub change: u8,
}

/// Access-right nibble: anyone, no authentication.
pub const FREE: u8 = 0xE;
/// Access-right nibble: nobody.
pub const NEVER: u8 = 0xF;

impl AccessRights {
    /// From the two wire bytes: byte 0 = RW<<4 | CAR, byte 1 = R<<4 | W (§2.2).
    pub fn from_wire(b0: u8, b1: u8) -> AccessRights {
        AccessRights {
            read: b1 >> 4,
            write: b1 & 0x0F,
            read_write: b0 >> 4,
            change: b0 & 0x0F,
        }
    }

    pub fn to_wire(self) -> [u8; 2] {
        [
            (self.read_write << 4) | self.change,
            (self.read << 4) | self.write,
        ]
    }
}

/// A standard data file.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub(super) iso_fid: Option<[u8; 2]>,
    pub(super) comm: CommMode,
    pub(super) rights: AccessRights,
    pub(super) data: Vec<u8>,
}

impl DataFile {
    /// Its ISO file identifier, as sent (LSB first).
    pub fn iso_fid(&self) -> Option<[u8; 2]> {
        self.iso_fid
    }
    pub fn comm_mode(&self) -> CommMode {
        self.comm
    }
    pub fn access_rights(&self) -> AccessRights {
        self.rights
    }
    pub fn size(&self) -> usize {
        self.data.len()
    }
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// GetFileSettings' answer: file type `00` (standard data), comm, access rights, size (3 bytes LSB).
    pub(super) fn settings(&self) -> Vec<u8> {
        let mut out = vec![0x00, self.comm.byte()];
        out.extend_from_slice(&self.rights.to_wire());
        out.extend_from_slice(&u24(self.data.len()));
        out
    }
}

/// An application: key settings, keys and files.
#[derive(Debug, Clone)]
pub struct Application {
    pub(super) aid: [u8; 3],
    pub(super) settings: u8,
    /// The nok byte as created: type bits, ISO flag, number of keys.
    pub(super) nok: u8,
    pub(super) keys: Vec<Key>,
    pub(super) iso_fid: Option<[u8; 2]>,
    pub(super) df_name: Vec<u8>,
    pub(super) files: BTreeMap<u8, DataFile>,
}

impl Application {
    /// The AID as configured (MSB first, e.g. `0xF585C0`); on the wire it travels LSB first.
    pub fn aid(&self) -> u32 {
        u32::from_le_bytes([self.aid[0], self.aid[1], self.aid[2], 0])
    }
    /// The amks byte (§2.2).
    pub fn key_settings(&self) -> u8 {
        self.settings
    }
    /// The nok byte (type bits, ISO flag, number of keys).
    pub fn nok(&self) -> u8 {
        self.nok
    }
    pub fn key_type(&self) -> Option<KeyType> {
        self.keys.first().map(Key::kind)
    }
    pub fn key_versions(&self) -> Vec<u8> {
        self.keys.iter().map(Key::version).collect()
    }
    pub fn iso_fid(&self) -> Option<[u8; 2]> {
        self.iso_fid
    }
    pub fn df_name(&self) -> &[u8] {
        &self.df_name
    }
    pub fn file_ids(&self) -> Vec<u8> {
        self.files.keys().copied().collect()
    }
    pub fn file(&self, file_no: u8) -> Option<&DataFile> {
        self.files.get(&file_no)
    }

    pub(super) fn blocks(&self) -> usize {
        application_blocks(self.keys.len())
            + self
                .files
                .values()
                .map(|f| file_blocks(f.size()))
                .sum::<usize>()
    }
}

/// Everything that survives a power cycle.
#[derive(Debug, Clone)]
pub struct Persistent {
    pub(super) uid: [u8; 7],
    pub(super) picc_key: Key,
    pub(super) picc_settings: u8,
    pub(super) apps: BTreeMap<[u8; 3], Application>,
    pub(super) format_disabled: bool,
    pub(super) random_uid: bool,
    pub(super) capacity: usize,
}

impl Persistent {
    pub(super) fn blank(uid: [u8; 7]) -> Persistent {
        Persistent {
            uid,
            picc_key: Key::zero(KeyType::Des),
            // Factory PICC key settings: everything allowed, master key changeable.
            picc_settings: 0x0F,
            apps: BTreeMap::new(),
            format_disabled: false,
            random_uid: false,
            capacity: EEPROM_8K,
        }
    }

    pub(super) fn used(&self) -> usize {
        self.apps.values().map(Application::blocks).sum::<usize>() * BLOCK
    }

    pub(super) fn free(&self) -> usize {
        self.capacity.saturating_sub(self.used())
    }

    /// Whether `blocks` more blocks fit.
    pub(super) fn fits(&self, blocks: usize) -> bool {
        blocks * BLOCK <= self.free()
    }
}

/// A 3-byte LSB-first number (sizes, offsets, free memory, §2.2).
pub fn u24(n: usize) -> [u8; 3] {
    let n = u32::try_from(n).unwrap_or(u32::MAX).min(0xFF_FFFF);
    let b = n.to_le_bytes();
    [b[0], b[1], b[2]]
}

/// Reads a 3-byte LSB-first number.
pub fn read_u24(b: &[u8]) -> Option<usize> {
    match b {
        [a, b, c, ..] => Some(usize::from(*a) | usize::from(*b) << 8 | usize::from(*c) << 16),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_rights_wire_order() {
        // §2.2: configuration 1223 → bytes 23 12.
        let ar = AccessRights {
            read: 1,
            write: 2,
            read_write: 2,
            change: 3,
        };
        assert_eq!(ar.to_wire(), [0x23, 0x12]);
        assert_eq!(AccessRights::from_wire(0x23, 0x12), ar);
    }

    #[test]
    fn sizes_and_blocks() {
        assert_eq!(u24(31), [0x1F, 0, 0]);
        assert_eq!(read_u24(&[0x48, 0x01, 0x00]), Some(328));
        assert_eq!(read_u24(&[1, 2]), None);
        assert_eq!(file_blocks(0), 1);
        assert_eq!(file_blocks(32), 1);
        assert_eq!(file_blocks(33), 2);
        assert_eq!(key_type_from_nok(0x84), Some(KeyType::Aes128));
        assert_eq!(key_type_from_nok(0xC1), None);
    }
}
