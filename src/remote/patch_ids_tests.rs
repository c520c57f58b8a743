use super::*;

fn errors(text: &str) -> Vec<LineError> {
    match parse_csv(text) {
        Err(PatchIdsError::Lines(e)) => e,
        other => panic!("expected line errors, got {other:?}"),
    }
}

fn err(line: usize, field: &'static str, problem: LineProblem) -> LineError {
    LineError {
        line,
        field,
        problem,
    }
}

#[test]
fn reads_a_semicolon_file() {
    let text = "oldId;eppnNewId;mail\n\
                jdupont@univ.fr;123456789AB;jean.dupont@univ.fr\n\
                mmartin@univ.fr;987654321CD;marie.martin@etu.univ.fr\n";
    let lines = parse_csv(text).unwrap();
    assert_eq!(
        lines,
        vec![
            PatchLine {
                line: 2,
                old_id: "jdupont@univ.fr".into(),
                new_id: "123456789AB".into(),
                email: "jean.dupont@univ.fr".into()
            },
            PatchLine {
                line: 3,
                old_id: "mmartin@univ.fr".into(),
                new_id: "987654321CD".into(),
                email: "marie.martin@etu.univ.fr".into()
            },
        ]
    );
}

#[test]
fn tolerates_bom_crlf_blank_lines_quotes_spaces_and_commas() {
    let text = "\u{feff}\r\n\"OLDID\" , \"eppnnewid\",MAIL\r\n\r\n  \"a@u.fr\" , b1 , \" x@y.fr \"\r\n\r\n";
    let lines = parse_csv(text).unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].line, 4);
    assert_eq!(lines[0].old_id, "a@u.fr");
    assert_eq!(lines[0].new_id, "b1");
    assert_eq!(lines[0].email, "x@y.fr");
    // A quoted value may hold the separator and escaped quotes.
    let text = "oldId;eppnNewId;mail\n\"a;\"\"b\";c;d@e.fr\n";
    assert_eq!(parse_csv(text).unwrap()[0].old_id, "a;\"b");
    // A header alone is an empty migration, not an error.
    assert_eq!(parse_csv("oldId;eppnNewId;mail\n").unwrap(), vec![]);
}

#[test]
fn missing_header_is_rejected() {
    assert_eq!(parse_csv(""), Err(PatchIdsError::MissingHeader));
    assert_eq!(parse_csv("\n \r\n"), Err(PatchIdsError::MissingHeader));
    assert_eq!(
        parse_csv("a@u.fr;b;c@d.fr\n"),
        Err(PatchIdsError::MissingHeader)
    );
    assert_eq!(
        parse_csv("oldId;eppnNewId\n"),
        Err(PatchIdsError::MissingHeader)
    );
    // Mixed separators do not make a header.
    assert_eq!(
        parse_csv("oldId;eppnNewId,mail\n"),
        Err(PatchIdsError::MissingHeader)
    );
}

#[test]
fn every_bad_line_is_listed_and_nothing_is_returned() {
    let text = "oldId;eppnNewId;mail\n\
                good@u.fr;N1;good@u.fr\n\
                ;N2;x@u.fr\n\
                a@u.fr;N3;not-an-email\n\
                same@u.fr;same@u.fr;s@u.fr\n\
                good@u.fr;N4;g@u.fr\n\
                b@u.fr;N1;b@u.fr\n\
                c@u.fr;N5\n\
                d@u.fr;N6;d@u.fr;extra\n\
                e@u.fr;;e@u\n";
    assert_eq!(
        errors(text),
        vec![
            err(3, "oldId", LineProblem::Empty),
            err(4, "mail", LineProblem::BadEmail),
            err(5, "eppnNewId", LineProblem::SameIds),
            err(6, "oldId", LineProblem::DuplicateOldId { first_line: 2 }),
            err(
                7,
                "eppnNewId",
                LineProblem::DuplicateNewId { first_line: 2 }
            ),
            err(8, "*", LineProblem::ColumnCount { found: 2 }),
            err(9, "*", LineProblem::ColumnCount { found: 4 }),
            err(10, "eppnNewId", LineProblem::Empty),
            err(10, "mail", LineProblem::BadEmail),
        ]
    );
}

#[test]
fn email_shapes() {
    for good in ["a@b.fr", "jean.dupont+card@etu.univ-ville.fr"] {
        assert!(is_email(good), "{good}");
    }
    for bad in [
        "", "a", "@b.fr", "a@", "a@b", "a@.fr", "a@b.", "a@@b.fr", "a b@c.fr", "a@b..fr",
    ] {
        assert!(!is_email(bad), "{bad}");
    }
}

#[test]
fn parser_never_panics_on_garbage() {
    let samples = [
        "\u{0}\u{1}\u{feff}",
        "oldId;eppnNewId;mail\n\"",
        "oldId;eppnNewId;mail\n\"\"\"\n;;;;\n",
        "oldId;eppnNewId;mail\né;ü;ß@ø.æ\n",
        "\r\r\r",
    ];
    for s in samples {
        let _ = parse_csv(s);
    }
    let full = "oldId;eppnNewId;mail\r\n\"a@u.fr\";N1;a@u.fr\r\n";
    for end in (0..=full.len()).filter(|&i| full.is_char_boundary(i)) {
        let _ = parse_csv(&full[..end]);
    }
}

#[test]
fn ine_pairs_need_an_ine_and_an_email() {
    let persons = vec![
        (
            "jdupont@univ.fr".to_string(),
            Some("123456789AB".to_string()),
            Some("jean@univ.fr".to_string()),
        ),
        (
            "noine@univ.fr".to_string(),
            None,
            Some("n@univ.fr".to_string()),
        ),
        ("nomail@univ.fr".to_string(), Some("111".to_string()), None),
        (
            "blank@univ.fr".to_string(),
            Some("  ".to_string()),
            Some("b@univ.fr".to_string()),
        ),
        (
            "222".to_string(),
            Some("222".to_string()),
            Some("x@univ.fr".to_string()),
        ),
        (
            "last@univ.fr".to_string(),
            Some(" 333 ".to_string()),
            Some("l@univ.fr".to_string()),
        ),
    ];
    let pairs = generate_ine_pairs(&persons);
    assert_eq!(
        pairs,
        vec![
            PatchLine {
                line: 1,
                old_id: "jdupont@univ.fr".into(),
                new_id: "123456789AB".into(),
                email: "jean@univ.fr".into()
            },
            PatchLine {
                line: 6,
                old_id: "last@univ.fr".into(),
                new_id: "333".into(),
                email: "l@univ.fr".into()
            },
        ]
    );
}
