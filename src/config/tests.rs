use super::*;

#[test]
fn get_and_set_dotted_keys() {
    let mut c = Config::default();
    assert_eq!(c.get("ui.language").unwrap(), "fr");
    c.set("ui.language", "en").unwrap();
    assert_eq!(c.ui.language, Lang::En);
    c.set("desk.results_limit", "50").unwrap();
    assert_eq!(c.get("desk.results_limit").unwrap(), "50");
    c.set("card.pic", "999859608").unwrap();
    assert_eq!(c.card_options().escn, Some((1, 999_859_608)));
    c.set("card.pic", "").unwrap();
    assert_eq!(c.card.pic, None);
}

#[test]
fn bad_values_change_nothing() {
    let mut c = Config::default();
    assert!(matches!(
        c.set("ui.language", "de"),
        Err(ConfigError::BadValue { .. })
    ));
    assert!(matches!(
        c.set("desk.results_limit", "0"),
        Err(ConfigError::BadValue { .. })
    ));
    assert!(matches!(
        c.set("nope.key2", "x"),
        Err(ConfigError::UnknownKey(_))
    ));
    assert_eq!(c, Config::default());
}

#[test]
fn secrets_are_refused() {
    let mut c = Config::default();
    for k in [
        "ldap.password",
        "crous.client_secret",
        "escr.api_key",
        "desfire.master_key",
        "x.token",
    ] {
        assert!(
            matches!(c.set(k, "hunter2"), Err(ConfigError::SecretKey(_))),
            "{k}"
        );
        assert!(matches!(c.get(k), Err(ConfigError::SecretKey(_))), "{k}");
    }
}

#[test]
fn save_and_load_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/guichet.toml");
    assert_eq!(Config::load(&path).unwrap(), Config::default());
    let mut c = Config::default();
    c.set("ui.theme", "dark").unwrap();
    c.save(&path).unwrap();
    assert_eq!(Config::load(&path).unwrap(), c);
    std::fs::write(&path, "[ui]\nlanguage = 'xx'\n").unwrap();
    assert!(matches!(
        Config::load(&path),
        Err(ConfigError::Parse { .. })
    ));
}

#[test]
fn service_settings_are_set_and_checked() {
    let mut c = Config::default();
    c.set("crous.token_url", "https://acces.example").unwrap();
    assert_eq!(c.get("crous.token_url").unwrap(), "https://acces.example");
    c.set("crous.enabled", "true").unwrap();
    c.set("writeback.enabled", "true").unwrap();
    assert_eq!(c.card_options().services.len(), 2);
    assert!(c.set("crous.rule_sources", "12/0123456Y/x").is_err());
    c.set("crous.rule_sources", "12/0123456y/5, 13/0999999Z")
        .unwrap();
    assert_eq!(c.crous.rule_sources().unwrap()[0].rne, "0123456Y");
    assert!(c.set("queue.concurrency", "0").is_err());
    assert!(c.set("escr.api_url", "ftp://x").is_err());
}
