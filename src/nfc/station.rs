//! One encoding at a station, end to end: the card record is moved to IN_ENCODE, the chip is encoded
//! (`encoder`), and the outcome is recorded (ENCODED, then ENABLED when automatic activation is on). Used
//! by `guichet encode` and by the Desk and Production screens.

use std::path::Path;

use jiff::Timestamp;

use crate::config::Config;
use crate::domain::card::CardId;
use crate::nfc::desfire::random::{OsRandom, Random};
use crate::nfc::encoder::{self, EncodeError, EncodeInput, Encoded, LogEntry};
use crate::nfc::keys::KeySet;
use crate::nfc::profile::Profile;
use crate::nfc::transport::CardTransport;
use crate::store::cards::CardOptions;
use crate::store::encoding::Recorded;
use crate::store::{Store, StoreError};

/// What an encoding uses besides the card.
#[derive(Debug, Clone)]
pub struct Setup {
    pub profile: Profile,
    pub keys: KeySet,
    pub auto_enable: bool,
    /// Recorded in history and the audit trail.
    pub operator: String,
    /// The reader's name, recorded in the history comment.
    pub station: String,
    pub card_options: CardOptions,
}

impl Setup {
    /// The setup the settings give (`encode.*`, the operator, card options), with the profile loaded from
    /// `data_dir` and the keys from the keyring; `station` is the reader's name.
    pub fn from_config(
        config: &Config,
        data_dir: &Path,
        station: String,
    ) -> Result<Setup, EncodeError> {
        Ok(Setup {
            profile: config.encode.load_profile(data_dir)?,
            keys: KeySet::load()?,
            auto_enable: config.encode.auto_enable,
            operator: config.operator(),
            station,
            card_options: config.card_options(),
        })
    }
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub encoded: Encoded,
    pub log: Vec<LogEntry>,
    /// DESFire APDUs the run exchanged.
    pub apdus: u64,
    pub recorded: Recorded,
    pub update: bool,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StationError {
    /// The card record refused (wrong state, CSN of another card…).
    #[error("{0}")]
    Store(String),
    /// The chip run stopped; its log says where.
    #[error("{error}")]
    Encode {
        error: EncodeError,
        log: Vec<LogEntry>,
    },
}

impl From<StoreError> for StationError {
    fn from(e: StoreError) -> StationError {
        StationError::Store(crate::ui_text::store_error(&e))
    }
}

/// Encodes `card` on the chip in `transport`.
pub fn encode_card(
    store: &Store,
    card: CardId,
    transport: &mut dyn CardTransport,
    setup: &Setup,
    progress: &mut dyn FnMut(&LogEntry),
) -> Result<Outcome, StationError> {
    encode_card_with(store, card, transport, setup, Box::new(OsRandom), progress)
}

/// [`encode_card`] with a given random source.
pub fn encode_card_with(
    store: &Store,
    card: CardId,
    transport: &mut dyn CardTransport,
    setup: &Setup,
    rng: Box<dyn Random>,
    progress: &mut dyn FnMut(&LogEntry),
) -> Result<Outcome, StationError> {
    // Missing keys are found before the card record changes.
    setup
        .keys
        .covers(&setup.profile)
        .map_err(|e| StationError::Encode {
            error: EncodeError::Keys(e),
            log: Vec::new(),
        })?;
    let target = store.encode_begin(card, &setup.station, &setup.card_options, Timestamp::now())?;
    let input = EncodeInput {
        profile: &setup.profile,
        keys: &setup.keys,
        facts: target.facts.clone(),
        expected_uid: target.expected_uid.clone(),
    };
    let report = encoder::encode_with_random(transport, &input, rng, progress);
    match report.result {
        Ok(encoded) => {
            let recorded = store.encode_finish(
                card,
                &encoded,
                &report.log,
                setup.auto_enable,
                &setup.operator,
                &setup.card_options,
                Timestamp::now(),
            )?;
            Ok(Outcome {
                encoded,
                log: report.log,
                apdus: report.apdus,
                recorded,
                update: target.update,
            })
        }
        Err(error) => {
            // The failure is audited; an audit error must not hide the card's own error.
            if let Err(e) =
                store.encode_failed(card, &report.log, &setup.operator, Timestamp::now())
            {
                tracing::warn!("cannot audit the failed encoding of card {card}: {e}");
            }
            Err(StationError::Encode {
                error,
                log: report.log,
            })
        }
    }
}
