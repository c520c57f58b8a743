//! The person panel of the Desk: identity, identifiers, groups, photo, and every card with its history
//! and the actions the lifecycle allows.

use iced::widget::{Column, Row, Space, button, column, container, image, row, scrollable, text};
use iced::{Alignment, Element, Length, Theme};

use super::desk::Message;
use super::studio;
use crate::domain::card::{CardId, CardState, DisableReason};
use crate::fl;
use crate::gui::jobs::PersonView;
use crate::gui::widgets::text::{muted, titled};
use crate::gui::{stems, theme};
use crate::store::cards::CardDetail;
use crate::store::groups::GroupInfo;
use crate::store::prints::{JobOutcome, PrintJobRow};
use crate::ui_text;

/// A loaded person and its decoded photo handle (kept, so the image is uploaded once).
#[derive(Debug, Clone)]
pub struct Panel {
    pub view: PersonView,
    photo: Option<image::Handle>,
}

impl Panel {
    pub fn new(view: PersonView) -> Panel {
        let photo = view
            .detail
            .photo
            .as_ref()
            .map(|p| image::Handle::from_bytes(p.jpeg.clone()));
        Panel { view, photo }
    }

    pub fn view(&self, disable_for: Option<CardId>) -> Element<'_, Message> {
        let content = column![
            self.header(),
            titled(fl!("person-identifiers"), self.identifiers()),
            titled(fl!("person-groups"), self.groups()),
            titled(fl!("person-cards"), self.cards(disable_for)),
        ]
        .spacing(12)
        .padding([0, 14]);
        scrollable(content)
            .height(Length::Fill)
            .width(Length::Fill)
            .into()
    }

    fn header(&self) -> Element<'_, Message> {
        let d = &self.view.detail;
        let photo: Element<'_, Message> = match &self.photo {
            Some(h) => image(h.clone()).width(150).height(188).into(),
            None => container(text(fl!("person-no-photo")).size(12))
                .center(Length::Fixed(150.0))
                .height(188)
                .style(theme::section)
                .into(),
        };
        let mut info = Column::new()
            .spacing(4)
            .push(text(d.display_name.clone()).size(26));
        let mut line = vec![ui_text::affiliation(&d.record.affiliation)];
        if let Some(est) = &d.establishment {
            line.push(match &est.uai {
                Some(uai) => format!("{} ({uai})", est.name),
                None => est.name.clone(),
            });
        }
        info = info.push(text(line.join(" · ")).size(15));
        if let Some(s) = &d.structure
            && d.establishment.as_ref().map(|e| e.id) != Some(s.id)
        {
            info = info.push(text(s.name.clone()).size(14));
        }
        let mut facts: Vec<(String, String)> = Vec::new();
        if let Some(b) = d.record.birth_date {
            facts.push((fl!("person-birth-date"), ui_text::date(b)));
        }
        if let Some(m) = &d.record.email {
            facts.push((fl!("person-email"), m.clone()));
        }
        if let Some(due) = d.record.due_date {
            facts.push((fl!("person-due-date"), ui_text::date(due)));
        }
        for (k, v) in facts {
            info = info.push(labelled(k, v));
        }
        if let Some(t) = self.view.crous_tariff.as_ref().filter(|t| !t.is_empty()) {
            info = info.push(text(t.clone()).size(13));
        }
        if let Some(left) = d.departed_at {
            info = info.push(
                container(
                    text(fl!(
                        "person-departed",
                        date = ui_text::date(left.to_zoned(jiff::tz::TimeZone::system()).date())
                    ))
                    .size(13),
                )
                .padding([3, 10])
                .style(theme::badge(theme::DEPARTED)),
            );
        }
        if !d.record.editable {
            info = info.push(
                text(fl!("person-not-editable"))
                    .size(13)
                    .style(text::danger),
            );
        }
        row![photo, info]
            .spacing(16)
            .align_y(Alignment::Start)
            .into()
    }

    fn identifiers(&self) -> Element<'_, Message> {
        let r = &self.view.detail.record;
        let mut col = Column::new().spacing(3);
        let singles = [
            ("uid", &r.uid),
            ("eppn", &r.eppn),
            ("supannEtuId", &r.supann_etu_id),
            ("supannEmpId", &r.supann_emp_id),
            ("INE", &r.ine),
            ("ENT", &r.ent_login),
            ("DN", &r.dn),
            ("entryUUID", &r.entry_uuid),
        ];
        for (label, value) in singles {
            if let Some(v) = value {
                col = col.push(labelled(label.to_string(), v.clone()));
            }
        }
        for (kind, value) in &r.identifiers {
            col = col.push(labelled(ui_text::id_kind(*kind), value.clone()));
        }
        col.into()
    }

    fn groups(&self) -> Element<'_, Message> {
        let d = &self.view.detail;
        let mut col = Column::new().spacing(3);
        let names: Vec<&str> = d.groups.iter().map(|g| g.name.as_str()).collect();
        for line in stems::indent(&names) {
            col = col.push(match line {
                stems::Line::Stem { depth, label } => row![
                    Space::new().width(Length::Fixed(depth as f32 * 16.0)),
                    muted(label),
                ]
                .into(),
                stems::Line::Group { depth, index } => self.group_line(depth, &d.groups[index]),
            });
        }
        for l in &d.links {
            let label = match (l.kind.as_str(), l.outgoing) {
                ("parent_of", true) => fl!("person-parent-of", name = l.other_name.clone()),
                ("parent_of", false) => fl!("person-child-of", name = l.other_name.clone()),
                _ => format!("{}: {}", l.kind, l.other_name),
            };
            col = col.push(text(label).size(14));
        }
        if d.groups.is_empty() && d.links.is_empty() {
            col = col.push(text(fl!("person-no-groups")).size(14));
        }
        col.into()
    }

    /// A group of the person: its name (a link to the Groups screen) and its member count.
    fn group_line<'a>(&'a self, depth: usize, g: &'a GroupInfo) -> Element<'a, Message> {
        let count = self
            .view
            .group_members
            .iter()
            .find(|(id, _)| *id == g.id)
            .map(|(_, n)| *n)
            .unwrap_or(0);
        row![
            Space::new().width(Length::Fixed(depth as f32 * 16.0)),
            button(text(g.display_name.clone()).size(14))
                .on_press(Message::OpenGroup(g.id))
                .style(button::text)
                .padding([1, 4]),
            muted(fl!("groups-members", count = count)).size(12),
        ]
        .spacing(6)
        .align_y(Alignment::Center)
        .into()
    }

    fn cards(&self, disable_for: Option<CardId>) -> Element<'_, Message> {
        let d = &self.view.detail;
        let mut col = Column::new().spacing(10);
        match d.cards.iter().find(|c| c.state.is_request()) {
            Some(c) => col = col.push(text(fl!("person-request-pending", card = c.id)).size(14)),
            None => {
                col = col.push(
                    button(text(fl!("person-request-card")))
                        .on_press(Message::RequestCard(d.id))
                        .style(button::primary)
                        .padding([8, 14]),
                )
            }
        }
        if d.cards.is_empty() {
            col = col.push(text(fl!("person-no-card")).size(14));
        }
        for card in &d.cards {
            let offered = self
                .view
                .offered
                .iter()
                .find(|(id, _)| *id == card.id)
                .map(|(_, o)| o.as_slice())
                .unwrap_or(&[]);
            let last_job = self.view.print_jobs.iter().find(|j| j.card_id == card.id);
            col = col.push(card_box(
                card,
                offered,
                last_job,
                disable_for == Some(card.id),
            ));
        }
        col.into()
    }
}

fn labelled<'a>(label: String, value: String) -> Element<'a, Message> {
    row![
        muted(label).width(Length::Fixed(150.0)),
        text(value).size(14),
    ]
    .spacing(8)
    .into()
}

fn action_style(to: CardState) -> fn(&Theme, button::Status) -> button::Style {
    match to {
        CardState::Enabled => button::success,
        CardState::Disabled | CardState::Destroyed | CardState::Rejected | CardState::Canceled => {
            button::danger
        }
        CardState::RequestChecked | CardState::InPrint | CardState::Printed => button::primary,
        _ => button::secondary,
    }
}

/// States offering the encode panel: printed (or printing, or a run left half-way) for a first encoding,
/// encoded or enabled for an update of the chip.
const ENCODABLE: [CardState; 5] = [
    CardState::InPrint,
    CardState::Printed,
    CardState::InEncode,
    CardState::Encoded,
    CardState::Enabled,
];

fn card_box<'a>(
    card: &'a CardDetail,
    offered: &[CardState],
    last_job: Option<&'a PrintJobRow>,
    asking_reason: bool,
) -> Element<'a, Message> {
    let head = row![
        text(fl!("card-title", card = card.id)).size(16),
        container(text(ui_text::state(card.state)).size(12))
            .padding([3, 10])
            .style(theme::badge(theme::state_color(card.state))),
        text(fl!(
            "card-since",
            date = ui_text::datetime(card.state_at),
            actor = card
                .state_by
                .as_deref()
                .map(ui_text::actor)
                .unwrap_or_default()
        ))
        .size(12),
    ]
    .spacing(10)
    .align_y(Alignment::Center);

    let mut details = Column::new().spacing(2);
    if let Some(csn) = &card.csn {
        let [hex, rev, dec, rdec] = csn.forms();
        details = details.push(labelled(
            "CSN".into(),
            format!("{hex} · {rev} · {dec} · {rdec}"),
        ));
    }
    if let Some(e) = &card.escn {
        details = details.push(labelled("ESCN".into(), e.clone()));
    }
    if let Some(q) = &card.qr {
        details = details.push(labelled(fl!("card-qr"), q.clone()));
    }
    if let Some(due) = card.due_date {
        details = details.push(labelled(fl!("person-due-date"), ui_text::date(due)));
    }
    if let Some(r) = card.disable_reason {
        details = details.push(labelled(fl!("card-disable-reason"), ui_text::reason(r)));
    }

    let mut actions = Row::new().spacing(8);
    if card.state.photo_editable() {
        actions = actions.push(
            button(text(fl!("card-photo-action")).size(14))
                .on_press(Message::OpenStudio(card.id, studio::Step::Photo))
                .style(button::secondary)
                .padding([6, 12]),
        );
    }
    if ENCODABLE.contains(&card.state) {
        let label = if card.state.is_encoded() {
            fl!("encode-update-action")
        } else {
            fl!("encode-action")
        };
        actions = actions.push(
            button(text(label).size(14))
                .on_press(Message::OpenEncode(card.id))
                .style(button::primary)
                .padding([6, 12]),
        );
    }
    // Encoding goes through the encode panel (reader, progress, the card's CSN).
    for &to in offered.iter().filter(|to| **to != CardState::InEncode) {
        actions = actions.push(
            button(text(ui_text::action(to)).size(14))
                .on_press(Message::Transition(card.id, to))
                .style(action_style(to))
                .padding([6, 12]),
        );
    }

    let mut col = column![head, details].spacing(8);
    if let Some(job) =
        last_job.filter(|j| card.state == CardState::InPrint && j.state != JobOutcome::Completed)
    {
        let what = match job.state {
            JobOutcome::Sent => fl!("card-print-sent", printer = job.printer.clone()),
            _ => fl!(
                "card-print-failed",
                printer = job.printer.clone(),
                message = job.message.clone().unwrap_or_default()
            ),
        };
        col = col.push(
            container(text(what).size(13))
                .padding(6)
                .style(theme::error_banner),
        );
    }
    if !offered.is_empty() || card.state.photo_editable() || ENCODABLE.contains(&card.state) {
        col = col.push(actions);
    }
    if asking_reason {
        let mut reasons = Row::new()
            .spacing(8)
            .align_y(Alignment::Center)
            .push(text(fl!("card-disable-why")).size(14));
        for r in DisableReason::ALL {
            reasons = reasons.push(
                button(text(ui_text::reason(r)).size(14))
                    .on_press(Message::Disable(card.id, r))
                    .style(button::danger),
            );
        }
        reasons = reasons.push(
            button(text(fl!("cancel")).size(14))
                .on_press(Message::CancelDialog)
                .style(button::secondary),
        );
        col = col.push(container(reasons).padding(8).style(theme::error_banner));
    }
    col = col.push(text(fl!("card-history")).size(14));
    for e in &card.history {
        let step = match e.from {
            Some(from) => format!("{} → {}", ui_text::state(from), ui_text::state(e.to)),
            None => ui_text::state(e.to),
        };
        let comment =
            ui_text::history_comment(e.comment.as_deref(), e.note.as_ref()).unwrap_or_default();
        col = col.push(
            row![
                text(ui_text::datetime(e.at))
                    .size(12)
                    .width(Length::Fixed(120.0)),
                text(step).size(12).width(Length::FillPortion(3)),
                text(ui_text::actor(&e.actor))
                    .size(12)
                    .width(Length::FillPortion(2)),
                text(comment).size(12).width(Length::FillPortion(3)),
            ]
            .spacing(8),
        );
    }
    container(col.spacing(6))
        .padding(10)
        .width(Length::Fill)
        .style(theme::section)
        .into()
}
