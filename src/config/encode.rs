//! Encoding settings: the profile, the reader, whether cards are enabled right after encoding, and the
//! virtual reader for training. The keys themselves are secrets (`nfc::keys`, OS keyring).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::nfc::profile::{Profile, ProfileError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodeConfig {
    /// The encoding profile (TOML file, format in `nfc/profile.rs` and the README). Absent: the built-in
    /// ESUP default layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<PathBuf>,
    /// The reader the Desk and Production encode on. Absent: the first reader with a card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader: Option<String>,
    /// Move a card to ENABLED right after a successful encoding (crous-escr.md §1: ENCODED → ENABLED).
    #[serde(default = "yes")]
    pub auto_enable: bool,
    /// Offer the virtual reader with the software DESFire card (training, demonstrations).
    #[serde(default = "yes")]
    pub virtual_reader: bool,
}

fn yes() -> bool {
    true
}

impl Default for EncodeConfig {
    fn default() -> Self {
        EncodeConfig {
            profile: None,
            reader: None,
            auto_enable: true,
            virtual_reader: true,
        }
    }
}

impl EncodeConfig {
    /// The configured profile, or the built-in default. A relative path is taken from `base` (the data
    /// directory).
    pub fn load_profile(&self, base: &Path) -> Result<Profile, ProfileError> {
        match self
            .profile
            .as_deref()
            .filter(|p| !p.as_os_str().is_empty())
        {
            Some(p) if p.is_relative() => Profile::load(&base.join(p)),
            Some(p) => Profile::load(p),
            None => Profile::esup_default(),
        }
    }
}
