//! A throw-away OpenLDAP server for integration tests and benchmarks: its own slapd.conf (mdb +
//! syncprov, the project's schemas from packaging/ldap/schema), data loaded with `slapadd -q`
//! before start, a free port on 127.0.0.1, optional TLS (StartTLS and ldaps) with a throw-away CA.
//!
//! Self-contained (std + tempfile): the tests include it as `support::slapd`, the benchmarks with
//! `#[path = "../tests/support/slapd.rs"] mod slapd;`.
//!
//! Accounts: the rootdn `cn=admin,<suffix>` ([`ADMIN_PASSWORD`]) and a read-only sync account
//! `cn=guichet-sync,ou=system,<suffix>` ([`READER_PASSWORD`], with special characters) that may
//! read everything without size or time limit; anonymous users may only read the root DSE.
//!
//! A missing slapd/ldap-utils/openssl makes [`Slapd::start`] return `None` (the test prints a
//! visible skip), or panic when `CI=true`.
#![allow(dead_code)]

#[path = "slapd_setup.rs"]
mod setup;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use setup::{find_tool, first_dir, free_port, run};

pub const ADMIN_PASSWORD: &str = "admin-S3cret";
/// The sync account's password: a colon, a star, parentheses, a backslash, a double quote, non-ASCII
/// letters and a space.
pub const READER_PASSWORD: &str = "S3cr3t:*()\\\"é€ ok";

/// Which schema files to load besides core, cosine and inetorgperson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schemas {
    /// eduperson, schac, supann, edumember.
    Supann,
    /// sdet, edumember.
    Sdet,
    All,
}

#[derive(Debug, Clone)]
pub struct SlapdOptions {
    pub suffix: String,
    /// Configure TLS: StartTLS on the ldap:// port and an ldaps:// port, see [`Slapd::ca_file`].
    pub tls: bool,
    /// LDIF loaded with `slapadd -q` before start; it must hold the suffix entry. Without it the
    /// suffix and `ou=people`, `ou=groups`, `ou=structures` are created.
    pub ldif: Option<PathBuf>,
    pub schemas: Schemas,
    /// `syncprov-sessionlog` size (none by default: deletions then show as absence from the
    /// present set).
    pub sessionlog: Option<u32>,
    /// `false`: no syncprov overlay, so the server offers no RFC 4533 content synchronisation (the
    /// sync's modifyTimestamp fallback mode).
    pub content_sync: bool,
}

impl Default for SlapdOptions {
    fn default() -> SlapdOptions {
        SlapdOptions {
            suffix: "dc=univ-guichet,dc=fr".into(),
            tls: false,
            ldif: None,
            schemas: Schemas::All,
            sessionlog: None,
            content_sync: true,
        }
    }
}

impl SlapdOptions {
    pub fn supann() -> SlapdOptions {
        SlapdOptions {
            schemas: Schemas::Supann,
            ..SlapdOptions::default()
        }
    }

    pub fn sdet() -> SlapdOptions {
        SlapdOptions {
            suffix: "dc=ent-guichet,dc=fr".into(),
            schemas: Schemas::Sdet,
            ..SlapdOptions::default()
        }
    }
}

/// A running slapd; stopped (and its files removed) on drop.
pub struct Slapd {
    dir: tempfile::TempDir,
    opts: SlapdOptions,
    tools: Tools,
    port: u16,
    ldaps_port: Option<u16>,
    child: Option<Child>,
}

#[derive(Debug, Clone)]
struct Tools {
    slapd: PathBuf,
    slapadd: PathBuf,
    ldapsearch: PathBuf,
    ldapmodify: PathBuf,
    ldapadd: PathBuf,
}

fn strict() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The project's rule for a missing component: a failure under CI=true, a visible skip otherwise.
fn missing(component: &str) -> Option<Slapd> {
    if strict() {
        panic!("{component} is required (CI=true): run `make test`, which installs it");
    }
    eprintln!("SKIPPED: {component} not installed (run `make test` to install it)");
    None
}

enum Launch {
    Ready,
    PortTaken,
}

impl Slapd {
    /// Builds the configuration, loads the data and starts slapd; `None` if OpenLDAP (or openssl
    /// for TLS) is missing and CI is not set.
    pub fn start(opts: SlapdOptions) -> Option<Slapd> {
        let tools = match (
            find_tool("slapd"),
            find_tool("slapadd"),
            find_tool("ldapsearch"),
            find_tool("ldapmodify"),
            find_tool("ldapadd"),
        ) {
            (Some(slapd), Some(slapadd), Some(ldapsearch), Some(ldapmodify), Some(ldapadd)) => {
                Tools {
                    slapd,
                    slapadd,
                    ldapsearch,
                    ldapmodify,
                    ldapadd,
                }
            }
            _ => return missing("OpenLDAP (slapd, ldap-utils)"),
        };
        if opts.tls && find_tool("openssl").is_none() {
            return missing("openssl");
        }
        let Some(schema_dir) = first_dir(
            &[
                "/etc/ldap/schema",
                "/etc/openldap/schema",
                "/usr/local/etc/openldap/schema",
            ],
            "core.schema",
        ) else {
            return missing("OpenLDAP schemas (core.schema)");
        };
        let dir = tempfile::Builder::new()
            .prefix("guichet-slapd-")
            .tempdir()
            .expect("temporary folder");
        fs::create_dir(dir.path().join("db")).expect("db folder");
        for (file, pw) in [("admin.pw", ADMIN_PASSWORD), ("reader.pw", READER_PASSWORD)] {
            let path = dir.path().join(file);
            fs::write(&path, pw).expect("write a password file");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o600));
            }
        }
        let mut s = Slapd {
            dir,
            opts,
            tools,
            port: 0,
            ldaps_port: None,
            child: None,
        };
        if s.opts.tls {
            setup::certificates(s.dir.path());
        }
        let conf = setup::config(s.dir.path(), &s.opts, &schema_dir);
        fs::write(s.dir.path().join("slapd.conf"), conf).expect("write slapd.conf");
        s.load();
        for _ in 0..8 {
            s.port = free_port();
            s.ldaps_port = s.opts.tls.then(free_port);
            match s.launch() {
                Launch::Ready => return Some(s),
                Launch::PortTaken => continue,
            }
        }
        panic!("slapd: no free port after 8 attempts\n{}", s.log_tail(40));
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn suffix(&self) -> &str {
        &self.opts.suffix
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `ldap://127.0.0.1:<port>` (StartTLS available when started with `tls`).
    pub fn url(&self) -> String {
        format!("ldap://127.0.0.1:{}", self.port)
    }

    /// `ldaps://127.0.0.1:<port>` when started with `tls`.
    pub fn ldaps_url(&self) -> Option<String> {
        self.ldaps_port.map(|p| format!("ldaps://127.0.0.1:{p}"))
    }

    /// The throw-away CA that signed the server certificate (for 127.0.0.1 and localhost).
    pub fn ca_file(&self) -> Option<PathBuf> {
        self.opts.tls.then(|| self.dir.path().join("ca.pem"))
    }

    pub fn admin_dn(&self) -> String {
        format!("cn=admin,{}", self.opts.suffix)
    }

    pub fn admin_password(&self) -> &'static str {
        ADMIN_PASSWORD
    }

    pub fn reader_dn(&self) -> String {
        setup::reader_dn(&self.opts.suffix)
    }

    pub fn reader_password(&self) -> &'static str {
        READER_PASSWORD
    }

    /// A file holding the reader's password without a newline (for `ldapsearch -y`).
    pub fn reader_password_file(&self) -> PathBuf {
        self.dir.path().join("reader.pw")
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("slapd.log")
    }

    /// The last `lines` lines of slapd's log.
    pub fn log_tail(&self, lines: usize) -> String {
        let log = fs::read_to_string(self.log_path()).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    fn slapadd(&self, ldif: &Path, write_context: bool) {
        let mut cmd = Command::new(&self.tools.slapadd);
        cmd.arg("-q")
            .arg("-f")
            .arg(self.dir.path().join("slapd.conf"))
            .arg("-l")
            .arg(ldif);
        if write_context {
            cmd.arg("-w");
        }
        if let Err(e) = run(&mut cmd, &format!("slapadd -q -l {}", ldif.display())) {
            panic!("{e}");
        }
    }

    /// Loads the data, then the sync account (updating the contextCSN).
    fn load(&self) {
        let d = self.dir.path();
        let suffix = &self.opts.suffix;
        match &self.opts.ldif {
            Some(path) => self.slapadd(path, false),
            None => {
                fs::write(d.join("base.ldif"), setup::base_ldif(suffix)).expect("write base.ldif");
                self.slapadd(&d.join("base.ldif"), false);
            }
        }
        fs::write(d.join("system.ldif"), setup::system_ldif(suffix)).expect("write system.ldif");
        self.slapadd(&d.join("system.ldif"), true);
    }

    fn launch(&mut self) -> Launch {
        let mut urls = self.url() + "/";
        if let Some(l) = self.ldaps_url() {
            urls += &format!(" {l}/");
        }
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("open slapd.log");
        let log2 = log.try_clone().expect("clone log handle");
        let child = Command::new(&self.tools.slapd)
            .arg("-d")
            .arg("256")
            .arg("-f")
            .arg(self.dir.path().join("slapd.conf"))
            .arg("-h")
            .arg(&urls)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .expect("spawn slapd");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                self.child = None;
                let tail = self.log_tail(40);
                if tail.contains("errno=98") || tail.contains("Address already in use") {
                    return Launch::PortTaken;
                }
                panic!("slapd exited at start ({status}); log tail:\n{tail}");
            }
            let probe = Command::new(&self.tools.ldapsearch)
                .args([
                    "-x",
                    "-LLL",
                    "-o",
                    "nettimeout=2",
                    "-s",
                    "base",
                    "-b",
                    "",
                    "-H",
                ])
                .arg(self.url())
                .arg("namingContexts")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if probe.is_ok_and(|s| s.success()) {
                return Launch::Ready;
            }
            if Instant::now() > deadline {
                self.stop();
                panic!(
                    "slapd did not answer within 60 s; log tail:\n{}",
                    self.log_tail(40)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops slapd (SIGTERM, then SIGKILL after 10 s); the data stays for [`Slapd::restart`].
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// Starts slapd again on the same port(s) with the same data.
    pub fn restart(&mut self) {
        self.stop();
        if let Launch::PortTaken = self.launch() {
            panic!(
                "slapd restart: port {} is taken\n{}",
                self.port,
                self.log_tail(20)
            );
        }
    }

    fn admin(&self, cmd: &mut Command) {
        cmd.arg("-x")
            .arg("-H")
            .arg(self.url())
            .arg("-D")
            .arg(self.admin_dn())
            .arg("-y")
            .arg(self.dir.path().join("admin.pw"));
    }

    /// Applies LDIF change records (add, modify, modrdn, delete) with `ldapmodify` as rootdn.
    pub fn try_modify(&self, ldif: &str) -> Result<(), String> {
        let mut cmd = Command::new(&self.tools.ldapmodify);
        self.admin(&mut cmd);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("ldapmodify: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(ldif.as_bytes())
                .map_err(|e| format!("ldapmodify stdin: {e}"))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| format!("ldapmodify: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "ldapmodify failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// [`Slapd::try_modify`], panicking on failure.
    pub fn modify(&self, ldif: &str) {
        if let Err(e) = self.try_modify(ldif) {
            panic!("{e}");
        }
    }

    /// Adds the entries of an LDIF file with `ldapadd` as rootdn.
    pub fn add_ldif_file(&self, path: &Path) {
        let mut cmd = Command::new(&self.tools.ldapadd);
        self.admin(&mut cmd);
        cmd.arg("-f").arg(path);
        if let Err(e) = run(&mut cmd, "ldapadd") {
            panic!("{e}");
        }
    }

    /// Searches as rootdn (no size limit, paged) and returns the LDIF, lines not wrapped.
    pub fn search(&self, base: &str, filter: &str, attrs: &[&str]) -> String {
        let mut cmd = Command::new(&self.tools.ldapsearch);
        self.admin(&mut cmd);
        cmd.args([
            "-LLL",
            "-o",
            "ldif-wrap=no",
            "-E",
            "pr=1000/noprompt",
            "-b",
            base,
            filter,
        ]);
        cmd.args(attrs);
        let out = run(&mut cmd, "ldapsearch").unwrap_or_else(|e| panic!("{e}"));
        // Paged results end with a `# pagedresults: cookie=` comment, even with -LLL.
        let mut ldif: String = out
            .lines()
            .filter(|l| !l.starts_with("# pagedresults"))
            .map(|l| format!("{l}\n"))
            .collect();
        while ldif.ends_with("\n\n") {
            ldif.pop();
        }
        ldif
    }

    /// How many entries under `base` match `filter`.
    pub fn search_count(&self, base: &str, filter: &str) -> usize {
        self.search(base, filter, &["1.1"])
            .lines()
            .filter(|l| l.starts_with("dn:"))
            .count()
    }

    /// Time of a bare paged `ldapsearch` bound as the sync account, output discarded: the baseline
    /// of the sync benchmarks.
    pub fn bare_search_seconds(&self, base: &str, filter: &str, attrs: &[&str]) -> f64 {
        let started = Instant::now();
        let status = Command::new(&self.tools.ldapsearch)
            .args(["-x", "-LLL", "-E", "pr=500/noprompt", "-H"])
            .arg(self.url())
            .arg("-D")
            .arg(self.reader_dn())
            .arg("-y")
            .arg(self.reader_password_file())
            .args(["-b", base, filter])
            .args(attrs)
            .stdout(Stdio::null())
            .status()
            .expect("run ldapsearch");
        let seconds = started.elapsed().as_secs_f64();
        assert!(status.success(), "ldapsearch failed: {status}");
        seconds
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        self.stop();
    }
}
