//! What the encoder reports: the steps of a run ([`Step`], [`LogEntry`]), the outcome of a successful run
//! ([`Encoded`]) and the reasons a run stops ([`EncodeError`]). The GUI shows the log live, the CLI prints it
//! and the card history keeps it (`ui_text::nfc_encode` renders it in the user's language).

use crate::nfc::desfire::DesfireError;
use crate::nfc::desfire::commands::Aid;
use crate::nfc::keys::KeysError;
use crate::nfc::profile::ProfileError;
use crate::nfc::transport::TransportError;

/// One step of an encoding run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The chip serial number, through the reader (`FF CA`).
    ReadCsn,
    /// Authentication with the card master key (factory or ours).
    CardMasterKey,
    /// The real UID of a random-UID card (GetCardUID after authentication).
    RealUid,
    /// The applications present on the card.
    ListApplications,
    /// FormatPICC of a card holding only foreign applications.
    Format,
    /// Checking the keys of an application already on the card.
    CheckApplication(Aid),
    CreateApplication(Aid),
    /// Changing the application's keys from their default to the profile's.
    ApplicationKeys(Aid),
    CreateFile(Aid, u8),
    /// Settings of an existing file brought to the profile's.
    FileSettings(Aid, u8),
    WriteFile(Aid, u8),
    /// Reading a file back and comparing it with what was written.
    VerifyFile(Aid, u8),
    /// Switching random UID on (permanent).
    RandomUid,
    /// Changing the card master key to the profile's (always last).
    ChangeCardMasterKey,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// Done now.
    Done,
    /// Found already done on the card (resume, update).
    AlreadyDone,
    /// The step failed; the run's error says why.
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogEntry {
    pub step: Step,
    pub outcome: StepOutcome,
}

/// The id written in one file, as recorded on the card row (`desfire_ids`, crous-escr.md §1: application
/// name → id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenId {
    /// The profile's application name (`access control`, `CROUS`…).
    pub application: String,
    pub aid: Aid,
    pub file: u8,
    /// The id in readable form: the decimal number, the ESCN, the `csn@domain` text or hex.
    pub value: String,
}

/// A successful run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The chip's real UID (the CSN recorded on the card).
    pub uid: Vec<u8>,
    /// Whether the card was already ours (update or resume) rather than blank or foreign-formatted.
    pub update: bool,
    pub ids: Vec<WrittenId>,
}

/// Why a run stopped. Nothing here leaves the card unwritable: the card master key is changed last, and a
/// run can always be started again on the same card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The card left the reader (or the reader went away) during the run.
    #[error("the card was removed during {step:?}")]
    Pulled { step: Step },
    /// The reader has no card, or is not there.
    #[error("{0}")]
    Reader(TransportError),
    /// The card does not answer DESFire commands.
    #[error("not a MIFARE DESFire card")]
    NotDesfire,
    /// Neither the factory card master key nor ours opens the card.
    #[error("unknown card master key: a card of another institution, or keys not imported")]
    ForeignCard,
    /// An application of the profile is on the card with keys we do not hold.
    #[error("application {aid} is on the card with keys we do not hold")]
    ForeignApplication { aid: Aid },
    /// A key of one of our applications has an unknown value.
    #[error("key {key_no} of application {aid} has an unknown value")]
    UnknownKey { aid: Aid, key_no: u8 },
    /// A file of the profile is on the card with another size or type.
    #[error("file {file} of application {aid} exists with another size or type")]
    FileMismatch { aid: Aid, file: u8 },
    /// The profile gives no key allowing this access.
    #[error("file {file} of application {aid} cannot be {what} by any key")]
    NoAccess {
        aid: Aid,
        file: u8,
        what: &'static str,
    },
    /// The card has no room left.
    #[error("the card is full")]
    CardFull,
    /// The card holds other data than what was just written.
    #[error("file {file} of application {aid} reads back different data")]
    VerifyFailed { aid: Aid, file: u8 },
    /// The chip is not the one recorded for this card.
    #[error("this card record belongs to chip {expected}, the chip presented is {found}")]
    OtherChip { expected: String, found: String },
    /// A random-UID card whose first authentication would need a diversified key.
    #[error("random-UID card: its UID can only be read with a key that is not diversified")]
    RandomUidNeedsPlainKey,
    #[error(transparent)]
    Keys(#[from] KeysError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// Any other refusal of the card, at a given step.
    #[error("{step:?}: {error}")]
    Card { step: Step, error: DesfireError },
}

impl LogEntry {
    /// A compact, language-neutral form kept in the card history (`Note::EncodeLog`): the step's code, its
    /// application and file, and `+` done, `=` already done or `!` failed, e.g. `write:F585C0/0+`.
    pub fn code(&self) -> String {
        let (name, aid, file) = match self.step {
            Step::ReadCsn => ("csn", None, None),
            Step::CardMasterKey => ("picc", None, None),
            Step::RealUid => ("uid", None, None),
            Step::ListApplications => ("list", None, None),
            Step::Format => ("format", None, None),
            Step::CheckApplication(a) => ("check", Some(a), None),
            Step::CreateApplication(a) => ("app", Some(a), None),
            Step::ApplicationKeys(a) => ("keys", Some(a), None),
            Step::CreateFile(a, f) => ("file", Some(a), Some(f)),
            Step::FileSettings(a, f) => ("settings", Some(a), Some(f)),
            Step::WriteFile(a, f) => ("write", Some(a), Some(f)),
            Step::VerifyFile(a, f) => ("verify", Some(a), Some(f)),
            Step::RandomUid => ("random_uid", None, None),
            Step::ChangeCardMasterKey => ("picc_key", None, None),
        };
        let mut out = name.to_string();
        if let Some(a) = aid {
            out.push_str(&format!(":{a}"));
        }
        if let Some(f) = file {
            out.push_str(&format!("/{f}"));
        }
        out.push(match self.outcome {
            StepOutcome::Done => '+',
            StepOutcome::AlreadyDone => '=',
            StepOutcome::Failed => '!',
        });
        out
    }

    /// Parses one [`LogEntry::code`]; `None` for anything else.
    pub fn parse_code(code: &str) -> Option<LogEntry> {
        let outcome = match code.chars().last()? {
            '+' => StepOutcome::Done,
            '=' => StepOutcome::AlreadyDone,
            '!' => StepOutcome::Failed,
            _ => return None,
        };
        let body = &code[..code.len() - 1];
        let (name, rest) = body.split_once(':').unwrap_or((body, ""));
        let (aid, file) = rest.split_once('/').unwrap_or((rest, ""));
        let aid = Aid::parse_hex(aid);
        let file: Option<u8> = file.parse().ok();
        let step = match (name, aid, file) {
            ("csn", None, None) => Step::ReadCsn,
            ("picc", None, None) => Step::CardMasterKey,
            ("uid", None, None) => Step::RealUid,
            ("list", None, None) => Step::ListApplications,
            ("format", None, None) => Step::Format,
            ("check", Some(a), None) => Step::CheckApplication(a),
            ("app", Some(a), None) => Step::CreateApplication(a),
            ("keys", Some(a), None) => Step::ApplicationKeys(a),
            ("file", Some(a), Some(f)) => Step::CreateFile(a, f),
            ("settings", Some(a), Some(f)) => Step::FileSettings(a, f),
            ("write", Some(a), Some(f)) => Step::WriteFile(a, f),
            ("verify", Some(a), Some(f)) => Step::VerifyFile(a, f),
            ("random_uid", None, None) => Step::RandomUid,
            ("picc_key", None, None) => Step::ChangeCardMasterKey,
            _ => return None,
        };
        Some(LogEntry { step, outcome })
    }
}

/// A whole log in compact form, entries separated by spaces.
pub fn log_code(log: &[LogEntry]) -> String {
    log.iter().map(LogEntry::code).collect::<Vec<_>>().join(" ")
}

/// Parses [`log_code`]'s output, skipping anything unknown.
pub fn parse_log_code(text: &str) -> Vec<LogEntry> {
    text.split_whitespace()
        .filter_map(LogEntry::parse_code)
        .collect()
}
