//! Encoding profiles: what to write on a DESFire card, in TOML. The model follows ESUP's tag / application /
//! file / key beans (desfire.md §2.1); the encoder runs it with the write sequence of §3.1.
//!
//! # Format
//!
//! ```toml
//! name = "My university"              # shown in the interface
//!
//! [picc]
//! master_key = "picc-master"          # keyring name; absent = the factory key (all zeros) of key_type
//! key_type = "aes"                    # des | 2k3des | 3k3des | aes
//! diversified = true                  # AN10922 from the CSN (desfire.md §7); default false
//! version = 1                         # key version; default 0
//! change_key_last = true              # the card comes with its factory DES key; master_key is set at the
//!                                     # end (§3.1 step 9); needs master_key; default false
//! format_before_write = true          # FormatPICC first (§3.1 step 1); default false
//! random_uid = false                  # switch on random UID, permanent (§5.7, §8); default false
//!
//! [[application]]
//! name = "access control"             # a label
//! aid = "F585C1"                      # 6 hex digits as written (sent LSB-first)
//! iso_fid = "E101"                    # optional ISO DF id (4 hex digits)
//! iso_name = "A000000614"             # optional ISO DF name (hex, at most 16 bytes; needs iso_fid)
//! key_settings = "0B"                 # amks byte (§2.2)
//! key_type = "aes"                    # type of every key of the application
//! keys = [                            # key 0 first; 1 to 14 keys
//!   { name = "acc-key0", version = 1, diversified = false },
//!   { name = "acc-key1", version = 1 },
//! ]
//!
//! [[application.file]]
//! number = 0                          # 0 to 31
//! iso_fid = "E102"                    # optional, only in an application with iso_fid
//! comm_mode = "enciphered"            # plain | maced | enciphered
//! access = { read = 1, write = 1, read_write = 1, change = 0 }   # key numbers, or "free" / "never"
//! size = 31                           # bytes
//! content = { source = "access_control_id", base = 1234500000000000, width = 62 }
//! ```
//!
//! Content sources (§2.4): `access_control_id { base, width }` = the card's sequence number plus `base`,
//! left-padded with zeros to `width` decimal digits (even) and written as hex digits, two per byte;
//! `escn` = the European Student Card number as 16 binary bytes; `csn_at { domain }` = `"<csn>@<domain>"` in
//! ASCII, CSN in lower-case hex; `crous_number` = the CROUS card number, zero-padded to fill the file and
//! written as hex digits like the access-control id; `hex { value }` = fixed bytes; `empty` = nothing
//! written. A file is created with free access, written, then locked to its access rights (§3.1 steps 5–7).

use std::collections::BTreeSet;
use std::path::Path;

use crate::nfc::desfire::commands::{AccessRight, AccessRights, Aid, ChangeKeyAccess, KeySettings};
use crate::nfc::desfire::crypto::KeyType;
use crate::nfc::desfire::session::CommMode;

#[path = "profile_raw.rs"]
mod raw;

/// The profile shipped with Guichet: ESUP's default layout (desfire.md §2.3).
pub const ESUP_DEFAULT: &str = include_str!("../../assets/nfc/esup-default.toml");

/// What is wrong with a profile, or why a file's content cannot be made. `field` names the place in the
/// profile, e.g. `application[2].file[0].size`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("cannot read {path}: {message}")]
    Io { path: String, message: String },
    #[error("TOML error (line {line:?}): {message}")]
    Syntax {
        line: Option<usize>,
        message: String,
    },
    #[error("{field}: {value:?} is not {expected}")]
    BadValue {
        field: String,
        value: String,
        expected: &'static str,
    },
    #[error("the profile has no application")]
    NoApplication,
    #[error("{field}: AID 000000 is the PICC level, not an application")]
    ReservedAid { field: String },
    #[error("application {aid} appears twice")]
    DuplicateAid { aid: String },
    #[error("{field}: file {number} appears twice")]
    DuplicateFile { field: String, number: u8 },
    #[error("{field}: {count} keys (1 to 14 allowed)")]
    KeyCount { field: String, count: usize },
    #[error("{field}: key {key} does not exist (the application has {count} keys)")]
    KeyOutOfRange {
        field: String,
        key: u8,
        count: usize,
    },
    #[error("{field}: file number {number} (0 to 31 allowed)")]
    FileNumber { field: String, number: u8 },
    #[error("{field}: file size {size} (1 to 16777215 allowed)")]
    FileSize { field: String, size: u32 },
    #[error("{field}: the content needs {needed} bytes, the file has {size}")]
    ContentTooLarge {
        field: String,
        needed: usize,
        size: u32,
    },
    #[error("{field}: an ISO id or name needs an application with an ISO id")]
    IsoWithoutFid { field: String },
    #[error("{field}: empty key name")]
    EmptyKeyName { field: String },
    #[error("picc: change_key_last needs a master_key")]
    ChangeLastWithoutKey,
    #[error("{field}: width {width} must be even, 2 to 64")]
    Width { field: String, width: usize },
    #[error("the card facts have no {fact:?}")]
    MissingFact { fact: Fact },
    #[error("{value:?} is not an ESCN (a UUID)")]
    BadEscn { value: String },
    #[error("number {number} does not fit in {digits} digits")]
    NumberTooLong { number: String, digits: usize },
}

/// A fact about the card or its holder that a content source needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    Csn,
    Escn,
    CrousNumber,
    AccessId,
}

/// A key of the keyring, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRef {
    pub name: String,
    pub version: u8,
    /// AN10922-diversified from the CSN (desfire.md §7).
    pub diversified: bool,
}

/// Card-level settings (desfire.md §2.1 "Tag").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiccProfile {
    /// `None`: the factory key (all zeros) of `key_type`.
    pub master_key: Option<KeyRef>,
    pub key_type: KeyType,
    /// The card arrives with its factory DES key and `master_key` is set last (§3.1 step 9).
    pub change_key_last: bool,
    pub format_before_write: bool,
    pub random_uid: bool,
}

/// Where a file's content comes from (desfire.md §2.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    AccessControlId { base: u64, width: usize },
    Escn,
    CsnAt { domain: String },
    CrousNumber,
    Hex(Vec<u8>),
    Empty,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProfile {
    pub number: u8,
    pub iso_fid: Option<u16>,
    pub comm_mode: CommMode,
    pub access: AccessRights,
    pub size: u32,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppProfile {
    pub name: String,
    pub aid: Aid,
    /// ISO DF id and DF name.
    pub iso: Option<(u16, Vec<u8>)>,
    pub key_settings: KeySettings,
    pub key_type: KeyType,
    /// Key `n` is `keys[n]`.
    pub keys: Vec<KeyRef>,
    pub files: Vec<FileProfile>,
}

/// A validated encoding profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub picc: PiccProfile,
    pub applications: Vec<AppProfile>,
}

/// What the encoder knows about the card and its holder when it fills the files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardFacts {
    /// The card serial number (UID) as read.
    pub csn: Vec<u8>,
    /// The ESCN, in its UUID text form.
    pub escn: Option<String>,
    /// The CROUS card number, decimal digits.
    pub crous_number: Option<String>,
    /// The card's access-control sequence number (added to the profile's base).
    pub access_id: Option<u64>,
}

/// Most decimal digits of an `access_control_id` (ESUP's default `desfireFileLength`, §2.4).
const MAX_WIDTH: usize = 64;
/// CSN length assumed when checking `csn_at` against the file size (a 7-byte NXP UID, §8).
const CSN_LEN: usize = 7;

impl Profile {
    /// Parses and validates a profile.
    pub fn parse(text: &str) -> Result<Profile, ProfileError> {
        let raw: raw::RawProfile = toml::from_str(text).map_err(|e| ProfileError::Syntax {
            line: e
                .span()
                .and_then(|s| text.get(..s.start))
                .map(|before| before.matches('\n').count() + 1),
            message: e.message().to_string(),
        })?;
        let profile = raw.into_profile()?;
        profile.validate()?;
        Ok(profile)
    }

    /// Reads and validates a profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Profile::parse(&text)
    }

    /// The built-in ESUP default profile ([`ESUP_DEFAULT`]).
    pub fn esup_default() -> Result<Profile, ProfileError> {
        Profile::parse(ESUP_DEFAULT)
    }

    fn validate(&self) -> Result<(), ProfileError> {
        if let Some(key) = &self.picc.master_key {
            check_diversifiable("picc", key, self.picc.key_type)?;
        }
        if self.picc.change_key_last && self.picc.master_key.is_none() {
            return Err(ProfileError::ChangeLastWithoutKey);
        }
        if self.applications.is_empty() {
            return Err(ProfileError::NoApplication);
        }
        let mut aids = BTreeSet::new();
        for (i, app) in self.applications.iter().enumerate() {
            let field = format!("application[{i}]");
            if app.aid == Aid::PICC {
                return Err(ProfileError::ReservedAid { field });
            }
            if !aids.insert(app.aid) {
                return Err(ProfileError::DuplicateAid {
                    aid: app.aid.to_string(),
                });
            }
            app.validate(&field)?;
        }
        Ok(())
    }

    /// Names of the keys the profile uses that the keyring lacks (`has` answers for one name), each once.
    pub fn missing_keys(&self, has: &dyn Fn(&str) -> bool) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let names = self
            .picc
            .master_key
            .iter()
            .chain(self.applications.iter().flat_map(|a| a.keys.iter()))
            .map(|k| k.name.as_str());
        names
            .filter(|n| !has(n) && seen.insert(*n))
            .map(str::to_string)
            .collect()
    }

    /// The content to write in `file` for this card (§2.4); never longer than the file.
    pub fn content_for(file: &FileProfile, facts: &CardFacts) -> Result<Vec<u8>, ProfileError> {
        let bytes = match &file.content {
            Content::AccessControlId { base, width } => {
                let seq = facts.access_id.ok_or(ProfileError::MissingFact {
                    fact: Fact::AccessId,
                })?;
                let n = base.checked_add(seq).ok_or(ProfileError::NumberTooLong {
                    number: format!("{base} + {seq}"),
                    digits: *width,
                })?;
                packed_digits(&n.to_string(), *width)?
            }
            Content::Escn => {
                let escn = facts
                    .escn
                    .as_deref()
                    .ok_or(ProfileError::MissingFact { fact: Fact::Escn })?;
                parse_uuid(escn).ok_or_else(|| ProfileError::BadEscn {
                    value: escn.to_string(),
                })?
            }
            Content::CsnAt { domain } => {
                if facts.csn.is_empty() {
                    return Err(ProfileError::MissingFact { fact: Fact::Csn });
                }
                let csn: String = facts.csn.iter().map(|b| format!("{b:02x}")).collect();
                format!("{csn}@{domain}").into_bytes()
            }
            Content::CrousNumber => {
                let number = facts
                    .crous_number
                    .as_deref()
                    .ok_or(ProfileError::MissingFact {
                        fact: Fact::CrousNumber,
                    })?;
                let digits = usize::try_from(file.size)
                    .unwrap_or(usize::MAX)
                    .saturating_mul(2);
                packed_digits(number, digits.min(2 * MAX_WIDTH))?
            }
            Content::Hex(b) => b.clone(),
            Content::Empty => Vec::new(),
        };
        if bytes.len() > usize::try_from(file.size).unwrap_or(usize::MAX) {
            return Err(ProfileError::ContentTooLarge {
                field: format!("file {}", file.number),
                needed: bytes.len(),
                size: file.size,
            });
        }
        Ok(bytes)
    }

    /// APDUs ESUP's `writeCard` exchanges for this profile on a fresh card, counted from the steps of
    /// desfire.md §3.1, for comparison with Guichet's own count. Each "select + authenticate" is 3 APDUs
    /// (SelectApplication, Authenticate part 1, part 2; the check of part 3 sends nothing):
    /// 1. format (if asked): select + authenticate + FormatPICC = 4;
    /// 2. per application, CreateApplication after a PICC select + authenticate = 4;
    /// 3. change key 0: select + authenticate with the default key + ChangeKey = 4;
    /// 4. keys 1..n−1: select + authenticate with the new key 0, then one ChangeKey each = 3 + (n − 1);
    /// 5. per file, CreateStdDataFile after select + authenticate = 4;
    /// 6. per file with content, WriteData after select + authenticate: 3 + its frames (the first carries
    ///    47 data bytes, the next ones 54, `apdu::MAX_COMMAND_FRAME`);
    /// 7. per file, ChangeFileSettings after select + authenticate = 4;
    /// 9. new PICC master key (if `change_key_last`): select + authenticate + ChangeKey = 4.
    ///
    /// The reading "every step starts with select + authenticate", per file, is ours (§3.1 says "almost
    /// every step"); DAM keys (step 10) are not counted. Content lengths are those of [`Self::content_for`]
    /// with a 7-byte CSN.
    pub fn esup_write_apdu_count(&self) -> u32 {
        const SELECT_AUTH: u32 = 3;
        let mut n = 0;
        if self.picc.format_before_write {
            n += SELECT_AUTH + 1;
        }
        for app in &self.applications {
            n += SELECT_AUTH + 1;
            n += SELECT_AUTH + 1;
            let keys = u32::try_from(app.keys.len()).unwrap_or(u32::MAX);
            if keys > 1 {
                n += SELECT_AUTH + keys - 1;
            }
            for file in &app.files {
                n += SELECT_AUTH + 1;
                let len = static_len(file);
                if len > 0 {
                    let first = crate::nfc::apdu::MAX_COMMAND_FRAME - 7;
                    let more = len
                        .saturating_sub(first)
                        .div_ceil(crate::nfc::apdu::MAX_COMMAND_FRAME);
                    n += SELECT_AUTH + 1 + u32::try_from(more).unwrap_or(u32::MAX);
                }
                n += SELECT_AUTH + 1;
            }
        }
        if self.picc.change_key_last {
            n += SELECT_AUTH + 1;
        }
        n
    }
}

impl AppProfile {
    fn validate(&self, field: &str) -> Result<(), ProfileError> {
        let count = self.keys.len();
        if count == 0 || count > 14 {
            return Err(ProfileError::KeyCount {
                field: format!("{field}.keys"),
                count,
            });
        }
        for (k, key) in self.keys.iter().enumerate() {
            if key.name.trim().is_empty() {
                return Err(ProfileError::EmptyKeyName {
                    field: format!("{field}.keys[{k}]"),
                });
            }
            check_diversifiable(&format!("{field}.keys[{k}]"), key, self.key_type)?;
        }
        if let ChangeKeyAccess::Key(key) = self.key_settings.change_key
            && usize::from(key) >= count
        {
            return Err(ProfileError::KeyOutOfRange {
                field: format!("{field}.key_settings"),
                key,
                count,
            });
        }
        let mut numbers = BTreeSet::new();
        for (f, file) in self.files.iter().enumerate() {
            let field = format!("{field}.file[{f}]");
            if file.number > 31 {
                return Err(ProfileError::FileNumber {
                    field,
                    number: file.number,
                });
            }
            if !numbers.insert(file.number) {
                return Err(ProfileError::DuplicateFile {
                    field,
                    number: file.number,
                });
            }
            if file.iso_fid.is_some() && self.iso.is_none() {
                return Err(ProfileError::IsoWithoutFid { field });
            }
            if file.size == 0 || file.size > 0x00FF_FFFF {
                return Err(ProfileError::FileSize {
                    field: format!("{field}.size"),
                    size: file.size,
                });
            }
            let a = file.access;
            for (name, right) in [
                ("read", a.read),
                ("write", a.write),
                ("read_write", a.read_write),
                ("change", a.change),
            ] {
                if let AccessRight::Key(key) = right
                    && usize::from(key) >= count
                {
                    return Err(ProfileError::KeyOutOfRange {
                        field: format!("{field}.access.{name}"),
                        key,
                        count,
                    });
                }
            }
            if let Content::AccessControlId { width, .. } = file.content
                && (width == 0 || width % 2 != 0 || width > MAX_WIDTH)
            {
                return Err(ProfileError::Width {
                    field: format!("{field}.content.width"),
                    width,
                });
            }
            let needed = static_len(file);
            if needed > usize::try_from(file.size).unwrap_or(usize::MAX) {
                return Err(ProfileError::ContentTooLarge {
                    field: format!("{field}.content"),
                    needed,
                    size: file.size,
                });
            }
        }
        Ok(())
    }
}

/// AN10922 defines AES, 2K3DES and 3K3DES diversification only (desfire.md §7), not single DES.
fn check_diversifiable(field: &str, key: &KeyRef, kind: KeyType) -> Result<(), ProfileError> {
    if key.diversified && kind == KeyType::Des {
        return Err(ProfileError::BadValue {
            field: format!("{field}.diversified"),
            value: "true".into(),
            expected: "false for a single-DES key (AN10922 has no DES variant)",
        });
    }
    Ok(())
}

/// The length of a file's content known from the profile alone (`csn_at` with a 7-byte CSN).
fn static_len(file: &FileProfile) -> usize {
    match &file.content {
        Content::AccessControlId { width, .. } => width / 2,
        Content::Escn => 16,
        Content::CsnAt { domain } => 2 * CSN_LEN + 1 + domain.len(),
        Content::CrousNumber => usize::try_from(file.size)
            .unwrap_or(usize::MAX)
            .min(MAX_WIDTH),
        Content::Hex(b) => b.len(),
        Content::Empty => 0,
    }
}

/// Decimal digits left-padded with `0` to `width` (even) and packed two per byte, as ESUP writes ids
/// "as hex" (§2.4): `"1234"` → `12 34`.
fn packed_digits(number: &str, width: usize) -> Result<Vec<u8>, ProfileError> {
    let too_long = || ProfileError::NumberTooLong {
        number: number.to_string(),
        digits: width,
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ProfileError::BadValue {
            field: "card number".into(),
            value: number.to_string(),
            expected: "decimal digits",
        });
    }
    if number.len() > width {
        return Err(too_long());
    }
    let padded = format!("{number:0>width$}");
    Ok(padded
        .as_bytes()
        .chunks(2)
        .map(|p| match p {
            [a, b] => ((a - b'0') << 4) | (b - b'0'),
            [a] => (a - b'0') << 4,
            _ => 0,
        })
        .collect())
}

/// A UUID in its 8-4-4-4-12 text form as 16 bytes.
fn parse_uuid(s: &str) -> Option<Vec<u8>> {
    let groups: Vec<&str> = s.split('-').collect();
    if groups.iter().map(|g| g.len()).collect::<Vec<_>>() != [8, 4, 4, 4, 12] {
        return None;
    }
    raw::parse_hex(&groups.concat())
}

#[path = "profile_describe.rs"]
mod describe;

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
