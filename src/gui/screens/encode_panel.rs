//! The encode panel of the Desk and of Production's batch: the reader to use (PC/SC readers with a card and
//! the training reader), the Encode button, the encoder's steps as they come (✔ / = / ✘), then the result
//! (state, CSN, DESFire ids) or the error with Retry: presenting the same card again resumes the run.
//!
//! The window (`app_enc.rs`) handles the messages: starting a run needs the training reader it owns.

use iced::widget::{Column, button, column, container, pick_list, row, scrollable, text};
use iced::{Alignment, Element, Length};

use super::{readers, training};
use crate::domain::card::{CardId, PersonId};
use crate::fl;
use crate::gui::encoding::Success;
use crate::gui::theme;
use crate::nfc::encoder::LogEntry;
use crate::ui_text;

/// Height of the step log; it scrolls, following the last step.
const LOG_HEIGHT: f32 = 300.0;

/// The readers the window knows, for the reader choice.
pub struct Readers<'a> {
    pub pcsc: &'a readers::State,
    /// The training reader, when offered (`config.encode.virtual_reader`).
    pub training: Option<&'a training::State>,
}

/// A reader as the choice lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderOption {
    pub name: String,
    pub card: bool,
}

impl std::fmt::Display for ReaderOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let card = if self.card {
            fl!("encode-reader-card")
        } else {
            fl!("readers-no-card")
        };
        write!(f, "{} — {card}", self.name)
    }
}

impl Readers<'_> {
    /// PC/SC readers with a card, then the training reader (with or without a card: its buttons put one).
    pub fn options(&self) -> Vec<ReaderOption> {
        let mut list: Vec<ReaderOption> = self
            .pcsc
            .readers
            .iter()
            .filter(|(_, atr)| atr.is_some())
            .map(|(name, _)| ReaderOption {
                name: name.clone(),
                card: true,
            })
            .collect();
        if let Some(t) = self.training {
            list.push(ReaderOption {
                name: t.name().to_string(),
                card: t.reader.card_present(),
            });
        }
        list
    }

    /// The reader to preselect: the configured one when it has a card, else the first listed.
    pub fn default_choice(&self, configured: Option<&str>) -> Option<String> {
        let options = self.options();
        options
            .iter()
            .find(|o| Some(o.name.as_str()) == configured)
            .or_else(|| options.iter().find(|o| o.card))
            .or(options.first())
            .map(|o| o.name.clone())
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Reader(ReaderOption),
    Encode,
    Close,
    Training(training::Message),
}

#[derive(Debug, Clone)]
pub struct State {
    pub card: CardId,
    pub person: Option<PersonId>,
    /// Whose card, for the title.
    pub holder: String,
    pub reader: Option<String>,
    pub lines: Vec<LogEntry>,
    pub running: bool,
    pub result: Option<Result<Success, String>>,
}

impl State {
    pub fn new(
        card: CardId,
        person: Option<PersonId>,
        holder: String,
        reader: Option<String>,
    ) -> State {
        State {
            card,
            person,
            holder,
            reader,
            lines: Vec::new(),
            running: false,
            result: None,
        }
    }

    /// A run starts: the previous one's lines and result go.
    pub fn start(&mut self) {
        self.running = true;
        self.lines.clear();
        self.result = None;
    }

    pub fn finish(&mut self, result: Result<Success, String>) {
        self.running = false;
        self.result = Some(result);
    }

    pub fn view<'a>(&'a self, readers: &Readers<'a>) -> Element<'a, Message> {
        let options = readers.options();
        let no_reader = options.is_empty();
        let chosen = options
            .iter()
            .find(|o| Some(&o.name) == self.reader.as_ref())
            .cloned();
        let label = match (&self.result, self.running) {
            (Some(Err(_)), false) => fl!("encode-retry"),
            _ => fl!("encode-start"),
        };
        let go = button(text(label))
            .style(button::primary)
            .padding([8, 16])
            .on_press_maybe((!self.running && chosen.is_some()).then_some(Message::Encode));
        let mut col = Column::new().spacing(10).push(
            row![
                text(fl!(
                    "encode-title",
                    card = self.card,
                    holder = self.holder.clone()
                ))
                .size(20)
                .width(Length::Fill),
                button(text(fl!("encode-close")))
                    .on_press_maybe((!self.running).then_some(Message::Close))
                    .style(button::secondary)
            ]
            .align_y(Alignment::Center),
        );
        col = col.push(
            row![
                text(fl!("encode-reader")).size(14),
                pick_list(options, chosen, Message::Reader)
                    .placeholder(fl!("encode-choose-reader"))
                    .width(Length::Fixed(420.0)),
                go
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        );
        if no_reader {
            col = col.push(text(fl!("encode-no-reader")).size(13));
        }
        if let Some(t) = readers
            .training
            .filter(|t| self.reader.as_deref() == Some(t.name()))
        {
            col = col.push(t.view().map(Message::Training));
        }
        if self.running {
            col = col.push(text(fl!("encode-running")).size(14));
        }
        // The outcome first, then the steps in their own scrolling box: a long log never hides the result.
        match &self.result {
            Some(Ok(s)) => col = col.push(success_box(s)),
            Some(Err(m)) => {
                col = col.push(
                    container(text(m.clone()))
                        .padding(10)
                        .width(Length::Fill)
                        .style(theme::error_banner),
                )
            }
            None => {}
        }
        if !self.lines.is_empty() {
            let log = self.lines.iter().fold(Column::new().spacing(4), |c, line| {
                c.push(text(ui_text::encode_entry(line)).size(13))
            });
            col = col.push(
                scrollable(log)
                    .anchor_bottom()
                    .height(Length::Fixed(LOG_HEIGHT))
                    .width(Length::Fill),
            );
        }
        container(col)
            .padding(12)
            .width(Length::Fill)
            .style(theme::section)
            .into()
    }
}

fn success_box<'a>(s: &Success) -> Element<'a, Message> {
    let title = if s.update {
        fl!("encode-updated", state = ui_text::state(s.state))
    } else {
        fl!("encode-success", state = ui_text::state(s.state))
    };
    let mut col = column![
        text(title).size(15),
        text(format!("CSN {}", s.csn)).size(13)
    ]
    .spacing(4);
    for (app, value) in &s.ids {
        col = col.push(text(format!("{app}: {value}")).size(13));
    }
    container(col)
        .padding(10)
        .width(Length::Fill)
        .style(theme::info_banner)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nfc::monitor::ReaderEvent;

    #[test]
    fn readers_with_a_card_come_first_and_the_configured_one_wins() {
        let mut pcsc = readers::State::default();
        for name in ["R1", "R2", "R3"] {
            pcsc.apply(ReaderEvent::ReaderAdded(name.into()));
        }
        for name in ["R2", "R3"] {
            pcsc.apply(ReaderEvent::CardPresent {
                reader: name.into(),
                atr: vec![0x3B],
            });
        }
        let training = training::State::default();
        let readers = Readers {
            pcsc: &pcsc,
            training: Some(&training),
        };
        let names: Vec<String> = readers.options().into_iter().map(|o| o.name).collect();
        assert_eq!(names, ["R2", "R3", training.name()], "no card: R1 left out");
        assert_eq!(readers.default_choice(Some("R3")).as_deref(), Some("R3"));
        assert_eq!(readers.default_choice(Some("R1")).as_deref(), Some("R2"));
        assert_eq!(readers.default_choice(None).as_deref(), Some("R2"));
        let none = Readers {
            pcsc: &readers::State::default(),
            training: Some(&training),
        };
        assert_eq!(
            none.default_choice(None).as_deref(),
            Some(training.name()),
            "the training reader, even without a card"
        );
        let off = Readers {
            pcsc: &readers::State::default(),
            training: None,
        };
        assert!(off.options().is_empty() && off.default_choice(None).is_none());
    }
}
