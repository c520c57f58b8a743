use super::*;

/// The default sample of crous-escr.md §5.3.
const SAMPLE: &str =
    "supannRefId: {ISO15693}%csn%\nsupannRefId: {UNIV-VILLE:ACCESS-CONTROL}%access-control%\n";

fn tpl(value: &str) -> Template {
    Template {
        attribute: "supannRefId".to_string(),
        value: value.to_string(),
    }
}

fn full() -> Placeholders {
    let mut app_ids = BTreeMap::new();
    app_ids.insert("access-control".to_string(), "00123456".to_string());
    Placeholders {
        csn_hex: Some("04a1b2c3d4e5f6".to_string()),
        eppn: Some("jdupont@univ.fr".to_string()),
        secondary_id: Some("L-42".to_string()),
        enabled_date: Some("2025-09-03T14:15:00Z".parse().unwrap()),
        due_date: Some("2027-08-31T21:59:59Z".parse().unwrap()),
        etat_date: Some("2025-09-03T12:15:00-02:00".parse().unwrap()),
        etat: Some("ENABLED".to_string()),
        escn: Some("d88b02c1-894e-1038-a711-001999465982".to_string()),
        esi: Some("urn:schac:personalUniqueCode:int:esi:fr:123456789AB".to_string()),
        app_ids,
    }
}

#[test]
fn parses_the_sample_with_comments_and_blank_lines() {
    let text = format!("\u{feff}# write-back\r\n\r\n{SAMPLE}   # trailing comment line\n");
    let t = parse_templates(&text).unwrap();
    assert_eq!(
        t,
        vec![
            tpl("{ISO15693}%csn%"),
            tpl("{UNIV-VILLE:ACCESS-CONTROL}%access-control%")
        ]
    );
    let oid = parse_templates("1.3.6.1.4.1.7135.1.2.1.14;x-opt: %escn%").unwrap();
    assert_eq!(oid[0].attribute, "1.3.6.1.4.1.7135.1.2.1.14;x-opt");
}

#[test]
fn template_errors_name_the_line() {
    assert_eq!(
        parse_templates("# c\nsupannRefId {ISO15693}%csn%"),
        Err(TemplateError::NoColon { line: 2 })
    );
    for bad in [
        "2abc",
        "sup ann",
        "supann_RefId",
        "",
        "1..2",
        "01.2",
        "cn;",
        "é",
    ] {
        assert_eq!(
            parse_templates(&format!("\n\n{bad}: %csn%")),
            Err(TemplateError::BadAttribute {
                line: 3,
                attribute: bad.to_string()
            }),
            "{bad}"
        );
    }
    assert_eq!(
        parse_templates("pager:   "),
        Err(TemplateError::EmptyValue {
            line: 1,
            attribute: "pager".to_string()
        })
    );
}

#[test]
fn parser_never_panics_on_garbage() {
    for s in [
        "\u{0}:\u{0}",
        ":",
        "::::",
        "%:%",
        "a:\u{feff}",
        "\r\n\r",
        "é:é",
    ] {
        let _ = parse_templates(s);
    }
}

#[test]
fn every_placeholder_expands() {
    let p = full();
    let x = |v: &str| expand(&tpl(v), &p);
    assert_eq!(
        x("{ISO15693}%csn%").as_deref(),
        Some("{ISO15693}04A1B2C3D4E5F6")
    );
    assert_eq!(x("%reverse_csn%").as_deref(), Some("F6E5D4C3B2A104"));
    assert_eq!(x("%csn_dec%").as_deref(), Some("1303689068602870"));
    assert_eq!(x("%reverse_csn_dec%").as_deref(), Some("69495546249912580"));
    assert_eq!(
        x("%eppn%|%secondary_id%").as_deref(),
        Some("jdupont@univ.fr|L-42")
    );
    assert_eq!(
        x("%enabled_date% %due_date% %etat_date%").as_deref(),
        Some("20250903141500Z 20270831215959Z 20250903141500Z")
    );
    assert_eq!(x("%etat%").as_deref(), Some("ENABLED"));
    assert_eq!(
        x("{ESCN}%escn%").as_deref(),
        Some("{ESCN}d88b02c1-894e-1038-a711-001999465982")
    );
    assert_eq!(
        x("%esi%").as_deref(),
        Some("urn:schac:personalUniqueCode:int:esi:fr:123456789AB")
    );
    assert_eq!(
        x("{UNIV-VILLE:ACCESS-CONTROL}%access-control%").as_deref(),
        Some("{UNIV-VILLE:ACCESS-CONTROL}00123456")
    );
}

#[test]
fn leftovers_are_removed_and_empty_identifiers_are_not_written() {
    let p = full();
    assert_eq!(
        expand(&tpl("%csn%%photo%%unknown-app%"), &p).as_deref(),
        Some("04A1B2C3D4E5F6")
    );
    let empty = Placeholders::default();
    assert_eq!(expand(&tpl("{ISO15693}%csn%"), &empty), None);
    assert_eq!(expand(&tpl("%photo%"), &p), None);
    // A CSN that is not a CSN gives no value.
    let bad_csn = Placeholders {
        csn_hex: Some("zz".to_string()),
        ..Placeholders::default()
    };
    assert_eq!(expand(&tpl("{ISO15693}%csn%"), &bad_csn), None);
    let blank = Placeholders {
        eppn: Some("  ".to_string()),
        ..Placeholders::default()
    };
    assert_eq!(expand(&tpl("x%eppn%"), &blank), None);
    // Constants and lone percent signs stay as written.
    assert_eq!(
        expand(&tpl("cardHolder"), &empty).as_deref(),
        Some("cardHolder")
    );
    assert_eq!(
        expand(&tpl("50% %etat%"), &p).as_deref(),
        Some("50% ENABLED")
    );
    assert_eq!(expand(&tpl("100%"), &empty).as_deref(), Some("100%"));
    assert_eq!(
        expand(&tpl("%a b%etat%"), &p).as_deref(),
        Some("%a bENABLED")
    );
}

#[test]
fn values_are_deduplicated_in_template_order() {
    let mut templates = parse_templates(SAMPLE).unwrap();
    templates.push(Template {
        attribute: "SUPANNREFID".to_string(),
        value: "{ISO15693}%csn%".to_string(),
    });
    templates.push(Template {
        attribute: "pager".to_string(),
        value: "%csn%".to_string(),
    });
    let p = full();
    assert_eq!(
        values_for(&templates, &p),
        vec![
            (
                "supannRefId".to_string(),
                "{ISO15693}04A1B2C3D4E5F6".to_string()
            ),
            (
                "supannRefId".to_string(),
                "{UNIV-VILLE:ACCESS-CONTROL}00123456".to_string()
            ),
            ("pager".to_string(), "04A1B2C3D4E5F6".to_string()),
        ]
    );
    let only_csn = Placeholders {
        csn_hex: Some("04A1B2C3".to_string()),
        ..Placeholders::default()
    };
    assert_eq!(
        values_for(&templates[..2], &only_csn),
        vec![("supannRefId".to_string(), "{ISO15693}04A1B2C3".to_string())]
    );
}

#[test]
fn expand_never_panics_on_odd_templates() {
    let p = full();
    for v in [
        "%",
        "%%",
        "%%%",
        "%é%",
        "é%csn%é",
        "%csn",
        "csn%",
        "%\u{0}%",
    ] {
        let _ = expand(&tpl(v), &p);
    }
    assert_eq!(
        expand(&tpl("é%csn%é"), &p).as_deref(),
        Some("é04A1B2C3D4E5F6é")
    );
}
