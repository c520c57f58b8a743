//! Wording of the encoding run: its steps (live progress, card history), its errors with what the operator
//! can do, and the key set's errors.

use crate::fl;
use crate::nfc::encoder::{EncodeError, LogEntry, Step, StepOutcome, parse_log_code};
use crate::nfc::keys::KeysError;

/// One step, e.g. "Écriture du fichier 0 de F585C0".
pub fn encode_step(step: Step) -> String {
    match step {
        Step::ReadCsn => fl!("encode-step-csn"),
        Step::CardMasterKey => fl!("encode-step-picc"),
        Step::RealUid => fl!("encode-step-uid"),
        Step::ListApplications => fl!("encode-step-list"),
        Step::Format => fl!("encode-step-format"),
        Step::CheckApplication(a) => fl!("encode-step-check", aid = a.to_string()),
        Step::CreateApplication(a) => fl!("encode-step-app", aid = a.to_string()),
        Step::ApplicationKeys(a) => fl!("encode-step-keys", aid = a.to_string()),
        Step::CreateFile(a, f) => {
            fl!(
                "encode-step-file",
                aid = a.to_string(),
                file = f.to_string()
            )
        }
        Step::FileSettings(a, f) => {
            fl!(
                "encode-step-settings",
                aid = a.to_string(),
                file = f.to_string()
            )
        }
        Step::WriteFile(a, f) => {
            fl!(
                "encode-step-write",
                aid = a.to_string(),
                file = f.to_string()
            )
        }
        Step::VerifyFile(a, f) => {
            fl!(
                "encode-step-verify",
                aid = a.to_string(),
                file = f.to_string()
            )
        }
        Step::RandomUid => fl!("encode-step-random-uid"),
        Step::ChangeCardMasterKey => fl!("encode-step-picc-key"),
    }
}

/// A log line: a mark and the step.
pub fn encode_entry(e: &LogEntry) -> String {
    let mark = match e.outcome {
        StepOutcome::Done => "✔",
        StepOutcome::AlreadyDone => "=",
        StepOutcome::Failed => "✘",
    };
    let tail = match e.outcome {
        StepOutcome::AlreadyDone => format!(" ({})", fl!("encode-already")),
        _ => String::new(),
    };
    format!("{mark} {}{tail}", encode_step(e.step))
}

/// The history note of an encoding: the steps, one per line.
pub fn encode_log_note(code: &str) -> String {
    let lines: Vec<String> = parse_log_code(code).iter().map(encode_entry).collect();
    fl!("note-encode-log", steps = lines.join(" · "))
}

/// What stopped a run and what to do.
pub fn encode_error(e: &EncodeError) -> String {
    match e {
        EncodeError::Pulled { step } => fl!("err-encode-pulled", step = encode_step(*step)),
        EncodeError::Reader(t) => super::reader_error(t),
        EncodeError::NotDesfire => fl!("err-encode-not-desfire"),
        EncodeError::ForeignCard => fl!("err-encode-foreign-card"),
        EncodeError::ForeignApplication { aid } => {
            fl!("err-encode-foreign-app", aid = aid.to_string())
        }
        EncodeError::UnknownKey { aid, key_no } => fl!(
            "err-encode-unknown-key",
            aid = aid.to_string(),
            key = key_no.to_string()
        ),
        EncodeError::FileMismatch { aid, file } => fl!(
            "err-encode-file-mismatch",
            aid = aid.to_string(),
            file = file.to_string()
        ),
        EncodeError::NoAccess { aid, file, .. } => fl!(
            "err-encode-no-access",
            aid = aid.to_string(),
            file = file.to_string()
        ),
        EncodeError::CardFull => fl!("err-encode-full"),
        EncodeError::VerifyFailed { aid, file } => fl!(
            "err-encode-verify",
            aid = aid.to_string(),
            file = file.to_string()
        ),
        EncodeError::OtherChip { expected, found } => fl!(
            "err-encode-other-chip",
            expected = expected.clone(),
            found = found.clone()
        ),
        EncodeError::RandomUidNeedsPlainKey => fl!("err-encode-random-uid-key"),
        EncodeError::Keys(k) => keys_error(k),
        EncodeError::Profile(p) => super::profile_error(p),
        EncodeError::Card { step, error } => fl!(
            "err-encode-card",
            step = encode_step(*step),
            error = super::nfc_error(error)
        ),
    }
}

/// A key file or key set problem, with the line when there is one.
pub fn keys_error(e: &KeysError) -> String {
    match e {
        KeysError::Syntax { line } => fl!("err-keys-syntax", line = line.to_string()),
        KeysError::BadName { line, name } => {
            fl!(
                "err-keys-name",
                line = line.to_string(),
                name = name.clone()
            )
        }
        KeysError::BadHex { line, name } => {
            fl!("err-keys-hex", line = line.to_string(), name = name.clone())
        }
        KeysError::BadLength { line, name, len } => fl!(
            "err-keys-length",
            line = line.to_string(),
            name = name.clone(),
            len = len.to_string()
        ),
        KeysError::Duplicate { line, name } => {
            fl!(
                "err-keys-duplicate",
                line = line.to_string(),
                name = name.clone()
            )
        }
        KeysError::Read { path, message } => fl!(
            "encode-keys-unreadable",
            path = path.clone(),
            message = message.clone()
        ),
        KeysError::Empty => fl!("err-keys-empty"),
        KeysError::Missing(name) => fl!("err-keys-missing", name = name.clone()),
        KeysError::WrongType {
            name,
            kind,
            expected,
            got,
        } => fl!(
            "err-keys-wrong-type",
            name = name.clone(),
            kind = kind.to_string(),
            expected = expected.to_string(),
            got = got.to_string()
        ),
        KeysError::Diversify { name, message } => fl!(
            "err-keys-diversify",
            name = name.clone(),
            message = message.clone()
        ),
        KeysError::Secret(m) => m.clone(),
    }
}
