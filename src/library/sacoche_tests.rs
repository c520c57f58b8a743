use jiff::civil::date;

use super::*;

fn person(id: i64, surname: &str, given: &str, profile: &str) -> SchoolPerson {
    SchoolPerson {
        id,
        surname: surname.into(),
        given_name: given.into(),
        profile: profile.into(),
        ..SchoolPerson::default()
    }
}

/// A family, a teacher, a pupil whose first name windows-1252 lacks, and two persons left out.
fn establishment() -> Vec<SchoolPerson> {
    let mut helene = person(1, "Dupré", "Hélène", "National_ELV");
    helene.birth_date = Some(date(2009, 3, 14));
    helene.civility = Some("Mme".into());
    helene.uid = Some("F1700hel".into());
    helene.app_ids = vec![(
        "SACOCHE".into(),
        "1a771ef5-0000-4000-8000-000000000001".into(),
    )];
    helene.classes = vec!["2NDE1".into()];
    let mut parent = person(2, "Dupré", "Jérôme", "National_TUT");
    parent.civility = Some("M".into());
    parent.uid = Some("F1700par".into());
    parent.children = vec![1, 3, 6];
    let mut zoe = person(3, "Dupré", "Zoé", "National_ELV");
    zoe.birth_date = Some(date(2011, 12, 1));
    zoe.uid = Some("F1700zoe".into());
    zoe.classes = vec!["6A".into()];
    let mut teacher = person(4, "d'Artagnan", "Anne-Cécile", "National_ENS");
    teacher.civility = Some("Mme".into());
    teacher.uid = Some("F1700ens".into());
    let mut lukasz = person(5, "Nowak", "Łukasz", "National_ELV");
    lukasz.uid = Some("F1700luk".into());
    lukasz.classes = vec!["2NDE1".into(), "2NDE2".into()];
    let no_id = person(6, "Sans", "Identifiant", "National_ELV");
    let mut departed = person(7, "Parti", "Paul", "National_ELV");
    departed.uid = Some("F1700dep".into());
    departed.departed = true;
    vec![helene, parent, zoe, teacher, lukasz, no_id, departed]
}

#[test]
fn itop_export_matches_the_golden_files() {
    let (csv, utf8, missing) = itop_bytes(&establishment(), Charset::Utf8);
    assert_eq!((csv.rows, csv.left_out.len()), (5, 2));
    assert!(missing.is_empty());
    assert_eq!(
        String::from_utf8(utf8).unwrap(),
        include_str!("../../tests/fixtures/school/sacoche_itop_utf8.csv")
    );
    let (_, cp1252, missing) = itop_bytes(&establishment(), Charset::Windows1252);
    assert_eq!(missing, vec!['Ł']);
    assert_eq!(
        cp1252,
        include_bytes!("../../tests/fixtures/school/sacoche_itop_windows1252.csv")
    );
}

#[test]
fn itop_has_as_many_child_columns_as_the_widest_parent() {
    let mut persons: Vec<SchoolPerson> = (1..=5)
        .map(|i| {
            let mut p = person(i, "Enfant", &format!("N{i}"), "National_ELV");
            p.uid = Some(format!("E{i}"));
            p
        })
        .collect();
    let mut parent = person(9, "Parent", "Pat", "National_TUT");
    parent.uid = Some("P9".into());
    parent.children = vec![1, 2, 3, 4];
    persons.push(parent);
    let csv = itop_csv(&persons).text;
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].ends_with(";Guid_Enfant3;Guid_Enfant4"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[6], "P9;Parent;Pat;National_2;;;;;;E1;E2;E3;E4");
    assert_eq!(lines[1].matches(';').count(), 12);
}

#[test]
fn the_exported_file_checks_as_unchanged() {
    let persons = establishment();
    let (_, bytes, _) = itop_bytes(&persons, Charset::Windows1252);
    let file = parse(&bytes, format("itop").unwrap()).unwrap();
    assert_eq!(file.charset, Charset::Windows1252);
    let report = check(&file, &persons);
    // Łukasz became "&#321;ukasz" in windows-1252: not found; every other line is unchanged.
    assert_eq!(report.counts.unchanged, 4, "{report:#?}");
    assert_eq!(report.counts.modified, 0);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].outcome, Outcome::NotFound);
    let (_, bytes, _) = itop_bytes(&persons, Charset::Utf8);
    let report = check(&parse(&bytes, format("itop").unwrap()).unwrap(), &persons);
    assert_eq!(report.counts.unchanged, 5);
}

fn matching_persons() -> Vec<SchoolPerson> {
    let mut jean = person(10, "Dupont", "Jean", "National_ELV");
    jean.app_ids = vec![("SACOCHE".into(), "S-A".into())];
    let mut paul = person(11, "Martin", "Paul", "National_ELV");
    paul.uid = Some("u11".into());
    let marie1 = person(12, "Durand", "Marie", "National_ELV");
    let marie2 = person(13, "Durand", "Marie", "National_TUT");
    let mut helene = person(14, "Lefèvre", "Hélène", "National_ENS");
    helene.uid = Some("u14".into());
    helene.jointures = vec!["AC-RENNES$99".into(), "SIECLE$0012345".into()];
    vec![jean, paul, marie1, marie2, helene]
}

fn outcomes(report: &CheckReport) -> Vec<(usize, Outcome)> {
    let mut all: Vec<(usize, Outcome)> = report
        .modified
        .iter()
        .chain(&report.problems)
        .chain(&report.unchanged)
        .map(|l| (l.line, l.outcome.clone()))
        .collect();
    all.sort_by_key(|(l, _)| *l);
    all
}

#[test]
fn every_matching_case() {
    let csv = "id;nom;prenom\n\
               NEW-B;MARTIN;Paul\n\
               S-A;DUPONT;Jean\n\
               X;DURAND;Marie\n\
               Y;INCONNU;Personne\n\
               S-A;LEFEVRE;Helene\n\
               ;SANS;Id\n\
               NEW-B;Dupont;Jean\n";
    let file = parse(csv.as_bytes(), format("perso").unwrap()).unwrap();
    let report = check(&file, &matching_persons());
    assert_eq!(
        outcomes(&report),
        vec![
            (
                2,
                Outcome::Set {
                    person_id: 11,
                    previous: Some("u11".into())
                }
            ),
            (3, Outcome::Unchanged { person_id: 10 }),
            (
                4,
                Outcome::Homonyms {
                    person_ids: vec![12, 13]
                }
            ),
            (5, Outcome::NotFound),
            (
                6,
                Outcome::IdUsed {
                    person_id: 14,
                    used_by: 10
                }
            ),
            // NEW-B was given to Paul on line 2: SACoche refuses it for Jean.
            (
                8,
                Outcome::IdUsed {
                    person_id: 10,
                    used_by: 11
                }
            ),
        ]
    );
    assert_eq!(report.skipped_lines, vec![7]);
    assert_eq!(
        report.counts,
        Counts {
            modified: 1,
            problems: 4,
            unchanged: 1,
            skipped: 1
        }
    );
    assert!(
        report
            .modified
            .iter()
            .all(|l| l.matched_by == MatchedBy::Name)
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["modified"][0]["outcome"], "set");
    assert_eq!(json["problems"][0]["person_ids"][1], 13);
}

#[test]
fn a_sconet_id_wins_over_the_names() {
    // gestibase: id_ent 0, nom 1, prénom 2, Sconet 3 (formats.md §7.2).
    let csv = "id;nom;prenom;sconet\n\
               G1;Autre;Nom;12345\n\
               G2;Lefèvre;Hélène;999\n\
               G3;Martin;Paul;0\n";
    let file = parse(csv.as_bytes(), format("gestibase").unwrap()).unwrap();
    let report = check(&file, &matching_persons());
    assert_eq!(
        outcomes(&report),
        vec![
            (
                2,
                Outcome::Set {
                    person_id: 14,
                    previous: Some("u14".into())
                }
            ),
            (3, Outcome::NotFound),
            (
                4,
                Outcome::Set {
                    person_id: 11,
                    previous: Some("u11".into())
                }
            ),
        ]
    );
    assert_eq!(report.modified[0].matched_by, MatchedBy::Sconet);
    assert_eq!(report.modified[1].matched_by, MatchedBy::Name);
}

/// A one-row sample of a fixed-index format: every other column holds filler.
fn sample(fmt: &EntFormat) -> (String, &'static str) {
    let id = if fmt.quirk == Quirk::LogicaId {
        "ID : 75185265"
    } else {
        "ENT-42"
    };
    let Columns::Fixed {
        id: i,
        surname,
        given_name,
        sconet,
    } = fmt.columns
    else {
        return (
            "Classe;Prénom;NOM;Identifiant ENT\r\n2NDE1;Hélène;Dupré;ENT-42\r\n".into(),
            "ENT-42",
        );
    };
    let width = 1 + [i, surname, given_name, sconet.unwrap_or(0)]
        .into_iter()
        .max()
        .unwrap();
    let mut row: Vec<String> = (0..width).map(|c| format!("x{c}")).collect();
    row[i] = id.into();
    row[surname] = "Dupré".into();
    row[given_name] = "Hélène".into();
    if let Some(s) = sconet {
        row[s] = "42".into();
    }
    let header: Vec<String> = (0..width).map(|c| format!("Col{c} (Eleve)")).collect();
    let mut text = String::new();
    for _ in 0..fmt.header_lines {
        text.push_str(&header.join(";"));
        text.push('\n');
    }
    text.push_str(&row.join(";"));
    text.push('\n');
    let expected = if fmt.quirk == Quirk::LogicaId {
        "UT75185265"
    } else {
        "ENT-42"
    };
    (text, expected)
}

#[test]
fn every_format_of_the_table_reads_its_sample() {
    assert_eq!(FORMATS.len(), 16);
    for fmt in FORMATS {
        let (text, id) = sample(fmt);
        let file = parse(text.as_bytes(), fmt).unwrap_or_else(|e| panic!("{}: {e}", fmt.name));
        assert_eq!(file.rows.len(), 1, "{}", fmt.name);
        let row = &file.rows[0];
        assert_eq!(
            (
                row.id_ent.as_str(),
                row.surname.as_str(),
                row.given_name.as_str()
            ),
            (id, "Dupré", "Hélène"),
            "{}",
            fmt.name
        );
        let has_sconet = matches!(
            fmt.columns,
            Columns::Fixed {
                sconet: Some(_),
                ..
            }
        );
        assert_eq!(row.sconet.is_some(), has_sconet, "{}", fmt.name);
        assert_eq!(row.line, fmt.header_lines + 1, "{}", fmt.name);
    }
    for (alias, name) in [
        ("LCS", "perso"),
        ("scolastance", "itslearning"),
        ("reunion", "liberscol"),
        ("provence", "laclasse"),
        ("logica_lilie", "logica"),
    ] {
        assert_eq!(format(alias).unwrap().name, name);
    }
    assert_eq!(
        format("moodle"),
        Err(FileError::UnknownFormat {
            name: "moodle".into()
        })
    );
}

#[test]
fn separators_and_encodings_are_detected() {
    let fmt = format("perso").unwrap();
    for sep in [",", "\t", ":"] {
        let text = format!("id{sep}nom{sep}prenom\r\nA1{sep}Dupré{sep}Hélène\r\n");
        let file = parse(text.as_bytes(), fmt).unwrap();
        assert_eq!(file.separator.to_string(), sep);
        assert_eq!(file.rows[0].id_ent, "A1");
    }
    // windows-1252 bytes: "Dupré;Hélène".
    let file = parse(b"id;nom;prenom\nA1;Dupr\xE9;H\xE9l\xE8ne\n", fmt).unwrap();
    assert_eq!(file.charset, Charset::Windows1252);
    assert_eq!(file.rows[0].given_name, "Hélène");
    let file = parse("\u{feff}id;nom;prenom\nA1;\"Dupré\";Hélène".as_bytes(), fmt).unwrap();
    assert_eq!(file.charset, Charset::Utf8);
    assert_eq!(file.rows[0].surname, "Dupré");
}

#[test]
fn malformed_files_give_clear_errors() {
    let perso = format("perso").unwrap();
    assert_eq!(
        parse(b"\x89PNG\r\n\x1a\n\0\0", perso),
        Err(FileError::Binary)
    );
    assert_eq!(parse(b"", perso), Err(FileError::Empty));
    assert_eq!(parse(b"id;nom;prenom\n", perso), Err(FileError::NoRecord));
    // Truncated: the last line stops after the name.
    assert_eq!(
        parse(b"id;nom;prenom\nA1;Dupont;Jean\nA2;Mart", perso),
        Err(FileError::Columns {
            line: 3,
            expected: 3,
            found: 2
        })
    );
    assert_eq!(
        parse(b"Nom;Prenom\nDupont;Jean\n", format("kosmos").unwrap()),
        Err(FileError::MissingColumn {
            column: "Identifiant ENT".into(),
            header: "Nom;Prenom".into()
        })
    );
    let parents = "Id;Login;Nom (Parent 1);Prénom (Parent 1);Nom (Parent 2);Prénom (Parent 2)\n\
                   1;l;A;B;C;D\n";
    assert_eq!(
        parse(parents.as_bytes(), format("itslearning").unwrap()),
        Err(FileError::SeveralPersonsPerRow {
            header: parents.lines().next().unwrap().into()
        })
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    let persons = matching_persons();
    let mut rng = crate::library::TestRng(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next();
    for len in 0..300 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| match next() % 8 {
                0 => b';',
                1 => b'\n',
                2 => b'"',
                _ => (next() >> 24) as u8,
            })
            .collect();
        for fmt in FORMATS {
            if let Ok(file) = parse(&bytes, fmt) {
                let _ = check(&file, &persons);
            }
        }
    }
    // Every prefix of a good file.
    let (_, good, _) = itop_bytes(&establishment(), Charset::Utf8);
    for end in 0..good.len() {
        if let Ok(file) = parse(&good[..end], format("itop").unwrap()) {
            let _ = check(&file, &establishment());
        }
    }
}
