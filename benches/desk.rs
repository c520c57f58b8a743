//! `make bench`: demo generation at 275,000 persons, counter search latency, GUI start-up and memory.
//! Rewrites BENCHMARKS.md with the figures, the machine and the date (ARCHITECTURE §6).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use guichet::store::{Store, search};
use rusqlite::OptionalExtension;
use support::{binary, machine, percentile};

mod support;

const PERSONS: usize = 275_000;
const QUERIES: usize = 1_000;
const STARTUP_RUNS: usize = 5;

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// surname, given name, eppn, INE, student number.
type PersonSample = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);
/// CSN, decimal CSN, reversed decimal CSN, ESCN.
type CardSample = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A deterministic mix of what counter operators type: name prefixes, full names in both orders,
/// eppn prefixes, INE, CSN in its four forms, ESCN, student numbers.
fn queries(store: &Store, seed: u64) -> Vec<String> {
    let mut out = Vec::with_capacity(QUERIES);
    store
        .read(|c| {
            let total: i64 = c.query_row("SELECT MAX(id) FROM persons", [], |r| r.get(0))?;
            let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ seed;
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            while out.len() < QUERIES {
                let id = (next() % total as u64) as i64 + 1;
                let row: Option<PersonSample> = c
                    .query_row(
                        "SELECT surname, given_name, eppn, ine, supann_etu_id FROM persons WHERE id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                    )
                    .optional()?;
                let Some((sur, giv, eppn, ine, etu)) = row else { continue };
                let card: Option<CardSample> = c
                    .query_row(
                        "SELECT csn, csn_decimal, csn_rev_decimal, escn FROM cards WHERE person_id = ?1 AND csn IS NOT NULL LIMIT 1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?;
                let folded = guichet::domain::names::fold(&sur);
                let q = match next() % 10 {
                    0 => folded.chars().take(3).collect(),
                    1 => folded.chars().take(5).collect(),
                    2 => format!("{giv} {sur}").to_lowercase(),
                    3 => format!("{} {}", folded, guichet::domain::names::fold(&giv).chars().take(2).collect::<String>()),
                    4 => eppn.map(|e| e.chars().take(8).collect()).unwrap_or(folded),
                    5 => ine.or(etu).unwrap_or(folded),
                    6 => card.as_ref().and_then(|c| c.0.clone()).unwrap_or(folded),
                    7 => card.as_ref().and_then(|c| c.1.clone().or(c.2.clone())).unwrap_or(folded),
                    8 => card.as_ref().and_then(|c| c.3.clone()).unwrap_or(folded),
                    _ => folded.chars().take(1).collect(),
                };
                out.push(q);
            }
            Ok(())
        })
        .expect("sample queries");
    out
}

struct SearchFigures {
    p50: f64,
    p99: f64,
    max: f64,
    bare50: f64,
    bare99: f64,
    slowest: Vec<(f64, String)>,
}

/// The Desk's default result limit (`desk.results_limit`).
const LIMIT: usize = 200;

fn search_figures(store: &Store) -> SearchFigures {
    let qs = queries(store, 0);
    // Warm up with another sample of queries, as a desk that has been open a while is.
    let warm = queries(store, 0x5EED);
    store
        .read(|c| {
            for q in warm {
                search::search_ids(c, &q, LIMIT)?;
            }
            Ok(())
        })
        .unwrap();
    let mut ours = Vec::with_capacity(qs.len());
    let mut bare = Vec::with_capacity(qs.len());
    store
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT rowid FROM person_fts WHERE person_fts MATCH ?1 LIMIT 200")?;
            for q in &qs {
                let t = Instant::now();
                let _ = search::search_ids(c, q, LIMIT)?;
                ours.push((t.elapsed().as_secs_f64() * 1000.0, q.clone()));
                // Baseline: a bare FTS5 prefix match of the same words, no ranking, no identifier column.
                let words: Vec<String> = guichet::domain::names::fold(q)
                    .split_whitespace()
                    .map(|w| format!("\"{w}\"*"))
                    .collect();
                if words.is_empty() {
                    continue;
                }
                let t = Instant::now();
                let n = stmt
                    .query_map([words.join(" AND ")], |r| r.get::<_, i64>(0))?
                    .count();
                bare.push(t.elapsed().as_secs_f64() * 1000.0);
                std::hint::black_box(n);
            }
            Ok(())
        })
        .unwrap();
    ours.sort_by(|a, b| a.0.total_cmp(&b.0));
    bare.sort_by(f64::total_cmp);
    let times: Vec<f64> = ours.iter().map(|o| o.0).collect();
    SearchFigures {
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        max: times[times.len() - 1],
        bare50: percentile(&bare, 0.5),
        bare99: percentile(&bare, 0.99),
        slowest: ours.iter().rev().take(5).cloned().collect(),
    }
}

fn startup(data: &Path) -> Option<(f64, f64, u64)> {
    let n = (90..200).find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())?;
    let display = format!(":{n}");
    let _x = Kill(
        Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?,
    );
    let t = Instant::now();
    while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        if t.elapsed() > Duration::from_secs(10) {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut first = Vec::new();
    let mut ready = Vec::new();
    let mut rss = 0u64;
    for _ in 0..STARTUP_RUNS {
        let out = Command::new(binary())
            .arg("--data-dir")
            .arg(data)
            .args(["--lang", "fr", "--bench-startup"])
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        first.push(v["first_frame_ms"].as_f64()?);
        ready.push(v["ready_ms"].as_f64()?);
        rss = rss.max(v["peak_rss_kb"].as_u64()?);
    }
    first.sort_by(f64::total_cmp);
    ready.sort_by(f64::total_cmp);
    Some((percentile(&first, 0.5), percentile(&ready, 0.5), rss))
}

fn main() {
    // GUICHET_BENCH_REUSE=DIR measures search and start-up on an existing demo database (for iterating on
    // one figure); BENCHMARKS.md is only rewritten by a full run.
    let reuse = std::env::var_os("GUICHET_BENCH_REUSE").map(PathBuf::from);
    let dir = reuse
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"));
    let mut demo_s = f64::NAN;
    let mut summary = serde_json::Value::Null;
    if reuse.is_none() {
        (demo_s, summary) = support::demo(&dir, PERSONS);
    }
    let db_mb = std::fs::metadata(dir.join("guichet.db"))
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0);

    eprintln!("search: {QUERIES} queries…");
    let store = Store::open(&dir.join("guichet.db")).expect("open");
    let SearchFigures {
        p50,
        p99,
        max,
        bare50,
        bare99,
        slowest,
    } = search_figures(&store);
    drop(store);

    eprintln!("startup: {STARTUP_RUNS} runs under Xvfb…");
    let start = startup(&dir);

    let date = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M %Z").to_string();
    let mut md = String::new();
    md.push_str(&format!(
        "Written by `make bench` on {date}. Machine: {}.\n",
        machine()
    ));
    md.push_str(
        "Release build; every figure is measured in the same run. Goals from issue #2.\n\n",
    );
    md.push_str("| what | figure | goal | baseline (same run) |\n|---|---|---|---|\n");
    md.push_str(&format!(
        "| demo institution, {PERSONS} persons ({} cards, {} groups; database {db_mb:.0} MB) | {demo_s:.1} s | works | — |\n",
        summary["cards"], summary["groups"]
    ));
    md.push_str(&format!(
        "| counter search, {QUERIES} mixed queries, p50 | {p50:.2} ms | — | bare FTS5 prefix match p50 {bare50:.2} ms (ratio {:.1}×) |\n",
        p50 / bare50.max(1e-6)
    ));
    md.push_str(&format!(
        "| counter search, p99 | {p99:.2} ms | < 10 ms | bare FTS5 prefix match p99 {bare99:.2} ms (ratio {:.1}×) |\n",
        p99 / bare99.max(1e-6)
    ));
    md.push_str(&format!(
        "| counter search, slowest query | {max:.2} ms | — | — |\n"
    ));
    match start {
        Some((first, ready, rss)) => {
            md.push_str(&format!(
                "| GUI launch to first frame (median of {STARTUP_RUNS}, {PERSONS} persons, Xvfb, tiny-skia) | {first:.0} ms | < 1 s | — |\n"
            ));
            md.push_str(&format!(
                "| GUI launch to directory listed (median) | {ready:.0} ms | — | — |\n"
            ));
            md.push_str(&format!(
                "| GUI peak memory (VmHWM, max of runs) | {:.0} MB | < 200 MB | — |\n",
                rss as f64 / 1024.0
            ));
        }
        None => md.push_str("| GUI start-up | not measured: Xvfb unavailable | < 1 s | — |\n"),
    }
    md.push_str(
        "\nQueries: name prefixes (1, 3 and 5 letters), full names in both orders, eppn prefixes, INE or student \
         numbers, CSN in hex, decimal and reversed decimal forms, ESCN; sampled deterministically from the demo \
         database. The search figure includes ranking and reading the result ids; the baseline is FTS5 alone.\n",
    );
    let slow: Vec<String> = slowest
        .iter()
        .map(|(t, q)| format!("`{q}` {t:.1} ms"))
        .collect();
    md.push_str(&format!("Slowest queries: {}.\n", slow.join(", ")));
    if reuse.is_none() {
        support::write_section("desk-bench", &md);
    }
    println!("{md}");
}
