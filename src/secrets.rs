//! The only place secrets are read and written: the OS keyring (keyring-core with the platform store,
//! crates.md §5), or, for headless runs (CI, cron), an environment variable per secret. Secrets never
//! reach SQLite, the settings file, logs or fixtures.

use std::io::Read;

/// Keyring service name under which every Guichet secret is stored.
const SERVICE: &str = "guichet";

/// The secrets Guichet knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// LDAP bind password of the directory account.
    LdapPassword,
    /// CROUS/Izly API OAuth2 client id (kept with its secret: both are credentials).
    CrousClientId,
    /// CROUS/Izly API OAuth2 client secret.
    CrousClientSecret,
    /// ESC-R API key.
    EscrApiKey,
    /// DESFire key set of the encoding profile.
    DesfireKeys,
    /// Password of the directory write account (LDAP write-back of card identifiers).
    WritebackPassword,
}

impl Secret {
    pub const ALL: [Secret; 6] = [
        Secret::LdapPassword,
        Secret::CrousClientId,
        Secret::CrousClientSecret,
        Secret::EscrApiKey,
        Secret::DesfireKeys,
        Secret::WritebackPassword,
    ];

    /// The name used on the command line and as the keyring user.
    pub fn name(self) -> &'static str {
        match self {
            Secret::LdapPassword => "ldap-password",
            Secret::CrousClientId => "crous-client-id",
            Secret::CrousClientSecret => "crous-client-secret",
            Secret::EscrApiKey => "escr-api-key",
            Secret::DesfireKeys => "desfire-keys",
            Secret::WritebackPassword => "writeback-password",
        }
    }

    /// The environment variable that overrides the keyring (headless runs).
    pub fn env_var(self) -> &'static str {
        match self {
            Secret::LdapPassword => "GUICHET_LDAP_PASSWORD",
            Secret::CrousClientId => "GUICHET_CROUS_CLIENT_ID",
            Secret::CrousClientSecret => "GUICHET_CROUS_CLIENT_SECRET",
            Secret::EscrApiKey => "GUICHET_ESCR_API_KEY",
            Secret::DesfireKeys => "GUICHET_DESFIRE_KEYS",
            Secret::WritebackPassword => "GUICHET_WRITEBACK_PASSWORD",
        }
    }

    pub fn parse(s: &str) -> Option<Secret> {
        Secret::ALL.into_iter().find(|x| x.name() == s.trim())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the OS keyring is not available: {0}")]
    Unavailable(String),
    #[error("the OS keyring refused access: {0}")]
    Denied(String),
    #[error("keyring error: {0}")]
    Other(String),
    #[error("empty secret")]
    Empty,
    #[error("cannot read standard input: {0}")]
    Stdin(String),
}

fn map(e: keyring_core::Error) -> SecretError {
    match e {
        keyring_core::Error::PlatformFailure(e) => SecretError::Unavailable(e.to_string()),
        keyring_core::Error::NoStorageAccess(e) => SecretError::Denied(e.to_string()),
        keyring_core::Error::NoDefaultStore => {
            SecretError::Unavailable("no credential store".into())
        }
        other => SecretError::Other(other.to_string()),
    }
}

/// Selects the platform's credential store (Secret Service on Linux, Credential Manager on Windows).
/// Does nothing if a store was already chosen (tests choose the mock store first).
pub fn init_platform_store() {
    if keyring_core::get_default_store().is_some() {
        return;
    }
    #[cfg(target_os = "linux")]
    match zbus_secret_service_keyring_store::Store::new() {
        Ok(store) => keyring_core::set_default_store(store),
        Err(e) => tracing::warn!("secret service store unavailable: {e}"),
    }
    #[cfg(windows)]
    match windows_native_keyring_store::Store::new() {
        Ok(store) => keyring_core::set_default_store(store),
        Err(e) => tracing::warn!("windows credential store unavailable: {e}"),
    }
}

/// Chooses the store once per process: the mock store for `GUICHET_KEYRING=mock` (headless runs and
/// tests), else the platform's. Does nothing when a store is already chosen.
pub fn init_from_env() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if keyring_core::get_default_store().is_some() {
            return;
        }
        if std::env::var("GUICHET_KEYRING").as_deref() == Ok("mock") {
            use_mock_store();
        } else {
            init_platform_store();
        }
    });
}

/// Uses keyring-core's in-process mock store (tests and `GUICHET_KEYRING=mock`).
pub fn use_mock_store() {
    if let Ok(store) = keyring_core::mock::Store::new() {
        keyring_core::set_default_store(store);
    }
}

fn entry(secret: Secret) -> Result<keyring_core::Entry, SecretError> {
    keyring_core::Entry::new(SERVICE, secret.name()).map_err(map)
}

/// Stores a secret in the keyring.
pub fn set(secret: Secret, value: &str) -> Result<(), SecretError> {
    if value.is_empty() {
        return Err(SecretError::Empty);
    }
    entry(secret)?.set_password(value).map_err(map)
}

/// Reads a secret: the environment variable if set, else the keyring; `None` when neither has it.
pub fn get(secret: Secret) -> Result<Option<String>, SecretError> {
    if let Ok(v) = std::env::var(secret.env_var())
        && !v.is_empty()
    {
        return Ok(Some(v));
    }
    match entry(secret)?.get_password() {
        Ok(v) => Ok(Some(v)),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(map(e)),
    }
}

/// Removes a secret from the keyring (nothing to do if absent).
pub fn delete(secret: Secret) -> Result<(), SecretError> {
    match entry(secret)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(map(e)),
    }
}

/// Reads a secret from standard input: everything up to EOF, without the trailing line break.
pub fn read_stdin() -> Result<String, SecretError> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| SecretError::Stdin(e.to_string()))?;
    let v = s.trim_end_matches(['\n', '\r']).to_string();
    if v.is_empty() {
        Err(SecretError::Empty)
    } else {
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mock_store_round_trip_and_env_override() {
        use_mock_store();
        set(Secret::EscrApiKey, "k-123").unwrap();
        assert_eq!(get(Secret::EscrApiKey).unwrap().as_deref(), Some("k-123"));
        delete(Secret::EscrApiKey).unwrap();
        assert_eq!(get(Secret::EscrApiKey).unwrap(), None);
        assert!(matches!(
            set(Secret::EscrApiKey, ""),
            Err(SecretError::Empty)
        ));
        assert_eq!(Secret::parse("ldap-password"), Some(Secret::LdapPassword));
        assert_eq!(Secret::parse("nope"), None);
    }
}
