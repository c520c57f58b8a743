//! The Queue screen's widgets: counts, filter bar, the list (needs-a-human rows apart) and the detail.

use iced::widget::{
    Column, Row, button, column, container, pick_list, row, scrollable, text, text_input,
};
use iced::{Alignment, Element, Length};

use super::{Code, Field, Live, Message, PERSON_ID, PatchField, State, States};
use crate::fl;
use crate::gui::theme;
use crate::gui::widgets::banner::{banner, notice};
use crate::gui::widgets::choice;
use crate::gui::widgets::text::small;
use crate::gui::widgets::virtual_list::person_row;
use crate::store::outbox::Item;

/// The service's name for the operator.
pub fn service_name(s: &str) -> String {
    match s {
        "crous" => fl!("queue-service-crous"),
        "escr" => fl!("queue-service-escr"),
        "ldap" => fl!("queue-service-ldap"),
        other => other.to_string(),
    }
}

/// A row state's name for the operator.
pub fn status_name(s: &str) -> String {
    match s {
        "pending" => fl!("queue-status-pending"),
        "in_progress" => fl!("queue-status-in-progress"),
        "done" => fl!("queue-status-done"),
        "failed_retrying" => fl!("queue-status-retrying"),
        "needs_human" => fl!("queue-status-needs-human"),
        "gave_up" => fl!("queue-status-gave-up"),
        other => other.to_string(),
    }
}

fn when(s: &str) -> String {
    s.parse::<jiff::Timestamp>()
        .map(crate::ui_text::datetime)
        .unwrap_or_else(|_| s.to_string())
}

impl State {
    pub fn view(&self) -> Element<'_, Message> {
        let mut head = Column::new().spacing(10).push(
            row![
                text(fl!("queue-title")).size(26).width(Length::Fill),
                button(text(fl!("queue-refresh")))
                    .on_press(Message::Refresh)
                    .style(button::secondary),
            ]
            .align_y(Alignment::Center),
        );
        if let Some(e) = &self.error {
            head = head.push(banner(e.clone(), true, Message::DismissBanner));
        } else if let Some(i) = &self.info {
            head = head.push(banner(i.clone(), false, Message::DismissBanner));
        }
        if let Some(m) = &self.migration {
            head = head.push(self.counts_table());
            return column![head, self.migration_view(m)]
                .spacing(12)
                .padding(20)
                .into();
        }
        head = head
            .push(self.counts_table())
            .push(self.filter_bar())
            .push(self.bulk_actions());
        let body = row![
            container(self.list()).width(Length::FillPortion(1)),
            container(self.detail()).width(Length::FillPortion(1)),
        ]
        .spacing(16)
        .height(Length::Fill);
        column![head, body].spacing(12).padding(20).into()
    }

    fn counts_table(&self) -> Element<'_, Message> {
        let cell = |s: String| text(s).size(13).width(Length::FillPortion(1));
        let mut header = Row::new().spacing(4).push(
            button(text(fl!("queue-all-services")).size(13))
                .on_press(Message::Service(None))
                .style(if self.service.is_none() {
                    button::primary
                } else {
                    button::text
                })
                .width(Length::Fixed(170.0)),
        );
        for label in [
            fl!("queue-col-waiting"),
            fl!("queue-col-in-progress"),
            fl!("queue-col-done"),
            fl!("queue-col-retrying"),
            fl!("queue-col-human"),
            fl!("queue-col-refused"),
        ] {
            header = header.push(cell(label));
        }
        let mut table = Column::new().spacing(2).push(header);
        for c in &self.counts {
            let on = self.service.as_deref() == Some(c.service.as_str());
            let human = text(c.needs_human.to_string())
                .size(13)
                .width(Length::FillPortion(1));
            let human = if c.needs_human > 0 {
                human.style(text::danger)
            } else {
                human
            };
            table = table.push(
                row![
                    button(text(service_name(&c.service)).size(13))
                        .on_press(Message::Service(Some(c.service.clone())))
                        .style(if on { button::primary } else { button::text })
                        .width(Length::Fixed(170.0)),
                    cell(c.pending.to_string()),
                    cell(c.in_progress.to_string()),
                    cell(c.done.to_string()),
                    cell(c.failed_retrying.to_string()),
                    human,
                    cell(c.gave_up.to_string()),
                ]
                .spacing(4)
                .align_y(Alignment::Center),
            );
        }
        container(table)
            .padding(10)
            .style(theme::section)
            .width(Length::Fill)
            .into()
    }

    fn filter_bar(&self) -> Element<'_, Message> {
        let mut states = Row::new().spacing(6).align_y(Alignment::Center);
        for s in States::ALL {
            let label = match s {
                States::All => fl!("queue-filter-all"),
                States::NeedsHuman => fl!("queue-filter-human"),
                States::Resolving => fl!("queue-filter-resolving"),
                States::Waiting => fl!("queue-filter-waiting"),
                States::Done => fl!("queue-filter-done"),
                States::GaveUp => fl!("queue-filter-refused"),
            };
            states = states.push(choice(label, self.states == s, Message::States(s)));
        }
        let mut codes = vec![Code(None)];
        codes.extend(self.codes.iter().map(|c| Code(Some(c.clone()))));
        let code = pick_list(codes, Some(Code(self.code.clone())), Message::Code)
            .text_size(13)
            .padding(5);
        let blocking = row![
            choice(
                fl!("queue-blocking-any"),
                self.blocking.is_none(),
                Message::Blocking(None)
            ),
            choice(
                fl!("queue-blocking-yes"),
                self.blocking == Some(true),
                Message::Blocking(Some(true))
            ),
            choice(
                fl!("queue-blocking-no"),
                self.blocking == Some(false),
                Message::Blocking(Some(false))
            ),
        ]
        .spacing(6);
        let input = |placeholder: String, value: &str, f: Field, w: f32| {
            text_input(&placeholder, value)
                .on_input(move |s| Message::Edit(f, s))
                .size(13)
                .padding(5)
                .width(Length::Fixed(w))
        };
        // States and dates on the first line, code, blocking and person on the second: two lines at
        // the usual window width, wrapping on a narrow one.
        let states = states
            .push(iced::widget::space::horizontal())
            .push(input(fl!("queue-from"), &self.from, Field::From, 120.0))
            .push(input(fl!("queue-to"), &self.to, Field::To, 120.0));
        let second = row![
            small(fl!("queue-error-code")),
            code,
            blocking,
            text_input(&fl!("queue-person"), &self.person)
                .on_input(|s| Message::Edit(Field::Person, s))
                .size(13)
                .padding(5)
                .width(Length::Fill)
                .id(PERSON_ID),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        column![states, second].spacing(8).into()
    }

    fn bulk_actions(&self) -> Element<'_, Message> {
        let act = |label: String, msg: Message| {
            button(text(label).size(13))
                .on_press_maybe((!self.busy).then_some(msg))
                .style(button::secondary)
                .padding([5, 10])
        };
        let actions = row![
            act(fl!("queue-retry-shown"), Message::RetryShown),
            act(fl!("queue-export"), Message::Export),
            act(fl!("queue-purge-done"), Message::PurgeDone),
            act(fl!("queue-purge-refusals"), Message::PurgeRefusals),
            iced::widget::space::horizontal(),
            act(fl!("migration-open"), Message::Migration(true)),
        ]
        .spacing(8);
        let Some(refusals) = self.confirm_purge else {
            return actions.into();
        };
        // A purge deletes for good: the count and a confirmation first.
        let done: i64 = self.counts.iter().map(|c| c.done).sum();
        let gave_up: i64 = self.counts.iter().map(|c| c.gave_up).sum();
        let question = if refusals {
            fl!(
                "queue-purge-confirm-refusals",
                done = done,
                refused = gave_up
            )
        } else {
            fl!("queue-purge-confirm-done", done = done)
        };
        column![
            actions,
            container(
                row![
                    text(question).size(13).width(Length::Fill),
                    button(text(fl!("queue-purge-confirm")).size(13))
                        .on_press_maybe((!self.busy).then_some(Message::ConfirmPurge))
                        .style(button::danger)
                        .padding([5, 10]),
                    button(text(fl!("cancel")).size(13))
                        .on_press(Message::CancelPurge)
                        .style(button::text)
                        .padding([5, 10]),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            )
            .padding(8)
            .style(theme::section),
        ]
        .spacing(8)
        .into()
    }

    fn item_row<'a>(&'a self, i: &'a Item) -> Element<'a, Message> {
        let mut line = vec![service_name(&i.service), status_name(&i.status)];
        if let Some(c) = &i.error_code {
            line.push(c.clone());
        }
        line.push(when(&i.updated_at));
        let content = column![
            text(i.person.clone()).size(14),
            text(line.join(" · ")).size(12),
        ];
        person_row(content, Message::Select(i.id), self.selected == Some(i.id))
    }

    fn list(&self) -> Element<'_, Message> {
        let (human, other): (Vec<&Item>, Vec<&Item>) =
            self.items.iter().partition(|i| i.status == "needs_human");
        let mut col = Column::new().spacing(2);
        if !human.is_empty() {
            col = col.push(
                text(fl!("queue-section-human", count = human.len()))
                    .size(16)
                    .style(text::danger),
            );
            for i in human {
                col = col.push(self.item_row(i));
            }
        }
        col = col.push(text(fl!("queue-section-other", count = other.len())).size(16));
        for i in other {
            col = col.push(self.item_row(i));
        }
        if self.items.is_empty() && !self.loading {
            col = col.push(small(fl!("queue-empty")));
        }
        if self.items.len() >= self.limit {
            col = col.push(
                button(text(fl!("queue-show-more")).size(13))
                    .on_press(Message::ShowMore)
                    .style(button::text),
            );
        }
        scrollable(col).height(Length::Fill).into()
    }

    fn detail(&self) -> Element<'_, Message> {
        let Some(i) = self.selected_item() else {
            return small(fl!("queue-select-hint")).into();
        };
        let mut col = Column::new()
            .spacing(6)
            .push(text(i.person.clone()).size(20));
        let status = text(status_name(&i.status)).size(14);
        col = col.push(if i.status == "needs_human" {
            status.style(text::danger)
        } else {
            status
        });
        let mut facts = vec![
            (fl!("queue-d-service"), service_name(&i.service)),
            (fl!("queue-d-tries"), i.tries.to_string()),
            (fl!("queue-d-created"), when(&i.created_at)),
            (fl!("queue-d-updated"), when(&i.updated_at)),
        ];
        if matches!(i.status.as_str(), "pending" | "failed_retrying") {
            facts.push((fl!("queue-d-next"), when(&i.next_attempt_at)));
        }
        if let Some(e) = &i.eppn {
            facts.insert(1, ("eppn".into(), e.clone()));
        }
        if let Some(c) = &i.error_code {
            facts.push((fl!("queue-d-code"), c.clone()));
        }
        if let Some(o) = &i.operation {
            facts.push((fl!("queue-d-operation"), o.clone()));
        }
        if i.error.is_some() {
            let b = if i.blocking {
                fl!("queue-blocking-yes")
            } else {
                fl!("queue-blocking-no")
            };
            facts.push((fl!("queue-d-blocking"), b));
        }
        if let Some(r) = &i.last_result {
            facts.push((fl!("queue-d-result"), r.clone()));
        }
        for (k, v) in facts {
            col = col.push(row![text(k).size(13).width(Length::Fixed(150.0)), small(v)]);
        }
        if let Some(e) = &i.error {
            col = col.push(notice(e.clone(), i.status == "needs_human"));
            let next = match i.status.as_str() {
                "needs_human" => Some(fl!("queue-hint-human")),
                "failed_retrying" => Some(fl!("queue-hint-retry")),
                "gave_up" => Some(fl!("queue-hint-recorded")),
                _ => None,
            };
            if let Some(n) = next {
                col = col.push(small(n));
            }
        }
        col = col.push(self.item_actions(&i.service));
        if let Some(p) = &self.patch {
            let input = |label: String, value: &str, f: PatchField| {
                row![
                    text(label).size(13).width(Length::Fixed(150.0)),
                    text_input("", value)
                        .on_input(move |s| Message::EditPatch(f, s))
                        .size(13)
                        .padding(5)
                ]
                .align_y(Alignment::Center)
            };
            col = col.push(
                container(
                    column![
                        input(fl!("queue-patch-old"), &p.old, PatchField::Old),
                        input(fl!("queue-patch-new"), &p.new, PatchField::New),
                        input(fl!("queue-patch-email"), &p.email, PatchField::Email),
                        row![
                            button(text(fl!("queue-patch-send")).size(13))
                                .on_press_maybe((!self.busy).then_some(Message::SendPatch))
                                .style(button::primary),
                            button(text(fl!("cancel")).size(13))
                                .on_press(Message::CancelPatch)
                                .style(button::text),
                        ]
                        .spacing(8),
                    ]
                    .spacing(6),
                )
                .padding(10)
                .style(theme::section),
            );
        }
        col = col.push(text(fl!("queue-live")).size(16)).push(self.live());
        // Room on the right so the scroll bar never covers a button or a value.
        scrollable(col.padding(iced::Padding::ZERO.right(14)))
            .height(Length::Fill)
            .into()
    }

    fn item_actions(&self, service: &str) -> Element<'_, Message> {
        let act = |label: String, msg: Message| {
            button(text(label).size(13))
                .on_press_maybe((!self.busy).then_some(msg))
                .style(button::secondary)
                .padding([5, 10])
        };
        let mut r = Row::new()
            .spacing(6)
            .push(act(fl!("queue-retry"), Message::RetrySelected));
        if service == "crous" {
            r = r
                .push(act(fl!("queue-patch"), Message::OpenPatch))
                .push(act(fl!("queue-crous-off"), Message::CrousOff))
                .push(act(fl!("queue-reopen"), Message::Reopen));
        }
        r.wrap().into()
    }

    fn live(&self) -> Element<'_, Message> {
        match &self.live {
            None => small(String::new()).into(),
            Some(Live::Loading) => small(fl!("queue-live-loading")).into(),
            Some(Live::Failed(m)) => notice(m.clone(), true),
            Some(Live::Shown(c)) => {
                let mut col = Column::new().spacing(2);
                col = col.push(small(match (&c.found_under, c.remote_missing) {
                    (Some(id), _) => fl!("queue-live-found", id = id.clone()),
                    (None, _) => fl!("queue-live-missing"),
                }));
                let w = Length::FillPortion(1);
                col = col.push(row![
                    text(fl!("queue-live-field")).size(12).width(w),
                    text(fl!("queue-live-local")).size(12).width(w),
                    text(fl!("queue-live-remote")).size(12).width(w),
                ]);
                for r in &c.rows {
                    let remote = text(r.remote.clone()).size(12).width(w);
                    let differs = !r.local.is_empty() && r.local != r.remote;
                    col = col.push(row![
                        text(r.field.clone()).size(12).width(w),
                        text(r.local.clone()).size(12).width(w),
                        if differs {
                            remote.style(theme::warning_text)
                        } else {
                            remote
                        },
                    ]);
                }
                col.into()
            }
        }
    }

    /// The bulk CROUS identifier migration: load a file or generate eppn → INE pairs (preview: every
    /// line pending), run, see each line's result, retry the failures.
    fn migration_view<'a>(&'a self, m: &'a super::Migration) -> Element<'a, Message> {
        let act = |label: String, msg: Option<Message>, primary: bool| {
            button(text(label).size(13))
                .on_press_maybe(msg.filter(|_| !self.busy))
                .style(if primary {
                    button::primary
                } else {
                    button::secondary
                })
                .padding([5, 10])
        };
        let pending = m.rows.iter().filter(|r| r.status == "pending").count();
        let failed = m.rows.iter().filter(|r| r.status == "failed").count();
        let done = m.rows.iter().filter(|r| r.status == "done").count();
        let top = row![
            text(fl!("migration-title")).size(18).width(Length::Fill),
            act(
                fl!("migration-close"),
                Some(Message::Migration(false)),
                false
            ),
        ]
        .align_y(Alignment::Center);
        let sources = row![
            act(fl!("migration-file"), Some(Message::MigrationFile), false),
            act(
                fl!("migration-generate"),
                Some(Message::MigrationGenerate),
                false
            ),
            iced::widget::space::horizontal(),
            act(
                fl!("migration-run", count = pending),
                (pending > 0).then_some(Message::MigrationRun),
                true
            ),
            act(
                fl!("migration-retry", count = failed),
                (failed > 0).then_some(Message::MigrationRetry),
                false
            ),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        let mut col = Column::new()
            .spacing(10)
            .push(top)
            .push(small(fl!("migration-help")))
            .push(sources);
        let Some(batch) = &m.batch else {
            return col.into();
        };
        col = col.push(small(fl!(
            "migration-batch",
            batch = batch.clone(),
            count = m.rows.len(),
            pending = pending,
            done = done,
            failed = failed
        )));
        let w = |p: u16| Length::FillPortion(p);
        let mut table = Column::new().spacing(2).push(row![
            text(fl!("migration-col-line")).size(12).width(w(1)),
            text(fl!("migration-col-old")).size(12).width(w(5)),
            text(fl!("migration-col-new")).size(12).width(w(3)),
            text(fl!("migration-col-mail")).size(12).width(w(5)),
            text(fl!("migration-col-result")).size(12).width(w(4)),
        ]);
        for r in m.rows.iter().take(1000) {
            let status = match r.status.as_str() {
                "done" => fl!("migration-status-done"),
                "failed" => fl!("migration-status-failed"),
                _ => fl!("migration-status-pending"),
            };
            let result = match &r.message {
                Some(msg) => format!("{status} — {msg}"),
                None => status,
            };
            let result = text(result).size(12).width(w(4));
            table = table.push(row![
                text(r.line.to_string()).size(12).width(w(1)),
                text(r.old_id.clone()).size(12).width(w(5)),
                text(r.new_id.clone()).size(12).width(w(3)),
                text(r.email.clone()).size(12).width(w(5)),
                if r.status == "failed" {
                    result.style(text::danger)
                } else {
                    result
                },
            ]);
        }
        if m.rows.len() > 1000 {
            table = table.push(small(fl!(
                "migration-more",
                count = m.rows.len().saturating_sub(1000)
            )));
        }
        col.push(
            container(scrollable(table).height(Length::Fill))
                .padding(10)
                .style(theme::section)
                .height(Length::Fill),
        )
        .into()
    }
}
