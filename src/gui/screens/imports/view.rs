//! The Imports screen's widgets: the tabs, the export form and its result, the check form and SACoche's
//! three tables (problems first), the SIECLE preview and the import report.

use iced::widget::{Column, Row, button, column, container, pick_list, row, scrollable, text};
use iced::{Alignment, Element, Length};

use super::{Format, Message, Scope, State, Tab};
use crate::fl;
use crate::gui::imports_jobs::{LeftOut, Section};
use crate::gui::theme;
use crate::gui::widgets::banner::{banner, notice};
use crate::gui::widgets::choice;
use crate::gui::widgets::text::{boxed, muted, small};
use crate::library::sacoche::{self, CheckLine, Columns, Outcome};
use crate::library::siecle::{ImportReport, PupilRef};
use crate::library::text::Charset;

/// Rows a list shows at the most; the rest is counted.
pub const MAX_ROWS: usize = 300;

fn heading<'a>(s: String) -> Element<'a, Message> {
    text(s).size(17).into()
}

fn label<'a>(s: String) -> Element<'a, Message> {
    text(s).size(14).width(Length::Fixed(170.0)).into()
}

/// A button that works only when `enabled`.
fn action<'a>(label: String, enabled: bool, msg: Message) -> Element<'a, Message> {
    button(text(label))
        .on_press_maybe(enabled.then_some(msg))
        .style(button::primary)
        .padding([6, 16])
        .into()
}

/// "… and N more" under a list cut at [`MAX_ROWS`].
fn more<'a>(col: Column<'a, Message>, total: usize) -> Column<'a, Message> {
    if total > MAX_ROWS {
        let count = total - MAX_ROWS;
        col.push(muted(fl!("imports-more", count = count)))
    } else {
        col
    }
}

/// The hint of an ENT format: where its three columns are.
pub fn format_hint(name: &str) -> String {
    let Ok(f) = sacoche::format(name) else {
        return String::new();
    };
    match f.columns {
        Columns::Fixed {
            id,
            surname,
            given_name,
            sconet,
        } => {
            // Columns counted from 1, as a spreadsheet shows them.
            let (id, surname, given): (usize, usize, usize) = (id + 1, surname + 1, given_name + 1);
            let hint = fl!(
                "imports-format-fixed",
                id = id,
                surname = surname,
                given = given,
                header = f.header_lines
            );
            match sconet {
                Some(s) => {
                    let sconet: usize = s + 1;
                    format!("{hint} {}", fl!("imports-format-sconet", sconet = sconet))
                }
                None => hint,
            }
        }
        Columns::ByHeader {
            id,
            surname,
            given_name,
        } => fl!(
            "imports-format-header",
            id = id,
            surname = surname,
            given = given_name
        ),
    }
}

impl State {
    pub fn view(&self) -> Element<'_, Message> {
        let mut tabs = Row::new().spacing(6);
        for (tab, name) in [
            (Tab::Export, fl!("imports-tab-export")),
            (Tab::Check, fl!("imports-tab-check")),
            (Tab::Siecle, fl!("imports-tab-siecle")),
        ] {
            tabs = tabs.push(
                button(text(name))
                    .on_press(Message::Tab(tab))
                    .style(if self.tab == tab {
                        button::primary
                    } else {
                        button::text
                    })
                    .padding([6, 16]),
            );
        }
        let (section, body) = match self.tab {
            Tab::Export => (Section::Export, self.export_tab()),
            Tab::Check => (Section::Check, self.check_tab()),
            Tab::Siecle => (Section::Siecle, self.siecle_tab()),
        };
        let mut col = Column::new()
            .spacing(12)
            .push(text(fl!("imports-title")).size(26))
            .push(tabs);
        if let Some(e) = self.error_of(section) {
            col = col.push(banner(e.to_string(), true, Message::Dismiss(section)));
        }
        let body =
            scrollable(container(body).padding(iced::Padding::ZERO.right(14))).height(Length::Fill);
        col.push(body).padding(20).into()
    }

    fn working(&self, section: Section) -> Option<Element<'_, Message>> {
        (self.busy == Some(section)).then(|| muted(fl!("imports-working")).into())
    }

    fn school_row(&self) -> Element<'_, Message> {
        if self.schools.is_empty() {
            return notice(fl!("imports-no-school"), false);
        }
        row![
            label(fl!("imports-school")),
            pick_list(
                self.schools.as_slice(),
                self.school.as_ref(),
                Message::School
            )
            .placeholder(fl!("imports-school-choose"))
            .text_size(14),
        ]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
    }

    fn export_tab(&self) -> Element<'_, Message> {
        let charsets = row![
            label(fl!("imports-encoding")),
            choice(
                Charset::Utf8.label().to_string(),
                self.charset == Charset::Utf8,
                Message::Charset(Charset::Utf8)
            ),
            choice(
                Charset::Windows1252.label().to_string(),
                self.charset == Charset::Windows1252,
                Message::Charset(Charset::Windows1252)
            ),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        let ready = self.school.is_some() && self.busy.is_none();
        let mut form = column![
            muted(fl!("imports-export-intro")),
            self.school_row(),
            charsets,
            action(fl!("imports-save"), ready, Message::Save),
        ]
        .spacing(12);
        if let Some(w) = self.working(Section::Export) {
            form = form.push(w);
        }
        let mut col = column![boxed(form)].spacing(12);
        if let Some(e) = &self.exported {
            col = col.push(notice(
                crate::ui_text::sacoche_exported(&e.file, e.rows, e.left_out.len()),
                false,
            ));
            if !e.unmappable.is_empty() {
                col = col.push(notice(
                    crate::ui_text::sacoche_unmappable(&e.unmappable, e.charset),
                    true,
                ));
            }
            if !e.left_out.is_empty() {
                let mut result = Column::new().spacing(6).push(heading(fl!(
                    "imports-left-out-title",
                    count = e.left_out.len()
                )));
                for (name, why) in e.left_out.iter().take(MAX_ROWS) {
                    let why = match why {
                        LeftOut::Departed => fl!("imports-left-departed"),
                        LeftOut::NoId => fl!("imports-left-no-id"),
                    };
                    result = result.push(row![
                        text(name.clone()).size(13).width(Length::Fixed(320.0)),
                        muted(why)
                    ]);
                }
                col = col.push(boxed(more(result, e.left_out.len())));
            }
        }
        col.into()
    }

    fn check_tab(&self) -> Element<'_, Message> {
        let mut scopes = vec![Scope::All];
        scopes.extend(self.schools.iter().cloned().map(Scope::One));
        let hint = self.format.map(|f| format_hint(f.0)).unwrap_or_default();
        let ready = self.format.is_some() && self.busy.is_none();
        let mut form = column![
            muted(fl!("imports-check-intro")),
            row![
                label(fl!("imports-format")),
                pick_list(Format::all(), self.format, Message::Format).text_size(14),
                muted(hint),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
            row![
                label(fl!("imports-scope")),
                pick_list(scopes, self.scope.clone(), Message::Scope).text_size(14),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
            action(fl!("imports-load-ent"), ready, Message::LoadEnt),
        ]
        .spacing(12);
        if let Some(w) = self.working(Section::Check) {
            form = form.push(w);
        }
        let mut col = column![boxed(form)].spacing(12);
        let Some(c) = &self.checked else {
            return col.into();
        };
        let r = &c.report;
        let mut summary = column![
            notice(
                crate::ui_text::sacoche_checked(&c.file, &r.counts),
                r.counts.problems > 0
            ),
            muted(fl!(
                "imports-check-read-as",
                format = r.format,
                charset = r.charset,
                separator = r.separator.clone()
            )),
        ]
        .spacing(6);
        if !r.skipped_lines.is_empty() {
            let lines: Vec<String> = r.skipped_lines.iter().map(|l| l.to_string()).collect();
            summary = summary.push(muted(fl!(
                "imports-skipped-lines",
                lines = lines.join(", ")
            )));
        }
        col = col.push(summary);
        for (title, lines, alarm) in [
            (
                fl!("imports-table-problems", count = r.problems.len()),
                &r.problems,
                true,
            ),
            (
                fl!("imports-table-set", count = r.modified.len()),
                &r.modified,
                false,
            ),
            (
                fl!("imports-table-unchanged", count = r.unchanged.len()),
                &r.unchanged,
                false,
            ),
        ] {
            if !lines.is_empty() {
                col = col.push(self.check_table(title, lines, alarm));
            }
        }
        col.into()
    }

    /// One of SACoche's tables; the problems' in the error colours.
    fn check_table<'a>(
        &'a self,
        title: String,
        lines: &'a [CheckLine],
        alarm: bool,
    ) -> Element<'a, Message> {
        let head = |s: String, w: f32| text(s).size(13).width(Length::Fixed(w));
        let mut table = Column::new().spacing(3).push(heading(title)).push(row![
            head(fl!("imports-col-line"), 60.0),
            head(fl!("imports-col-name"), 260.0),
            head(fl!("imports-col-id"), 200.0),
            text(fl!("imports-col-outcome")).size(13),
        ]);
        for l in lines.iter().take(MAX_ROWS) {
            let cell = |s: String, w: f32| text(s).size(13).width(Length::Fixed(w));
            table = table.push(row![
                cell(l.line.to_string(), 60.0),
                cell(
                    crate::domain::names::display_name(&l.surname, &l.given_name),
                    260.0
                ),
                cell(l.id_ent.clone(), 200.0),
                text(self.outcome(l)).size(13).width(Length::Fill),
            ]);
        }
        let table = more(table, lines.len());
        if alarm {
            container(table)
                .padding(14)
                .width(Length::Fill)
                .style(theme::error_banner)
                .into()
        } else {
            boxed(table)
        }
    }

    /// What SACoche will do with a line, in words.
    pub fn outcome(&self, l: &CheckLine) -> String {
        match &l.outcome {
            Outcome::Set {
                previous: Some(previous),
                ..
            } => fl!("imports-outcome-replace", previous = previous.clone()),
            Outcome::Set { previous: None, .. } => fl!("imports-outcome-set"),
            Outcome::Unchanged { .. } => fl!("imports-outcome-unchanged"),
            Outcome::NotFound => fl!("imports-outcome-not-found"),
            Outcome::Homonyms { person_ids } => {
                fl!("imports-outcome-homonyms", count = person_ids.len())
            }
            Outcome::IdUsed { used_by, .. } => {
                let person = self
                    .checked
                    .as_ref()
                    .and_then(|c| c.holders.get(used_by).cloned())
                    .unwrap_or_else(|| used_by.to_string());
                fl!("imports-outcome-id-used", person = person)
            }
        }
    }

    fn siecle_tab(&self) -> Element<'_, Message> {
        let mut form = column![
            muted(fl!("imports-siecle-intro")),
            action(
                fl!("imports-load-siecle"),
                self.busy.is_none(),
                Message::LoadSiecle
            ),
        ]
        .spacing(12);
        if let Some(w) = self.working(Section::Siecle) {
            form = form.push(w);
        }
        let mut col = column![boxed(form)].spacing(12);
        if let Some(p) = &self.preview {
            let school = match self.schools.iter().find(|s| s.uai == p.parsed.uai) {
                Some(s) => s.to_string(),
                None => fl!("imports-school-new"),
            };
            let facts = column![
                heading(p.file.clone()),
                small(fl!(
                    "imports-preview-facts",
                    uai = p.parsed.uai.clone(),
                    school = school,
                    pupils = p.parsed.pupils.len(),
                    charset = p.parsed.charset.label()
                )),
                row![
                    text(fl!("imports-plan-title")).size(15).width(Length::Fill),
                    action(fl!("imports-import"), self.busy.is_none(), Message::Import),
                ]
                .align_y(Alignment::Center),
                report_view(&p.plan),
            ]
            .spacing(10);
            col = col.push(boxed(facts));
        }
        if let Some((file, report)) = &self.imported {
            let done = column![
                notice(crate::ui_text::siecle_imported(file, report), false),
                text(fl!("imports-report-title")).size(15),
                report_view(report),
            ]
            .spacing(10);
            col = col.push(boxed(done));
        }
        col.into()
    }
}

/// The pupils of an import (or of its preview), by what happens to them.
fn report_view(r: &ImportReport) -> Element<'_, Message> {
    let mut counts = Row::new().spacing(24);
    let groups = [
        (fl!("imports-added"), &r.added),
        (fl!("imports-updated"), &r.updated),
        (fl!("imports-left"), &r.left),
        (fl!("imports-absent"), &r.absent),
        (fl!("imports-in-directory"), &r.in_directory),
    ];
    for (name, list) in &groups {
        counts = counts.push(column![
            text(list.len().to_string()).size(20),
            muted(name.clone())
        ]);
    }
    counts = counts.push(column![
        text(r.skipped.len().to_string()).size(20),
        muted(fl!("imports-skipped"))
    ]);
    let mut col = Column::new().spacing(10).push(counts);
    if !r.skipped.is_empty() {
        let mut list = Column::new()
            .spacing(3)
            .push(text(fl!("imports-skipped")).size(14));
        for s in r.skipped.iter().take(MAX_ROWS) {
            let line = crate::ui_text::siecle_skipped(s);
            list = list.push(small(line));
        }
        col = col.push(more(list, r.skipped.len()));
    }
    for (name, pupils) in groups {
        if !pupils.is_empty() {
            col = col.push(pupil_list(name, pupils));
        }
    }
    col.into()
}

fn pupil_list<'a>(title: String, pupils: &'a [PupilRef]) -> Element<'a, Message> {
    let cell = |s: String, w: f32| text(s).size(13).width(Length::Fixed(w));
    let mut list = Column::new().spacing(3).push(text(title).size(14));
    for p in pupils.iter().take(MAX_ROWS) {
        // Line 0: a pupil of an earlier import, absent from this file.
        let line = if p.line == 0 {
            String::new()
        } else {
            fl!("imports-line", line = p.line)
        };
        list = list.push(row![
            cell(line, 90.0),
            cell(p.name.clone(), 300.0),
            small(p.ine.clone().unwrap_or_default()),
        ]);
    }
    more(list, pupils.len()).into()
}
