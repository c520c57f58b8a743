//! Localisation: Fluent bundles embedded in the binary, and the `fl!` macro.
//!
//! French is the users' language and the default; English is the fallback that `fl!` checks message ids
//! against at compile time (crates.md §8). Fluent's isolation marks are switched off after every language
//! change because the embedded font has no glyph for U+2068/U+2069.

use std::sync::{LazyLock, RwLock};

use i18n_embed::LanguageLoader;
use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use rust_embed::RustEmbed;
use serde::{Deserialize, Serialize};

#[derive(RustEmbed)]
#[folder = "locales/"]
struct Localizations;

static LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader = fluent_language_loader!();
    let langs = [Lang::Fr.id(), Lang::En.id()];
    if let Err(e) = loader.load_languages(&Localizations, &langs) {
        // The bundles are embedded at compile time; failing here is a build defect, not a user error.
        panic!("embedded translations are invalid: {e}");
    }
    loader.set_use_isolating(false);
    loader
});

static CURRENT: RwLock<Lang> = RwLock::new(Lang::Fr);

/// A user interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" | "fr-fr" | "français" | "francais" => Some(Lang::Fr),
            "en" | "en-gb" | "en-us" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, shown in the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }

    fn id(self) -> unic_langid::LanguageIdentifier {
        match self {
            Lang::Fr => unic_langid::langid!("fr"),
            Lang::En => unic_langid::langid!("en"),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.native_name())
    }
}

/// The loader behind `fl!`. Public only for the macro.
#[doc(hidden)]
pub fn loader() -> &'static FluentLanguageLoader {
    &LOADER
}

/// Switches every later `fl!` to `lang` (process-wide).
pub fn set_language(lang: Lang) {
    let langs = [lang.id(), Lang::En.id()];
    if let Err(e) = LOADER.load_languages(&Localizations, &langs) {
        panic!("embedded translations are invalid: {e}");
    }
    LOADER.set_use_isolating(false);
    if let Ok(mut cur) = CURRENT.write() {
        *cur = lang;
    }
}

pub fn language() -> Lang {
    CURRENT.read().map(|l| *l).unwrap_or_default()
}

/// Every message id of one embedded locale file, for the key-parity test and diagnostics.
pub fn message_ids(lang: Lang) -> Vec<String> {
    let path = format!("{}/guichet.ftl", lang.code());
    let Some(file) = Localizations::get(&path) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&file.data);
    let mut ids: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let first = l.chars().next()?;
            if !first.is_ascii_alphabetic() {
                return None;
            }
            let id: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            l[id.len()..].trim_start().starts_with('=').then_some(id)
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// `fl!("message-id", arg = value, ...)`: a localised string in the current language.
#[macro_export]
macro_rules! fl {
    ($id:literal) => {{
        i18n_embed_fl::fl!($crate::i18n::loader(), $id)
    }};
    ($id:literal, $($args:tt)*) => {{
        i18n_embed_fl::fl!($crate::i18n::loader(), $id, $($args)*)
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_have_the_same_keys() {
        let en = message_ids(Lang::En);
        let fr = message_ids(Lang::Fr);
        assert!(en.len() > 20, "en locale looks empty: {}", en.len());
        let only_en: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
        let only_fr: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
        assert!(
            only_en.is_empty() && only_fr.is_empty(),
            "only in en: {only_en:?}; only in fr: {only_fr:?}"
        );
    }
}
