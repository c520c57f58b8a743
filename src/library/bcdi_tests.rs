use super::*;

fn person(id: i64, surname: &str, given: &str, profile: &str, class: Option<&str>) -> SchoolPerson {
    SchoolPerson {
        id,
        surname: surname.into(),
        given_name: given.into(),
        birth_date: Some(Date::new(2011, 3, 12).unwrap()),
        profile: profile.into(),
        email: Some(format!("{}@ecole.example", given.to_lowercase())),
        classes: class.map(|c| vec![c.to_string()]).unwrap_or_default(),
        ..SchoolPerson::default()
    }
}

fn sample() -> Export {
    let persons = vec![
        person(1, "Lefèvre", "Hélène", "National_ELV", Some("6A")),
        person(2, "Martin", "Paul", "National_ENS", None),
        person(3, "Martin", "Louis", "National_TUT", None),
        SchoolPerson {
            birth_date: None,
            ..person(4, "Sans", "Date", "National_ELV", Some("6A"))
        },
        person(5, "Nowak", "Łukasz", "National_ELV", None),
    ];
    let mut n = 0;
    borrowers(
        &persons,
        &ExportOptions::default(),
        |p| format!("c76a329b-0000-4000-8000-00000000000{}", p.id),
        || {
            n += 1;
            format!("pass{n:03}")
        },
    )
}

const GOLDEN_UTF8: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<FICHES_XML>\r\n  <EMPRUNTEURS>\r\n    <EMPRUNTEUR_M>LEFÈVRE Hélène</EMPRUNTEUR_M>\r\n    <DATE_NAISSANCE_M>12/03/2011</DATE_NAISSANCE_M>\r\n    <ADRESSE_M></ADRESSE_M>\r\n    <CODE_POSTAL_M></CODE_POSTAL_M>\r\n    <VILLE_M></VILLE_M>\r\n    <TEL_M></TEL_M>\r\n    <MEL_M>hélène@ecole.example</MEL_M>\r\n    <STATUT_M_M>Elève</STATUT_M_M>\r\n    <CLASSE_M>6A</CLASSE_M>\r\n    <COMPTE_M>OUI</COMPTE_M>\r\n    <MOT_DE_PASSE_M>pass001</MOT_DE_PASSE_M>\r\n    <IDENTITE_ENT_M>c76a329b-0000-4000-8000-000000000001</IDENTITE_ENT_M>\r\n    <TYPE_EMPRUNTEUR_M>Usager</TYPE_EMPRUNTEUR_M>\r\n  </EMPRUNTEURS>\r\n  <EMPRUNTEURS>\r\n    <EMPRUNTEUR_M>MARTIN Paul</EMPRUNTEUR_M>\r\n    <DATE_NAISSANCE_M>12/03/2011</DATE_NAISSANCE_M>\r\n    <ADRESSE_M></ADRESSE_M>\r\n    <CODE_POSTAL_M></CODE_POSTAL_M>\r\n    <VILLE_M></VILLE_M>\r\n    <TEL_M></TEL_M>\r\n    <MEL_M>paul@ecole.example</MEL_M>\r\n    <STATUT_M_M>Enseignant</STATUT_M_M>\r\n    <COMPTE_M>OUI</COMPTE_M>\r\n    <MOT_DE_PASSE_M>pass002</MOT_DE_PASSE_M>\r\n    <IDENTITE_ENT_M>c76a329b-0000-4000-8000-000000000002</IDENTITE_ENT_M>\r\n    <TYPE_EMPRUNTEUR_M>Usager</TYPE_EMPRUNTEUR_M>\r\n  </EMPRUNTEURS>\r\n  <EMPRUNTEURS>\r\n    <EMPRUNTEUR_M>NOWAK Łukasz</EMPRUNTEUR_M>\r\n    <DATE_NAISSANCE_M>12/03/2011</DATE_NAISSANCE_M>\r\n    <ADRESSE_M></ADRESSE_M>\r\n    <CODE_POSTAL_M></CODE_POSTAL_M>\r\n    <VILLE_M></VILLE_M>\r\n    <TEL_M></TEL_M>\r\n    <MEL_M>łukasz@ecole.example</MEL_M>\r\n    <STATUT_M_M>Elève</STATUT_M_M>\r\n    <COMPTE_M>OUI</COMPTE_M>\r\n    <MOT_DE_PASSE_M>pass003</MOT_DE_PASSE_M>\r\n    <IDENTITE_ENT_M>c76a329b-0000-4000-8000-000000000005</IDENTITE_ENT_M>\r\n    <TYPE_EMPRUNTEUR_M>Usager</TYPE_EMPRUNTEUR_M>\r\n  </EMPRUNTEURS>\r\n</FICHES_XML>\r\n";

#[test]
fn export_lists_the_skipped_and_never_parents() {
    let e = sample();
    let names: Vec<&str> = e.borrowers.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["LEFÈVRE Hélène", "MARTIN Paul", "NOWAK Łukasz"]);
    assert_eq!(
        e.skipped,
        vec![Skipped {
            person_id: 4,
            name: "SANS Date".into(),
            reason: SkipReason::NoBirthDate
        }]
    );
    assert_eq!(e.without_class, vec!["NOWAK Łukasz".to_string()]);
}

#[test]
fn golden_xml_in_utf8_and_windows_1252() {
    let e = sample();
    let (utf8, missing) = write_xml(&e.borrowers, Charset::Utf8);
    assert!(missing.is_empty());
    assert_eq!(String::from_utf8(utf8).unwrap(), GOLDEN_UTF8);

    let (cp1252, missing) = write_xml(&e.borrowers, Charset::Windows1252);
    assert_eq!(missing, vec!['Ł', 'ł']);
    let expected = GOLDEN_UTF8
        .replace("encoding=\"UTF-8\"", "encoding=\"windows-1252\"")
        .replace('Ł', "&#321;")
        .replace('ł', "&#322;");
    let (expected, _, _) = encoding_rs::WINDOWS_1252.encode(&expected);
    assert_eq!(cp1252, expected.into_owned());
    assert!(cp1252.windows(2).any(|w| w == b"\xC8V"), "È as one byte");

    // What is written reads back.
    let back = read_xml(&cp1252).unwrap();
    assert_eq!(back.len(), 3);
    assert_eq!(back[0].name, "LEFÈVRE Hélène");
    assert_eq!(back[2].name, "NOWAK Łukasz");
    assert_eq!(back[0].class.as_deref(), Some("6A"));
    assert_eq!(back[1].class, None);
    assert_eq!(back[1].ent_id, "c76a329b-0000-4000-8000-000000000002");
}

#[test]
fn class_filter_and_populations() {
    let persons = vec![
        person(1, "A", "Un", "National_ELV", Some("6A")),
        person(2, "B", "Deux", "National_ELV", Some("5B")),
        person(3, "C", "Trois", "National_ENS", None),
        person(4, "D", "Quatre", "National_ETA", None),
    ];
    let opts = ExportOptions {
        populations: vec![Population::Pupils, Population::Staff],
        classes: vec!["5B".into()],
    };
    let e = borrowers(&persons, &opts, |p| p.id.to_string(), String::new);
    let names: Vec<&str> = e.borrowers.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["B Deux", "D Quatre"]);
    assert_eq!(e.borrowers[1].status, STATUS_STAFF);
}

#[test]
fn bcdi_csv_with_french_or_english_headers() {
    let csv = "N° Emprunteur;Emprunteur;Statut;Classe;Type emprunteur;Prêts en cours;Identité E.\r\n\
               12;LEFEVRE Helene;Elève;6A;Usager;2;\r\n\
               13;\"DUPONT, Jean\";Elève;6B;Usager;0;abc\r\n";
    let b = read_borrowers(csv.as_bytes()).unwrap();
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].number.as_deref(), Some("12"));
    assert_eq!(b[0].loans, Some(2));
    assert_eq!(b[0].ent_id, None);
    assert_eq!(b[1].name, "DUPONT, Jean");
    assert_eq!(b[1].ent_id.as_deref(), Some("abc"));
    assert_eq!(b[1].line, 3);

    let tsv = "borrower\tSTATUS\tclass\tloans\nMARTIN Paul\tElève\t6A\t1\n";
    let b = read_borrowers(tsv.as_bytes()).unwrap();
    assert_eq!((b[0].name.as_str(), b[0].loans), ("MARTIN Paul", Some(1)));

    // windows-1252 with a comma separator: "Prêts en cours" and "Élève" decode.
    let cp = b"Emprunteur,Statut,Pr\xEAts en cours\n\xC9LIE Zo\xE9,\xC9l\xE8ve,0\n";
    let b = read_borrowers(cp).unwrap();
    assert_eq!(
        (b[0].name.as_str(), b[0].status.as_str()),
        ("ÉLIE Zoé", "Élève")
    );
}

#[test]
fn bad_borrower_files_name_the_line_and_field() {
    let e = read_borrowers("Emprunteur;Statut\nA B;Elève\n".as_bytes()).unwrap_err();
    assert!(
        matches!(&e, FileError::MissingColumn { column, .. } if column == "Prêts en cours"),
        "{e:?}"
    );
    let e = read_borrowers("Emprunteur;Prêts en cours\nA B;deux\n".as_bytes()).unwrap_err();
    assert_eq!(
        e,
        FileError::Field {
            line: 2,
            field: "Prêts en cours".into(),
            value: "deux".into(),
            problem: Problem::BadNumber
        }
    );
    let e = read_borrowers("Emprunteur;Prêts en cours\nA;1\n;3\n".as_bytes()).unwrap_err();
    assert!(matches!(
        e,
        FileError::Field {
            line: 3,
            problem: Problem::Missing,
            ..
        }
    ));
    let truncated = &GOLDEN_UTF8.as_bytes()[..300];
    assert!(matches!(
        read_borrowers(truncated),
        Err(FileError::Xml { .. })
    ));
    assert!(matches!(
        read_xml(b"<?xml version=\"1.0\"?><OTHER/>"),
        Err(FileError::Root { .. })
    ));
    assert_eq!(read_borrowers(b"\x00\x01\x02PK"), Err(FileError::Binary));
    assert_eq!(
        read_borrowers("Emprunteur;Prêts en cours\n".as_bytes()),
        Err(FileError::NoRecord)
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = crate::library::TestRng(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next();
    let alphabet = b"<>/;,\t\r\n\"EMPRUNTEURS_FICHES_XML Prets en cours 0123 \xC3\xA9\xE9";
    for len in 0..300 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let _ = read_borrowers(&bytes);
        let _ = read_xml(&bytes);
        let mut prefixed = b"Emprunteur;Pr\xC3\xAAts en cours\n".to_vec();
        prefixed.extend_from_slice(&bytes);
        let _ = read_borrowers(&prefixed);
    }
    for cut in 0..GOLDEN_UTF8.len() {
        let _ = read_borrowers(&GOLDEN_UTF8.as_bytes()[..cut]);
    }
}
