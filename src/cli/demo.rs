//! `guichet demo`: the synthetic institution.

use clap::Args;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::demo::{self, DemoOptions};
use crate::{fl, ui_text};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many persons (university and school together).
    #[arg(long, default_value_t = 2000)]
    persons: usize,
    /// Seed of the generator: the same seed gives the same institution.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(env: &Env, args: DemoArgs) -> CliResult {
    if args.persons == 0 {
        return Err(Failure(fl!("cli-demo-zero")));
    }
    let store = env.open_store()?;
    let started = std::time::Instant::now();
    let summary = demo::generate(
        &store,
        &DemoOptions {
            persons: args.persons,
            seed: args.seed,
        },
        jiff::Timestamp::now(),
    )
    .map_err(|e| match &e {
        crate::store::StoreError::BadValue {
            column: "persons", ..
        } => Failure(fl!("cli-demo-not-empty")),
        _ => Failure(ui_text::store_error(&e)),
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if env.json {
        let mut v = serde_json::to_value(&summary).map_err(|e| Failure(e.to_string()))?;
        v["seconds"] = json!((seconds * 1000.0).round() / 1000.0);
        env.emit(&v);
    } else {
        println!(
            "{}",
            fl!(
                "cli-demo-done",
                persons = summary.persons,
                cards = summary.cards,
                groups = summary.groups,
                seconds = format!("{seconds:.1}"),
                path = store.path().display().to_string()
            )
        );
    }
    Ok(())
}
