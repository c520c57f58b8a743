use super::*;
use jiff::civil::date;

fn now() -> DateTime {
    date(2026, 11, 22).at(10, 0, 0, 0)
}

fn facts<'a>() -> PersonFacts<'a> {
    PersonFacts {
        eppn: Some("jdupont@univ.fr"),
        ine: None,
        first_name: "Jean",
        last_name: "Dupont",
        email: Some("jean.dupont@univ.fr"),
        birth_date: Some(date(1980, 5, 1)),
        due_date: Some(date(2027, 9, 30)),
        rne: Some("0123456Y"),
        id_company_rate: 78,
        id_rate: 1,
    }
}

fn student<'a>() -> PersonFacts<'a> {
    PersonFacts {
        ine: Some("1234567890A"),
        id_company_rate: 10,
        ..facts()
    }
}

#[test]
fn identifier_choice() {
    let p = student();
    assert_eq!(
        computed_identifier(&p, Some("old"), true).as_deref(),
        Some("1234567890A")
    );
    assert_eq!(
        computed_identifier(&p, Some("old"), false).as_deref(),
        Some("old")
    );
    assert_eq!(
        computed_identifier(&facts(), None, true).as_deref(),
        Some("jdupont@univ.fr")
    );
    let nobody = PersonFacts {
        eppn: None,
        ..facts()
    };
    assert_eq!(computed_identifier(&nobody, None, true), None);
}

#[test]
fn due_date_is_never_before_now_plus_three_hours() {
    let p = PersonFacts {
        due_date: Some(date(2020, 1, 1)),
        ..facts()
    };
    let rh = local_right_holder(&p, "x", now());
    assert_eq!(rh.due_date.as_deref(), Some("2026-11-22T13:00:00.000Z"));
    assert!(person_past_due(&p, now()));
    let rh = local_right_holder(&facts(), "x", now());
    assert_eq!(rh.due_date.as_deref(), Some("2027-09-30T00:00:00.000Z"));
    assert_eq!(rh.simple_birth_date.as_deref(), Some("1980-05-01"));
}

#[test]
fn an_unchanged_person_needs_nothing_even_with_case_and_accents() {
    let local = local_right_holder(&facts(), "jdupont@univ.fr", now());
    let mut remote = local.clone();
    remote.last_name = Some("DUPONT".into());
    remote.first_name = Some("Jéan".into());
    remote.due_date = Some("2027-09-30T00:03:00+02:00".into());
    remote.account_status = Some("ACTIF".into());
    assert_eq!(plan(&local, &remote, now()), Plan::UpToDate);
    remote.due_date = Some("2027-09-30T00:05:00Z".into());
    assert!(matches!(plan(&local, &remote, now()), Plan::Put { .. }));
}

#[test]
fn a_changed_email_of_a_non_student_is_put() {
    let local = local_right_holder(&facts(), "jdupont@univ.fr", now());
    let mut remote = local.clone();
    remote.email = Some("old@univ.fr".into());
    match plan(&local, &remote, now()) {
        Plan::Put {
            body,
            patch_identifier_from,
            kept_rate,
        } => {
            assert_eq!(*body, local);
            assert_eq!(patch_identifier_from, None);
            assert_eq!(kept_rate, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn students_only_compare_the_student_subset() {
    let local = local_right_holder(&student(), "1234567890A", now());
    let mut remote = local.clone();
    remote.email = Some("other@crous.fr".into());
    remote.first_name = Some("Jeannot".into());
    remote.id_rate = Some(5);
    assert_eq!(plan(&local, &remote, now()), Plan::UpToDate);
    // A changed establishment is pushed, keeping the CROUS tarif.
    remote.rne_org_code = Some("0999999Z".into());
    match plan(&local, &remote, now()) {
        Plan::Put {
            body, kept_rate, ..
        } => {
            assert_eq!(body.id_rate, Some(5));
            assert_eq!(kept_rate, Some(5));
            assert_eq!(body.rne_org_code.as_deref(), Some("0123456Y"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_student_is_never_downgraded() {
    let staff = local_right_holder(&facts(), "jdupont@univ.fr", now());
    let mut remote = staff.clone();
    remote.id_company_rate = Some(10);
    assert_eq!(plan(&staff, &remote, now()), Plan::WouldDowngradeStudent);
}

#[test]
fn a_later_crous_due_date_of_a_student_is_kept() {
    let local = local_right_holder(&student(), "1234567890A", now());
    let mut remote = local.clone();
    remote.due_date = Some("2028-09-30T00:00:00.000Z".into());
    assert_eq!(plan(&local, &remote, now()), Plan::KeepRemoteDueDate);
    // For a non-student, the local date wins.
    let local = local_right_holder(&facts(), "jdupont@univ.fr", now());
    let mut remote = local.clone();
    remote.due_date = Some("2028-09-30T00:00:00.000Z".into());
    assert!(matches!(plan(&local, &remote, now()), Plan::Put { .. }));
}

#[test]
fn a_changed_identifier_is_patched_before_the_put() {
    let local = local_right_holder(&student(), "1234567890A", now());
    let mut remote = local.clone();
    remote.identifier = "jdupont@univ.fr".into();
    match plan(&local, &remote, now()) {
        Plan::Put {
            patch_identifier_from,
            ..
        } => assert_eq!(patch_identifier_from.as_deref(), Some("jdupont@univ.fr")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn both_due_dates_past_means_nothing_to_do() {
    let p = PersonFacts {
        due_date: Some(date(2020, 1, 1)),
        ..facts()
    };
    let mut local = local_right_holder(&p, "x", now());
    local.due_date = Some("2020-01-01T00:00:00.000Z".into());
    let mut remote = local.clone();
    remote.email = Some("changed@x.fr".into());
    remote.due_date = Some("2021-01-01T00:00:00.000Z".into());
    assert_eq!(plan(&local, &remote, now()), Plan::UpToDate);
    assert!(!must_update_due_date(
        Some(date(2020, 1, 1).at(0, 0, 0, 0)),
        Some(date(2021, 1, 1).at(0, 0, 0, 0)),
        false,
        now()
    ));
}

#[test]
fn disable_reasons_map_to_crous_codes() {
    use crate::domain::card::DisableReason::*;
    assert_eq!(reason_code(Some(Lost)), "DP");
    assert_eq!(reason_code(Some(Theft)), "DV");
    assert_eq!(reason_code(Some(OutOfOrder)), "CD");
    assert_eq!(reason_code(None), "HS");
}
