//! The settings file (TOML): user preferences and non-secret configuration. Secrets never go here
//! (see `secrets.rs`). Keys are addressed with dots, as `guichet config get|set` and README show.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::store::cards::CardOptions;

mod encode;
mod print;
mod sdet;
mod services;
pub use encode::EncodeConfig;
pub use print::PrintConfig;
pub use sdet::SdetConfig;
pub use services::{
    CrousConfig, EscrConfig, QueueConfig, RuleSource, WritebackConfig, opted_in_by_default,
};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub ui: UiConfig,
    #[serde(default)]
    pub desk: DeskConfig,
    #[serde(default)]
    pub card: CardConfig,
    #[serde(default)]
    pub directory: DirectoryConfig,
    #[serde(default)]
    pub print: PrintConfig,
    #[serde(default)]
    pub encode: EncodeConfig,
    #[serde(default)]
    pub crous: CrousConfig,
    #[serde(default)]
    pub escr: EscrConfig,
    #[serde(default)]
    pub writeback: WritebackConfig,
    #[serde(default)]
    pub queue: QueueConfig,
    #[serde(default)]
    pub sdet: SdetConfig,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    /// `fr` (default) or `en`.
    #[serde(default)]
    pub language: Lang,
    /// `light` (default) or `dark`.
    #[serde(default)]
    pub theme: ThemeChoice,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    #[default]
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskConfig {
    /// The operator name recorded in card history and the audit log (default: the OS user name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// How many search results the Desk lists.
    #[serde(default = "default_results")]
    pub results_limit: usize,
}

fn default_results() -> usize {
    200
}

impl Default for DeskConfig {
    fn default() -> Self {
        DeskConfig {
            operator: None,
            results_limit: default_results(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardConfig {
    /// The institution's PIC (9-digit Participant Identification Code), needed for ESCNs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pic: Option<u32>,
    /// ESCN server prefix, 0 to 999 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escn_prefix: Option<u16>,
    /// What the QR code holds: `eppn` (default) or `escn` (`<qr_prefix><ESCN>`).
    #[serde(default)]
    pub qr: QrMode,
    /// URL prefix of ESCN QR codes (reference crous-escr.md §4.2): `http://esc.gg/` (default, production)
    /// or `http://pp.esc.gg/` (pre-production).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_prefix: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QrMode {
    #[default]
    Eppn,
    Escn,
}

/// The central directory (LDAP) the mirror follows. The bind password is a secret (keyring).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryConfig {
    /// `ldap://host[:port]` (StartTLS unless `tls = "none"`) or `ldaps://host[:port]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `starttls` (default) or `none` (plain LDAP: only for a directory on the same machine).
    #[serde(default)]
    pub tls: TlsMode,
    /// PEM file of the certificate authority that signed the directory's certificate (besides the
    /// system's authorities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind_dn: Option<String>,
    #[serde(default)]
    pub preset: crate::directory::mapping::PresetName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups_base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structures_base: Option<String>,
    /// Filters; empty means the preset's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups_filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structures_filter: Option<String>,
    /// A sync that would remove more than this share (percent) of the directory persons stops and asks.
    #[serde(default = "default_mass_delete")]
    pub mass_delete_percent: u32,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
    /// Minutes between background syncs in the application (0: only on demand).
    #[serde(default = "default_every")]
    pub sync_every_minutes: u32,
    /// On directories without content synchronisation: hours between full passes (which find deletions).
    #[serde(default = "default_full_every")]
    pub full_every_hours: u32,
    /// Preset overrides: `"person.due_date" = "supannEtuDateFin"` (see README).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub mapping: std::collections::BTreeMap<String, String>,
}

fn default_mass_delete() -> u32 {
    10
}
fn default_timeout() -> u32 {
    10
}
fn default_every() -> u32 {
    15
}
fn default_full_every() -> u32 {
    24
}

impl Default for DirectoryConfig {
    fn default() -> Self {
        DirectoryConfig {
            url: None,
            tls: TlsMode::default(),
            ca_file: None,
            bind_dn: None,
            preset: Default::default(),
            people_base: None,
            groups_base: None,
            structures_base: None,
            people_filter: None,
            groups_filter: None,
            structures_filter: None,
            mass_delete_percent: default_mass_delete(),
            timeout_seconds: default_timeout(),
            sync_every_minutes: default_every(),
            full_every_hours: default_full_every(),
            mapping: Default::default(),
        }
    }
}

impl DirectoryConfig {
    /// Whether enough is set to reach a directory.
    pub fn is_configured(&self) -> bool {
        self.url.as_deref().is_some_and(|u| !u.trim().is_empty())
            && self
                .people_base
                .as_deref()
                .is_some_and(|b| !b.trim().is_empty())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    #[default]
    Starttls,
    None,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("cannot write {path}: {message}")]
    Write { path: PathBuf, message: String },
    #[error("unknown setting {0}")]
    UnknownKey(String),
    #[error("invalid value for {key}: {message}")]
    BadValue { key: String, message: String },
    #[error("{0} is a secret: secrets are kept in the OS keyring")]
    SecretKey(String),
}

/// Every key `config get|set` accepts, with a short description (English; the README documents them).
pub fn keys() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    KEYS.iter().chain(services::KEYS).chain(sdet::KEYS)
}

const KEYS: &[(&str, &str)] = &[
    ("ui.language", "fr | en"),
    ("ui.theme", "light | dark"),
    (
        "desk.operator",
        "name recorded in card history (default: OS user)",
    ),
    (
        "desk.results_limit",
        "search results listed at the Desk (1-5000)",
    ),
    ("card.pic", "institution PIC, 9 digits (enables ESCN)"),
    ("card.escn_prefix", "ESCN server prefix, 0-999"),
    ("card.qr", "eppn | escn"),
    (
        "card.qr_prefix",
        "URL before the ESCN in QR codes (default http://esc.gg/)",
    ),
    (
        "print.printer",
        "default printer URI (ipp://host/...; empty: choose or save as PDF)",
    ),
    (
        "print.cups_server",
        "host:port of the system print service (default localhost:631)",
    ),
    (
        "print.job_timeout_seconds",
        "how long to wait for a printer's verdict (default 300)",
    ),
    (
        "print.template",
        "template of cards by default (default: default)",
    ),
    (
        "encode.profile",
        "encoding profile file (TOML; empty: the built-in ESUP default)",
    ),
    (
        "encode.reader",
        "reader to encode on (empty: the first reader with a card)",
    ),
    (
        "encode.auto_enable",
        "enable cards right after encoding: true | false (default true)",
    ),
    (
        "encode.virtual_reader",
        "offer the virtual reader with a software card: true | false (default true)",
    ),
    ("directory.url", "ldap://host or ldaps://host"),
    ("directory.tls", "starttls | none (ldap:// only)"),
    (
        "directory.ca_file",
        "PEM file of the directory's certificate authority",
    ),
    (
        "directory.bind_dn",
        "DN the sync binds as (password: `secret set ldap-password`)",
    ),
    ("directory.preset", "supann | sdet"),
    ("directory.people_base", "base DN of persons"),
    (
        "directory.groups_base",
        "base DN of groups (empty: no group entries)",
    ),
    (
        "directory.structures_base",
        "base DN of structures (empty: none)",
    ),
    (
        "directory.people_filter",
        "LDAP filter (default: the preset's)",
    ),
    (
        "directory.groups_filter",
        "LDAP filter (default: the preset's)",
    ),
    (
        "directory.structures_filter",
        "LDAP filter (default: the preset's)",
    ),
    (
        "directory.mass_delete_percent",
        "stop a sync removing more persons than this share (1-100, default 10)",
    ),
    (
        "directory.timeout_seconds",
        "connection and operation timeout (default 10)",
    ),
    (
        "directory.sync_every_minutes",
        "background sync period in the app (0: off, default 15)",
    ),
    (
        "directory.full_every_hours",
        "full pass period without content sync (default 24)",
    ),
];

/// Whether a key names a secret (refused in the settings file).
pub fn is_secret_key(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    // A URL is never a secret, even a token server's (`crous.token_url`).
    if last.ends_with("_url") {
        return false;
    }
    [
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "credential",
    ]
    .iter()
    .any(|s| last.contains(s))
        || last == "key"
        || last.ends_with("_key")
}

impl Config {
    /// Reads the file; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::Parse {
                path: path.to_path_buf(),
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                message: e.to_string(),
            }),
        }
    }

    /// Writes the file atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let err = |e: &dyn std::fmt::Display| ConfigError::Write {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| err(&e))?;
        }
        let text = toml::to_string_pretty(self).map_err(|e| err(&e))?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(|e| err(&e))?;
        std::fs::rename(&tmp, path).map_err(|e| err(&e))
    }

    /// The value of a dotted key, as text.
    pub fn get(&self, key: &str) -> Result<String, ConfigError> {
        if is_secret_key(key) {
            return Err(ConfigError::SecretKey(key.to_string()));
        }
        if !keys().any(|(k, _)| *k == key) {
            return Err(ConfigError::UnknownKey(key.to_string()));
        }
        let value = toml::Value::try_from(self).map_err(|e| ConfigError::BadValue {
            key: key.into(),
            message: e.to_string(),
        })?;
        let mut cur = &value;
        for part in key.split('.') {
            match cur.get(part) {
                Some(v) => cur = v,
                None => return Ok(String::new()),
            }
        }
        Ok(match cur {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// Sets a dotted key from text, checking the value; the configuration is unchanged on error.
    pub fn set(&mut self, key: &str, raw: &str) -> Result<(), ConfigError> {
        if is_secret_key(key) {
            return Err(ConfigError::SecretKey(key.to_string()));
        }
        if !keys().any(|(k, _)| *k == key) {
            return Err(ConfigError::UnknownKey(key.to_string()));
        }
        let bad = |m: String| ConfigError::BadValue {
            key: key.to_string(),
            message: m,
        };
        let mut value = toml::Value::try_from(&*self).map_err(|e| bad(e.to_string()))?;
        let parsed: toml::Value = match (raw.trim(), raw.trim().parse::<i64>()) {
            (_, Ok(n)) => toml::Value::Integer(n),
            ("true", _) => toml::Value::Boolean(true),
            ("false", _) => toml::Value::Boolean(false),
            (other, _) => toml::Value::String(other.to_string()),
        };
        let (section, field) = key
            .split_once('.')
            .ok_or_else(|| ConfigError::UnknownKey(key.to_string()))?;
        let table = value
            .as_table_mut()
            .and_then(|t| {
                t.entry(section)
                    .or_insert_with(|| toml::Value::Table(Default::default()));
                t.get_mut(section)
            })
            .and_then(toml::Value::as_table_mut)
            .ok_or_else(|| bad("not a table".into()))?;
        if raw.trim().is_empty() {
            table.remove(field);
        } else {
            table.insert(field.to_string(), parsed);
        }
        let new: Config = value
            .try_into()
            .map_err(|e: toml::de::Error| bad(e.message().to_string()))?;
        new.validate().map_err(bad)?;
        *self = new;
        Ok(())
    }

    fn validate(&self) -> Result<(), String> {
        if !(1..=5000).contains(&self.desk.results_limit) {
            return Err("expected a number from 1 to 5000".into());
        }
        if let Some(pic) = self.card.pic
            && pic > 999_999_999
        {
            return Err("a PIC has 9 digits".into());
        }
        if let Some(p) = self.card.escn_prefix
            && p > 999
        {
            return Err("the ESCN prefix is a number from 0 to 999".into());
        }
        if let Some(p) = self.card.qr_prefix.as_deref()
            && !(p.starts_with("http://") || p.starts_with("https://"))
        {
            return Err("a QR prefix is a URL starting with http:// or https://".into());
        }
        self.print.validate()?;
        let d = &self.directory;
        if let Some(url) = d.url.as_deref()
            && !url.is_empty()
            && !(url.starts_with("ldap://") || url.starts_with("ldaps://"))
        {
            return Err("a directory URL starts with ldap:// or ldaps://".into());
        }
        if !(1..=100).contains(&d.mass_delete_percent) {
            return Err("expected a share from 1 to 100 (percent)".into());
        }
        if !(1..=600).contains(&d.timeout_seconds) {
            return Err("expected a number of seconds from 1 to 600".into());
        }
        services::validate(&self.crous, &self.escr, &self.writeback, &self.queue)?;
        self.sdet.validate()
    }

    /// Checks the printing settings (Settings → Printing adds printers through this).
    pub fn validate_print(&self) -> Result<(), String> {
        self.print.validate()
    }

    /// The operator name for card history: configured, else the OS user, else `operator`.
    pub fn operator(&self) -> String {
        self.desk
            .operator
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_else(|| "operator".to_string())
    }

    /// How new cards get ESCN and QR code.
    pub fn card_options(&self) -> CardOptions {
        CardOptions {
            escn: self
                .card
                .pic
                .map(|pic| (self.card.escn_prefix.unwrap_or(1), pic)),
            qr_escn: self.card.qr == QrMode::Escn,
            qr_prefix: self
                .card
                .qr_prefix
                .clone()
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| crate::domain::ids::ESC_QR_PREFIX.to_string()),
            services: self.services(),
        }
    }

    /// The validation services that are switched on (their work is queued when cards change).
    pub fn services(&self) -> Vec<crate::domain::card::Service> {
        use crate::domain::card::Service;
        let mut out = Vec::new();
        if self.crous.enabled {
            out.push(Service::Crous);
        }
        if self.escr.enabled {
            out.push(Service::Escr);
        }
        if self.writeback.enabled {
            out.push(Service::LdapWriteback);
        }
        out
    }
}

/// Where the database and the settings file live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
    pub config_file: PathBuf,
}

impl Paths {
    /// `--data-dir` (default: the OS data directory + `guichet`) and `--config` (default: `guichet.toml`
    /// in the data directory when `--data-dir` is given, else in the OS configuration directory).
    pub fn resolve(data_dir: Option<&Path>, config: Option<&Path>) -> Paths {
        let data = data_dir
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("GUICHET_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| {
                dirs::data_dir()
                    .unwrap_or_else(|| PathBuf::from("."))
                    .join("guichet")
            });
        let config_file = match (config, data_dir) {
            (Some(c), _) => c.to_path_buf(),
            (None, Some(_)) => data.join("guichet.toml"),
            (None, None) => dirs::config_dir()
                .map(|d| d.join("guichet").join("guichet.toml"))
                .unwrap_or_else(|| data.join("guichet.toml")),
        };
        Paths {
            data_dir: data,
            config_file,
        }
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("guichet.db")
    }
}

#[cfg(test)]
#[path = "config/tests.rs"]
mod tests;
