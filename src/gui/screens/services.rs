//! Settings → Services: CROUS/Izly, the European Student Card Router, the directory write-back and the
//! queue's limits, checked by the same rules as `guichet config set` (`Config::set`); their credentials go
//! to the OS keyring only (the form shows whether each is stored, never its value). Also the CROUS tariff
//! rules: the list, "Refresh from the CROUS API" and "Import an ESIST file…".

use iced::widget::{
    Column, Row, button, checkbox, column, container, row, scrollable, text, text_input,
};
use iced::{Alignment, Element, Length};

use crate::config::Config;
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::dir_jobs::{Password, PasswordState};
use crate::gui::jobs::Job;
use crate::gui::printing::Dialog;
use crate::gui::queue_jobs::{QueueDone, QueueJob};
use crate::gui::theme;
use crate::gui::widgets::banner::banner;
use crate::secrets::Secret;
use crate::store::remote::StoredRule;
use crate::ui_text;

/// The CROUS token server's address (see `validated`).
const TOKEN_URL: &str = "crous.token_url";

/// The switches of the form (true | false settings).
const SWITCHES: [&str; 4] = [
    "crous.enabled",
    "crous.ine_as_identifier",
    "escr.enabled",
    "writeback.enabled",
];

/// The sections: title, setting keys, credentials.
fn sections() -> [(String, &'static [&'static str], &'static [Secret]); 5] {
    [
        (
            fl!("svc-crous"),
            &[
                "crous.enabled",
                "crous.api_url",
                "crous.token_url",
                "crous.ine_as_identifier",
                "crous.opt_in",
                "crous.rule_sources",
                "crous.verify_days",
            ],
            &[Secret::CrousClientId, Secret::CrousClientSecret],
        ),
        (
            fl!("svc-escr"),
            &[
                "escr.enabled",
                "card.pic",
                "escr.api_url",
                "escr.country_code",
                "escr.opt_in",
                "escr.card_type",
                "escr.processor",
                "escr.verify_days",
            ],
            &[Secret::EscrApiKey],
        ),
        (
            fl!("svc-writeback"),
            &[
                "writeback.enabled",
                "writeback.url",
                "writeback.tls",
                "writeback.ca_file",
                "writeback.bind_dn",
                "writeback.base",
                "writeback.filter",
                "writeback.templates",
            ],
            &[Secret::WritebackPassword],
        ),
        (
            fl!("svc-queue"),
            &[
                "queue.max_tries",
                "queue.concurrency",
                "queue.rate_per_second",
                "queue.timeout_seconds",
            ],
            &[],
        ),
        (
            fl!("svc-sdet"),
            &[
                "sdet.territory_letter",
                "sdet.territory_digit",
                "sdet.timestamp_digits",
                "sdet.login_style",
                "sdet.join_source",
            ],
            &[],
        ),
    ]
}

fn label(key: &str) -> String {
    match key {
        "crous.enabled" => fl!("svc-crous-enabled"),
        "crous.api_url" | "escr.api_url" => fl!("svc-api-url"),
        "crous.token_url" => fl!("svc-token-url"),
        "crous.ine_as_identifier" => fl!("svc-ine"),
        "crous.opt_in" | "escr.opt_in" => fl!("svc-opt-in"),
        "crous.rule_sources" => fl!("svc-rule-sources"),
        "crous.verify_days" | "escr.verify_days" => fl!("svc-verify-days"),
        "escr.enabled" => fl!("svc-escr-enabled"),
        "escr.country_code" => fl!("svc-country"),
        "escr.card_type" => fl!("svc-card-type"),
        "escr.processor" => fl!("svc-processor"),
        "card.pic" => fl!("svc-pic"),
        "writeback.enabled" => fl!("svc-writeback-enabled"),
        "writeback.url" => fl!("svc-wb-url"),
        "writeback.tls" => fl!("svc-wb-tls"),
        "writeback.ca_file" => fl!("svc-wb-ca"),
        "writeback.bind_dn" => fl!("svc-wb-bind-dn"),
        "writeback.base" => fl!("svc-wb-base"),
        "writeback.filter" => fl!("svc-wb-filter"),
        "writeback.templates" => fl!("svc-wb-templates"),
        "queue.max_tries" => fl!("svc-max-tries"),
        "queue.concurrency" => fl!("svc-concurrency"),
        "queue.rate_per_second" => fl!("svc-rate"),
        "queue.timeout_seconds" => fl!("svc-timeout"),
        "sdet.territory_letter" => fl!("svc-sdet-letter"),
        "sdet.territory_digit" => fl!("svc-sdet-digit"),
        "sdet.timestamp_digits" => fl!("svc-sdet-digits"),
        "sdet.login_style" => fl!("svc-sdet-login"),
        "sdet.join_source" => fl!("svc-sdet-join"),
        other => other.to_string(),
    }
}

fn secret_label(s: Secret) -> String {
    match s {
        Secret::CrousClientId => fl!("svc-crous-client-id"),
        Secret::CrousClientSecret => fl!("svc-crous-client-secret"),
        Secret::EscrApiKey => fl!("svc-escr-key"),
        _ => fl!("svc-wb-password"),
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Edit(&'static str, String),
    Switch(&'static str, bool),
    /// A credential typed; its `Debug` hides the value.
    Secret(Secret, Password),
    Forget(Secret),
    Save,
    RefreshRules,
    ImportEsist,
    DismissBanner,
}

#[derive(Debug, Default)]
pub struct State {
    /// (setting key, text) of every field.
    values: Vec<(&'static str, String)>,
    /// Typed, not yet stored.
    typed: Vec<(Secret, Password)>,
    pub secrets: Vec<(Secret, PasswordState)>,
    pub rules: Vec<StoredRule>,
    pub rules_busy: bool,
    pub error: Option<String>,
    pub info: Option<String>,
}

impl State {
    pub fn new(config: &Config) -> State {
        let mut s = State::default();
        s.load(config);
        s
    }

    /// Fills the form from the settings (credential fields stay empty).
    pub fn load(&mut self, config: &Config) {
        self.values = sections()
            .iter()
            .flat_map(|(_, keys, _)| keys.iter())
            .map(|k| match *k {
                TOKEN_URL => (*k, config.crous.token_url.clone()),
                _ => (*k, config.get(k).unwrap_or_default()),
            })
            .collect();
        self.typed.clear();
    }

    pub fn value(&self, key: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// The jobs to run when the tab opens: the keyring's answers and the rules.
    pub fn open(&self) -> Vec<Effect> {
        vec![
            Effect::Job(Job::Queue(QueueJob::SecretStates)),
            Effect::Job(Job::Queue(QueueJob::Rules)),
        ]
    }

    /// The settings with the form applied, by the rules of `guichet config set`.
    pub fn validated(&self, base: &Config) -> Result<Config, String> {
        let mut config = base.clone();
        for (key, value) in &self.values {
            let value = value.trim();
            if *key == TOKEN_URL {
                // `Config::set` takes any key naming a "token" for a secret; this one is an address.
                if !(value.starts_with("https://") || value.starts_with("http://")) {
                    return Err(fl!("svc-bad-token-url", value = value.to_string()));
                }
                config.crous.token_url = value.to_string();
                continue;
            }
            config
                .set(key, value)
                .map_err(|e| ui_text::config_error(&e))?;
        }
        Ok(config)
    }

    pub fn update(&mut self, config: &mut Config, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Edit(key, v) => {
                if let Some(slot) = self.values.iter_mut().find(|(k, _)| *k == key) {
                    slot.1 = v;
                }
            }
            Message::Switch(key, on) => {
                return self.update(config, Message::Edit(key, on.to_string()));
            }
            Message::Secret(s, p) => {
                self.typed.retain(|(t, _)| *t != s);
                self.typed.push((s, p));
            }
            Message::Forget(s) => return vec![Effect::Job(Job::Queue(QueueJob::ForgetSecret(s)))],
            Message::Save => match self.validated(config) {
                Ok(new) => {
                    self.error = None;
                    self.info = None;
                    *config = new.clone();
                    let secrets = std::mem::take(&mut self.typed)
                        .into_iter()
                        .filter_map(|(s, p)| p.non_empty().map(|p| (s, p)))
                        .collect();
                    return vec![Effect::Job(Job::Queue(QueueJob::SaveServices {
                        config: Box::new(new),
                        secrets,
                    }))];
                }
                Err(e) => {
                    self.info = None;
                    self.error = Some(e);
                }
            },
            Message::RefreshRules => {
                self.rules_busy = true;
                return vec![Effect::Job(Job::Queue(QueueJob::RefreshRules))];
            }
            Message::ImportEsist => return vec![Effect::Dialog(Dialog::OpenEsist)],
            Message::DismissBanner => {
                self.error = None;
                self.info = None;
            }
        }
        Vec::new()
    }

    /// The answer of a queue job that concerns this tab; true when the settings were saved.
    pub fn on_done(&mut self, config: &Config, done: QueueDone) -> (bool, Vec<Effect>) {
        match done {
            QueueDone::SecretStates(s) => self.secrets = s,
            QueueDone::ServicesSaved { states, error } => {
                self.secrets = states;
                let saved = error.is_none();
                match error {
                    Some(e) => self.error = Some(e),
                    None => {
                        self.load(config);
                        self.info = Some(fl!("svc-saved"));
                    }
                }
                return (saved, Vec::new());
            }
            QueueDone::Rules(r) => self.rules = r,
            QueueDone::RulesChanged { message, error } => {
                self.rules_busy = false;
                if error {
                    self.error = Some(message);
                } else {
                    self.info = Some(message);
                }
                return (false, vec![Effect::Job(Job::Queue(QueueJob::Rules))]);
            }
            QueueDone::Failed(m) => self.error = Some(m),
            _ => {}
        }
        (false, Vec::new())
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut col = Column::new().spacing(12).push(
            row![
                text(fl!("svc-title")).size(26).width(Length::Fill),
                button(text(fl!("save")))
                    .on_press(Message::Save)
                    .style(button::primary)
                    .padding([8, 16]),
            ]
            .align_y(Alignment::Center),
        );
        if let Some(e) = &self.error {
            col = col.push(banner(e.clone(), true, Message::DismissBanner));
        } else if let Some(i) = &self.info {
            col = col.push(banner(i.clone(), false, Message::DismissBanner));
        }
        for (title, keys, secrets) in sections() {
            let mut body = Column::new().spacing(6).push(text(title).size(17));
            for key in keys {
                body = body.push(self.field(key));
            }
            for s in secrets {
                body = body.push(self.secret(*s));
            }
            col = col.push(
                container(body)
                    .padding(14)
                    .width(Length::Fill)
                    .style(theme::section),
            );
        }
        col = col.push(self.rules_view());
        scrollable(col.padding(20).max_width(1000))
            .height(Length::Fill)
            .into()
    }

    fn field(&self, key: &'static str) -> Element<'_, Message> {
        let name = text(label(key)).size(13).width(Length::Fixed(260.0));
        if SWITCHES.contains(&key) {
            return checkbox(self.value(key) == "true")
                .label(label(key))
                .on_toggle(move |on| Message::Switch(key, on))
                .into();
        }
        if key == "writeback.tls" {
            let mut r = Row::new().spacing(8).push(name);
            for (mode, l) in [
                ("starttls", fl!("dir-tls-starttls")),
                ("none", fl!("dir-tls-none")),
            ] {
                r = r.push(
                    button(text(l).size(13))
                        .on_press(Message::Edit(key, mode.into()))
                        .style(if self.value(key) == mode {
                            button::primary
                        } else {
                            button::secondary
                        }),
                );
            }
            return r.align_y(Alignment::Center).into();
        }
        row![
            name,
            text_input("", self.value(key))
                .on_input(move |v| Message::Edit(key, v))
                .on_submit(Message::Save)
                .size(13)
                .padding(6)
        ]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
    }

    fn secret(&self, s: Secret) -> Element<'_, Message> {
        let typed = self
            .typed
            .iter()
            .find(|(t, _)| *t == s)
            .map(|(_, p)| p.as_str())
            .unwrap_or_default();
        let state = self.secrets.iter().find(|(t, _)| *t == s).map(|(_, p)| p);
        let (note, warn) = match state {
            Some(PasswordState::Stored) => (fl!("dir-password-stored"), false),
            Some(PasswordState::FromEnvironment) => {
                (fl!("svc-secret-env", var = s.env_var().to_string()), false)
            }
            Some(PasswordState::Missing) => (fl!("svc-secret-missing"), false),
            Some(PasswordState::Unavailable(m)) => (m.clone(), true),
            None => (fl!("dir-password-checking"), false),
        };
        let note = text(note).size(12);
        let mut r = row![
            text(secret_label(s)).size(13).width(Length::Fixed(260.0)),
            text_input(&fl!("svc-secret-placeholder"), typed)
                .secure(true)
                .on_input(move |v| Message::Secret(s, Password::new(v)))
                .on_submit(Message::Save)
                .size(13)
                .padding(6)
                .width(Length::Fill),
            if warn {
                note.style(theme::warning_text)
            } else {
                note
            },
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        if state == Some(&PasswordState::Stored) {
            r = r.push(
                button(text(fl!("svc-secret-forget")).size(12))
                    .on_press(Message::Forget(s))
                    .style(button::text),
            );
        }
        r.into()
    }

    fn rules_view(&self) -> Element<'_, Message> {
        let actions = row![
            button(text(fl!("rules-refresh")).size(13))
                .on_press_maybe((!self.rules_busy).then_some(Message::RefreshRules))
                .style(button::secondary),
            button(text(fl!("rules-import")).size(13))
                .on_press_maybe((!self.rules_busy).then_some(Message::ImportEsist))
                .style(button::secondary),
        ]
        .spacing(8);
        let w = Length::FillPortion(1);
        let cell = |s: String| text(s).size(12).width(w);
        let mut table = Column::new().spacing(2).push(row![
            cell(fl!("rules-source")),
            cell(fl!("rules-priority")),
            cell(fl!("rules-status")),
            cell(fl!("rules-rne")),
            cell(fl!("rules-index")),
            cell(fl!("rules-company")),
            cell(fl!("rules-rate")),
        ]);
        let any = |v: &Option<String>| v.clone().unwrap_or_else(|| "*".into());
        for r in &self.rules {
            let range = match (r.rule.indice_min, r.rule.indice_max) {
                (None, None) => "*".to_string(),
                (a, b) => format!(
                    "{}–{}",
                    a.map(|v| v.to_string()).unwrap_or_default(),
                    b.map(|v| v.to_string()).unwrap_or_default()
                ),
            };
            table = table.push(row![
                cell(r.source.clone()),
                cell(r.rule.priority.to_string()),
                cell(any(&r.rule.reference_status)),
                cell(any(&r.rule.rne)),
                cell(range),
                cell(r.rule.id_company_rate.to_string()),
                cell(r.rule.id_rate.to_string()),
            ]);
        }
        if self.rules.is_empty() {
            table = table.push(text(fl!("rules-none")).size(13));
        }
        container(
            column![
                text(fl!("rules-title")).size(17),
                text(fl!("rules-help")).size(13),
                actions,
                table
            ]
            .spacing(8),
        )
        .padding(14)
        .width(Length::Fill)
        .style(theme::section)
        .into()
    }
}
