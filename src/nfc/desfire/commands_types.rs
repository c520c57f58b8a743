//! Typed values of the DESFire host commands and their byte encodings (desfire.md §2.2, §4): application
//! ids, key settings (`amks`), key count and type (`nok`), access rights, file settings and GetVersion.
//! Every decoder takes untrusted card bytes and fails with [`DesfireError::Malformed`] instead of panicking.

use std::fmt;

use super::super::DesfireError;
use super::super::crypto::KeyType;
use super::super::session::CommMode;

/// A 3-byte application id, held MSB-first as written in configurations (`F58540`) and sent LSB-first
/// (`40 85 F5`, desfire.md §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Aid(pub [u8; 3]);

impl Aid {
    /// The PICC level (`000000`).
    pub const PICC: Aid = Aid([0, 0, 0]);

    /// From the number as written (`0xF58540`); `None` above 24 bits.
    pub fn from_u32(v: u32) -> Option<Aid> {
        let [top, a, b, c] = v.to_be_bytes();
        (top == 0).then_some(Aid([a, b, c]))
    }

    pub fn to_u32(self) -> u32 {
        let [a, b, c] = self.0;
        u32::from_be_bytes([0, a, b, c])
    }

    /// From 6 hex digits as written (`"F58540"`).
    pub fn parse_hex(s: &str) -> Option<Aid> {
        if s.len() != 6 {
            return None;
        }
        u32::from_str_radix(s, 16).ok().and_then(Aid::from_u32)
    }

    /// The bytes as sent (LSB first).
    pub fn wire(self) -> [u8; 3] {
        let [a, b, c] = self.0;
        [c, b, a]
    }

    /// From the bytes as sent (LSB first).
    pub fn from_wire(b: [u8; 3]) -> Aid {
        Aid([b[2], b[1], b[0]])
    }
}

impl fmt::Display for Aid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06X}", self.to_u32())
    }
}

/// Which key may change the keys of an application: the high nibble of `amks` (§2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKeyAccess {
    /// `0`: the application master key.
    MasterKey,
    /// `1`–`D`: that key.
    Key(u8),
    /// `E`: each key itself.
    SameKey,
    /// `F`: keys are frozen.
    Frozen,
}

/// The application (or PICC) master key settings byte `amks` (§2.2), e.g. `0B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySettings {
    pub change_key: ChangeKeyAccess,
    /// Bit 3: the settings themselves can be changed.
    pub settings_changeable: bool,
    /// Bit 2: files can be created and deleted without the master key.
    pub free_create_delete: bool,
    /// Bit 1: GetFileIDs, GetFileSettings, GetKeySettings work without the master key.
    pub free_directory: bool,
    /// Bit 0: the master key can be changed.
    pub master_key_changeable: bool,
}

impl KeySettings {
    pub fn encode(self) -> u8 {
        let high = match self.change_key {
            ChangeKeyAccess::MasterKey => 0,
            ChangeKeyAccess::Key(k) => k.clamp(1, 0x0D),
            ChangeKeyAccess::SameKey => 0x0E,
            ChangeKeyAccess::Frozen => 0x0F,
        };
        (high << 4)
            | (u8::from(self.settings_changeable) << 3)
            | (u8::from(self.free_create_delete) << 2)
            | (u8::from(self.free_directory) << 1)
            | u8::from(self.master_key_changeable)
    }

    /// Every byte is a valid `amks`.
    pub fn decode(b: u8) -> KeySettings {
        KeySettings {
            change_key: match b >> 4 {
                0 => ChangeKeyAccess::MasterKey,
                0x0E => ChangeKeyAccess::SameKey,
                0x0F => ChangeKeyAccess::Frozen,
                k => ChangeKeyAccess::Key(k),
            },
            settings_changeable: b & 0x08 != 0,
            free_create_delete: b & 0x04 != 0,
            free_directory: b & 0x02 != 0,
            master_key_changeable: b & 0x01 != 0,
        }
    }
}

/// The `nok` byte (§2.2): number of keys, their crypto family and whether the application takes ISO file ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyCount {
    /// 1 to 14 keys.
    pub count: u8,
    /// The crypto family; DES and 2K3DES share the same bits (`0`) and decode as [`KeyType::TwoKey3Des`].
    pub key_type: KeyType,
    pub iso_file_ids: bool,
}

impl KeyCount {
    /// Most keys in one application (key numbers `0`–`D`).
    pub const MAX_KEYS: u8 = 14;

    pub fn encode(self) -> u8 {
        self.key_type.type_bits() | if self.iso_file_ids { 0x20 } else { 0 } | (self.count & 0x0F)
    }

    /// Fails when both type bits are set (no such family).
    pub fn decode(b: u8) -> Result<KeyCount, DesfireError> {
        let key_type = match b & 0xC0 {
            0x00 => KeyType::TwoKey3Des,
            0x40 => KeyType::ThreeKey3Des,
            0x80 => KeyType::Aes128,
            _ => {
                return Err(DesfireError::Malformed(
                    "unknown key type bits in key settings",
                ));
            }
        };
        Ok(KeyCount {
            count: b & 0x0F,
            key_type,
            iso_file_ids: b & 0x20 != 0,
        })
    }
}

/// One access condition (§2.2): a key number `0`–`D`, free (`E`) or never (`F`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessRight {
    Key(u8),
    Free,
    Never,
}

impl AccessRight {
    pub fn nibble(self) -> u8 {
        match self {
            AccessRight::Key(k) => k.min(0x0D),
            AccessRight::Free => 0x0E,
            AccessRight::Never => 0x0F,
        }
    }

    pub fn from_nibble(n: u8) -> AccessRight {
        match n & 0x0F {
            0x0E => AccessRight::Free,
            0x0F => AccessRight::Never,
            k => AccessRight::Key(k),
        }
    }
}

/// The four access conditions of a file (§2.2): written `R W RW CAR` in configurations (`1223`), sent as
/// two bytes `RW<<4 | CAR`, `R<<4 | W`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccessRights {
    pub read: AccessRight,
    pub write: AccessRight,
    pub read_write: AccessRight,
    pub change: AccessRight,
}

impl AccessRights {
    /// `EEEE`: everything free; ESUP creates files this way, writes them, then locks them (§3.1 steps 5–7).
    pub const FREE: AccessRights = AccessRights {
        read: AccessRight::Free,
        write: AccessRight::Free,
        read_write: AccessRight::Free,
        change: AccessRight::Free,
    };

    pub fn wire(self) -> [u8; 2] {
        [
            (self.read_write.nibble() << 4) | self.change.nibble(),
            (self.read.nibble() << 4) | self.write.nibble(),
        ]
    }

    pub fn from_wire(b: [u8; 2]) -> AccessRights {
        AccessRights {
            read: AccessRight::from_nibble(b[1] >> 4),
            write: AccessRight::from_nibble(b[1]),
            read_write: AccessRight::from_nibble(b[0] >> 4),
            change: AccessRight::from_nibble(b[0]),
        }
    }

    /// The configuration form `0xRWXC` (e.g. `0x1223`).
    pub fn config(self) -> u16 {
        u16::from_be_bytes([
            (self.read.nibble() << 4) | self.write.nibble(),
            (self.read_write.nibble() << 4) | self.change.nibble(),
        ])
    }

    pub fn from_config(v: u16) -> AccessRights {
        let [a, b] = v.to_be_bytes();
        AccessRights::from_wire([b, a])
    }
}

/// What kind of file GetFileSettings describes, with its type-specific settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    StdData {
        size: u32,
    },
    BackupData {
        size: u32,
    },
    Value {
        lower: i32,
        upper: i32,
        limited_credit: i32,
        limited_credit_enabled: bool,
    },
    LinearRecord {
        record_size: u32,
        max_records: u32,
        records: u32,
    },
    CyclicRecord {
        record_size: u32,
        max_records: u32,
        records: u32,
    },
}

/// The answer to GetFileSettings (`F5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSettings {
    pub kind: FileKind,
    pub comm_mode: CommMode,
    pub access: AccessRights,
}

/// A 3-byte little-endian number (sizes, offsets, §2.2).
pub fn u24(b: &[u8]) -> Option<u32> {
    match b {
        [a, b, c] => Some(u32::from_le_bytes([*a, *b, *c, 0])),
        _ => None,
    }
}

/// The 3 little-endian bytes of a size or offset; `None` above 16 MiB.
pub fn u24_bytes(v: u32) -> Option<[u8; 3]> {
    let [a, b, c, top] = v.to_le_bytes();
    (top == 0).then_some([a, b, c])
}

fn i32_le(b: &[u8]) -> Option<i32> {
    Some(i32::from_le_bytes(b.try_into().ok()?))
}

impl FileSettings {
    /// Parses the plain settings: `type ‖ comm ‖ AR(2) ‖ type-specific`. Extra trailing bytes (EV2 options)
    /// are ignored.
    pub fn decode(d: &[u8]) -> Result<FileSettings, DesfireError> {
        const SHORT: DesfireError = DesfireError::Malformed("file settings too short");
        let [kind, comm, a0, a1, rest @ ..] = d else {
            return Err(SHORT);
        };
        let comm_mode = CommMode::from_byte(*comm & 0x03)
            .ok_or(DesfireError::Malformed("unknown communication mode"))?;
        let at = |r: std::ops::Range<usize>| rest.get(r).and_then(u24).ok_or(SHORT);
        let kind = match kind {
            0x00 => FileKind::StdData { size: at(0..3)? },
            0x01 => FileKind::BackupData { size: at(0..3)? },
            0x02 => FileKind::Value {
                lower: rest.get(0..4).and_then(i32_le).ok_or(SHORT)?,
                upper: rest.get(4..8).and_then(i32_le).ok_or(SHORT)?,
                limited_credit: rest.get(8..12).and_then(i32_le).ok_or(SHORT)?,
                limited_credit_enabled: rest.get(12).ok_or(SHORT)? & 0x01 != 0,
            },
            0x03 | 0x04 => {
                let (record_size, max_records, records) = (at(0..3)?, at(3..6)?, at(6..9)?);
                if *kind == 0x03 {
                    FileKind::LinearRecord {
                        record_size,
                        max_records,
                        records,
                    }
                } else {
                    FileKind::CyclicRecord {
                        record_size,
                        max_records,
                        records,
                    }
                }
            }
            _ => return Err(DesfireError::Malformed("unknown file type")),
        };
        Ok(FileSettings {
            kind,
            comm_mode,
            access: AccessRights::from_wire([*a0, *a1]),
        })
    }

    /// The size of a data file, the record size × maximum of a record file, 4 for a value file.
    pub fn data_size(&self) -> u32 {
        match self.kind {
            FileKind::StdData { size } | FileKind::BackupData { size } => size,
            FileKind::Value { .. } => 4,
            FileKind::LinearRecord {
                record_size,
                max_records,
                ..
            }
            | FileKind::CyclicRecord {
                record_size,
                max_records,
                ..
            } => record_size.saturating_mul(max_records),
        }
    }
}

/// One half of the GetVersion answer (hardware or software), §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartVersion {
    /// `04` = NXP.
    pub vendor: u8,
    pub kind: u8,
    pub subtype: u8,
    pub major: u8,
    pub minor: u8,
    /// The raw storage byte: 2^(n>>1) bytes, "more than" when bit 0 is set.
    pub storage: u8,
    /// `05` = ISO 14443-3 and -4.
    pub protocol: u8,
}

impl PartVersion {
    fn decode(b: [u8; 7]) -> PartVersion {
        let [vendor, kind, subtype, major, minor, storage, protocol] = b;
        PartVersion {
            vendor,
            kind,
            subtype,
            major,
            minor,
            storage,
            protocol,
        }
    }

    /// Storage size in bytes (`0x18` → 4096); saturates on nonsense values.
    pub fn storage_bytes(&self) -> u32 {
        1u32.checked_shl(u32::from(self.storage >> 1))
            .unwrap_or(u32::MAX)
    }
}

/// The parsed 28-byte GetVersion answer (§4). `uid` is not the real UID on random-UID cards (§8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub hardware: PartVersion,
    pub software: PartVersion,
    pub uid: [u8; 7],
    pub batch: [u8; 5],
    /// Production week and year as the card stores them (BCD on NXP cards).
    pub production_week: u8,
    pub production_year: u8,
}

impl Version {
    /// Parses the three concatenated frames; EV2+ cards may append bytes, which are ignored.
    pub fn decode(d: &[u8]) -> Result<Version, DesfireError> {
        let take = |r: std::ops::Range<usize>| {
            d.get(r).ok_or(DesfireError::Malformed(
                "GetVersion answer shorter than 28 bytes",
            ))
        };
        let arr7 = |r| -> Result<[u8; 7], DesfireError> {
            take(r)?
                .try_into()
                .map_err(|_| DesfireError::Malformed("GetVersion field"))
        };
        let batch: [u8; 5] = take(21..26)?
            .try_into()
            .map_err(|_| DesfireError::Malformed("GetVersion field"))?;
        let [week, year] = take(26..28)? else {
            return Err(DesfireError::Malformed("GetVersion field"));
        };
        Ok(Version {
            hardware: PartVersion::decode(arr7(0..7)?),
            software: PartVersion::decode(arr7(7..14)?),
            uid: arr7(14..21)?,
            batch,
            production_week: *week,
            production_year: *year,
        })
    }
}
