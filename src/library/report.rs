//! The PDF report of a planned BCDI update (issue #7, point 4): the counts and every list, laid out by the
//! delivery slip's table writer (`production::slip`: headers repeated on each page, numbered pages).

use jiff::Timestamp;

use super::reconcile::{HomonymCase, Mode};
use super::workflow::Preview;
use crate::fl;
use crate::production::slip::{Slip, SlipSection};
use crate::ui_text;

fn section(heading: String, rows: Vec<Vec<String>>) -> SlipSection {
    let rows = if rows.is_empty() {
        vec![vec![fl!("library-report-none")]]
    } else {
        rows
    };
    SlipSection { heading, rows }
}

/// The report of `preview` for `establishment` (its name and UAI, or the ENT file's name).
pub fn report(preview: &Preview, establishment: &str, now: Timestamp) -> Slip {
    let p = &preview.plan;
    let b = |i: usize| &preview.borrowers[i];
    let e = |i: usize| &preview.ent[i];
    let borrower_row = |i: usize, detail: String| {
        let x = b(i);
        vec![
            x.name.clone(),
            x.status.clone(),
            x.class.clone().unwrap_or_default(),
            x.number.clone().unwrap_or_default(),
            x.loans.map(|l| l.to_string()).unwrap_or_else(|| "?".into()),
            detail,
        ]
    };
    let ent_row = |i: usize, number: String, loans: String, detail: String| {
        let x = e(i);
        vec![
            x.name.clone(),
            x.status.clone(),
            x.class.clone().unwrap_or_default(),
            number,
            loans,
            detail,
        ]
    };
    // Summary rows: the category, its count, and what it means in the detail column.
    let count = |short: String, n: usize, long: String| {
        vec![
            short,
            n.to_string(),
            String::new(),
            String::new(),
            String::new(),
            long,
        ]
    };
    let counts = vec![
        count(
            fl!("library-short-new"),
            p.new.len(),
            fl!("library-report-new"),
        ),
        count(
            fl!("library-short-updated"),
            p.updated.len(),
            format!("{} {}", p.ambiguous(), fl!("library-report-ambiguous")),
        ),
        count(
            fl!("library-short-deleted"),
            p.deleted.len(),
            fl!("library-report-deleted"),
        ),
        count(
            fl!("library-short-set-aside"),
            p.set_aside.len(),
            fl!("library-report-set-aside"),
        ),
        count(
            fl!("library-short-unchanged"),
            p.unchanged.len(),
            fl!("library-report-unchanged"),
        ),
        count(
            fl!("library-short-untouched"),
            p.untouched.len(),
            fl!("library-report-untouched"),
        ),
        count(
            fl!("library-short-homonyms"),
            p.homonyms.len(),
            fl!("library-report-extra-n", count = p.extra_records()),
        ),
        count(
            fl!("library-short-suggestions"),
            p.suggestions.len(),
            fl!("library-report-suggestions"),
        ),
    ];
    let mut sections = vec![SlipSection {
        heading: match p.mode {
            Mode::FirstUpdate => fl!("library-short-mode-first"),
            Mode::ByIdentifier => fl!("library-short-mode-id"),
        },
        rows: counts,
    }];
    sections.push(section(
        fl!("library-report-renames"),
        p.renames
            .iter()
            .map(|(i, name)| borrower_row(*i, fl!("library-report-rename-to", name = name.clone())))
            .collect(),
    ));
    sections.push(section(
        fl!("library-report-new"),
        p.new
            .iter()
            .map(|&i| ent_row(i, String::new(), String::new(), String::new()))
            .collect(),
    ));
    sections.push(section(
        fl!("library-report-updated"),
        p.updated
            .iter()
            .map(|m| {
                let changes: Vec<String> = m
                    .changes
                    .iter()
                    .filter(|c| c.field != "ent_id")
                    .map(|c| format!("{}: {} → {}", c.field, c.from, c.to))
                    .collect();
                let mut row = ent_row(
                    m.ent,
                    b(m.borrower).number.clone().unwrap_or_default(),
                    b(m.borrower)
                        .loans
                        .map(|l| l.to_string())
                        .unwrap_or_default(),
                    changes.join(" · "),
                );
                if m.ambiguous {
                    row[0] = format!("? {}", row[0]);
                }
                row
            })
            .collect(),
    ));
    sections.push(section(
        fl!("library-report-deleted"),
        p.deleted
            .iter()
            .map(|&i| borrower_row(i, String::new()))
            .collect(),
    ));
    sections.push(section(
        fl!("library-report-set-aside"),
        p.set_aside
            .iter()
            .map(|&i| borrower_row(i, fl!("library-report-temporary")))
            .collect(),
    ));
    let mut homonyms = Vec::new();
    for h in &p.homonyms {
        let case = match h.case {
            HomonymCase::SeveralInBcdi => fl!("library-case-bcdi"),
            HomonymCase::SeveralInFile => fl!("library-case-file"),
            HomonymCase::Both => fl!("library-case-both"),
        };
        let state = if h.resolved {
            fl!("library-report-resolved")
        } else {
            fl!("library-report-unresolved")
        };
        for &i in &h.borrowers {
            homonyms.push(borrower_row(i, format!("BCDI · {case} · {state}")));
        }
        for &i in &h.ents {
            homonyms.push(ent_row(
                i,
                String::new(),
                String::new(),
                format!("ENT · {case} · {state}"),
            ));
        }
    }
    sections.push(section(fl!("library-report-homonyms"), homonyms));
    sections.push(section(
        fl!("library-report-suggestions"),
        p.suggestions
            .iter()
            .map(|s| {
                let verdict = crate::ui_text::verdict_name(s.verdict);
                borrower_row(
                    s.borrower,
                    format!(
                        "≈ {} ({}) · {verdict}",
                        e(s.ent).name,
                        ui_text::reason_name(s.reason)
                    ),
                )
            })
            .collect(),
    ));
    if !preview.skipped.is_empty() {
        sections.push(section(
            fl!("library-report-skipped"),
            preview
                .skipped
                .iter()
                .map(|s| vec![ui_text::skipped_line(s)])
                .collect(),
        ));
    }
    Slip {
        title: fl!("library-report-title"),
        subtitle: fl!(
            "library-report-subtitle",
            establishment = establishment.to_string(),
            when = ui_text::datetime(now)
        ),
        columns: vec![
            fl!("library-col-name"),
            fl!("library-col-status"),
            fl!("library-col-class"),
            fl!("library-col-number-short"),
            fl!("library-col-loans-short"),
            fl!("library-col-detail"),
        ],
        sections,
        weights: vec![27.0, 12.0, 9.0, 8.0, 7.0, 37.0],
    }
}
