//! Wording of encoding-profile errors ([`ProfileError`]): what is wrong and what to do.

use crate::fl;
use crate::nfc::profile::{Fact, ProfileError};

fn fact(f: Fact) -> String {
    match f {
        Fact::Csn => fl!("profile-fact-csn"),
        Fact::Escn => fl!("profile-fact-escn"),
        Fact::CrousNumber => fl!("profile-fact-crous"),
        Fact::AccessId => fl!("profile-fact-access-id"),
    }
}

pub fn profile_error(e: &ProfileError) -> String {
    match e {
        ProfileError::Io { path, message } => fl!(
            "err-profile-io",
            path = path.clone(),
            message = message.clone()
        ),
        ProfileError::Syntax {
            line: Some(line),
            message,
        } => fl!(
            "err-profile-syntax",
            line = line.to_string(),
            message = message.clone()
        ),
        ProfileError::Syntax {
            line: None,
            message,
        } => {
            fl!("err-profile-syntax-no-line", message = message.clone())
        }
        ProfileError::BadValue {
            field,
            value,
            expected,
        } => fl!(
            "err-profile-bad-value",
            field = field.clone(),
            value = value.clone(),
            expected = expected.to_string()
        ),
        ProfileError::NoApplication => fl!("err-profile-no-application"),
        ProfileError::ReservedAid { field } => {
            fl!("err-profile-reserved-aid", field = field.clone())
        }
        ProfileError::DuplicateAid { aid } => fl!("err-profile-duplicate-aid", aid = aid.clone()),
        ProfileError::DuplicateFile { field, number } => fl!(
            "err-profile-duplicate-file",
            field = field.clone(),
            number = number.to_string()
        ),
        ProfileError::KeyCount { field, count } => fl!(
            "err-profile-key-count",
            field = field.clone(),
            count = count.to_string()
        ),
        ProfileError::KeyOutOfRange { field, key, count } => fl!(
            "err-profile-key-out-of-range",
            field = field.clone(),
            key = key.to_string(),
            count = count.to_string()
        ),
        ProfileError::FileNumber { field, number } => fl!(
            "err-profile-file-number",
            field = field.clone(),
            number = number.to_string()
        ),
        ProfileError::FileSize { field, size } => fl!(
            "err-profile-file-size",
            field = field.clone(),
            size = size.to_string()
        ),
        ProfileError::ContentTooLarge {
            field,
            needed,
            size,
        } => fl!(
            "err-profile-content-too-large",
            field = field.clone(),
            needed = needed.to_string(),
            size = size.to_string()
        ),
        ProfileError::IsoWithoutFid { field } => {
            fl!("err-profile-iso-without-fid", field = field.clone())
        }
        ProfileError::EmptyKeyName { field } => {
            fl!("err-profile-empty-key-name", field = field.clone())
        }
        ProfileError::ChangeLastWithoutKey => fl!("err-profile-change-last-without-key"),
        ProfileError::Width { field, width } => fl!(
            "err-profile-width",
            field = field.clone(),
            width = width.to_string()
        ),
        ProfileError::MissingFact { fact: f } => fl!("err-profile-missing-fact", fact = fact(*f)),
        ProfileError::BadEscn { value } => fl!("err-profile-bad-escn", value = value.clone()),
        ProfileError::NumberTooLong { number, digits } => fl!(
            "err-profile-number-too-long",
            number = number.clone(),
            digits = digits.to_string()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_message_naming_its_details() {
        let text = profile_error(&ProfileError::KeyOutOfRange {
            field: "application[0].file[0].access.read".into(),
            key: 5,
            count: 4,
        });
        assert!(
            text.contains("application[0].file[0].access.read"),
            "{text}"
        );
        assert!(text.contains('5') && text.contains('4'), "{text}");
        let text = profile_error(&ProfileError::MissingFact { fact: Fact::Escn });
        assert!(text.contains("ESCN"), "{text}");
        let text = profile_error(&ProfileError::Syntax {
            line: Some(12),
            message: "expected `=`".into(),
        });
        assert!(text.contains("12"), "{text}");
    }
}
