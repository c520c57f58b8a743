use super::*;

/// The example ESIST file of crous-escr.md §2.15, in ISO-8859-1 as published.
const ESIST_EXAMPLE: &str = r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<esist>
  <EmployeurStatutIndiceSocieteTarif>
    <row><referencestatut>etd</referencestatut><codesociete>10</codesociete><codetarif>1</codetarif></row>
    <row><referencestatut>prs</referencestatut><indicemin>0</indicemin><indicemax>0</indicemax>
         <codesociete>78</codesociete><codetarif>99</codetarif></row>
    <row><referencestatut>prs</referencestatut><indicemin>1</indicemin><indicemax>474</indicemax>
         <codesociete>78</codesociete><codetarif>1</codetarif></row>
    <row><referencestatut>prs</referencestatut><indicemin>475</indicemin>
         <codesociete>78</codesociete><codetarif>2</codetarif></row>
  </EmployeurStatutIndiceSocieteTarif>
</esist>"#;

fn input(status: &str, indice: i64) -> TariffInput<'_> {
    TariffInput {
        reference_status: status,
        rne: None,
        indice,
    }
}

fn rates(t: Tariff) -> (i64, i64) {
    (t.id_company_rate, t.id_rate)
}

fn rule(priority: i64, status: Option<&str>, company: i64, rate: i64) -> Rule {
    Rule {
        priority,
        reference_status: status.map(str::to_string),
        rne: None,
        indice_min: None,
        indice_max: None,
        id_company_rate: company,
        id_rate: rate,
    }
}

#[test]
fn esist_example_gives_the_published_tariffs() {
    let rules = parse_esist(ESIST_EXAMPLE.as_bytes()).unwrap();
    assert_eq!(rules.len(), 4);
    assert_eq!(rates(compute(&rules, &input("etd", 0))), (10, 1));
    assert_eq!(rates(compute(&rules, &input("ETD", 350))), (10, 1));
    assert_eq!(rates(compute(&rules, &input("prs", 0))), (78, 99));
    assert_eq!(rates(compute(&rules, &input("prs", 1))), (78, 1));
    assert_eq!(rates(compute(&rules, &input("prs", 474))), (78, 1));
    assert_eq!(rates(compute(&rules, &input("prs", 475))), (78, 2));
    assert_eq!(rates(compute(&rules, &input("prs", 9000))), (78, 2));
    let unknown = compute(&rules, &input("psg", 0));
    assert_eq!(rates(unknown), (DEFAULT_COMPANY_RATE, DEFAULT_RATE));
    assert_eq!(unknown.rule, None);
    assert_eq!(compute(&rules, &input("prs", 475)).rule, Some(3));
}

#[test]
fn esist_file_order_becomes_descending_priority() {
    let rules = parse_esist(ESIST_EXAMPLE.as_bytes()).unwrap();
    let priorities: Vec<i64> = rules.iter().map(|r| r.priority).collect();
    assert_eq!(priorities, vec![4, 3, 2, 1]);
    assert_eq!(rules[3].indice_max, None);
    assert_eq!(rules[0].indice_min, None);
}

#[test]
fn higher_priority_wins_and_equal_priorities_keep_slice_order() {
    let rules = vec![
        rule(1, Some("etd"), 10, 1),
        rule(5, None, 50, 5),
        rule(5, Some("etd"), 60, 6),
    ];
    let t = compute(&rules, &input("etd", 0));
    assert_eq!((rates(t), t.rule), ((50, 5), Some(1)));
    let rules = vec![rule(1, Some("etd"), 10, 1), rule(2, Some("etd"), 20, 2)];
    assert_eq!(compute(&rules, &input("etd", 0)).rule, Some(1));
}

#[test]
fn rne_criterion_must_match_the_establishment() {
    let mut r = rule(1, Some("prs"), 7999, 3);
    r.rne = Some("0751717J".to_string());
    let rules = vec![r, rule(0, Some("prs"), 78, 1)];
    let with = |rne| TariffInput {
        reference_status: "prs",
        rne,
        indice: 0,
    };
    assert_eq!(rates(compute(&rules, &with(Some("0751717j")))), (7999, 3));
    assert_eq!(rates(compute(&rules, &with(Some("0333333X")))), (78, 1));
    assert_eq!(rates(compute(&rules, &with(None))), (78, 1));
}

#[test]
fn no_rules_gives_the_defaults() {
    let t = compute(&[], &input("etd", 0));
    assert_eq!((rates(t), t.rule), ((78, 99), None));
}

#[test]
fn reference_status_falls_back_to_psg() {
    assert_eq!(reference_status(Some("ETD")), "etd");
    assert_eq!(reference_status(Some(" hb3 ")), "hb3");
    assert_eq!(reference_status(Some("po")), "po");
    assert_eq!(reference_status(Some("xyz")), "psg");
    assert_eq!(reference_status(Some("")), "psg");
    assert_eq!(reference_status(None), "psg");
}

#[test]
fn affiliation_maps_to_guichets_default_status() {
    assert_eq!(status_for_affiliation("student"), "etd");
    assert_eq!(status_for_affiliation("Staff"), "prs");
    assert_eq!(status_for_affiliation("faculty"), "prs");
    assert_eq!(status_for_affiliation("employee"), "prs");
    assert_eq!(status_for_affiliation("teacher"), "prs");
    assert_eq!(status_for_affiliation("researcher"), "prs");
    assert_eq!(status_for_affiliation("affiliate"), "psg");
    assert_eq!(status_for_affiliation(""), "psg");
}

#[test]
fn api_json_maps_to_rules_with_the_configuration_rne() {
    let json = br#"[
        {"statusCode": "etd", "indexMin": null, "indexMax": null, "idCompanyRate": 10, "idRate": 1},
        {"statusCode": "prs", "indexMin": 1, "indexMax": 474, "idCompanyRate": "78", "idRate": 1},
        {"idCompanyRate": 7999, "idRate": 4}
    ]"#;
    let rules = rules_from_api(json, 7, "0751717J").unwrap();
    assert_eq!(rules.len(), 3);
    assert_eq!(
        rules[1],
        Rule {
            priority: 7,
            reference_status: Some("prs".to_string()),
            rne: Some("0751717J".to_string()),
            indice_min: Some(1),
            indice_max: Some(474),
            id_company_rate: 78,
            id_rate: 1,
        }
    );
    assert_eq!(rules[2].reference_status, None);
    let t = compute(
        &rules,
        &TariffInput {
            reference_status: "prs",
            rne: Some("0751717J"),
            indice: 300,
        },
    );
    assert_eq!(rates(t), (78, 1));
    // A blank configuration rne sets no criterion.
    assert_eq!(rules_from_api(json, 0, " ").unwrap()[0].rne, None);
    assert_eq!(rules_from_api(b"[]", 0, "X").unwrap(), vec![]);
}

#[test]
fn api_json_errors_name_the_rule_and_field() {
    let missing = br#"[{"statusCode": "etd", "idCompanyRate": 10, "idRate": 1}, {"statusCode": "prs", "idRate": 1}]"#;
    assert_eq!(
        rules_from_api(missing, 0, "X"),
        Err(TariffError::ApiRule {
            index: 2,
            field: "idCompanyRate",
            problem: FieldProblem::Missing
        })
    );
    let bad = br#"[{"idCompanyRate": "dix", "idRate": 1}]"#;
    assert!(matches!(
        rules_from_api(bad, 0, "X"),
        Err(TariffError::ApiRule {
            index: 1,
            field: "idCompanyRate",
            ..
        })
    ));
    assert!(matches!(
        rules_from_api(br#"{"a":1}"#, 0, "X"),
        Err(TariffError::Json(_))
    ));
    assert!(matches!(
        rules_from_api(b"[1]", 0, "X"),
        Err(TariffError::ApiRule { index: 1, .. })
    ));
    assert!(matches!(
        rules_from_api(b"\xff\x00garbage", 0, "X"),
        Err(TariffError::Json(_))
    ));
}

#[test]
fn esist_resolves_employer_codes_and_reads_latin1() {
    let mut bytes = br#"<?xml version="1.0" encoding="ISO-8859-1"?>
<esist>
  <RneEmployeur><row><codeemployeur>E1</codeemployeur><rne>0751717J</rne></row></RneEmployeur>
  <Statut><row><referencestatut>prs</referencestatut><libelle>Personnel "#
        .to_vec();
    bytes.push(0xE9); // 'é' in ISO-8859-1
    bytes.extend_from_slice(
        br#"</libelle></row></Statut>
  <EmployeurStatutIndiceSocieteTarif>
    <row><codeemployeur>E1</codeemployeur><referencestatut>prs</referencestatut>
         <codesociete>7999</codesociete><codetarif>3</codetarif></row>
  </EmployeurStatutIndiceSocieteTarif>
</esist>"#,
    );
    let rules = parse_esist(&bytes).unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].rne.as_deref(), Some("0751717J"));
    assert_eq!(rules[0].id_company_rate, 7999);
}

#[test]
fn esist_honours_a_utf8_declaration() {
    let xml = "<?xml version='1.0' encoding='UTF-8'?><esist><EmployeurStatutIndiceSocieteTarif>\
        <row><referencestatut>étd</referencestatut><codesociete>1</codesociete><codetarif>2</codetarif></row>\
        </EmployeurStatutIndiceSocieteTarif></esist>";
    let rules = parse_esist(xml.as_bytes()).unwrap();
    assert_eq!(rules[0].reference_status.as_deref(), Some("étd"));
    // The same text read as Latin-1 would have given two characters for 'é'.
    let bom = [b"\xEF\xBB\xBF".as_slice(), xml.as_bytes()].concat();
    assert_eq!(parse_esist(&bom).unwrap(), rules);
}

#[test]
fn esist_errors_name_the_row_and_field() {
    let xml = br#"<esist><EmployeurStatutIndiceSocieteTarif>
        <row><codesociete>10</codesociete><codetarif>1</codetarif></row>
        <row><codesociete>dix</codesociete><codetarif>1</codetarif></row>
        </EmployeurStatutIndiceSocieteTarif></esist>"#;
    assert_eq!(
        parse_esist(xml),
        Err(TariffError::Row {
            section: "EmployeurStatutIndiceSocieteTarif",
            row: 2,
            field: "codesociete".to_string(),
            problem: FieldProblem::NotANumber("dix".to_string())
        })
    );
    let no_rate = br#"<esist><EmployeurStatutIndiceSocieteTarif>
        <row><codesociete>10</codesociete></row></EmployeurStatutIndiceSocieteTarif></esist>"#;
    assert!(matches!(
        parse_esist(no_rate),
        Err(TariffError::Row { row: 1, ref field, .. }) if field == "codetarif"
    ));
    let unknown_employer = br#"<esist><EmployeurStatutIndiceSocieteTarif>
        <row><codeemployeur>Z9</codeemployeur><codesociete>1</codesociete><codetarif>1</codetarif></row>
        </EmployeurStatutIndiceSocieteTarif></esist>"#;
    assert!(matches!(
        parse_esist(unknown_employer),
        Err(TariffError::Row { row: 1, ref field, .. }) if field == "codeemployeur"
    ));
}

#[test]
fn esist_never_panics_on_garbage() {
    assert!(matches!(parse_esist(b""), Err(TariffError::Xml(_))));
    assert!(matches!(
        parse_esist(b"\x00\xff\xfe garbage <<<"),
        Err(TariffError::Xml(_))
    ));
    assert!(matches!(
        parse_esist(b"<other><row/></other>"),
        Err(TariffError::Root(ref r)) if r == "other"
    ));
    assert_eq!(parse_esist(b"<esist/>"), Err(TariffError::NoRuleSection));
    // Declared UTF-8 but Latin-1 bytes inside.
    assert!(matches!(
        parse_esist(b"<?xml version='1.0' encoding='utf-8'?><esist>\xe9</esist>"),
        Err(TariffError::Xml(_))
    ));
    // Every truncation of a valid file is an error or a (shorter) rule list, never a panic.
    let bytes = ESIST_EXAMPLE.as_bytes();
    for end in 0..bytes.len() {
        let _ = parse_esist(&bytes[..end]);
    }
    assert!(parse_esist(&bytes[..bytes.len() - 3]).is_err());
}
