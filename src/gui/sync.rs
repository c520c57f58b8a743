//! The directory sync as the window runs it: one sync at a time on a worker thread, its progress
//! forwarded to the window, Cancel, the mass-deletion confirmation, the background schedule with
//! exponential backoff while the directory is unreachable, and the status bar's line.
//!
//! Flow: a `Tick` from the subscription (every [`TICK`] while background sync is on) or "Synchronise
//! now" gives `Effect::Sync(SyncRequest)`; `task` runs `execute` on a thread that sends throttled
//! `Progress` messages and one `Finished(Outcome)` through a channel that iced turns into messages;
//! `Finished` schedules the next run and asks for the new status (`DirJob::Status`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use iced::{Subscription, Task};

use crate::config::Config;
use crate::directory::sync::{Phase, Progress};
use crate::fl;
use crate::gui::app::{self, Effect};
use crate::gui::dir_jobs::{self, DirJob, Outcome, SyncRequest};
use crate::gui::jobs::{Job, Services};
use crate::store::sync_state::SyncState;
use crate::ui_text;

/// How often the background schedule looks at the clock.
pub const TICK: Duration = Duration::from_secs(5);
/// Minimum time between two progress messages (a phase change is always sent).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// Retry delays while the directory is unreachable: 30 s, doubling, at most 30 min.
const BACKOFF_FIRST: Duration = Duration::from_secs(30);
const BACKOFF_MAX: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, Clone)]
pub enum Message {
    Tick(Instant),
    Start,
    Cancel,
    Progress(Progress),
    Finished(Outcome),
    ConfirmMassDelete,
    DismissMassDelete,
}

/// The sync in progress.
#[derive(Debug)]
pub struct Running {
    pub cancel: Arc<AtomicBool>,
    pub progress: Option<Progress>,
    pub background: bool,
    full: bool,
}

/// A sync stopped before a mass deletion, waiting for the operator.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub message: String,
    full: bool,
}

/// The end of the last sync of this session, for the Directory page.
#[derive(Debug, Clone)]
pub struct LastResult {
    pub message: String,
    pub problems: Vec<String>,
    pub error: bool,
}

/// How the status bar shows the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Warning,
}

#[derive(Debug, Default)]
pub struct SyncUi {
    pub running: Option<Running>,
    pub confirm: Option<Confirm>,
    pub last: Option<LastResult>,
    /// The `people` row of `sync_state`, read at start-up and after each sync.
    pub status: Option<SyncState>,
    due: Option<Instant>,
    failures: u32,
}

/// The background period, when background sync is on.
pub fn period(config: &Config) -> Option<Duration> {
    let d = &config.directory;
    (d.is_configured() && d.sync_every_minutes > 0)
        .then(|| Duration::from_secs(u64::from(d.sync_every_minutes) * 60))
}

/// The delay before retry number `failures` (1, 2, …) of an unreachable directory.
pub fn backoff(failures: u32) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(16);
    (BACKOFF_FIRST * factor).min(BACKOFF_MAX)
}

impl SyncUi {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// When the next background sync is due (`None`: at the next tick, or never when off).
    pub fn next_due(&self) -> Option<Instant> {
        self.due
    }

    /// Consecutive runs that found the directory unreachable.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn subscription(config: &Config) -> Subscription<Message> {
        if period(config).is_some() {
            iced::time::every(TICK).map(Message::Tick)
        } else {
            Subscription::none()
        }
    }

    fn start(&mut self, full: bool, allow_mass_delete: bool, background: bool) -> Vec<Effect> {
        if self.running.is_some() {
            return Vec::new(); // never two syncs at once
        }
        let cancel = Arc::new(AtomicBool::new(false));
        self.running = Some(Running {
            cancel: cancel.clone(),
            progress: None,
            background,
            full,
        });
        self.confirm = None;
        vec![Effect::Sync(SyncRequest {
            full,
            allow_mass_delete,
            background,
            cancel,
        })]
    }

    pub fn update(&mut self, config: &Config, msg: Message, now: Instant) -> Vec<Effect> {
        match msg {
            Message::Tick(at) => {
                let Some(_) = period(config) else {
                    self.due = None;
                    return Vec::new();
                };
                if self.running.is_some() || self.confirm.is_some() {
                    return Vec::new();
                }
                if self.due.is_none_or(|due| at >= due) {
                    return self.start(false, false, true);
                }
                Vec::new()
            }
            Message::Start => self.start(false, false, false),
            Message::Cancel => {
                if let Some(r) = &self.running {
                    r.cancel.store(true, Ordering::Relaxed);
                }
                Vec::new()
            }
            Message::Progress(p) => {
                if let Some(r) = &mut self.running {
                    r.progress = Some(p);
                }
                Vec::new()
            }
            Message::Finished(outcome) => {
                let full = self.running.take().is_some_and(|r| r.full);
                self.finished(config, outcome, full, now);
                vec![Effect::Job(Job::Dir(DirJob::Status))]
            }
            Message::ConfirmMassDelete => match self.confirm.take() {
                Some(c) => self.start(c.full, true, false),
                None => Vec::new(),
            },
            Message::DismissMassDelete => {
                self.confirm = None;
                Vec::new()
            }
        }
    }

    fn finished(&mut self, config: &Config, outcome: Outcome, full: bool, now: Instant) {
        let mut unreachable = false;
        self.last = Some(match outcome {
            Outcome::Done(report) => LastResult {
                message: ui_text::sync_report(&report),
                problems: report.problems.clone(),
                error: false,
            },
            Outcome::MassDelete(message) => {
                self.confirm = Some(Confirm {
                    message: message.clone(),
                    full,
                });
                LastResult {
                    message,
                    problems: Vec::new(),
                    error: true,
                }
            }
            Outcome::Failed {
                message,
                unreachable: u,
            } => {
                unreachable = u;
                LastResult {
                    message,
                    problems: Vec::new(),
                    error: true,
                }
            }
            Outcome::Cancelled(message) => LastResult {
                message,
                problems: Vec::new(),
                error: false,
            },
        });
        self.failures = if unreachable { self.failures + 1 } else { 0 };
        self.due = period(config).map(|p| {
            if unreachable {
                now + backoff(self.failures)
            } else {
                now + p
            }
        });
    }

    /// After the settings change: the schedule restarts from now with the new period.
    pub fn settings_changed(&mut self, config: &Config, now: Instant) {
        self.failures = 0;
        self.due = period(config).map(|p| now + p);
    }

    /// The status bar's line about the directory, if there is anything to say.
    pub fn status_line(&self, config: &Config) -> Option<(String, Tone)> {
        if let Some(r) = &self.running {
            return Some((
                match &r.progress {
                    Some(p) => fl!(
                        "status-sync-running",
                        phase = ui_text::phase(p.phase),
                        seen = p.seen.to_string()
                    ),
                    None => fl!("status-sync-starting"),
                },
                Tone::Normal,
            ));
        }
        if self.confirm.is_some() {
            return Some((fl!("status-sync-confirm"), Tone::Warning));
        }
        let st = self.status.as_ref();
        if let Some(since) = st.and_then(|s| s.offline_since) {
            return Some((
                fl!("status-sync-offline", since = ui_text::datetime(since)),
                Tone::Warning,
            ));
        }
        if st.is_some_and(|s| s.last_error.is_some()) {
            return Some((fl!("status-sync-failed"), Tone::Warning));
        }
        if let Some(at) = st.and_then(|s| s.last_ok_at) {
            return Some((
                fl!("status-sync-ok", at = ui_text::datetime(at)),
                Tone::Normal,
            ));
        }
        config
            .directory
            .is_configured()
            .then(|| (fl!("status-sync-never"), Tone::Normal))
    }
}

/// Runs a sync to the end on the calling thread, emitting throttled `Progress` messages and then one
/// `Finished`. The window calls it on a worker thread (`task`); the tests call it directly.
pub fn execute(services: &Services, req: &SyncRequest, emit: &(dyn Fn(Message) + Sync)) {
    let last: Mutex<Option<(Instant, Phase)>> = Mutex::new(None);
    let progress = |p: Progress| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        let send =
            last.is_none_or(|(at, phase)| phase != p.phase || at.elapsed() >= PROGRESS_EVERY);
        if send {
            *last = Some((Instant::now(), p.phase));
            emit(Message::Progress(p));
        }
    };
    let outcome = dir_jobs::run_sync(services, req, &progress);
    emit(Message::Finished(outcome));
}

/// The iced Task of a sync: a worker thread runs `execute`; its messages come back through a channel.
pub fn task(services: Services, req: SyncRequest) -> Task<app::Message> {
    let (tx, rx) = iced::futures::channel::mpsc::unbounded();
    let spawned = std::thread::Builder::new()
        .name("guichet-sync".into())
        .spawn(move || {
            // The window may be closing: a message nobody receives is not an error.
            let emit = |m| {
                let _ = tx.unbounded_send(app::Message::Sync(m));
            };
            let run = std::panic::AssertUnwindSafe(|| execute(&services, &req, &emit));
            if let Err(panic) = std::panic::catch_unwind(run) {
                // Without a `Finished` the window would wait for this sync forever.
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                emit(Message::Finished(Outcome::Failed {
                    message,
                    unreachable: false,
                }));
            }
        });
    match spawned {
        Ok(_) => Task::stream(rx),
        Err(e) => Task::done(app::Message::Sync(Message::Finished(Outcome::Failed {
            message: e.to_string(),
            unreachable: false,
        }))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured(every: u32) -> Config {
        let mut c = Config::default();
        c.directory.url = Some("ldap://127.0.0.1:1".into());
        c.directory.people_base = Some("ou=people,dc=example,dc=org".into());
        c.directory.sync_every_minutes = every;
        c
    }

    fn unreachable() -> Outcome {
        Outcome::Failed {
            message: "down".into(),
            unreachable: true,
        }
    }

    #[test]
    fn backoff_doubles_up_to_half_an_hour() {
        let secs: Vec<u64> = (1..=9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1800, 1800, 1800]);
        assert_eq!(backoff(1000).as_secs(), 1800);
    }

    #[test]
    fn background_runs_once_at_a_time_and_backs_off() {
        let config = configured(15);
        let mut s = SyncUi::default();
        let t0 = Instant::now();
        let fx = s.update(&config, Message::Tick(t0), t0);
        assert!(matches!(fx.as_slice(), [Effect::Sync(r)] if r.background));
        assert!(s.update(&config, Message::Tick(t0), t0).is_empty());
        assert!(
            s.update(&config, Message::Start, t0).is_empty(),
            "never two"
        );
        s.update(&config, Message::Finished(unreachable()), t0);
        assert_eq!(s.next_due(), Some(t0 + Duration::from_secs(30)));
        assert!(s.update(&config, Message::Tick(t0 + TICK), t0).is_empty());
        let t1 = t0 + Duration::from_secs(30);
        assert_eq!(s.update(&config, Message::Tick(t1), t1).len(), 1);
        s.update(&config, Message::Finished(unreachable()), t1);
        assert_eq!(s.next_due(), Some(t1 + Duration::from_secs(60)));
        assert_eq!(s.failures(), 2);
        let t2 = t1 + Duration::from_secs(60);
        s.update(&config, Message::Tick(t2), t2);
        let report = Outcome::Done(Box::default());
        s.update(&config, Message::Finished(report), t2);
        assert_eq!(s.failures(), 0, "reset after success");
        assert_eq!(s.next_due(), Some(t2 + Duration::from_secs(15 * 60)));
    }

    #[test]
    fn mass_delete_waits_for_the_operator() {
        let config = configured(15);
        let mut s = SyncUi::default();
        let t0 = Instant::now();
        s.update(&config, Message::Start, t0);
        s.update(
            &config,
            Message::Finished(Outcome::MassDelete("x".into())),
            t0,
        );
        assert!(s.confirm.is_some());
        let later = t0 + Duration::from_secs(3600);
        assert!(
            s.update(&config, Message::Tick(later), later).is_empty(),
            "no background run while a confirmation is pending"
        );
        let fx = s.update(&config, Message::ConfirmMassDelete, later);
        assert!(matches!(fx.as_slice(), [Effect::Sync(r)] if r.allow_mass_delete && !r.background));
        assert!(s.confirm.is_none());
    }

    #[test]
    fn off_without_period_or_settings() {
        let mut s = SyncUi::default();
        let t0 = Instant::now();
        assert!(s.update(&configured(0), Message::Tick(t0), t0).is_empty());
        assert!(
            s.update(&Config::default(), Message::Tick(t0), t0)
                .is_empty()
        );
        // "Synchronise now" still works when the background schedule is off.
        assert_eq!(s.update(&configured(0), Message::Start, t0).len(), 1);
    }

    #[test]
    fn cancel_sets_the_flag() {
        let config = configured(0);
        let mut s = SyncUi::default();
        let t0 = Instant::now();
        let fx = s.update(&config, Message::Start, t0);
        let Some(Effect::Sync(req)) = fx.first() else {
            panic!("a sync effect");
        };
        s.update(&config, Message::Cancel, t0);
        assert!(req.cancel.load(Ordering::Relaxed));
    }
}
