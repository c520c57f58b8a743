//! Reader and card events for the status bar and the encoding screen: a dedicated thread waits on the
//! PC/SC service (`SCardGetStatusChange` on the readers plus the `\\?PnP?\Notification` pseudo-reader,
//! crates.md §4) and reports readers plugged in or out, cards put on or taken off, and the service itself
//! going away or coming back. The wait is blocking, hence the thread; [`subscription`] turns the events
//! into an iced subscription.

use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use pcsc::{Context, PNP_NOTIFICATION, ReaderState, State};

use super::pcsc::{Pcsc, ReaderStatus, status_of};

/// What changed on the PC/SC side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    ReaderAdded(String),
    ReaderRemoved(String),
    CardPresent {
        reader: String,
        atr: Vec<u8>,
    },
    CardRemoved {
        reader: String,
    },
    /// The service is not running (or just stopped): no readers until [`ReaderEvent::ServiceBack`].
    ServiceUnavailable,
    ServiceBack,
}

/// The longest blocking wait: a bound on how late a stop request or a reader missed by the PnP notification
/// (platforms without it) is seen. Hot-plug must show within a second.
const WAIT: Duration = Duration::from_millis(500);
/// How often the service is looked for again while it is absent.
pub const DEFAULT_RETRY: Duration = Duration::from_secs(3);

/// The monitor thread; dropping the value stops it (the blocking wait is cancelled) and joins it.
pub struct Monitor {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    stop: AtomicBool,
    /// The context of the current wait, so that `Drop` can cancel it.
    context: Mutex<Option<Context>>,
    /// `None` while the service is unavailable.
    readers: Mutex<Option<Vec<ReaderStatus>>>,
    /// Wakes the retry sleep on stop.
    wake: (Mutex<()>, Condvar),
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Sleeps `d` unless stopped first; returns whether the monitor is stopping.
    fn sleep(&self, d: Duration) -> bool {
        let (m, cv) = &self.wake;
        let guard = lock(m);
        let _unused = cv
            .wait_timeout_while(guard, d, |_| !self.stopped())
            .unwrap_or_else(|e| e.into_inner());
        self.stopped()
    }

    fn publish(&self, readers: Option<Vec<ReaderStatus>>) {
        *lock(&self.readers) = readers;
    }
}

impl Monitor {
    /// Starts watching; `on_event` runs on the monitor thread for each event, in order.
    pub fn start(on_event: impl FnMut(ReaderEvent) + Send + 'static) -> std::io::Result<Monitor> {
        Monitor::with_retry(DEFAULT_RETRY, on_event)
    }

    /// Like [`Monitor::start`], looking for an absent service every `retry`.
    pub fn with_retry(
        retry: Duration,
        mut on_event: impl FnMut(ReaderEvent) + Send + 'static,
    ) -> std::io::Result<Monitor> {
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            context: Mutex::new(None),
            readers: Mutex::new(Some(Vec::new())),
            wake: (Mutex::new(()), Condvar::new()),
        });
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("guichet-readers".into())
            .spawn(move || run(&thread_shared, retry, &mut on_event))?;
        Ok(Monitor {
            shared,
            thread: Some(thread),
        })
    }

    /// The readers as last seen, SAM slots left out; empty while the service is unavailable.
    pub fn snapshot(&self) -> Vec<ReaderStatus> {
        lock(&self.shared.readers).clone().unwrap_or_default()
    }

    /// Whether the PC/SC service was reachable at the last look.
    pub fn service_available(&self) -> bool {
        lock(&self.shared.readers).is_some()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(ctx) = lock(&self.shared.context).as_ref() {
            // Not waiting at this instant is fine: the wait then ends within `WAIT`.
            let _ = ctx.cancel();
        }
        {
            let (m, cv) = &self.shared.wake;
            let _guard = lock(m);
            cv.notify_all();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Why a watch over one context ended.
enum End {
    Stopped,
    ServiceLost,
}

fn run(shared: &Shared, retry: Duration, emit: &mut dyn FnMut(ReaderEvent)) {
    let mut available = true;
    loop {
        if shared.stopped() {
            return;
        }
        match Pcsc::establish() {
            Ok(pcsc) => {
                if !available {
                    emit(ReaderEvent::ServiceBack);
                }
                let ctx = pcsc.context().clone();
                *lock(&shared.context) = Some(ctx.clone());
                let end = watch(shared, &ctx, emit);
                *lock(&shared.context) = None;
                match end {
                    End::Stopped => return,
                    End::ServiceLost => {
                        shared.publish(None);
                        emit(ReaderEvent::ServiceUnavailable);
                        available = false;
                    }
                }
            }
            Err(e) => {
                if available {
                    tracing::info!("card readers: {e}");
                    shared.publish(None);
                    emit(ReaderEvent::ServiceUnavailable);
                    available = false;
                }
            }
        }
        if shared.sleep(retry) {
            return;
        }
    }
}

/// Errors after which the context is useless: the service stopped (or restarted).
fn service_lost(e: pcsc::Error) -> bool {
    use pcsc::Error as E;
    matches!(
        e,
        E::NoService | E::ServiceStopped | E::InvalidHandle | E::CommError
    )
}

/// Watches the readers of one context until the service goes away or the monitor stops.
fn watch(shared: &Shared, ctx: &Context, emit: &mut dyn FnMut(ReaderEvent)) -> End {
    // states[0] is the PnP pseudo-reader; states[i + 1] belongs to known[i].
    let mut states = vec![ReaderState::new(PNP_NOTIFICATION(), State::UNAWARE)];
    let mut known: Vec<ReaderStatus> = Vec::new();
    let lost = |known: &mut Vec<ReaderStatus>, emit: &mut dyn FnMut(ReaderEvent)| {
        for event in reader_list_events(known, &[]).0 {
            emit(event);
        }
        End::ServiceLost
    };
    loop {
        if shared.stopped() {
            return End::Stopped;
        }
        let names: Vec<String> = match ctx.list_readers_owned() {
            Ok(names) => names
                .iter()
                .map(|n| n.to_string_lossy().into_owned())
                .filter(|n| !super::pcsc::is_sam_slot(n))
                .filter(|n| CString::new(n.as_str()).is_ok())
                .collect(),
            Err(e) if service_lost(e) => return lost(&mut known, emit),
            Err(e) => {
                tracing::warn!("card readers: cannot list the readers: {e}");
                if shared.sleep(WAIT) {
                    return End::Stopped;
                }
                continue;
            }
        };
        let (events, removed, added) = reader_list_events(&mut known, &names);
        for i in removed.into_iter().rev() {
            states.remove(i + 1);
        }
        for name in added {
            // Names holding a NUL byte were filtered out above.
            if let Ok(c) = CString::new(name) {
                states.push(ReaderState::new(c, State::UNAWARE));
            }
        }
        // The snapshot is up to date before the events go out: a receiver may look at it at once.
        shared.publish(Some(known.clone()));
        for event in events {
            emit(event);
        }
        for rs in &mut states {
            rs.sync_current_state();
        }
        match ctx.get_status_change(WAIT, &mut states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout | pcsc::Error::Cancelled | pcsc::Error::UnknownReader) => {
                continue;
            }
            Err(e) if service_lost(e) => return lost(&mut known, emit),
            Err(e) => {
                tracing::warn!("card readers: waiting for changes failed: {e}");
                if shared.sleep(WAIT) {
                    return End::Stopped;
                }
                continue;
            }
        }
        let mut events = Vec::new();
        for (status, rs) in known.iter_mut().zip(states.iter().skip(1)) {
            if rs.event_state().intersects(State::UNKNOWN | State::IGNORE) {
                // The reader is going away: the next listing reports it.
                continue;
            }
            let now = status_of(rs).atr;
            events.extend(card_events(
                &status.name,
                status.atr.as_deref(),
                now.as_deref(),
            ));
            status.atr = now;
        }
        shared.publish(Some(known.clone()));
        for event in events {
            emit(event);
        }
    }
}

/// Brings `known` in line with the listed `names`: the events to emit (a reader leaving with a card first
/// loses its card), the indices removed from `known` (ascending) and the names appended to it.
fn reader_list_events(
    known: &mut Vec<ReaderStatus>,
    names: &[String],
) -> (Vec<ReaderEvent>, Vec<usize>, Vec<String>) {
    let mut events = Vec::new();
    let mut removed = Vec::new();
    let mut index = 0;
    known.retain(|status| {
        let keep = names.contains(&status.name);
        if !keep {
            if status.atr.is_some() {
                events.push(ReaderEvent::CardRemoved {
                    reader: status.name.clone(),
                });
            }
            events.push(ReaderEvent::ReaderRemoved(status.name.clone()));
            removed.push(index);
        }
        index += 1;
        keep
    });
    let mut added = Vec::new();
    for name in names {
        if !known.iter().any(|s| &s.name == name) {
            known.push(ReaderStatus {
                name: name.clone(),
                atr: None,
            });
            events.push(ReaderEvent::ReaderAdded(name.clone()));
            added.push(name.clone());
        }
    }
    (events, removed, added)
}

/// The events of one reader whose card went from `before` to `now` (ATRs; `None` = no card). A different
/// ATR means the card was swapped between two looks.
fn card_events(reader: &str, before: Option<&[u8]>, now: Option<&[u8]>) -> Vec<ReaderEvent> {
    let removed = || ReaderEvent::CardRemoved {
        reader: reader.to_string(),
    };
    let present = |atr: &[u8]| ReaderEvent::CardPresent {
        reader: reader.to_string(),
        atr: atr.to_vec(),
    };
    match (before, now) {
        (None, Some(atr)) => vec![present(atr)],
        (Some(_), None) => vec![removed()],
        (Some(a), Some(b)) if a != b => vec![removed(), present(b)],
        _ => Vec::new(),
    }
}

/// The reader events as an iced subscription: the monitor runs while the subscription is active and stops
/// when it is dropped (the stream owns the [`Monitor`]).
pub fn subscription() -> iced::Subscription<ReaderEvent> {
    iced::Subscription::run(events)
}

/// The stream behind [`subscription`]: a [`Monitor`] starts when it is first polled and stops when the
/// stream is dropped.
pub fn events() -> impl iced::futures::Stream<Item = ReaderEvent> {
    use iced::futures::{SinkExt, StreamExt};
    iced::stream::channel(
        64,
        async |mut output: iced::futures::channel::mpsc::Sender<ReaderEvent>| {
            let (tx, mut rx) = iced::futures::channel::mpsc::unbounded();
            let monitor = Monitor::start(move |event| {
                // The subscription may be ending: an event nobody receives is not an error.
                let _ = tx.unbounded_send(event);
            });
            let _monitor = match monitor {
                Ok(m) => m,
                Err(e) => {
                    tracing::error!("card readers: cannot start the monitor thread: {e}");
                    let _ = output.send(ReaderEvent::ServiceUnavailable).await;
                    return;
                }
            };
            while let Some(event) = rx.next().await {
                if output.send(event).await.is_err() {
                    break;
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn status(name: &str, atr: Option<&[u8]>) -> ReaderStatus {
        ReaderStatus {
            name: name.into(),
            atr: atr.map(<[u8]>::to_vec),
        }
    }

    #[test]
    fn listing_changes_become_events() {
        let mut known = vec![
            status("A", Some(&[1])),
            status("B", None),
            status("C", None),
        ];
        let (events, removed, added) =
            reader_list_events(&mut known, &["B".to_string(), "D".to_string()]);
        assert_eq!(
            events,
            vec![
                ReaderEvent::CardRemoved { reader: "A".into() },
                ReaderEvent::ReaderRemoved("A".into()),
                ReaderEvent::ReaderRemoved("C".into()),
                ReaderEvent::ReaderAdded("D".into()),
            ]
        );
        assert_eq!(removed, vec![0, 2]);
        assert_eq!(added, vec!["D".to_string()]);
        assert_eq!(known, vec![status("B", None), status("D", None)]);
        let (events, removed, added) = reader_list_events(&mut known, &["B".into(), "D".into()]);
        assert!(events.is_empty() && removed.is_empty() && added.is_empty());
    }

    #[test]
    fn card_changes_become_events() {
        let present = |atr: &[u8]| ReaderEvent::CardPresent {
            reader: "R".into(),
            atr: atr.to_vec(),
        };
        let removed = ReaderEvent::CardRemoved { reader: "R".into() };
        assert_eq!(
            card_events("R", None, Some(&[1, 2])),
            vec![present(&[1, 2])]
        );
        assert_eq!(card_events("R", Some(&[1, 2]), None), vec![removed.clone()]);
        assert_eq!(
            card_events("R", Some(&[1]), Some(&[2])),
            vec![removed, present(&[2])]
        );
        assert!(card_events("R", Some(&[1]), Some(&[1])).is_empty());
        assert!(card_events("R", None, None).is_empty());
    }

    /// Whatever the machine has (a running pcscd or none), the monitor stops promptly when dropped.
    #[test]
    fn dropping_the_monitor_stops_its_thread_promptly() {
        let monitor = Monitor::with_retry(Duration::from_secs(60), |_| {}).expect("start");
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        drop(monitor);
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
