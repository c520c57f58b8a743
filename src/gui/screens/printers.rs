//! Settings → Printing: the printers (the system's print queues and IPP printers added by address), the
//! default printer, and the card templates: built-in or the installation's copies, and which template each
//! population gets.

use iced::widget::{Column, Row, button, column, container, pick_list, row, text, text_input};
use iced::{Alignment, Element, Length};

use crate::config::Config;
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::jobs::Job;
use crate::gui::prod_jobs::{PrinterChoice, ProdJob, TemplateInfo};
use crate::gui::theme;
use crate::gui::widgets::banner::notice;
use crate::ui_text;

#[derive(Debug, Default)]
pub struct State {
    pub printers: Vec<PrinterChoice>,
    pub service_note: Option<String>,
    pub new_uri: String,
    pub templates: Vec<TemplateInfo>,
    pub template_errors: Vec<String>,
    /// Affiliations present in the mirror, with their number of persons.
    pub populations: Vec<(String, u64)>,
    pub copy_id: String,
    pub info: Option<String>,
    pub error: Option<String>,
    pub loading: bool,
}

/// A template as a choice in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateChoice(pub String, pub String);

impl std::fmt::Display for TemplateChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.1, self.0)
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Refresh,
    NewUri(String),
    Add,
    Remove(String),
    MakeDefault(String),
    CopyId(String),
    Customise(String),
    DefaultTemplate(TemplateChoice),
    Population(String, TemplateChoice),
}

impl State {
    pub fn open(&mut self) -> Vec<Effect> {
        self.loading = true;
        vec![
            Effect::Job(Job::Prod(ProdJob::Printers)),
            Effect::Job(Job::Prod(ProdJob::Templates)),
        ]
    }

    fn save(config: &Config) -> Effect {
        Effect::Job(Job::SaveConfig(Box::new(config.clone())))
    }

    pub fn update(&mut self, config: &mut Config, msg: Message) -> Vec<Effect> {
        self.error = None;
        self.info = None;
        match msg {
            Message::Refresh => return self.open(),
            Message::NewUri(s) => self.new_uri = s,
            Message::Add => {
                let uri = self.new_uri.trim().to_string();
                let mut next = config.clone();
                if !next.print.printers.contains(&uri) {
                    next.print.printers.push(uri.clone());
                }
                if next.print.printer.is_none() {
                    next.print.printer = Some(uri);
                }
                if let Err(m) = next.validate_print() {
                    self.error = Some(fl!("printers-bad-uri", message = m));
                    return Vec::new();
                }
                *config = next;
                self.new_uri.clear();
                return vec![
                    Self::save(config),
                    Effect::Job(Job::Prod(ProdJob::Printers)),
                ];
            }
            Message::Remove(uri) => {
                config.print.printers.retain(|p| *p != uri);
                if config.print.printer.as_deref() == Some(uri.as_str()) {
                    config.print.printer = None;
                }
                return vec![
                    Self::save(config),
                    Effect::Job(Job::Prod(ProdJob::Printers)),
                ];
            }
            Message::MakeDefault(uri) => {
                config.print.printer = Some(uri);
                return vec![Self::save(config)];
            }
            Message::CopyId(s) => self.copy_id = s,
            Message::Customise(id) => {
                let new_id = self.copy_id.trim().to_string();
                let new_id = if new_id.is_empty() {
                    format!("{id}-local")
                } else {
                    new_id
                };
                return vec![Effect::Job(Job::Prod(ProdJob::Customise { id, new_id }))];
            }
            Message::DefaultTemplate(t) => {
                config.print.template = t.0;
                return vec![Self::save(config)];
            }
            Message::Population(pop, t) => {
                config.print.templates.insert(pop, t.0);
                return vec![Self::save(config)];
            }
        }
        Vec::new()
    }

    pub fn view<'a>(&'a self, config: &'a Config) -> Element<'a, Message> {
        let block =
            |title: String, help: String, body: Element<'a, Message>| -> Element<'a, Message> {
                container(column![text(title).size(17), text(help).size(13), body].spacing(8))
                    .padding(14)
                    .width(Length::Fill)
                    .style(theme::section)
                    .into()
            };
        let mut printers = Column::new().spacing(6);
        if self.printers.is_empty() {
            printers = printers.push(
                text(if self.loading {
                    fl!("desk-loading")
                } else {
                    fl!("printers-none")
                })
                .size(13),
            );
        }
        for p in &self.printers {
            let is_default = config.print.printer.as_deref() == Some(p.uri.as_str());
            let mut line = Row::new().spacing(8).align_y(Alignment::Center).push(
                column![
                    text(p.name.clone()).size(15),
                    text(format!("{} — {}", p.uri, p.status)).size(12)
                ]
                .width(Length::Fill),
            );
            if is_default {
                line = line.push(
                    container(text(fl!("printers-default")).size(12))
                        .padding([2, 8])
                        .style(theme::badge(iced::Color::from_rgb8(0x1f, 0x6f, 0xeb))),
                );
            } else {
                line = line.push(
                    button(text(fl!("printers-make-default")).size(13))
                        .on_press(Message::MakeDefault(p.uri.clone()))
                        .style(button::secondary),
                );
            }
            if config.print.printers.contains(&p.uri) {
                line = line.push(
                    button(text(fl!("printers-remove")).size(13))
                        .on_press(Message::Remove(p.uri.clone()))
                        .style(button::danger),
                );
            }
            printers = printers.push(line);
        }
        if let Some(note) = &self.service_note {
            printers = printers.push(text(note.clone()).size(12));
        }
        printers = printers.push(
            row![
                text_input("ipp://imprimante.example.fr/ipp/print", &self.new_uri)
                    .on_input(Message::NewUri)
                    .on_submit(Message::Add)
                    .padding(8)
                    .width(Length::Fixed(420.0)),
                button(text(fl!("printers-add")))
                    .on_press(Message::Add)
                    .style(button::primary),
                button(text(fl!("printers-refresh"))).on_press(Message::Refresh),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );

        let choices: Vec<TemplateChoice> = self
            .templates
            .iter()
            .map(|t| TemplateChoice(t.id.clone(), t.name.clone()))
            .collect();
        let find = |id: &str| choices.iter().find(|c| c.0 == id).cloned();
        let mut templates = Column::new().spacing(6);
        for t in &self.templates {
            let origin = match &t.dir {
                Some(dir) => fl!("templates-user", path = dir.display().to_string()),
                None => fl!("templates-built-in"),
            };
            templates = templates.push(
                row![
                    column![
                        text(format!("{} ({})", t.name, t.id)).size(15),
                        text(origin).size(12)
                    ]
                    .width(Length::Fill),
                    button(text(fl!("templates-customise")).size(13))
                        .on_press(Message::Customise(t.id.clone())),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        for e in &self.template_errors {
            templates = templates.push(
                container(text(e.clone()).size(12))
                    .padding(6)
                    .style(theme::error_banner),
            );
        }
        templates = templates.push(
            row![
                text(fl!("templates-copy-id")).size(13),
                text_input("mon-modele", &self.copy_id)
                    .on_input(Message::CopyId)
                    .padding(6)
                    .width(Length::Fixed(200.0)),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        let mut rules = Column::new().spacing(6).push(
            row![
                text(fl!("templates-default"))
                    .size(14)
                    .width(Length::Fixed(260.0)),
                pick_list(
                    choices.clone(),
                    find(&config.print.template),
                    Message::DefaultTemplate
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        for (pop, count) in &self.populations {
            let current = find(config.print.template_for(pop));
            let pop_key = pop.clone();
            rules = rules.push(
                row![
                    text(fl!(
                        "templates-population",
                        population = ui_text::affiliation(pop),
                        count = count.to_string()
                    ))
                    .size(14)
                    .width(Length::Fixed(260.0)),
                    pick_list(choices.clone(), current, move |t| Message::Population(
                        pop_key.clone(),
                        t
                    )),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        let mut col = column![text(fl!("printers-title")).size(26)]
            .spacing(14)
            .padding(20)
            .max_width(1000);
        if let Some(e) = &self.error {
            col = col.push(notice(e.clone(), true));
        } else if let Some(i) = &self.info {
            col = col.push(notice(i.clone(), false));
        }
        col.push(block(
            fl!("printers-printers"),
            fl!("printers-help"),
            printers.into(),
        ))
        .push(block(
            fl!("templates-title"),
            fl!("templates-help"),
            templates.into(),
        ))
        .push(block(
            fl!("templates-rules"),
            fl!("templates-rules-help"),
            rules.into(),
        ))
        .into()
    }
}
