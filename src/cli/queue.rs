//! `guichet queue status|run|list|retry|purge|export|resync`: the outbox of the integrations.

use clap::{Args, Subcommand};
use jiff::Timestamp;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::remote::{actions, setup, worker::Worker};
use crate::store::Store;
use crate::store::outbox::{self, Filter};
use crate::{fl, ui_text};

#[derive(Debug, Subcommand)]
pub enum QueueCommand {
    /// Counts per service and state.
    Status,
    /// Drain the queue (for ever; with --once, until nothing is due now).
    Run {
        #[arg(long)]
        once: bool,
    },
    /// List the rows (errors first).
    List(ListArgs),
    /// Make rows due now: the given ids, or every row needing a human / retrying with the filters.
    Retry {
        #[command(flatten)]
        filter: ListArgs,
        /// Row ids (`queue list` shows them).
        ids: Vec<i64>,
    },
    /// Delete finished rows (`done`; with --refusals also the recorded refusals).
    Purge {
        #[arg(long)]
        service: Option<String>,
        #[arg(long)]
        refusals: bool,
    },
    /// Write the list as CSV.
    Export {
        file: std::path::PathBuf,
        #[command(flatten)]
        filter: ListArgs,
    },
    /// Queue every person with an enabled, disabled or expired card (unchanged persons cost no call).
    Resync {
        #[arg(long)]
        service: Option<String>,
    },
}

#[derive(Debug, Args, Default)]
pub struct ListArgs {
    #[arg(long)]
    service: Option<String>,
    /// pending, in_progress, done, failed_retrying, needs_human, gave_up (repeatable).
    #[arg(long)]
    status: Vec<String>,
    /// Only the rows that need a human.
    #[arg(long)]
    needs_human: bool,
    #[arg(long, value_name = "CODE")]
    code: Option<String>,
    /// Only blocking (true) or non-blocking (false) errors.
    #[arg(long)]
    blocking: Option<bool>,
    /// Part of a name or eppn.
    #[arg(long)]
    person: Option<String>,
    /// Updated on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Updated on or before this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    #[arg(long)]
    limit: Option<usize>,
}

impl ListArgs {
    fn filter(&self) -> Result<Filter, Failure> {
        let mut statuses = self.status.clone();
        if self.needs_human {
            statuses.push("needs_human".into());
        }
        if let Some(bad) = statuses
            .iter()
            .find(|s| !outbox::STATUSES.contains(&s.as_str()))
        {
            return Err(Failure(fl!(
                "cli-queue-bad-status",
                value = bad.clone(),
                statuses = outbox::STATUSES.join(", ")
            )));
        }
        for d in [&self.from, &self.to].into_iter().flatten() {
            if d.parse::<jiff::civil::Date>().is_err() {
                return Err(Failure(fl!("cli-queue-bad-date", value = d.clone())));
            }
        }
        Ok(Filter {
            service: self.service.clone(),
            statuses,
            error_code: self.code.clone(),
            blocking: self.blocking,
            person: self.person.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            person_id: None,
            limit: self.limit,
        })
    }
}

fn store_err(e: crate::store::StoreError) -> Failure {
    Failure(ui_text::store_error(&e))
}

pub fn run(env: &Env, cmd: QueueCommand) -> CliResult {
    let store = env.open_store()?;
    let now = Timestamp::now();
    match cmd {
        QueueCommand::Status => status(env, &store),
        QueueCommand::Run { once } => drain(env, &store, once),
        QueueCommand::List(args) => {
            let f = args.filter()?;
            let items = store.read(|c| outbox::list(c, &f)).map_err(store_err)?;
            for i in &items {
                if env.json {
                    env.emit(&json!(i));
                } else {
                    println!(
                        "{:>6}  {:<5} {:<15} {:>2}  {:<28} {}  {}",
                        i.id,
                        i.service,
                        i.status,
                        i.tries,
                        i.person,
                        i.error_code.as_deref().unwrap_or(""),
                        i.error
                            .as_deref()
                            .unwrap_or(i.last_result.as_deref().unwrap_or(""))
                    );
                }
            }
            Ok(())
        }
        QueueCommand::Retry { filter, ids } => {
            let ids = if ids.is_empty() {
                let mut f = filter.filter()?;
                if f.statuses.is_empty() {
                    f.statuses = vec!["needs_human".into(), "failed_retrying".into()];
                }
                store
                    .read(|c| outbox::list(c, &f))
                    .map_err(store_err)?
                    .iter()
                    .map(|i| i.id)
                    .collect()
            } else {
                ids
            };
            let n = store
                .write(|tx| outbox::retry_now(tx, &ids, now))
                .map_err(store_err)?;
            report(
                env,
                json!({"retried": n}),
                fl!("cli-queue-retried", count = n),
            );
            Ok(())
        }
        QueueCommand::Purge { service, refusals } => {
            let n = store
                .write(|tx| outbox::purge(tx, service.as_deref(), refusals))
                .map_err(store_err)?;
            report(
                env,
                json!({"purged": n}),
                fl!("cli-queue-purged", count = n),
            );
            Ok(())
        }
        QueueCommand::Export { file, filter } => {
            let f = filter.filter()?;
            let items = store.read(|c| outbox::list(c, &f)).map_err(store_err)?;
            crate::production::print::write_atomic(
                &file,
                actions::export_csv(&items).as_bytes(),
                "csv",
            )
            .map_err(|e| {
                Failure(fl!(
                    "cli-queue-export-failed",
                    path = file.display().to_string(),
                    message = e.to_string()
                ))
            })?;
            report(
                env,
                json!({"exported": items.len(), "file": file}),
                fl!(
                    "cli-queue-exported",
                    count = items.len(),
                    path = file.display().to_string()
                ),
            );
            Ok(())
        }
        QueueCommand::Resync { service } => {
            let names: Vec<&str> = match service.as_deref() {
                Some(s) => vec![s],
                None => env.config.services().iter().map(|s| s.as_str()).collect(),
            };
            if names.is_empty() {
                return Err(Failure(fl!("cli-queue-no-service")));
            }
            let n = actions::resync(&store, &names, now).map_err(store_err)?;
            report(
                env,
                json!({"queued": n}),
                fl!("cli-queue-queued", count = n),
            );
            Ok(())
        }
    }
}

fn report(env: &Env, v: serde_json::Value, text: String) {
    if env.json {
        env.emit(&v);
    } else {
        println!("{text}");
    }
}

const SERVICES: [&str; 3] = ["crous", "escr", "ldap"];

fn status(env: &Env, store: &Store) -> CliResult {
    let counts = store
        .read(|c| outbox::service_counts(c, &SERVICES))
        .map_err(store_err)?;
    for c in counts {
        if env.json {
            env.emit(&json!(c));
        } else {
            println!(
                "{}",
                fl!(
                    "cli-queue-status-line",
                    service = c.service.clone(),
                    pending = c.pending,
                    in_progress = c.in_progress,
                    done = c.done,
                    retrying = c.failed_retrying,
                    human = c.needs_human,
                    gave_up = c.gave_up
                )
            );
        }
    }
    Ok(())
}

fn drain(env: &Env, store: &Store, once: bool) -> CliResult {
    crate::secrets::init_from_env();
    let (services, errors) = setup::services(&env.config, store);
    for (service, e) in &errors {
        eprintln!("{service}: {}", ui_text::remote_error(e));
    }
    if services.names().is_empty() {
        return Err(Failure(fl!("cli-queue-no-service")));
    }
    let worker = Worker::new(store.clone(), services, setup::limits(&env.config));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(e.to_string()))?;
    let print = |r: &crate::remote::worker::Report| {
        if r.runs == 0 && r.offline.is_empty() {
            return;
        }
        if env.json {
            env.emit(
                &json!({"runs": r.runs, "done": r.done, "retrying": r.retrying,
                "needs_human": r.needs_human, "gave_up": r.gave_up, "offline": r.offline}),
            );
        } else {
            println!(
                "{}",
                fl!(
                    "cli-queue-drained",
                    runs = r.runs,
                    done = r.done,
                    retrying = r.retrying,
                    human = r.needs_human,
                    gave_up = r.gave_up
                )
            );
            for s in &r.offline {
                println!("{}", fl!("cli-queue-offline", service = s.clone()));
            }
        }
    };
    if once {
        let r = rt.block_on(worker.drain());
        print(&r);
        if env.json && r.runs == 0 && r.offline.is_empty() {
            env.emit(&json!({"runs": 0, "done": 0, "retrying": 0, "needs_human": 0, "gave_up": 0, "offline": []}));
        }
        return Ok(());
    }
    rt.block_on(worker.run(print));
    Ok(())
}
