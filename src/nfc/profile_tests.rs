//! Tests of the encoding profile: the shipped ESUP default, validation errors with their field, content
//! generation, missing keys, the summary and the ESUP APDU count.

use super::*;
use crate::nfc::desfire::random::{Random, SeededRandom};

const MINIMAL: &str = r#"
name = "test"
[picc]
key_type = "des"
[[application]]
aid = "111111"
key_settings = "0B"
key_type = "aes"
keys = [{ name = "k0" }, { name = "k1", version = 2, diversified = true }]
[[application.file]]
number = 1
comm_mode = "maced"
access = { read = 1, write = "free", read_write = 0, change = "never" }
size = 8
content = { source = "hex", value = "0102 0304" }
"#;

fn with(find: &str, replace: &str) -> Result<Profile, ProfileError> {
    assert!(MINIMAL.contains(find), "{find}");
    Profile::parse(&MINIMAL.replacen(find, replace, 1))
}

fn file(content: Content, size: u32) -> FileProfile {
    FileProfile {
        number: 0,
        iso_fid: None,
        comm_mode: CommMode::Full,
        access: AccessRights::FREE,
        size,
        content,
    }
}

#[test]
fn esup_default_reproduces_the_reference_layout() {
    let p = Profile::esup_default().unwrap();
    assert!(p.picc.master_key.is_none());
    assert_eq!(p.picc.key_type, KeyType::Des);
    assert!(p.picc.format_before_write && !p.picc.change_key_last && !p.picc.random_uid);
    let aids: Vec<String> = p.applications.iter().map(|a| a.aid.to_string()).collect();
    assert_eq!(aids, ["F585C0", "F585C1", "F58540"]);
    for app in &p.applications {
        assert_eq!(app.key_settings.encode(), 0x0B);
        assert_eq!(app.key_type, KeyType::Aes128);
        assert_eq!(app.keys.len(), 4);
        assert!(app.keys.iter().all(|k| k.version == 1 && !k.diversified));
        let [f] = app.files.as_slice() else {
            panic!("one file per application")
        };
        assert_eq!((f.number, f.size, f.comm_mode), (0, 31, CommMode::Full));
        assert_eq!(f.access.config(), 0x1223);
        assert_eq!(f.access.wire(), [0x23, 0x12]);
    }
    assert_eq!(p.missing_keys(&|_| true), Vec::<String>::new());
    assert_eq!(p.missing_keys(&|_| false).len(), 12);
}

#[test]
fn minimal_profile_parses_into_typed_values() {
    let p = Profile::parse(MINIMAL).unwrap();
    let app = &p.applications[0];
    assert_eq!(app.aid, Aid([0x11, 0x11, 0x11]));
    assert_eq!(app.keys[1].version, 2);
    assert!(app.keys[1].diversified && !app.keys[0].diversified);
    let f = &app.files[0];
    assert_eq!(f.comm_mode, CommMode::Mac);
    assert_eq!(f.access.config(), 0x1E0F);
    assert_eq!(f.content, Content::Hex(vec![1, 2, 3, 4]));
    let iso = with(
        "key_settings",
        "iso_fid = \"E100\"\niso_name = \"D2760000850101\"\nkey_settings",
    )
    .unwrap();
    assert_eq!(
        iso.applications[0].iso,
        Some((0xE100, vec![0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01]))
    );
}

#[test]
fn validation_names_the_field() {
    let field = |r: Result<Profile, ProfileError>| match r {
        Err(ProfileError::KeyOutOfRange { field, key, count }) => (field, key, count),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(with("read = 1", "read = 2")),
        ("application[0].file[0].access.read".to_string(), 2, 2)
    );
    assert_eq!(
        field(with("\"0B\"", "\"3B\"")),
        ("application[0].key_settings".to_string(), 3, 2)
    );
    assert!(matches!(
        with("size = 8", "size = 3"),
        Err(ProfileError::ContentTooLarge {
            needed: 4,
            size: 3,
            ..
        })
    ));
    assert!(matches!(
        with("size = 8", "size = 0"),
        Err(ProfileError::FileSize { .. })
    ));
    assert!(matches!(
        with("number = 1", "number = 32"),
        Err(ProfileError::FileNumber { .. })
    ));
    assert!(matches!(
        with("\"111111\"", "\"000000\""),
        Err(ProfileError::ReservedAid { .. })
    ));
    assert!(matches!(
        with("\"111111\"", "\"11111G\""),
        Err(ProfileError::BadValue { .. })
    ));
    assert!(matches!(
        with("\"maced\"", "\"secret\""),
        Err(ProfileError::BadValue { field, .. }) if field == "application[0].file[0].comm_mode"
    ));
    assert!(matches!(
        with("\"free\"", "\"sometimes\""),
        Err(ProfileError::BadValue { .. })
    ));
    assert!(matches!(
        with("key_type = \"aes\"", "key_type = \"rsa\""),
        Err(ProfileError::BadValue { .. })
    ));
    assert!(matches!(
        with("keys = [{ name = \"k0\" }, ", "keys = [{ name = \" \" }, "),
        Err(ProfileError::EmptyKeyName { .. })
    ));
    assert!(matches!(
        with(
            "keys = [{ name = \"k0\" }, { name = \"k1\", version = 2, diversified = true }]",
            "keys = []"
        ),
        Err(ProfileError::KeyCount { count: 0, .. })
    ));
    assert!(matches!(
        with("number = 1", "number = 1\niso_fid = \"E101\""),
        Err(ProfileError::IsoWithoutFid { .. })
    ));
    assert!(matches!(
        with(
            "key_type = \"des\"",
            "key_type = \"des\"\nchange_key_last = true"
        ),
        Err(ProfileError::ChangeLastWithoutKey)
    ));
    assert!(matches!(
        with(
            "{ source = \"hex\", value = \"0102 0304\" }",
            "{ source = \"access_control_id\", base = 1, width = 7 }"
        ),
        Err(ProfileError::Width { width: 7, .. })
    ));
    assert!(matches!(
        with(
            "[picc]",
            "[[application]]\naid = \"111111\"\nkey_settings = \"0B\"\nkey_type = \"aes\"\nkeys = [{ name = \"a\" }]\n[picc]"
        ),
        Err(ProfileError::DuplicateAid { .. })
    ));
    assert!(matches!(
        with("key_type = \"aes\"", "key_type = \"des\""),
        Err(ProfileError::BadValue { field, .. }) if field == "application[0].keys[1].diversified"
    ));
    let no_app = "name = \"x\"\n[picc]\nkey_type = \"aes\"\n";
    assert_eq!(Profile::parse(no_app), Err(ProfileError::NoApplication));
    let dup_file = MINIMAL.to_string() + &MINIMAL[MINIMAL.find("[[application.file]]").unwrap()..];
    assert!(matches!(
        Profile::parse(&dup_file),
        Err(ProfileError::DuplicateFile { number: 1, .. })
    ));
}

#[test]
fn toml_errors_carry_the_line() {
    match with("size = 8", "size = \"eight\"") {
        Err(ProfileError::Syntax {
            line: Some(line), ..
        }) => assert_eq!(line, 14),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        with("size = 8", "size = 8\ncolour = \"red\""),
        Err(ProfileError::Syntax { .. })
    ));
}

#[test]
fn garbage_never_panics() {
    let mut rng = SeededRandom::new(5);
    for len in [0, 1, 7, 40, 300] {
        for _ in 0..30 {
            let mut buf = vec![0u8; len];
            rng.fill(&mut buf).unwrap();
            assert!(Profile::parse(&String::from_utf8_lossy(&buf)).is_err());
        }
    }
    for cut in 0..MINIMAL.len() {
        if let Some(prefix) = MINIMAL.get(..cut) {
            let _ = Profile::parse(prefix);
        }
    }
}

#[test]
fn contents_from_the_card_facts() {
    let facts = CardFacts {
        csn: vec![0x04, 0x52, 0x33, 0x9A, 0x2B, 0x4C, 0x80],
        escn: Some("d88b02c1-894e-1038-a711-001999465982".into()),
        crous_number: Some("99990042".into()),
        access_id: Some(7),
    };
    let id = file(
        Content::AccessControlId {
            base: 1234500000000000,
            width: 20,
        },
        31,
    );
    assert_eq!(
        Profile::content_for(&id, &facts).unwrap(),
        vec![0x00, 0x00, 0x12, 0x34, 0x50, 0x00, 0x00, 0x00, 0x00, 0x07]
    );
    assert_eq!(
        Profile::content_for(&file(Content::Escn, 31), &facts).unwrap(),
        vec![
            0xd8, 0x8b, 0x02, 0xc1, 0x89, 0x4e, 0x10, 0x38, 0xa7, 0x11, 0x00, 0x19, 0x99, 0x46,
            0x59, 0x82
        ]
    );
    let csn_at = file(
        Content::CsnAt {
            domain: "univ.fr".into(),
        },
        31,
    );
    assert_eq!(
        Profile::content_for(&csn_at, &facts).unwrap(),
        b"0452339a2b4c80@univ.fr".to_vec()
    );
    let crous = Profile::content_for(&file(Content::CrousNumber, 6), &facts).unwrap();
    assert_eq!(crous, vec![0x00, 0x00, 0x99, 0x99, 0x00, 0x42]);
    assert_eq!(
        Profile::content_for(&file(Content::Empty, 1), &facts).unwrap(),
        Vec::<u8>::new()
    );
    assert!(matches!(
        Profile::content_for(&file(Content::Hex(vec![1; 5]), 4), &facts),
        Err(ProfileError::ContentTooLarge { needed: 5, .. })
    ));

    let none = CardFacts::default();
    for (content, fact) in [
        (Content::Escn, Fact::Escn),
        (Content::CrousNumber, Fact::CrousNumber),
        (Content::CsnAt { domain: "x".into() }, Fact::Csn),
        (
            Content::AccessControlId { base: 0, width: 8 },
            Fact::AccessId,
        ),
    ] {
        assert_eq!(
            Profile::content_for(&file(content, 31), &none),
            Err(ProfileError::MissingFact { fact })
        );
    }
    let bad = CardFacts {
        escn: Some("d88b02c1-894e-1038-a711-00199946598".into()),
        crous_number: Some("12a4".into()),
        access_id: Some(u64::MAX),
        ..facts.clone()
    };
    assert!(matches!(
        Profile::content_for(&file(Content::Escn, 31), &bad),
        Err(ProfileError::BadEscn { .. })
    ));
    assert!(matches!(
        Profile::content_for(&file(Content::CrousNumber, 31), &bad),
        Err(ProfileError::BadValue { .. })
    ));
    assert!(matches!(
        Profile::content_for(&id, &bad),
        Err(ProfileError::NumberTooLong { .. })
    ));
    let narrow = file(Content::AccessControlId { base: 0, width: 2 }, 31);
    let big = CardFacts {
        access_id: Some(100),
        ..facts
    };
    assert!(matches!(
        Profile::content_for(&narrow, &big),
        Err(ProfileError::NumberTooLong { .. })
    ));
}

#[test]
fn missing_keys_are_listed_once_in_order() {
    let p = with(
        "key_type = \"des\"",
        "key_type = \"aes\"\nmaster_key = \"k1\"\nchange_key_last = true",
    )
    .unwrap();
    assert_eq!(p.missing_keys(&|n| n == "k0"), vec!["k1".to_string()]);
    assert_eq!(p.missing_keys(&|_| false), vec!["k1", "k0"]);
}

#[test]
fn describe_shows_every_part_without_key_values() {
    let p = Profile::esup_default().unwrap();
    let lines = p.describe();
    // PICC key, format, 3 applications × (1 + 4 keys + 1 file).
    assert_eq!(lines.len(), 2 + 3 * 6);
    let all = lines.join("\n");
    for needle in [
        "F585C0",
        "F585C1",
        "F58540",
        "esup-f58540-key3",
        "1223",
        "31",
    ] {
        assert!(all.contains(needle), "{needle} missing in {all}");
    }
}

#[test]
fn esup_apdu_count_follows_the_reference_steps() {
    let p = Profile::esup_default().unwrap();
    // Format 4; per application: create 4, key 0 change 4, keys 1-3 3+3, file create 4, write 3+1
    // (31 bytes fit one frame), lock 4 = 26.
    assert_eq!(p.esup_write_apdu_count(), 4 + 3 * 26);
    let mut long = p.clone();
    long.picc.format_before_write = false;
    long.picc.change_key_last = true;
    long.applications.truncate(1);
    long.applications[0].files[0].size = 100;
    long.applications[0].files[0].content = Content::Hex(vec![0; 100]);
    // 100 bytes: 47 in the first frame, 53 in a second.
    assert_eq!(long.esup_write_apdu_count(), 27 + 4);
}
