use super::*;
use CardState::*;

fn now() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().unwrap()
}

fn card(state: CardState) -> CardFacts {
    CardFacts {
        id: 1,
        person_id: 7,
        state,
        state_by: Some("alice".into()),
        printer: None,
        csn: None,
        external: false,
    }
}

fn ctx<'a>(others: &'a [(CardId, CardState)], services: &'a [Service]) -> Context<'a> {
    Context {
        now: now(),
        person_editable: true,
        person_due_date: None,
        other_cards: others,
        services,
    }
}

fn alice() -> Actor {
    Actor::Operator("alice".into())
}

/// §1.3, verbatim: what an unlocked, editable person with no pending request is offered.
fn expected_offer(from: CardState) -> Vec<CardState> {
    match from {
        New | Renewed => vec![Rejected, RequestChecked, Canceled],
        RequestChecked => vec![InPrint, Canceled],
        InPrint => vec![RequestChecked, InPrint, Printed],
        Printed => vec![],
        InEncode => vec![Printed],
        Encoded => vec![Enabled, Destroyed],
        Enabled => vec![Disabled, Renewed],
        Disabled => vec![Enabled, Destroyed],
        Caduc => vec![Destroyed],
        Rejected | Canceled => vec![],
        Destroyed => vec![Renewed],
    }
}

/// §1.4 and §1.9: the edges only the system performs.
fn expected_system_only(from: CardState, to: CardState) -> bool {
    matches!(
        (from, to),
        (Printed, InEncode)
            | (Printed, Encoded)
            | (InEncode, Encoded)
            | (InPrint, Encoded)
            | (Encoded, Caduc)
            | (Enabled, Caduc)
            | (Disabled, Caduc)
            | (Caduc, Disabled)
            | (Rejected, Canceled)
    )
}

fn full_request(to: CardState) -> Request {
    Request {
        reason: (to == Disabled).then_some(DisableReason::Lost),
        comment: None,
        csn: (to == Encoded).then(|| Csn::parse_hex("04A1B2C3D4E5F6").unwrap()),
        printer: None,
    }
}

#[test]
fn offered_targets_follow_the_workflow_map() {
    for from in CardState::ALL {
        let got = offered_targets(&card(from), &alice(), &ctx(&[], &[]));
        assert_eq!(got, expected_offer(from), "offered from {from}");
    }
}

#[test]
fn every_pair_is_allowed_or_refused_as_the_reference_says_for_an_operator() {
    for from in CardState::ALL {
        for to in CardState::ALL {
            let res = transition(&card(from), to, &alice(), &full_request(to), &ctx(&[], &[]));
            let api_hack = to == Encoded && matches!(from, InPrint | Printed | InEncode);
            if expected_offer(from).contains(&to) || api_hack {
                assert!(res.is_ok(), "{from} -> {to} should be allowed: {res:?}");
            } else if expected_system_only(from, to) {
                assert!(
                    matches!(res, Err(CardError::SystemOnly { .. })),
                    "{from} -> {to}: {res:?}"
                );
            } else {
                assert!(
                    matches!(res, Err(CardError::NotAllowed { .. })),
                    "{from} -> {to}: {res:?}"
                );
            }
        }
    }
}

#[test]
fn every_pair_is_allowed_or_refused_for_the_system() {
    for from in CardState::ALL {
        for to in CardState::ALL {
            let res = transition(
                &card(from),
                to,
                &Actor::System,
                &full_request(to),
                &ctx(&[], &[]),
            );
            let ok = expected_offer(from).contains(&to) || expected_system_only(from, to);
            assert_eq!(res.is_ok(), ok, "system {from} -> {to}: {res:?}");
        }
    }
}

#[test]
fn system_only_edges_are_never_offered() {
    for from in CardState::ALL {
        for to in offered_targets(&card(from), &alice(), &ctx(&[], &[])) {
            assert!(!expected_system_only(from, to), "{from} -> {to} offered");
        }
    }
}

#[test]
fn system_only_refusal_lists_the_allowed_targets() {
    let err = transition(
        &card(Printed),
        InEncode,
        &alice(),
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap_err();
    assert_eq!(
        err,
        CardError::SystemOnly {
            from: Printed,
            to: InEncode,
            allowed: vec![]
        }
    );
    let err = transition(
        &card(Enabled),
        Caduc,
        &alice(),
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap_err();
    assert_eq!(
        err,
        CardError::SystemOnly {
            from: Enabled,
            to: Caduc,
            allowed: vec![Disabled, Renewed]
        }
    );
}

#[test]
fn locked_cards_offer_nothing_to_another_operator() {
    for st in [InPrint, InEncode] {
        let c = card(st);
        let bob = Actor::Operator("bob".into());
        assert!(offered_targets(&c, &bob, &ctx(&[], &[])).is_empty());
        let err = transition(&c, Printed, &bob, &Request::default(), &ctx(&[], &[])).unwrap_err();
        assert!(matches!(err, CardError::Locked { .. }), "{err:?}");
        assert!(!offered_targets(&c, &alice(), &ctx(&[], &[])).is_empty());
    }
}

#[test]
fn the_printer_holding_a_card_may_move_it() {
    let mut c = card(InPrint);
    c.printer = Some("evolis-1".into());
    c.state_by = Some("alice".into());
    let printer = Actor::Printer("evolis-1".into());
    assert_eq!(
        offered_targets(&c, &printer, &ctx(&[], &[])),
        vec![RequestChecked, InPrint, Printed]
    );
    assert!(offered_targets(&c, &Actor::Printer("other".into()), &ctx(&[], &[])).is_empty());
}

#[test]
fn entering_in_print_from_a_printer_records_it() {
    let t = transition(
        &card(RequestChecked),
        InPrint,
        &Actor::Printer("p1".into()),
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap();
    assert_eq!(t.changes[0].printer.as_deref(), Some("p1"));
    assert_eq!(t.changes[0].actor, "p1");
}

#[test]
fn request_checked_needs_an_editable_person() {
    let mut c = ctx(&[], &[]);
    c.person_editable = false;
    assert_eq!(
        offered_targets(&card(New), &alice(), &c),
        vec![Rejected, Canceled]
    );
    let err = transition(
        &card(New),
        RequestChecked,
        &alice(),
        &Request::default(),
        &c,
    )
    .unwrap_err();
    assert_eq!(err, CardError::NotEditable);
}

#[test]
fn enabling_disables_the_other_enabled_card_and_enqueues_both_sides() {
    let others = [(2, Enabled), (3, Destroyed)];
    let services = [Service::Crous, Service::LdapWriteback];
    let t = transition(
        &card(Encoded),
        Enabled,
        &alice(),
        &Request::default(),
        &ctx(&others, &services),
    )
    .unwrap();
    assert_eq!(t.changes.len(), 2);
    assert_eq!((t.changes[0].card_id, t.changes[0].to), (1, Enabled));
    assert_eq!(
        (t.changes[1].card_id, t.changes[1].from, t.changes[1].to),
        (2, Enabled, Disabled)
    );
    assert_eq!(t.changes[1].note, Some(Note::ReplacedBy(1)));
    assert!(t.effects.contains(&Effect::Invalidate {
        service: Service::Crous,
        person_id: 7,
        card_id: 2
    }));
    assert!(t.effects.contains(&Effect::Invalidate {
        service: Service::LdapWriteback,
        person_id: 7,
        card_id: 2
    }));
    assert!(t.effects.contains(&Effect::Validate {
        service: Service::Crous,
        person_id: 7,
        card_id: 1
    }));
    assert_eq!(t.effects.len(), 4);
}

#[test]
fn enabling_takes_the_persons_due_date() {
    let mut c = ctx(&[], &[]);
    c.person_due_date = Some(jiff::civil::date(2027, 8, 31));
    let t = transition(&card(Disabled), Enabled, &alice(), &Request::default(), &c).unwrap();
    assert_eq!(
        t.changes[0].set_enabled,
        Some(Some(jiff::civil::date(2027, 8, 31)))
    );
}

#[test]
fn disable_needs_a_reason_from_an_operator() {
    let err = transition(
        &card(Enabled),
        Disabled,
        &alice(),
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap_err();
    assert_eq!(err, CardError::ReasonRequired);
    let req = Request {
        reason: Some(DisableReason::Theft),
        ..Default::default()
    };
    let t = transition(
        &card(Enabled),
        Disabled,
        &alice(),
        &req,
        &ctx(&[], &[Service::Escr]),
    )
    .unwrap();
    assert_eq!(t.changes[0].disable_reason, Some(DisableReason::Theft));
    assert_eq!(
        t.effects,
        vec![Effect::Invalidate {
            service: Service::Escr,
            person_id: 7,
            card_id: 1
        }]
    );
}

#[test]
fn caduc_back_to_disabled_runs_no_second_invalidation() {
    let t = transition(
        &card(Caduc),
        Disabled,
        &Actor::System,
        &Request::default(),
        &ctx(&[], &[Service::Crous]),
    )
    .unwrap();
    assert!(t.effects.is_empty());
    assert_eq!(t.changes[0].disable_reason, None);
}

#[test]
fn renewal_creates_a_new_card_and_leaves_the_old_one_enabled() {
    let t = transition(
        &card(Enabled),
        Renewed,
        &alice(),
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap();
    assert!(t.changes.is_empty());
    let n = t.new_card.unwrap();
    assert_eq!(
        (n.state, n.from_state, n.renewed_from),
        (Renewed, Some(Enabled), Some(1))
    );
    assert_eq!(n.note, Some(Note::RenewalOf(1)));
    let t = transition(
        &card(Destroyed),
        Renewed,
        &alice(),
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap();
    assert_eq!(t.new_card.unwrap().from_state, Some(Destroyed));
}

#[test]
fn renewal_is_refused_when_pending_external_or_not_editable() {
    let pending = [(5, New)];
    assert_eq!(
        offered_targets(&card(Enabled), &alice(), &ctx(&pending, &[])),
        vec![Disabled]
    );
    let err = transition(
        &card(Enabled),
        Renewed,
        &alice(),
        &Request::default(),
        &ctx(&pending, &[]),
    )
    .unwrap_err();
    assert_eq!(err, CardError::RequestPending(5));
    let mut ext = card(Enabled);
    ext.external = true;
    let err = transition(&ext, Renewed, &alice(), &Request::default(), &ctx(&[], &[])).unwrap_err();
    assert_eq!(err, CardError::ExternalCard);
}

#[test]
fn encoded_needs_a_csn() {
    let err = transition(
        &card(InEncode),
        Encoded,
        &Actor::System,
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap_err();
    assert_eq!(err, CardError::CsnRequired);
    let mut c = card(InEncode);
    c.csn = Some(Csn::parse_hex("DEADBEEF").unwrap());
    let t = transition(
        &c,
        Encoded,
        &Actor::System,
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap();
    assert!(t.changes[0].set_encoded);
}

#[test]
fn rejected_counts_and_canceled_clears_payment() {
    let t = transition(
        &card(New),
        Rejected,
        &alice(),
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap();
    assert!(t.changes[0].increment_rejects);
    let t = transition(
        &card(New),
        Canceled,
        &alice(),
        &Request::default(),
        &ctx(&[], &[]),
    )
    .unwrap();
    assert!(t.changes[0].clear_pay_order);
}

#[test]
fn a_new_request_is_refused_while_one_is_pending() {
    assert!(request(7, &alice(), None, &ctx(&[(2, Enabled), (3, Canceled)], &[])).is_ok());
    let err = request(7, &alice(), None, &ctx(&[(2, Printed)], &[])).unwrap_err();
    assert_eq!(err, CardError::RequestPending(2));
}

#[test]
fn state_and_reason_names_round_trip() {
    for s in CardState::ALL {
        assert_eq!(CardState::parse(s.as_str()), Some(s));
        assert_eq!(
            CardState::parse(&s.as_str().to_lowercase().replace('_', "-")),
            Some(s)
        );
    }
    assert_eq!(CardState::parse("nope"), None);
    assert_eq!(
        DisableReason::parse("out_of_order"),
        Some(DisableReason::OutOfOrder)
    );
    assert_eq!(DisableReason::parse("lost"), Some(DisableReason::Lost));
    assert_eq!(
        Note::decode(&Note::ReplacedBy(4).encode()),
        Some(Note::ReplacedBy(4))
    );
    assert_eq!(Note::decode("junk"), None);
}
