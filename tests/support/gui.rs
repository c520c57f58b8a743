//! Shared iced_test helpers of the GUI tests: the simulated screen, finding and clicking by label.

use guichet::gui::{App, Message};

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
