//! Settings: language, theme, operator name; where the data lives. The Directory tab is
//! `screens/directory.rs`, the Services tab `screens/services.rs`.

use iced::widget::{Row, button, column, container, row, text, text_input};
use iced::{Alignment, Element, Length};

use crate::config::{Config, ThemeChoice};
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::dir_jobs::DirJob;
use crate::gui::jobs::Job;
use crate::gui::theme;
use crate::i18n::{self, Lang};

/// The tabs of the Settings screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    General,
    Directory,
    /// Printers and card templates (`screens/printers.rs`).
    Printing,
    /// Card readers (`screens/readers.rs`).
    Readers,
    /// Encoding profile, keys and options (`screens/encoding.rs`).
    Encoding,
    /// CROUS, ESC-R, write-back, queue limits and tariff rules (`screens/services.rs`).
    Services,
}

#[derive(Debug, Default)]
pub struct State {
    pub operator: String,
    pub tab: Tab,
}

#[derive(Debug, Clone)]
pub enum Message {
    Tab(Tab),
    Language(Lang),
    Theme(ThemeChoice),
    OperatorChanged(String),
    SaveOperator,
}

impl State {
    pub fn new(config: &Config) -> State {
        State {
            operator: config.desk.operator.clone().unwrap_or_default(),
            tab: Tab::General,
        }
    }

    /// The tab bar above the screen.
    pub fn tabs(&self) -> Element<'_, Message> {
        let mut tabs = Row::new().spacing(6);
        for (tab, label) in [
            (Tab::General, fl!("settings-tab-general")),
            (Tab::Directory, fl!("settings-tab-directory")),
            (Tab::Printing, fl!("settings-tab-printing")),
            (Tab::Readers, fl!("settings-tab-readers")),
            (Tab::Encoding, fl!("settings-tab-encoding")),
            (Tab::Services, fl!("settings-tab-services")),
        ] {
            let style = if self.tab == tab {
                button::primary
            } else {
                button::text
            };
            tabs = tabs.push(
                button(text(label))
                    .on_press(Message::Tab(tab))
                    .style(style)
                    .padding([6, 16]),
            );
        }
        container(tabs).padding([10, 20]).into()
    }

    /// Applies a change to `config` and saves it.
    pub fn update(&mut self, config: &mut Config, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Tab(tab) => {
                self.tab = tab;
                // The Directory tab shows whether a bind password is stored: ask the keyring.
                return match tab {
                    Tab::Directory => vec![Effect::Job(Job::Dir(DirJob::PasswordState))],
                    Tab::General | Tab::Printing | Tab::Readers | Tab::Encoding | Tab::Services => {
                        Vec::new()
                    }
                };
            }
            Message::Language(lang) => {
                config.ui.language = lang;
                i18n::set_language(lang);
            }
            Message::Theme(t) => config.ui.theme = t,
            Message::OperatorChanged(s) => {
                self.operator = s;
                return Vec::new();
            }
            Message::SaveOperator => {
                let name = self.operator.trim().to_string();
                config.desk.operator = (!name.is_empty()).then_some(name);
            }
        }
        vec![Effect::Job(Job::SaveConfig(Box::new(config.clone())))]
    }

    pub fn view<'a>(
        &'a self,
        config: &'a Config,
        database: String,
        config_file: String,
    ) -> Element<'a, Message> {
        let mut langs = Row::new().spacing(8);
        for lang in Lang::ALL {
            let style = if config.ui.language == lang {
                button::primary
            } else {
                button::secondary
            };
            langs = langs.push(
                button(text(lang.native_name()))
                    .on_press(Message::Language(lang))
                    .style(style)
                    .padding([8, 16]),
            );
        }
        let mut themes = Row::new().spacing(8);
        for (choice, label) in [
            (ThemeChoice::Light, fl!("settings-theme-light")),
            (ThemeChoice::Dark, fl!("settings-theme-dark")),
        ] {
            let style = if config.ui.theme == choice {
                button::primary
            } else {
                button::secondary
            };
            themes = themes.push(
                button(text(label))
                    .on_press(Message::Theme(choice))
                    .style(style)
                    .padding([8, 16]),
            );
        }
        let operator = row![
            text_input(&config.operator(), &self.operator)
                .id("operator")
                .on_input(Message::OperatorChanged)
                .on_submit(Message::SaveOperator)
                .padding(8)
                .width(Length::Fixed(320.0)),
            button(text(fl!("save")))
                .on_press(Message::SaveOperator)
                .style(button::primary)
                .padding([8, 16]),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        let block =
            |title: String, help: String, body: Element<'a, Message>| -> Element<'a, Message> {
                container(column![text(title).size(17), text(help).size(13), body].spacing(8))
                    .padding(14)
                    .width(Length::Fill)
                    .style(theme::section)
                    .into()
            };
        column![
            text(fl!("settings-title")).size(26),
            block(
                fl!("settings-language"),
                fl!("settings-language-help"),
                langs.into()
            ),
            block(
                fl!("settings-theme"),
                fl!("settings-theme-help"),
                themes.into()
            ),
            block(
                fl!("settings-operator"),
                fl!("settings-operator-help"),
                operator.into()
            ),
            block(
                fl!("settings-files"),
                fl!("settings-files-help"),
                column![
                    text(fl!("settings-database", path = database)).size(13),
                    text(fl!("settings-config-file", path = config_file)).size(13)
                ]
                .spacing(4)
                .into()
            ),
        ]
        .spacing(14)
        .padding(20)
        .max_width(900)
        .into()
    }
}
