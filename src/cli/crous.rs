//! `guichet crous …`: the CROUS managers' tools (crous-escr.md §2.13–2.15): bulk identifier migration,
//! tariff rules, a person's computed tariff, the live comparison, the CROUS option and un-closing.

use clap::Subcommand;
use jiff::Timestamp;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::remote::crous::CrousService;
use crate::remote::crous::service::tariff_of;
use crate::remote::{actions, setup};
use crate::store::Store;
use crate::store::remote as rstore;
use crate::{fl, ui_text};

#[derive(Debug, Subcommand)]
pub enum CrousCommand {
    /// Bulk identifier migration: a `oldId;eppnNewId;mail` CSV (or --generate-ine for eppn → INE):
    /// preview, then --run; --retry BATCH runs the failed lines of a batch again.
    PatchIds {
        file: Option<std::path::PathBuf>,
        #[arg(long, conflicts_with = "file")]
        generate_ine: bool,
        #[arg(long)]
        run: bool,
        #[arg(long, value_name = "BATCH", conflicts_with_all = ["file", "generate_ine"])]
        retry: Option<String>,
    },
    /// Tariff rules: refresh from the API, import an ESIST file, list.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The computed (société, tarif) of a person and the rule that gave it.
    Tariff { person: String },
    /// Guichet's right holder next to the one CROUS holds now.
    Compare { person: String },
    /// Turn the CROUS option of a person on or off.
    Option { person: String, state: String },
    /// Re-open a closed CROUS account (then the person is sent again).
    Reopen { person: String },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    Refresh,
    Import { file: std::path::PathBuf },
    List,
}

fn store_err(e: crate::store::StoreError) -> Failure {
    Failure(ui_text::store_error(&e))
}

fn remote_err(e: &crate::remote::error::RemoteError) -> Failure {
    Failure(ui_text::remote_error(e))
}

fn service(env: &Env, store: &Store) -> Result<CrousService, Failure> {
    crate::secrets::init_from_env();
    setup::crous(&env.config, store).map_err(|e| remote_err(&e))
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(e.to_string()))
}

/// A person by id or eppn.
fn person(store: &Store, key: &str) -> Result<i64, Failure> {
    let found = store
        .read(|c| rstore::person_by_key(c, key))
        .map_err(store_err)?;
    found.ok_or_else(|| Failure(fl!("cli-crous-no-person", key = key.to_string())))
}

pub fn run(env: &Env, cmd: CrousCommand) -> CliResult {
    let store = env.open_store()?;
    let now = Timestamp::now();
    match cmd {
        CrousCommand::PatchIds {
            file,
            generate_ine,
            run,
            retry,
        } => patch(env, &store, file, generate_ine, run, retry),
        CrousCommand::Rules(RulesCommand::Refresh) => {
            let crous = service(env, &store)?;
            let sources = env
                .config
                .crous
                .rule_sources()
                .map_err(|e| Failure(fl!("cli-crous-bad-source", value = e)))?;
            if sources.is_empty() {
                return Err(Failure(fl!("cli-crous-no-sources")));
            }
            let results =
                runtime()?.block_on(actions::refresh_rules(&crous, &store, &sources, now));
            let mut failed = false;
            for (src, r) in results {
                match r {
                    Ok(n) => say(
                        env,
                        json!({"crous": src.crous, "rne": src.rne, "rules": n}),
                        fl!(
                            "cli-crous-rules-refreshed",
                            crous = src.crous.clone(),
                            rne = src.rne.clone(),
                            count = n
                        ),
                    ),
                    Err(e) => {
                        failed = true;
                        eprintln!("{}/{}: {}", src.crous, src.rne, ui_text::remote_error(&e));
                    }
                }
            }
            if failed {
                return Err(Failure(fl!("cli-crous-rules-some-failed")));
            }
            Ok(())
        }
        CrousCommand::Rules(RulesCommand::Import { file }) => {
            let n = actions::import_esist(&store, &file, now).map_err(Failure)?;
            say(
                env,
                json!({"imported": n}),
                fl!("cli-crous-rules-imported", count = n),
            );
            Ok(())
        }
        CrousCommand::Rules(RulesCommand::List) => {
            for r in store.read(rstore::rules).map_err(store_err)? {
                let x = &r.rule;
                if env.json {
                    env.emit(&json!({"source": r.source, "priority": x.priority, "status": x.reference_status,
                        "rne": x.rne, "indice_min": x.indice_min, "indice_max": x.indice_max,
                        "id_company_rate": x.id_company_rate, "id_rate": x.id_rate}));
                } else {
                    println!(
                        "{:<28} {:>4}  {:<4} {:<9} {:>6}-{:<6} → {}/{}",
                        r.source,
                        x.priority,
                        x.reference_status.as_deref().unwrap_or("*"),
                        x.rne.as_deref().unwrap_or("*"),
                        x.indice_min
                            .map(|v| v.to_string())
                            .unwrap_or_else(|| "*".into()),
                        x.indice_max
                            .map(|v| v.to_string())
                            .unwrap_or_else(|| "*".into()),
                        x.id_company_rate,
                        x.id_rate
                    );
                }
            }
            Ok(())
        }
        CrousCommand::Tariff { person: key } => {
            let id = person(&store, &key)?;
            let subject = store
                .read(|c| rstore::subject(c, id))
                .map_err(store_err)?
                .ok_or_else(|| Failure(fl!("cli-crous-no-person", key = key.clone())))?;
            let rules = store.read(rstore::rules).map_err(store_err)?;
            let plain: Vec<_> = rules.iter().map(|r| r.rule.clone()).collect();
            let t = tariff_of(&subject, &plain);
            let rule = t.rule.and_then(|i| rules.get(i));
            say(
                env,
                json!({"id_company_rate": t.id_company_rate, "id_rate": t.id_rate,
                       "rule": rule.map(|r| json!({"source": r.source, "priority": r.rule.priority,
                            "status": r.rule.reference_status, "rne": r.rule.rne}))}),
                ui_text::tariff_line(t.id_company_rate, t.id_rate, rule),
            );
            Ok(())
        }
        CrousCommand::Compare { person: key } => {
            let id = person(&store, &key)?;
            crate::secrets::init_from_env();
            let (services, errors) = setup::services(&env.config, &store);
            if let Some((_, e)) = errors.into_iter().find(|(s, _)| *s == "crous") {
                return Err(remote_err(&e));
            }
            let cmp = runtime()?
                .block_on(actions::compare(&services, &store, "crous", id, now))
                .map_err(|e| remote_err(&e))?;
            for r in &cmp.rows {
                if env.json {
                    env.emit(&json!({"field": r.field, "local": r.local, "remote": r.remote}));
                } else {
                    let mark = if crate::domain::names::fold(&r.local)
                        == crate::domain::names::fold(&r.remote)
                    {
                        " "
                    } else {
                        "≠"
                    };
                    println!("{mark} {:<18} {:<34} {}", r.field, r.local, r.remote);
                }
            }
            if cmp.remote_missing && !env.json {
                println!("{}", fl!("cli-crous-no-remote"));
            }
            Ok(())
        }
        CrousCommand::Option { person: key, state } => {
            let id = person(&store, &key)?;
            let on = match state.as_str() {
                "on" | "true" => true,
                "off" | "false" => false,
                other => {
                    return Err(Failure(fl!(
                        "cli-crous-bad-option",
                        value = other.to_string()
                    )));
                }
            };
            actions::crous_option(&store, id, on, now).map_err(store_err)?;
            say(
                env,
                json!({"person": id, "crous": on}),
                fl!("cli-crous-option-set", state = state.clone()),
            );
            Ok(())
        }
        CrousCommand::Reopen { person: key } => {
            let id = person(&store, &key)?;
            let crous = service(env, &store)?;
            runtime()?
                .block_on(actions::reopen(&crous, &store, id, now))
                .map_err(|e| remote_err(&e))?;
            say(
                env,
                json!({"person": id, "reopened": true}),
                fl!("cli-crous-reopened"),
            );
            Ok(())
        }
    }
}

fn say(env: &Env, v: serde_json::Value, text: String) {
    if env.json {
        env.emit(&v);
    } else {
        println!("{text}");
    }
}

fn patch(
    env: &Env,
    store: &Store,
    file: Option<std::path::PathBuf>,
    generate_ine: bool,
    run: bool,
    retry: Option<String>,
) -> CliResult {
    let now = Timestamp::now();
    let batch = match (retry, file, generate_ine) {
        (Some(batch), _, _) => batch,
        (None, Some(path), _) => actions::record_patch_file(store, &path, now)
            .map_err(|e| Failure(ui_text::patch_file_error(&path, &e)))?,
        (None, None, true) => actions::record_ine_pairs(store, now).map_err(store_err)?,
        (None, None, false) => return Err(Failure(fl!("cli-crous-patch-what"))),
    };
    if run {
        let crous = service(env, store)?;
        let retry_failed = true;
        runtime()?
            .block_on(actions::run_patch_batch(
                &crous,
                store,
                &batch,
                retry_failed,
            ))
            .map_err(|e| remote_err(&e))?;
    }
    let rows = store
        .read(|c| rstore::patch_rows(c, Some(&batch)))
        .map_err(store_err)?;
    let failed = rows.iter().filter(|r| r.status == "failed").count();
    for r in &rows {
        if env.json {
            env.emit(&json!(r));
        } else {
            println!(
                "{:>4}  {:<8} {} → {}  {}",
                r.line,
                r.status,
                r.old_id,
                r.new_id,
                r.message.as_deref().unwrap_or("")
            );
        }
    }
    if !env.json {
        println!(
            "{}",
            fl!(
                "cli-crous-batch",
                batch = batch.clone(),
                count = rows.len(),
                failed = failed
            )
        );
    }
    if run && failed > 0 {
        return Err(Failure(fl!(
            "cli-crous-batch-failed",
            count = failed,
            batch = batch
        )));
    }
    Ok(())
}
