//! `make bench`, integrations part (issue #6): a bulk CROUS resync of 43,000 persons with an enabled card,
//! 1 % of whom changed, against the stateful CROUS fake over loopback HTTP (the real reqwest client and the
//! real outbox worker). Figures: calls made (ESUP-SGC makes at least one GET per person, crous-escr.md §2.8
//! step 1), time, and the drain throughput of the first load with bounded concurrency.

#[path = "support/mod.rs"]
mod support;

#[path = "../tests/support"]
mod fakes {
    pub mod crous_fake;
    pub mod http_fake;
    pub mod outbox_seed;
}

use std::sync::Arc;
use std::time::{Duration, Instant};

use fakes::crous_fake::CrousFake;
use guichet::remote::actions;
use guichet::remote::crous::service::Options;
use guichet::remote::crous::{CrousClient, CrousService, CrousSettings};
use guichet::remote::worker::{Limits, Services, Worker};
use guichet::store::Store;
use jiff::{SignedDuration, Timestamp, tz::TimeZone};

const PERSONS: i64 = 43_000;
const CHANGED: i64 = PERSONS / 100;
const CONCURRENCY: usize = 16;

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("guichet.db")).expect("store");
    let fake = CrousFake::start("guichet", "s3cret");
    fakes::outbox_seed::enabled_cards(&store, PERSONS, 0, "crous");
    let service = CrousService {
        client: CrousClient::new(CrousSettings {
            api_url: fake.url(),
            token_url: fake.url(),
            client_id: "guichet".into(),
            client_secret: "s3cret".into(),
            timeout: Duration::from_secs(30),
        })
        .expect("client"),
        options: Options {
            ine_preferred: true,
            opt_in: "staff".into(),
            verify_every: SignedDuration::from_hours(24 * 7),
            tz: TimeZone::UTC,
        },
        rules: Vec::new(),
    };
    let worker = Worker::new(
        store.clone(),
        Services {
            crous: Some(Arc::new(service)),
            ..Services::default()
        },
        Limits {
            max_tries: 8,
            concurrency: CONCURRENCY,
            rate_per_second: 0,
            lease: Duration::from_secs(300),
        },
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    // First load: every person is new at CROUS (GET, POST, GET card, POST card).
    let started = Instant::now();
    let first = rt.block_on(worker.drain());
    let first_s = started.elapsed().as_secs_f64();
    let first_calls = fake.calls().len();
    assert_eq!(first.done as i64, PERSONS, "{first:?}");

    // 1 % of the persons change their e-mail; then every person is queued again (a bulk resync).
    store
        .write(|tx| {
            tx.execute(
                "UPDATE persons SET email = 'new.' || email WHERE id % 100 = 0",
                [],
            )?;
            Ok(())
        })
        .expect("changes");
    fake.clear_calls();
    let queued = actions::resync(&store, &["crous"], Timestamp::now()).expect("resync");
    let started = Instant::now();
    let second = rt.block_on(worker.drain());
    let resync_s = started.elapsed().as_secs_f64();
    let calls = fake.calls();
    let gets = calls.iter().filter(|c| c.method == "GET").count();
    let puts = calls.iter().filter(|c| c.method == "PUT").count();
    assert_eq!(second.done, queued);
    assert_eq!(puts as i64, CHANGED, "only the changed persons are written");
    let esup_min = PERSONS as usize + CHANGED as usize;

    let mut s = String::from("## Integrations queue (issue #6)\n\n");
    s.push_str(&format!(
        "{PERSONS} persons with an enabled card, against the stateful CROUS fake over loopback HTTP (real reqwest \
         client, real outbox worker, {CONCURRENCY} calls in flight, no rate limit). Release build; {}.\n\n",
        support::machine()
    ));
    s.push_str("| what | Guichet | ESUP-SGC (same data) | goal |\n|---|---|---|---|\n");
    s.push_str(&format!(
        "| bulk resync, {CHANGED} of {PERSONS} changed: calls made | **{}** ({gets} GET, {puts} PUT) | ≥ {esup_min} (one GET per person, §2.8 step 1, + the PUTs) | no call for unchanged persons |\n",
        calls.len()
    ));
    s.push_str(&format!(
        "| bulk resync: time | {resync_s:.2} s ({:.0} persons/s checked) | — | — |\n",
        queued as f64 / resync_s
    ));
    s.push_str(&format!(
        "| first load (right holder and smart card created for everyone): calls, time | {first_calls} calls, {first_s:.1} s | — | — |\n"
    ));
    s.push_str(&format!(
        "| queue drain throughput, first load | **{:.0} persons/s** ({:.0} calls/s) | — | — |\n",
        PERSONS as f64 / first_s,
        first_calls as f64 / first_s
    ));
    s.push_str(&format!(
        "| peak memory of the process (store, worker and fake) | {:.0} MB | — | — |\n\n",
        peak_kb() as f64 / 1024.0
    ));
    support::write_section("queue-bench", &s);
    println!("{s}");
}
