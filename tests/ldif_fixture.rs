//! The synthetic directory and the slapd fixture together: `guichet gen-ldif` output loads with
//! the project's schemas and is served with the expected counts; the fixture's TLS, accounts,
//! changes and restart work.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::slapd::{Slapd, SlapdOptions};

fn gen_ldif(
    dir: &Path,
    preset: &str,
    persons: u32,
    groups: u32,
    max: u32,
    seed: u64,
) -> (PathBuf, String) {
    let out = support::cli(
        dir,
        &[
            "gen-ldif",
            "--preset",
            preset,
            "--persons",
            &persons.to_string(),
            "--groups",
            &groups.to_string(),
            "--max-group",
            &max.to_string(),
            "--seed",
            &seed.to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "gen-ldif failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.join(format!("{preset}-{persons}-{seed}.ldif"));
    std::fs::write(&path, &out.stdout).expect("write ldif");
    (path, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `(filter)` value escaping (RFC 4515) for the few characters group names hold.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\5c")
        .replace('(', "\\28")
        .replace(')', "\\29")
        .replace('*', "\\2a")
}

/// Member counts of every group, from an unwrapped LDIF search result.
fn member_counts(ldif: &str) -> Vec<(String, usize)> {
    ldif.split("\n\n")
        .filter(|b| b.starts_with("dn"))
        .map(|b| {
            let dn = b.lines().next().unwrap_or_default().to_string();
            (dn, b.lines().filter(|l| l.starts_with("member:")).count())
        })
        .collect()
}

fn check_loaded(preset: &str, options: SlapdOptions, person_class: &str, biggest: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ldif, summary) = gen_ldif(dir.path(), preset, 600, 40, 150, 7);
    assert!(
        summary.contains("600 persons") && summary.contains("40 groups"),
        "{summary}"
    );
    let Some(slapd) = Slapd::start(SlapdOptions {
        ldif: Some(ldif),
        ..options
    }) else {
        return;
    };
    let base = slapd.suffix().to_string();
    let groups_base = format!("ou=groups,{base}");
    assert_eq!(
        slapd.search_count(&base, &format!("(objectClass={person_class})")),
        600
    );
    assert_eq!(
        slapd.search_count(&groups_base, "(objectClass=groupOfNames)"),
        40
    );
    let groups = slapd.search(&groups_base, "(objectClass=groupOfNames)", &["member"]);
    let counts = member_counts(&groups);
    assert_eq!(counts.len(), 40);
    assert!(
        counts.iter().all(|(_, n)| *n > 0),
        "empty group: {counts:?}"
    );
    assert_eq!(counts.iter().map(|c| c.1).max(), Some(150), "{counts:?}");
    let filter = format!("(isMemberOf={})", escape(biggest));
    assert_eq!(slapd.search_count(&base, &filter), 150, "{filter}");
    // Nested groups: some members are group DNs.
    assert!(
        groups.lines().any(|l| l.starts_with("member: cn=")),
        "no nested group"
    );
    // The sync account reads everything, without the 500-entry size limit of ordinary users.
    let out = Command::new("ldapsearch")
        .args([
            "-x",
            "-LLL",
            "-H",
            &slapd.url(),
            "-D",
            &slapd.reader_dn(),
            "-w",
            slapd.reader_password(),
        ])
        .args(["-b", &base, "(objectClass=*)", "1.1"])
        .output()
        .expect("ldapsearch");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entries = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("dn"))
        .count();
    assert!(entries > 600, "{entries}");
}

#[test]
fn supann_ldif_loads_and_is_served() {
    check_loaded(
        "supann",
        SlapdOptions::supann(),
        "supannPerson",
        "univ:applications:bibliotheque:lecteurs (carte active)",
    );
}

#[test]
fn sdet_ldif_loads_and_is_served() {
    check_loaded(
        "sdet",
        SlapdOptions::sdet(),
        "ENTPerson",
        "esco:Applications:Mediacentre:Acces ressources (GAR)",
    );
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    for preset in ["supann", "sdet"] {
        let (a, _) = gen_ldif(dir.path(), preset, 250, 30, 80, 3);
        let a = std::fs::read(a).expect("read");
        let b = support::cli(
            dir.path(),
            &[
                "gen-ldif",
                "--preset",
                preset,
                "--persons",
                "250",
                "--groups",
                "30",
                "--max-group",
                "80",
                "--seed",
                "3",
            ],
        );
        assert!(a == b.stdout, "{preset}: two runs differ");
        let (c, _) = gen_ldif(dir.path(), preset, 250, 30, 80, 4);
        assert!(
            a != std::fs::read(c).expect("read"),
            "{preset}: seeds 3 and 4 give the same LDIF"
        );
    }
}

#[test]
fn gen_ldif_refuses_bad_options() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = support::cli(
        dir.path(),
        &["gen-ldif", "--preset", "supann", "--persons", "0"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--persons"));
    let out = support::cli(
        dir.path(),
        &["gen-ldif", "--preset", "sdet", "--base", "cn=x,dc=fr"],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = support::cli(dir.path(), &["gen-ldif", "--preset", "other"]);
    assert_eq!(out.status.code(), Some(2));
}

fn tls_search(url: &str, ca: &Path, starttls: bool, slapd: &Slapd) -> Output {
    let mut cmd = Command::new("ldapsearch");
    cmd.env("LDAPTLS_CACERT", ca)
        .env("LDAPTLS_REQCERT", "demand");
    cmd.args(["-x", "-LLL", "-H", url]);
    if starttls {
        cmd.arg("-ZZ");
    }
    cmd.args(["-D", &slapd.reader_dn(), "-w", slapd.reader_password()])
        .args(["-s", "base", "-b", slapd.suffix(), "(objectClass=*)", "1.1"])
        .output()
        .expect("ldapsearch")
}

#[test]
fn tls_fixture_serves_starttls_and_ldaps() {
    let Some(slapd) = Slapd::start(SlapdOptions {
        tls: true,
        ..SlapdOptions::default()
    }) else {
        return;
    };
    let ca = slapd.ca_file().expect("CA file");
    let ok = |o: &Output| {
        o.status.success() && String::from_utf8_lossy(&o.stdout).contains("dn: dc=univ-guichet")
    };
    let o = tls_search(&slapd.url(), &ca, true, &slapd);
    assert!(ok(&o), "StartTLS: {}", String::from_utf8_lossy(&o.stderr));
    let by_name = format!("ldap://localhost:{}", slapd.port());
    let o = tls_search(&by_name, &ca, true, &slapd);
    assert!(
        ok(&o),
        "StartTLS to localhost: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ldaps = slapd.ldaps_url().expect("ldaps url");
    let o = tls_search(&ldaps, &ca, false, &slapd);
    assert!(ok(&o), "ldaps: {}", String::from_utf8_lossy(&o.stderr));
    // Another CA does not validate the server.
    let other = tempfile::tempdir().expect("tempdir");
    let status = Command::new("openssl")
        .current_dir(other.path())
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ])
        .args([
            "-keyout",
            "k.pem",
            "-out",
            "ca.pem",
            "-days",
            "1",
            "-subj",
            "/CN=Other CA",
        ])
        .output()
        .expect("openssl");
    assert!(status.status.success());
    let o = tls_search(&slapd.url(), &other.path().join("ca.pem"), true, &slapd);
    assert!(!o.status.success(), "a foreign CA was accepted");
}

#[test]
fn accounts_changes_and_restart() {
    let Some(mut slapd) = Slapd::start(SlapdOptions {
        sessionlog: Some(200),
        ..SlapdOptions::supann()
    }) else {
        return;
    };
    let base = slapd.suffix().to_string();
    // The sync account binds with its special-character password, given as an argument or a file.
    let whoami = |pw: &[&str]| {
        Command::new("ldapwhoami")
            .args(["-x", "-H", &slapd.url(), "-D", &slapd.reader_dn()])
            .args(pw)
            .output()
            .expect("ldapwhoami")
    };
    let o = whoami(&["-w", slapd.reader_password()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("cn=guichet-sync,ou=system"));
    let pw_file = slapd.reader_password_file();
    assert!(
        whoami(&["-y", pw_file.to_str().expect("utf-8 path")])
            .status
            .success()
    );
    assert_eq!(
        whoami(&["-w", "S3cr3t"]).status.code(),
        Some(49),
        "wrong password accepted"
    );
    // Anonymous users see nothing.
    let anon = Command::new("ldapsearch")
        .args([
            "-x",
            "-LLL",
            "-H",
            &slapd.url(),
            "-b",
            &base,
            "(objectClass=*)",
            "1.1",
        ])
        .output()
        .expect("ldapsearch");
    assert!(!String::from_utf8_lossy(&anon.stdout).contains("dn:"));
    // Changes as rootdn: add (with a base64 value), modify, modrdn, delete.
    slapd.modify(&format!(
        "dn: uid=zoe.loewy,ou=people,{base}\nchangetype: add\nobjectClass: inetOrgPerson\n\
         uid: zoe.loewy\nsn:: TMWTd3k=\ncn:: Wm/DqSBMxZN3eQ==\n\n\
         dn: uid=zoe.loewy,ou=people,{base}\nchangetype: modify\nreplace: mail\nmail: zoe.loewy@univ-guichet.fr\n-\n\n\
         dn: uid=zoe.loewy,ou=people,{base}\nchangetype: modrdn\nnewrdn: uid=zoe.loewy2\ndeleteoldrdn: 0\n"
    ));
    assert_eq!(slapd.search_count(&base, "(uid=zoe.loewy2)"), 1);
    assert_eq!(slapd.search_count(&base, "(sn=Lœwy)"), 1);
    let file = slapd.dir().join("more.ldif");
    std::fs::write(&file, format!("dn: uid=hdupre,ou=people,{base}\nobjectClass: inetOrgPerson\nuid: hdupre\nsn: Dupré\ncn: Hélène Dupré\n")).expect("write");
    slapd.add_ldif_file(&file);
    assert_eq!(slapd.search_count(&base, "(objectClass=inetOrgPerson)"), 2);
    assert!(
        slapd
            .try_modify(&format!(
                "dn: uid=nobody,ou=people,{base}\nchangetype: delete\n"
            ))
            .is_err()
    );
    slapd.modify(&format!(
        "dn: uid=zoe.loewy2,ou=people,{base}\nchangetype: delete\n"
    ));
    assert_eq!(slapd.search_count(&base, "(objectClass=inetOrgPerson)"), 1);
    let seconds = slapd.bare_search_seconds(&base, "(objectClass=inetOrgPerson)", &["uid", "cn"]);
    assert!(seconds > 0.0);
    // Stopped: unreachable; restarted on the same URL with the same data.
    let url = slapd.url();
    slapd.stop();
    let down = Command::new("ldapsearch")
        .args([
            "-x",
            "-H",
            &url,
            "-o",
            "nettimeout=2",
            "-s",
            "base",
            "-b",
            "",
        ])
        .output()
        .expect("ldapsearch");
    assert!(!down.status.success(), "still answering after stop");
    slapd.restart();
    assert_eq!(slapd.url(), url);
    assert_eq!(slapd.search_count(&base, "(uid=hdupre)"), 1);
    assert!(
        std::fs::read_to_string(slapd.dir().join("slapd.conf"))
            .expect("conf")
            .contains("syncprov-sessionlog 200")
    );
}
