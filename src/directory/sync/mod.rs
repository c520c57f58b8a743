//! Directory → mirror synchronisation (ARCHITECTURE §3 flow 1).
//!
//! - **Full**: every entry of each base, streamed (RFC 4533 refresh without a cookie where the server
//!   offers content synchronisation, else a paged search); what the mirror has and the directory no
//!   longer lists is removed.
//! - **Incremental** (RFC 4533 refreshOnly with the stored cookie): only changed entries, plus the
//!   present set or delete states for deletions.
//! - **Fallback** (no content sync): a `modifyTimestamp>=` filter on the last seen timestamp; deletions
//!   are found by a periodic full pass (`directory.full_every_hours`).
//!
//! The LDAP side runs on a current-thread tokio runtime in the calling thread; batches go through a
//! bounded channel to a writer thread (one transaction per batch), so a slow disk slows the reading
//! down instead of filling memory. Cookies are written with the last transaction: an interrupted
//! sync resumes from the previous cookie and re-applies entries idempotently (keyed by entryUUID).

mod apply;
mod ids;
mod items;
mod search;

use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use sha2::{Digest, Sha256};

pub use self::apply::Finish;
use self::apply::{Applier, Msg, Options};
pub use self::search::uuid_text;
use super::client::{self, ConnectSettings, DirError, Searches};
use super::mapping::Mapping;
use crate::config::DirectoryConfig;
use crate::store::cards::CardOptions;
use crate::store::{Store, mirror, sync_state};

/// The three searched bases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Structures,
    People,
    Groups,
}

impl Kind {
    /// Row name in `sync_state`.
    pub fn base_name(self) -> &'static str {
        match self {
            Kind::Structures => "structures",
            Kind::People => "people",
            Kind::Groups => "groups",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Full,
    Incremental,
    Fallback,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::Incremental => "incremental",
            Mode::Fallback => "fallback",
        }
    }
}

/// What a sync did: `guichet sync --json` prints it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Report {
    pub added: usize,
    pub modified: usize,
    pub deleted: usize,
    pub departed: usize,
    pub groups: usize,
    pub memberships: usize,
    pub mode: Mode,
    pub seconds: f64,
    /// Entries transferred with their attributes (changed entries in incremental mode).
    pub entries: u64,
    /// Card transitions made by the due-date rules.
    pub cards: usize,
    /// Entries skipped because they could not be mapped, and the first reasons.
    pub skipped: usize,
    pub problems: Vec<String>,
}

/// Where a sync is, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Connecting,
    Structures,
    People,
    Groups,
    Finishing,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub phase: Phase,
    /// Entries received so far (all bases).
    pub seen: u64,
    /// Entries expected, when known (the mirror's count at the last sync).
    pub expected: Option<u64>,
    pub elapsed: Duration,
}

impl Progress {
    /// Entries per second so far.
    pub fn rate(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 { self.seen as f64 / s } else { 0.0 }
    }

    /// Estimated time left, when the total is known.
    pub fn remaining(&self) -> Option<Duration> {
        let expected = self.expected?;
        let rate = self.rate();
        (rate > 0.0 && expected > self.seen)
            .then(|| Duration::from_secs_f64((expected - self.seen) as f64 / rate))
    }
}

/// One sync's settings: connection, searches, mapping and options.
#[derive(Debug, Clone)]
pub struct Plan {
    pub connect: ConnectSettings,
    pub searches: Searches,
    pub mapping: Mapping,
    pub full: bool,
    pub allow_mass_delete: bool,
    pub mass_delete_percent: u32,
    pub full_every: Duration,
    pub cards: CardOptions,
}

impl Plan {
    pub fn from_config(
        cfg: &DirectoryConfig,
        password: Option<String>,
        cards: CardOptions,
    ) -> Result<Plan, DirError> {
        let mapping = Mapping::preset(cfg.preset)
            .with_overrides(&cfg.mapping)
            .map_err(|e| DirError::Mapping {
                entry: "[directory.mapping]".into(),
                message: e.to_string(),
            })?;
        Ok(Plan {
            connect: ConnectSettings::from_config(cfg, password)?,
            searches: Searches::from_config(cfg, &mapping)?,
            mapping,
            full: false,
            allow_mass_delete: false,
            mass_delete_percent: cfg.mass_delete_percent,
            full_every: Duration::from_secs(u64::from(cfg.full_every_hours.max(1)) * 3600),
            cards,
        })
    }

    fn search_of(&self, kind: Kind) -> Option<&(String, String)> {
        match kind {
            Kind::People => Some(&self.searches.people),
            Kind::Groups => self.searches.groups.as_ref(),
            Kind::Structures => self.searches.structures.as_ref(),
        }
    }

    fn attrs(&self, kind: Kind) -> Vec<String> {
        match kind {
            Kind::People => self.mapping.person_attrs(),
            Kind::Groups => self.mapping.group_attrs(),
            Kind::Structures => self.mapping.structure_attrs(),
        }
    }

    /// What a stored cookie belongs to: a changed URL, base, filter or mapping needs a full sync.
    fn fingerprint(&self, kind: Kind) -> String {
        let mut h = Sha256::new();
        h.update(self.connect.url.as_bytes());
        if let Some((base, filter)) = self.search_of(kind) {
            h.update(base.as_bytes());
            h.update(filter.as_bytes());
        }
        h.update(self.attrs(kind).join(",").as_bytes());
        h.update(self.mapping.name().as_str().as_bytes());
        h.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Runs one sync to the end. Blocking: call it from a worker thread. `progress` is called from this
/// thread every few hundred entries; `cancel` stops the sync between two batches.
pub fn run(
    store: &Store,
    plan: &Plan,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Report, DirError> {
    let started = Instant::now();
    let result = run_inner(store, plan, progress, cancel, started);
    // Whatever happened, an interrupted first load gets its indexes back now.
    let recovered = store.recover_first_load();
    let now = Timestamp::now();
    match result {
        Ok(mut report) => {
            recovered?;
            report.seconds = started.elapsed().as_secs_f64();
            Ok(report)
        }
        Err(e) => {
            let _ = store.write(|tx| {
                sync_state::save_failure(
                    tx,
                    Kind::People.base_name(),
                    &e.to_string(),
                    e.is_unreachable(),
                    now,
                )
            });
            Err(e)
        }
    }
}

fn run_inner(
    store: &Store,
    plan: &Plan,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
    started: Instant,
) -> Result<Report, DirError> {
    let kinds = [Kind::Structures, Kind::People, Kind::Groups];
    let mut states = Vec::new();
    for kind in kinds {
        states.push(store.read(|c| sync_state::get(c, kind.base_name()))?);
    }
    let expected = store.read(|c| {
        Ok(c.query_row(
            "SELECT COUNT(*) FROM persons WHERE source = 'ldap' AND departed_at IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )?)
    })? as u64;
    let fresh = kinds.iter().zip(&states).any(|(k, st)| {
        plan.search_of(*k).is_some()
            && st.as_ref().is_none_or(|s| {
                s.cookie.is_none() || s.fingerprint.as_deref() != Some(&plan.fingerprint(*k))
            })
    });
    let last_full = states[1].as_ref().and_then(|s| s.last_full_at);
    let full_due = last_full.is_none_or(|t| {
        Timestamp::now().duration_since(t).as_secs() as u64 >= plan.full_every.as_secs()
    });

    progress(Progress {
        phase: Phase::Connecting,
        seen: 0,
        expected: None,
        elapsed: started.elapsed(),
    });
    let (tx, rx) = mpsc::sync_channel::<Msg>(4);
    let applier_store = store.clone();
    let first_load = store.read(mirror::first_load_pending)?;
    let bulk_hint = plan.full || fresh || first_load;
    let options = Options {
        allow_mass_delete: plan.allow_mass_delete,
        mass_delete_percent: plan.mass_delete_percent,
        cards: plan.cards.clone(),
        bulk: bulk_hint,
        first_load,
    };
    let writer = std::thread::Builder::new()
        .name("guichet-sync-writer".into())
        .spawn(move || Applier::new(applier_store, options).run(rx))
        .map_err(|e| DirError::Protocol(e.to_string()))?;

    let ldap_side = {
        let ctx = search::Context {
            plan,
            tx: &tx,
            progress,
            cancel,
            started,
            expected: (expected > 0).then_some(expected),
            first_load,
        };
        let cookies: Vec<Option<Vec<u8>>> = states
            .iter()
            .map(|s| s.as_ref().and_then(|s| s.cookie.clone()))
            .collect();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| DirError::Protocol(e.to_string()))?;
            // The socket is read only when the next message is wanted (`wire::Conn::next`), and the
            // sync channel blocks this thread while the writer lags: the reading keeps its pace.
            // Unconstrained: nothing else runs on this runtime, so tokio's cooperative budget would
            // only make ready reads yield.
            rt.block_on(tokio::task::unconstrained(search::fetch(
                ctx, &kinds, cookies, bulk_hint, full_due,
            )))
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(DirError::Protocol(what))
        })
    };
    drop(tx);
    tracing::debug!(cpu_ms = ?crate::thread_cpu().map(|d| d.as_millis()), "sync: reading side done");
    let written = writer
        .join()
        .map_err(|_| DirError::Protocol("the sync writer stopped".into()))?;
    match (ldap_side, written) {
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        (Ok(_), Ok(Some(report))) => Ok(report),
        (Ok(_), Ok(None)) => Err(DirError::Cancelled),
    }
}

/// Tests the configured directory (see `client::test_connection`), blocking.
pub fn test(plan: &Plan) -> Result<client::TestReport, DirError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| DirError::Protocol(e.to_string()))?;
    rt.block_on(client::test_connection(&plan.connect, &plan.searches))
}
