//! End-to-end directory sync against a real slapd (mdb + syncprov) started on a free loopback port:
//! full load, incremental changes, large groups, the mass-delete guard, offline, StartTLS, an
//! interrupted sync. With CI=true a missing slapd fails the tests.

mod support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use guichet::store::Store;
use serde_json::Value;
use support::slapd::{Slapd, SlapdOptions};

fn gen_ldif(dir: &Path, preset: &str, persons: usize, groups: usize, max: usize) -> PathBuf {
    let out = Command::new(support::guichet())
        .args(["gen-ldif", "--preset", preset])
        .args(["--persons", &persons.to_string()])
        .args(["--groups", &groups.to_string()])
        .args(["--max-group", &max.to_string()])
        .output()
        .expect("gen-ldif");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.join(format!("{preset}.ldif"));
    std::fs::write(&path, &out.stdout).unwrap();
    path
}

fn suffix(preset: &str) -> &'static str {
    if preset == "sdet" {
        "dc=ent-guichet,dc=fr"
    } else {
        "dc=univ-guichet,dc=fr"
    }
}

fn start(dir: &Path, preset: &str, persons: usize, groups: usize, max: usize) -> Option<Slapd> {
    let ldif = gen_ldif(dir, preset, persons, groups, max);
    Slapd::start(SlapdOptions {
        suffix: suffix(preset).to_string(),
        ldif: Some(ldif),
        ..SlapdOptions::default()
    })
}

/// Points the data folder at the server, as the reader account (password from the environment).
fn configure(data: &Path, slapd: &Slapd, preset: &str) {
    let s = suffix(preset);
    for (k, v) in [
        ("directory.url", slapd.url()),
        ("directory.tls", "none".to_string()),
        ("directory.bind_dn", slapd.reader_dn()),
        ("directory.preset", preset.to_string()),
        ("directory.people_base", format!("ou=people,{s}")),
        ("directory.groups_base", format!("ou=groups,{s}")),
        ("directory.structures_base", format!("ou=structures,{s}")),
    ] {
        let out = support::cli(data, &["config", "set", k, &v]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn sync_cmd(data: &Path, slapd: &Slapd, args: &[&str]) -> std::process::Output {
    Command::new(support::guichet())
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en", "sync", "--json"])
        .args(args)
        .env("GUICHET_LDAP_PASSWORD", slapd.reader_password())
        .env("GUICHET_KEYRING", "mock")
        .output()
        .expect("run sync")
}

fn sync(data: &Path, slapd: &Slapd, args: &[&str]) -> Value {
    let out = sync_cmd(data, slapd, args);
    assert!(
        out.status.success(),
        "sync failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json report")
}

fn count(data: &Path, sql: &str) -> i64 {
    let store = Store::open(&data.join("guichet.db")).unwrap();
    store
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

fn search(data: &Path, q: &str) -> Vec<Value> {
    let out = support::cli(data, &["search", q, "--json"]);
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The DN of the last person the mirror received.
fn last_dn(data: &Path) -> String {
    Store::open(&data.join("guichet.db"))
        .unwrap()
        .read(|c| {
            Ok(
                c.query_row("SELECT dn FROM persons ORDER BY id DESC LIMIT 1", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap()
}

/// The persons listed in a group's own `member` attribute (origin bit 1).
fn direct_members(store: &Store, gid: i64) -> HashSet<i64> {
    store
        .read(|c| {
            let mut s = c.prepare(
                "SELECT person_id FROM memberships WHERE group_id = ?1 AND origin & 1 != 0",
            )?;
            let r = s.query_map([gid], |r| r.get(0))?;
            Ok(r.collect::<Result<_, _>>()?)
        })
        .unwrap()
}

const PEOPLE_SQL: &str =
    "SELECT COUNT(*) FROM persons WHERE source = 'ldap' AND departed_at IS NULL";

#[test]
fn supann_full_load_then_incremental_applies_exactly_the_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(slapd) = start(tmp.path(), "supann", 400, 40, 150) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    let full = sync(&data, &slapd, &[]);
    assert_eq!(full["mode"], "full");
    assert_eq!(full["added"], 400, "{full}");
    assert_eq!(count(&data, PEOPLE_SQL), 400);
    assert_eq!(
        count(&data, "SELECT COUNT(*) FROM groups WHERE source = 'ldap'"),
        40
    );
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(DISTINCT entry_uuid) FROM persons WHERE source = 'ldap'"
        ),
        400
    );
    assert!(
        count(
            &data,
            "SELECT COUNT(*) FROM structures WHERE source = 'ldap'"
        ) > 1
    );
    assert!(
        count(
            &data,
            "SELECT COUNT(*) FROM persons WHERE structure_id IS NULL"
        ) == 0
    );

    // Nothing changed: nothing transferred, nothing removed.
    let idle = sync(&data, &slapd, &[]);
    assert_eq!(idle["mode"], "incremental");
    assert_eq!(idle["entries"], 0, "{idle}");
    assert_eq!(count(&data, PEOPLE_SQL), 400);

    // Pick two persons and a group from the mirror.
    let store = Store::open(&data.join("guichet.db")).unwrap();
    let dns: Vec<String> = store
        .read(|c| {
            let mut s =
                c.prepare("SELECT dn FROM persons WHERE source = 'ldap' ORDER BY id LIMIT 3")?;
            let r = s.query_map([], |r| r.get(0))?;
            Ok(r.collect::<Result<_, _>>()?)
        })
        .unwrap();
    drop(store);
    let s = suffix("supann");
    slapd.modify(&format!(
        "dn: {m}\nchangetype: modify\nreplace: sn\nsn: Lefèvre-Écuyer\n\n\
         dn: {r}\nchangetype: modrdn\nnewrdn: uid=renamed.person\ndeleteoldrdn: 1\n\n\
         dn: {d}\nchangetype: delete\n\n\
         dn: uid=nouvelle.arrivee,ou=people,{s}\nchangetype: add\nobjectClass: inetOrgPerson\nobjectClass: eduPerson\n\
         objectClass: supannPerson\nuid: nouvelle.arrivee\ncn: Maëlle Nouvel-Arrivée\nsn: Nouvel-Arrivée\ngivenName: Maëlle\n\
         eduPersonPrincipalName: nouvelle.arrivee@univ-guichet.fr\neduPersonPrimaryAffiliation: student\n\
         supannEtuId: 99999999\n\n",
        m = dns[0],
        r = dns[1],
        d = dns[2]
    ));
    let inc = sync(&data, &slapd, &[]);
    assert_eq!(inc["mode"], "incremental");
    assert_eq!(inc["added"], 1, "{inc}");
    assert_eq!(inc["modified"], 2, "{inc}");
    assert_eq!(
        inc["deleted"].as_u64().unwrap() + inc["departed"].as_u64().unwrap(),
        1
    );
    // Only the changed entries were transferred (plus group entries whose members changed).
    assert!(inc["entries"].as_u64().unwrap() <= 3 + 40, "{inc}");
    assert!(inc["entries"].as_u64().unwrap() >= 3, "{inc}");
    assert_eq!(count(&data, PEOPLE_SQL), 400);
    assert_eq!(search(&data, "lefevre ecuyer").len(), 1);
    assert_eq!(search(&data, "nouvel arrivee maelle").len(), 1);
    assert_eq!(search(&data, "99999999").len(), 1);
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM persons WHERE uid = 'renamed.person' AND dn LIKE 'uid=renamed.person,%'"
        ),
        1
    );
}

#[test]
fn sdet_schools_with_classes_parents_and_structures() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(slapd) = start(tmp.path(), "sdet", 500, 60, 120) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "sdet");
    let full = sync(&data, &slapd, &[]);
    assert_eq!(full["added"], 500, "{full}");
    assert!(
        count(
            &data,
            "SELECT COUNT(*) FROM structures WHERE uai IS NOT NULL"
        ) >= 1
    );
    assert!(
        count(
            &data,
            "SELECT COUNT(*) FROM person_links WHERE kind = 'parent_of'"
        ) > 0
    );
    assert!(count(&data, "SELECT COUNT(*) FROM groups WHERE kind = 'class'") > 0);
    assert!(
        count(
            &data,
            "SELECT COUNT(*) FROM person_identifiers WHERE kind = 'jointure'"
        ) >= 500
    );
    assert!(
        count(
            &data,
            "SELECT COUNT(*) FROM persons WHERE affiliation = 'National_ELV' AND structure_id IS NOT NULL"
        ) > 0
    );
    let again = sync(&data, &slapd, &[]);
    assert_eq!(again["mode"], "incremental");
    assert_eq!(again["added"], 0);
    assert_eq!(again["modified"], 0);
}

#[test]
fn a_large_group_changes_by_membership_difference() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(slapd) = start(tmp.path(), "supann", 1500, 30, 1200) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    sync(&data, &slapd, &[]);
    let store = Store::open(&data.join("guichet.db")).unwrap();
    let (gid, dn, size): (i64, String, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT g.id, g.dn_key, COUNT(*) FROM groups g JOIN memberships m ON m.group_id = g.id
                  WHERE m.origin & 1 != 0 AND g.name = 'univ:applications:bibliotheque:lecteurs (carte active)'
                  GROUP BY g.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(size, 1200);
    let (member_out, outsider): (String, String) = store
        .read(|c| {
            Ok((
                c.query_row(
                    "SELECT p.dn FROM persons p JOIN memberships m ON m.person_id = p.id
                      WHERE m.group_id = ?1 AND m.origin & 1 != 0 ORDER BY p.id LIMIT 1",
                    [gid],
                    |r| r.get(0),
                )?,
                c.query_row(
                    "SELECT dn FROM persons WHERE id NOT IN (SELECT person_id FROM memberships WHERE group_id = ?1)
                      ORDER BY id LIMIT 1",
                    [gid],
                    |r| r.get(0),
                )?,
            ))
        })
        .unwrap();
    let rowids_before = direct_members(&store, gid);
    drop(store);
    slapd.modify(&format!(
        "dn: {dn}\nchangetype: modify\ndelete: member\nmember: {member_out}\n-\nadd: member\nmember: {outsider}\n\n"
    ));
    let inc = sync(&data, &slapd, &[]);
    assert_eq!(inc["groups"], 1, "{inc}");
    assert_eq!(inc["memberships"], 2, "one removal and one addition: {inc}");
    let store = Store::open(&data.join("guichet.db")).unwrap();
    let after = direct_members(&store, gid);
    assert_eq!(after.len(), rowids_before.len());
    assert_eq!(after.symmetric_difference(&rowids_before).count(), 2);
}

#[test]
fn the_mass_delete_guard_stops_before_deleting_and_departed_persons_keep_their_cards() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(slapd) = start(tmp.path(), "supann", 300, 10, 50) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    sync(&data, &slapd, &[]);
    // A card for a student, then a filter that (wrongly) keeps only the staff.
    let hit = &search(&data, "a")[0];
    let pid = hit["person_id"].as_i64().unwrap();
    let out = support::cli(&data, &["card", "request", "--person", &pid.to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let affiliation = hit["affiliation"].as_str().unwrap().to_string();
    let filter =
        format!("(&(objectClass=supannPerson)(!(eduPersonPrimaryAffiliation={affiliation})))");
    let out = support::cli(
        &data,
        &["config", "set", "directory.people_filter", &filter],
    );
    assert!(out.status.success());
    let refused = sync_cmd(&data, &slapd, &[]);
    assert!(!refused.status.success());
    let msg = String::from_utf8_lossy(&refused.stderr);
    assert!(msg.contains("before deleting anything"), "{msg}");
    assert_eq!(count(&data, PEOPLE_SQL), 300, "nothing deleted");
    let forced = sync(&data, &slapd, &["--allow-mass-delete"]);
    let removed = forced["deleted"].as_u64().unwrap() + forced["departed"].as_u64().unwrap();
    assert!(removed > 30, "{forced}");
    assert!(forced["departed"].as_u64().unwrap() >= 1, "{forced}");
    assert_eq!(
        count(
            &data,
            &format!("SELECT COUNT(*) FROM persons WHERE id = {pid} AND departed_at IS NOT NULL")
        ),
        1
    );
    assert_eq!(
        count(
            &data,
            &format!("SELECT COUNT(*) FROM cards WHERE person_id = {pid}")
        ),
        1
    );
}

#[test]
fn an_unreachable_directory_reports_offline_and_keeps_the_mirror() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mut slapd) = start(tmp.path(), "supann", 200, 10, 40) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    sync(&data, &slapd, &[]);
    slapd.stop();
    let out = sync_cmd(&data, &slapd, &[]);
    assert!(!out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("Cannot reach the directory"), "{msg}");
    assert_eq!(count(&data, PEOPLE_SQL), 200);
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM sync_state WHERE directory = 'people' AND offline_since IS NOT NULL"
        ),
        1
    );
    assert!(!search(&data, "a").is_empty());
    slapd.restart();
    let back = sync(&data, &slapd, &[]);
    assert_eq!(back["mode"], "incremental");
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM sync_state WHERE directory = 'people' AND offline_since IS NULL AND last_ok_at IS NOT NULL"
        ),
        1
    );
}

#[test]
fn starttls_with_the_test_ca_and_a_password_with_special_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let ldif = gen_ldif(tmp.path(), "supann", 50, 5, 10);
    let Some(slapd) = Slapd::start(SlapdOptions {
        suffix: suffix("supann").to_string(),
        ldif: Some(ldif),
        tls: true,
        ..SlapdOptions::default()
    }) else {
        return;
    };
    assert!(slapd.reader_password().contains('*'));
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    let url = slapd.url().replace("127.0.0.1", "localhost");
    support::cli(&data, &["config", "set", "directory.url", &url]);
    support::cli(&data, &["config", "set", "directory.tls", "starttls"]);
    // Without the CA: the certificate cannot be verified.
    let out = sync_cmd(&data, &slapd, &[]);
    assert!(!out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("TLS"), "{msg}");
    let ca = slapd.ca_file().unwrap().display().to_string();
    support::cli(&data, &["config", "set", "directory.ca_file", &ca]);
    let ok = sync(&data, &slapd, &[]);
    assert_eq!(ok["added"], 50, "{ok}");
    // A wrong password is refused clearly.
    let out = Command::new(support::guichet())
        .arg("--data-dir")
        .arg(&data)
        .args(["--lang", "en", "sync"])
        .env("GUICHET_LDAP_PASSWORD", "S3cr3t:*()\\ wrong")
        .env("GUICHET_KEYRING", "mock")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Bind refused"));

    // LDAPS: the same mirror, read again in full over TLS from the first byte.
    let ldaps = slapd.ldaps_url().unwrap().replace("127.0.0.1", "localhost");
    support::cli(&data, &["config", "set", "directory.url", &ldaps]);
    let again = sync(&data, &slapd, &["--full"]);
    assert_eq!(again["mode"], "full", "{again}");
    assert_eq!(
        (again["added"].as_u64(), again["deleted"].as_u64()),
        (Some(0), Some(0))
    );

    // "Test connection" over StartTLS and LDAPS: verified, bound, and the entries counted page by page.
    use guichet::config::TlsMode;
    use guichet::directory::client::{ConnectSettings, DirError, Searches, test_connection};
    let s = suffix("supann");
    let filters = guichet::directory::mapping::Mapping::preset(
        guichet::directory::mapping::PresetName::Supann,
    )
    .filters();
    let searches = Searches {
        people: (format!("ou=people,{s}"), filters.people),
        groups: Some((format!("ou=groups,{s}"), filters.groups)),
        structures: None,
    };
    let settings = |url: &str, ca: Option<&str>, password: &str| ConnectSettings {
        url: url.to_string(),
        tls: TlsMode::Starttls,
        ca_file: ca.map(PathBuf::from),
        bind_dn: Some(slapd.reader_dn()),
        password: Some(password.to_string()),
        timeout: std::time::Duration::from_secs(10),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for tls_url in [url.as_str(), ldaps.as_str()] {
        let report = rt
            .block_on(test_connection(
                &settings(tls_url, Some(&ca), slapd.reader_password()),
                &searches,
            ))
            .unwrap_or_else(|e| panic!("{tls_url}: {e}"));
        assert_eq!(report.tls_verified, Some(true), "{tls_url}");
        assert!(report.content_sync, "{tls_url}");
        assert_eq!(report.people.unwrap(), 50, "{tls_url}");
        assert_eq!(report.groups.unwrap().unwrap(), 5, "{tls_url}");
        let unverified = rt.block_on(test_connection(
            &settings(tls_url, None, slapd.reader_password()),
            &searches,
        ));
        assert!(
            matches!(unverified, Err(DirError::Tls { .. })),
            "{tls_url}: {unverified:?}"
        );
        let refused = rt.block_on(test_connection(
            &settings(tls_url, Some(&ca), "wrong"),
            &searches,
        ));
        assert!(
            matches!(refused, Err(DirError::BindRefused { .. })),
            "{tls_url}: {refused:?}"
        );
    }
}

#[test]
fn values_with_filter_characters_sync_and_are_found() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(slapd) = start(tmp.path(), "supann", 30, 3, 5) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    sync(&data, &slapd, &[]);
    let s = suffix("supann");
    slapd.modify(&format!(
        "dn: uid=o.brien,ou=people,{s}\nchangetype: add\nobjectClass: inetOrgPerson\nobjectClass: eduPerson\n\
         objectClass: supannPerson\nuid: o.brien\ncn: x\nsn: O'Brien (*test*) \\ back\ngivenName: Seán\n\
         eduPersonPrincipalName: o.brien@univ-guichet.fr\neduPersonPrimaryAffiliation: staff\n\n"
    ));
    // The people filter itself holds escaped characters: only persons whose cn is not `*(x)\`.
    let out = support::cli(
        &data,
        &[
            "config",
            "set",
            "directory.people_filter",
            "(&(objectClass=supannPerson)(!(cn=\\2a\\28x\\29\\5c)))",
        ],
    );
    assert!(out.status.success());
    let r = sync(&data, &slapd, &[]);
    assert_eq!(r["added"], 1, "{r}");
    let hits = search(&data, "o'brien");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["surname"], "O'Brien (*test*) \\ back");
}

#[test]
fn an_interrupted_sync_resumes_without_duplicates_or_losses() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(slapd) = start(tmp.path(), "supann", 30000, 200, 5000) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    let mut child = Command::new(support::guichet())
        .arg("--data-dir")
        .arg(&data)
        .args(["sync", "--json"])
        .env("GUICHET_LDAP_PASSWORD", slapd.reader_password())
        .env("GUICHET_KEYRING", "mock")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some batches are in (read-only peeks: opening the store would repair what the
    // first load suspended).
    let db = data.join("guichet.db");
    let t = std::time::Instant::now();
    loop {
        let n =
            rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(|c| {
                    c.query_row("SELECT COUNT(*) FROM persons", [], |r| r.get::<_, i64>(0))
                })
                .unwrap_or(0);
        if n >= 1000 || t.elapsed().as_secs() > 60 {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    // A first load into an empty store writes its search index aside (store::side_index) and copies
    // it in once every person is written: killed before that, the store holds persons the index does
    // not have yet, and says so (read-only peek, before anything opens the store).
    let peek =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let (partial, indexed, pending): (i64, i64, i64) = peek
        .query_row(
            "SELECT (SELECT COUNT(*) FROM persons), (SELECT COUNT(*) FROM person_fts),
                    (SELECT COUNT(*) FROM settings WHERE key = 'index.side_load')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    drop(peek);
    assert!(
        !status.success() && partial < 30000,
        "the sync should have been interrupted mid-way ({partial} persons)"
    );
    assert_eq!((indexed, pending), (0, 1), "{partial} persons");
    // Opening the store rebuilds the index of what was committed, and throws the scratch file away.
    let store = Store::open(&db).unwrap();
    let (persons, indexed): (i64, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT COUNT(*) FROM persons), (SELECT COUNT(*) FROM person_fts)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    drop(store);
    assert_eq!((persons, indexed), (partial, partial));
    assert!(!data.join("guichet.db-index-load").exists());
    // The next sync completes the mirror.
    let r = sync(&data, &slapd, &[]);
    assert_eq!(
        r["mode"], "full",
        "no cookie was saved by the interrupted run"
    );
    assert_eq!(count(&data, PEOPLE_SQL), 30000);
    assert_eq!(
        count(&data, "SELECT COUNT(DISTINCT entry_uuid) FROM persons"),
        30000
    );
    assert_eq!(count(&data, "SELECT COUNT(*) FROM person_fts"), 30000);
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'"
        ),
        7
    );
    // The first load's suspended indexes and markers are gone, and its memberships (written only in
    // its last transaction) are those of a load done in one go.
    for index in [
        "persons_sort",
        "persons_dn_key",
        "memberships_person",
        "person_identifiers_value",
    ] {
        assert_eq!(
            count(
                &data,
                &format!(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '{index}'"
                )
            ),
            1,
            "{index}"
        );
    }
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM settings WHERE key LIKE 'index.%' OR key LIKE 'sync.first%'"
        ),
        0
    );
    let clean = tmp.path().join("clean");
    configure(&clean, &slapd, "supann");
    let one_go = sync(&clean, &slapd, &[]);
    assert_eq!(one_go["added"], 30000);
    // The index this load wrote aside and copied in is whole and sound (FTS5's own check).
    assert_eq!(count(&clean, "SELECT COUNT(*) FROM person_fts"), 30000);
    for db in [db.clone(), clean.join("guichet.db")] {
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch(
                "INSERT INTO person_fts(person_fts) VALUES ('integrity-check');
                 INSERT INTO person_ids_fts(person_ids_fts) VALUES ('integrity-check');",
            )
            .unwrap();
    }
    let memberships = "SELECT COUNT(*) FROM memberships m JOIN persons p ON p.id = m.person_id";
    assert!(count(&clean, memberships) > 30000);
    assert_eq!(count(&data, memberships), count(&clean, memberships));
    let again = sync(&data, &slapd, &[]);
    assert_eq!(again["mode"], "incremental");
    assert_eq!(again["added"], 0);
}

#[test]
fn without_content_sync_the_fallback_uses_modify_timestamps_and_full_passes_find_deletions() {
    let tmp = tempfile::tempdir().unwrap();
    let ldif = gen_ldif(tmp.path(), "supann", 120, 8, 30);
    let Some(slapd) = Slapd::start(SlapdOptions {
        ldif: Some(ldif),
        content_sync: false,
        ..SlapdOptions::default()
    }) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    let full = sync(&data, &slapd, &[]);
    assert_eq!(full["mode"], "full");
    assert_eq!(full["added"], 120);
    let dn = last_dn(&data);
    // Timestamps have a one-second grain and the filter is `>=` the last one seen, so entries of the
    // load's second come again once; after that only what changed is transferred.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    slapd.modify(&format!(
        "dn: {dn}\nchangetype: modify\nreplace: sn\nsn: Première-Modif\n\n"
    ));
    let inc = sync(&data, &slapd, &[]);
    assert_eq!(inc["mode"], "fallback", "{inc}");
    assert_eq!(inc["modified"], 1, "{inc}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    slapd.modify(&format!(
        "dn: {dn}\nchangetype: modify\nreplace: sn\nsn: Dernière-Modif\n\n"
    ));
    let inc = sync(&data, &slapd, &[]);
    assert_eq!(inc["modified"], 1, "{inc}");
    // Persons: only the changed one (structures and groups, unchanged since the load, keep their own
    // watermark at the load's second and come again).
    let unchanged_bases = count(
        &data,
        "SELECT (SELECT COUNT(*) FROM groups) + (SELECT COUNT(*) FROM structures)",
    );
    assert!(
        inc["entries"].as_i64().unwrap() <= 2 + unchanged_bases,
        "only recent changes: {inc}"
    );
    assert_eq!(search(&data, "derniere modif").len(), 1);
    // A deletion is invisible to the timestamp filter; the periodic full pass finds it.
    slapd.modify(&format!("dn: {dn}\nchangetype: delete\n\n"));
    let inc = sync(&data, &slapd, &[]);
    assert_eq!(inc["deleted"], 0);
    let full = sync(&data, &slapd, &["--full"]);
    assert_eq!(full["deleted"], 1, "{full}");
    assert_eq!(count(&data, PEOPLE_SQL), 119);
}

#[test]
fn with_a_session_log_deletions_arrive_as_delete_states() {
    let tmp = tempfile::tempdir().unwrap();
    let ldif = gen_ldif(tmp.path(), "supann", 120, 8, 30);
    let Some(slapd) = Slapd::start(SlapdOptions {
        ldif: Some(ldif),
        sessionlog: Some(500),
        ..SlapdOptions::default()
    }) else {
        return;
    };
    let data = tmp.path().join("data");
    configure(&data, &slapd, "supann");
    sync(&data, &slapd, &[]);
    let dn = last_dn(&data);
    slapd.modify(&format!("dn: {dn}\nchangetype: delete\n\n"));
    let inc = sync(&data, &slapd, &[]);
    assert_eq!(inc["mode"], "incremental");
    assert_eq!(inc["deleted"], 1, "{inc}");
    assert_eq!(count(&data, PEOPLE_SQL), 119);
}
