use super::*;
use crate::library::bcdi::{Borrower, EsidocBorrower};
use crate::library::reconcile::{self, Verdict};

fn loaded(name: &str, count: usize) -> Loaded {
    Loaded {
        name: name.into(),
        bytes: Arc::new(b"x".to_vec()),
        count,
    }
}

fn borrower(number: &str, name: &str, loans: u32) -> Borrower {
    Borrower {
        line: 2,
        number: Some(number.into()),
        name: name.into(),
        status: "Elève".into(),
        class: Some("3A".into()),
        kind: "Usager".into(),
        loans: Some(loans),
        ent_id: None,
    }
}

fn ent(name: &str, id: &str) -> EsidocBorrower {
    EsidocBorrower {
        name: name.into(),
        status: "Elève".into(),
        class: Some("3A".into()),
        ent_id: id.into(),
        ..EsidocBorrower::default()
    }
}

/// A plan with a comma suggestion and a 2×1 homonym group, as the job would return it.
fn preview(decisions: Decisions) -> Arc<Preview> {
    let borrowers = vec![
        borrower("1", "DUPONT, Jean", 0),
        borrower("2", "MARTIN Léa", 0),
        borrower("3", "MARTIN Léa", 1),
    ];
    let ents = vec![ent("DUPONT Jean", "e1"), ent("MARTIN Léa", "e2")];
    let plan = reconcile::plan(&borrowers, &ents, &Scope::All, &decisions);
    Arc::new(Preview {
        keys: reconcile::borrower_keys(&borrowers),
        borrowers,
        ent: ents,
        plan,
        decisions,
        skipped: Vec::new(),
        without_class: Vec::new(),
        source: "Lycée test (0290009C)".into(),
    })
}

fn one_job(fx: &[Effect]) -> LibraryJob {
    match fx {
        [Effect::Job(Job::Library(job))] => job.clone(),
        other => panic!("expected one library job, got {other:?}"),
    }
}

fn preview_request(fx: &[Effect]) -> PreviewRequest {
    match one_job(fx) {
        LibraryJob::Preview(req) => *req,
        other => panic!("expected a preview, got {other:?}"),
    }
}

/// A state on the Files step with BCDI's list loaded, for the school 0291234X.
fn on_files() -> State {
    let mut s = State::default();
    s.update(Message::Establishment("0291234X".into()));
    s.update(Message::Next);
    s.on_done(LibraryDone::Borrowers(loaded("bcdi.csv", 3)));
    s
}

/// A state on the Plan step with the plan of `decisions`.
fn on_plan(decisions: Decisions) -> State {
    let mut s = on_files();
    let req = preview_request(&s.update(Message::Next));
    s.on_done(LibraryDone::Previewed {
        seq: req.seq,
        preview: preview(decisions),
    });
    s
}

#[test]
fn the_establishment_step_needs_a_school_and_a_population() {
    let mut s = State::default();
    assert_eq!(s.step, Step::Establishment);
    assert!(!s.can_advance() && !s.has_back() && s.has_next());
    assert!(s.update(Message::Next).is_empty(), "Next does nothing yet");
    assert_eq!(s.step, Step::Establishment);

    let job = one_job(&s.update(Message::Establishment("0291234X".into())));
    assert!(matches!(job, LibraryJob::Census { ref uai, .. } if uai == "0291234X"));
    assert!(s.can_advance());

    // Every population off: nothing to export, Next disabled; one back: counted again.
    for p in Population::ALL {
        s.update(Message::Population(p, false));
    }
    assert!(!s.can_advance());
    let job = one_job(&s.update(Message::Population(Population::Teachers, true)));
    let LibraryJob::Census { opts, .. } = job else {
        panic!("census expected")
    };
    assert_eq!(opts.populations, vec![Population::Teachers]);
    s.update(Message::Population(Population::Pupils, true));
    assert_eq!(
        s.populations,
        vec![Population::Pupils, Population::Teachers],
        "kept in their usual order"
    );

    // A stale count (other options) is not shown; the current one is.
    let census = Census {
        count: 12,
        ..Census::default()
    };
    s.on_done(LibraryDone::Census {
        uai: "0291234X".into(),
        opts: ExportOptions::default(),
        census: census.clone(),
    });
    assert_eq!(s.census, None);
    s.on_done(LibraryDone::Census {
        uai: "0291234X".into(),
        opts: s.options(),
        census: census.clone(),
    });
    assert_eq!(s.census, Some(census));

    // Classes toggle; "all classes" clears them.
    s.update(Message::Class("3A".into()));
    s.update(Message::Class("4B".into()));
    s.update(Message::Class("3A".into()));
    assert_eq!(s.classes, vec!["4B".to_string()]);
    s.update(Message::AllClasses);
    assert!(s.classes.is_empty());
}

#[test]
fn an_ent_file_replaces_the_directory() {
    let mut s = State::default();
    assert!(s.update(Message::Source(SourceKind::EntFile)).is_empty());
    assert!(!s.can_advance(), "no file yet");
    assert!(matches!(
        s.update(Message::Open(Pick::EntFile)).as_slice(),
        [Effect::LibraryDialog(Pick::EntFile)]
    ));
    assert!(
        s.update(Message::Picked(Pick::EntFile, None)).is_empty(),
        "cancelled"
    );
    let job = one_job(&s.update(Message::Picked(
        Pick::EntFile,
        Some(PathBuf::from("/tmp/ent.xml")),
    )));
    assert!(matches!(job, LibraryJob::ReadEnt(_)));
    assert!(s.busy && !s.can_advance());
    s.on_done(LibraryDone::Ent(loaded("ent.xml", 40)));
    assert!(!s.busy && s.can_advance());
    assert!(matches!(s.source(), Some(Source::File(f)) if f.name == "ent.xml"));
    assert_eq!(s.source().map(|x| x.key()), Some("file:ent.xml".into()));
}

#[test]
fn the_files_step_needs_the_list_and_a_readable_scope() {
    let mut s = State::default();
    s.update(Message::Establishment("0291234X".into()));
    s.update(Message::Next);
    assert_eq!(s.step, Step::Files);
    assert!(!s.can_advance(), "no borrower list yet");
    assert_eq!(s.equation, DEFAULT_EQUATION);
    assert!(s.scope().is_ok());

    // A bad file: the banner, nothing loaded.
    s.update(Message::Picked(
        Pick::Borrowers,
        Some(PathBuf::from("/tmp/x.csv")),
    ));
    assert!(s.busy);
    // A census reload failing meanwhile is said, and the screen still waits for the file.
    s.on_done(LibraryDone::ListFailed("database locked".into()));
    assert!(s.busy && !s.can_advance());
    assert_eq!(s.error.as_deref(), Some("database locked"));
    s.on_done(LibraryDone::Failed("x.csv: the file is empty".into()));
    assert!(s.borrowers.is_none() && !s.busy);
    assert_eq!(s.error.as_deref(), Some("x.csv: the file is empty"));
    s.on_done(LibraryDone::Borrowers(loaded("bcdi.csv", 3)));
    assert!(s.can_advance());

    s.update(Message::Equation("Couleur=Bleu".into()));
    let err = s.scope().expect_err("an unknown field");
    assert!(err.contains("Couleur=Bleu"), "{err}");
    assert!(!s.can_advance());
    assert!(s.update(Message::Next).is_empty());
    s.update(Message::Scope(ScopeKind::NoDeletion));
    assert_eq!(s.scope(), Ok(Scope::NoDeletion), "the equation is not read");
    s.update(Message::Scope(ScopeKind::All));
    assert_eq!(s.scope(), Ok(Scope::All));
    s.update(Message::Scope(ScopeKind::Equation));
    s.update(Message::Equation(
        "Statut=Elève OU Statut=Enseignant".into(),
    ));
    assert!(matches!(s.scope(), Ok(Scope::Equation(any)) if any.len() == 2));

    // Next computes the plan with the kept decisions; the step changes when it comes back.
    let req = preview_request(&s.update(Message::Next));
    assert!(req.decisions.is_none() && !req.keep);
    assert_eq!(s.step, Step::Files);
    s.on_done(LibraryDone::Previewed {
        seq: req.seq + 1,
        preview: preview(Decisions::default()),
    });
    assert!(s.preview.is_none(), "a stale plan is dropped");
    s.on_done(LibraryDone::Previewed {
        seq: req.seq,
        preview: preview(Decisions::default()),
    });
    assert_eq!(s.step, Step::Plan);
    s.update(Message::Next);
    assert_eq!(s.step, Step::Resolutions);
    s.update(Message::Next);
    assert_eq!(s.step, Step::Outputs);
    assert!(!s.has_next() && !s.can_advance());
    s.update(Message::Back);
    s.update(Message::Back);
    s.update(Message::Back);
    assert_eq!(s.step, Step::Files);
    s.update(Message::Equation("Statut=Elève".into()));
    assert!(
        s.preview.is_none(),
        "a changed scope computes the plan again"
    );
}

#[test]
fn decisions_are_built_without_contradictions() {
    let d = with_pair(&Decisions::default(), "#2", "e2");
    let d = with_pair(&d, "#3", "e2");
    assert_eq!(d.pairs, vec![("#3".to_string(), "e2".to_string())]);
    let d = with_pair(&d, "#3", "e9");
    assert_eq!(d.pairs, vec![("#3".to_string(), "e9".to_string())]);
    assert!(
        without_pairs(&d, &["#2".into(), "#3".into()])
            .pairs
            .is_empty()
    );

    let d = with_verdict(&Decisions::default(), "#1", "e1", Verdict::Accepted);
    assert_eq!(d.accepted.len(), 1);
    let d = with_verdict(&d, "#1", "e1", Verdict::Rejected);
    assert!(d.accepted.is_empty() && d.rejected.len() == 1);
    let d = with_verdict(&d, "#1", "e1", Verdict::Pending);
    assert_eq!(d, Decisions::default());
}

#[test]
fn each_decision_is_kept_and_the_plan_computed_again() {
    let mut s = on_plan(Decisions::default());
    let p = s.preview.clone().expect("plan");
    assert_eq!(p.plan.suggestions.len(), 1);
    assert_eq!(p.plan.homonyms.len(), 1);
    assert!(!p.plan.homonyms[0].resolved);

    let req = preview_request(&s.update(Message::Verdict(
        "#1".into(),
        "e1".into(),
        Verdict::Accepted,
    )));
    assert!(req.keep);
    let d = req.decisions.clone().expect("decisions");
    assert_eq!(d.accepted, vec![("#1".to_string(), "e1".to_string())]);
    assert!(s.busy, "the buttons wait for the new plan");
    s.on_done(LibraryDone::Previewed {
        seq: req.seq,
        preview: preview(d),
    });
    let p = s.preview.clone().expect("plan");
    assert_eq!(p.plan.renames.len(), 1);
    assert_eq!(s.step, Step::Plan, "the step does not move");

    let req = preview_request(&s.update(Message::Pair("#3".into(), "e2".into())));
    let d = req.decisions.clone().expect("decisions");
    assert_eq!(d.pairs, vec![("#3".to_string(), "e2".to_string())]);
    assert_eq!(d.accepted.len(), 1, "the other decisions stay");
    s.on_done(LibraryDone::Previewed {
        seq: req.seq,
        preview: preview(d),
    });
    assert!(
        s.preview
            .as_ref()
            .is_some_and(|p| p.plan.homonyms[0].resolved)
    );

    let req = preview_request(&s.update(Message::Unpair(vec!["#2".into(), "#3".into()])));
    assert!(req.decisions.is_some_and(|d| d.pairs.is_empty()));
}

#[test]
fn the_outputs_need_a_folder() {
    let mut s = on_plan(Decisions::default());
    s.update(Message::Next);
    s.update(Message::Next);
    assert_eq!(s.step, Step::Outputs);
    assert_eq!(s.charset, Charset::Windows1252);
    assert!(s.update(Message::Write).is_empty(), "no folder yet");
    assert!(matches!(
        s.update(Message::Open(Pick::OutputFolder)).as_slice(),
        [Effect::LibraryDialog(Pick::OutputFolder)]
    ));
    s.update(Message::Picked(
        Pick::OutputFolder,
        Some(PathBuf::from("/tmp/out")),
    ));
    s.update(Message::Charset(Charset::Utf8));
    match one_job(&s.update(Message::Write)) {
        LibraryJob::Write {
            dir,
            charset,
            key,
            borrowers_file,
            scope,
            ..
        } => {
            assert_eq!(dir, PathBuf::from("/tmp/out"));
            assert_eq!(charset, Charset::Utf8);
            assert_eq!(key, "0291234X");
            assert_eq!(borrowers_file, "bcdi.csv");
            assert_eq!(scope, DEFAULT_EQUATION);
        }
        other => panic!("expected a write, got {other:?}"),
    }
    s.on_done(LibraryDone::Written(vec!["/tmp/out/plan.json".into()]));
    assert!(!s.busy && s.info.is_some());
    assert_eq!(s.written.len(), 1);
}

/// A plan of `n` ENT persons new to BCDI.
fn long_plan(n: usize) -> State {
    let mut s = on_files();
    let req = preview_request(&s.update(Message::Next));
    let ents: Vec<EsidocBorrower> = (0..n)
        .map(|i| ent(&format!("ÉLÈVE{i:04} Anne"), &format!("e{i}")))
        .collect();
    let plan = reconcile::plan(&[], &ents, &Scope::All, &Decisions::default());
    s.on_done(LibraryDone::Previewed {
        seq: req.seq,
        preview: Arc::new(Preview {
            keys: Vec::new(),
            borrowers: Vec::new(),
            ent: ents,
            plan,
            decisions: Decisions::default(),
            skipped: Vec::new(),
            without_class: Vec::new(),
            source: "Lycée test (0290009C)".into(),
        }),
    });
    s
}

fn rows_line(from: usize, to: usize, total: usize) -> String {
    fl!("library-rows", from = from, to = to, total = total)
}

/// The messages a click on `label` sends (none when it is shown disabled); panics when it is not shown.
fn click_on(s: &State, label: &str) -> Vec<Message> {
    let mut sim = iced_test::Simulator::with_size(
        iced::Settings::default(),
        iced::Size::new(1280.0, 4000.0),
        s.view(),
    );
    assert!(sim.click(label).is_ok(), "no {label:?} on the screen");
    sim.into_messages().collect()
}

fn shows(s: &State, label: &str) -> bool {
    iced_test::Simulator::with_size(
        iced::Settings::default(),
        iced::Size::new(1280.0, 4000.0),
        s.view(),
    )
    .find(label)
    .is_ok()
}

#[test]
fn a_long_plan_tab_is_shown_a_page_at_a_time() {
    let mut s = long_plan(250);
    assert_eq!(s.step, Step::Plan);
    assert!(shows(&s, &rows_line(1, 100, 250)));
    assert!(shows(&s, "ÉLÈVE0099 Anne"));
    assert!(!shows(&s, "ÉLÈVE0100 Anne"), "the second page is not built");
    assert!(
        click_on(&s, &fl!("library-rows-previous")).is_empty(),
        "no page before the first"
    );
    for m in click_on(&s, &fl!("library-rows-next")) {
        s.update(m);
    }
    assert_eq!(s.page, 1);
    assert!(shows(&s, &rows_line(101, 200, 250)));
    assert!(shows(&s, "ÉLÈVE0100 Anne"));
    s.update(Message::Page(2));
    assert!(shows(&s, &rows_line(201, 250, 250)));
    assert!(
        click_on(&s, &fl!("library-rows-next")).is_empty(),
        "the last page"
    );

    // Another tab starts at its first page; a short list shows no pager.
    s.update(Message::Tab(PlanTab::Deleted));
    assert_eq!(s.page, 0);
    assert!(!shows(&s, &fl!("library-rows-next")));
    // A page past the end (the plan got shorter) shows the last one.
    s.update(Message::Tab(PlanTab::New));
    s.update(Message::Page(9));
    assert!(shows(&s, &rows_line(201, 250, 250)));
}
