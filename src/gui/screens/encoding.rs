//! Settings → Encoding: the active encoding profile in readable form, the keys it needs and how they stand
//! in the keyring (type, version and key check value only: a key value is never shown back), a profile
//! file to choose, keys to import from a file or type one by one, and the encoding options (automatic
//! activation, the training reader). Keyring and file work runs as jobs (`enc_jobs.rs`): Secret Service can
//! prompt, which must not freeze the window.

use std::path::PathBuf;

use iced::widget::{
    Column, button, checkbox, column, container, pick_list, row, scrollable, text, text_input,
};
use iced::{Alignment, Element, Length};
use zeroize::Zeroizing;

use crate::config::Config;
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::enc_jobs::{EncDone, EncJob, TypedKey};
use crate::gui::jobs::Job;
use crate::gui::printing::Dialog;
use crate::gui::theme;
use crate::gui::widgets::banner::banner;
use crate::nfc::keys::{KeyInfo, KeyState};
use crate::nfc::profile::Profile;

/// Widget id of the typed key's field.
pub const KEY_VALUE_ID: &str = "encode-key-value";

/// A key name of the profile, for the "type a key" choice; missing ones say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName {
    pub name: String,
    pub missing: bool,
}

impl std::fmt::Display for KeyName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.missing {
            write!(f, "{} ({})", self.name, fl!("encode-key-missing"))
        } else {
            f.write_str(&self.name)
        }
    }
}

#[derive(Debug, Default)]
pub struct State {
    /// `None` until loaded.
    pub profile: Option<Result<Profile, String>>,
    pub keys: Option<Result<Vec<KeyInfo>, String>>,
    pub key_name: Option<KeyName>,
    /// The typed value; cleared as soon as it is sent to the keyring.
    key_value: TypedKey,
    pub busy: bool,
    pub error: Option<String>,
    pub info: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    ChooseProfile,
    BuiltInProfile,
    ImportKeys,
    KeyName(KeyName),
    KeyValue(TypedKey),
    SaveKey,
    AutoEnable(bool),
    VirtualReader(bool),
    Dismiss,
}

impl State {
    /// Opening the tab: the profile and the keyring, read again.
    pub fn open(&mut self) -> Vec<Effect> {
        self.busy = true;
        vec![Effect::Job(Job::Enc(EncJob::Load))]
    }

    /// The profile's key names, each once, in profile order.
    pub fn key_names(&self) -> Vec<KeyName> {
        let mut out: Vec<KeyName> = Vec::new();
        if let Some(Ok(keys)) = &self.keys {
            for k in keys {
                if !out.iter().any(|n| n.name == k.name) {
                    out.push(KeyName {
                        name: k.name.clone(),
                        missing: k.state == KeyState::Missing,
                    });
                }
            }
        }
        out
    }

    pub fn update(&mut self, config: &mut Config, msg: Message) -> Vec<Effect> {
        match msg {
            Message::ChooseProfile => return vec![Effect::Dialog(Dialog::OpenProfile)],
            Message::BuiltInProfile => {
                config.encode.profile = None;
                self.info = Some(fl!("encode-profile-built-in-chosen"));
                return self.saved(config);
            }
            Message::ImportKeys => return vec![Effect::Dialog(Dialog::OpenKeys)],
            Message::KeyName(k) => self.key_name = Some(k),
            Message::KeyValue(v) => self.key_value = v,
            Message::SaveKey => {
                let Some(name) = self.key_name.as_ref().map(|k| k.name.clone()) else {
                    self.error = Some(fl!("encode-key-choose-name"));
                    return Vec::new();
                };
                let value = std::mem::take(&mut self.key_value);
                if value.0.trim().is_empty() {
                    self.error = Some(fl!("encode-key-empty"));
                    return Vec::new();
                }
                self.busy = true;
                self.error = None;
                return vec![Effect::Job(Job::Enc(EncJob::TypeKey { name, value }))];
            }
            Message::AutoEnable(on) => {
                config.encode.auto_enable = on;
                return vec![Effect::Job(Job::SaveConfig(Box::new(config.clone())))];
            }
            Message::VirtualReader(on) => {
                config.encode.virtual_reader = on;
                return vec![Effect::Job(Job::SaveConfig(Box::new(config.clone())))];
            }
            Message::Dismiss => {
                self.error = None;
                self.info = None;
            }
        }
        Vec::new()
    }

    /// Saves the settings and reads the profile and keys again.
    fn saved(&mut self, config: &Config) -> Vec<Effect> {
        let mut fx = vec![Effect::Job(Job::SaveConfig(Box::new(config.clone())))];
        fx.extend(self.open());
        fx
    }

    /// A file chosen in one of this tab's dialogs.
    pub fn on_picked(&mut self, dialog: &Dialog, path: PathBuf) -> Vec<Effect> {
        self.error = None;
        self.info = None;
        self.busy = true;
        match dialog {
            Dialog::OpenProfile => vec![Effect::Job(Job::Enc(EncJob::CheckProfile(path)))],
            _ => vec![Effect::Job(Job::Enc(EncJob::ImportKeys(path)))],
        }
    }

    pub fn on_done(&mut self, config: &mut Config, done: EncDone) -> Vec<Effect> {
        self.busy = false;
        match done {
            EncDone::Loaded { profile, keys } => {
                self.profile = Some(profile);
                self.keys = Some(keys);
                let names = self.key_names();
                self.key_name = match self.key_name.take() {
                    Some(k) => names.into_iter().find(|n| n.name == k.name),
                    None => names.into_iter().find(|n| n.missing),
                };
            }
            EncDone::ProfileChecked { path, result } => match result {
                Ok(p) => {
                    self.info = Some(fl!(
                        "encode-profile-chosen",
                        name = p.name.clone(),
                        path = path.display().to_string()
                    ));
                    config.encode.profile = Some(path);
                    return self.saved(config);
                }
                Err(m) => self.error = Some(m),
            },
            EncDone::KeysSaved(names) => {
                self.info = Some(fl!(
                    "encode-keys-saved",
                    count = names.len(),
                    names = names.join(", ")
                ));
                return self.open();
            }
            EncDone::KeysFailed(m) => self.error = Some(m),
            // The batch scan's answer goes to Production (`app_enc.rs`).
            EncDone::Scanned { .. } => {}
        }
        Vec::new()
    }

    pub fn view<'a>(&'a self, config: &'a Config) -> Element<'a, Message> {
        let mut col = Column::new()
            .spacing(14)
            .padding(20)
            .max_width(1000)
            .push(text(fl!("encode-settings-title")).size(26));
        if let Some(e) = &self.error {
            col = col.push(banner(e.clone(), true, Message::Dismiss));
        } else if let Some(i) = &self.info {
            col = col.push(banner(i.clone(), false, Message::Dismiss));
        }
        if self.busy {
            col = col.push(text(fl!("encode-settings-loading")).size(13));
        }
        col = col.push(block(fl!("encode-profile"), self.profile_view(config)));
        col = col.push(block(fl!("encode-keys"), self.keys_view()));
        let options = column![
            checkbox(config.encode.auto_enable)
                .label(fl!("encode-auto-enable"))
                .on_toggle(Message::AutoEnable),
            checkbox(config.encode.virtual_reader)
                .label(fl!("encode-virtual-reader-option"))
                .on_toggle(Message::VirtualReader),
        ]
        .spacing(8);
        col = col.push(block(fl!("encode-options"), options.into()));
        scrollable(col).height(Length::Fill).into()
    }

    fn profile_view<'a>(&'a self, config: &'a Config) -> Element<'a, Message> {
        let source = match &config.encode.profile {
            Some(p) => fl!("encode-profile-file", path = p.display().to_string()),
            None => fl!("encode-profile-built-in"),
        };
        let mut col = column![
            text(source).size(13),
            row![
                button(text(fl!("encode-choose-profile")))
                    .on_press(Message::ChooseProfile)
                    .padding([8, 14]),
                button(text(fl!("encode-use-built-in")))
                    .on_press_maybe(
                        config
                            .encode
                            .profile
                            .is_some()
                            .then_some(Message::BuiltInProfile)
                    )
                    .style(button::secondary)
                    .padding([8, 14]),
            ]
            .spacing(8)
        ]
        .spacing(6);
        match &self.profile {
            Some(Ok(p)) => {
                col = col.push(text(p.name.clone()).size(16));
                for line in p.describe() {
                    col = col.push(text(line).size(13));
                }
            }
            Some(Err(m)) => col = col.push(text(m.clone()).size(13).style(text::danger)),
            None => {}
        }
        col.into()
    }

    fn keys_view(&self) -> Element<'_, Message> {
        let mut col = column![text(fl!("encode-keys-help")).size(13)].spacing(6);
        match &self.keys {
            Some(Ok(keys)) => {
                for k in keys {
                    col = col.push(text(key_line(k)).size(13));
                }
            }
            Some(Err(m)) => col = col.push(text(m.clone()).size(13).style(text::danger)),
            None => {}
        }
        col = col.push(
            button(text(fl!("encode-import-keys")))
                .on_press(Message::ImportKeys)
                .padding([8, 14]),
        );
        let names = self.key_names();
        let can_save = self.key_name.is_some() && !self.key_value.0.trim().is_empty();
        col = col.push(
            row![
                text(fl!("encode-type-key")).size(14),
                pick_list(names, self.key_name.clone(), Message::KeyName)
                    .placeholder(fl!("encode-key-name"))
                    .width(Length::Fixed(280.0)),
                text_input(&fl!("encode-key-value"), self.key_value.0.as_str())
                    .id(KEY_VALUE_ID)
                    .secure(true)
                    .on_input(|v| Message::KeyValue(TypedKey(Zeroizing::new(v))))
                    .on_submit(Message::SaveKey)
                    .padding(8)
                    .width(Length::Fixed(320.0)),
                button(text(fl!("encode-save-key")))
                    .on_press_maybe(can_save.then_some(Message::SaveKey))
                    .style(button::primary)
                    .padding([8, 14]),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        col.into()
    }
}

/// A key of the profile as the operator sees it: where, which, type, version and its state, never a value.
pub fn key_line(k: &KeyInfo) -> String {
    let state = match &k.state {
        KeyState::Present { check_value } => fl!(
            "encode-key-kcv",
            kcv = crate::ui_text::hex_bytes(check_value, "")
        ),
        KeyState::Missing => fl!("encode-key-missing"),
        KeyState::WrongLength { got } => fl!("encode-key-wrong-length", got = got.to_string()),
    };
    let diversified = if k.diversified {
        format!(" · {}", fl!("encode-key-diversified"))
    } else {
        String::new()
    };
    fl!(
        "encode-key-line",
        place = k.place.clone(),
        name = k.name.clone(),
        kind = k.kind.name(),
        version = k.version.to_string(),
        state = state
    ) + &diversified
}

fn block<'a>(title: String, body: Element<'a, Message>) -> Element<'a, Message> {
    container(column![text(title).size(17), body].spacing(8))
        .padding(14)
        .width(Length::Fill)
        .style(theme::section)
        .into()
}
