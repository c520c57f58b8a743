//! Blocking work of the Queue screen and of Settings → Services (outbox queries and actions, the managers'
//! tools of `remote::actions`, the services' credentials in the keyring, tariff rules), run off the GUI
//! thread like `jobs.rs`; the calls to CROUS run on a small tokio runtime of their own, so the tests run
//! the same functions synchronously. Also the queue worker of the window (`worker_task`).

use std::path::PathBuf;
use std::sync::Arc;

use iced::Task;
use jiff::Timestamp;
use tokio::sync::Notify;

use crate::config::Config;
use crate::fl;
use crate::gui::app;
use crate::gui::dir_jobs::{Password, PasswordState};
use crate::gui::jobs::{Done, Services};
use crate::remote::actions::{self, Comparison};
use crate::remote::error::RemoteError;
use crate::remote::worker::{Report, Worker};
use crate::remote::{crous, setup};
use crate::secrets::{self, Secret};
use crate::store::outbox::{self, Badge, Filter, Item, ServiceCounts};
use crate::store::remote::{self as rstore, StoredRule};
use crate::store::{StoreError, remote};
use crate::ui_text;

/// The services of the outbox, in the order the screens show them.
pub const SERVICES: [&str; 3] = ["crous", "escr", "ldap"];

/// The credentials of Settings → Services.
pub const SECRETS: [Secret; 4] = [
    Secret::CrousClientId,
    Secret::CrousClientSecret,
    Secret::EscrApiKey,
    Secret::WritebackPassword,
];

#[derive(Debug, Clone)]
pub enum QueueJob {
    Badge,
    /// Counts, the rows matching the filter and the error codes present.
    Load {
        seq: u64,
        filter: Filter,
    },
    Retry(Vec<i64>),
    /// Purges the `done` rows, and with `true` the recorded refusals too.
    Purge(bool),
    Export {
        filter: Filter,
        path: PathBuf,
    },
    Compare {
        service: String,
        person: i64,
    },
    PatchIdentifier {
        person: i64,
        old: String,
        new: String,
        email: String,
    },
    CrousOption {
        person: i64,
        on: bool,
    },
    Reopen(i64),
    /// Bulk identifier migration: a `oldId;eppnNewId;mail` file recorded as a batch (preview).
    PatchFile(PathBuf),
    /// Bulk identifier migration: eppn → INE pairs of the mirror recorded as a batch (preview).
    PatchGenerate,
    /// Runs a batch's pending lines (`retry_failed`: the failed ones too).
    PatchRun {
        batch: String,
        retry_failed: bool,
    },
    Rules,
    RefreshRules,
    ImportEsist(PathBuf),
    SecretStates,
    /// Stores the typed credentials, then writes the settings file.
    SaveServices {
        config: Box<Config>,
        secrets: Vec<(Secret, Password)>,
    },
    ForgetSecret(Secret),
}

#[derive(Debug, Clone)]
pub enum QueueDone {
    Badge(Badge),
    Loaded {
        seq: u64,
        counts: Vec<ServiceCounts>,
        items: Vec<Item>,
        codes: Vec<String>,
    },
    /// An action changed the queue: the message to show; the list is read again.
    Changed(String),
    Exported(String),
    Failed(String),
    Compared {
        service: String,
        person: i64,
        result: Result<Comparison, String>,
    },
    /// A migration batch and its lines; `message` says what happened (an error keeps the lines shown).
    Patch {
        batch: String,
        rows: Vec<rstore::PatchRow>,
        message: Option<(String, bool)>,
    },
    Rules(Vec<StoredRule>),
    /// Rules refreshed or imported: the message (error or not).
    RulesChanged {
        message: String,
        error: bool,
    },
    SecretStates(Vec<(Secret, PasswordState)>),
    ServicesSaved {
        states: Vec<(Secret, PasswordState)>,
        error: Option<String>,
    },
}

fn remote_error(e: &RemoteError) -> String {
    if e.offline {
        return fl!(
            "queue-unreachable",
            code = e.code.clone(),
            message = e.message.clone()
        );
    }
    fl!(
        "queue-remote-failed",
        code = e.code.clone(),
        message = e.message.clone()
    )
}

/// Runs a future of `remote::actions` to its end on a runtime of its own (blocking).
fn block_on<T>(fut: impl std::future::Future<Output = T>) -> Result<T, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|rt| rt.block_on(fut))
        .map_err(|e| e.to_string())
}

/// The CROUS service of the settings, or why there is none.
fn crous_service(services: &Services) -> Result<crous::CrousService, String> {
    secrets::init_from_env();
    if !services.config.crous.enabled {
        return Err(fl!("queue-crous-disabled"));
    }
    setup::crous(&services.config, &services.store).map_err(|e| remote_error(&e))
}

/// The lines of `batch` as they stand, with the message of what was done.
fn patch_done(
    store: &crate::store::Store,
    batch: String,
    message: Option<(String, bool)>,
) -> QueueDone {
    match store.read(|c| remote::patch_rows(c, Some(&batch))) {
        Ok(rows) => QueueDone::Patch {
            batch,
            rows,
            message,
        },
        Err(e) => QueueDone::Failed(ui_text::store_error(&e)),
    }
}

fn secret_state(s: Secret) -> PasswordState {
    if std::env::var(s.env_var()).is_ok_and(|v| !v.is_empty()) {
        return PasswordState::FromEnvironment;
    }
    match secrets::get(s) {
        Ok(Some(_)) => PasswordState::Stored,
        Ok(None) => PasswordState::Missing,
        Err(e) => PasswordState::Unavailable(ui_text::secret_error(&e, s.env_var())),
    }
}

fn secret_states() -> Vec<(Secret, PasswordState)> {
    secrets::init_from_env();
    SECRETS.iter().map(|s| (*s, secret_state(*s))).collect()
}

/// Runs a queue job to completion (blocking).
pub fn perform(services: &Services, job: QueueJob) -> Done {
    let store = &services.store;
    let now = Timestamp::now();
    let db = |e: StoreError| QueueDone::Failed(ui_text::store_error(&e));
    Done::Queue(match job {
        QueueJob::Badge => store
            .read(outbox::badge)
            .map(QueueDone::Badge)
            .unwrap_or_else(db),
        QueueJob::Load { seq, filter } => store
            .read(|c| {
                Ok(QueueDone::Loaded {
                    seq,
                    counts: outbox::service_counts(c, &SERVICES)?,
                    items: outbox::list(c, &filter)?,
                    codes: outbox::error_codes(c)?,
                })
            })
            .unwrap_or_else(db),
        QueueJob::Retry(ids) => store
            .write(|tx| outbox::retry_now(tx, &ids, now))
            .map(|n| QueueDone::Changed(fl!("queue-retried", count = n)))
            .unwrap_or_else(db),
        QueueJob::Purge(gave_up) => store
            .write(|tx| outbox::purge(tx, None, gave_up))
            .map(|n| QueueDone::Changed(fl!("queue-purged", count = n)))
            .unwrap_or_else(db),
        QueueJob::Export { mut filter, path } => {
            filter.limit = None;
            match store.read(|c| outbox::list(c, &filter)) {
                Ok(items) => match std::fs::write(&path, actions::export_csv(&items)) {
                    Ok(()) => QueueDone::Exported(fl!(
                        "queue-exported",
                        count = items.len(),
                        path = path.display().to_string()
                    )),
                    Err(e) => QueueDone::Failed(fl!(
                        "queue-export-failed",
                        path = path.display().to_string(),
                        message = e.to_string()
                    )),
                },
                Err(e) => db(e),
            }
        }
        QueueJob::Compare { service, person } => {
            secrets::init_from_env();
            let (remote, problems) = setup::services(&services.config, store);
            let result = match problems.iter().find(|(s, _)| *s == service) {
                Some((_, e)) => Err(remote_error(e)),
                None if !remote.names().contains(&service.as_str()) => Err(fl!(
                    "queue-service-disabled",
                    service = crate::gui::screens::queue::view::service_name(&service)
                )),
                None => block_on(actions::compare(&remote, store, &service, person, now))
                    .and_then(|r| r.map_err(|e| remote_error(&e))),
            };
            QueueDone::Compared {
                service,
                person,
                result,
            }
        }
        QueueJob::PatchIdentifier {
            person,
            old,
            new,
            email,
        } => {
            let run = || -> Result<(), String> {
                let crous = crous_service(services)?;
                block_on(actions::patch_identifier(&crous, &old, &new, &email))?
                    .map_err(|e| remote_error(&e))?;
                actions::adopt_identifier(store, person, &new, now)
                    .map_err(|e| ui_text::store_error(&e))
            };
            match run() {
                Ok(()) => QueueDone::Changed(fl!("queue-patched", old = old, new = new)),
                Err(m) => QueueDone::Failed(m),
            }
        }
        QueueJob::CrousOption { person, on } => actions::crous_option(store, person, on, now)
            .map(|()| {
                QueueDone::Changed(if on {
                    fl!("queue-crous-on")
                } else {
                    fl!("queue-crous-turned-off")
                })
            })
            .unwrap_or_else(db),
        QueueJob::PatchFile(path) => match actions::record_patch_file(store, &path, now) {
            Ok(batch) => patch_done(store, batch, None),
            Err(e) => QueueDone::Failed(ui_text::patch_file_error(&path, &e)),
        },
        QueueJob::PatchGenerate => match actions::record_ine_pairs(store, now) {
            Ok(batch) => patch_done(store, batch, None),
            Err(e) => QueueDone::Failed(ui_text::store_error(&e)),
        },
        QueueJob::PatchRun {
            batch,
            retry_failed,
        } => {
            let run = || -> Result<(usize, usize), String> {
                let crous = crous_service(services)?;
                block_on(actions::run_patch_batch(
                    &crous,
                    store,
                    &batch,
                    retry_failed,
                ))?
                .map_err(|e| remote_error(&e))
            };
            let message = match run() {
                Ok((done, failed)) => (
                    fl!("migration-ran", done = done, failed = failed),
                    failed > 0,
                ),
                Err(m) => (m, true),
            };
            patch_done(store, batch, Some(message))
        }
        QueueJob::Reopen(person) => {
            let run = || -> Result<(), String> {
                let crous = crous_service(services)?;
                block_on(actions::reopen(&crous, store, person, now))?.map_err(|e| remote_error(&e))
            };
            match run() {
                Ok(()) => QueueDone::Changed(fl!("queue-reopened")),
                Err(m) => QueueDone::Failed(m),
            }
        }
        QueueJob::Rules => store
            .read(rstore::rules)
            .map(QueueDone::Rules)
            .unwrap_or_else(db),
        QueueJob::RefreshRules => refresh_rules(services, now),
        QueueJob::ImportEsist(path) => match actions::import_esist(store, &path, now) {
            Ok(n) => QueueDone::RulesChanged {
                message: fl!("rules-imported", count = n),
                error: false,
            },
            Err(message) => QueueDone::RulesChanged {
                message,
                error: true,
            },
        },
        QueueJob::SecretStates => QueueDone::SecretStates(secret_states()),
        QueueJob::SaveServices { config, secrets } => {
            secrets::init_from_env();
            let mut errors = Vec::new();
            for (s, p) in secrets {
                if let Err(e) = secrets::set(s, p.as_str()) {
                    errors.push(ui_text::secret_error(&e, s.env_var()));
                }
            }
            if let Err(e) = config.save(&services.config_file) {
                errors.push(ui_text::config_error(&e));
            }
            QueueDone::ServicesSaved {
                states: secret_states(),
                error: (!errors.is_empty()).then(|| errors.join("\n")),
            }
        }
        QueueJob::ForgetSecret(s) => {
            secrets::init_from_env();
            match secrets::delete(s) {
                Ok(()) => QueueDone::SecretStates(secret_states()),
                Err(e) => QueueDone::Failed(ui_text::secret_error(&e, s.env_var())),
            }
        }
    })
}

fn refresh_rules(services: &Services, now: Timestamp) -> QueueDone {
    let failed = |message| QueueDone::RulesChanged {
        message,
        error: true,
    };
    let sources = match services.config.crous.rule_sources() {
        Ok(s) if s.is_empty() => return failed(fl!("rules-no-sources")),
        Ok(s) => s,
        Err(item) => return failed(fl!("rules-bad-source", source = item)),
    };
    let crous = match crous_service(services) {
        Ok(c) => c,
        Err(m) => return failed(m),
    };
    let results = match block_on(actions::refresh_rules(
        &crous,
        &services.store,
        &sources,
        now,
    )) {
        Ok(r) => r,
        Err(m) => return failed(m),
    };
    let mut lines = Vec::new();
    let mut error = false;
    for (src, r) in results {
        let source = format!("{}/{}", src.crous, src.rne);
        lines.push(match r {
            Ok(n) => fl!("rules-refreshed", source = source, count = n),
            Err(e) => {
                error = true;
                fl!(
                    "rules-refresh-failed",
                    source = source,
                    message = remote_error(&e)
                )
            }
        });
    }
    QueueDone::RulesChanged {
        message: lines.join("\n"),
        error,
    }
}

/// The person panel's CROUS line: the computed (société, tarif) and the rule that gave it.
pub fn tariff_line(conn: &rusqlite::Connection, person: i64) -> crate::store::Result<String> {
    let Some(subject) = remote::subject(conn, person)? else {
        return Ok(String::new());
    };
    let rules = remote::rules(conn)?;
    let plain: Vec<_> = rules.iter().map(|r| r.rule.clone()).collect();
    let t = crous::service::tariff_of(&subject, &plain);
    Ok(match t.rule.and_then(|i| rules.get(i)) {
        Some(r) => fl!(
            "person-crous-tariff",
            company = t.id_company_rate,
            rate = t.id_rate,
            status = r
                .rule
                .reference_status
                .clone()
                .unwrap_or_else(|| "*".into()),
            source = r.source.clone()
        ),
        None => fl!(
            "person-crous-default",
            company = t.id_company_rate,
            rate = t.id_rate
        ),
    })
}

/// The worker of the window: started when at least one service is on, stopped (and started again) when
/// the settings change. `wake` is the worker's own bell: the window rings it after a card action.
#[derive(Debug, Clone)]
pub struct WorkerRequest {
    pub wake: Arc<Notify>,
    pub stop: Arc<Notify>,
}

#[derive(Debug, Clone)]
pub enum WorkerMsg {
    /// The worker runs with these services; the others could not be built (service, error).
    Started {
        running: Vec<String>,
        problems: Vec<(String, String)>,
    },
    Drained(Report),
    /// The badge's periodic refresh.
    Tick,
}

/// The worker on a thread of its own with a small tokio runtime; its reports come back as messages.
pub fn worker_task(services: Services, req: WorkerRequest) -> Task<app::Message> {
    crate::gui::printing::on_worker(
        "guichet-queue",
        move |emit| {
            secrets::init_from_env();
            let (remote, problems) = setup::services(&services.config, &services.store);
            let running = remote.names().iter().map(|s| s.to_string()).collect();
            let problems = problems
                .iter()
                .map(|(s, e)| (s.to_string(), remote_error(e)))
                .collect();
            emit(app::Message::Worker(WorkerMsg::Started {
                running,
                problems,
            }));
            let mut worker = Worker::new(
                services.store.clone(),
                remote,
                setup::limits(&services.config),
            );
            worker.wake = req.wake.clone();
            let run = async {
                tokio::select! {
                    _ = worker.run(|r| emit(app::Message::Worker(WorkerMsg::Drained(r.clone())))) => {}
                    _ = req.stop.notified() => {}
                }
            };
            if let Err(e) = block_on(run) {
                tracing::warn!("queue worker: {e}");
            }
        },
        |e| {
            app::Message::Worker(WorkerMsg::Started {
                running: Vec::new(),
                problems: vec![(String::new(), e)],
            })
        },
    )
}
