//! The encoder against the in-process software card: the default profile, update, random UID, wrong keys,
//! a full card, and a card pulled before and after every single APDU of a run, then resumed.

use super::*;
use crate::nfc::desfire::random::SeededRandom;
use crate::nfc::keys::KeySet;
use crate::nfc::profile::{KeyRef, Profile};
use crate::nfc::sim::SimCard;
use crate::nfc::transport::{PullMoment, VirtualReader};

const UID: [u8; 7] = [0x04, 0x52, 0x1A, 0x33, 0x7C, 0x61, 0x80];
const ESCN: &str = "d88b02c1-894e-1038-a711-001999465982";

/// Every key of `profile` in a key set, each with distinct bytes derived from `seed`.
fn keys_for(profile: &Profile, seed: u8) -> KeySet {
    let mut set = KeySet::default();
    let mut n = 0u8;
    let mut add = |name: &str, len: usize| {
        n += 1;
        let hex: String = (0..len)
            .map(|i| format!("{:02X}", seed.wrapping_mul(31) ^ n ^ (i as u8 * 7)))
            .collect();
        set.insert_typed(name, &hex).unwrap();
    };
    if let Some(k) = &profile.picc.master_key {
        add(&k.name, profile.picc.key_type.key_len());
    }
    for app in &profile.applications {
        for k in &app.keys {
            add(&k.name, app.key_type.key_len());
        }
    }
    set
}

fn facts() -> CardFacts {
    CardFacts {
        csn: Vec::new(),
        escn: Some(ESCN.into()),
        crous_number: Some("99990042".into()),
        access_id: Some(42),
    }
}

fn input<'a>(profile: &'a Profile, keys: &'a KeySet) -> EncodeInput<'a> {
    EncodeInput {
        profile,
        keys,
        facts: facts(),
        expected_uid: None,
    }
}

fn run(reader: &VirtualReader, input: &EncodeInput<'_>, seed: u64) -> Report {
    let mut t = reader.connect().expect("card on the reader");
    encode_with_random(
        &mut t,
        input,
        Box::new(SeededRandom::new(seed)),
        &mut |_| {},
    )
}

/// The default profile with a card master key set last and random UID switched on: every step kind.
fn full_profile() -> Profile {
    let mut p = Profile::esup_default().unwrap();
    p.picc.master_key = Some(KeyRef {
        name: "picc-master".into(),
        version: 2,
        diversified: false,
    });
    p.picc.key_type = KeyType::Aes128;
    p.picc.change_key_last = true;
    p.picc.random_uid = true;
    p
}

fn diversified(mut p: Profile) -> Profile {
    for app in &mut p.applications {
        for k in &mut app.keys {
            k.diversified = true;
        }
    }
    p
}

/// Reads every file of `profile` back through an independent session (key 1, the read key of the
/// default layout) and returns the contents.
fn read_back(reader: &VirtualReader, profile: &Profile, keys: &KeySet, uid: &[u8]) -> Vec<Vec<u8>> {
    let mut t = reader.connect().unwrap();
    let mut d = Desfire::with_random(&mut t, Box::new(SeededRandom::new(99)));
    let mut out = Vec::new();
    for app in &profile.applications {
        d.select_application(app.aid).unwrap();
        let key = keys.card_key(&app.keys[1], app.key_type, uid).unwrap();
        d.authenticate(1, &key).unwrap();
        for f in &app.files {
            out.push(d.read_data(f.number, 0, f.size, f.comm_mode).unwrap());
        }
    }
    out
}

fn expected_contents(profile: &Profile, uid: &[u8]) -> Vec<Vec<u8>> {
    let facts = CardFacts {
        csn: uid.to_vec(),
        ..facts()
    };
    profile
        .applications
        .iter()
        .flat_map(|a| a.files.iter())
        .map(|f| {
            let mut c = Profile::content_for(f, &facts).unwrap();
            c.resize(f.size as usize, 0);
            c
        })
        .collect()
}

#[test]
fn default_profile_on_a_blank_card() {
    let profile = Profile::esup_default().unwrap();
    let keys = keys_for(&profile, 1);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID)));
    let mut seen = Vec::new();
    let report = {
        let mut t = reader.connect().unwrap();
        encode_with_random(
            &mut t,
            &input(&profile, &keys),
            Box::new(SeededRandom::new(1)),
            &mut |e| seen.push(*e),
        )
    };
    eprintln!("default profile: {} APDUs", report.apdus);
    let done = report.result.expect("encoded");
    assert_eq!(done.uid, UID);
    assert!(!done.update);
    assert_eq!(seen, report.log, "progress sees every entry, in order");
    assert!(report.log.iter().all(|e| e.outcome == StepOutcome::Done));
    let ids: Vec<(&str, &str)> = done
        .ids
        .iter()
        .map(|i| (i.application.as_str(), i.value.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("institution", ESCN),
            ("access control", "1234500000000042"),
            ("CROUS", "99990042")
        ]
    );
    // ESUP's sequence for the same profile is 82 APDUs; the goal is at most 60 % of it.
    assert_eq!(profile.esup_write_apdu_count(), 82);
    assert!(
        report.apdus * 100 <= 60 * 82,
        "{} APDUs for the default profile",
        report.apdus
    );
    let back = read_back(&reader, &profile, &keys, &UID);
    assert_eq!(back, expected_contents(&profile, &UID));
    // The access-control id is written as decimal digits in hex nibbles, zero-padded to 62 digits.
    assert_eq!(
        back[1][23..],
        [0x12, 0x34, 0x50, 0x00, 0x00, 0x00, 0x00, 0x42]
    );
    // Default keys no longer open the applications.
    let mut t = reader.connect().unwrap();
    let mut d = Desfire::new(&mut t);
    d.select_application(profile.applications[0].aid).unwrap();
    assert!(d.authenticate(0, &Key::zero(KeyType::Aes128)).is_err());
}

#[test]
fn a_second_run_recognises_the_card_and_changes_nothing() {
    let profile = full_profile();
    let keys = keys_for(&profile, 2);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID).with_seed(3)));
    let first = run(&reader, &input(&profile, &keys), 1);
    let first = first.result.expect("first run");
    let again = run(
        &reader,
        &EncodeInput {
            expected_uid: Some(first.uid.clone()),
            ..input(&profile, &keys)
        },
        2,
    );
    let log = again.log.clone();
    let second = again.result.expect("second run");
    assert!(second.update);
    assert_eq!(second.uid, UID, "the real UID, through GetCardUID");
    assert_eq!(second.ids, first.ids);
    for e in &log {
        assert!(
            !matches!(
                e.step,
                Step::CreateApplication(_) | Step::CreateFile(..) | Step::Format | Step::RandomUid
            ),
            "nothing created again: {e:?}"
        );
        if matches!(
            e.step,
            Step::WriteFile(..) | Step::ApplicationKeys(_) | Step::ChangeCardMasterKey
        ) {
            assert_eq!(e.outcome, StepOutcome::AlreadyDone, "{e:?}");
        }
    }
    assert_eq!(
        read_back(&reader, &profile, &keys, &UID),
        expected_contents(&profile, &UID)
    );
}

#[test]
fn update_rewrites_a_changed_id() {
    let profile = Profile::esup_default().unwrap();
    let keys = keys_for(&profile, 4);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID)));
    run(&reader, &input(&profile, &keys), 1).result.unwrap();
    let mut changed = input(&profile, &keys);
    changed.facts.crous_number = Some("99990777".into());
    let report = run(&reader, &changed, 2);
    let done = report.result.unwrap();
    assert!(done.update);
    let crous = profile.applications[2].aid;
    assert!(report.log.contains(&LogEntry {
        step: Step::WriteFile(crous, 0),
        outcome: StepOutcome::Done
    }));
    assert_eq!(done.ids[2].value, "99990777");
    let back = read_back(&reader, &profile, &keys, &UID);
    assert_eq!(back[2][27..], [0x99, 0x99, 0x07, 0x77]);
}

#[test]
fn random_uid_card_uses_the_real_uid_and_checks_the_chip() {
    let profile = diversified(Profile::esup_default().unwrap());
    let keys = keys_for(&profile, 5);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::with_random_uid(UID, 8)));
    let report = run(&reader, &input(&profile, &keys), 1);
    let reader_uid = report.reader_uid.clone().unwrap();
    assert!(is_random_uid(&reader_uid), "{reader_uid:02X?}");
    let done = report.result.expect("encoded");
    assert_eq!(done.uid, UID, "the real UID recorded, not the random one");
    // Keys were diversified from the real UID.
    assert_eq!(
        read_back(&reader, &profile, &keys, &UID),
        expected_contents(&profile, &UID)
    );
    let mut other = input(&profile, &keys);
    other.expected_uid = Some(vec![0x04, 1, 2, 3, 4, 5, 6]);
    let refused = run(&reader, &other, 2);
    assert_eq!(
        refused.result,
        Err(EncodeError::OtherChip {
            expected: "04010203040506".into(),
            found: "04521A337C6180".into()
        })
    );
}

#[test]
fn a_card_encoded_with_other_keys_is_refused_untouched() {
    let profile = Profile::esup_default().unwrap();
    let theirs = keys_for(&profile, 6);
    let ours = keys_for(&profile, 7);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID)));
    run(&reader, &input(&profile, &theirs), 1).result.unwrap();
    let report = run(&reader, &input(&profile, &ours), 2);
    assert_eq!(
        report.result,
        Err(EncodeError::ForeignApplication {
            aid: profile.applications[0].aid
        })
    );
    assert!(
        !report
            .log
            .iter()
            .any(|e| matches!(e.step, Step::CreateApplication(_) | Step::Format)),
        "{:?}",
        report.log
    );
    // Their data is intact.
    assert_eq!(
        read_back(&reader, &profile, &theirs, &UID),
        expected_contents(&profile, &UID)
    );
}

#[test]
fn an_unknown_card_master_key_is_refused() {
    let profile = full_profile();
    let theirs = keys_for(&profile, 8);
    let ours = keys_for(&profile, 9);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID)));
    let first = run(&reader, &input(&profile, &theirs), 1).result.unwrap();
    let mut again = input(&profile, &ours);
    again.expected_uid = Some(first.uid);
    let report = run(&reader, &again, 2);
    assert_eq!(report.result, Err(EncodeError::ForeignCard));
    assert_eq!(
        report.log.last(),
        Some(&LogEntry {
            step: Step::CardMasterKey,
            outcome: StepOutcome::Failed
        })
    );
}

#[test]
fn missing_keys_stop_before_anything_is_written() {
    let profile = Profile::esup_default().unwrap();
    let mut keys = keys_for(&profile, 10);
    keys.remove("esup-f58540-key3");
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID)));
    let report = run(&reader, &input(&profile, &keys), 1);
    assert_eq!(
        report.result,
        Err(EncodeError::Keys(crate::nfc::keys::KeysError::Missing(
            "esup-f58540-key3".into()
        )))
    );
}

#[test]
fn a_full_card_says_so() {
    let profile = Profile::esup_default().unwrap();
    let keys = keys_for(&profile, 11);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID).with_capacity(400)));
    let report = run(&reader, &input(&profile, &keys), 1);
    assert_eq!(report.result, Err(EncodeError::CardFull));
    assert_eq!(
        report.log.last().map(|e| e.outcome),
        Some(StepOutcome::Failed)
    );
}

#[test]
fn a_card_with_foreign_applications_is_formatted_first() {
    let profile = Profile::esup_default().unwrap();
    let keys = keys_for(&profile, 12);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID)));
    {
        let mut t = reader.connect().unwrap();
        let mut d = Desfire::new(&mut t);
        d.select_application(Aid::PICC).unwrap();
        d.authenticate(0, &Key::zero(KeyType::Des)).unwrap();
        d.create_application(&NewApplication {
            aid: Aid::parse_hex("123456").unwrap(),
            settings: profile.applications[0].key_settings,
            keys: KeyCount {
                count: 1,
                key_type: KeyType::Aes128,
                iso_file_ids: false,
            },
            iso: None,
        })
        .unwrap();
    }
    let report = run(&reader, &input(&profile, &keys), 1);
    report.result.expect("encoded");
    assert!(report.log.contains(&LogEntry {
        step: Step::Format,
        outcome: StepOutcome::Done
    }));
    let mut t = reader.connect().unwrap();
    let mut d = Desfire::new(&mut t);
    d.select_application(Aid::PICC).unwrap();
    d.authenticate(0, &Key::zero(KeyType::Des)).unwrap();
    let aids = d.get_application_ids().unwrap();
    assert_eq!(aids.len(), 3);
    assert!(!aids.contains(&Aid::parse_hex("123456").unwrap()));
}

/// Pulls the card before, then after, each APDU of a full run; the next run on the same card must finish
/// the job and leave exactly the card a single uninterrupted run leaves.
fn pulled_at_every_step(profile: &Profile, card: impl Fn() -> SimCard) {
    let keys = keys_for(profile, 13);
    let reference = VirtualReader::with_card("ref", Box::new(card()));
    let full = run(&reference, &input(profile, &keys), 1);
    let apdus = u32::try_from(full.apdus).unwrap() + 1; // + the reader's FF CA
    let want = full.result.expect("uninterrupted run");
    let want_files = read_back(&reference, profile, &keys, &want.uid);

    for moment in [PullMoment::BeforeProcessing, PullMoment::AfterProcessing] {
        for n in 0..apdus {
            let reader = VirtualReader::with_card("v", Box::new(card()));
            reader.pull_after(n, moment);
            let cut = run(&reader, &input(profile, &keys), 2);
            match &cut.result {
                Err(EncodeError::Pulled { .. }) => {}
                other => panic!("pull after {n} ({moment:?}): {other:?}"),
            }
            assert_eq!(
                cut.log.last().map(|e| e.outcome),
                Some(StepOutcome::Failed),
                "the failing step is logged"
            );
            reader.put_back();
            let expected_uid = match cut.reader_uid.as_deref() {
                Some(u) if !is_random_uid(u) => Some(u.to_vec()),
                _ => None,
            };
            let resumed = run(
                &reader,
                &EncodeInput {
                    expected_uid,
                    ..input(profile, &keys)
                },
                3,
            );
            let done = resumed
                .result
                .unwrap_or_else(|e| panic!("resume after {n} ({moment:?}): {e} {:?}", resumed.log));
            assert_eq!(done.uid, want.uid);
            assert_eq!(done.ids, want.ids);
            assert_eq!(
                read_back(&reader, profile, &keys, &done.uid),
                want_files,
                "after {n} ({moment:?})"
            );
            // And the card master key is ours at the end.
            if let Some(r) = &profile.picc.master_key {
                let mut t = reader.connect().unwrap();
                let mut d = Desfire::new(&mut t);
                d.select_application(Aid::PICC).unwrap();
                let key = keys.card_key(r, profile.picc.key_type, &done.uid).unwrap();
                d.authenticate(0, &key).unwrap();
            }
        }
    }
}

#[test]
fn pulled_at_every_step_of_the_default_profile_then_resumed() {
    pulled_at_every_step(&Profile::esup_default().unwrap(), || SimCard::blank(UID));
}

#[test]
fn pulled_at_every_step_with_card_master_key_and_random_uid_then_resumed() {
    pulled_at_every_step(&diversified(full_profile()), || {
        SimCard::blank(UID).with_seed(21)
    });
}

#[test]
fn log_codes_round_trip_and_garbage_is_skipped() {
    let profile = full_profile();
    let keys = keys_for(&profile, 14);
    let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(UID)));
    let report = run(&reader, &input(&profile, &keys), 1);
    let code = log_code(&report.log);
    assert!(code.starts_with("csn+ picc+ list+ app:F585C0+"), "{code}");
    assert_eq!(parse_log_code(&code), report.log);
    assert_eq!(
        parse_log_code("write:F585C0/x+ nope+ picc? verify:F585C0/0!  "),
        [LogEntry {
            step: Step::VerifyFile(Aid::parse_hex("F585C0").unwrap(), 0),
            outcome: StepOutcome::Failed
        }]
    );
}

/// 300 cards with different UIDs, random numbers and ids: a card must find the end of enciphered data from
/// the command's length field, not from the first CRC that verifies (card 136 once failed that way).
#[test]
fn many_blank_cards_with_varied_seeds_and_ids() {
    let profile = Profile::esup_default().unwrap();
    let mut keys = KeySet::default();
    for (i, k) in profile
        .applications
        .iter()
        .flat_map(|a| &a.keys)
        .enumerate()
    {
        keys.insert_typed(&k.name, &format!("{:02X}", 0x40 + i).repeat(16))
            .unwrap();
    }
    for i in 0..300u64 {
        let b = (i as u32).to_be_bytes();
        let uid = [0x04, 0x10, 0x20, b[0], b[1], b[2], b[3]];
        let reader = VirtualReader::with_card("v", Box::new(SimCard::blank(uid).with_seed(i)));
        let mut inp = input(&profile, &keys);
        inp.facts.access_id = Some(i);
        inp.facts.crous_number = Some((99_990_000 + i).to_string());
        let report = run(&reader, &inp, i);
        assert!(report.result.is_ok(), "card {i}: {:?}", report.result);
    }
}
