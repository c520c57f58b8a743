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

/// A library step's error.
pub fn library_error(e: &crate::library::workflow::LibraryError) -> String {
    use crate::library::workflow::LibraryError;
    match e {
        LibraryError::Store(e) => crate::ui_text::store_error(e),
        LibraryError::UnknownUai(uai) => fl!("err-library-uai", uai = uai.clone()),
        LibraryError::File { file, error } => file_error(file, error),
        LibraryError::Random(m) => fl!("err-library-random", message = m.clone()),
    }
}

/// "DUPONT Jean: no birth date (mandatory in e-sidoc)".
pub fn skipped_line(s: &crate::library::bcdi::Skipped) -> String {
    use crate::library::bcdi::SkipReason;
    let reason = match s.reason {
        SkipReason::NoName => fl!("library-skip-name"),
        SkipReason::NoBirthDate => fl!("library-skip-birth"),
        SkipReason::Departed => fl!("library-skip-departed"),
    };
    fl!("library-skipped", name = s.name.clone(), reason = reason)
}

/// The name of a suggestion's reason.
pub fn reason_name(r: crate::library::reconcile::Reason) -> String {
    use crate::library::reconcile::Reason;
    match r {
        Reason::Comma => fl!("library-reason-comma"),
        Reason::Accents => fl!("library-reason-accents"),
        Reason::Punctuation => fl!("library-reason-punctuation"),
        Reason::Swapped => fl!("library-reason-swapped"),
        Reason::Typo => fl!("library-reason-typo"),
    }
}

/// How BCDI matches this time.
pub fn mode_line(mode: crate::library::reconcile::Mode) -> String {
    use crate::library::reconcile::Mode;
    match mode {
        Mode::FirstUpdate => fl!("library-mode-first"),
        Mode::ByIdentifier => fl!("library-mode-id"),
    }
}

/// The plan's counts in BCDI's categories.
pub fn counts_line(plan: &crate::library::reconcile::Plan) -> String {
    fl!(
        "library-counts",
        new = plan.new.len(),
        updated = plan.updated.len(),
        ambiguous = plan.ambiguous(),
        deleted = plan.deleted.len(),
        set_aside = plan.set_aside.len(),
        unchanged = plan.unchanged.len(),
        untouched = plan.untouched.len()
    )
}

/// What the librarian said about a suggestion.
pub fn verdict_name(v: crate::library::reconcile::Verdict) -> String {
    use crate::library::reconcile::Verdict;
    match v {
        Verdict::Pending => fl!("library-verdict-pending"),
        Verdict::Accepted => fl!("library-verdict-accepted"),
        Verdict::Rejected => fl!("library-verdict-rejected"),
    }
}

/// The plan in a few lines: counts in BCDI's categories, then what needs the librarian.
pub fn plan_summary(p: &crate::library::workflow::Preview) -> Vec<String> {
    let plan = &p.plan;
    let mut out = vec![mode_line(plan.mode), counts_line(plan)];
    for h in &plan.homonyms {
        out.push(fl!(
            "library-homonym-line",
            name = h.name.clone(),
            bcdi = h.borrowers.len(),
            file = h.ents.len(),
            resolved = if h.resolved { "yes" } else { "no" }
        ));
        for &b in &h.borrowers {
            let x = &p.borrowers[b];
            out.push(format!(
                "    BCDI {} · {} · {}",
                p.keys[b],
                x.class.as_deref().unwrap_or("-"),
                x.loans.unwrap_or(0)
            ));
        }
        for &e in &h.ents {
            let x = &p.ent[e];
            out.push(format!(
                "    ENT {} · {}",
                x.ent_id,
                x.class.as_deref().unwrap_or("-")
            ));
        }
    }
    for s in &plan.suggestions {
        let b = &p.borrowers[s.borrower];
        let e = &p.ent[s.ent];
        out.push(fl!(
            "library-suggestion-line",
            bcdi = b.name.clone(),
            ent = e.name.clone(),
            reason = reason_name(s.reason),
            key = p.keys[s.borrower].clone(),
            id = e.ent_id.clone(),
            verdict = verdict_name(s.verdict)
        ));
    }
    for s in &p.skipped {
        out.push(skipped_line(s));
    }
    out
}

/// "N persons written to FILE (M left out)": the summary of a SACoche ITOP export, in the window and
/// the CLI.
pub fn sacoche_exported(file: &str, rows: usize, left_out: usize) -> String {
    fl!(
        "cli-sacoche-exported",
        file = file.to_string(),
        rows = rows,
        left_out = left_out
    )
}

/// The characters the chosen encoding cannot write, replaced in an export.
pub fn sacoche_unmappable(chars: &str, charset: crate::library::text::Charset) -> String {
    fl!(
        "cli-sacoche-unmappable",
        chars = chars.to_string(),
        charset = charset.label()
    )
}

/// The summary of a SACoche file checked against the directory, in the window and the CLI.
pub fn sacoche_checked(file: &str, counts: &crate::library::sacoche::Counts) -> String {
    fl!(
        "cli-sacoche-checked",
        file = file.to_string(),
        modified = counts.modified,
        problems = counts.problems,
        unchanged = counts.unchanged,
        skipped = counts.skipped
    )
}

/// "FILE imported into UAI: N added, …": the summary of a SIECLE import, in the window and the CLI.
pub fn siecle_imported(file: &str, report: &crate::library::siecle::ImportReport) -> String {
    fl!(
        "cli-siecle-imported",
        file = file.to_string(),
        uai = report.uai.clone(),
        added = report.added.len(),
        updated = report.updated.len(),
        left = (report.left.len() + report.absent.len()),
        directory = report.in_directory.len(),
        skipped = report.skipped.len()
    )
}

/// A SIECLE pupil left out of the import, with its line and the reason.
pub fn siecle_skipped(s: &crate::library::siecle::Skipped) -> String {
    use crate::library::siecle::SkipReason;
    match s.reason {
        SkipReason::NoIne => fl!(
            "cli-siecle-skipped-no-ine",
            line = s.pupil.line,
            name = s.pupil.name.clone()
        ),
        SkipReason::Inactive => fl!(
            "cli-siecle-skipped-inactive",
            line = s.pupil.line,
            name = s.pupil.name.clone()
        ),
    }
}
