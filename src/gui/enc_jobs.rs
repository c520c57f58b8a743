//! Blocking work of Settings → Encoding and of the batch scan, run off the GUI thread like `jobs.rs`: the
//! profile (a file to read and validate), the key set (the OS keyring, which may prompt) and the card a
//! scanned QR code names.

use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::domain::card::{CardId, CardState, PersonId};
use crate::gui::jobs::{Done, Services};
use crate::nfc::keys::{KeyInfo, KeySet};
use crate::nfc::profile::Profile;
use crate::store::{cards, persons};
use crate::ui_text;

/// A key value typed by the operator, on its way to the keyring. `Debug` never shows it, and the bytes
/// are wiped when dropped.
#[derive(Clone, Default)]
pub struct TypedKey(pub Zeroizing<String>);

impl std::fmt::Debug for TypedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypedKey(…)")
    }
}

#[derive(Debug, Clone)]
pub enum EncJob {
    /// The active profile and how its keys stand in the keyring.
    Load,
    /// A profile file to validate before it is saved in the settings.
    CheckProfile(PathBuf),
    /// A key file to merge into the stored key set.
    ImportKeys(PathBuf),
    /// One key typed in Settings → Encoding.
    TypeKey { name: String, value: TypedKey },
    /// A scanned QR code (or ESCN): the card it names.
    Scan(String),
}

/// A card found by a scan, with its holder's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub card: CardId,
    pub person: PersonId,
    pub state: CardState,
    pub name: String,
}

#[derive(Debug, Clone)]
pub enum EncDone {
    Loaded {
        profile: Result<Profile, String>,
        keys: Result<Vec<KeyInfo>, String>,
    },
    ProfileChecked {
        path: PathBuf,
        result: Result<Profile, String>,
    },
    /// Keys stored: the names added or replaced.
    KeysSaved(Vec<String>),
    KeysFailed(String),
    Scanned {
        text: String,
        card: Result<Option<Scanned>, String>,
    },
}

pub fn perform(services: &Services, job: EncJob) -> Done {
    Done::Enc(match job {
        EncJob::Load => {
            let profile = services
                .config
                .encode
                .load_profile(&services.data_dir())
                .map_err(|e| ui_text::profile_error(&e));
            let keys = match &profile {
                Ok(p) => KeySet::load()
                    .map(|k| k.describe(p))
                    .map_err(|e| ui_text::keys_error(&e)),
                Err(_) => Ok(Vec::new()),
            };
            EncDone::Loaded { profile, keys }
        }
        EncJob::CheckProfile(path) => {
            let result = Profile::load(&path).map_err(|e| ui_text::profile_error(&e));
            EncDone::ProfileChecked { path, result }
        }
        EncJob::ImportKeys(path) => match KeySet::import_file(&path) {
            Ok(names) => EncDone::KeysSaved(names),
            Err(e) => EncDone::KeysFailed(ui_text::keys_error(&e)),
        },
        EncJob::TypeKey { name, value } => {
            let saved = KeySet::modify(|set| set.insert_typed(&name, &value.0));
            match saved {
                Ok(()) => EncDone::KeysSaved(vec![name]),
                Err(e) => EncDone::KeysFailed(ui_text::keys_error(&e)),
            }
        }
        EncJob::Scan(text) => {
            let card = scan(services, &text).map_err(|e| ui_text::store_error(&e));
            EncDone::Scanned { text, card }
        }
    })
}

fn scan(services: &Services, text: &str) -> crate::store::Result<Option<Scanned>> {
    let Some(card) = services.store.card_for_scan(text)? else {
        return Ok(None);
    };
    services.store.read(|c| {
        let detail = cards::get(c, card)?;
        let name = persons::rows(c, &[detail.person_id])?
            .into_iter()
            .next()
            .map(|r| r.display_name)
            .unwrap_or_default();
        Ok(Some(Scanned {
            card,
            person: detail.person_id,
            state: detail.state,
            name,
        }))
    })
}
