//! The fixture's files: tool discovery, certificates, slapd.conf, the initial LDIF. A child of
//! slapd.rs, loaded by `#[path]` so that it resolves the same from the tests and the benchmarks.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{ADMIN_PASSWORD, READER_PASSWORD, Schemas, SlapdOptions};

/// A program from PATH or the usual sbin folders.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(
            [
                "/usr/sbin",
                "/usr/local/sbin",
                "/sbin",
                "/usr/local/libexec",
            ]
            .map(PathBuf::from),
        )
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

pub fn first_dir(candidates: &[&str], file_prefix: &str) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|d| {
        fs::read_dir(d).is_ok_and(|mut entries| {
            entries
                .any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with(file_prefix)))
        })
    })
}

pub fn project_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/ldap/schema")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a free port on 127.0.0.1")
}

pub fn b64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |a, (i, &b)| a | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= c.len() {
                char::from(T[((n >> (18 - 6 * i)) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}

pub fn run(cmd: &mut Command, what: &str) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A throw-away CA (ca.pem) and a server certificate (server.pem, server.key) in `d`.
pub fn certificates(d: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let openssl = |args: &[&str], what: &str| {
        let mut cmd = Command::new("openssl");
        cmd.current_dir(d).args(args);
        if let Err(e) = run(&mut cmd, what) {
            panic!("{e}");
        }
    };
    let mut ca = vec!["req", "-x509", "-new"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "3",
        "-subj",
        "/CN=Guichet test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(&ca, "openssl req (CA)");
    let mut csr = vec!["req", "-new"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(&csr, "openssl req (server)");
    // OpenLDAP's client library checks `localhost` against the machine's own name: add it.
    let mut names = String::from("IP:127.0.0.1,DNS:localhost");
    let host = fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let host = host.trim();
    if !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        names += &format!(",DNS:{host}");
    }
    fs::write(
        d.join("server.ext"),
        format!(
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n\
             extendedKeyUsage=serverAuth\nsubjectAltName={names}\n"
        ),
    )
    .expect("write server.ext");
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "3",
            "-extfile",
            "server.ext",
        ],
        "openssl x509 (sign)",
    );
}

/// The slapd.conf text for a server whose files live in `d`.
pub fn config(d: &Path, opts: &SlapdOptions, schema_dir: &Path) -> String {
    let ours = project_schemas();
    let suffix = &opts.suffix;
    let reader = reader_dn(suffix);
    let mut conf = String::from("# Written by tests/support/slapd.rs\n");
    for s in ["core", "cosine", "inetorgperson"] {
        conf += &format!(
            "include {}\n",
            schema_dir.join(format!("{s}.schema")).display()
        );
    }
    let files: &[&str] = match opts.schemas {
        Schemas::Supann => &["eduperson", "schac", "supann", "edumember"],
        Schemas::Sdet => &["edumember", "sdet"],
        Schemas::All => &["eduperson", "schac", "supann", "edumember", "sdet"],
    };
    for s in files {
        conf += &format!("include {}\n", ours.join(format!("{s}.schema")).display());
    }
    conf += &format!(
        "pidfile {}\nargsfile {}\n",
        d.join("slapd.pid").display(),
        d.join("slapd.args").display()
    );
    if let Some(modules) = first_dir(
        &[
            "/usr/lib/ldap",
            "/usr/lib64/openldap",
            "/usr/lib/openldap",
            "/usr/local/libexec/openldap",
        ],
        "back_mdb",
    ) {
        conf += &format!(
            "modulepath {}\nmoduleload back_mdb\nmoduleload syncprov\n",
            modules.display()
        );
    }
    if opts.tls {
        conf += &format!(
            "TLSCACertificateFile {}\nTLSCertificateFile {}\nTLSCertificateKeyFile {}\n",
            d.join("ca.pem").display(),
            d.join("server.pem").display(),
            d.join("server.key").display()
        );
    }
    conf += "sizelimit 500\n";
    conf += "access to dn.base=\"\" by * read\n";
    conf += "access to dn.base=\"cn=Subschema\" by * read\n\n";
    conf += "database mdb\nmaxsize 8589934592\n";
    conf +=
        &format!("suffix \"{suffix}\"\nrootdn \"cn=admin,{suffix}\"\nrootpw {ADMIN_PASSWORD}\n");
    conf += &format!("directory {}\ndbnosync\n", d.join("db").display());
    conf += "index objectClass eq\nindex entryUUID,entryCSN eq\nindex uid,member eq\n";
    conf += &format!("limits dn.exact=\"{reader}\" size=unlimited time=unlimited\n");
    conf += "access to attrs=userPassword by anonymous auth by * none\n";
    conf += &format!("access to * by dn.exact=\"{reader}\" read by * none\n");
    if opts.content_sync {
        conf += "overlay syncprov\nsyncprov-checkpoint 100 5\n";
    }
    if let Some(n) = opts.sessionlog.filter(|_| opts.content_sync) {
        conf += &format!("syncprov-sessionlog {n}\n");
    }
    conf
}

/// The DN of the read-only sync account.
pub fn reader_dn(suffix: &str) -> String {
    format!("cn=guichet-sync,ou=system,{suffix}")
}

/// The suffix entry and the `ou=people`, `ou=groups`, `ou=structures` containers.
pub fn base_ldif(suffix: &str) -> String {
    let (attr, value) = suffix
        .split(',')
        .next()
        .and_then(|r| r.split_once('='))
        .map(|(a, v)| (a.trim().to_ascii_lowercase(), v.trim().to_string()))
        .unwrap_or_default();
    let mut ldif = format!("dn: {suffix}\nobjectClass: top\n");
    ldif += &match attr.as_str() {
        "dc" => {
            format!("objectClass: dcObject\nobjectClass: organization\ndc: {value}\no: {value}\n")
        }
        "o" => format!("objectClass: organization\no: {value}\n"),
        _ => format!("objectClass: organizationalUnit\nou: {value}\n"),
    };
    for ou in ["people", "groups", "structures"] {
        ldif += &format!(
            "\ndn: ou={ou},{suffix}\nobjectClass: top\nobjectClass: organizationalUnit\nou: {ou}\n"
        );
    }
    ldif
}

/// `ou=system` and the sync account with its password (base64: it is not ASCII).
pub fn system_ldif(suffix: &str) -> String {
    format!(
        "dn: ou=system,{suffix}\nobjectClass: top\nobjectClass: organizationalUnit\nou: system\n\n\
         dn: {}\nobjectClass: top\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n\
         cn: guichet-sync\ndescription: Read-only account of the Guichet directory mirror\nuserPassword:: {}\n",
        reader_dn(suffix),
        b64(READER_PASSWORD.as_bytes())
    )
}
