//! The Directory tab's widgets: the form, the preset's mapping in words, the buttons, the test
//! results, the sync progress and the mass-deletion confirmation.

use iced::widget::{
    Column, Row, button, column, container, pick_list, progress_bar, row, scrollable, text,
    text_input,
};
use iced::{Alignment, Element, Length};

use super::{
    BIND_DN_ID, CA_FILE_ID, EVERY_ID, Field, GROUPS_BASE_ID, GROUPS_FILTER_ID, MASS_DELETE_ID,
    Message, PASSWORD_ID, PEOPLE_BASE_ID, PEOPLE_FILTER_ID, PRESET_ID, PresetChoice,
    STRUCTURES_BASE_ID, STRUCTURES_FILTER_ID, State, URL_ID,
};
use crate::config::{Config, TlsMode};
use crate::directory::mapping::{Mapping, PresetName};
use crate::directory::sync::Phase;
use crate::fl;
use crate::gui::app;
use crate::gui::dir_jobs::{Password, PasswordState};
use crate::gui::sync::{self, SyncUi};
use crate::gui::theme;
use crate::gui::widgets::banner::banner;
use crate::gui::widgets::text::{muted, small, titled};
use crate::ui_text;

impl State {
    pub fn view<'a>(&'a self, config: &'a Config, sync: &'a SyncUi) -> Element<'a, app::Message> {
        // The buttons and what they report stay in view; the form scrolls below them.
        let head = column![
            text(fl!("dir-title")).size(26),
            text(fl!("dir-help")).size(13),
            self.actions(config, sync),
            self.results(sync),
        ]
        .spacing(12)
        .padding([0, 20])
        .max_width(980);
        let form = container(self.form().map(app::Message::Directory))
            .padding([0, 20])
            .max_width(980);
        column![
            head,
            scrollable(form).height(Length::Fill).width(Length::Fill)
        ]
        .spacing(12)
        .into()
    }

    fn form(&self) -> Element<'_, Message> {
        let input = |id: &'static str, f: Field, value: &str, placeholder: String| {
            text_input(&placeholder, value)
                .id(id)
                .on_input(move |s| Message::Edit(f, s))
                .on_submit(Message::Save)
                .padding(8)
                .width(Length::Fill)
        };
        let mut tls = Row::new().spacing(8);
        for (mode, label) in [
            (TlsMode::Starttls, fl!("dir-tls-starttls")),
            (TlsMode::None, fl!("dir-tls-none")),
        ] {
            let style = if self.tls == mode {
                button::primary
            } else {
                button::secondary
            };
            tls = tls.push(
                button(text(label))
                    .on_press(Message::Tls(mode))
                    .style(style)
                    .padding([6, 14]),
            );
        }
        let (pw_text, pw_warn) = match &self.password_state {
            Some(PasswordState::Stored) => (fl!("dir-password-stored"), false),
            Some(PasswordState::FromEnvironment) => (fl!("dir-password-env"), false),
            Some(PasswordState::Missing) => (fl!("dir-password-missing"), false),
            Some(PasswordState::Unavailable(m)) => (m.clone(), true),
            None => (fl!("dir-password-checking"), false),
        };
        let mut pw_row = row![
            text_input(&fl!("dir-password-placeholder"), self.password.as_str())
                .id(PASSWORD_ID)
                .secure(true)
                .on_input(|s| Message::PasswordEdited(Password::new(s)))
                .on_submit(Message::Save)
                .padding(8)
                .width(Length::Fixed(360.0)),
            warn_text(pw_text, pw_warn),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        if self.password_state == Some(PasswordState::Stored) {
            pw_row = pw_row.push(
                button(text(fl!("dir-password-forget")).size(13))
                    .on_press(Message::ForgetPassword)
                    .style(button::text),
            );
        }
        let connection = column![
            labelled(
                fl!("dir-url"),
                input(
                    URL_ID,
                    Field::Url,
                    &self.url,
                    "ldap://ldap.example.org".into()
                )
                .into()
            ),
            labelled(
                fl!("dir-tls"),
                column![tls, small(fl!("dir-tls-help"))].spacing(4).into()
            ),
            labelled(
                fl!("dir-ca-file"),
                input(
                    CA_FILE_ID,
                    Field::CaFile,
                    &self.ca_file,
                    fl!("dir-ca-file-placeholder")
                )
                .into()
            ),
            labelled(
                fl!("dir-bind-dn"),
                input(
                    BIND_DN_ID,
                    Field::BindDn,
                    &self.bind_dn,
                    fl!("dir-bind-dn-placeholder")
                )
                .into()
            ),
            labelled(fl!("dir-password"), pw_row.into()),
        ]
        .spacing(8);

        let filters = Mapping::preset(self.preset).filters();
        let searches = column![
            labelled(
                fl!("dir-people-base"),
                input(
                    PEOPLE_BASE_ID,
                    Field::PeopleBase,
                    &self.people_base,
                    "ou=people,dc=univ,dc=fr".into()
                )
                .into()
            ),
            labelled(
                fl!("dir-filter"),
                input(
                    PEOPLE_FILTER_ID,
                    Field::PeopleFilter,
                    &self.people_filter,
                    filters.people
                )
                .into()
            ),
            labelled(
                fl!("dir-groups-base"),
                input(
                    GROUPS_BASE_ID,
                    Field::GroupsBase,
                    &self.groups_base,
                    fl!("dir-base-optional")
                )
                .into()
            ),
            labelled(
                fl!("dir-filter"),
                input(
                    GROUPS_FILTER_ID,
                    Field::GroupsFilter,
                    &self.groups_filter,
                    filters.groups
                )
                .into()
            ),
            labelled(
                fl!("dir-structures-base"),
                input(
                    STRUCTURES_BASE_ID,
                    Field::StructuresBase,
                    &self.structures_base,
                    fl!("dir-base-optional")
                )
                .into()
            ),
            labelled(
                fl!("dir-filter"),
                input(
                    STRUCTURES_FILTER_ID,
                    Field::StructuresFilter,
                    &self.structures_filter,
                    filters.structures
                )
                .into()
            ),
        ]
        .spacing(8);

        let options = column![
            labelled(
                fl!("dir-mass-delete"),
                row![
                    input(
                        MASS_DELETE_ID,
                        Field::MassDelete,
                        &self.mass_delete,
                        "10".into()
                    )
                    .width(Length::Fixed(90.0)),
                    small(fl!("dir-mass-delete-help"))
                ]
                .spacing(10)
                .align_y(Alignment::Center)
                .into()
            ),
            labelled(
                fl!("dir-every"),
                row![
                    input(EVERY_ID, Field::Every, &self.every, "15".into())
                        .width(Length::Fixed(90.0)),
                    small(fl!("dir-every-help"))
                ]
                .spacing(10)
                .align_y(Alignment::Center)
                .into()
            ),
        ]
        .spacing(8);

        column![
            titled(fl!("dir-connection"), connection.into()),
            titled(fl!("dir-searches"), searches.into()),
            titled(fl!("dir-options"), options.into()),
            titled(fl!("dir-preset"), self.preset_view()),
        ]
        .spacing(12)
        .into()
    }

    fn preset_view(&self) -> Element<'_, Message> {
        let choices = [
            PresetChoice(PresetName::Supann),
            PresetChoice(PresetName::Sdet),
        ];
        let pick = container(
            pick_list(choices, Some(PresetChoice(self.preset)), Message::Preset)
                .padding(8)
                .text_size(14),
        )
        .id(PRESET_ID);
        let mut table = Column::new().spacing(2);
        let mut kind = "";
        for (key, attrs) in &self.mapping {
            let prefix = key.split('.').next().unwrap_or_default();
            if prefix != kind {
                kind = prefix;
                let title = match prefix {
                    "person" => fl!("dir-people"),
                    "structure" => fl!("dir-structures"),
                    _ => fl!("dir-groups"),
                };
                table = table.push(text(title).size(14));
            }
            let attrs = if attrs.is_empty() {
                "—".to_string()
            } else {
                attrs.clone()
            };
            table = table.push(
                row![
                    text(field_label(key)).size(12).width(Length::Fixed(220.0)),
                    text(attrs).size(12).width(Length::Fill),
                    muted(key.clone()),
                ]
                .spacing(8),
            );
        }
        column![
            row![pick, small(fl!("dir-preset-help"))]
                .spacing(10)
                .align_y(Alignment::Center),
            table,
        ]
        .spacing(8)
        .into()
    }

    fn actions<'a>(&'a self, config: &'a Config, sync: &'a SyncUi) -> Element<'a, app::Message> {
        let save = button(text(fl!("save")))
            .on_press(app::Message::Directory(Message::Save))
            .style(button::primary)
            .padding([8, 16]);
        let test = button(text(if self.testing {
            fl!("dir-testing")
        } else {
            fl!("dir-test")
        }))
        .on_press_maybe((!self.testing).then_some(app::Message::Directory(Message::Test)))
        .style(button::secondary)
        .padding([8, 16]);
        let mut buttons = row![save, test].spacing(10).align_y(Alignment::Center);
        match &sync.running {
            Some(r) => {
                let cancelling = r.cancel.load(std::sync::atomic::Ordering::Relaxed);
                buttons = buttons.push(
                    button(text(if cancelling {
                        fl!("dir-sync-cancelling")
                    } else {
                        fl!("cancel")
                    }))
                    .on_press_maybe(
                        (!cancelling).then_some(app::Message::Sync(sync::Message::Cancel)),
                    )
                    .style(button::danger)
                    .padding([8, 16]),
                );
            }
            None => {
                let ready = config.directory.is_configured();
                buttons = buttons.push(
                    button(text(fl!("dir-sync-now")))
                        .on_press_maybe(ready.then_some(app::Message::Sync(sync::Message::Start)))
                        .style(button::success)
                        .padding([8, 16]),
                );
                if !ready {
                    buttons = buttons.push(small(fl!("dir-sync-needs-settings")));
                }
            }
        }
        let mut col = column![buttons].spacing(8);
        if let Some(e) = &self.error {
            col = col.push(banner(
                e.clone(),
                true,
                app::Message::Directory(Message::DismissBanner),
            ));
        } else if let Some(i) = &self.info {
            col = col.push(banner(
                i.clone(),
                false,
                app::Message::Directory(Message::DismissBanner),
            ));
        }
        col.into()
    }

    fn results<'a>(&'a self, sync: &'a SyncUi) -> Element<'a, app::Message> {
        let mut col = Column::new().spacing(12);
        if let Some(result) = &self.test {
            let mut lines = Column::new().spacing(4);
            match result {
                Ok(ls) => {
                    for l in ls {
                        lines = lines.push(text(l.clone()).size(14));
                    }
                }
                Err(e) => lines = lines.push(text(e.clone()).size(14).style(text::danger)),
            }
            col = col.push(titled(fl!("dir-test-title"), lines.into()));
        }
        if let Some(r) = &sync.running {
            let (value, line) = match &r.progress {
                Some(p) => {
                    let value = match p.expected {
                        Some(total) if total > 0 => (p.seen as f32 / total as f32).min(1.0),
                        _ => phase_share(p.phase),
                    };
                    (value, ui_text::sync_progress(p))
                }
                None => (0.0, fl!("status-sync-starting")),
            };
            col = col.push(titled(
                fl!("dir-sync-title"),
                column![
                    progress_bar(0.0..=1.0, value).girth(10),
                    text(line).size(14)
                ]
                .spacing(6)
                .into(),
            ));
        }
        if let Some(c) = &sync.confirm {
            let confirm = column![
                text(c.message.clone()).size(14),
                row![
                    button(text(fl!("dir-delete-anyway")))
                        .on_press(app::Message::Sync(sync::Message::ConfirmMassDelete))
                        .style(button::danger)
                        .padding([8, 16]),
                    button(text(fl!("cancel")))
                        .on_press(app::Message::Sync(sync::Message::DismissMassDelete))
                        .style(button::secondary)
                        .padding([8, 16]),
                ]
                .spacing(10),
            ]
            .spacing(10);
            col = col.push(
                container(confirm)
                    .padding(12)
                    .width(Length::Fill)
                    .style(theme::error_banner),
            );
        } else if let (None, Some(last)) = (&sync.running, &sync.last) {
            let mut lines = Column::new().spacing(4).push(if last.error {
                text(last.message.clone()).size(14).style(text::danger)
            } else {
                text(last.message.clone()).size(14)
            });
            for p in &last.problems {
                lines = lines.push(text(p.clone()).size(12));
            }
            col = col.push(titled(fl!("dir-sync-last"), lines.into()));
        }
        col.into()
    }
}

/// A rough position in the run when the total is unknown (first sync).
fn phase_share(p: Phase) -> f32 {
    match p {
        Phase::Connecting => 0.02,
        Phase::Structures => 0.1,
        Phase::People => 0.4,
        Phase::Groups => 0.8,
        Phase::Finishing => 0.95,
    }
}

fn labelled<'a, M: 'a>(label: String, body: Element<'a, M>) -> Element<'a, M> {
    row![text(label).size(14).width(Length::Fixed(220.0)), body]
        .spacing(10)
        .align_y(Alignment::Center)
        .into()
}

fn warn_text<'a, M: 'a>(s: String, warn: bool) -> Element<'a, M> {
    if warn {
        text(s).size(13).style(theme::warning_text).into()
    } else {
        text(s).size(13).into()
    }
}

/// A mapping key (`person.due_date`) in words; unknown keys are shown as they are.
fn field_label(key: &str) -> String {
    match key {
        "person.uid" => fl!("dir-field-uid"),
        "person.login" => fl!("dir-field-login"),
        "person.eppn" => fl!("dir-field-eppn"),
        "person.jointure" => fl!("dir-field-jointure"),
        "person.surname" => fl!("dir-field-surname"),
        "person.given_name" => fl!("dir-field-given-name"),
        "person.birth_name" => fl!("dir-field-birth-name"),
        "person.civility" => fl!("dir-field-civility"),
        "person.email" => fl!("dir-field-email"),
        "person.affiliation" => fl!("dir-field-affiliation"),
        "person.profiles" => fl!("dir-field-profiles"),
        "person.etu_id" => fl!("dir-field-etu-id"),
        "person.emp_id" => fl!("dir-field-emp-id"),
        "person.ine" => fl!("dir-field-ine"),
        "person.structure" => fl!("dir-field-structure"),
        "person.establishment" => fl!("dir-field-establishment"),
        "person.birth_date" => fl!("dir-field-birth-date"),
        "person.due_date" => fl!("dir-field-due-date"),
        "person.ref_id" => fl!("dir-field-ref-id"),
        "person.app_ids" => fl!("dir-field-app-ids"),
        "person.classes" => fl!("dir-field-classes"),
        "person.teacher_classes" => fl!("dir-field-teacher-classes"),
        "person.pupils" => fl!("dir-field-pupils"),
        "person.member_of" => fl!("dir-field-member-of"),
        "person.photo" => fl!("dir-field-photo"),
        "structure.code" => fl!("dir-field-structure-code"),
        "structure.uai" => fl!("dir-field-uai"),
        "structure.name" => fl!("dir-field-structure-name"),
        "structure.org_name" => fl!("dir-field-org-name"),
        "structure.parent" => fl!("dir-field-parent"),
        "group.name" => fl!("dir-field-group-name"),
        "group.display_name" => fl!("dir-field-group-display-name"),
        "group.members" => fl!("dir-field-members"),
        "group.unique_members" => fl!("dir-field-unique-members"),
        other => other.to_string(),
    }
}
