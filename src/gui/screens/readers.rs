//! Card readers as the window knows them, fed by the PC/SC monitor (`nfc::monitor`): the status bar's line
//! and Settings → Readers. Hot-plug and card presence arrive as events; SAM slots are already left out by
//! the monitor.

use std::collections::BTreeMap;

use iced::widget::{Column, column, container, row, text};
use iced::{Element, Length};

use crate::fl;
use crate::gui::sync::Tone;
use crate::gui::theme;
use crate::gui::widgets::banner::notice;
use crate::nfc::monitor::ReaderEvent;
use crate::ui_text;

#[derive(Debug, Default)]
pub struct State {
    /// `None` until the monitor has spoken; `Some(false)` when the PC/SC service is not running.
    pub service: Option<bool>,
    /// Readers by name, with the ATR of the card on them.
    pub readers: BTreeMap<String, Option<Vec<u8>>>,
    /// The last event, in words (Settings → Readers).
    pub last: Option<String>,
}

impl State {
    pub fn apply(&mut self, event: ReaderEvent) {
        self.last = Some(ui_text::reader_event(&event));
        match event {
            ReaderEvent::ReaderAdded(name) => {
                self.service = Some(true);
                self.readers.entry(name).or_insert(None);
            }
            ReaderEvent::ReaderRemoved(name) => {
                self.readers.remove(&name);
            }
            ReaderEvent::CardPresent { reader, atr } => {
                self.service = Some(true);
                self.readers.insert(reader, Some(atr));
            }
            ReaderEvent::CardRemoved { reader } => {
                if let Some(card) = self.readers.get_mut(&reader) {
                    *card = None;
                }
            }
            ReaderEvent::ServiceUnavailable => {
                self.service = Some(false);
                self.readers.clear();
            }
            ReaderEvent::ServiceBack => self.service = Some(true),
        }
    }

    /// The status bar's words: the readers and whether a card is on them, or why there are none.
    pub fn status_line(&self) -> Option<(String, Tone)> {
        match self.service {
            None => None,
            Some(false) => Some((fl!("readers-status-no-service"), Tone::Warning)),
            Some(true) if self.readers.is_empty() => {
                Some((fl!("readers-status-none"), Tone::Normal))
            }
            Some(true) => {
                let cards: usize = self.readers.values().filter(|c| c.is_some()).count();
                Some((
                    fl!(
                        "readers-status",
                        readers = self.readers.len(),
                        cards = cards
                    ),
                    Tone::Normal,
                ))
            }
        }
    }

    pub fn view<'a, M: 'a>(&'a self) -> Element<'a, M> {
        let mut col = Column::new()
            .spacing(10)
            .push(text(fl!("readers-title")).size(22))
            .push(text(fl!("readers-help")).size(13));
        match self.service {
            None => col = col.push(text(fl!("readers-waiting")).size(14)),
            Some(false) => {
                col = col.push(notice(
                    ui_text::reader_error(&crate::nfc::transport::TransportError::NoService),
                    true,
                ))
            }
            Some(true) if self.readers.is_empty() => {
                col = col.push(text(ui_text::no_readers()).size(14))
            }
            Some(true) => {
                for (name, card) in &self.readers {
                    let state = match card {
                        Some(atr) => {
                            fl!("readers-card-present", atr = ui_text::hex_bytes(atr, " "))
                        }
                        None => fl!("readers-no-card"),
                    };
                    col = col.push(
                        container(
                            column![text(name.clone()).size(15), text(state).size(13)].spacing(4),
                        )
                        .padding(10)
                        .width(Length::Fill)
                        .style(theme::section),
                    );
                }
            }
        }
        if let Some(last) = &self.last {
            col = col.push(row![
                text(fl!("readers-last", event = last.clone())).size(12)
            ]);
        }
        container(col).padding(20).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_keep_the_list_of_readers_and_cards() {
        let mut s = State::default();
        assert!(s.status_line().is_none(), "nothing said before the monitor");
        s.apply(ReaderEvent::ServiceUnavailable);
        assert_eq!(s.status_line().map(|l| l.1), Some(Tone::Warning));
        s.apply(ReaderEvent::ServiceBack);
        s.apply(ReaderEvent::ReaderAdded("R1".into()));
        s.apply(ReaderEvent::ReaderAdded("R2".into()));
        s.apply(ReaderEvent::CardPresent {
            reader: "R2".into(),
            atr: vec![0x3B, 0x81],
        });
        assert_eq!(s.readers.len(), 2);
        assert_eq!(s.readers["R2"], Some(vec![0x3B, 0x81]));
        let line = s.status_line().unwrap().0;
        assert!(line.contains('2') && line.contains('1'), "{line}");
        s.apply(ReaderEvent::CardRemoved {
            reader: "R2".into(),
        });
        assert_eq!(s.readers["R2"], None);
        s.apply(ReaderEvent::ReaderRemoved("R1".into()));
        assert_eq!(s.readers.keys().collect::<Vec<_>>(), ["R2"]);
        s.apply(ReaderEvent::ServiceUnavailable);
        assert!(s.readers.is_empty());
        assert_eq!(s.service, Some(false));
    }
}
