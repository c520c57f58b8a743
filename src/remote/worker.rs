//! The outbox worker (ARCHITECTURE §3): leases due rows service by service, oldest first, runs each
//! subject's reconcile with bounded concurrency and a rate limit, and records the result. Errors follow
//! their class: transient ones come back after an exponential backoff with jitter (or the server's
//! `Retry-After`), and go to a human after `queue.max_tries` runs; blocking ones go to a human at once;
//! non-blocking refusals are recorded. A service that cannot be reached opens its circuit: its rows wait,
//! untouched (their try count does not grow), and one probe (half-open) is sent when the circuit's delay
//! has passed; a success closes it. The same worker runs in the window and as `guichet queue run`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;

use super::crous::CrousService;
use super::error::{Class, RemoteError};
use super::escr::EscrService;
use super::ldap_writeback::Writeback;
use crate::store::Store;
use crate::store::outbox::{self, Claimed, FailState, Failure};

/// The services this worker can reach (the ones configured and switched on).
#[derive(Default)]
pub struct Services {
    pub crous: Option<Arc<CrousService>>,
    pub escr: Option<Arc<EscrService>>,
    pub ldap: Option<Arc<Writeback>>,
}

impl Services {
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.crous.is_some() {
            v.push(super::crous::SERVICE);
        }
        if self.escr.is_some() {
            v.push(super::escr::SERVICE);
        }
        if self.ldap.is_some() {
            v.push(super::ldap_writeback::SERVICE);
        }
        v
    }
}

/// Limits of the worker.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_tries: u32,
    pub concurrency: usize,
    /// Subjects started per second per service; 0 = no limit.
    pub rate_per_second: u32,
    pub lease: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_tries: 8,
            concurrency: 4,
            rate_per_second: 20,
            lease: Duration::from_secs(120),
        }
    }
}

/// A service's circuit: closed, or open until a time (then half-open: one probe).
#[derive(Debug, Clone, Copy, Default)]
struct Circuit {
    open_until: Option<Timestamp>,
    failures: u32,
}

/// What one drain did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub runs: usize,
    pub done: usize,
    pub retrying: usize,
    pub needs_human: usize,
    pub gave_up: usize,
    /// Services whose circuit is open at the end (unreachable).
    pub offline: Vec<String>,
}

pub struct Worker {
    store: Store,
    services: Services,
    limits: Limits,
    owner: String,
    circuits: Mutex<HashMap<&'static str, Circuit>>,
    /// Wakes the loop at once (an enqueue from the window, "retry now").
    pub wake: Arc<Notify>,
}

/// Backoff of the n-th failed run: 2^n seconds (capped at an hour) with ±50 % jitter.
pub fn backoff(tries: u32, jitter: f64) -> Duration {
    let base = 2f64.powi(tries.min(12) as i32).min(3600.0);
    Duration::from_secs_f64((base * (0.5 + jitter.clamp(0.0, 1.0))).max(1.0))
}

fn jitter() -> f64 {
    let mut b = [0u8; 2];
    if getrandom::fill(&mut b).is_err() {
        return 0.5;
    }
    f64::from(u16::from_le_bytes(b)) / f64::from(u16::MAX)
}

fn later(now: Timestamp, d: Duration) -> Timestamp {
    now.checked_add(SignedDuration::try_from(d).unwrap_or(SignedDuration::from_hours(1)))
        .unwrap_or(now)
}

impl Worker {
    pub fn new(store: Store, services: Services, limits: Limits) -> Worker {
        let owner = format!(
            "{}/{}/{}",
            host(),
            std::process::id(),
            Timestamp::now().as_millisecond()
        );
        Worker {
            store,
            services,
            limits,
            owner,
            circuits: Mutex::new(HashMap::new()),
            wake: Arc::new(Notify::new()),
        }
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    async fn run_one(&self, service: &str, person: i64) -> Result<String, RemoteError> {
        let now = Timestamp::now();
        match service {
            super::crous::SERVICE => match &self.services.crous {
                Some(s) => s.reconcile(&self.store, person, now).await,
                None => Err(not_configured(service)),
            },
            super::escr::SERVICE => match &self.services.escr {
                Some(s) => s.reconcile(&self.store, person, now).await,
                None => Err(not_configured(service)),
            },
            super::ldap_writeback::SERVICE => match &self.services.ldap {
                Some(s) => s.reconcile(&self.store, person, now).await,
                None => Err(not_configured(service)),
            },
            other => Err(RemoteError::config(
                "unknown-service",
                crate::fl!("remote-err-unknown-service", service = other.to_string()),
            )),
        }
    }

    /// Whether a service may be called now, and how many rows: 0 (open), 1 (half-open probe) or the
    /// concurrency.
    fn allowance(&self, service: &'static str, now: Timestamp) -> usize {
        let c = self
            .circuits
            .lock()
            .map(|m| m.get(service).copied().unwrap_or_default())
            .unwrap_or_default();
        match c.open_until {
            None => self.limits.concurrency.max(1),
            Some(t) if t <= now => 1,
            Some(_) => 0,
        }
    }

    fn circuit(&self, service: &'static str, reachable: bool, now: Timestamp) {
        if let Ok(mut m) = self.circuits.lock() {
            let c = m.entry(service).or_default();
            if reachable {
                *c = Circuit::default();
            } else {
                c.failures += 1;
                let delay = backoff(c.failures.min(8), jitter()).min(Duration::from_secs(300));
                c.open_until = Some(later(now, delay));
            }
        }
    }

    /// Services whose circuit is open now.
    pub fn offline(&self) -> Vec<String> {
        let now = Timestamp::now();
        self.circuits
            .lock()
            .map(|m| {
                m.iter()
                    .filter(|(_, c)| c.open_until.is_some_and(|t| t > now))
                    .map(|(s, _)| s.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Runs everything due now, service by service, until nothing is due (or a circuit opens).
    pub async fn drain(&self) -> Report {
        let mut report = Report::default();
        let now = Timestamp::now();
        if let Err(e) = self
            .store
            .write(|tx| outbox::release_dead(tx, owner_is_dead, now))
        {
            tracing::error!("queue: cannot release the rows of stopped workers: {e}");
        }
        for service in self.services.names() {
            self.drain_service(service, &mut report).await;
        }
        report.offline = self.offline();
        report
    }

    async fn drain_service(&self, service: &'static str, report: &mut Report) {
        loop {
            let now = Timestamp::now();
            let n = self.allowance(service, now);
            if n == 0 {
                return;
            }
            let lease = later(now, self.limits.lease);
            let claimed = match self
                .store
                .write(|tx| outbox::claim(tx, service, &self.owner, now, lease, n))
            {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!("queue: cannot claim rows: {e}");
                    return;
                }
            };
            if claimed.is_empty() {
                return;
            }
            let started = std::time::Instant::now();
            let results =
                futures_join(claimed.iter().map(|c| self.run_one(service, c.subject_id))).await;
            let mut reachable = true;
            for (c, result) in claimed.iter().zip(results) {
                report.runs += 1;
                if let Err(e) = &result
                    && e.offline
                {
                    reachable = false;
                }
                self.record(c, result, report);
            }
            self.circuit(service, reachable, Timestamp::now());
            if !reachable {
                return;
            }
            if self.limits.rate_per_second > 0 {
                let budget = Duration::from_secs_f64(
                    claimed.len() as f64 / f64::from(self.limits.rate_per_second),
                );
                if let Some(rest) = budget.checked_sub(started.elapsed()) {
                    tokio::time::sleep(rest).await;
                }
            }
        }
    }

    fn record(&self, c: &Claimed, result: Result<String, RemoteError>, report: &mut Report) {
        let now = Timestamp::now();
        let outcome = self.store.write(|tx| match &result {
            Ok(summary) => outbox::succeed(tx, c, &self.owner, summary, now),
            Err(e) => {
                let tries = c.tries as u32 + 1;
                let (state, count_try) = match e.class {
                    Class::Retry if e.offline => (FailState::Retrying, false),
                    Class::Retry if tries >= self.limits.max_tries => (FailState::NeedsHuman, true),
                    Class::Retry => (FailState::Retrying, true),
                    Class::Human => (FailState::NeedsHuman, true),
                    Class::GiveUp => (FailState::GaveUp, true),
                };
                let wait = match e.retry_after {
                    Some(d) => d.max(Duration::from_secs(1)),
                    None if e.offline => Duration::from_secs(5),
                    None => backoff(tries, jitter()),
                };
                let f = Failure {
                    state,
                    code: &e.code,
                    message: &e.message,
                    operation: &e.operation,
                    blocking: e.blocking,
                    next_attempt: later(now, wait),
                    count_try,
                };
                outbox::fail(tx, c, &self.owner, &f, now)
            }
        });
        match (&result, outcome) {
            (_, Err(e)) => tracing::error!("queue: cannot record a result: {e}"),
            (_, Ok(false)) => tracing::warn!(row = c.id, "queue: lease lost before the result"),
            (Ok(_), Ok(true)) => report.done += 1,
            (Err(e), Ok(true)) => match e.class {
                Class::Retry if c.tries as u32 + 1 >= self.limits.max_tries && !e.offline => {
                    report.needs_human += 1
                }
                Class::Retry => report.retrying += 1,
                Class::Human => report.needs_human += 1,
                Class::GiveUp => report.gave_up += 1,
            },
        }
        if let Err(e) = &result {
            tracing::info!(service = %c.service, row = c.id, code = %e.code, "queue: {}", e.operation);
        }
    }

    /// When something is due next (rows or a circuit's probe), capped at `max`.
    pub fn next_wake(&self, max: Duration) -> Duration {
        let now = Timestamp::now();
        let mut next = later(now, max);
        for service in self.services.names() {
            if let Ok(Some(t)) = self.store.read(|c| outbox::next_due(c, service)) {
                let t = match self
                    .circuits
                    .lock()
                    .ok()
                    .and_then(|m| m.get(service).and_then(|c| c.open_until))
                {
                    Some(open) if open > t => open,
                    _ => t,
                };
                next = next.min(t);
            }
        }
        let d = next.duration_since(now);
        Duration::try_from(d)
            .unwrap_or(Duration::ZERO)
            .max(Duration::from_millis(50))
    }

    /// Drains for ever: after each drain, sleeps until the next due row, a circuit probe, or a wake-up.
    /// `on_drain` sees each report (the window refreshes its badge).
    pub async fn run(&self, mut on_drain: impl FnMut(&Report)) {
        loop {
            let report = self.drain().await;
            on_drain(&report);
            let wait = self.next_wake(Duration::from_secs(30));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.wake.notified() => {}
            }
        }
    }
}

fn host() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "guichet".into())
        .replace('/', "_")
}

/// Whether a lease owner (`host/pid/start`) is a process of this machine that no longer runs. Other
/// machines' leases (a shared database) and other systems are left to expire.
fn owner_is_dead(owner: &str) -> bool {
    let mut parts = owner.split('/');
    let (Some(h), Some(pid)) = (
        parts.next(),
        parts.next().and_then(|p| p.parse::<u32>().ok()),
    ) else {
        return false;
    };
    if h != host() || pid == std::process::id() {
        return false;
    }
    cfg!(target_os = "linux") && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

fn not_configured(service: &str) -> RemoteError {
    RemoteError::config(
        "not-configured",
        crate::fl!("remote-err-not-configured", service = service.to_string()),
    )
}

/// Runs futures concurrently on the current task (no extra crate: a small join over boxed futures).
async fn futures_join<F: std::future::Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    use std::pin::Pin;
    use std::task::Poll;
    let mut futs: Vec<Pin<Box<F>>> = futs.map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = futs.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in futs.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => out[i] = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1, 0.5), Duration::from_secs(2));
        assert_eq!(backoff(3, 0.5), Duration::from_secs(8));
        assert!(backoff(30, 1.0) <= Duration::from_secs(5400));
        assert!(backoff(0, 0.0) >= Duration::from_secs(1));
        assert!(backoff(4, 0.0) < backoff(4, 1.0));
    }

    #[tokio::test]
    async fn join_keeps_the_order() {
        let futs = (0..5).map(|i| async move {
            tokio::time::sleep(Duration::from_millis(10 * (5 - i))).await;
            i
        });
        assert_eq!(futures_join(futs).await, vec![0, 1, 2, 3, 4]);
    }
}
