//! The window's queue wiring, kept out of `app.rs`: the worker in the window (started when a service is
//! on, started again when Settings → Services is saved, woken after a card action), its reports, the
//! badge of the status bar, and the results of the queue jobs, dispatched to the Queue screen and to
//! Settings → Services.

use std::sync::Arc;

use iced::widget::{button, row, text};
use iced::{Element, Subscription};
use jiff::Timestamp;
use tokio::sync::Notify;

use super::app::{App, Effect, Message, Screen};
use super::jobs::Job;
use super::queue_jobs::{QueueDone, QueueJob, WorkerMsg, WorkerRequest};
use super::screens::queue::view::service_name;
use super::screens::settings;
use super::sync::Tone;
use crate::config::Config;
use crate::fl;
use crate::store::outbox::Badge;
use crate::ui_text;

/// How often the badge is read again besides the worker's reports.
pub const BADGE_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// The worker as the window sees it.
#[derive(Debug, Default)]
pub struct QueueUi {
    pub badge: Option<Badge>,
    /// The running worker's bell and stop switch.
    wake: Option<Arc<Notify>>,
    stop: Option<Arc<Notify>>,
    pub running: Vec<String>,
    /// Services switched on that could not start (service, message).
    pub problems: Vec<(String, String)>,
    /// Services whose circuit is open, and since when.
    pub offline: Vec<String>,
    pub offline_since: Option<Timestamp>,
}

/// Whether a service is switched on in the settings.
pub fn any_service(config: &Config) -> bool {
    config.crous.enabled || config.escr.enabled || config.writeback.enabled
}

impl QueueUi {
    /// The worker's bell: rung after a card action (its outbox rows are due now).
    pub fn wake(&self) {
        if let Some(w) = &self.wake {
            w.notify_one();
        }
    }

    /// Stops the running worker (if any) and starts one with the current settings when a service is on.
    pub fn restart(&mut self, config: &Config) -> Vec<Effect> {
        if let Some(stop) = self.stop.take() {
            stop.notify_one();
        }
        self.wake = None;
        self.running.clear();
        self.problems.clear();
        self.offline.clear();
        self.offline_since = None;
        if !any_service(config) {
            return Vec::new();
        }
        let req = WorkerRequest {
            wake: Arc::new(Notify::new()),
            stop: Arc::new(Notify::new()),
        };
        self.wake = Some(req.wake.clone());
        self.stop = Some(req.stop.clone());
        vec![Effect::Worker(req)]
    }

    /// The status bar's line about the services, if there is anything to say.
    pub fn status_line(&self) -> Option<(String, Tone)> {
        if !self.offline.is_empty() {
            let names: Vec<String> = self.offline.iter().map(|s| service_name(s)).collect();
            let since = self
                .offline_since
                .map(ui_text::datetime)
                .unwrap_or_default();
            return Some((
                fl!(
                    "status-queue-offline",
                    services = names.join(", "),
                    since = since
                ),
                Tone::Warning,
            ));
        }
        if !self.problems.is_empty() {
            let names: Vec<String> = self.problems.iter().map(|(s, _)| service_name(s)).collect();
            return Some((
                fl!("status-queue-not-started", services = names.join(", ")),
                Tone::Warning,
            ));
        }
        None
    }

    pub fn subscription(starting: bool) -> Subscription<Message> {
        if starting {
            return Subscription::none();
        }
        iced::time::every(BADGE_EVERY).map(|_| Message::Worker(WorkerMsg::Tick))
    }
}

impl App {
    pub(super) fn on_worker(&mut self, msg: WorkerMsg) -> Vec<Effect> {
        let badge = Effect::Job(Job::Queue(QueueJob::Badge));
        match msg {
            WorkerMsg::Started { running, problems } => {
                self.queue_ui.running = running;
                self.queue_ui.problems = problems;
                Vec::new()
            }
            WorkerMsg::Drained(report) => {
                if report.offline.is_empty() {
                    self.queue_ui.offline_since = None;
                } else if self.queue_ui.offline_since.is_none() {
                    self.queue_ui.offline_since = Some(Timestamp::now());
                }
                self.queue_ui.offline = report.offline;
                let mut fx = vec![badge];
                if self.screen == Screen::Queue && report.runs > 0 {
                    fx.extend(self.queue.reload());
                }
                fx
            }
            WorkerMsg::Tick => vec![badge],
        }
    }

    pub(super) fn on_queue_done(&mut self, done: QueueDone) -> Vec<Effect> {
        match done {
            QueueDone::Badge(b) => {
                self.queue_ui.badge = Some(b);
                Vec::new()
            }
            QueueDone::Changed(m) => {
                // Retried or re-armed rows are due now; the Desk's open person may have changed.
                self.queue_ui.wake();
                let mut fx = self.queue.on_done(QueueDone::Changed(m));
                fx.push(Effect::Job(Job::Queue(QueueJob::Badge)));
                fx.extend(self.desk.reload());
                fx
            }
            d @ (QueueDone::Loaded { .. }
            | QueueDone::Exported(_)
            | QueueDone::Compared { .. }
            | QueueDone::Patch { .. }) => self.queue.on_done(d),
            QueueDone::Failed(m) if self.screen == Screen::Queue => {
                self.queue.on_done(QueueDone::Failed(m))
            }
            d => {
                let (saved, mut fx) = self.services_tab.on_done(&self.services.config, d);
                if saved {
                    self.status = Some(fl!("status-settings-saved"));
                    fx.extend(self.queue_ui.restart(&self.services.config));
                    fx.extend(self.desk.reload());
                }
                fx
            }
        }
    }

    pub(super) fn on_services_tab(&mut self) -> Vec<Effect> {
        self.settings.tab = settings::Tab::Services;
        self.services_tab.open()
    }

    /// The badge of the status bar: rows waiting and, in the error colour, rows needing a human.
    pub(super) fn queue_badge(&self) -> Option<Element<'_, Message>> {
        let b = self.queue_ui.badge?;
        if b.waiting == 0 && b.needs_human == 0 && !any_service(&self.services.config) {
            return None;
        }
        let mut content = row![text(fl!("status-queue", count = b.waiting)).size(12)].spacing(6);
        if b.needs_human > 0 {
            content = content.push(
                text(fl!("status-queue-human", count = b.needs_human))
                    .size(12)
                    .style(text::danger),
            );
        }
        Some(
            button(content)
                .on_press(Message::Navigate(Screen::Queue))
                .style(button::text)
                .padding([0, 4])
                .into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_runs_only_with_a_service_on_and_restarts_cleanly() {
        let mut ui = QueueUi::default();
        let mut config = Config::default();
        assert!(ui.restart(&config).is_empty(), "no service, no worker");
        config.crous.enabled = true;
        let fx = ui.restart(&config);
        let Some(Effect::Worker(first)) = fx.first() else {
            panic!("a worker");
        };
        let first = first.clone();
        ui.wake();
        let fx = ui.restart(&config);
        assert!(matches!(fx.as_slice(), [Effect::Worker(_)]));
        // The first worker's stop and wake carry a permit: it stops at once, and was woken.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let quick = std::time::Duration::from_millis(100);
            assert!(
                tokio::time::timeout(quick, first.stop.notified())
                    .await
                    .is_ok()
            );
            assert!(
                tokio::time::timeout(quick, first.wake.notified())
                    .await
                    .is_ok()
            );
        });
    }

    #[test]
    fn offline_services_are_named_in_the_status_bar() {
        let mut ui = QueueUi::default();
        assert_eq!(ui.status_line(), None);
        ui.problems = vec![("escr".into(), "no key".into())];
        let (line, tone) = ui.status_line().unwrap();
        assert!(line.contains(&service_name("escr")) && tone == Tone::Warning);
        ui.offline = vec!["crous".into()];
        ui.offline_since = Some(Timestamp::UNIX_EPOCH);
        let (line, _) = ui.status_line().unwrap();
        assert!(line.contains(&service_name("crous")) && !line.contains(&service_name("escr")));
    }
}
