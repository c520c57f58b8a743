//! What every `make bench` part shares: the release binary, percentiles, and rewriting one section of
//! BENCHMARKS.md without touching the others (each part owns the text between its two markers).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The release binary that `make bench` builds first.
pub fn binary() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/guichet");
    assert!(
        p.exists(),
        "build the release binary first (make bench does)"
    );
    p
}

/// The `p` quantile (0–1) of sorted samples.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Median of unsorted samples.
pub fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    percentile(samples, 0.5)
}

/// Replaces the section between `<!-- name -->` and `<!-- /name -->` of `md` by `section` (appended at the end
/// when the markers are missing).
pub fn replace_section(md: &str, name: &str, section: &str) -> String {
    let start = format!("<!-- {name} -->");
    let end = format!("<!-- /{name} -->");
    let block = format!("{start}\n{section}{end}\n");
    match (md.find(&start), md.find(&end)) {
        (Some(a), Some(b)) if b > a => {
            // One blank line before the next section, as written the first time.
            let rest = md[b + end.len()..].trim_start_matches('\n');
            let gap = if rest.is_empty() { "" } else { "\n" };
            format!("{}{block}{gap}{rest}", &md[..a])
        }
        _ => format!("{}\n\n{block}", md.trim_end()),
    }
}

/// Rewrites the `name` section of BENCHMARKS.md.
pub fn write_section(name: &str, section: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md");
    let md = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    std::fs::write(&path, replace_section(&md, name, section)).expect("write BENCHMARKS.md");
}

/// The machine, for the header of the figures: cores, memory and CPU model.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .map(|kb| format!("{:.0} GiB", kb as f64 / 1_048_576.0))
        .unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    format!("{cores} cores, {mem} memory, {cpu}")
}

/// Generates the demo institution of `persons` persons into the empty folder `dir` with the release binary;
/// returns the seconds it took and its JSON summary.
pub fn demo(dir: &Path, persons: usize) -> (f64, serde_json::Value) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("bench folder");
    eprintln!("demo: generating {persons} persons…");
    let t = std::time::Instant::now();
    let out = std::process::Command::new(binary())
        .arg("--data-dir")
        .arg(dir)
        .args(["demo", "--persons", &persons.to_string(), "--json"])
        .output()
        .expect("run demo");
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        t.elapsed().as_secs_f64(),
        serde_json::from_slice(&out.stdout).unwrap_or_default(),
    )
}
