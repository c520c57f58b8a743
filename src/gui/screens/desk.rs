//! The Desk: counter search over the whole directory, the person panel, card actions.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Alignment, Element, Length};

use super::{encode_panel, new_person, person_panel, studio};
use crate::domain::card::{CardId, CardState, DisableReason, PersonId, Request};
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::jobs::{Job, PersonView};
use crate::gui::theme;
use crate::gui::widgets::banner::banner;
use crate::gui::widgets::text::muted;
use crate::gui::widgets::virtual_list;
use crate::store::persons::PersonRow;
use crate::ui_text;

/// Widget id of the search field (focused by Ctrl+F and "/").
pub const SEARCH_ID: &str = "search";
/// Widget id of the result list.
pub const LIST_ID: &str = "results";
/// Rows kept in memory before the cache is trimmed to the visible window.
const ROW_CACHE: usize = 4_000;

#[derive(Debug, Default)]
pub struct State {
    pub query: String,
    seq: u64,
    directory: Arc<Vec<PersonId>>,
    /// The directory list has been read once.
    loaded: bool,
    /// `Some` while a query is typed: the ranked matches.
    results: Option<Vec<PersonId>>,
    rows: HashMap<PersonId, PersonRow>,
    requested: HashSet<PersonId>,
    offset: f32,
    viewport: f32,
    pub selected: Option<usize>,
    pub person: Option<person_panel::Panel>,
    /// The card whose disable reason is being asked.
    pub disable_for: Option<CardId>,
    pub error: Option<String>,
    pub info: Option<String>,
    pub limit: usize,
    /// The next directory list replaces the current one without moving the view (after a sync).
    keep_position: bool,
    /// The new-card flow (photo, preview, print) of one card, shown instead of the person panel.
    pub studio: Option<studio::State>,
    /// The printer chosen by default (settings), for the card flow.
    pub default_printer: Option<String>,
    /// The encode panel of one card, shown instead of the person panel.
    pub encode: Option<encode_panel::State>,
    /// The form for a person the directory does not hold, shown instead of the person panel.
    pub new_person: Option<new_person::State>,
    /// What the form says about the identifiers' settings (territory, digits).
    pub sdet_note: String,
}

#[derive(Debug, Clone)]
pub enum Message {
    QueryChanged(String),
    Submit,
    Scrolled(f32, f32),
    Open(usize),
    Move(i32),
    RequestCard(PersonId),
    Transition(CardId, CardState),
    Disable(CardId, DisableReason),
    CancelDialog,
    DismissBanner,
    /// A group of the person panel: the window shows it on the Groups screen.
    OpenGroup(i64),
    /// Opens the card flow of a card at a step.
    OpenStudio(CardId, studio::Step),
    Studio(studio::Message),
    /// Opens the encode panel of a card (handled by the window, which knows the readers).
    OpenEncode(CardId),
    /// The encode panel's messages (handled by the window: a run needs the training reader).
    Encode(encode_panel::Message),
    /// Opens the form for a person the directory does not hold.
    NewPerson,
    Form(new_person::Message),
}

impl State {
    pub fn new(limit: usize) -> State {
        State {
            viewport: 700.0,
            limit,
            ..State::default()
        }
    }

    /// The ids listed now: search results, or the whole directory when the field is empty.
    pub fn list(&self) -> &[PersonId] {
        self.results.as_deref().unwrap_or(&self.directory)
    }

    pub fn is_searching(&self) -> bool {
        self.results.is_some()
    }

    pub fn row(&self, id: PersonId) -> Option<&PersonRow> {
        self.rows.get(&id)
    }

    /// Jobs that load the rows of the visible window not loaded yet.
    fn fetch_window(&mut self) -> Vec<Effect> {
        let list = self.list();
        let range = virtual_list::window(list.len(), self.offset, self.viewport);
        let missing: Vec<PersonId> = list[range.clone()]
            .iter()
            .copied()
            .filter(|id| !self.rows.contains_key(id) && !self.requested.contains(id))
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        if self.rows.len() > ROW_CACHE {
            let keep: HashSet<PersonId> = list[range].iter().copied().collect();
            self.rows.retain(|id, _| keep.contains(id));
        }
        self.requested.extend(missing.iter().copied());
        vec![Effect::Job(Job::Rows(missing))]
    }

    fn reset_list(&mut self) -> Vec<Effect> {
        self.offset = 0.0;
        self.selected = (!self.list().is_empty()).then_some(0);
        let mut fx = vec![Effect::ScrollTo {
            id: LIST_ID,
            y: 0.0,
        }];
        fx.extend(self.fetch_window());
        fx
    }

    fn open(&mut self, index: usize) -> Vec<Effect> {
        let Some(&id) = self.list().get(index) else {
            return Vec::new();
        };
        self.selected = Some(index);
        self.disable_for = None;
        self.studio = None;
        self.encode = None;
        vec![Effect::Job(Job::Person(id))]
    }

    pub fn update(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::QueryChanged(q) => {
                self.query = q;
                self.seq += 1;
                if self.query.trim().is_empty() {
                    self.results = None;
                    return self.reset_list();
                }
                vec![Effect::Job(Job::Search {
                    seq: self.seq,
                    query: self.query.clone(),
                    limit: self.limit,
                })]
            }
            Message::Submit => match self.selected {
                Some(i) => self.open(i),
                None if !self.list().is_empty() => self.open(0),
                None => Vec::new(),
            },
            Message::Scrolled(offset, viewport) => {
                self.offset = offset;
                self.viewport = viewport;
                self.fetch_window()
            }
            Message::Open(i) => self.open(i),
            Message::Move(delta) => {
                let len = self.list().len();
                if len == 0 {
                    return Vec::new();
                }
                let cur = self.selected.map(|s| s as i64).unwrap_or(-1);
                let next = (cur + i64::from(delta)).clamp(0, len as i64 - 1) as usize;
                self.selected = Some(next);
                let mut fx = Vec::new();
                if let Some(y) = virtual_list::reveal(next, self.offset, self.viewport) {
                    self.offset = y;
                    fx.push(Effect::ScrollTo { id: LIST_ID, y });
                }
                fx.extend(self.fetch_window());
                fx
            }
            Message::NewPerson => {
                self.studio = None;
                self.encode = None;
                self.new_person = Some(new_person::State::new(self.sdet_note.clone()));
                vec![Effect::Focus(new_person::SURNAME_ID)]
            }
            Message::Form(m) => {
                let Some(form) = self.new_person.as_mut() else {
                    return Vec::new();
                };
                match form.update(m) {
                    new_person::Outcome::None => Vec::new(),
                    new_person::Outcome::Cancel => {
                        self.new_person = None;
                        Vec::new()
                    }
                    new_person::Outcome::Save(input) => {
                        vec![Effect::Job(Job::CaptureGuest(Box::new(input)))]
                    }
                }
            }
            Message::RequestCard(person) => {
                self.error = None;
                vec![Effect::Job(Job::RequestCard(person))]
            }
            Message::Transition(card, CardState::Disabled) => {
                self.disable_for = Some(card);
                Vec::new()
            }
            // Printing goes through the card flow: preview, printer, and the printer's verdict.
            Message::Transition(card, CardState::InPrint) => {
                self.update(Message::OpenStudio(card, studio::Step::Print))
            }
            Message::Transition(card, to) => self.transition(card, to, Request::default()),
            Message::OpenStudio(card, step) => {
                let Some(person) = self.person.as_ref().map(|p| p.view.detail.id) else {
                    return Vec::new();
                };
                self.error = None;
                let s = studio::State::new(card, person, step, self.default_printer.as_deref());
                let fx = s.opening();
                self.studio = Some(s);
                self.encode = None;
                fx
            }
            Message::Studio(studio::Message::Close) => {
                self.studio = None;
                Vec::new()
            }
            Message::Studio(m) => match self.studio.as_mut() {
                Some(s) => s.update(m),
                None => Vec::new(),
            },
            Message::Disable(card, reason) => {
                self.disable_for = None;
                self.transition(
                    card,
                    CardState::Disabled,
                    Request {
                        reason: Some(reason),
                        ..Request::default()
                    },
                )
            }
            Message::CancelDialog => {
                if self.new_person.take().is_some() {
                    return Vec::new();
                }
                self.disable_for = None;
                Vec::new()
            }
            Message::DismissBanner => {
                self.error = None;
                self.info = None;
                Vec::new()
            }
            // Handled by the window (`App::handle`), which switches screens or knows the readers.
            Message::OpenGroup(_) | Message::OpenEncode(_) | Message::Encode(_) => Vec::new(),
        }
    }

    /// Opens a person chosen elsewhere (the Groups screen), selecting it in the list when listed.
    pub fn open_person(&mut self, id: PersonId) -> Vec<Effect> {
        self.selected = self.list().iter().position(|p| *p == id);
        self.disable_for = None;
        let mut fx = vec![Effect::Job(Job::Person(id))];
        if let Some(i) = self.selected
            && let Some(y) = virtual_list::reveal(i, self.offset, self.viewport)
        {
            self.offset = y;
            fx.push(Effect::ScrollTo { id: LIST_ID, y });
            fx.extend(self.fetch_window());
        }
        fx
    }

    /// After a sync changed the mirror: reload the list, the search, the rows and the open person,
    /// without moving the operator's view.
    pub fn reload(&mut self) -> Vec<Effect> {
        self.rows.clear();
        self.requested.clear();
        self.keep_position = true;
        let mut fx = vec![Effect::Job(Job::Directory)];
        if !self.query.trim().is_empty() {
            self.seq += 1;
            fx.push(Effect::Job(Job::Search {
                seq: self.seq,
                query: self.query.clone(),
                limit: self.limit,
            }));
        }
        if let Some(p) = &self.person {
            fx.push(Effect::Job(Job::Person(p.view.detail.id)));
        }
        fx
    }

    fn transition(&mut self, card: CardId, to: CardState, request: Request) -> Vec<Effect> {
        let Some(person) = self.person.as_ref().map(|p| p.view.detail.id) else {
            return Vec::new();
        };
        self.error = None;
        vec![Effect::Job(Job::Transition {
            person,
            card,
            to,
            request,
        })]
    }

    pub fn on_directory(&mut self, ids: Arc<Vec<PersonId>>) -> Vec<Effect> {
        self.directory = ids;
        self.loaded = true;
        if self.results.is_some() {
            Vec::new()
        } else if self.keep_position {
            self.keep_position = false;
            self.keep_view()
        } else {
            self.reset_list()
        }
    }

    pub fn on_searched(&mut self, seq: u64, ids: Vec<PersonId>) -> Vec<Effect> {
        if seq != self.seq || self.query.trim().is_empty() {
            return Vec::new(); // an older query: its answer is stale
        }
        self.results = Some(ids);
        if self.keep_position {
            self.keep_position = false;
            return self.keep_view();
        }
        self.reset_list()
    }

    /// A new list in place of the old one: same scroll offset, selection kept in range.
    fn keep_view(&mut self) -> Vec<Effect> {
        let len = self.list().len();
        self.selected = self.selected.filter(|i| *i < len);
        self.fetch_window()
    }

    pub fn on_rows(&mut self, rows: Vec<PersonRow>) -> Vec<Effect> {
        for r in rows {
            self.requested.remove(&r.id);
            self.rows.insert(r.id, r);
        }
        Vec::new()
    }

    pub fn on_person(&mut self, view: PersonView) -> Vec<Effect> {
        self.person = Some(person_panel::Panel::new(view));
        Vec::new()
    }

    /// After a card change: reload the person, its list row and the counts.
    pub fn on_card_changed(&mut self, person: PersonId, message: String) -> Vec<Effect> {
        self.info = Some(message);
        self.rows.remove(&person);
        let mut fx = vec![Effect::Job(Job::Person(person)), Effect::Job(Job::Counts)];
        fx.extend(self.fetch_window());
        fx
    }

    /// After the form was recorded: the person is shown and the list reloaded; an error stays on the form.
    pub fn on_captured(&mut self, result: Result<(PersonId, String), String>) -> Vec<Effect> {
        match result {
            Ok((person, message)) => {
                self.new_person = None;
                self.error = None;
                self.info = Some(message);
                vec![
                    Effect::Job(Job::Person(person)),
                    Effect::Job(Job::Directory),
                    Effect::Job(Job::Counts),
                ]
            }
            Err(message) => {
                if let Some(form) = self.new_person.as_mut() {
                    form.busy = false;
                    form.error = Some(message);
                } else {
                    self.error = Some(message);
                }
                Vec::new()
            }
        }
    }

    pub fn on_failed(&mut self, message: String) {
        self.info = None;
        self.error = Some(message);
    }

    pub fn view<'a>(&'a self, readers: &encode_panel::Readers<'a>) -> Element<'a, Message> {
        let search = text_input(&fl!("desk-search-placeholder"), &self.query)
            .id(SEARCH_ID)
            .on_input(Message::QueryChanged)
            .on_submit(Message::Submit)
            .padding(10)
            .size(16);
        let count = if !self.loaded {
            fl!("desk-loading")
        } else if self.is_searching() {
            fl!("desk-results", count = self.list().len())
        } else {
            fl!("desk-directory", count = self.list().len())
        };
        let list = self.list();
        let results = virtual_list::view(
            LIST_ID,
            list.len(),
            self.offset,
            self.viewport,
            |i| self.list_row(i, list[i]),
            Message::Scrolled,
        );
        let left = column![
            search,
            row![
                muted(count).width(Length::Fill),
                button(text(fl!("desk-new-person")).size(13))
                    .on_press(Message::NewPerson)
                    .style(button::text)
                    .padding([2, 6]),
            ]
            .align_y(Alignment::Center),
            results
        ]
        .spacing(8)
        .padding(12)
        .width(Length::Fixed(420.0));

        let mut right = column![].spacing(10).width(Length::Fill);
        if let Some(err) = &self.error {
            right = right.push(banner(err.clone(), true, Message::DismissBanner));
        } else if let Some(info) = &self.info {
            right = right.push(banner(info.clone(), false, Message::DismissBanner));
        }
        right = right.push(
            match (&self.studio, &self.encode, &self.new_person, &self.person) {
                (Some(s), _, _, _) => s.view().map(Message::Studio),
                (None, Some(e), _, _) => e.view(readers).map(Message::Encode),
                (None, None, Some(f), _) => f.view().map(Message::Form),
                (None, None, None, Some(panel)) => panel.view(self.disable_for),
                (None, None, None, None) => empty_hint(),
            },
        );
        row![
            left,
            container(right)
                .padding(12)
                .width(Length::Fill)
                .height(Length::Fill)
        ]
        .into()
    }

    fn list_row(&self, index: usize, id: PersonId) -> Element<'_, Message> {
        let selected = self.selected == Some(index);
        let content: Element<'_, Message> = match self.rows.get(&id) {
            Some(r) => {
                let sub = [
                    Some(ui_text::affiliation(&r.affiliation)),
                    r.structure.clone(),
                    r.eppn.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
                let mut line = row![
                    text(r.display_name.clone())
                        .size(15)
                        .wrapping(text::Wrapping::None)
                        .width(Length::Fill)
                ]
                .align_y(Alignment::Center);
                if let Some(st) = r.last_card_state.as_deref().and_then(CardState::parse) {
                    line = line.push(
                        container(text(ui_text::state(st)).size(11))
                            .padding([2, 8])
                            .style(theme::badge(theme::state_color(st))),
                    );
                }
                column![line, text(sub).size(12).wrapping(text::Wrapping::None)]
                    .spacing(2)
                    .clip(true)
                    .into()
            }
            None => text("…").size(15).into(),
        };
        virtual_list::person_row(content, Message::Open(index), selected)
    }
}

fn empty_hint<'a>() -> Element<'a, Message> {
    container(
        column![
            text(fl!("desk-empty-title")).size(22),
            text(fl!("desk-empty-help")).size(14),
            text(fl!("desk-empty-keys")).size(13),
        ]
        .spacing(10)
        .max_width(520),
    )
    .center(Length::Fill)
    .into()
}
