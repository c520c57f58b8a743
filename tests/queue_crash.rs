//! The queue survives crashes: `guichet queue run` runs as a child process against the CROUS fake and is
//! killed (SIGKILL) at random points, many times, while it drains 1,000 enabled cards; restarted each
//! time, it must end with every effect done exactly once on the fake (one right holder and one smart card
//! per person, never created twice) and nothing left in the queue.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use guichet::store::Store;
use guichet::store::outbox;
use support::crous_fake::CrousFake;

const PERSONS: i64 = 1000;

fn waiting(store: &Store) -> i64 {
    store.read(outbox::badge).unwrap().waiting
}

fn worker(data: &std::path::Path, once: bool) -> Command {
    let mut cmd = Command::new(support::guichet());
    cmd.arg("--data-dir").arg(data).args(["queue", "run"]);
    if once {
        cmd.arg("--once");
    }
    cmd.env("GUICHET_KEYRING", "mock")
        .env("GUICHET_CROUS_CLIENT_ID", "guichet")
        .env("GUICHET_CROUS_CLIENT_SECRET", "s3cret")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

#[test]
fn killed_workers_lose_nothing_and_send_nothing_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let fake = CrousFake::start("guichet", "s3cret");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("guichet.toml"),
        format!(
            "[crous]\nenabled = true\napi_url = \"{0}\"\ntoken_url = \"{0}\"\nopt_in = \"staff\"\n\n\
             [queue]\nconcurrency = 8\nrate_per_second = 200\ntimeout_seconds = 5\n",
            fake.url()
        ),
    )
    .unwrap();
    let store = Store::open(&data.join("guichet.db")).unwrap();
    support::outbox_seed::enabled_cards(&store, PERSONS, 0xA0_0000, "crous");
    assert_eq!(waiting(&store), PERSONS);

    // A small deterministic generator for the kill points (the test must replay the same way).
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let started = Instant::now();
    let mut kills = 0;
    while waiting(&store) > 0 && kills < 40 {
        let mut child = worker(&data, false).spawn().expect("guichet queue run");
        std::thread::sleep(Duration::from_millis(150 + next() % 700));
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        assert!(started.elapsed() < Duration::from_secs(600), "too slow");
    }
    assert!(kills >= 5, "the worker was killed only {kills} time(s)");
    // Whatever is left: one last run to the end.
    let out = worker(&data, true).status().unwrap();
    assert!(out.success());
    assert_eq!(waiting(&store), 0);
    let counts = store
        .read(|c| outbox::service_counts(c, &["crous"]))
        .unwrap();
    assert_eq!(counts[0].done, PERSONS, "{counts:?}");

    let st = fake.state();
    assert_eq!(st.right_holders.len() as i64, PERSONS);
    assert_eq!(st.holder_creations.len() as i64, PERSONS);
    assert!(
        st.holder_creations.values().all(|n| *n == 1),
        "a right holder was created twice"
    );
    assert_eq!(st.card_creations.len() as i64, PERSONS);
    assert!(
        st.card_creations.values().all(|n| *n == 1),
        "a smart card was created twice"
    );
    for i in 0..PERSONS {
        let h = st
            .holder(&format!("p{i}@univ.example"))
            .unwrap_or_else(|| panic!("p{i} missing"));
        assert_eq!(h.cards.len(), 1, "p{i}");
    }
}
