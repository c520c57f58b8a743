//! `make bench`, encoding part (issue #5): the default three-application profile (ESUP's layout) written on
//! blank in-process software cards by Guichet's encoder, against ESUP's write sequence (desfire.md §3.1:
//! select + authenticate before every step, files created free, written in plain, then locked) run on the
//! same software card in the same run. Figures: APDUs per card, time per card and encodes per second;
//! also a re-encode of an encoded card (update mode) and a resume after a pull.

#[path = "support/mod.rs"]
mod support;

use std::time::Instant;

use guichet::nfc::desfire::commands::{
    AccessRights, Aid, Desfire, KeyCount, NewApplication, NewDataFile,
};
use guichet::nfc::desfire::crypto::{Key, KeyType};
use guichet::nfc::desfire::random::SeededRandom;
use guichet::nfc::desfire::session::CommMode;
use guichet::nfc::encoder::{EncodeInput, encode_with_random};
use guichet::nfc::keys::KeySet;
use guichet::nfc::profile::{CardFacts, Profile};
use guichet::nfc::sim::SimCard;
use guichet::nfc::transport::{PullMoment, VirtualReader};

const CARDS: usize = 300;

fn keys(profile: &Profile) -> KeySet {
    let mut set = KeySet::default();
    for (i, k) in profile
        .applications
        .iter()
        .flat_map(|a| &a.keys)
        .enumerate()
    {
        set.insert_typed(&k.name, &format!("{:02X}", 0x40 + i).repeat(16))
            .expect("key");
    }
    set
}

fn uid(i: usize) -> [u8; 7] {
    let b = (i as u32).to_be_bytes();
    [0x04, 0x10, 0x20, b[0], b[1], b[2], b[3]]
}

fn facts(i: usize) -> CardFacts {
    CardFacts {
        csn: Vec::new(),
        escn: Some("d88b02c1-894e-1038-a711-001999465982".into()),
        crous_number: Some((99_990_000 + i).to_string()),
        access_id: Some(i as u64),
    }
}

/// ESUP's `writeCard` on a fresh card (desfire.md §3.1 steps 1–8), for the baseline.
fn esup_write(d: &mut Desfire<'_>, profile: &Profile, keys: &KeySet, facts: &CardFacts) {
    let des = Key::zero(KeyType::Des);
    let picc_login = |d: &mut Desfire<'_>| {
        d.select_application(Aid::PICC).expect("select PICC");
        d.authenticate(0, &des).expect("PICC key");
    };
    if profile.picc.format_before_write {
        picc_login(d);
        d.format_picc().expect("format");
    }
    for app in &profile.applications {
        let finals: Vec<Key> = app
            .keys
            .iter()
            .map(|r| keys.base_key(r, app.key_type).expect("key"))
            .collect();
        let login = |d: &mut Desfire<'_>, key: &Key| {
            d.select_application(app.aid).expect("select");
            d.authenticate(0, key).expect("key 0");
        };
        picc_login(d);
        d.create_application(&NewApplication {
            aid: app.aid,
            settings: app.key_settings,
            keys: KeyCount {
                count: app.keys.len() as u8,
                key_type: app.key_type,
                iso_file_ids: false,
            },
            iso: None,
        })
        .expect("create application");
        login(d, &Key::zero(app.key_type));
        d.change_key(0, &finals[0], None).expect("key 0");
        login(d, &finals[0]);
        for (k, key) in finals.iter().enumerate().skip(1) {
            d.change_key(k as u8, key, None).expect("other key");
        }
        for f in &app.files {
            login(d, &finals[0]);
            d.create_std_data_file(&NewDataFile {
                file_no: f.number,
                iso_fid: None,
                comm_mode: f.comm_mode,
                access: AccessRights::FREE,
                size: f.size,
            })
            .expect("create file");
            let content = Profile::content_for(f, facts).expect("content");
            if !content.is_empty() {
                login(d, &finals[0]);
                d.write_data(f.number, 0, &content, CommMode::Plain)
                    .expect("write");
            }
            login(d, &finals[0]);
            d.change_file_settings(f.number, f.comm_mode, f.access, CommMode::Plain)
                .expect("lock");
        }
    }
}

struct Run {
    apdus: u64,
    seconds: Vec<f64>,
}

fn main() {
    let profile = Profile::esup_default().expect("profile");
    let keys = keys(&profile);

    // Guichet's encoder on blank cards.
    let mut ours = Run {
        apdus: 0,
        seconds: Vec::new(),
    };
    let t_all = Instant::now();
    for i in 0..CARDS {
        let reader = VirtualReader::with_card(
            "bench",
            Box::new(SimCard::blank(uid(i)).with_seed(i as u64)),
        );
        let input = EncodeInput {
            profile: &profile,
            keys: &keys,
            facts: facts(i),
            expected_uid: None,
        };
        let mut t = reader.connect().expect("card");
        let start = Instant::now();
        let report = encode_with_random(
            &mut t,
            &input,
            Box::new(SeededRandom::new(i as u64)),
            &mut |_| {},
        );
        ours.seconds.push(start.elapsed().as_secs_f64());
        report.result.expect("encoded");
        ours.apdus = report.apdus;
    }
    let ours_total = t_all.elapsed().as_secs_f64();

    // ESUP's sequence on the same cards.
    let mut esup = Run {
        apdus: 0,
        seconds: Vec::new(),
    };
    for i in 0..CARDS {
        let reader = VirtualReader::with_card(
            "bench",
            Box::new(SimCard::blank(uid(i)).with_seed(i as u64)),
        );
        let mut t = reader.connect().expect("card");
        let start = Instant::now();
        let mut d = Desfire::with_random(&mut t, Box::new(SeededRandom::new(i as u64)));
        let mut f = facts(i);
        f.csn = uid(i).to_vec();
        esup_write(&mut d, &profile, &keys, &f);
        esup.apdus = d.apdu_count();
        drop(d);
        esup.seconds.push(start.elapsed().as_secs_f64());
    }

    // Update mode: the same card presented again; and a card pulled half-way, then resumed.
    let reader = VirtualReader::with_card("bench", Box::new(SimCard::blank(uid(0))));
    let input = EncodeInput {
        profile: &profile,
        keys: &keys,
        facts: facts(0),
        expected_uid: None,
    };
    let encode = |seed: u64| {
        let mut t = reader.connect().expect("card");
        encode_with_random(
            &mut t,
            &input,
            Box::new(SeededRandom::new(seed)),
            &mut |_| {},
        )
    };
    encode(1).result.expect("first");
    let mut update_s = Vec::new();
    let mut update_apdus = 0;
    for seed in 0..50 {
        let start = Instant::now();
        let r = encode(seed);
        update_s.push(start.elapsed().as_secs_f64());
        r.result.expect("update");
        update_apdus = r.apdus;
    }
    let pulled = VirtualReader::with_card("bench", Box::new(SimCard::blank(uid(1))));
    pulled.pull_after(ours.apdus as u32 / 2, PullMoment::AfterProcessing);
    let cut = {
        let mut t = pulled.connect().expect("card");
        encode_with_random(&mut t, &input, Box::new(SeededRandom::new(7)), &mut |_| {})
    };
    assert!(cut.result.is_err(), "the pull stops the run");
    pulled.put_back();
    let resumed = {
        let mut t = pulled.connect().expect("card");
        encode_with_random(&mut t, &input, Box::new(SeededRandom::new(8)), &mut |_| {})
    };
    resumed.result.expect("resumed");

    let esup_reference = profile.esup_write_apdu_count();
    let ours_p50 = support::median(&mut ours.seconds.clone()) * 1e3;
    let esup_p50 = support::median(&mut esup.seconds.clone()) * 1e3;
    let mut s = String::from("## DESFire encoding (issue #5)\n\n");
    s.push_str(&format!(
        "The default profile (ESUP's three AES applications F585C0, F585C1, F58540, one enciphered 31-byte file \
         each, every file read back) written on {CARDS} blank software cards in process; the baseline is ESUP's \
         write sequence (desfire.md §3.1) run by the same command set on the same cards in the same run. \
         Release build; {}.\n\n",
        support::machine()
    ));
    s.push_str(
        "| what | Guichet | ESUP sequence (same run) | ratio | goal |\n|---|---|---|---|---|\n",
    );
    s.push_str(&format!(
        "| APDUs per card (fresh card, `FF CA` excluded) | **{}** | {} (reference count: {esup_reference}) | **{:.0} %** | ≤ 60 % |\n",
        ours.apdus,
        esup.apdus,
        100.0 * ours.apdus as f64 / esup.apdus as f64
    ));
    s.push_str(&format!(
        "| time per card, p50 (software card, no radio) | {ours_p50:.2} ms | {esup_p50:.2} ms | {:.0} % | — |\n",
        100.0 * ours_p50 / esup_p50
    ));
    s.push_str(&format!(
        "| encodes per second, {CARDS} cards end to end | **{:.0} /s** | {:.0} /s | — | — |\n",
        CARDS as f64 / ours_total,
        CARDS as f64 / esup.seconds.iter().sum::<f64>()
    ));
    s.push_str(&format!(
        "| re-encode of an encoded card (update mode: check keys, read every file, write nothing), p50 | {:.2} ms, {update_apdus} APDUs | — | — | — |\n",
        support::median(&mut update_s) * 1e3
    ));
    s.push_str(&format!(
        "| resume of a card pulled after {} APDUs | {} APDUs | — | — | — |\n\n",
        ours.apdus / 2,
        resumed.apdus
    ));
    s.push_str(
        "Guichet's verification reads are included in its count; ESUP reads nothing back. On a real reader each \
         APDU costs a few milliseconds of radio time, so the APDU count is what the operator feels.\n\n",
    );
    support::write_section("encode-bench", &s);
    println!("{s}");
}
