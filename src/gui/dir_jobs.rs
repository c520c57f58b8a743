//! Blocking work of the directory screens (keyring, settings file, LDAP test and sync, group queries),
//! run off the GUI thread like `jobs.rs`; the tests run the same functions synchronously.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::config::{Config, DirectoryConfig};
use crate::directory::client::DirError;
use crate::directory::sync::{self, Plan, Progress, Report};
use crate::domain::card::PersonId;
use crate::gui::jobs::{Done, Services};
use crate::gui::stems::GroupTree;
use crate::secrets::{self, Secret};
use crate::store::persons::{self, PersonRow};
use crate::store::sync_state::{self, SyncState};
use crate::store::{StoreError, group_tree};
use crate::ui_text;

/// A password typed in the form, on its way to the keyring. Its `Debug` never shows the value, so a
/// logged job or message cannot leak it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(value: String) -> Password {
        Password(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `None` for an empty field (which keeps the stored password).
    pub fn non_empty(self) -> Option<Password> {
        (!self.0.is_empty()).then_some(self)
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Whether a bind password is available, for the form's indicator (never the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordState {
    Stored,
    /// `GUICHET_LDAP_PASSWORD` is set and takes precedence over the keyring.
    FromEnvironment,
    Missing,
    Unavailable(String),
}

#[derive(Debug, Clone)]
pub enum DirJob {
    PasswordState,
    /// Stores the password (when one was typed), then writes the settings file.
    Save {
        config: Box<Config>,
        password: Option<Password>,
    },
    ForgetPassword,
    /// "Test connection" with the form's values (saved or not).
    Test {
        directory: Box<DirectoryConfig>,
        password: Option<Password>,
    },
    /// The last sync's outcome, for the status bar.
    Status,
    Groups,
    Members(i64),
    MemberRows(Vec<PersonId>),
}

#[derive(Debug, Clone)]
pub enum DirDone {
    Password(PasswordState),
    Saved {
        password: PasswordState,
        error: Option<String>,
    },
    Tested(Result<Vec<String>, String>),
    Status(Option<Box<SyncState>>),
    Groups(Arc<GroupTree>),
    Members {
        group: i64,
        ids: Arc<Vec<PersonId>>,
    },
    MemberRows(Vec<PersonRow>),
    GroupsFailed(String),
}

/// One sync run, as asked by the window: "Synchronise now", the background schedule, or the
/// confirmation of a mass deletion.
#[derive(Debug, Clone)]
pub struct SyncRequest {
    pub full: bool,
    pub allow_mass_delete: bool,
    pub background: bool,
    /// Set by the Cancel button; the sync stops between two batches.
    pub cancel: Arc<AtomicBool>,
}

/// How a sync ended, in words ready to show.
#[derive(Debug, Clone)]
pub enum Outcome {
    Done(Box<Report>),
    /// Stopped before deleting: the message, and a confirmation is needed to go on.
    MassDelete(String),
    Failed {
        message: String,
        unreachable: bool,
    },
    Cancelled(String),
}

/// Chooses the keyring once per process: the mock store for `GUICHET_KEYRING=mock`, else the
/// platform's (does nothing when a store is set already, as tests do).
fn keyring() {
    secrets::init_from_env();
}

fn password_state() -> PasswordState {
    keyring();
    let env = Secret::LdapPassword.env_var();
    if std::env::var(env).is_ok_and(|v| !v.is_empty()) {
        return PasswordState::FromEnvironment;
    }
    match secrets::get(Secret::LdapPassword) {
        Ok(Some(_)) => PasswordState::Stored,
        Ok(None) => PasswordState::Missing,
        Err(e) => PasswordState::Unavailable(ui_text::secret_error(&e, env)),
    }
}

/// The password for a connection: the one typed, else the environment or the keyring.
fn password(typed: Option<Password>) -> Result<Option<String>, String> {
    if let Some(Password(p)) = typed {
        return Ok(Some(p));
    }
    keyring();
    secrets::get(Secret::LdapPassword)
        .map_err(|e| ui_text::secret_error(&e, Secret::LdapPassword.env_var()))
}

/// Runs a directory job to completion (blocking).
pub fn perform(services: &Services, job: DirJob) -> Done {
    let store = &services.store;
    let failed = |e: StoreError| DirDone::GroupsFailed(ui_text::store_error(&e));
    Done::Dir(match job {
        DirJob::PasswordState => DirDone::Password(password_state()),
        DirJob::Save { config, password } => {
            let mut errors = Vec::new();
            if let Some(Password(p)) = password {
                keyring();
                if let Err(e) = secrets::set(Secret::LdapPassword, &p) {
                    errors.push(ui_text::secret_error(&e, Secret::LdapPassword.env_var()));
                }
            }
            if let Err(e) = config.save(&services.config_file) {
                errors.push(ui_text::config_error(&e));
            }
            DirDone::Saved {
                password: password_state(),
                error: (!errors.is_empty()).then(|| errors.join("\n")),
            }
        }
        DirJob::ForgetPassword => {
            keyring();
            match secrets::delete(Secret::LdapPassword) {
                Ok(()) => DirDone::Password(password_state()),
                Err(e) => DirDone::Password(PasswordState::Unavailable(ui_text::secret_error(
                    &e,
                    Secret::LdapPassword.env_var(),
                ))),
            }
        }
        DirJob::Test {
            directory,
            password: typed,
        } => DirDone::Tested(test(services, &directory, typed)),
        DirJob::Status => match store.read(|c| sync_state::get(c, "people")) {
            Ok(state) => DirDone::Status(state.map(Box::new)),
            // The status bar keeps its previous text; the Desk is not the place for this error.
            Err(e) => {
                tracing::warn!("cannot read the sync state: {e}");
                DirDone::Status(None)
            }
        },
        DirJob::Groups => match store.read(group_tree::all_with_counts) {
            Ok(groups) => DirDone::Groups(Arc::new(GroupTree::build(groups))),
            Err(e) => failed(e),
        },
        DirJob::Members(group) => match store.read(|c| group_tree::members(c, group)) {
            Ok(ids) => DirDone::Members {
                group,
                ids: Arc::new(ids),
            },
            Err(e) => failed(e),
        },
        DirJob::MemberRows(ids) => match store.read(|c| persons::rows(c, &ids)) {
            Ok(rows) => DirDone::MemberRows(rows),
            Err(e) => failed(e),
        },
    })
}

fn test(
    services: &Services,
    directory: &DirectoryConfig,
    typed: Option<Password>,
) -> Result<Vec<String>, String> {
    let password = password(typed)?;
    let plan = Plan::from_config(directory, password, services.config.card_options())
        .map_err(|e| ui_text::directory_error(&e))?;
    sync::test(&plan)
        .map(|r| ui_text::test_report(&r))
        .map_err(|e| ui_text::directory_error(&e))
}

/// Runs one sync with the saved settings to the end (blocking; call it from a worker thread).
pub fn run_sync(
    services: &Services,
    req: &SyncRequest,
    progress: &(dyn Fn(Progress) + Sync),
) -> Outcome {
    let failed = |message: String| Outcome::Failed {
        message,
        unreachable: false,
    };
    let password = match password(None) {
        Ok(p) => p,
        Err(message) => return failed(message),
    };
    let config = &services.config;
    let mut plan = match Plan::from_config(&config.directory, password, config.card_options()) {
        Ok(plan) => plan,
        Err(e) => return failed(ui_text::directory_error(&e)),
    };
    plan.full = req.full;
    plan.allow_mass_delete = req.allow_mass_delete;
    match sync::run(&services.store, &plan, progress, &req.cancel) {
        Ok(report) => Outcome::Done(Box::new(report)),
        Err(e @ DirError::MassDelete { .. }) => Outcome::MassDelete(ui_text::directory_error(&e)),
        Err(e @ DirError::Cancelled) => Outcome::Cancelled(ui_text::directory_error(&e)),
        Err(e) => Outcome::Failed {
            message: ui_text::directory_error(&e),
            unreachable: e.is_unreachable(),
        },
    }
}
