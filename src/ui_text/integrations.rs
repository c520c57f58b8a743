//! Wording of the integrations' pure parts: CROUS tariff rules (API answer, ESIST file), the identifier
//! migration file (patchIdentifier) and the LDAP write-back templates.

use crate::domain::tariff::{FieldProblem, TariffError};
use crate::fl;
use crate::remote::ldap_template::TemplateError;
use crate::remote::patch_ids::{LineError, LineProblem, PatchIdsError};

pub fn tariff_error(e: &TariffError) -> String {
    match e {
        TariffError::Json(message) => fl!("err-tariff-json", message = message.clone()),
        TariffError::ApiRule {
            index,
            field,
            problem,
        } => fl!(
            "err-tariff-api-rule",
            index = index.to_string(),
            field = field.to_string(),
            problem = field_problem(problem)
        ),
        TariffError::Xml(message) => fl!("err-tariff-xml", message = message.clone()),
        TariffError::Root(root) => fl!("err-tariff-root", root = root.clone()),
        TariffError::NoRuleSection => fl!("err-tariff-no-rules"),
        TariffError::Row {
            section,
            row,
            field,
            problem,
        } => fl!(
            "err-tariff-row",
            section = section.to_string(),
            row = row.to_string(),
            field = field.clone(),
            problem = field_problem(problem)
        ),
    }
}

fn field_problem(p: &FieldProblem) -> String {
    match p {
        FieldProblem::Missing => fl!("tariff-problem-missing"),
        FieldProblem::NotANumber(v) => fl!("tariff-problem-not-number", value = v.clone()),
        FieldProblem::NotText(v) => fl!("tariff-problem-not-text", value = v.clone()),
        FieldProblem::NotObject => fl!("tariff-problem-not-object"),
        FieldProblem::UnknownEmployer(code) => {
            fl!("tariff-problem-unknown-employer", code = code.clone())
        }
    }
}

/// The whole-file message: what is wrong, that nothing was applied, then one line per bad line.
/// Why a migration file could not be recorded, naming the file.
pub fn patch_file_error(
    path: &std::path::Path,
    e: &crate::remote::actions::PatchFileError,
) -> String {
    use crate::remote::actions::PatchFileError;
    match e {
        PatchFileError::Read(e) => super::read_error(path.display(), e),
        PatchFileError::Parse(e) => format!("{}: {}", path.display(), patch_ids_error(e)),
        PatchFileError::Store(e) => super::store_error(e),
    }
}

pub fn patch_ids_error(e: &PatchIdsError) -> String {
    match e {
        PatchIdsError::MissingHeader => fl!("err-patch-ids-header"),
        PatchIdsError::Lines(lines) => {
            let mut out = fl!("err-patch-ids-lines", count = lines.len());
            for l in lines {
                out.push('\n');
                out.push_str(&patch_line_error(l));
            }
            out
        }
    }
}

/// One bad line of the migration file, with its line number and column.
pub fn patch_line_error(e: &LineError) -> String {
    let problem = match &e.problem {
        LineProblem::ColumnCount { found } => {
            fl!("patch-ids-problem-columns", found = found.to_string())
        }
        LineProblem::Empty => fl!("patch-ids-problem-empty"),
        LineProblem::BadEmail => fl!("patch-ids-problem-email"),
        LineProblem::SameIds => fl!("patch-ids-problem-same"),
        LineProblem::DuplicateOldId { first_line } => {
            fl!("patch-ids-problem-dup-old", first = first_line.to_string())
        }
        LineProblem::DuplicateNewId { first_line } => {
            fl!("patch-ids-problem-dup-new", first = first_line.to_string())
        }
    };
    if e.field == "*" {
        fl!(
            "patch-ids-line",
            line = e.line.to_string(),
            problem = problem
        )
    } else {
        fl!(
            "patch-ids-line-field",
            line = e.line.to_string(),
            field = e.field.to_string(),
            problem = problem
        )
    }
}

pub fn ldap_template_error(e: &TemplateError) -> String {
    match e {
        TemplateError::NoColon { line } => {
            fl!("err-template-no-colon", line = line.to_string())
        }
        TemplateError::BadAttribute { line, attribute } => fl!(
            "err-template-attribute",
            line = line.to_string(),
            attribute = attribute.clone()
        ),
        TemplateError::EmptyValue { line, attribute } => fl!(
            "err-template-empty",
            line = line.to_string(),
            attribute = attribute.clone()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_the_line_and_field() {
        let e = PatchIdsError::Lines(vec![
            LineError {
                line: 7,
                field: "mail",
                problem: LineProblem::BadEmail,
            },
            LineError {
                line: 9,
                field: "*",
                problem: LineProblem::ColumnCount { found: 2 },
            },
        ]);
        let text = patch_ids_error(&e);
        assert!(text.contains('7') && text.contains("mail"), "{text}");
        assert!(text.contains('9') && text.contains('2'), "{text}");
        assert_eq!(text.lines().count(), 3, "{text}");
        let t = tariff_error(&TariffError::Row {
            section: "EmployeurStatutIndiceSocieteTarif",
            row: 4,
            field: "codesociete".to_string(),
            problem: FieldProblem::NotANumber("dix".to_string()),
        });
        assert!(
            t.contains('4') && t.contains("codesociete") && t.contains("dix"),
            "{t}"
        );
        let t = ldap_template_error(&TemplateError::BadAttribute {
            line: 3,
            attribute: "sup ann".to_string(),
        });
        assert!(t.contains('3') && t.contains("sup ann"), "{t}");
        let t = ldap_template_error(&TemplateError::EmptyValue {
            line: 2,
            attribute: "pager".to_string(),
        });
        assert!(t.contains("{ISO15693}%csn%") && t.contains("pager"), "{t}");
    }
}
