use jiff::civil::date;

use super::*;
use crate::store::test_util::temp_store;

const GOOD: &[u8] = include_bytes!("../../tests/fixtures/school/ElevesSansAdresses.xml");
const DUPLICATE: &[u8] =
    include_bytes!("../../tests/fixtures/school/ElevesSansAdresses_duplicate_ine.xml");

fn now() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().unwrap()
}

/// A SIECLE file of `pupils` (ELEVE_ID, INE, nom, prénom, division, DATE_SORTIE) in ISO-8859-15.
fn file(pupils: &[(&str, &str, &str, &str, &str, &str)]) -> Vec<u8> {
    let mut eleves = String::new();
    let mut structures = String::new();
    for (id, ine, nom, prenom, division, sortie) in pupils {
        eleves.push_str(&format!(
            "<ELEVE ELEVE_ID=\"{id}\"><ID_NATIONAL>{ine}</ID_NATIONAL><NOM_DE_FAMILLE>{nom}</NOM_DE_FAMILLE>\
             <PRENOM>{prenom}</PRENOM><DATE_NAISS>01/02/2011</DATE_NAISS>{}</ELEVE>\n",
            if sortie.is_empty() {
                String::new()
            } else {
                format!("<DATE_SORTIE>{sortie}</DATE_SORTIE>")
            }
        ));
        structures.push_str(&format!(
            "<STRUCTURES_ELEVE ELEVE_ID=\"{id}\"><STRUCTURE><CODE_STRUCTURE>{division}</CODE_STRUCTURE>\
             <TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>\n"
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>\n<BEE_ELEVES VERSION=\"2.1\">\n\
         <PARAMETRES><UAJ>0359876K</UAJ></PARAMETRES>\n<DONNEES><ELEVES>\n{eleves}</ELEVES>\n\
         <STRUCTURES>\n{structures}</STRUCTURES></DONNEES></BEE_ELEVES>\n"
    );
    text::encode(&xml, Charset::Iso8859_15).0
}

#[test]
fn a_good_file_in_iso_8859_15() {
    assert!(
        GOOD.contains(&0xC8),
        "the fixture holds ISO-8859-15 bytes (È)"
    );
    let f = parse(GOOD).unwrap();
    assert_eq!(f.uai, "0359876K");
    assert_eq!(f.charset, Charset::Iso8859_15);
    assert_eq!(f.pupils.len(), 5);
    let zoe = &f.pupils[0];
    assert_eq!(zoe.line, 9);
    assert_eq!(zoe.eleve_id, "100001");
    assert_eq!(zoe.ine.as_deref(), Some("070123456AB"));
    assert_eq!((zoe.surname(), zoe.given_name.as_str()), ("LEFÈVRE", "Zoé"));
    assert_eq!(zoe.other_given_names, vec!["Œnone".to_string()]);
    assert_eq!(zoe.birth_date, Some(date(2011, 3, 14)));
    assert_eq!(zoe.division.as_deref(), Some("4A"));
    assert_eq!(zoe.elenoet.as_deref(), Some("2001"));
    assert_eq!(zoe.mef.as_deref(), Some("20010018110"));
    assert_eq!(zoe.status.as_deref(), Some("ST"));
    let jerome = &f.pupils[1];
    assert_eq!(jerome.surname(), "DUPRÉ");
    assert_eq!(jerome.family_name, "MARTIN-DUPRÉ");
    assert_eq!(f.pupils[2].leaving, Some(date(2027, 1, 15)));
    assert_eq!(f.pupils[3].ine, None);
}

#[test]
fn import_then_reimport() {
    let (store, _dir) = temp_store();
    let f = parse(GOOD).unwrap();
    let r = store.write(|tx| import(tx, &f, now())).unwrap();
    assert!(r.structure_created);
    let names = |v: &[PupilRef]| v.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&r.added), vec!["LEFÈVRE Zoé", "DUPRÉ Jérôme"]);
    assert_eq!(names(&r.left), vec!["NGUYEN Anaïs"]);
    assert_eq!(
        r.left[0].person_id, None,
        "a leaving pupil never seen is not created"
    );
    assert_eq!(
        r.skipped
            .iter()
            .map(|s| (s.pupil.line, s.reason))
            .collect::<Vec<_>>(),
        vec![(39, SkipReason::NoIne), (47, SkipReason::Inactive)]
    );
    let persons = store
        .read(|c| crate::store::school::persons_of(c, "0359876K"))
        .unwrap();
    assert_eq!(persons.len(), 2);
    let jerome = persons.iter().find(|p| p.given_name == "Jérôme").unwrap();
    assert_eq!(jerome.profile, "National_ELV");
    assert_eq!(jerome.classes, vec!["3B".to_string()]);
    assert_eq!(jerome.jointures, vec!["SIECLE$100002".to_string()]);
    assert_eq!(jerome.birth_date, Some(date(2010, 9, 1)));
    let school = store
        .read(|c| crate::store::school::establishment(c, "0359876K"))
        .unwrap()
        .unwrap();
    assert_eq!(school.kind, "school");

    // The next year: Zoé changed class, Jérôme is gone, a new pupil arrived.
    let next = file(&[
        ("100001", "070123456AB", "LEFÈVRE", "Zoé", "3A", ""),
        ("100009", "070123450XY", "NOUVEAU", "Noé", "6B", ""),
    ]);
    let f = parse(&next).unwrap();
    let r = store.write(|tx| import(tx, &f, now())).unwrap();
    assert!(!r.structure_created);
    assert_eq!(names(&r.updated), vec!["LEFÈVRE Zoé"]);
    assert_eq!(names(&r.added), vec!["NOUVEAU Noé"]);
    assert_eq!(names(&r.absent), vec!["DUPRÉ Jérôme"]);
    let persons = store
        .read(|c| crate::store::school::persons_of(c, "0359876K"))
        .unwrap();
    assert_eq!(persons.len(), 3, "nobody is deleted");
    let zoe = persons.iter().find(|p| p.given_name == "Zoé").unwrap();
    assert_eq!(zoe.classes, vec!["3A".to_string()]);
    assert!(!zoe.departed);
    let jerome = persons.iter().find(|p| p.given_name == "Jérôme").unwrap();
    assert!(jerome.departed);
    assert!(jerome.classes.is_empty());

    // Zoé leaves: marked departed, kept.
    let leaving = file(&[
        (
            "100001",
            "070123456AB",
            "LEFÈVRE",
            "Zoé",
            "3A",
            "30/06/2027",
        ),
        ("100009", "070123450XY", "NOUVEAU", "Noé", "6B", ""),
    ]);
    let r = store
        .write(|tx| import(tx, &parse(&leaving).unwrap(), now()))
        .unwrap();
    assert_eq!(r.left.len(), 1);
    assert!(r.left[0].person_id.is_some());
    let persons = store
        .read(|c| crate::store::school::persons_of(c, "0359876K"))
        .unwrap();
    assert!(
        persons
            .iter()
            .find(|p| p.given_name == "Zoé")
            .unwrap()
            .departed
    );
}

#[test]
fn a_directory_pupil_found_by_ine_is_left_to_the_directory() {
    let (store, _dir) = temp_store();
    store
        .write(|tx| {
            let rec = PersonRecord {
                surname: "Lefèvre".into(),
                given_name: "Zoé".into(),
                ine: Some("070123456AB".into()),
                affiliation: "National_ELV".into(),
                source: "ldap".into(),
                ..PersonRecord::default()
            };
            persons::insert(tx, &rec, now())
        })
        .unwrap();
    let r = store
        .write(|tx| import(tx, &parse(GOOD).unwrap(), now()))
        .unwrap();
    assert_eq!(r.in_directory.len(), 1);
    assert_eq!(r.added.len(), 1);
    let surname: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT surname FROM persons WHERE ine = '070123456AB'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(surname, "Lefèvre");
}

#[test]
fn a_duplicate_ine_rejects_the_whole_file() {
    assert_eq!(
        parse(DUPLICATE),
        Err(FileError::DuplicateIne {
            ine: "070999999ZZ".into(),
            lines: vec![9, 25]
        })
    );
}

#[test]
fn bad_values_name_their_line() {
    let mut bad = String::from_utf8(file(&[("1", "070123456AB", "A", "B", "4A", "")])).unwrap();
    bad = bad.replace("01/02/2011", "31/02/2011");
    assert_eq!(
        parse(bad.as_bytes()),
        Err(FileError::Field {
            line: 5,
            field: "DATE_NAISS".into(),
            value: "31/02/2011".into(),
            problem: Problem::BadDate
        })
    );
    let short = file(&[("1", "0701", "A", "B", "4A", "")]);
    assert!(matches!(
        parse(&short),
        Err(FileError::Field {
            problem: Problem::BadIne,
            ..
        })
    ));
    let no_name = String::from_utf8(file(&[("1", "070123456AB", "A", "B", "4A", "")]))
        .unwrap()
        .replace("<PRENOM>B</PRENOM>", "");
    assert!(matches!(
        parse(no_name.as_bytes()),
        Err(FileError::Field { field, problem: Problem::Missing, .. }) if field == "PRENOM"
    ));
}

#[test]
fn truncated_wrong_root_and_empty_files_are_refused() {
    let cut = &GOOD[..GOOD.len() / 2];
    let e = parse(cut);
    assert!(
        matches!(e, Err(FileError::Xml { line, .. }) if line > 1),
        "{e:?}"
    );
    assert_eq!(
        parse(b"<?xml version=\"1.0\"?><STS_EDT><PARAMETRES/></STS_EDT>"),
        Err(FileError::Root {
            expected: "BEE_ELEVES",
            found: "STS_EDT".into()
        })
    );
    assert_eq!(
        parse(b"<BEE_ELEVES><PARAMETRES><UAJ>0359876K</UAJ></PARAMETRES><DONNEES/></BEE_ELEVES>"),
        Err(FileError::NoRecord)
    );
    assert!(matches!(
        parse(b"<BEE_ELEVES><DONNEES/></BEE_ELEVES>"),
        Err(FileError::Field { field, .. }) if field == "UAJ"
    ));
    assert_eq!(parse(b""), Err(FileError::Empty));
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = crate::library::TestRng(0x2545_f491_4f6c_dd1d);
    for len in 0..300 {
        let bytes = rng.bytes(len);
        let _ = parse(&bytes);
    }
    for end in 0..GOOD.len() {
        let _ = parse(&GOOD[..end]);
    }
}
