//! The Library screen's frame (title, step bar, Back/Next, banners) and the first two steps and the last:
//! the establishment or the ENT file, BCDI's list with the deletion scope, the output files. The plan
//! and the resolutions are in `plan_view.rs`.

use iced::widget::{
    Column, Row, button, checkbox, column, container, radio, row, scrollable, text, text_input,
};
use iced::{Alignment, Element, Length};

use super::{Message, Pick, ScopeKind, SourceKind, State, Step};
use crate::fl;
use crate::gui::library_jobs::Loaded;
use crate::gui::theme;
use crate::gui::widgets::banner::{banner, notice};
use crate::gui::widgets::choice_maybe as choice;
use crate::gui::widgets::text::{muted, small, titled};
use crate::library::bcdi::Population;
use crate::library::text::Charset;
use crate::ui_text::skipped_line;

fn step_name(s: Step) -> String {
    match s {
        Step::Establishment => fl!("library-step-establishment"),
        Step::Files => fl!("library-step-files"),
        Step::Plan => fl!("library-step-plan"),
        Step::Resolutions => fl!("library-step-resolutions"),
        Step::Outputs => fl!("library-step-outputs"),
    }
}

fn loaded_line<'a>(file: Option<&Loaded>) -> Element<'a, Message> {
    match file {
        Some(f) => small(fl!(
            "library-file-loaded",
            file = f.name.clone(),
            count = f.count
        ))
        .into(),
        None => muted(fl!("library-file-none")).into(),
    }
}

impl State {
    pub fn view(&self) -> Element<'_, Message> {
        let mut head = Column::new()
            .spacing(10)
            .push(text(fl!("library-title")).size(26))
            .push(self.step_bar());
        if let Some(e) = &self.error {
            head = head.push(banner(e.clone(), true, Message::DismissBanner));
        } else if let Some(i) = &self.info {
            head = head.push(banner(i.clone(), false, Message::DismissBanner));
        }
        let body = match self.step {
            Step::Establishment => self.establishment_view(),
            Step::Files => self.files_view(),
            Step::Plan => self.plan_view(),
            Step::Resolutions => self.resolutions_view(),
            Step::Outputs => self.outputs_view(),
        };
        column![
            head,
            scrollable(container(body).padding(iced::Padding::ZERO.right(14))).height(Length::Fill)
        ]
        .spacing(12)
        .padding(20)
        .into()
    }

    fn step_bar(&self) -> Element<'_, Message> {
        let mut bar = Row::new().spacing(6).align_y(Alignment::Center);
        for (i, s) in Step::ALL.into_iter().enumerate() {
            if i > 0 {
                bar = bar.push(muted("→"));
            }
            let label = if s == self.step {
                container(text(step_name(s)).size(14))
                    .padding([5, 10])
                    .style(theme::info_banner)
            } else {
                container(muted(step_name(s)).size(14)).padding([5, 10])
            };
            bar = bar.push(label);
        }
        bar = bar.push(iced::widget::space::horizontal());
        if self.busy {
            bar = bar.push(muted(fl!("library-working")));
        }
        if self.has_back() {
            bar = bar.push(
                button(text(fl!("library-back")))
                    .on_press_maybe((!self.busy).then_some(Message::Back))
                    .style(button::secondary),
            );
        }
        if self.has_next() {
            bar = bar.push(
                button(text(fl!("library-next")))
                    .on_press_maybe(self.can_advance().then_some(Message::Next)),
            );
        }
        bar.into()
    }

    fn establishment_view(&self) -> Element<'_, Message> {
        let source = row![
            radio(
                fl!("library-source-directory"),
                SourceKind::Directory,
                Some(self.source),
                Message::Source
            )
            .size(16),
            radio(
                fl!("library-source-ent"),
                SourceKind::EntFile,
                Some(self.source),
                Message::Source
            )
            .size(16),
        ]
        .spacing(24);
        let mut col = Column::new().spacing(12).push(source);
        match self.source {
            SourceKind::Directory => {
                col = col
                    .push(titled(
                        fl!("library-establishment"),
                        self.establishments_list(),
                    ))
                    .push(titled(fl!("library-populations"), self.populations_view()));
                if let Some(census) = self.census.as_ref().filter(|c| !c.classes.is_empty()) {
                    col = col.push(titled(fl!("library-classes"), self.classes_view(census)));
                }
                col = col.push(self.census_view());
                if self.census.as_ref().is_some_and(|c| c.count > 0) {
                    col = col.push(titled(fl!("library-export-only"), self.export_only_view()));
                }
            }
            SourceKind::EntFile => {
                let open = button(text(fl!("library-ent-open")))
                    .on_press_maybe((!self.busy).then_some(Message::Open(Pick::EntFile)));
                let body = column![
                    muted(fl!("library-ent-help")),
                    row![open, loaded_line(self.ent_file.as_ref())]
                        .spacing(12)
                        .align_y(Alignment::Center),
                ]
                .spacing(8);
                col = col.push(titled(fl!("library-ent-title"), body.into()));
            }
        }
        col.into()
    }

    fn establishments_list(&self) -> Element<'_, Message> {
        if self.establishments.is_empty() {
            return muted(fl!("library-establishments-none")).into();
        }
        let mut list = Column::new().spacing(2);
        for e in &self.establishments {
            let Some(uai) = e.uai.clone() else { continue };
            let on = self.uai.as_deref() == Some(uai.as_str());
            list = list.push(
                button(
                    row![
                        text(uai.clone()).size(14).width(Length::Fixed(110.0)),
                        text(e.name.clone()).size(14),
                    ]
                    .spacing(12),
                )
                .on_press(Message::Establishment(uai))
                .style(theme::list_row(on))
                .width(Length::Fill)
                .padding([6, 10]),
            );
        }
        list.into()
    }

    fn populations_view(&self) -> Element<'_, Message> {
        let mut pops = Row::new().spacing(24);
        for p in Population::ALL {
            let label = match p {
                Population::Pupils => fl!("library-pop-pupils"),
                Population::Teachers => fl!("library-pop-teachers"),
                Population::Staff => fl!("library-pop-staff"),
            };
            pops = pops.push(
                checkbox(self.populations.contains(&p))
                    .label(label)
                    .on_toggle(move |on| Message::Population(p, on)),
            );
        }
        column![pops, muted(fl!("library-parents-never"))]
            .spacing(8)
            .into()
    }

    fn classes_view<'a>(&'a self, census: &'a super::Census) -> Element<'a, Message> {
        let mut chips = Row::new().spacing(6).push(choice(
            fl!("library-classes-all"),
            self.classes.is_empty(),
            (!self.classes.is_empty()).then_some(Message::AllClasses),
        ));
        for c in &census.classes {
            chips = chips.push(choice(
                c.clone(),
                self.classes.contains(c),
                Some(Message::Class(c.clone())),
            ));
        }
        chips.wrap().vertical_spacing(6).into()
    }

    fn census_view(&self) -> Element<'_, Message> {
        let Some(c) = &self.census else {
            let line = match (&self.uai, self.populations.is_empty()) {
                (None, _) => fl!("library-pick-establishment"),
                (Some(_), true) => fl!("library-pick-population"),
                (Some(_), false) => fl!("library-census-loading"),
            };
            return muted(line).into();
        };
        let mut col = Column::new()
            .spacing(6)
            .push(text(fl!("library-census", count = c.count)).size(15));
        if !c.without_class.is_empty() {
            col = col.push(small(fl!(
                "library-without-class",
                count = c.without_class.len(),
                names = c.without_class.join(", ")
            )));
        }
        if !c.skipped.is_empty() {
            let mut left = Column::new().spacing(2);
            for s in &c.skipped {
                left = left.push(small(skipped_line(s)));
            }
            col = col.push(titled(
                fl!("library-left-out", count = c.skipped.len()),
                left.into(),
            ));
        }
        col.into()
    }

    fn files_view(&self) -> Element<'_, Message> {
        let open = button(text(fl!("library-borrowers-open")))
            .on_press_maybe((!self.busy).then_some(Message::Open(Pick::Borrowers)));
        let borrowers = column![
            muted(fl!("library-borrowers-help")),
            row![open, loaded_line(self.borrowers.as_ref())]
                .spacing(12)
                .align_y(Alignment::Center),
        ]
        .spacing(8);
        let option = |label: String, kind: ScopeKind| {
            radio(label, kind, Some(self.scope_kind), Message::Scope).size(16)
        };
        let mut scope = Column::new()
            .spacing(8)
            .push(option(fl!("library-scope-all"), ScopeKind::All))
            .push(option(fl!("library-scope-equation"), ScopeKind::Equation));
        if self.scope_kind == ScopeKind::Equation {
            let mut eq = Column::new().spacing(4).padding([0, 28]).push(
                text_input(super::DEFAULT_EQUATION, &self.equation)
                    .on_input(Message::Equation)
                    .padding(6)
                    .width(Length::Fixed(420.0)),
            );
            eq = match self.scope() {
                Ok(_) => eq.push(muted(fl!("library-scope-help"))),
                Err(e) => eq.push(notice(e, true)),
            };
            scope = scope.push(eq);
        }
        scope = scope.push(option(fl!("library-scope-none"), ScopeKind::NoDeletion));
        column![
            titled(fl!("library-borrowers-title"), borrowers.into()),
            titled(fl!("library-scope-title"), scope.into()),
        ]
        .spacing(12)
        .into()
    }

    /// Step 1's shortcut: the e-sidoc XML alone (a first import into BCDI needs no borrower list).
    fn export_only_view(&self) -> Element<'_, Message> {
        column![
            muted(fl!("library-export-only-help")),
            row![
                self.charsets(),
                iced::widget::space::horizontal(),
                button(text(fl!("library-export-save")))
                    .on_press_maybe((!self.busy).then_some(Message::Open(Pick::SaveXml)))
                    .style(button::secondary),
            ]
            .spacing(12)
            .align_y(Alignment::Center),
        ]
        .spacing(8)
        .into()
    }

    fn charsets(&self) -> Element<'_, Message> {
        row![
            radio(
                fl!("library-charset-1252"),
                Charset::Windows1252,
                Some(self.charset),
                Message::Charset
            )
            .size(16),
            radio(
                fl!("library-charset-utf8"),
                Charset::Utf8,
                Some(self.charset),
                Message::Charset
            )
            .size(16),
        ]
        .spacing(24)
        .into()
    }

    fn outputs_view(&self) -> Element<'_, Message> {
        let charsets = self.charsets();
        let folder = match &self.folder {
            Some(f) => small(fl!("library-folder", path = f.display().to_string())),
            None => muted(fl!("library-folder-none")),
        };
        let ready = !self.busy && self.folder.is_some() && self.preview.is_some();
        let actions = row![
            button(text(fl!("library-folder-choose")))
                .on_press_maybe((!self.busy).then_some(Message::Open(Pick::OutputFolder)))
                .style(button::secondary),
            folder,
            iced::widget::space::horizontal(),
            button(text(fl!("library-write"))).on_press_maybe(ready.then_some(Message::Write)),
        ]
        .spacing(12)
        .align_y(Alignment::Center);
        let mut col = Column::new().spacing(12).push(titled(
            fl!("library-outputs-title"),
            column![muted(fl!("library-charset")), charsets, actions]
                .spacing(10)
                .into(),
        ));
        if !self.written.is_empty() {
            let mut files = Column::new().spacing(2);
            for f in &self.written {
                files = files.push(small(f.clone()));
            }
            col = col.push(titled(fl!("library-written-title"), files.into()));
        }
        col = col.push(self.renames_view()).push(self.set_aside_view());
        col.into()
    }
}
