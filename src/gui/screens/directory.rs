//! Settings → Directory: the LDAP connection, the preset and its mapping, the searched bases, the
//! sync options; Save, Test connection, Synchronise now (with progress, Cancel and the mass-deletion
//! confirmation). The bind password goes to the OS keyring only; the form shows whether one is stored.

mod view;

use std::path::Path;

use crate::config::{Config, TlsMode};
use crate::directory::mapping::{Mapping, PresetName};
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::dir_jobs::{DirJob, Password, PasswordState};
use crate::gui::jobs::Job;
use crate::ui_text;

/// Widget ids of the form's inputs.
pub const URL_ID: &str = "dir-url";
pub const CA_FILE_ID: &str = "dir-ca-file";
pub const BIND_DN_ID: &str = "dir-bind-dn";
pub const PASSWORD_ID: &str = "dir-password";
pub const PEOPLE_BASE_ID: &str = "dir-people-base";
pub const PEOPLE_FILTER_ID: &str = "dir-people-filter";
pub const GROUPS_BASE_ID: &str = "dir-groups-base";
pub const GROUPS_FILTER_ID: &str = "dir-groups-filter";
pub const STRUCTURES_BASE_ID: &str = "dir-structures-base";
pub const STRUCTURES_FILTER_ID: &str = "dir-structures-filter";
pub const MASS_DELETE_ID: &str = "dir-mass-delete";
pub const EVERY_ID: &str = "dir-every";
/// The container around the preset pick-list.
pub const PRESET_ID: &str = "dir-preset";

/// The text fields of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Url,
    CaFile,
    BindDn,
    PeopleBase,
    PeopleFilter,
    GroupsBase,
    GroupsFilter,
    StructuresBase,
    StructuresFilter,
    MassDelete,
    Every,
}

/// A preset in the pick-list, with its localised name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresetChoice(pub PresetName);

impl std::fmt::Display for PresetChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            PresetName::Supann => fl!("dir-preset-supann"),
            PresetName::Sdet => fl!("dir-preset-sdet"),
        })
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Edit(Field, String),
    /// The password field; its `Debug` hides the value.
    PasswordEdited(Password),
    Tls(TlsMode),
    Preset(PresetChoice),
    Save,
    Test,
    ForgetPassword,
    DismissBanner,
}

#[derive(Debug, Default)]
pub struct State {
    url: String,
    tls: TlsMode,
    ca_file: String,
    bind_dn: String,
    /// Typed, not yet stored; never read back from the keyring.
    password: Password,
    preset: PresetName,
    people_base: String,
    people_filter: String,
    groups_base: String,
    groups_filter: String,
    structures_base: String,
    structures_filter: String,
    mass_delete: String,
    every: String,
    /// `(field key, attributes)` of the chosen preset, as `Mapping::describe` gives them.
    mapping: Vec<(String, String)>,
    pub password_state: Option<PasswordState>,
    pub error: Option<String>,
    pub info: Option<String>,
    pub testing: bool,
    pub test: Option<Result<Vec<String>, String>>,
}

impl State {
    pub fn new(config: &Config) -> State {
        let mut s = State::default();
        s.load(config);
        s
    }

    /// Fills the form from the settings (the password field stays empty).
    pub fn load(&mut self, config: &Config) {
        let d = &config.directory;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        self.url = text(&d.url);
        self.tls = d.tls;
        self.ca_file = d
            .ca_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.bind_dn = text(&d.bind_dn);
        self.password = Password::default();
        self.people_base = text(&d.people_base);
        self.people_filter = text(&d.people_filter);
        self.groups_base = text(&d.groups_base);
        self.groups_filter = text(&d.groups_filter);
        self.structures_base = text(&d.structures_base);
        self.structures_filter = text(&d.structures_filter);
        self.mass_delete = d.mass_delete_percent.to_string();
        self.every = d.sync_every_minutes.to_string();
        self.set_preset(d.preset);
    }

    fn set_preset(&mut self, preset: PresetName) {
        self.preset = preset;
        self.mapping = Mapping::preset(preset).describe();
    }

    fn field(&mut self, f: Field) -> &mut String {
        match f {
            Field::Url => &mut self.url,
            Field::CaFile => &mut self.ca_file,
            Field::BindDn => &mut self.bind_dn,
            Field::PeopleBase => &mut self.people_base,
            Field::PeopleFilter => &mut self.people_filter,
            Field::GroupsBase => &mut self.groups_base,
            Field::GroupsFilter => &mut self.groups_filter,
            Field::StructuresBase => &mut self.structures_base,
            Field::StructuresFilter => &mut self.structures_filter,
            Field::MassDelete => &mut self.mass_delete,
            Field::Every => &mut self.every,
        }
    }

    /// The settings with the form applied, checked with the user's wording first, then by the same
    /// rules as `guichet config set` (`Config::set`).
    pub fn validated(&self, base: &Config) -> Result<Config, String> {
        let url = self.url.trim();
        let ldap = url.starts_with("ldap://") || url.starts_with("ldaps://");
        if !url.is_empty() && !ldap {
            return Err(fl!("dir-form-bad-url"));
        }
        if !url.is_empty() && self.people_base.trim().is_empty() {
            return Err(fl!("dir-form-need-people-base"));
        }
        for (what, filter) in [
            (fl!("dir-people"), &self.people_filter),
            (fl!("dir-groups"), &self.groups_filter),
            (fl!("dir-structures"), &self.structures_filter),
        ] {
            let f = filter.trim();
            let parenthesised = f.starts_with('(') && f.ends_with(')');
            if !f.is_empty() && !parenthesised {
                return Err(fl!("dir-form-bad-filter", what = what));
            }
        }
        let ca = self.ca_file.trim();
        if !ca.is_empty() && !Path::new(ca).is_file() {
            return Err(fl!("dir-form-ca-missing", path = ca.to_string()));
        }
        if !matches!(self.mass_delete.trim().parse::<u32>(), Ok(1..=100)) {
            return Err(fl!("dir-form-bad-percent"));
        }
        if !matches!(self.every.trim().parse::<u32>(), Ok(0..=1440)) {
            return Err(fl!("dir-form-bad-minutes"));
        }
        let tls = match self.tls {
            TlsMode::Starttls => "starttls",
            TlsMode::None => "none",
        };
        let mut config = base.clone();
        for (key, value) in [
            ("directory.url", url),
            ("directory.tls", tls),
            ("directory.ca_file", ca),
            ("directory.bind_dn", self.bind_dn.trim()),
            ("directory.preset", self.preset.as_str()),
            ("directory.people_base", self.people_base.trim()),
            ("directory.people_filter", self.people_filter.trim()),
            ("directory.groups_base", self.groups_base.trim()),
            ("directory.groups_filter", self.groups_filter.trim()),
            ("directory.structures_base", self.structures_base.trim()),
            ("directory.structures_filter", self.structures_filter.trim()),
            ("directory.mass_delete_percent", self.mass_delete.trim()),
            ("directory.sync_every_minutes", self.every.trim()),
        ] {
            config
                .set(key, value)
                .map_err(|e| ui_text::config_error(&e))?;
        }
        Ok(config)
    }

    /// Applies a form message; Save changes `config` (the window's settings) and writes it.
    pub fn update(&mut self, config: &mut Config, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Edit(f, value) => {
                *self.field(f) = value;
                Vec::new()
            }
            Message::PasswordEdited(p) => {
                self.password = p;
                Vec::new()
            }
            Message::Tls(t) => {
                self.tls = t;
                Vec::new()
            }
            Message::Preset(PresetChoice(p)) => {
                self.set_preset(p);
                Vec::new()
            }
            Message::Save => match self.validated(config) {
                Ok(new) => {
                    self.error = None;
                    self.info = None;
                    *config = new.clone();
                    let password = std::mem::take(&mut self.password).non_empty();
                    vec![Effect::Job(Job::Dir(DirJob::Save {
                        config: Box::new(new),
                        password,
                    }))]
                }
                Err(e) => {
                    self.info = None;
                    self.error = Some(e);
                    Vec::new()
                }
            },
            Message::Test => match self.validated(config) {
                Ok(new) => {
                    self.error = None;
                    self.testing = true;
                    self.test = None;
                    vec![Effect::Job(Job::Dir(DirJob::Test {
                        directory: Box::new(new.directory),
                        password: self.password.clone().non_empty(),
                    }))]
                }
                Err(e) => {
                    self.error = Some(e);
                    Vec::new()
                }
            },
            Message::ForgetPassword => vec![Effect::Job(Job::Dir(DirJob::ForgetPassword))],
            Message::DismissBanner => {
                self.error = None;
                self.info = None;
                Vec::new()
            }
        }
    }

    pub fn on_saved(&mut self, config: &Config, password: PasswordState, error: Option<String>) {
        self.password_state = Some(password);
        match error {
            Some(e) => self.error = Some(e),
            None => {
                self.load(config);
                self.info = Some(fl!("dir-form-saved"));
            }
        }
    }

    pub fn on_tested(&mut self, result: Result<Vec<String>, String>) {
        self.testing = false;
        self.test = Some(result);
    }
}
