//! The profile as TOML gives it (serde), and its conversion to typed values with the field named on error.

use serde::Deserialize;

use super::{
    AccessRight, AccessRights, Aid, AppProfile, CommMode, Content, FileProfile, KeyRef,
    KeySettings, KeyType, PiccProfile, Profile, ProfileError,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    name: String,
    picc: RawPicc,
    #[serde(default)]
    application: Vec<RawApp>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPicc {
    master_key: Option<String>,
    key_type: String,
    #[serde(default)]
    diversified: bool,
    #[serde(default)]
    version: u8,
    #[serde(default)]
    change_key_last: bool,
    #[serde(default)]
    format_before_write: bool,
    #[serde(default)]
    random_uid: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    name: String,
    #[serde(default)]
    version: u8,
    #[serde(default)]
    diversified: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApp {
    #[serde(default)]
    name: String,
    aid: String,
    iso_fid: Option<String>,
    iso_name: Option<String>,
    key_settings: String,
    key_type: String,
    keys: Vec<RawKey>,
    #[serde(default)]
    file: Vec<RawFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    number: u8,
    iso_fid: Option<String>,
    comm_mode: String,
    access: RawAccess,
    size: u32,
    content: RawContent,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccess {
    read: RawRight,
    write: RawRight,
    read_write: RawRight,
    change: RawRight,
}

/// A key number or `"free"` / `"never"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawRight {
    Key(u8),
    Word(String),
}

#[derive(Debug, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case", deny_unknown_fields)]
enum RawContent {
    AccessControlId { base: u64, width: usize },
    Escn,
    CsnAt { domain: String },
    CrousNumber,
    Hex { value: String },
    Empty,
}

/// Hex digits (spaces allowed) to bytes; `None` on anything else.
pub(super) fn parse_hex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| {
            std::str::from_utf8(p)
                .ok()
                .and_then(|t| u8::from_str_radix(t, 16).ok())
        })
        .collect()
}

fn bad(field: &str, value: &str, expected: &'static str) -> ProfileError {
    ProfileError::BadValue {
        field: field.to_string(),
        value: value.to_string(),
        expected,
    }
}

fn key_type(field: &str, s: &str) -> Result<KeyType, ProfileError> {
    match s.to_ascii_lowercase().as_str() {
        "des" => Ok(KeyType::Des),
        "2k3des" => Ok(KeyType::TwoKey3Des),
        "3k3des" => Ok(KeyType::ThreeKey3Des),
        "aes" => Ok(KeyType::Aes128),
        _ => Err(bad(field, s, "des, 2k3des, 3k3des or aes")),
    }
}

fn fid(field: &str, s: &str) -> Result<u16, ProfileError> {
    match parse_hex(s).as_deref() {
        Some([a, b]) => Ok(u16::from_be_bytes([*a, *b])),
        _ => Err(bad(field, s, "an ISO id of 4 hex digits")),
    }
}

fn right(field: &str, r: &RawRight) -> Result<AccessRight, ProfileError> {
    match r {
        RawRight::Key(k) if *k <= 0x0D => Ok(AccessRight::Key(*k)),
        RawRight::Key(k) => Err(bad(field, &k.to_string(), "a key number 0 to 13")),
        RawRight::Word(w) => match w.to_ascii_lowercase().as_str() {
            "free" => Ok(AccessRight::Free),
            "never" => Ok(AccessRight::Never),
            _ => Err(bad(field, w, "a key number, \"free\" or \"never\"")),
        },
    }
}

impl RawProfile {
    pub(super) fn into_profile(self) -> Result<Profile, ProfileError> {
        let p = self.picc;
        let picc = PiccProfile {
            master_key: p.master_key.map(|name| KeyRef {
                name,
                version: p.version,
                diversified: p.diversified,
            }),
            key_type: key_type("picc.key_type", &p.key_type)?,
            change_key_last: p.change_key_last,
            format_before_write: p.format_before_write,
            random_uid: p.random_uid,
        };
        let applications = self
            .application
            .into_iter()
            .enumerate()
            .map(|(i, a)| a.into_app(&format!("application[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(Profile {
            name: self.name,
            picc,
            applications,
        })
    }
}

impl RawApp {
    fn into_app(self, field: &str) -> Result<AppProfile, ProfileError> {
        let aid = Aid::parse_hex(&self.aid)
            .ok_or_else(|| bad(&format!("{field}.aid"), &self.aid, "an AID of 6 hex digits"))?;
        let iso = match (&self.iso_fid, &self.iso_name) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(ProfileError::IsoWithoutFid {
                    field: format!("{field}.iso_name"),
                });
            }
            (Some(f), name) => {
                let name = match name {
                    None => Vec::new(),
                    Some(n) => parse_hex(n).filter(|b| b.len() <= 16).ok_or_else(|| {
                        bad(&format!("{field}.iso_name"), n, "at most 16 bytes in hex")
                    })?,
                };
                Some((fid(&format!("{field}.iso_fid"), f)?, name))
            }
        };
        let key_settings = match parse_hex(&self.key_settings).as_deref() {
            Some([b]) => KeySettings::decode(*b),
            _ => {
                return Err(bad(
                    &format!("{field}.key_settings"),
                    &self.key_settings,
                    "one byte in hex (e.g. 0B)",
                ));
            }
        };
        let files = self
            .file
            .into_iter()
            .enumerate()
            .map(|(f, file)| file.into_file(&format!("{field}.file[{f}]")))
            .collect::<Result<_, _>>()?;
        Ok(AppProfile {
            name: self.name,
            aid,
            iso,
            key_settings,
            key_type: key_type(&format!("{field}.key_type"), &self.key_type)?,
            keys: self
                .keys
                .into_iter()
                .map(|k| KeyRef {
                    name: k.name,
                    version: k.version,
                    diversified: k.diversified,
                })
                .collect(),
            files,
        })
    }
}

impl RawFile {
    fn into_file(self, field: &str) -> Result<FileProfile, ProfileError> {
        let comm_mode = match self.comm_mode.to_ascii_lowercase().as_str() {
            "plain" => CommMode::Plain,
            "maced" => CommMode::Mac,
            "enciphered" => CommMode::Full,
            _ => {
                return Err(bad(
                    &format!("{field}.comm_mode"),
                    &self.comm_mode,
                    "plain, maced or enciphered",
                ));
            }
        };
        let a = &self.access;
        let access = AccessRights {
            read: right(&format!("{field}.access.read"), &a.read)?,
            write: right(&format!("{field}.access.write"), &a.write)?,
            read_write: right(&format!("{field}.access.read_write"), &a.read_write)?,
            change: right(&format!("{field}.access.change"), &a.change)?,
        };
        let content = match self.content {
            RawContent::AccessControlId { base, width } => Content::AccessControlId { base, width },
            RawContent::Escn => Content::Escn,
            RawContent::CsnAt { domain } => Content::CsnAt { domain },
            RawContent::CrousNumber => Content::CrousNumber,
            RawContent::Hex { value } => Content::Hex(
                parse_hex(&value)
                    .ok_or_else(|| bad(&format!("{field}.content.value"), &value, "hex bytes"))?,
            ),
            RawContent::Empty => Content::Empty,
        };
        Ok(FileProfile {
            number: self.number,
            iso_fid: self
                .iso_fid
                .map(|f| fid(&format!("{field}.iso_fid"), &f))
                .transpose()?,
            comm_mode,
            access,
            size: self.size,
            content,
        })
    }
}
