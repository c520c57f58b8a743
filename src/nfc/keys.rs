//! The DESFire keys of the encoding profile. They live only in the OS keyring, as one secret
//! ([`Secret::DesfireKeys`], or `GUICHET_DESFIRE_KEYS` for headless runs): a small text of `name = hex`
//! lines, the names being those the profile gives its keys (`nfc/profile.rs`). Keys are imported once,
//! from a file in that format or typed one by one, and are shown only by type, version and key check
//! value ([`Key::check_value`]), never by value.
//!
//! Key file format (UTF-8; `#` starts a comment; blank lines are ignored):
//!
//! ```text
//! # AES keys of the institution application
//! esup-f585c0-key0 = 00112233445566778899AABBCCDDEEFF
//! esup-f585c0-key1 = 0011 2233 4455 6677 8899 AABB CCDD EEFF   # spaces and colons are allowed
//! ```
//!
//! A key's type and version come from the profile, not from the file: the same bytes are an AES key in one
//! application and a 2K3DES key in another.

use std::collections::BTreeMap;
use std::path::Path;

use zeroize::{Zeroize, Zeroizing};

use crate::nfc::desfire::DesfireError;
use crate::nfc::desfire::crypto::{Key, KeyType, diversify_3des, diversify_aes128};
use crate::nfc::profile::{KeyRef, Profile};
use crate::secrets::{self, Secret, SecretError};

/// Longest key name accepted.
const MAX_NAME: usize = 64;

/// What is wrong with a key file, a typed key or the stored key set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeysError {
    /// A line is not `name = hex`.
    #[error("line {line}: expected `name = hexadecimal key`")]
    Syntax { line: usize },
    /// A key name with characters other than letters, digits, `-`, `_` and `.`, or too long.
    #[error("line {line}: {name:?} is not a valid key name")]
    BadName { line: usize, name: String },
    /// The value is not hexadecimal (the value itself is never repeated).
    #[error("line {line}: the value of {name} is not hexadecimal")]
    BadHex { line: usize, name: String },
    /// The value is not 8, 16 or 24 bytes long.
    #[error("line {line}: {name} is {len} bytes long (8, 16 or 24 expected)")]
    BadLength {
        line: usize,
        name: String,
        len: usize,
    },
    /// The same name twice in one file.
    #[error("line {line}: {name} appears twice")]
    Duplicate { line: usize, name: String },
    /// A key file cannot be read.
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    /// The file has no key at all.
    #[error("no key in the file")]
    Empty,
    /// The profile names a key the keyring lacks.
    #[error("key {0} is not in the keyring")]
    Missing(String),
    /// The stored bytes do not fit the key type the profile gives the key.
    #[error("key {name} is {got} bytes long; a {kind} key is {expected}")]
    WrongType {
        name: String,
        kind: &'static str,
        expected: usize,
        got: usize,
    },
    /// Diversification failed (input length).
    #[error("key {name} cannot be diversified: {message}")]
    Diversify { name: String, message: String },
    /// The keyring could not be read or written: the message, already in the user's language (it names
    /// the environment variable headless runs can use instead).
    #[error("{0}")]
    Secret(String),
}

impl From<SecretError> for KeysError {
    fn from(e: SecretError) -> KeysError {
        KeysError::Secret(crate::ui_text::secret_error(
            &e,
            Secret::DesfireKeys.env_var(),
        ))
    }
}

/// A set of named keys. `Debug` shows names only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct KeySet {
    keys: BTreeMap<String, Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("names", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// How a profile key stands in the keyring, for display (Settings → Encoding, `guichet nfc keys`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// Where the profile uses the key: `picc` or the application's AID and the key number.
    pub place: String,
    pub name: String,
    pub kind: KeyType,
    pub version: u8,
    pub diversified: bool,
    pub state: KeyState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// In the keyring, with its key check value (of the base key when diversified).
    Present {
        check_value: [u8; 3],
    },
    Missing,
    /// In the keyring but of the wrong length for the profile's key type.
    WrongLength {
        got: usize,
    },
}

impl KeySet {
    /// Parses a key file (module comment). Nothing is kept if any line is wrong.
    pub fn parse(text: &str) -> Result<KeySet, KeysError> {
        let mut keys = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let (name, value) = content.split_once('=').ok_or(KeysError::Syntax { line })?;
            let name = name.trim();
            let bytes = parse_entry(line, name, value)?;
            if keys.insert(name.to_string(), bytes).is_some() {
                return Err(KeysError::Duplicate {
                    line,
                    name: name.to_string(),
                });
            }
        }
        if keys.is_empty() {
            return Err(KeysError::Empty);
        }
        Ok(KeySet { keys })
    }

    /// The key set in the file format, for the keyring.
    fn to_text(&self) -> Zeroizing<String> {
        let mut out = String::new();
        for (name, bytes) in &self.keys {
            out.push_str(name);
            out.push_str(" = ");
            for b in bytes.iter() {
                out.push_str(&format!("{b:02X}"));
            }
            out.push('\n');
        }
        Zeroizing::new(out)
    }

    /// The keys stored in the keyring (an empty set when there are none).
    pub fn load() -> Result<KeySet, KeysError> {
        match secrets::get(Secret::DesfireKeys)? {
            Some(mut text) => {
                let set = KeySet::parse(&text);
                text.zeroize();
                set
            }
            None => Ok(KeySet::default()),
        }
    }

    /// Replaces the stored key set with this one.
    pub fn save(&self) -> Result<(), KeysError> {
        if self.keys.is_empty() {
            secrets::delete(Secret::DesfireKeys)?;
            return Ok(());
        }
        secrets::set(Secret::DesfireKeys, &self.to_text())?;
        Ok(())
    }

    /// Loads the stored set, applies `change` and stores the result; nothing is stored when `change` fails.
    pub fn modify<T>(
        change: impl FnOnce(&mut KeySet) -> Result<T, KeysError>,
    ) -> Result<T, KeysError> {
        let mut set = KeySet::load()?;
        let out = change(&mut set)?;
        set.save()?;
        Ok(out)
    }

    /// Imports a key file into the keyring (names already there are replaced); returns the names
    /// imported. Nothing is stored if a line is wrong.
    pub fn import_file(path: &Path) -> Result<Vec<String>, KeysError> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| KeysError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?);
        let file = KeySet::parse(&text)?;
        KeySet::modify(|set| Ok(set.merge(file)))
    }

    /// Adds (or replaces) the keys of `other`; returns the names added or replaced.
    pub fn merge(&mut self, other: KeySet) -> Vec<String> {
        let names: Vec<String> = other.keys.keys().cloned().collect();
        self.keys.extend(other.keys);
        names
    }

    /// Adds or replaces one typed key (`value` in hex, spaces and colons allowed).
    pub fn insert_typed(&mut self, name: &str, value: &str) -> Result<(), KeysError> {
        let bytes = parse_entry(1, name.trim(), value)?;
        self.keys.insert(name.trim().to_string(), bytes);
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> bool {
        self.keys.remove(name).is_some()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.keys.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The base key `r` names, typed `kind`, with the profile's version (not diversified).
    pub fn base_key(&self, r: &KeyRef, kind: KeyType) -> Result<Key, KeysError> {
        let bytes = self
            .keys
            .get(&r.name)
            .ok_or_else(|| KeysError::Missing(r.name.clone()))?;
        Key::with_version(kind, bytes, r.version).map_err(|_| KeysError::WrongType {
            name: r.name.clone(),
            kind: kind.name(),
            expected: kind.key_len(),
            got: bytes.len(),
        })
    }

    /// The key to use on a card: the base key, AN10922-diversified from `uid` when the profile says so
    /// (desfire.md §7), with the profile's version.
    pub fn card_key(&self, r: &KeyRef, kind: KeyType, uid: &[u8]) -> Result<Key, KeysError> {
        let base = self.base_key(r, kind)?;
        if !r.diversified {
            return Ok(base);
        }
        let fail = |e: DesfireError| KeysError::Diversify {
            name: r.name.clone(),
            message: e.to_string(),
        };
        let mut key = match kind {
            KeyType::Aes128 => diversify_aes128(&base, uid).map_err(fail)?,
            _ => diversify_3des(&base, kind, uid).map_err(fail)?,
        };
        key.set_version(r.version);
        Ok(key)
    }

    /// Every key of `profile` with its state in this set, in profile order.
    pub fn describe(&self, profile: &Profile) -> Vec<KeyInfo> {
        let mut out = Vec::new();
        let mut push = |place: String, r: &KeyRef, kind: KeyType| {
            let state = match self.keys.get(&r.name) {
                None => KeyState::Missing,
                Some(b) => match Key::new(kind, b) {
                    Ok(k) => KeyState::Present {
                        check_value: k.check_value(),
                    },
                    Err(_) => KeyState::WrongLength { got: b.len() },
                },
            };
            out.push(KeyInfo {
                place,
                name: r.name.clone(),
                kind,
                version: r.version,
                diversified: r.diversified,
                state,
            });
        };
        if let Some(r) = &profile.picc.master_key {
            push("PICC".into(), r, profile.picc.key_type);
        }
        for app in &profile.applications {
            for (n, r) in app.keys.iter().enumerate() {
                push(format!("{} #{n}", app.aid), r, app.key_type);
            }
        }
        out
    }

    /// Whether every key of `profile` is present with the right length.
    pub fn covers(&self, profile: &Profile) -> Result<(), KeysError> {
        for info in self.describe(profile) {
            match info.state {
                KeyState::Present { .. } => {}
                KeyState::Missing => return Err(KeysError::Missing(info.name)),
                KeyState::WrongLength { got } => {
                    return Err(KeysError::WrongType {
                        name: info.name,
                        kind: info.kind.name(),
                        expected: info.kind.key_len(),
                        got,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Checks a name and parses a hex value into key bytes.
fn parse_entry(line: usize, name: &str, value: &str) -> Result<Zeroizing<Vec<u8>>, KeysError> {
    let name_ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !name_ok {
        return Err(KeysError::BadName {
            line,
            name: name.chars().take(MAX_NAME).collect(),
        });
    }
    let digits: Zeroizing<Vec<u8>> = Zeroizing::new(
        value
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'\t' | b':'))
            .collect(),
    );
    let bad_hex = || KeysError::BadHex {
        line,
        name: name.to_string(),
    };
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return Err(bad_hex());
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(digits.len() / 2));
    for pair in digits.chunks_exact(2) {
        let hi = (pair[0] as char).to_digit(16).ok_or_else(bad_hex)?;
        let lo = (pair[1] as char).to_digit(16).ok_or_else(bad_hex)?;
        bytes.push(u8::try_from(hi * 16 + lo).map_err(|_| bad_hex())?);
    }
    if !matches!(bytes.len(), 8 | 16 | 24) {
        return Err(KeysError::BadLength {
            line,
            name: name.to_string(),
            len: bytes.len(),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# test keys\n\
        a-key0 = 00112233445566778899AABBCCDDEEFF\n\
        \n\
        b.key1 = 00:11:22:33:44:55:66:77   # a DES key\n";

    #[test]
    fn parse_and_text_round_trip() {
        let set = KeySet::parse(FILE).unwrap();
        assert_eq!(set.names().collect::<Vec<_>>(), ["a-key0", "b.key1"]);
        let again = KeySet::parse(&set.to_text()).unwrap();
        assert_eq!(again, set);
        assert!(!format!("{set:?}").contains("0011"), "Debug shows no value");
    }

    #[test]
    fn errors_name_the_line_and_never_the_value() {
        let cases = [
            (
                "k = 0011",
                KeysError::BadLength {
                    line: 1,
                    name: "k".into(),
                    len: 2,
                },
            ),
            ("\nk 00112233", KeysError::Syntax { line: 2 }),
            (
                "k = 00112233445566ZZ",
                KeysError::BadHex {
                    line: 1,
                    name: "k".into(),
                },
            ),
            (
                "k = 001",
                KeysError::BadHex {
                    line: 1,
                    name: "k".into(),
                },
            ),
            (
                "bad name = 0011223344556677",
                KeysError::BadName {
                    line: 1,
                    name: "bad name".into(),
                },
            ),
            (
                "k = 0011223344556677\nk = 0011223344556677",
                KeysError::Duplicate {
                    line: 2,
                    name: "k".into(),
                },
            ),
            ("# nothing\n", KeysError::Empty),
        ];
        for (text, want) in cases {
            let got = KeySet::parse(text).unwrap_err();
            assert_eq!(got, want, "{text:?}");
            assert!(!got.to_string().contains("ZZ"));
        }
    }

    #[test]
    fn typed_keys_and_profile_coverage() {
        let profile = Profile::esup_default().unwrap();
        let mut set = KeySet::default();
        assert_eq!(
            set.covers(&profile),
            Err(KeysError::Missing("esup-f585c0-key0".into()))
        );
        for app in &profile.applications {
            for k in &app.keys {
                set.insert_typed(&k.name, "000102030405060708090A0B0C0D0E0F")
                    .unwrap();
            }
        }
        set.covers(&profile).unwrap();
        let infos = set.describe(&profile);
        assert_eq!(infos.len(), 12);
        assert_eq!(infos[0].place, "F585C0 #0");
        assert_eq!(infos[0].version, 1);
        assert!(matches!(infos[0].state, KeyState::Present { .. }));
        // A DES-length value where the profile wants AES.
        set.insert_typed("esup-f58540-key3", "0001020304050607")
            .unwrap();
        assert!(matches!(
            set.covers(&profile),
            Err(KeysError::WrongType { got: 8, .. })
        ));
    }

    #[test]
    fn diversified_card_key_differs_per_uid_and_keeps_the_version() {
        let mut set = KeySet::default();
        set.insert_typed("k", "00112233445566778899AABBCCDDEEFF")
            .unwrap();
        let r = KeyRef {
            name: "k".into(),
            version: 3,
            diversified: true,
        };
        let a = set
            .card_key(&r, KeyType::Aes128, &[4, 1, 2, 3, 4, 5, 6])
            .unwrap();
        let b = set
            .card_key(&r, KeyType::Aes128, &[4, 1, 2, 3, 4, 5, 7])
            .unwrap();
        assert_ne!(a.bytes(), b.bytes());
        assert_eq!(a.version(), 3);
        let plain = KeyRef {
            diversified: false,
            ..r
        };
        assert_eq!(
            set.card_key(&plain, KeyType::Aes128, &[1]).unwrap().bytes(),
            set.base_key(&plain, KeyType::Aes128).unwrap().bytes()
        );
    }

    #[test]
    fn keyring_round_trip_with_the_mock_store() {
        crate::secrets::use_mock_store();
        let set = KeySet::parse(FILE).unwrap();
        set.save().unwrap();
        assert_eq!(KeySet::load().unwrap(), set);
        KeySet::default().save().unwrap();
        assert!(KeySet::load().unwrap().is_empty());
    }
}
