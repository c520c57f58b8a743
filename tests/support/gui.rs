//! Shared iced_test helpers of the GUI tests: the simulated screen, finding and clicking by label.

use guichet::config::Config;
use guichet::gui::jobs::{self, Services};
use guichet::gui::{App, Effect, Message};

/// Height of the simulated screen: tall enough for the person panel and the whole Directory form.
pub const HEIGHT: f32 = 2000.0;

pub fn ui(app: &App) -> iced_test::Simulator<'_, Message> {
    iced_test::Simulator::with_size(
        iced::Settings::default(),
        iced::Size::new(1280.0, HEIGHT),
        app.view(),
    )
}

/// Clicks what `label` finds and applies the resulting messages with `drive`.
pub fn click(app: &mut App, label: &str, mut drive: impl FnMut(&mut App, Message)) -> bool {
    let mut sim = ui(app);
    if sim.click(label).is_err() {
        return false;
    }
    for m in sim.into_messages().collect::<Vec<_>>() {
        drive(app, m);
    }
    true
}

pub fn shows(app: &App, label: &str) -> bool {
    ui(app).find(label).is_ok()
}

/// Applies a message and every job it triggers, synchronously, as the window would. Printing and encoding
/// run with the same functions as the window's workers; dialogs are answered by the test with
/// `Message::Picked`.
pub fn drive(app: &mut App, msg: Message) {
    let mut queue = vec![msg];
    while let Some(m) = queue.pop() {
        for fx in app.handle(m) {
            match fx {
                Effect::Job(job) => queue.push(Message::Done(jobs::perform(&app.services, job))),
                Effect::Print(req) => {
                    let mut msgs = Vec::new();
                    guichet::gui::printing::execute(&app.services, &req, &mut |m| {
                        msgs.push(Message::Print(m))
                    });
                    msgs.reverse();
                    queue.extend(msgs);
                }
                Effect::Encode(req) => {
                    let mut msgs = Vec::new();
                    guichet::gui::encoding::execute(&app.services, &req, &mut |m| {
                        msgs.push(Message::Encode(m))
                    });
                    msgs.reverse();
                    queue.extend(msgs);
                }
                _ => {}
            }
        }
    }
}

/// The app on `store`, started as the window starts it (its start-up jobs applied with `drive`), with a
/// counter operator set.
pub fn start_with(
    dir: &std::path::Path,
    store: guichet::store::Store,
    drive: fn(&mut App, Message),
) -> App {
    let mut config = Config::default();
    config.desk.operator = Some("agent.accueil".into());
    let services = Services {
        store,
        config_file: dir.join("guichet.toml"),
        config,
        fresh: false,
    };
    let (mut app, fx) = App::new(services);
    for e in fx {
        if let Effect::Job(job) = e {
            let done = jobs::perform(&app.services, job);
            drive(&mut app, Message::Done(done));
        }
    }
    app
}

/// [`start_with`] and [`drive`].
pub fn start_on(dir: &std::path::Path, store: guichet::store::Store) -> App {
    start_with(dir, store, drive)
}

/// The app on the small fixture directory (`support::fixture_store`).
pub fn start(dir: &std::path::Path) -> App {
    start_on(dir, super::fixture_store(dir))
}
