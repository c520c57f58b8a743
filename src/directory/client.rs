//! Talking to the LDAP server (ldap3 over rustls): connection with StartTLS or LDAPS and an optional CA
//! file, bind, the content-synchronisation capability, and "Test connection".
//! Facts: reference crates.md §3 (features, TLS settings, escaping, RFC 4533).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError};

use super::wire::{
    self,
    proto::{self, Op, Scope},
};

use crate::config::{DirectoryConfig, TlsMode};
use crate::directory::mapping::Mapping;
use crate::store::StoreError;

/// OID of the RFC 4533 Sync Request control, listed in the root DSE when the server offers it.
pub const CONTENT_SYNC_OID: &str = "1.3.6.1.4.1.4203.1.9.1.1";

/// Everything needed to open a connection. The password comes from the keyring or
/// `GUICHET_LDAP_PASSWORD`, never from the settings file.
#[derive(Clone)]
pub struct ConnectSettings {
    pub url: String,
    pub tls: TlsMode,
    pub ca_file: Option<PathBuf>,
    pub bind_dn: Option<String>,
    pub password: Option<String>,
    pub timeout: Duration,
}

impl std::fmt::Debug for ConnectSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectSettings")
            .field("url", &self.url)
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .field("bind_dn", &self.bind_dn)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

impl ConnectSettings {
    pub fn from_config(cfg: &DirectoryConfig, password: Option<String>) -> Result<Self, DirError> {
        let url = cfg
            .url
            .clone()
            .filter(|u| !u.trim().is_empty())
            .ok_or(DirError::NotConfigured("directory.url"))?;
        Ok(ConnectSettings {
            url: url.trim().to_string(),
            tls: cfg.tls,
            ca_file: cfg.ca_file.clone(),
            bind_dn: cfg.bind_dn.clone().filter(|d| !d.trim().is_empty()),
            password,
            timeout: Duration::from_secs(u64::from(cfg.timeout_seconds.max(1))),
        })
    }

    pub fn is_ldaps(&self) -> bool {
        self.url.to_ascii_lowercase().starts_with("ldaps://")
    }

    /// Whether the connection is encrypted.
    pub fn uses_tls(&self) -> bool {
        self.is_ldaps() || self.tls == TlsMode::Starttls
    }
}

/// What can go wrong with the directory; `ui_text::directory_error` words it for the user.
#[derive(Debug, thiserror::Error)]
pub enum DirError {
    #[error("the directory is not configured: {0} is empty")]
    NotConfigured(&'static str),
    #[error("cannot reach {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("TLS with {url} failed: {message}")]
    Tls { url: String, message: String },
    #[error("cannot read the CA file {path}: {message}")]
    CaFile { path: PathBuf, message: String },
    #[error("bind refused for {dn}: {message}")]
    BindRefused { dn: String, message: String },
    #[error("{op} failed: LDAP code {rc} {message}")]
    Ldap {
        op: &'static str,
        rc: u32,
        message: String,
    },
    #[error("malformed answer from the directory: {0}")]
    Protocol(String),
    #[error("{entry}: {message}")]
    Mapping { entry: String, message: String },
    #[error("the sync would remove {would} of {total} directory persons (limit {percent}%)")]
    MassDelete {
        would: usize,
        total: usize,
        percent: u32,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the sync was cancelled")]
    Cancelled,
}

impl DirError {
    /// Whether the directory could not be reached at all (the desk goes "offline").
    pub fn is_unreachable(&self) -> bool {
        matches!(self, DirError::Unreachable { .. })
    }

    /// A bind the server answered with result code `rc` (not 0).
    pub(crate) fn bind_refused(dn: &str, rc: u32, text: String) -> DirError {
        DirError::BindRefused {
            dn: dn.to_string(),
            message: if text.is_empty() {
                format!("LDAP code {rc}")
            } else {
                text
            },
        }
    }

    /// A failed read or write: a TLS error when rustls says so, else the server is out of reach.
    pub(crate) fn from_io(e: std::io::Error, url: &str) -> DirError {
        if let Some(tls) = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return DirError::Tls {
                url: url.to_string(),
                message: tls.to_string(),
            };
        }
        DirError::Unreachable {
            url: url.to_string(),
            message: e.to_string(),
        }
    }

    pub(crate) fn from_ldap(e: LdapError, url: &str, op: &'static str) -> DirError {
        match e {
            LdapError::Io { source } => DirError::from_io(source, url),
            LdapError::Timeout { .. } | LdapError::EndOfStream | LdapError::ResultRecv { .. } => {
                DirError::Unreachable {
                    url: url.to_string(),
                    message: e.to_string(),
                }
            }
            LdapError::OpSend { .. }
            | LdapError::IdScrubSend { .. }
            | LdapError::MiscSend { .. } => DirError::Unreachable {
                url: url.to_string(),
                message: e.to_string(),
            },
            LdapError::Rustls { source } => DirError::Tls {
                url: url.to_string(),
                message: source.to_string(),
            },
            LdapError::DNSName { source } => DirError::Tls {
                url: url.to_string(),
                message: source.to_string(),
            },
            LdapError::LdapResult { result } => DirError::Ldap {
                op,
                rc: result.rc,
                message: result.text,
            },
            other => DirError::Protocol(other.to_string()),
        }
    }
}

/// The TLS configuration: the system's authorities plus the CA file, verified (never skipped).
pub(crate) fn tls_config(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, DirError> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = ca_file {
        let bad = |message: String| DirError::CaFile {
            path: path.to_path_buf(),
            message,
        };
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| bad(e.to_string()))?
            .collect::<Result<_, _>>()
            .map_err(|e| bad(e.to_string()))?;
        if certs.is_empty() {
            return Err(bad("no PEM certificate in the file".into()));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| bad(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| DirError::Protocol(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Receive buffer of a directory connection: with the one message being decoded, the directory data in
/// flight while the sync's writer lags behind the server.
const RECEIVE_BUFFER: u32 = 256 * 1024;

/// Opens the TCP connection of an `ldap://` or `ldaps://` URL with [`RECEIVE_BUFFER`]; `None` for
/// other URLs (ldap3 opens those itself).
pub(crate) async fn tcp_stream(
    url: &str,
    timeout: std::time::Duration,
) -> std::io::Result<Option<tokio::net::TcpStream>> {
    let Some((host, port)) = host_port(url) else {
        return Ok(None);
    };
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, format!("{host}: no address"));
    let addrs = tokio::time::timeout(timeout, tokio::net::lookup_host((host.as_str(), port)))
        .await
        .map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("{host}: name lookup timed out"),
            )
        })??;
    for addr in addrs {
        let socket = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        socket.set_recv_buffer_size(RECEIVE_BUFFER)?;
        match tokio::time::timeout(timeout, socket.connect(addr)).await {
            Ok(Ok(stream)) => return Ok(Some(stream)),
            Ok(Err(e)) => last = e,
            Err(_) => {
                last = std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("{addr}: connection timed out"),
                )
            }
        }
    }
    Err(last)
}

/// Host and port of an `ldap://` or `ldaps://` URL (default ports 389 and 636).
pub(crate) fn host_port(url: &str) -> Option<(String, u16)> {
    let (rest, default) = if let Some(r) = strip_prefix_ci(url, "ldap://") {
        (r, 389)
    } else {
        (strip_prefix_ci(url, "ldaps://")?, 636)
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (h, after) = v6.split_once(']')?;
            (h, after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let port = match port {
        Some(p) if !p.is_empty() => p.parse().ok()?,
        _ => default,
    };
    let host = if host.is_empty() { "localhost" } else { host };
    Some((host.to_string(), port))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Opens an ldap3 connection (TLS as configured) and binds; the connection runs on the current tokio
/// runtime. The write-back uses it; the sync and "Test connection" read through [`super::wire`].
pub async fn connect(s: &ConnectSettings) -> Result<Ldap, DirError> {
    let mut settings = LdapConnSettings::new().set_conn_timeout(s.timeout);
    if let Some(stream) = tcp_stream(&s.url, s.timeout)
        .await
        .map_err(|e| DirError::from_ldap(e.into(), &s.url, "connect"))?
    {
        settings = settings.set_std_stream(ldap3::StdStream::Tcp(
            stream
                .into_std()
                .map_err(|e| DirError::from_io(e, &s.url))?,
        ));
    }
    if s.uses_tls() {
        settings = settings
            .set_config(tls_config(s.ca_file.as_deref())?)
            .set_starttls(!s.is_ldaps());
    }
    let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &s.url)
        .await
        .map_err(|e| DirError::from_ldap(e, &s.url, "connect"))?;
    ldap3::drive!(conn);
    if let Some(dn) = &s.bind_dn {
        let res = ldap
            .with_timeout(s.timeout)
            .simple_bind(dn, s.password.as_deref().unwrap_or(""))
            .await
            .map_err(|e| DirError::from_ldap(e, &s.url, "bind"))?;
        if res.rc != 0 {
            return Err(DirError::bind_refused(dn, res.rc, res.text));
        }
    }
    Ok(ldap)
}

/// Whether the server offers RFC 4533 content synchronisation for `base` (OpenLDAP syncprov). The
/// root DSE is not enough: slapd lists the control as soon as the module is loaded, even on a database
/// without the overlay. So: the root DSE must list it, and a refresh that matches nothing must succeed.
pub async fn offers_content_sync(conn: &mut wire::Conn, base: &str) -> Result<bool, DirError> {
    let attrs = ["supportedControl".to_string()];
    conn.search("", Scope::Base, "(objectClass=*)", &attrs, &[])
        .await?;
    let mut listed = false;
    let outcome = loop {
        let range = conn.next().await?;
        match conn.message(range)?.op {
            Op::Entry(dn, attributes) => {
                let entry =
                    proto::entry(dn, attributes).map_err(|e| DirError::Protocol(e.to_string()))?;
                listed |= entry
                    .all("supportedControl")
                    .iter()
                    .any(|oid| oid.trim() == CONTENT_SYNC_OID);
            }
            Op::Result(_, outcome) => break outcome,
            _ => {}
        }
    };
    wire::succeeded(outcome, "root DSE")?;
    if !listed {
        return Ok(false);
    }
    let probe = [proto::sync_request(None)];
    let none = ["1.1".to_string()];
    conn.search(
        base,
        Scope::Base,
        "(&(objectClass=*)(!(objectClass=*)))",
        &none,
        &probe,
    )
    .await?;
    loop {
        let range = conn.next().await?;
        if let Op::Result(_, outcome) = conn.message(range)?.op {
            return Ok(outcome.rc == 0);
        }
    }
}

/// The answer of "Test connection", step by step.
#[derive(Debug)]
pub struct TestReport {
    pub url: String,
    /// `None`: plain LDAP; `Some(true)`: encrypted and the certificate verified.
    pub tls_verified: Option<bool>,
    pub bind_dn: Option<String>,
    pub content_sync: bool,
    pub people: Result<usize, DirError>,
    pub groups: Option<Result<usize, DirError>>,
    pub structures: Option<Result<usize, DirError>>,
}

/// Bases and filters to test, from the settings and the preset.
#[derive(Debug, Clone)]
pub struct Searches {
    pub people: (String, String),
    pub groups: Option<(String, String)>,
    pub structures: Option<(String, String)>,
}

impl Searches {
    pub fn from_config(cfg: &DirectoryConfig, mapping: &Mapping) -> Result<Searches, DirError> {
        let filters = mapping.filters();
        let pick = |base: &Option<String>, filter: &Option<String>, default: String| {
            base.as_deref()
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(|b| {
                    let f = filter
                        .as_deref()
                        .map(str::trim)
                        .filter(|f| !f.is_empty())
                        .map(str::to_string)
                        .unwrap_or(default);
                    (b.to_string(), f)
                })
        };
        Ok(Searches {
            people: pick(&cfg.people_base, &cfg.people_filter, filters.people)
                .ok_or(DirError::NotConfigured("directory.people_base"))?,
            groups: pick(&cfg.groups_base, &cfg.groups_filter, filters.groups),
            structures: pick(
                &cfg.structures_base,
                &cfg.structures_filter,
                filters.structures,
            ),
        })
    }
}

/// Connects, binds and counts the entries each search matches (DNs only). Reaching the server, TLS
/// and the bind are reported as errors; a failing count is reported in the report.
pub async fn test_connection(
    s: &ConnectSettings,
    searches: &Searches,
) -> Result<TestReport, DirError> {
    let mut conn = wire::connect(s).await?;
    let content_sync = offers_content_sync(&mut conn, &searches.people.0)
        .await
        .unwrap_or(false);
    let people = count(&mut conn, &searches.people).await;
    let groups = match &searches.groups {
        Some(g) => Some(count(&mut conn, g).await),
        None => None,
    };
    let structures = match &searches.structures {
        Some(g) => Some(count(&mut conn, g).await),
        None => None,
    };
    conn.unbind().await;
    Ok(TestReport {
        url: s.url.clone(),
        tls_verified: s.uses_tls().then_some(true),
        bind_dn: s.bind_dn.clone(),
        content_sync,
        people,
        groups,
        structures,
    })
}

/// How many entries a search matches, a page of 1000 DNs at a time (RFC 2696).
async fn count(
    conn: &mut wire::Conn,
    (base, filter): &(String, String),
) -> Result<usize, DirError> {
    let none = ["1.1".to_string()];
    let mut cookie = Vec::new();
    let mut n = 0;
    loop {
        let page = [proto::paged_request(1000, &cookie)];
        conn.search(base, Scope::Subtree, filter, &none, &page)
            .await?;
        loop {
            let range = conn.next().await?;
            let m = conn.message(range)?;
            match m.op {
                Op::Entry(..) => n += 1,
                Op::Result(_, outcome) => {
                    wire::succeeded(outcome, "search")?;
                    cookie = wire::paged_cookie(&m.controls)?;
                    break;
                }
                _ => {}
            }
        }
        if cookie.is_empty() {
            return Ok(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn host_and_port_of_directory_urls() {
        let hp = host_port;
        assert_eq!(
            hp("ldap://127.0.0.1:3890"),
            Some(("127.0.0.1".into(), 3890))
        );
        assert_eq!(
            hp("LDAPS://ldap.univ.fr/"),
            Some(("ldap.univ.fr".into(), 636))
        );
        assert_eq!(
            hp("ldap://ldap.univ.fr"),
            Some(("ldap.univ.fr".into(), 389))
        );
        assert_eq!(hp("ldap://[::1]:1389/dc=x"), Some(("::1".into(), 1389)));
        assert_eq!(hp("ldap://[::1]"), Some(("::1".into(), 389)));
        assert_eq!(hp("ldap://"), Some(("localhost".into(), 389)));
        assert_eq!(hp("ldap://h:notaport"), None);
        assert_eq!(hp("ldapi:///var/run/slapd"), None);
        assert_eq!(hp("é"), None);
    }
}
