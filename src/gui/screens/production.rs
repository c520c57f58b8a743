//! Production: the print room's campaigns. Select cards by state, group, structure or a free search; see
//! the counts and a preview; print the batch with a progress bar and a result per card; produce the
//! delivery slip and the 300 dpi face bitmaps.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use iced::widget::{
    Column, Row, button, column, container, image, pick_list, progress_bar, row, scrollable, text,
    text_input,
};
use iced::{Alignment, Element, Length};

use super::encode_panel::Readers;
use crate::domain::card::{CardId, CardState};
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::jobs::Job;
use crate::gui::printing::{Destination, Dialog, Origin, PrintMsg, PrintRequest};
use crate::gui::prod_jobs::{PrinterChoice, ProdJob};
use crate::gui::theme;
use crate::gui::widgets::banner::banner;
use crate::production::delivery::Grouping;
use crate::production::job::{Outcome, Progress};
use crate::store::campaign::{CampaignCard, CardFilter};
use crate::ui_text;

/// Cards listed on screen; a campaign may hold more (all are printed).
const LISTED: usize = 400;

/// A state as the filter offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChoice(pub CardState);

impl std::fmt::Display for StateChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&ui_text::state(self.0))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupingChoice(pub Grouping);

impl std::fmt::Display for GroupingChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            Grouping::Structure => fl!("production-by-structure"),
            Grouping::Group => fl!("production-by-group"),
        })
    }
}

#[derive(Debug)]
pub struct State {
    pub filter: CardFilter,
    pub group_name: String,
    pub rows: Vec<CampaignCard>,
    pub counts: Vec<(CardState, u64)>,
    pub loaded: bool,
    pub selected: Option<CardId>,
    preview: Option<(CardId, image::Handle, Option<image::Handle>)>,
    pub printers: Vec<PrinterChoice>,
    pub printer: Option<PrinterChoice>,
    pub grouping: GroupingChoice,
    pub running: Option<Arc<AtomicBool>>,
    pub done: usize,
    pub total: usize,
    pub results: HashMap<CardId, Outcome>,
    /// The sequence number of a campaign load that only refreshes the counts (see `refresh_counts`).
    counts_only: Option<u64>,
    pub error: Option<String>,
    pub info: Option<String>,
    /// Number of the latest campaign request; older answers are ignored.
    seq: u64,
    /// "Encode the batch" mode (`batch_encode.rs`), shown in place of the list.
    pub batch: Option<super::batch_encode::State>,
}

#[derive(Debug, Clone)]
pub enum Message {
    State(StateChoice),
    Group(String),
    Text(String),
    Apply,
    Select(CardId),
    ChoosePrinter(PrinterChoice),
    Grouping(GroupingChoice),
    Print,
    SavePdf,
    Slip,
    Png,
    Stop,
    Dismiss,
    /// Opens the "Encode the batch" mode (the window picks the reader).
    EncodeBatch,
    Batch(super::batch_encode::Message),
}

impl State {
    pub fn new() -> State {
        State {
            filter: CardFilter {
                state: Some(CardState::RequestChecked),
                ..Default::default()
            },
            group_name: String::new(),
            rows: Vec::new(),
            counts: Vec::new(),
            loaded: false,
            selected: None,
            preview: None,
            printers: Vec::new(),
            printer: None,
            grouping: GroupingChoice(Grouping::Structure),
            running: None,
            done: 0,
            total: 0,
            results: HashMap::new(),
            counts_only: None,
            error: None,
            info: None,
            seq: 0,
            batch: None,
        }
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Entering the screen: the campaign and the printers.
    pub fn open(&mut self) -> Vec<Effect> {
        vec![self.reload(), Effect::Job(Job::Prod(ProdJob::Printers))]
    }

    /// After a batch: the counts by state change, but the list keeps the batch's cards with their results
    /// (for the delivery slip, the bitmaps and the operator's check) until the filters are applied again.
    pub fn refresh_counts(&mut self) -> Effect {
        let fx = self.reload();
        self.counts_only = Some(self.seq);
        fx
    }

    /// Loads the campaign of the current filters.
    pub fn reload(&mut self) -> Effect {
        self.counts_only = None;
        let seq = self.next_seq();
        Effect::Job(Job::Prod(ProdJob::Campaign {
            seq,
            filter: self.filter.clone(),
            group: self.wants_group().map(str::to_string),
        }))
    }

    fn ids(&self) -> Vec<CardId> {
        self.rows.iter().map(|r| r.card_id).collect()
    }

    /// The cards a print sends: those of the list not printed yet by the last batch, so that printing again
    /// after a batch retries the failed and stopped ones only.
    fn to_print(&self) -> Vec<CardId> {
        self.rows
            .iter()
            .map(|r| r.card_id)
            .filter(|c| self.results.get(c) != Some(&Outcome::Printed))
            .collect()
    }

    pub fn update(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::State(s) => {
                self.filter.state = Some(s.0);
                return vec![self.reload()];
            }
            Message::Group(g) => self.group_name = g,
            Message::Text(t) => self.filter.text = t,
            Message::Apply => return vec![self.reload()],
            Message::Select(card) => {
                self.selected = Some(card);
                return vec![Effect::Job(Job::Prod(ProdJob::Preview(card)))];
            }
            Message::ChoosePrinter(p) => self.printer = Some(p),
            Message::Grouping(g) => self.grouping = g,
            Message::Print => {
                if let Some(p) = &self.printer {
                    return self.print(Destination::Printer(p.uri.clone()));
                }
            }
            Message::SavePdf => return vec![Effect::Dialog(Dialog::SavePdf(Origin::Production))],
            Message::Slip => return vec![Effect::Dialog(Dialog::SaveSlip)],
            Message::Png => return vec![Effect::Dialog(Dialog::PngFolder)],
            Message::Stop => {
                if let Some(stop) = &self.running {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            Message::Dismiss => {
                self.error = None;
                self.info = None;
            }
            // Handled by the window (`app_enc.rs`): a run needs the readers.
            Message::EncodeBatch | Message::Batch(_) => {}
        }
        Vec::new()
    }

    /// The cards "Encode the batch" goes through: those the last batch printed, else all listed, with
    /// their holder's name.
    pub fn batch_order(&self) -> Vec<(CardId, String)> {
        let printed = |r: &&CampaignCard| self.results.get(&r.card_id) == Some(&Outcome::Printed);
        let any = self.rows.iter().any(|r| printed(&r));
        self.rows
            .iter()
            .filter(|r| !any || printed(r))
            .map(|r| {
                (
                    r.card_id,
                    format!("{} {}", r.surname.to_uppercase(), r.given_name),
                )
            })
            .collect()
    }

    /// The group field names a group: the window resolves it before loading (see `apply_group`).
    pub fn wants_group(&self) -> Option<&str> {
        let g = self.group_name.trim();
        (!g.is_empty()).then_some(g)
    }

    pub fn print(&mut self, destination: Destination) -> Vec<Effect> {
        let cards = self.to_print();
        if cards.is_empty() {
            self.error = Some(fl!("cli-print-nothing"));
            return Vec::new();
        }
        let stop = Arc::new(AtomicBool::new(false));
        self.running = Some(stop.clone());
        self.done = 0;
        self.total = cards.len();
        self.results.retain(|_, o| *o == Outcome::Printed);
        self.error = None;
        self.info = None;
        vec![Effect::Print(PrintRequest {
            origin: Origin::Production,
            cards,
            destination,
            stop,
        })]
    }

    /// A path chosen in a dialog of this screen.
    pub fn on_picked(&mut self, dialog: Dialog, path: PathBuf) -> Vec<Effect> {
        match dialog {
            Dialog::SavePdf(_) => self.print(Destination::Pdf(path)),
            Dialog::SaveSlip => vec![Effect::Job(Job::Prod(ProdJob::Slip {
                cards: self.ids(),
                grouping: self.grouping.0,
                path,
            }))],
            Dialog::PngFolder => vec![Effect::Job(Job::Prod(ProdJob::Png {
                cards: self.ids(),
                dir: path,
            }))],
            Dialog::OpenPhoto
            | Dialog::OpenProfile
            | Dialog::OpenKeys
            | Dialog::SaveQueueCsv
            | Dialog::OpenEsist
            | Dialog::OpenPatchIds => Vec::new(),
        }
    }

    pub fn on_campaign(
        &mut self,
        seq: u64,
        rows: Vec<CampaignCard>,
        counts: Vec<(CardState, u64)>,
    ) {
        if seq != self.seq {
            return; // an older selection
        }
        self.counts = counts;
        if self.counts_only.take() == Some(seq) {
            return;
        }
        self.error = None;
        self.rows = rows;
        self.loaded = true;
        if self.running.is_none() {
            self.results.clear();
        }
    }

    pub fn on_campaign_failed(&mut self, seq: u64, message: String) {
        if self.counts_only == Some(seq) {
            self.counts_only = None; // the batch's list stays as it is
        } else if seq == self.seq {
            self.loaded = true;
            self.rows.clear();
            self.counts.clear();
            self.error = Some(message);
        }
    }

    pub fn on_preview(
        &mut self,
        card: CardId,
        front: &::image::RgbaImage,
        back: Option<&::image::RgbaImage>,
    ) {
        let handle = |i: &::image::RgbaImage| {
            image::Handle::from_rgba(i.width(), i.height(), i.as_raw().clone())
        };
        self.preview = Some((card, handle(front), back.map(handle)));
    }

    pub fn on_printers(&mut self, list: Vec<PrinterChoice>, default: Option<&str>) {
        if self.printer.is_none() {
            self.printer = list
                .iter()
                .find(|p| Some(p.uri.as_str()) == default)
                .or_else(|| list.iter().find(|p| p.ready))
                .cloned();
        }
        self.printers = list;
    }

    /// Progress of the batch; returns the reload of the campaign once it is over.
    pub fn on_print(&mut self, msg: PrintMsg) -> Vec<Effect> {
        match msg {
            PrintMsg::Progress(
                _,
                Progress::Done {
                    result,
                    done,
                    total,
                },
            ) => {
                self.done = done;
                self.total = total;
                self.results.insert(result.card, result.outcome);
            }
            PrintMsg::Progress(..) => {}
            PrintMsg::Finished(_, results) => {
                self.running = None;
                let printed = results
                    .iter()
                    .filter(|r| r.outcome == Outcome::Printed)
                    .count();
                let failed: usize = results.len() - printed;
                let summary = fl!("print-summary", printed = printed, total = results.len());
                if printed == results.len() {
                    self.info = Some(summary);
                } else {
                    self.error = Some(format!(
                        "{summary} {}",
                        fl!("print-some-failed", failed = failed, total = results.len())
                    ));
                }
                return vec![Effect::Job(Job::Counts)];
            }
            PrintMsg::Failed(_, m) => {
                self.running = None;
                self.error = Some(m);
            }
        }
        Vec::new()
    }

    pub fn view<'a>(&'a self, readers: &Readers<'a>) -> Element<'a, Message> {
        let states: Vec<StateChoice> = CardState::ALL.into_iter().map(StateChoice).collect();
        let filters = row![
            pick_list(states, self.filter.state.map(StateChoice), Message::State)
                .width(Length::Fixed(220.0)),
            text_input(&fl!("production-group"), &self.group_name)
                .on_input(Message::Group)
                .on_submit(Message::Apply)
                .width(Length::Fixed(240.0))
                .padding(8),
            text_input(&fl!("production-filter"), &self.filter.text)
                .on_input(Message::Text)
                .on_submit(Message::Apply)
                .width(Length::Fill)
                .padding(8),
            button(text(fl!("production-apply")))
                .on_press(Message::Apply)
                .padding([8, 14]),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        let mut counts = Row::new().spacing(6).align_y(Alignment::Center);
        for &(st, n) in &self.counts {
            counts = counts.push(
                button(text(format!("{} · {n}", ui_text::state(st))).size(12))
                    .on_press(Message::State(StateChoice(st)))
                    .style(if Some(st) == self.filter.state {
                        button::primary
                    } else {
                        button::secondary
                    })
                    .padding([3, 8]),
            );
        }
        let mut col = column![
            text(fl!("production-title")).size(26),
            filters,
            counts.wrap().vertical_spacing(6),
        ]
        .spacing(12)
        .padding(20);
        if let Some(e) = &self.error {
            col = col.push(banner(e.clone(), true, Message::Dismiss));
        } else if let Some(i) = &self.info {
            col = col.push(banner(i.clone(), false, Message::Dismiss));
        }
        if let Some(b) = &self.batch {
            return col.push(b.view(readers).map(Message::Batch)).into();
        }
        col = col.push(self.actions());
        if let Some(stop) = &self.running {
            let _ = stop;
            col = col.push(
                column![
                    progress_bar(0.0..=self.total.max(1) as f32, self.done as f32),
                    text(fl!(
                        "production-progress",
                        done = self.done,
                        total = self.total
                    ))
                    .size(13),
                ]
                .spacing(4),
            );
        }
        let list = self.list();
        let mut right = Column::new().spacing(8).width(Length::Fixed(460.0));
        if let Some((card, front, back)) = &self.preview {
            let id: i64 = *card;
            right = right.push(text(fl!("card-title", card = id)).size(15));
            right = right
                .push(container(image(front.clone()).width(428).height(273)).style(theme::section));
            if let Some(b) = back {
                right = right
                    .push(container(image(b.clone()).width(428).height(273)).style(theme::section));
            }
        } else {
            right = right.push(text(fl!("production-pick-preview")).size(13));
        }
        col.push(
            row![list, scrollable(right)]
                .spacing(16)
                .height(Length::Fill),
        )
        .into()
    }

    fn actions(&self) -> Element<'_, Message> {
        let running = self.running.is_some();
        let n = self.to_print().len();
        let listed = self.rows.len();
        let chooser = pick_list(
            self.printers.as_slice(),
            self.printer.clone(),
            Message::ChoosePrinter,
        )
        .placeholder(fl!("studio-choose-printer"))
        .width(Length::Fixed(360.0));
        let enabled = |b: iced::widget::Button<'static, Message>, m: Message, on: bool| {
            if on { b.on_press(m) } else { b }
        };
        let print = enabled(
            button(text(fl!("production-print", count = n)))
                .style(button::primary)
                .padding([8, 14]),
            Message::Print,
            !running && n > 0 && self.printer.is_some(),
        );
        let pdf = enabled(
            button(text(fl!("studio-save-pdf"))).padding([8, 14]),
            Message::SavePdf,
            !running && n > 0,
        );
        let slip = enabled(
            button(text(fl!("production-slip"))).padding([8, 14]),
            Message::Slip,
            !running && listed > 0,
        );
        let png = enabled(
            button(text(fl!("production-png"))).padding([8, 14]),
            Message::Png,
            !running && listed > 0,
        );
        let mut r = row![
            chooser,
            print,
            pdf,
            iced::widget::space::horizontal().width(Length::Fixed(12.0)),
            pick_list(
                [
                    GroupingChoice(Grouping::Structure),
                    GroupingChoice(Grouping::Group)
                ],
                Some(self.grouping),
                Message::Grouping
            ),
            slip,
            png,
            enabled(
                button(text(fl!("encode-batch"))).padding([8, 14]),
                Message::EncodeBatch,
                !running && listed > 0,
            )
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        if running {
            r = r.push(
                button(text(fl!("studio-stop")))
                    .on_press(Message::Stop)
                    .style(button::danger),
            );
        }
        r.wrap().vertical_spacing(8).into()
    }

    fn list(&self) -> Element<'_, Message> {
        let mut list = Column::new().spacing(2);
        if !self.loaded {
            list = list.push(text(fl!("desk-loading")).size(13));
        } else if self.rows.is_empty() {
            list = list.push(text(fl!("production-empty")).size(14));
        } else {
            list = list.push(text(fl!("production-count", count = self.rows.len())).size(13));
        }
        for r in self.rows.iter().take(LISTED) {
            let outcome = self.results.get(&r.card_id).map(|o| match o {
                Outcome::Printed => fl!("production-result-printed"),
                Outcome::Failed(m) => fl!("production-result-failed", message = m.clone()),
                Outcome::Skipped(m) => fl!("production-result-skipped", message = m.clone()),
                Outcome::Stopped => fl!("production-result-stopped"),
            });
            let mut line = row![
                text(format!("#{}", r.card_id))
                    .size(13)
                    .width(Length::Fixed(60.0)),
                text(format!("{} {}", r.surname.to_uppercase(), r.given_name))
                    .size(14)
                    .width(Length::FillPortion(3)),
                text(ui_text::affiliation(&r.affiliation))
                    .size(12)
                    .width(Length::FillPortion(2)),
                text(r.structure.clone().unwrap_or_default())
                    .size(12)
                    .width(Length::FillPortion(2)),
                text(if r.has_photo {
                    String::new()
                } else {
                    fl!("production-no-photo")
                })
                .size(12),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            if let Some(o) = outcome {
                line = line.push(text(o).size(12).width(Length::FillPortion(3)));
            }
            let style = if self.selected == Some(r.card_id) {
                button::primary
            } else {
                button::text
            };
            list = list.push(
                button(line)
                    .on_press(Message::Select(r.card_id))
                    .style(style)
                    .width(Length::Fill),
            );
        }
        if self.rows.len() > LISTED {
            let more: usize = self.rows.len() - LISTED;
            list = list.push(text(fl!("production-more", count = more)).size(12));
        }
        scrollable(list)
            .width(Length::Fill)
            .height(Length::Fill)
            .into()
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}
