//! formats.md §6.3, one test per row, and the suggestions.

use super::*;
use crate::library::bcdi::{Borrower, EsidocBorrower, STATUS_PUPIL, STATUS_TEACHER};

fn b(name: &str, status: &str, class: &str, loans: u32) -> Borrower {
    Borrower {
        line: 0,
        number: None,
        name: name.into(),
        status: status.into(),
        class: (!class.is_empty()).then(|| class.to_string()),
        kind: "Usager".into(),
        loans: Some(loans),
        ent_id: None,
    }
}

fn with_id(mut x: Borrower, id: &str) -> Borrower {
    x.ent_id = Some(id.into());
    x
}

fn e(name: &str, status: &str, class: &str, id: &str) -> EsidocBorrower {
    EsidocBorrower {
        name: name.into(),
        status: status.into(),
        class: (!class.is_empty()).then(|| class.to_string()),
        ent_id: id.into(),
        ..EsidocBorrower::default()
    }
}

fn numbered(mut list: Vec<Borrower>) -> Vec<Borrower> {
    for (i, x) in list.iter_mut().enumerate() {
        x.line = i + 2;
        x.number = Some((100 + i).to_string());
    }
    list
}

fn pupils_scope() -> Scope {
    Scope::parse("Statut=Elève").unwrap()
}

#[test]
fn ent_pupil_without_borrower_is_new() {
    let p = plan(
        &[],
        &[e("MARTIN Paul", STATUS_PUPIL, "6A", "x")],
        &Scope::All,
        &Decisions::default(),
    );
    assert_eq!(p.new, vec![0]);
}

#[test]
fn same_identifier_with_a_new_class_is_updated_and_keeps_loans() {
    let bs = numbered(vec![with_id(b("MARTIN Paul", STATUS_PUPIL, "6A", 3), "x")]);
    let p = plan(
        &bs,
        &[e("MARTIN Paul", STATUS_PUPIL, "5A", "x")],
        &pupils_scope(),
        &Decisions::default(),
    );
    assert_eq!(p.mode, Mode::ByIdentifier);
    assert_eq!(p.updated.len(), 1);
    assert!(!p.updated[0].ambiguous);
    assert_eq!(
        p.updated[0].changes,
        vec![Change {
            field: "class",
            from: "6A".into(),
            to: "5A".into()
        }]
    );
    assert!(p.deleted.is_empty() && p.set_aside.is_empty() && p.new.is_empty());
}

#[test]
fn first_update_matches_on_the_name_and_marks_it_ambiguous() {
    let bs = numbered(vec![b("martin  paul", STATUS_PUPIL, "6A", 0)]);
    let p = plan(
        &bs,
        &[e("MARTIN Paul", STATUS_PUPIL, "6A", "x")],
        &Scope::All,
        &Decisions::default(),
    );
    assert_eq!(p.mode, Mode::FirstUpdate);
    assert_eq!(p.updated.len(), 1, "the identifier is written: a change");
    assert!(p.updated[0].ambiguous);
    assert_eq!(p.ambiguous(), 1);
}

#[test]
fn leaving_pupil_without_loan_is_deleted_with_loans_set_aside() {
    let bs = numbered(vec![
        b("DURAND Léa", STATUS_PUPIL, "3B", 0),
        b("DURAND Luc", STATUS_PUPIL, "3B", 2),
    ]);
    let p = plan(&bs, &[], &pupils_scope(), &Decisions::default());
    assert_eq!(p.deleted, vec![0]);
    assert_eq!(p.set_aside, vec![1], "never deleted with loans (R11)");
}

#[test]
fn teacher_outside_the_lot_and_mid_year_updates_are_untouched() {
    let bs = numbered(vec![
        b("PETIT Anne", STATUS_TEACHER, "", 0),
        b("DURAND Léa", STATUS_PUPIL, "3B", 0),
    ]);
    let p = plan(&bs, &[], &pupils_scope(), &Decisions::default());
    assert_eq!((p.untouched.clone(), p.deleted.clone()), (vec![0], vec![1]));
    let p = plan(&bs, &[], &Scope::NoDeletion, &Decisions::default());
    assert_eq!(p.untouched, vec![0, 1]);
    assert!(p.deleted.is_empty() && p.set_aside.is_empty());
}

#[test]
fn accents_make_bcdi_see_two_people_and_a_suggestion_joins_them() {
    let bs = numbered(vec![b("Hélène Dupré", STATUS_PUPIL, "4C", 0)]);
    let es = [e("Helene Dupre", STATUS_PUPIL, "4C", "h")];
    let p = plan(&bs, &es, &pupils_scope(), &Decisions::default());
    assert_eq!((p.deleted.clone(), p.new.clone()), (vec![0], vec![0]));
    assert_eq!(p.suggestions.len(), 1);
    assert_eq!(p.suggestions[0].reason, Reason::Accents);
    assert_eq!(p.suggestions[0].verdict, Verdict::Pending);

    // Accepted: BCDI's borrower is renamed first, then matched and updated; nothing deleted.
    let keys = borrower_keys(&bs);
    let d = Decisions {
        accepted: vec![(keys[0].clone(), "h".into())],
        ..Decisions::default()
    };
    let p = plan(&bs, &es, &pupils_scope(), &d);
    assert!(p.deleted.is_empty() && p.new.is_empty());
    assert_eq!(p.renames, vec![(0, "Helene Dupre".to_string())]);
    assert_eq!(p.updated.len(), 1);

    // Rejected: stays deleted + new, the suggestion shows the verdict.
    let d = Decisions {
        rejected: vec![(keys[0].clone(), "h".into())],
        ..Decisions::default()
    };
    let p = plan(&bs, &es, &pupils_scope(), &d);
    assert_eq!((p.deleted.len(), p.new.len()), (1, 1));
    assert_eq!(p.suggestions[0].verdict, Verdict::Rejected);
}

#[test]
fn comma_form_is_deleted_plus_new_and_suggested() {
    let bs = numbered(vec![b("DUPONT, Jean", STATUS_PUPIL, "", 0)]);
    let p = plan(
        &bs,
        &[e("DUPONT Jean", STATUS_PUPIL, "", "j")],
        &Scope::All,
        &Decisions::default(),
    );
    assert_eq!((p.deleted.len(), p.new.len()), (1, 1));
    assert_eq!(p.suggestions[0].reason, Reason::Comma);
}

#[test]
fn swapped_names_typos_and_set_aside_pairs_are_suggested() {
    let bs = numbered(vec![
        b("Jean-Marc BERTIN", STATUS_PUPIL, "5A", 0),
        b("LEBRETON Aurélien", STATUS_PUPIL, "5A", 1),
        b("AL-FARSI Nour", STATUS_PUPIL, "5A", 0),
    ]);
    let es = [
        e("BERTIN Jean-Marc", STATUS_PUPIL, "5A", "1"),
        e("LEBRETTON Aurélien", STATUS_PUPIL, "5A", "2"),
        e("AL FARSI Nour", STATUS_PUPIL, "5A", "3"),
    ];
    let p = plan(&bs, &es, &pupils_scope(), &Decisions::default());
    let got: Vec<(usize, usize, Reason)> = p
        .suggestions
        .iter()
        .map(|s| (s.borrower, s.ent, s.reason))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, 0, Reason::Swapped),
            (1, 1, Reason::Typo),
            (2, 2, Reason::Punctuation)
        ]
    );
    assert_eq!(
        p.set_aside,
        vec![1],
        "a set-aside borrower can pair with a new person"
    );
}

#[test]
fn unrelated_pairs_are_not_suggested() {
    let bs = numbered(vec![
        b("DUPONT Jean", STATUS_PUPIL, "6A", 0),
        b("MARTIN Paul", STATUS_PUPIL, "6A", 0),
        b("BERNARD Lucie", STATUS_PUPIL, "6A", 0),
        b("LEROY Chloé", STATUS_PUPIL, "4A", 0),
    ]);
    let es = [
        e("DUPONT Jeanne", STATUS_PUPIL, "6A", "1"),
        e("MARTIN Pauline", STATUS_PUPIL, "6A", "2"),
        e("GIRARD Lucas", STATUS_PUPIL, "6A", "3"),
        e("LEROY Chloe", STATUS_PUPIL, "3B", "4"),
        e("LEROUX Chloé", STATUS_PUPIL, "4A", "5"),
    ];
    let p = plan(&bs, &es, &pupils_scope(), &Decisions::default());
    // Only the accent pair, even across classes (accents are not a different person); the one-letter
    // pair LEROY/LEROUX is two letters apart; Jeanne and Pauline are other names.
    let got: Vec<(usize, usize)> = p.suggestions.iter().map(|s| (s.borrower, s.ent)).collect();
    assert_eq!(got, vec![(3, 3)]);
}

#[test]
fn homonyms_two_in_bcdi_one_in_the_file() {
    let bs = numbered(vec![
        b("MARTIN Paul", STATUS_PUPIL, "6A", 0),
        b("MARTIN Paul", STATUS_PUPIL, "3B", 1),
    ]);
    let es = [e("MARTIN Paul", STATUS_PUPIL, "3B", "p")];
    let p = plan(&bs, &es, &pupils_scope(), &Decisions::default());
    assert_eq!(p.homonyms.len(), 1);
    assert_eq!(p.homonyms[0].case, HomonymCase::SeveralInBcdi);
    assert!(!p.homonyms[0].resolved);
    assert_eq!(p.extra_records(), 1, "unresolved: a third record (R15)");
    assert_eq!(p.new, vec![0]);
    assert!(p.deleted.is_empty(), "nothing deleted while unresolved");

    let keys = borrower_keys(&bs);
    let d = Decisions {
        pairs: vec![(keys[1].clone(), "p".into())],
        ..Decisions::default()
    };
    let p = plan(&bs, &es, &pupils_scope(), &d);
    assert!(p.homonyms[0].resolved);
    assert_eq!(p.extra_records(), 0);
    assert_eq!(p.unchanged.len() + p.updated.len(), 1);
    assert_eq!(p.deleted, vec![0], "the other one left");
}

#[test]
fn homonyms_one_in_bcdi_two_in_the_file() {
    let bs = numbered(vec![b("MARTIN Paul", STATUS_PUPIL, "6A", 0)]);
    let es = [
        e("MARTIN Paul", STATUS_PUPIL, "6A", "p1"),
        e("MARTIN Paul", STATUS_PUPIL, "4C", "p2"),
    ];
    let p = plan(&bs, &es, &pupils_scope(), &Decisions::default());
    assert_eq!(p.homonyms[0].case, HomonymCase::SeveralInFile);
    assert_eq!(p.extra_records(), 2);
    let d = Decisions {
        pairs: vec![(borrower_keys(&bs)[0].clone(), "p1".into())],
        ..Decisions::default()
    };
    let p = plan(&bs, &es, &pupils_scope(), &d);
    assert!(p.homonyms[0].resolved);
    assert_eq!(p.new, vec![1]);
}

#[test]
fn two_and_two_resolving_one_pair_resolves_the_other() {
    let bs = numbered(vec![
        b("MARTIN Paul", STATUS_PUPIL, "6A", 0),
        b("MARTIN Paul", STATUS_PUPIL, "3B", 0),
    ]);
    let es = [
        e("MARTIN Paul", STATUS_PUPIL, "3B", "p1"),
        e("MARTIN Paul", STATUS_PUPIL, "5A", "p2"),
    ];
    let p = plan(&bs, &es, &pupils_scope(), &Decisions::default());
    assert_eq!(p.homonyms[0].case, HomonymCase::Both);
    let d = Decisions {
        pairs: vec![(borrower_keys(&bs)[1].clone(), "p1".into())],
        ..Decisions::default()
    };
    let p = plan(&bs, &es, &pupils_scope(), &d);
    assert!(p.homonyms[0].resolved);
    let pairs: Vec<(usize, usize)> = p
        .updated
        .iter()
        .chain(&p.unchanged)
        .map(|m| (m.borrower, m.ent))
        .collect();
    assert_eq!(pairs, vec![(0, 1), (1, 0)]);
    assert!(p.new.is_empty() && p.deleted.is_empty());
}

#[test]
fn parents_are_ignored_on_both_sides() {
    let bs = numbered(vec![b("MARTIN Louis", "Parent", "", 0)]);
    let es = [e("MARTIN Louis", "Parent", "", "l")];
    let p = plan(&bs, &es, &Scope::All, &Decisions::default());
    assert_eq!(p.parents, 1);
    assert!(p.new.is_empty() && p.deleted.is_empty());
    assert_eq!(p.untouched, vec![0]);
}

#[test]
fn temporary_user_with_every_loan_returned_can_be_deleted() {
    let mut t = b("ROUX Emma", STATUS_PUPIL, "", 0);
    t.kind = crate::library::bcdi::TEMPORARY_USER.into();
    let p = plan(
        &numbered(vec![t]),
        &[],
        &pupils_scope(),
        &Decisions::default(),
    );
    assert_eq!(p.deleted, vec![0]);
}

#[test]
fn later_update_ignores_names_and_matches_identifiers() {
    let bs = numbered(vec![
        with_id(b("DUPONT Jean", STATUS_PUPIL, "6A", 1), "a"),
        with_id(b("MARTIN Paul", STATUS_PUPIL, "6A", 0), "b"),
    ]);
    let es = [
        e("DUPONT-MOREAU Jean", STATUS_PUPIL, "5A", "a"),
        e("MARTIN Paul", STATUS_PUPIL, "6A", "c"),
    ];
    let p = plan(&bs, &es, &pupils_scope(), &Decisions::default());
    assert_eq!(p.updated.len(), 1);
    assert_eq!(p.updated[0].borrower, 0);
    assert_eq!(p.new, vec![1]);
    assert_eq!(p.deleted, vec![1]);
    assert!(p.homonyms.is_empty());
}

#[test]
fn scope_equations() {
    let s = Scope::parse("statut = eleve OU Type emprunteur=Usager temporaire").unwrap();
    let mut t = b("A B", STATUS_TEACHER, "", 0);
    assert!(!s.allows(&t));
    t.kind = "Usager temporaire".into();
    assert!(s.allows(&t));
    assert!(s.allows(&b("C D", "Élève", "", 0)));
    let s = Scope::parse("Statut=Elève ET Classe=6A").unwrap();
    assert!(s.allows(&b("A B", STATUS_PUPIL, "6a", 0)));
    assert!(!s.allows(&b("A B", STATUS_PUPIL, "5A", 0)));
    assert!(Scope::parse("Couleur=bleu").is_err());
    assert!(Scope::parse("Statut").is_err());
    assert!(Scope::parse("  ").is_err());
}
