//! Wording of the school files' errors.

use crate::fl;
use crate::library::{FileError, Problem};

/// A school file's error, with the file's name, the line and the field, and what to do.
pub fn file_error(file: &str, e: &FileError) -> String {
    let file = file.to_string();
    match e {
        FileError::Empty => fl!("err-file-empty", file = file),
        FileError::Binary => fl!("err-file-binary", file = file),
        FileError::Encoding { line, charset } => fl!(
            "err-file-encoding",
            file = file,
            line = line,
            charset = charset.to_string()
        ),
        FileError::UnknownCharset { name } => {
            fl!("err-file-charset", file = file, name = name.clone())
        }
        FileError::Xml { line, message } => fl!(
            "err-file-xml",
            file = file,
            line = line,
            message = message.clone()
        ),
        FileError::Root { expected, found } => fl!(
            "err-file-root",
            file = file,
            expected = expected.to_string(),
            found = found.clone()
        ),
        FileError::MissingColumn { column, header } => fl!(
            "err-file-column",
            file = file,
            column = column.clone(),
            header = header.clone()
        ),
        FileError::Columns {
            line,
            expected,
            found,
        } => fl!(
            "err-file-columns",
            file = file,
            line = line,
            expected = expected,
            found = found
        ),
        FileError::Field {
            line,
            field,
            value,
            problem,
        } => {
            let what = match problem {
                Problem::Missing => fl!("file-problem-missing"),
                Problem::BadDate => fl!("file-problem-date"),
                Problem::BadNumber => fl!("file-problem-number"),
                Problem::BadIne => fl!("file-problem-ine"),
            };
            fl!(
                "err-file-field",
                file = file,
                line = line,
                field = field.clone(),
                value = value.clone(),
                problem = what
            )
        }
        FileError::DuplicateIne { ine, lines } => fl!(
            "err-file-duplicate-ine",
            file = file,
            ine = ine.clone(),
            lines = lines
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        FileError::NoRecord => fl!("err-file-no-record", file = file),
        FileError::UnknownFormat { name } => {
            fl!("err-file-format", file = file, name = name.clone())
        }
        FileError::SeveralPersonsPerRow { header } => fl!(
            "err-file-several-per-row",
            file = file,
            header = header.clone()
        ),
    }
}
