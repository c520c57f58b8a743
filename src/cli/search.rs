//! `guichet search QUERY`: the counter search, scriptable.

use clap::Args;

use super::{CliResult, Env, Failure};
use crate::store::search;
use crate::{fl, ui_text};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Name words in any order (accents and case ignored), or an identifier.
    query: String,
    /// Maximum number of results.
    #[arg(long, default_value_t = 20)]
    limit: usize,
}

pub fn run(env: &Env, args: SearchArgs) -> CliResult {
    let store = env.open_store()?;
    let limit = args.limit.clamp(1, 5000);
    let hits = store
        .read(|c| search::search(c, &args.query, limit))
        .map_err(|e| Failure(ui_text::store_error(&e)))?;
    if env.json {
        for h in &hits {
            env.emit(&serde_json::to_value(h).map_err(|e| Failure(e.to_string()))?);
        }
        return Ok(());
    }
    if hits.is_empty() {
        println!("{}", fl!("cli-search-none", query = args.query.clone()));
    }
    for h in hits {
        println!(
            "{:>8}  {:<40}  {:<16}  {}",
            h.person_id,
            h.display_name,
            ui_text::affiliation(&h.affiliation),
            h.eppn.or(h.ine).or(h.uid).unwrap_or_default()
        );
    }
    Ok(())
}
