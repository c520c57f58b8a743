//! The plan BCDI will apply (counts, mode, one tab a list), the resolutions (homonym groups side by side,
//! suggestions with their verdict) and the two lists the outputs step shows on screen too.

use iced::widget::{Column, Row, button, column, container, row, text};
use iced::{Alignment, Element, Length};

use super::{Message, PlanTab, State};
use crate::fl;
use crate::gui::theme;
use crate::gui::widgets::choice_maybe as choice;
use crate::gui::widgets::text::{muted, small, titled};
use crate::library::bcdi::TEMPORARY_USER;
use crate::library::reconcile::{Homonyms, Matched, Plan, Suggestion, Verdict};
use crate::library::workflow::Preview;
use crate::ui_text::{counts_line, mode_line, reason_name, verdict_name};

/// A table row: each cell a share of the width.
fn cells<'a>(values: Vec<(String, u16)>) -> Element<'a, Message> {
    let mut r = Row::new().spacing(10).align_y(Alignment::Start);
    for (v, share) in values {
        r = r.push(small(v).width(Length::FillPortion(share)));
    }
    r.into()
}

fn header<'a>(values: Vec<(String, u16)>) -> Element<'a, Message> {
    let mut r = Row::new().spacing(10);
    for (v, share) in values {
        r = r.push(muted(v).width(Length::FillPortion(share)));
    }
    r.into()
}

fn table<'a>(head: Element<'a, Message>, rows: Vec<Element<'a, Message>>) -> Element<'a, Message> {
    if rows.is_empty() {
        return muted(fl!("library-list-empty")).into();
    }
    let mut col = Column::new().spacing(4).push(head);
    for r in rows {
        col = col.push(r);
    }
    col.into()
}

fn field_name(field: &str) -> String {
    match field {
        "name" => fl!("library-col-name"),
        "status" => fl!("library-col-status"),
        "class" => fl!("library-col-class"),
        "ent_id" => fl!("library-col-ent-id"),
        other => other.to_string(),
    }
}

fn dash(s: &str) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        s.to_string()
    }
}

fn opt(s: Option<&str>) -> String {
    dash(s.unwrap_or(""))
}

/// Rows of a plan tab shown at once.
const PAGE: usize = 100;

/// How many rows a plan tab lists.
fn tab_len(plan: &Plan, tab: PlanTab) -> usize {
    match tab {
        PlanTab::New => plan.new.len(),
        PlanTab::Updated => plan.updated.len(),
        PlanTab::Deleted => plan.deleted.len(),
        PlanTab::SetAside => plan.set_aside.len(),
        PlanTab::Homonyms => plan.homonyms.len(),
        PlanTab::Suggestions => plan.suggestions.len(),
    }
}

/// "Rows 101–200 of 1,834", with the previous and next pages.
fn pager<'a>(page: usize, rows: std::ops::Range<usize>, total: usize) -> Element<'a, Message> {
    let nav = |label: String, to: Option<usize>| {
        button(text(label).size(13))
            .style(button::secondary)
            .on_press_maybe(to.map(Message::Page))
    };
    let (from, to) = (rows.start + 1, rows.end);
    row![
        muted(fl!("library-rows", from = from, to = to, total = total)),
        nav(fl!("library-rows-previous"), page.checked_sub(1)),
        nav(
            fl!("library-rows-next"),
            (rows.end < total).then_some(page + 1)
        ),
    ]
    .spacing(10)
    .align_y(Alignment::Center)
    .into()
}

/// The match of a borrower in the plan, if any.
fn matched_of(p: &Preview, borrower: usize) -> Option<&Matched> {
    p.plan
        .updated
        .iter()
        .chain(&p.plan.unchanged)
        .find(|m| m.borrower == borrower)
}

impl State {
    pub(super) fn plan_view(&self) -> Element<'_, Message> {
        let Some(p) = &self.preview else {
            return muted(fl!("library-working")).into();
        };
        let plan = &p.plan;
        let mut summary = Column::new()
            .spacing(6)
            .push(small(mode_line(plan.mode)))
            .push(text(counts_line(plan)).size(15));
        if plan.parents > 0 {
            summary = summary.push(muted(fl!("library-parents", count = plan.parents)));
        }
        if plan.extra_records() > 0 {
            summary = summary.push(
                small(fl!("library-extra-records", count = plan.extra_records()))
                    .style(theme::warning_text),
            );
        }
        let mut tabs = Row::new().spacing(6);
        for t in PlanTab::ALL {
            let count = tab_len(plan, t);
            let label = match t {
                PlanTab::New => fl!("library-tab-new", count = count),
                PlanTab::Updated => fl!("library-tab-updated", count = count),
                PlanTab::Deleted => fl!("library-tab-deleted", count = count),
                PlanTab::SetAside => fl!("library-tab-set-aside", count = count),
                PlanTab::Homonyms => fl!("library-tab-homonyms", count = count),
                PlanTab::Suggestions => fl!("library-tab-suggestions", count = count),
            };
            let on = self.tab == t;
            tabs = tabs.push(choice(label, on, (!on).then_some(Message::Tab(t))));
        }
        // One page of the tab's rows: a plan for a whole school runs to thousands.
        let total = tab_len(plan, self.tab);
        let page = self.page.min(total.saturating_sub(1) / PAGE);
        let rows = page * PAGE..(page * PAGE + PAGE).min(total);
        let list = match self.tab {
            PlanTab::New => new_list(p, &plan.new[rows.clone()]),
            PlanTab::Updated => updated_list(p, &plan.updated[rows.clone()]),
            PlanTab::Deleted => leaving_list(p, &plan.deleted[rows.clone()], false),
            PlanTab::SetAside => leaving_list(p, &plan.set_aside[rows.clone()], true),
            PlanTab::Homonyms => homonyms_list(&plan.homonyms[rows.clone()]),
            PlanTab::Suggestions => suggestions_list(p, &plan.suggestions[rows.clone()]),
        };
        let list: Element<'_, Message> = if total > PAGE {
            // Above and below: the range is read first, and the next page is at hand after reading.
            column![
                pager(page, rows.clone(), total),
                list,
                pager(page, rows, total)
            ]
            .spacing(10)
            .into()
        } else {
            list
        };
        column![
            container(summary)
                .padding(12)
                .width(Length::Fill)
                .style(theme::section),
            tabs.wrap().vertical_spacing(6),
            container(list)
                .padding(12)
                .width(Length::Fill)
                .style(theme::section),
        ]
        .spacing(12)
        .into()
    }

    pub(super) fn resolutions_view(&self) -> Element<'_, Message> {
        let Some(p) = &self.preview else {
            return muted(fl!("library-working")).into();
        };
        let plan = &p.plan;
        if plan.homonyms.is_empty() && plan.suggestions.is_empty() {
            return muted(fl!("library-resolutions-none")).into();
        }
        let mut col = Column::new().spacing(12);
        if !plan.homonyms.is_empty() {
            let mut groups = Column::new().spacing(16);
            for h in &plan.homonyms {
                groups = groups.push(self.homonym_group(p, h));
            }
            col = col.push(titled(fl!("library-homonyms-title"), groups.into()));
        }
        if !plan.suggestions.is_empty() {
            let mut list = Column::new().spacing(10);
            for s in &plan.suggestions {
                list = list.push(self.suggestion(p, s));
            }
            col = col.push(titled(fl!("library-suggestions-title"), list.into()));
        }
        col.into()
    }

    fn homonym_group<'a>(&'a self, p: &'a Preview, h: &'a Homonyms) -> Element<'a, Message> {
        let status = if h.resolved {
            small(fl!("library-homonym-resolved")).style(text::success)
        } else {
            small(fl!("library-homonym-unresolved", count = h.ents.len()))
                .style(theme::warning_text)
        };
        let keys: Vec<String> = h.borrowers.iter().map(|&b| p.keys[b].clone()).collect();
        let mut left = Column::new()
            .spacing(6)
            .push(muted(fl!("library-homonym-bcdi")));
        for &b in &h.borrowers {
            let x = &p.borrowers[b];
            let current = matched_of(p, b).map(|m| m.ent);
            let mut buttons = Row::new().spacing(6);
            for (n, &e) in h.ents.iter().enumerate() {
                let ent_id = &p.ent[e].ent_id;
                if ent_id.is_empty() {
                    continue;
                }
                let on = current == Some(e);
                let msg = if on {
                    Message::Unpair(keys.clone())
                } else {
                    Message::Pair(p.keys[b].clone(), ent_id.clone())
                };
                let no = n + 1;
                let label = fl!("library-is-file", n = no);
                buttons = buttons.push(choice(label, on, (!self.busy).then_some(msg)));
            }
            let line = fl!(
                "library-bcdi-record",
                number = opt(x.number.as_deref()),
                class = opt(x.class.as_deref()),
                loans = x.loans.unwrap_or(0)
            );
            left = left.push(
                column![small(line), buttons.wrap().vertical_spacing(4)]
                    .spacing(4)
                    .padding([0, 8]),
            );
        }
        let mut right = Column::new()
            .spacing(6)
            .push(muted(fl!("library-homonym-file")));
        for (n, &e) in h.ents.iter().enumerate() {
            let x = &p.ent[e];
            let no = n + 1;
            right = right.push(
                small(fl!(
                    "library-file-record",
                    n = no,
                    status = x.status.clone(),
                    class = opt(x.class.as_deref()),
                    birth = dash(&x.birth_date),
                    id = dash(&x.ent_id)
                ))
                .width(Length::Fill),
            );
        }
        let title = fl!(
            "library-homonym-title",
            name = h.name.clone(),
            bcdi = h.borrowers.len(),
            file = h.ents.len()
        );
        container(
            column![
                row![text(title).size(15).width(Length::Fill), status]
                    .spacing(12)
                    .align_y(Alignment::Center),
                row![
                    left.width(Length::FillPortion(1)),
                    right.width(Length::FillPortion(1))
                ]
                .spacing(16),
            ]
            .spacing(8),
        )
        .padding(10)
        .width(Length::Fill)
        .style(theme::section)
        .into()
    }

    fn suggestion<'a>(&'a self, p: &'a Preview, s: &'a Suggestion) -> Element<'a, Message> {
        let b = &p.borrowers[s.borrower];
        let e = &p.ent[s.ent];
        let (key, id) = (p.keys[s.borrower].clone(), e.ent_id.clone());
        let verdict =
            |v: Verdict| (!self.busy).then(|| Message::Verdict(key.clone(), id.clone(), v));
        let actions: Element<'_, Message> = match s.verdict {
            Verdict::Pending => row![
                button(text(fl!("library-accept")).size(13))
                    .on_press_maybe(verdict(Verdict::Accepted))
                    .padding([5, 10]),
                button(text(fl!("library-reject")).size(13))
                    .on_press_maybe(verdict(Verdict::Rejected))
                    .style(button::secondary)
                    .padding([5, 10]),
            ]
            .spacing(6)
            .into(),
            decided => row![
                small(verdict_name(decided)),
                button(text(fl!("library-change-back")).size(13))
                    .on_press_maybe(verdict(Verdict::Pending))
                    .style(button::secondary)
                    .padding([5, 10]),
            ]
            .spacing(8)
            .align_y(Alignment::Center)
            .into(),
        };
        let names = column![
            small(fl!(
                "library-suggestion-bcdi",
                name = b.name.clone(),
                number = opt(b.number.as_deref())
            )),
            small(fl!(
                "library-suggestion-ent",
                name = e.name.clone(),
                class = opt(e.class.as_deref())
            )),
            muted(reason_name(s.reason)),
        ]
        .spacing(2)
        .width(Length::Fill);
        row![names, actions]
            .spacing(12)
            .align_y(Alignment::Center)
            .into()
    }

    pub(super) fn renames_view(&self) -> Element<'_, Message> {
        let Some(p) = &self.preview else {
            return muted(fl!("library-working")).into();
        };
        let rows = p
            .plan
            .renames
            .iter()
            .map(|(b, name)| {
                let x = &p.borrowers[*b];
                cells(vec![
                    (opt(x.number.as_deref()), 1),
                    (x.name.clone(), 2),
                    (name.clone(), 2),
                ])
            })
            .collect();
        let head = header(vec![
            (fl!("library-col-number"), 1),
            (fl!("library-col-name-bcdi"), 2),
            (fl!("library-col-name-new"), 2),
        ]);
        titled(fl!("library-renames-title"), table(head, rows))
    }

    pub(super) fn set_aside_view(&self) -> Element<'_, Message> {
        let Some(p) = &self.preview else {
            return muted(fl!("library-working")).into();
        };
        titled(
            fl!("library-set-aside-title"),
            leaving_list(p, &p.plan.set_aside, true),
        )
    }
}

fn new_list<'a>(p: &'a Preview, list: &[usize]) -> Element<'a, Message> {
    let rows = list
        .iter()
        .map(|&e| {
            let x = &p.ent[e];
            cells(vec![
                (x.name.clone(), 3),
                (x.status.clone(), 2),
                (opt(x.class.as_deref()), 1),
                (dash(&x.ent_id), 3),
            ])
        })
        .collect();
    let head = header(vec![
        (fl!("library-col-name"), 3),
        (fl!("library-col-status"), 2),
        (fl!("library-col-class"), 1),
        (fl!("library-col-ent-id"), 3),
    ]);
    table(head, rows)
}

fn updated_list<'a>(p: &'a Preview, list: &[Matched]) -> Element<'a, Message> {
    let rows: Vec<_> = list
        .iter()
        .map(|m| {
            let changes: Vec<String> = m
                .changes
                .iter()
                .map(|c| {
                    fl!(
                        "library-change",
                        field = field_name(c.field),
                        from = dash(&c.from),
                        to = dash(&c.to)
                    )
                })
                .collect();
            let mark = if m.ambiguous { "?" } else { "" };
            row![
                text(mark)
                    .size(13)
                    .width(Length::Fixed(16.0))
                    .style(theme::warning_text),
                cells(vec![
                    (p.borrowers[m.borrower].name.clone(), 2),
                    (changes.join("\n"), 4),
                ]),
            ]
            .spacing(6)
            .into()
        })
        .collect();
    let head = row![
        text("").width(Length::Fixed(16.0)),
        header(vec![
            (fl!("library-col-name-bcdi"), 2),
            (fl!("library-col-changes"), 4)
        ]),
    ]
    .spacing(6);
    let list = table(head.into(), rows);
    if p.plan.ambiguous() > 0 {
        column![list, muted(fl!("library-ambiguous-note"))]
            .spacing(8)
            .into()
    } else {
        list
    }
}

fn leaving_list<'a>(p: &'a Preview, list: &[usize], set_aside: bool) -> Element<'a, Message> {
    let rows = list
        .iter()
        .map(|&b| {
            let x = &p.borrowers[b];
            let mut v = vec![
                (opt(x.number.as_deref()), 1),
                (x.name.clone(), 3),
                (x.status.clone(), 2),
                (opt(x.class.as_deref()), 1),
            ];
            if set_aside {
                v.push((x.loans.unwrap_or(0).to_string(), 1));
                v.push((fl!("library-becomes", kind = TEMPORARY_USER), 2));
            }
            cells(v)
        })
        .collect();
    let mut head = vec![
        (fl!("library-col-number"), 1),
        (fl!("library-col-name-bcdi"), 3),
        (fl!("library-col-status"), 2),
        (fl!("library-col-class"), 1),
    ];
    if set_aside {
        head.push((fl!("library-col-loans"), 1));
        head.push((String::new(), 2));
    }
    table(header(head), rows)
}

fn homonyms_list<'a>(list: &[Homonyms]) -> Element<'a, Message> {
    let rows = list
        .iter()
        .map(|h| {
            let state = if h.resolved {
                fl!("library-homonym-resolved")
            } else {
                fl!("library-homonym-unresolved", count = h.ents.len())
            };
            cells(vec![
                (h.name.clone(), 3),
                (h.borrowers.len().to_string(), 1),
                (h.ents.len().to_string(), 1),
                (state, 4),
            ])
        })
        .collect();
    let head = header(vec![
        (fl!("library-col-name"), 3),
        (fl!("library-homonym-bcdi"), 1),
        (fl!("library-homonym-file"), 1),
        (String::new(), 4),
    ]);
    table(head, rows)
}

fn suggestions_list<'a>(p: &'a Preview, list: &[Suggestion]) -> Element<'a, Message> {
    let rows = list
        .iter()
        .map(|s| {
            cells(vec![
                (p.borrowers[s.borrower].name.clone(), 2),
                (p.ent[s.ent].name.clone(), 2),
                (reason_name(s.reason), 2),
                (verdict_name(s.verdict), 2),
            ])
        })
        .collect();
    let head = header(vec![
        (fl!("library-col-name-bcdi"), 2),
        (fl!("library-col-name-ent"), 2),
        (fl!("library-col-reason"), 2),
        (String::new(), 2),
    ]);
    table(head, rows)
}
