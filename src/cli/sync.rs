//! `guichet sync`: directory → mirror, with the settings of the file overridable for one run.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use clap::Args;

use super::{CliResult, Env, Failure};
use crate::directory::mapping::PresetName;
use crate::directory::sync::{self, Plan, Progress};
use crate::secrets::{self, Secret};
use crate::{fl, ui_text};

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Transfer every entry (and find deletions) instead of only the changes.
    #[arg(long)]
    full: bool,
    /// Directory URL for this run (ldap:// or ldaps://).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Bind DN for this run.
    #[arg(long, value_name = "DN")]
    bind_dn: Option<String>,
    /// Base DN of persons for this run.
    #[arg(long, value_name = "DN")]
    base: Option<String>,
    /// Preset for this run: supann or sdet.
    #[arg(long, value_name = "supann|sdet")]
    preset: Option<String>,
    /// Apply the removals even when they exceed directory.mass_delete_percent.
    #[arg(long)]
    allow_mass_delete: bool,
}

pub fn run(env: &Env, args: SyncArgs) -> CliResult {
    let mut cfg = env.config.directory.clone();
    if let Some(url) = args.url {
        cfg.url = Some(url);
    }
    if let Some(dn) = args.bind_dn {
        cfg.bind_dn = Some(dn);
    }
    if let Some(base) = args.base {
        cfg.people_base = Some(base);
    }
    if let Some(p) = args.preset {
        cfg.preset =
            PresetName::parse(&p).ok_or_else(|| Failure(fl!("cli-sync-bad-preset", value = p)))?;
    }
    secrets::init_from_env();
    let password = secrets::get(Secret::LdapPassword)
        .map_err(|e| Failure(ui_text::secret_error(&e, Secret::LdapPassword.env_var())))?;
    let mut plan = Plan::from_config(&cfg, password, env.config.card_options())
        .map_err(|e| Failure(ui_text::directory_error(&e)))?;
    plan.full = args.full;
    plan.allow_mass_delete = args.allow_mass_delete;
    let store = env.open_store()?;
    let tty = !env.json && std::io::stderr().is_terminal();
    let last = Mutex::new(Instant::now());
    let show = |p: Progress| {
        if !tty {
            return;
        }
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if last.elapsed() >= Duration::from_millis(250) {
            *last = Instant::now();
            eprint!("\r{}   ", ui_text::sync_progress(&p));
        }
    };
    let report = sync::run(&store, &plan, &show, &AtomicBool::new(false));
    if tty {
        eprintln!();
    }
    let report = report.map_err(|e| Failure(ui_text::directory_error(&e)))?;
    if env.json {
        let mut v = serde_json::to_value(&report).map_err(|e| Failure(e.to_string()))?;
        v["seconds"] = serde_json::json!((report.seconds * 1000.0).round() / 1000.0);
        env.emit(&v);
    } else {
        println!("{}", ui_text::sync_report(&report));
        for p in &report.problems {
            println!("  {p}");
        }
    }
    Ok(())
}
