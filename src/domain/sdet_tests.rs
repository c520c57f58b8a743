use std::collections::HashSet;

use jiff::civil::{date, datetime};

use super::*;

fn rhone() -> Territory {
    Territory::new('V', '6').unwrap()
}

#[test]
fn identifier_of_the_worked_example_in_both_readings() {
    let at = datetime(2013, 1, 1, 1, 23, 45, 678_000_000);
    assert_eq!(
        identifier(rhone(), TimestampDigits::Seventeen, "Paul", "MARTIN", at).unwrap(),
        "Vpm620130101012345678"
    );
    assert_eq!(
        identifier(rhone(), TimestampDigits::Fifteen, "Paul", "MARTIN", at).unwrap(),
        "Vpm6010113012345678"
    );
    assert_eq!(TimestampDigits::default(), TimestampDigits::Seventeen);
    assert_eq!(
        TimestampDigits::from_count(15),
        Ok(TimestampDigits::Fifteen)
    );
    assert_eq!(
        TimestampDigits::from_count(16),
        Err(SdetError::TimestampDigits(16))
    );
}

#[test]
fn bas_rhin_and_non_ascii_initials() {
    let at = datetime(2024, 9, 2, 8, 0, 0, 5_000_000);
    let id = identifier(
        Territory::new('A', '1').unwrap(),
        TimestampDigits::Seventeen,
        "Élodie",
        "Œuvray",
        at,
    )
    .unwrap();
    assert_eq!(id, "Aeo120240902080000005");
    assert_eq!(
        identifier(rhone(), TimestampDigits::Seventeen, "李", "Wang", at),
        Err(SdetError::NoInitial("李".into()))
    );
    assert_eq!(
        Territory::new('6', 'V'),
        Err(SdetError::TerritoryLetter('6'))
    );
    assert_eq!(
        Territory::new('V', 'x'),
        Err(SdetError::TerritoryDigit('x'))
    );
}

#[test]
fn the_same_attributes_give_the_first_identifier() {
    let mut g = IdentifierGenerator::new(rhone(), TimestampDigits::Seventeen);
    let d = Discriminant::new("MARTIN", "Paul", Some(date(2015, 3, 4)));
    let at = datetime(2013, 1, 1, 1, 23, 45, 678_000_000);
    let first = g.generate(&d, "Paul", "MARTIN", at, |_| None).unwrap();
    assert_eq!(first, Generated::New("Vpm620130101012345678".into()));
    // Presented again, spelt differently (accents, case), later: the same identifier.
    let again = Discriminant::new("Martin", "Paul", Some(date(2015, 3, 4)));
    let later = datetime(2014, 1, 1, 0, 0, 0, 0);
    assert_eq!(
        g.generate(&again, "Paul", "Martin", later, |_| None)
            .unwrap(),
        Generated::Existing("Vpm620130101012345678".into())
    );
    // Known to the mirror (another session): the caller's lookup answers.
    let mut fresh = IdentifierGenerator::new(rhone(), TimestampDigits::Seventeen);
    let got = fresh
        .generate(&d, "Paul", "MARTIN", later, |k| {
            (k == &again).then(|| "Vpm620130101012345678".to_string())
        })
        .unwrap();
    assert_eq!(got.id(), "Vpm620130101012345678");
    // A namesake born another day is another person.
    let other = Discriminant::new("MARTIN", "Paul", Some(date(2016, 1, 1)));
    assert!(matches!(
        g.generate(&other, "Paul", "MARTIN", at, |_| None).unwrap(),
        Generated::New(_)
    ));
}

#[test]
fn a_batch_of_a_thousand_gets_distinct_milliseconds() {
    let mut g = IdentifierGenerator::new(rhone(), TimestampDigits::Seventeen);
    let at = datetime(2013, 1, 1, 1, 23, 45, 678_000_000);
    let ids: HashSet<String> = (0..1000)
        .map(|i| {
            let d = Discriminant::new("Martin", &format!("Paul{i}"), None);
            g.generate(&d, "Paul", "Martin", at, |_| None)
                .unwrap()
                .id()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1000);
    let stamps: HashSet<&str> = ids.iter().map(|i| &i[4..]).collect();
    assert_eq!(stamps.len(), 1000);
    assert!(ids.contains("Vpm620130101012345678"));
    assert!(ids.contains("Vpm620130101012346677"));
    // The clock moving back does not reuse a millisecond either.
    let d = Discriminant::new("Martin", "Paul-back", None);
    let back = g
        .generate(
            &d,
            "Paul",
            "Martin",
            datetime(2013, 1, 1, 0, 0, 0, 0),
            |_| None,
        )
        .unwrap();
    assert_eq!(back.id(), "Vpm620130101012346678");
}

#[test]
fn logins_are_folded_and_incremented() {
    let taken: HashSet<&str> = ["jean.dupont", "jdupont", "jdupont2"].into();
    let t = |s: &str| taken.contains(s);
    assert_eq!(
        login_base(LoginStyle::FirstDotLast, "Jean", "Dupont").unwrap(),
        "jean.dupont"
    );
    assert_eq!(
        unique_login(LoginStyle::FirstDotLast, "Jean", "Dupont", t).unwrap(),
        "jean.dupont2"
    );
    assert_eq!(
        unique_login(LoginStyle::InitialLast, "Jean", "Dupont", t).unwrap(),
        "jdupont3"
    );
    assert_eq!(
        unique_login(LoginStyle::FirstDotLast, "Anne-Cécile", "d'Artagnan", t).unwrap(),
        "anne-cecile.dartagnan"
    );
    assert_eq!(
        unique_login(LoginStyle::FirstDotLast, "Jean Pierre", "de La Fontaine", t).unwrap(),
        "jean-pierre.de-la-fontaine"
    );
    assert_eq!(
        unique_login(LoginStyle::InitialLast, "Zoé", "Lœwy", t).unwrap(),
        "zloewy"
    );
    assert_eq!(
        login_base(LoginStyle::FirstDotLast, "'", "Dupont"),
        Err(SdetError::EmptyLogin("' Dupont".into()))
    );
    assert!(matches!(
        unique_login(LoginStyle::FirstDotLast, "A", "B", |_| true),
        Err(SdetError::NoFreeLogin(_, _))
    ));
}

#[test]
fn two_jean_dupont_get_two_logins() {
    let mut logins: HashSet<String> = HashSet::new();
    for _ in 0..2 {
        let l = unique_login(LoginStyle::FirstDotLast, "Jean", "Dupont", |s| {
            logins.contains(s)
        })
        .unwrap();
        logins.insert(l);
    }
    assert_eq!(
        logins,
        ["jean.dupont".to_string(), "jean.dupont2".to_string()].into()
    );
}

#[test]
fn an_alias_equal_to_a_login_is_refused() {
    let taken: HashSet<&str> = ["jean.dupont", "jd"].into();
    assert_eq!(
        check_alias("Jean.Dupont", |s| taken.contains(s)),
        Err(SdetError::AliasTaken("jean.dupont".into()))
    );
    assert_eq!(
        check_alias(" JeanD ", |s| taken.contains(s)),
        Ok("jeand".into())
    );
    assert_eq!(
        check_alias("jean dupont", |_| false),
        Err(SdetError::BadAlias("jean dupont".into()))
    );
}

#[test]
fn display_names_of_the_specification() {
    assert_eq!(
        display_name("de La Fontaine", "Jean-Pierre"),
        "DE LA FONTAINE Jean Pierre"
    );
    assert_eq!(display_name("Lœwy", "Zoé"), "LOEWY Zoé");
    assert_eq!(
        display_name("d'Artagnan", "Anne-Cécile"),
        "D ARTAGNAN Anne Cécile"
    );
    assert_eq!(display_name("MARTIN", "PAUL  émile"), "MARTIN Paul Émile");
    assert_eq!(display_name("Ærø", "Lætitia"), "AERO Laetitia");
    assert_eq!(display_name("", "Zoé"), "Zoé");
    assert_eq!(display_name("Dupont", ""), "DUPONT");
}

#[test]
fn join_keys_build_and_parse() {
    let k = JoinKey::parse("AC-RENNES$128407").unwrap();
    assert_eq!(k.source, "AC-RENNES");
    assert_eq!(k.key, "128407");
    assert_eq!(k.to_string(), "AC-RENNES$128407");
    assert_eq!(JoinKey::manual("42").unwrap().to_string(), "ENT$42");
    assert_eq!(JoinKey::parse("ENT$a$b").unwrap().key, "a$b");
    for bad in ["", "$", "ENT$", "$42", "noseparator"] {
        assert!(JoinKey::parse(bad).is_err(), "{bad}");
    }
    assert!(JoinKey::new("A$B", "1").is_err());
}

#[test]
fn odd_names_never_panic() {
    for s in ["", "\u{0}", "\u{301}", "🙂", "''", "-", "ǅ", "İ"] {
        let _ = display_name(s, s);
        let _ = login_base(LoginStyle::InitialLast, s, s);
        let _ = identifier(
            rhone(),
            TimestampDigits::Fifteen,
            s,
            s,
            datetime(2000, 1, 1, 0, 0, 0, 0),
        );
        let _ = check_alias(s, |_| false);
        let _ = JoinKey::parse(s);
    }
}
