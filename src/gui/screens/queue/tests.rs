use super::*;
use crate::remote::actions::Row;

fn item(id: i64, service: &str, status: &str) -> Item {
    Item {
        id,
        service: service.into(),
        person_id: 10 + id,
        person: format!("Person {id}"),
        eppn: Some(format!("p{id}@univ.fr")),
        status: status.into(),
        tries: 1,
        error_code: Some("-11".into()),
        error: Some("Client existant".into()),
        operation: Some("POST".into()),
        blocking: true,
        last_result: None,
        created_at: "2026-09-01T10:00:00Z".into(),
        updated_at: "2026-09-01T10:00:00Z".into(),
        next_attempt_at: "2026-09-01T10:00:00Z".into(),
    }
}

fn loaded(s: &mut State, items: Vec<Item>) {
    let seq = s.seq;
    s.on_done(QueueDone::Loaded {
        seq,
        counts: Vec::new(),
        items,
        codes: vec!["-11".into()],
    });
}

fn load_filter(fx: &[Effect]) -> Filter {
    match fx {
        [Effect::Job(Job::Queue(QueueJob::Load { filter, .. }))] => filter.clone(),
        other => panic!("expected one load, got {other:?}"),
    }
}

#[test]
fn filters_become_the_store_filter() {
    let mut s = State::new();
    let f = load_filter(&s.update(Message::States(States::NeedsHuman)));
    assert_eq!(f.statuses, ["needs_human"]);
    let f = load_filter(&s.update(Message::States(States::Resolving)));
    assert_eq!(f.statuses, ["failed_retrying"]);
    let f = load_filter(&s.update(Message::Service(Some("crous".into()))));
    assert_eq!(f.service.as_deref(), Some("crous"));
    let f = load_filter(&s.update(Message::Code(Code(Some("-11".into())))));
    assert_eq!(f.error_code.as_deref(), Some("-11"));
    let f = load_filter(&s.update(Message::Blocking(Some(false))));
    assert_eq!(f.blocking, Some(false));
    let f = load_filter(&s.update(Message::Edit(Field::Person, " dupré ".into())));
    assert_eq!(f.person.as_deref(), Some("dupré"));
    let f = load_filter(&s.update(Message::Edit(Field::From, "2026-09-01".into())));
    assert_eq!(f.from.as_deref(), Some("2026-09-01"));
    assert_eq!(f.limit, Some(PAGE));
}

#[test]
fn a_bad_date_is_said_and_not_sent() {
    let mut s = State::new();
    assert!(
        s.update(Message::Edit(Field::To, "31/12".into()))
            .is_empty()
    );
    assert!(s.error.as_deref().is_some_and(|e| e.contains("31/12")));
    let f = load_filter(&s.update(Message::Edit(Field::To, "2026-12-31".into())));
    assert_eq!(f.to.as_deref(), Some("2026-12-31"));
    assert!(s.error.is_none());
}

#[test]
fn show_more_reads_a_longer_page_and_stale_answers_are_dropped() {
    let mut s = State::new();
    s.reload();
    let f = load_filter(&s.update(Message::ShowMore));
    assert_eq!(f.limit, Some(2 * PAGE));
    let stale = s.seq - 1;
    s.on_done(QueueDone::Loaded {
        seq: stale,
        counts: Vec::new(),
        items: vec![item(1, "crous", "done")],
        codes: Vec::new(),
    });
    assert!(
        s.items.is_empty(),
        "an older answer does not replace the list"
    );
    loaded(&mut s, vec![item(2, "crous", "done")]);
    assert_eq!(s.items.len(), 1);
}

#[test]
fn selecting_asks_the_live_values_and_prefills_the_patch() {
    let mut s = State::new();
    loaded(&mut s, vec![item(1, "crous", "needs_human")]);
    let fx = s.update(Message::Select(1));
    assert!(matches!(
        fx.as_slice(),
        [Effect::Job(Job::Queue(QueueJob::Compare { service, person: 11 }))] if service == "crous"
    ));
    assert_eq!(s.live, Some(Live::Loading));
    s.on_done(QueueDone::Compared {
        service: "crous".into(),
        person: 11,
        result: Ok(Comparison {
            rows: vec![
                Row {
                    field: "identifier".into(),
                    local: "NEWINE".into(),
                    remote: String::new(),
                },
                Row {
                    field: "email".into(),
                    local: "p1@etu.fr".into(),
                    remote: "old@etu.fr".into(),
                },
            ],
            found_under: Some("p1@univ.fr".into()),
            remote_missing: false,
        }),
    });
    s.update(Message::OpenPatch);
    assert_eq!(
        s.patch,
        Some(PatchForm {
            old: "p1@univ.fr".into(),
            new: "NEWINE".into(),
            email: "p1@etu.fr".into()
        })
    );
    let fx = s.update(Message::SendPatch);
    assert!(matches!(
        fx.as_slice(),
        [Effect::Job(Job::Queue(QueueJob::PatchIdentifier { person: 11, new, .. }))] if new == "NEWINE"
    ));
    assert!(s.busy);
}

#[test]
fn an_unreachable_service_is_shown_and_a_half_filled_patch_is_refused() {
    let mut s = State::new();
    loaded(&mut s, vec![item(1, "crous", "needs_human")]);
    s.update(Message::Select(1));
    s.on_done(QueueDone::Compared {
        service: "crous".into(),
        person: 11,
        result: Err("down".into()),
    });
    assert_eq!(s.live, Some(Live::Failed("down".into())));
    s.update(Message::OpenPatch);
    s.update(Message::EditPatch(PatchField::New, "X".into()));
    assert!(s.update(Message::SendPatch).is_empty());
    assert!(s.error.is_some());
}

#[test]
fn actions_ask_their_jobs_and_export_asks_a_file() {
    let mut s = State::new();
    loaded(
        &mut s,
        vec![
            item(1, "crous", "needs_human"),
            item(2, "escr", "failed_retrying"),
        ],
    );
    let fx = s.update(Message::RetryShown);
    assert!(
        matches!(fx.as_slice(), [Effect::Job(Job::Queue(QueueJob::Retry(ids)))] if ids == &[1, 2])
    );
    s.update(Message::Select(2));
    let fx = s.update(Message::RetrySelected);
    assert!(
        matches!(fx.as_slice(), [Effect::Job(Job::Queue(QueueJob::Retry(ids)))] if ids == &[2])
    );
    let fx = s.update(Message::CrousOff);
    assert!(matches!(
        fx.as_slice(),
        [Effect::Job(Job::Queue(QueueJob::CrousOption {
            person: 12,
            on: false
        }))]
    ));
    assert!(s.update(Message::PurgeRefusals).is_empty(), "asked first");
    assert_eq!(s.confirm_purge, Some(true));
    assert!(s.update(Message::CancelPurge).is_empty());
    assert!(
        s.update(Message::ConfirmPurge).is_empty(),
        "cancelled: nothing"
    );
    s.update(Message::PurgeRefusals);
    assert!(matches!(
        s.update(Message::ConfirmPurge).as_slice(),
        [Effect::Job(Job::Queue(QueueJob::Purge(true)))]
    ));
    assert!(matches!(
        s.update(Message::Export).as_slice(),
        [Effect::Dialog(Dialog::SaveQueueCsv)]
    ));
    let fx = s.on_picked("/tmp/q.csv".into());
    assert!(matches!(
        fx.as_slice(),
        [Effect::Job(Job::Queue(QueueJob::Export { path, .. }))] if path.ends_with("q.csv")
    ));
    // A finished action reads the list again.
    let fx = s.on_done(QueueDone::Changed("ok".into()));
    assert!(!s.busy);
    load_filter(&fx);
}
