//! Production → "Encode the batch": after printing, the operator takes each printed card, scans its QR code
//! with a keyboard-wedge scanner (a field that keeps the focus; the scanner types the text and Enter) or
//! takes the next card of the batch order, and encodes it with the encode panel; each card's result is
//! listed.

use iced::widget::{Column, button, container, row, scrollable, text, text_input};
use iced::{Alignment, Element, Length};

use super::encode_panel::{self, Readers};
use crate::domain::card::CardId;
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::enc_jobs::{EncJob, Scanned};
use crate::gui::jobs::Job;
use crate::gui::theme;
use crate::ui_text;

/// Widget id of the scan field (focused after each scan and each run).
pub const SCAN_ID: &str = "encode-scan";

#[derive(Debug, Clone)]
pub struct State {
    /// The batch's cards in order, with their holder's name.
    pub order: Vec<(CardId, String)>,
    pub scan: String,
    pub scan_error: Option<String>,
    /// The card being encoded.
    pub panel: Option<encode_panel::State>,
    /// The result of each card encoded in this mode, in the order they were done.
    pub results: Vec<(CardId, String, Result<String, String>)>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Scan(String),
    SubmitScan,
    Next,
    Close,
    Panel(encode_panel::Message),
}

impl State {
    pub fn new(order: Vec<(CardId, String)>) -> State {
        State {
            order,
            scan: String::new(),
            scan_error: None,
            panel: None,
            results: Vec::new(),
        }
    }

    fn encoded(&self, card: CardId) -> bool {
        self.results.iter().any(|(c, _, r)| *c == card && r.is_ok())
    }

    /// The next card of the batch not encoded yet.
    pub fn next_card(&self) -> Option<(CardId, String)> {
        self.order.iter().find(|(c, _)| !self.encoded(*c)).cloned()
    }

    /// Selects a card for the panel, keeping the chosen reader.
    pub fn select(&mut self, card: CardId, holder: String, default_reader: Option<String>) {
        let reader = self
            .panel
            .as_ref()
            .and_then(|p| p.reader.clone())
            .or(default_reader);
        self.panel = Some(encode_panel::State::new(card, None, holder, reader));
    }

    /// The scan field's own messages; the window handles `Next`, `Close` and the panel's.
    pub fn update(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Scan(s) => {
                self.scan = s;
                Vec::new()
            }
            Message::SubmitScan => {
                let text = std::mem::take(&mut self.scan);
                if text.trim().is_empty() {
                    return vec![Effect::Focus(SCAN_ID)];
                }
                self.scan_error = None;
                vec![Effect::Job(Job::Enc(EncJob::Scan(text)))]
            }
            Message::Next | Message::Close | Message::Panel(_) => Vec::new(),
        }
    }

    pub fn on_scanned(
        &mut self,
        text: &str,
        card: Result<Option<Scanned>, String>,
        default_reader: Option<String>,
    ) -> Vec<Effect> {
        match card {
            Ok(Some(s)) => self.select(s.card, s.name, default_reader),
            Ok(None) => self.scan_error = Some(fl!("encode-scan-unknown", text = text.trim())),
            Err(m) => self.scan_error = Some(m),
        }
        vec![Effect::Focus(SCAN_ID)]
    }

    /// A run ended: its line in the result list.
    pub fn record(&mut self, card: CardId, result: &Result<crate::gui::encoding::Success, String>) {
        let holder = self
            .panel
            .as_ref()
            .filter(|p| p.card == card)
            .map(|p| p.holder.clone())
            .unwrap_or_default();
        let line = match result {
            Ok(s) => Ok(fl!(
                "encode-result-ok",
                state = ui_text::state(s.state),
                csn = s.csn.clone()
            )),
            Err(m) => Err(m.clone()),
        };
        self.results.retain(|(c, _, _)| *c != card);
        self.results.push((card, holder, line));
    }

    pub fn view<'a>(&'a self, readers: &Readers<'a>) -> Element<'a, Message> {
        let done = self.order.iter().filter(|(c, _)| self.encoded(*c)).count();
        let mut col = Column::new().spacing(10).push(
            row![
                text(fl!(
                    "encode-batch-title",
                    done = done,
                    total = self.order.len()
                ))
                .size(20)
                .width(Length::Fill),
                button(text(fl!("encode-batch-close")))
                    .on_press(Message::Close)
                    .style(button::secondary),
            ]
            .align_y(Alignment::Center),
        );
        let next = self.next_card();
        col = col.push(
            row![
                text_input(&fl!("encode-scan-placeholder"), &self.scan)
                    .id(SCAN_ID)
                    .on_input(Message::Scan)
                    .on_submit(Message::SubmitScan)
                    .padding(8)
                    .width(Length::Fill),
                button(text(fl!("encode-next-card")))
                    .on_press_maybe(next.is_some().then_some(Message::Next))
                    .padding([8, 14]),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        if let Some(e) = &self.scan_error {
            col = col.push(text(e.clone()).size(13).style(text::danger));
        }
        if let Some(p) = &self.panel {
            col = col.push(p.view(readers).map(Message::Panel));
        }
        let mut list = Column::new().spacing(2);
        for (card, holder, r) in self.results.iter().rev() {
            let (line, ok) = match r {
                Ok(l) => (l.clone(), true),
                Err(m) => (m.clone(), false),
            };
            let mark = if ok { "✔" } else { "✘" };
            list = list.push(
                row![
                    text(format!("{mark} #{card}"))
                        .size(13)
                        .width(Length::Fixed(80.0)),
                    text(holder.clone()).size(13).width(Length::FillPortion(2)),
                    text(line).size(12).width(Length::FillPortion(5)),
                ]
                .spacing(8),
            );
        }
        col = col.push(
            container(scrollable(list).height(Length::Fixed(220.0)))
                .padding(8)
                .width(Length::Fill)
                .style(theme::section),
        );
        col.into()
    }
}
