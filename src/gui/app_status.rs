//! The window's status bar: the database, the counts, the readers', directory's and queue's warnings and
//! the queue badge.

use iced::widget::{container, row, text};
use iced::{Alignment, Element, Length};

use super::app::{App, Message};
use super::sync::Tone;
use super::theme;
use crate::fl;

impl App {
    pub(super) fn status_bar(&self) -> Element<'_, Message> {
        let counts = match (&self.counts, self.starting) {
            (_, true) => self.status.clone().unwrap_or_else(|| fl!("status-opening")),
            (Some(c), false) => fl!(
                "status-counts",
                persons = c.persons,
                cards = c.cards,
                enabled = c.enabled_cards,
                pending = c.pending_requests
            ),
            (None, false) => String::new(),
        };
        let right = if self.starting {
            String::new()
        } else {
            self.status.clone().unwrap_or_default()
        };
        let tone = |l: Option<(String, Tone)>| match l {
            Some((line, Tone::Warning)) => Some(text(line).size(12).style(theme::warning_text)),
            Some((line, Tone::Normal)) => Some(text(line).size(12)),
            None => None,
        };
        let directory = tone(self.sync.status_line(&self.services.config));
        let readers = tone(self.readers.status_line());
        let queue = tone(self.queue_ui.status_line());
        // The database and the counts never wrap; the warnings share the rest of the bar and wrap there.
        let no_wrap = |s: String| {
            text(s)
                .size(12)
                .wrapping(iced::widget::text::Wrapping::None)
        };
        let mut warnings = iced::widget::Row::new()
            .spacing(20)
            .align_y(Alignment::Center)
            .width(Length::Fill);
        for t in [readers, directory, queue].into_iter().flatten() {
            warnings = warnings.push(t.width(Length::FillPortion(1)));
        }
        container(
            row![
                no_wrap(fl!(
                    "status-database",
                    path = self.services.store.path().display().to_string()
                )),
                no_wrap(counts),
                warnings,
                self.queue_badge().unwrap_or_else(|| text("").into()),
                text(right).size(12),
            ]
            .spacing(20)
            .align_y(Alignment::Center),
        )
        .padding([6, 12])
        .width(Length::Fill)
        .style(theme::chrome)
        .into()
    }
}
