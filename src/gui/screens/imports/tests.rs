use std::collections::HashMap;

use super::view::format_hint;
use super::*;
use crate::gui::imports_jobs::Checked;
use crate::library::sacoche::{CheckLine, CheckReport, Counts, MatchedBy, Outcome};
use crate::library::siecle::{ImportReport, SiecleFile};

fn school(uai: &str) -> School {
    School {
        uai: uai.into(),
        name: format!("Lycée {uai}"),
    }
}

fn job(fx: &[Effect]) -> ImportsJob {
    match fx {
        [Effect::Job(Job::Imports(j))] => j.clone(),
        other => panic!("expected one imports job, got {other:?}"),
    }
}

fn checked(problems: Vec<CheckLine>) -> Box<Checked> {
    Box::new(Checked {
        file: "ent.csv".into(),
        report: CheckReport {
            format: "perso",
            charset: "UTF-8",
            separator: ",".into(),
            modified: Vec::new(),
            problems,
            unchanged: Vec::new(),
            skipped_lines: Vec::new(),
            counts: Counts::default(),
        },
        holders: HashMap::from([(7, "DUPONT Jean".to_string())]),
    })
}

fn line(outcome: Outcome) -> CheckLine {
    CheckLine {
        line: 2,
        id_ent: "ENT-1".into(),
        surname: "Martin".into(),
        given_name: "Léa".into(),
        matched_by: MatchedBy::Name,
        outcome,
    }
}

#[test]
fn the_export_asks_where_only_with_an_establishment_then_runs_once() {
    let mut s = State::new();
    assert_eq!(s.charset, Charset::Utf8, "UTF-8 by default");
    assert!(s.update(Message::Save).is_empty(), "no establishment yet");
    s.update(Message::School(school("0291234X")));
    s.update(Message::Charset(Charset::Windows1252));
    assert!(matches!(
        s.update(Message::Save).as_slice(),
        [Effect::PickImport(Pick::SaveItop)]
    ));
    assert!(
        s.update(Message::Picked(Pick::SaveItop, None)).is_empty(),
        "cancelled"
    );
    let fx = s.update(Message::Picked(Pick::SaveItop, Some("/tmp/x.csv".into())));
    match job(&fx) {
        ImportsJob::Export { uai, charset, path } => {
            assert_eq!(uai, "0291234X");
            assert_eq!(charset, Charset::Windows1252);
            assert_eq!(path, PathBuf::from("/tmp/x.csv"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.busy, Some(Section::Export));
    assert!(
        s.update(Message::Save).is_empty(),
        "busy: one job at a time"
    );
    assert!(s.update(Message::LoadSiecle).is_empty());
}

#[test]
fn the_check_takes_the_format_and_the_scope() {
    let mut s = State::new();
    assert_eq!(s.format, Some(Format("itop")));
    assert_eq!(s.scope, Some(Scope::All));
    s.update(Message::Format(Format("kosmos")));
    let fx = s.update(Message::Picked(Pick::OpenEnt, Some("ent.csv".into())));
    assert!(matches!(
        job(&fx),
        ImportsJob::Check {
            format: "kosmos",
            uai: None,
            ..
        }
    ));
    s.on_done(ImportsDone::Failed(Section::Check, "bad".into()));
    s.update(Message::Scope(Scope::One(school("0291234X"))));
    let fx = s.update(Message::Picked(Pick::OpenEnt, Some("ent.csv".into())));
    assert!(matches!(
        job(&fx),
        ImportsJob::Check { uai: Some(u), .. } if u == "0291234X"
    ));
    assert_eq!(s.error, None, "a new run clears its section's error");
}

#[test]
fn a_failed_check_keeps_the_last_report_and_dismiss_clears_the_banner() {
    let mut s = State::new();
    s.on_done(ImportsDone::Checked(checked(Vec::new())));
    let before = s.checked.clone();
    s.busy = Some(Section::Check);
    let (changed, fx) = s.on_done(ImportsDone::Failed(Section::Check, "empty".into()));
    assert!(!changed && fx.is_empty());
    assert_eq!(s.busy, None);
    assert_eq!(s.checked, before, "nothing else changes");
    assert_eq!(s.error_of(Section::Check), Some("empty"));
    assert_eq!(s.error_of(Section::Siecle), None, "each tab its own banner");
    s.update(Message::Dismiss(Section::Siecle));
    assert!(s.error.is_some());
    s.update(Message::Dismiss(Section::Check));
    assert!(s.error.is_none());
}

#[test]
fn establishments_loaded_keep_or_reset_the_choices() {
    let mut s = State::new();
    let (changed, _) = s.on_done(ImportsDone::Schools(vec![school("0291234X")]));
    assert!(!changed);
    assert_eq!(s.school, Some(school("0291234X")), "the only one is chosen");
    s.update(Message::Scope(Scope::One(school("0291234X"))));
    s.on_done(ImportsDone::Schools(vec![
        school("0350001A"),
        school("0350002B"),
    ]));
    assert_eq!(s.school, None, "gone from the list");
    assert_eq!(s.scope, Some(Scope::All));
    s.update(Message::School(school("0350002B")));
    s.on_done(ImportsDone::Schools(vec![
        school("0350001A"),
        school("0350002B"),
    ]));
    assert_eq!(s.school, Some(school("0350002B")), "kept");
    assert!(matches!(
        s.open().as_slice(),
        [Effect::Job(Job::Imports(ImportsJob::Schools))]
    ));
}

#[test]
fn siecle_preview_then_import_and_a_refusal_drops_the_preview() {
    let mut s = State::new();
    assert!(s.update(Message::Import).is_empty(), "nothing previewed");
    assert!(matches!(
        s.update(Message::LoadSiecle).as_slice(),
        [Effect::PickImport(Pick::OpenSiecle)]
    ));
    let fx = s.update(Message::Picked(Pick::OpenSiecle, Some("e.xml".into())));
    assert!(matches!(job(&fx), ImportsJob::Preview(_)));
    let parsed = Arc::new(SiecleFile {
        uai: "0359876K".into(),
        charset: Charset::Iso8859_15,
        pupils: Vec::new(),
    });
    let plan = Box::new(ImportReport {
        structure_created: true,
        ..ImportReport::default()
    });
    s.on_done(ImportsDone::Previewed {
        file: "e.xml".into(),
        parsed: parsed.clone(),
        plan: plan.clone(),
    });
    let fx = s.update(Message::Import);
    assert!(matches!(job(&fx), ImportsJob::Import { file, .. } if file == "e.xml"));
    let (changed, fx) = s.on_done(ImportsDone::Imported {
        file: "e.xml".into(),
        report: plan.clone(),
    });
    assert!(changed, "the window reads its counts again");
    assert!(s.preview.is_none() && s.imported.is_some());
    assert!(
        matches!(job(&fx), ImportsJob::Schools),
        "a created establishment is offered"
    );
    // A refused file leaves nothing to import.
    s.on_done(ImportsDone::Previewed {
        file: "e.xml".into(),
        parsed,
        plan,
    });
    assert!(
        s.imported.is_none(),
        "a new preview replaces the last report"
    );
    s.on_done(ImportsDone::Failed(Section::Siecle, "dup".into()));
    assert!(s.preview.is_none());
    assert!(s.update(Message::Import).is_empty());
}

#[test]
fn every_format_has_a_hint_and_outcomes_are_worded() {
    // Language-independent checks: other tests may switch the process-wide language.
    for f in Format::all() {
        assert!(!format_hint(f.0).is_empty(), "{}", f.0);
    }
    assert_eq!(Format::all().len(), 16);
    let (id, surname, given, header, sconet): (usize, usize, usize, usize, usize) = (1, 4, 5, 1, 3);
    let hint = format_hint("logica");
    assert!(
        hint.starts_with(&crate::fl!(
            "imports-format-fixed",
            id = id,
            surname = surname,
            given = given,
            header = header
        )),
        "columns counted from 1: {hint}"
    );
    assert!(hint.ends_with(&crate::fl!("imports-format-sconet", sconet = sconet)));
    assert!(format_hint("kosmos").contains("Identifiant ENT"));
    let mut s = State::new();
    let used = line(Outcome::IdUsed {
        person_id: 3,
        used_by: 7,
    });
    s.checked = Some(checked(vec![used.clone()]));
    assert!(
        s.outcome(&used).contains("DUPONT Jean"),
        "the holder by name, not by number"
    );
    s.checked = None;
    assert!(
        s.outcome(&used).contains('7'),
        "the number when the name is unknown"
    );
    let set = line(Outcome::Set {
        person_id: 1,
        previous: Some("OLD-ID".into()),
    });
    assert!(s.outcome(&set).contains("OLD-ID"));
    let homonyms = line(Outcome::Homonyms {
        person_ids: vec![1, 2],
    });
    assert_ne!(s.outcome(&homonyms), s.outcome(&line(Outcome::NotFound)));
}

#[test]
fn the_background_school_list_does_not_end_a_running_import() {
    let mut s = State::new();
    let fx = s.update(Message::Picked(Pick::OpenSiecle, Some("siecle.xml".into())));
    assert!(matches!(job(&fx), ImportsJob::Preview(_)));
    assert_eq!(s.busy, Some(Section::Siecle));
    // The screen opened again meanwhile: its establishments come back before the preview.
    s.on_done(ImportsDone::Schools(vec![school("0291234X")]));
    s.on_done(ImportsDone::SchoolsFailed("database locked".into()));
    assert_eq!(
        s.busy,
        Some(Section::Siecle),
        "still waiting for the preview"
    );
    assert!(s.update(Message::LoadSiecle).is_empty(), "buttons stay off");
    assert_eq!(s.error_of(Section::Export), Some("database locked"));
    // Another section's failure does not end it either; its own does.
    s.on_done(ImportsDone::Failed(Section::Check, "bad".into()));
    assert_eq!(s.busy, Some(Section::Siecle));
    s.on_done(ImportsDone::Failed(Section::Siecle, "dup".into()));
    assert_eq!(s.busy, None);
}
