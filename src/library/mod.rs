//! The school librarian's and the school's files (formats.md §5–§8): e-sidoc borrower XML for BCDI and the
//! preview of BCDI's borrower update (`bcdi`, `reconcile`), SACoche identifier files (`sacoche`), SIECLE
//! pupil exports (`siecle`). Parsers take bytes and return data or a [`FileError`] naming the line and
//! the field; they never panic and never apply half a file. Encodings are detected in one place (`text`).
//!
//! BCDI is the library software of French secondary schools (Canopé), e-sidoc its portal; SACoche is a
//! skills-assessment application (Sésamath); SIECLE is the ministry's pupil database.

pub mod bcdi;
pub mod reconcile;
pub mod report;
pub mod sacoche;
pub mod siecle;
mod suggest;
pub mod text;
pub mod workflow;

/// What is wrong with a school file. `line` is 1-based; `field` is the column or element name as the
/// file spells it. Worded for the user by `ui_text::file_error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("not a text file")]
    Binary,
    #[error("line {line}: not valid {charset}")]
    Encoding { line: usize, charset: &'static str },
    #[error("unknown character set {name}")]
    UnknownCharset { name: String },
    #[error("line {line}: malformed XML: {message}")]
    Xml { line: usize, message: String },
    #[error("the XML root is {found}, expected {expected}")]
    Root {
        expected: &'static str,
        found: String,
    },
    #[error("missing column {column} (header: {header})")]
    MissingColumn { column: String, header: String },
    #[error("line {line}: {found} column(s), expected at least {expected}")]
    Columns {
        line: usize,
        expected: usize,
        found: usize,
    },
    #[error("line {line}, {field}: {problem:?} ({value})")]
    Field {
        line: usize,
        field: String,
        value: String,
        problem: Problem,
    },
    #[error("INE {ine} appears on lines {lines:?}")]
    DuplicateIne { ine: String, lines: Vec<usize> },
    #[error("no record in the file")]
    NoRecord,
    #[error("unknown format {name}")]
    UnknownFormat { name: String },
    /// A file with several persons on one row (ItsLearning's parents' file, formats.md §7.2).
    #[error("several persons per row (header: {header})")]
    SeveralPersonsPerRow { header: String },
}

/// What is wrong with one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    BadDate,
    BadNumber,
    BadIne,
}

/// A small deterministic random source (xorshift64) for the parsers' "arbitrary bytes never panic" tests.
#[cfg(test)]
pub(crate) struct TestRng(pub u64);

#[cfg(test)]
impl TestRng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// `len` arbitrary bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| (self.next() >> 24) as u8).collect()
    }
}
