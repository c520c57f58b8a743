//! The readable summary of a profile ([`Profile::describe`]), one line per item, in the current language.

use super::{Content, KeyRef, Profile};
use crate::fl;
use crate::nfc::desfire::session::CommMode;

fn key_text(key: Option<&KeyRef>) -> String {
    match key {
        None => fl!("profile-factory-key"),
        Some(k) if k.diversified => fl!("profile-diversified", key = k.name.clone()),
        Some(k) => k.name.clone(),
    }
}

fn content_text(content: &Content) -> String {
    match content {
        Content::AccessControlId { base, width } => fl!(
            "profile-content-access-id",
            base = base.to_string(),
            width = width.to_string()
        ),
        Content::Escn => fl!("profile-content-escn"),
        Content::CsnAt { domain } => fl!("profile-content-csn-at", domain = domain.clone()),
        Content::CrousNumber => fl!("profile-content-crous"),
        Content::Hex(b) => fl!(
            "profile-content-hex",
            hex = b.iter().map(|x| format!("{x:02X}")).collect::<String>()
        ),
        Content::Empty => fl!("profile-content-empty"),
    }
}

fn comm_text(mode: CommMode) -> String {
    match mode {
        CommMode::Plain => fl!("profile-comm-plain"),
        CommMode::Mac => fl!("profile-comm-maced"),
        CommMode::Full => fl!("profile-comm-enciphered"),
    }
}

impl Profile {
    /// What the profile writes, for the operator: the PICC settings, then each application with its keys
    /// and files. Key names are shown, never key values.
    pub fn describe(&self) -> Vec<String> {
        let p = &self.picc;
        let mut lines = vec![fl!(
            "profile-picc-key",
            key = key_text(p.master_key.as_ref()),
            kind = p.key_type.name()
        )];
        if p.format_before_write {
            lines.push(fl!("profile-picc-format"));
        }
        if p.change_key_last {
            lines.push(fl!("profile-picc-change-last"));
        }
        if p.random_uid {
            lines.push(fl!("profile-picc-random-uid"));
        }
        for app in &self.applications {
            lines.push(fl!(
                "profile-application",
                aid = app.aid.to_string(),
                name = app.name.clone(),
                count = app.keys.len().to_string(),
                kind = app.key_type.name(),
                settings = format!("{:02X}", app.key_settings.encode())
            ));
            for (n, key) in app.keys.iter().enumerate() {
                lines.push(fl!(
                    "profile-key",
                    number = n.to_string(),
                    key = key_text(Some(key)),
                    version = key.version.to_string()
                ));
            }
            for file in &app.files {
                lines.push(fl!(
                    "profile-file",
                    number = file.number.to_string(),
                    size = file.size.to_string(),
                    comm = comm_text(file.comm_mode),
                    access = format!("{:04X}", file.access.config()),
                    content = content_text(&file.content)
                ));
            }
        }
        lines
    }
}
