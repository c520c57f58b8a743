//! The CLI contract (ARCHITECTURE §4): JSON shapes, exit codes, messages.

mod support;

use serde_json::Value;

fn json_lines(out: &std::process::Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect()
}

#[test]
fn search_prints_one_object_per_line_best_first() {
    let dir = tempfile::tempdir().unwrap();
    drop(support::fixture_store(dir.path()));
    let hits = json_lines(&support::cli(
        dir.path(),
        &["search", "helene", "--json", "--limit", "3"],
    ));
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    let keys: Vec<&str> = h.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "person_id",
        "display_name",
        "surname",
        "given_name",
        "eppn",
        "ine",
        "uid",
        "affiliation",
        "uai",
    ] {
        assert!(keys.contains(&k), "missing {k} in {h}");
    }
    assert_eq!(h["display_name"], "DUPRÉ Hélène");
    assert_eq!(h["uai"], "0359999Z");
    let hits = json_lines(&support::cli(
        dir.path(),
        &["--json", "search", "de la fontaine jean"],
    ));
    assert_eq!(hits[0]["given_name"], "Jean-Pierre");
    assert!(
        json_lines(&support::cli(
            dir.path(),
            &["search", "nobody-here", "--json"]
        ))
        .is_empty()
    );
}

#[test]
fn card_request_transition_show_list() {
    let dir = tempfile::tempdir().unwrap();
    drop(support::fixture_store(dir.path()));
    let person =
        json_lines(&support::cli(dir.path(), &["search", "lefevre", "--json"]))[0]["person_id"]
            .as_i64()
            .unwrap();
    let p = person.to_string();
    let req = json_lines(&support::cli(
        dir.path(),
        &["card", "request", "--person", &p, "--json"],
    ));
    assert_eq!(req[0]["state"], "NEW");
    assert_eq!(req[0]["person_id"], person);
    let card = req[0]["card_id"].as_i64().unwrap().to_string();

    // A forbidden transition exits 1 and names the allowed ones.
    let out = support::cli(
        dir.path(),
        &[
            "card",
            "transition",
            "--card",
            &card,
            "--to",
            "ENABLED",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("REJECTED, REQUEST_CHECKED, CANCELED"), "{err}");

    for (to, extra) in [
        ("REQUEST_CHECKED", vec![]),
        ("IN_PRINT", vec![]),
        ("ENCODED", vec!["--csn", "04A1B2C3D4E5F6"]),
        ("ENABLED", vec![]),
    ] {
        let mut args = vec![
            "card",
            "transition",
            "--card",
            &card,
            "--to",
            to,
            "--actor",
            "agent.cli",
            "--json",
        ];
        args.extend(extra);
        let t = json_lines(&support::cli(dir.path(), &args));
        assert_eq!(t[0]["to"], to);
        assert_eq!(t[0]["card_id"].as_i64().unwrap().to_string(), card);
    }
    // Disable needs a reason.
    let out = support::cli(
        dir.path(),
        &["card", "transition", "--card", &card, "--to", "DISABLED"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lost, stolen or out of order"));
    let t = json_lines(&support::cli(
        dir.path(),
        &[
            "card",
            "transition",
            "--card",
            &card,
            "--to",
            "disabled",
            "--reason",
            "theft",
            "--json",
        ],
    ));
    assert_eq!(
        (t[0]["from"].as_str(), t[0]["to"].as_str()),
        (Some("ENABLED"), Some("DISABLED"))
    );

    let show = json_lines(&support::cli(
        dir.path(),
        &["card", "show", "--card", &card, "--json"],
    ));
    let s = &show[0];
    assert_eq!(s["state"], "DISABLED");
    assert_eq!(s["csn"], "04A1B2C3D4E5F6");
    assert_eq!(s["qr"], "jerome.lefevre@univ-broceliande.fr");
    assert_eq!(s["due_date"], "2027-08-31");
    assert!(s["escn"].is_null());
    let h = s["history"].as_array().unwrap();
    assert_eq!(h.len(), 6);
    assert!(h[0]["from"].is_null());
    assert_eq!(h[0]["to"], "NEW");
    assert_eq!(h[1]["actor"], "agent.cli");
    assert!(h[1]["at"].as_str().unwrap().ends_with('Z'));
    for k in ["from", "to", "at", "actor", "comment"] {
        assert!(h[5].get(k).is_some(), "history field {k}");
    }
    // The card is now found by its reversed CSN.
    let hits = json_lines(&support::cli(
        dir.path(),
        &["search", "F6E5D4C3B2A104", "--json"],
    ));
    assert_eq!(hits[0]["person_id"], person);

    let list = json_lines(&support::cli(
        dir.path(),
        &["card", "list", "--person", &p, "--json"],
    ));
    assert_eq!(list.len(), 1);
    assert!(list[0].get("history").is_none());
    assert_eq!(list[0]["state"], "DISABLED");
}

#[test]
fn errors_and_usage() {
    let dir = tempfile::tempdir().unwrap();
    drop(support::fixture_store(dir.path()));
    let out = support::cli(dir.path(), &["card", "show", "--card", "999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("999"));
    let out = support::cli(
        dir.path(),
        &["card", "transition", "--card", "1", "--to", "FLYING"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("IN_PRINT"));
    let out = support::cli(dir.path(), &["search"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
    let out = support::cli(dir.path(), &["nonsense"]);
    assert_eq!(out.status.code(), Some(2));
    // French messages by default.
    let out = std::process::Command::new(support::guichet())
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["card", "show", "--card", "999"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Aucun"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn config_get_set_and_secrets_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = support::cli(dir.path(), &["config", "get", "ui.language"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "fr");
    assert!(
        support::cli(dir.path(), &["config", "set", "ui.language", "en"])
            .status
            .success()
    );
    let out = support::cli(dir.path(), &["config", "get", "ui.language"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "en");
    assert!(
        std::fs::read_to_string(dir.path().join("guichet.toml"))
            .unwrap()
            .contains("language = \"en\"")
    );
    let out = support::cli(dir.path(), &["config", "set", "ldap.password", "hunter2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("guichet secret set"));
    assert!(
        !std::fs::read_to_string(dir.path().join("guichet.toml"))
            .unwrap()
            .contains("hunter2")
    );
    let out = support::cli(dir.path(), &["config", "set", "ui.language", "de"]);
    assert_eq!(out.status.code(), Some(1));
    let out = support::cli(dir.path(), &["config", "get", "no.such"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ui.language"));
    // Secrets: the mock keyring accepts a value from standard input; an unknown name is refused.
    let mut child = std::process::Command::new(support::guichet())
        .arg("--data-dir")
        .arg(dir.path())
        .args(["secret", "set", "ldap-password"])
        .env("GUICHET_KEYRING", "mock")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"s3cret\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("s3cret"));
    let out = support::cli(dir.path(), &["secret", "set", "nope"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn person_add_reads_the_birth_date_like_the_desk_form() {
    let dir = tempfile::tempdir().unwrap();
    let add = |date: &str| {
        support::cli(
            dir.path(),
            &[
                "person",
                "add",
                "--surname",
                "Dupré",
                "--given-name",
                "Hélène",
                "--birth-date",
                date,
                "--json",
            ],
        )
    };
    let bad = add("31/02/2010");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("31/02/2010") && err.contains("not a date"),
        "{err}"
    );
    let first = json_lines(&add("03/02/2010"));
    assert_eq!(first[0]["existing"], false);
    // The same person again, the date written the other way: found, not recorded twice.
    let again = json_lines(&add(" 2010-02-03 "));
    assert_eq!(again[0]["existing"], true, "{again:?}");
    assert_eq!(again[0]["person_id"], first[0]["person_id"]);
}
