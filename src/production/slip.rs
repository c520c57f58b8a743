//! The delivery slip: an A4 PDF table listing the cards of a batch, grouped in sections, for the person who
//! hands them over to sign or tick. Column headers repeat on every page, a section heading never ends a page
//! alone, and each page is numbered "page n / N". It shares the embedded fonts and the PDF writer of the cards.

use printpdf::Pt;

use super::fonts::{self, FontFace};
use super::pdf::{PdfError, Writer};
use super::template::Rgb;
use crate::fl;

/// A slip: a title, a line under it (e.g. the date and the operator), column headers and sections of rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slip {
    pub title: String,
    pub subtitle: String,
    pub columns: Vec<String>,
    pub sections: Vec<SlipSection>,
    /// Relative column widths; empty: each column as wide as its longest cell (scaled to the page).
    pub weights: Vec<f32>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlipSection {
    pub heading: String,
    pub rows: Vec<Vec<String>>,
}

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 15.0;
const FOOTER_Y: f32 = PAGE_H - 9.0;
const CONTENT_BOTTOM: f32 = PAGE_H - 16.0;
const ROW_H: f32 = 6.5;
const HEAD_H: f32 = 7.0;
const SECTION_H: f32 = 8.5;
const PAD: f32 = 1.5;
const CELL_PT: f32 = 9.0;
const SECTION_PT: f32 = 10.5;

const HEADER_FILL: Rgb = Rgb {
    r: 0xd9,
    g: 0xde,
    b: 0xe7,
};
const SECTION_FILL: Rgb = Rgb {
    r: 0xe6,
    g: 0xed,
    b: 0xf7,
};
const ZEBRA_FILL: Rgb = Rgb {
    r: 0xf4,
    g: 0xf5,
    b: 0xf8,
};
const GREY_TEXT: Rgb = Rgb {
    r: 0x55,
    g: 0x5b,
    b: 0x66,
};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Line {
    Heading(usize),
    Row(usize, usize),
}

/// Where the table starts on a page: below the title block on the first page, below a running title after.
fn table_top(page: usize) -> f32 {
    if page == 0 {
        MARGIN + 17.0
    } else {
        MARGIN + 8.0
    }
}

/// Splits the lines of the slip into pages.
fn paginate(slip: &Slip) -> Vec<Vec<Line>> {
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut y = table_top(0) + HEAD_H;
    for (s, section) in slip.sections.iter().enumerate() {
        let first_row = if section.rows.is_empty() { 0.0 } else { ROW_H };
        let lines = std::iter::once((Line::Heading(s), SECTION_H + first_row))
            .chain((0..section.rows.len()).map(|r| (Line::Row(s, r), ROW_H)));
        for (line, needed) in lines {
            let page_has_lines = pages.last().is_some_and(|p| !p.is_empty());
            if y + needed > CONTENT_BOTTOM && page_has_lines {
                pages.push(Vec::new());
                y = table_top(pages.len() - 1) + HEAD_H;
            }
            y += if matches!(line, Line::Heading(_)) {
                SECTION_H
            } else {
                ROW_H
            };
            if let Some(p) = pages.last_mut() {
                p.push(line);
            }
        }
    }
    pages
}

/// Column widths in mm: proportional to the widest content of each column (header included), filling the
/// page width.
fn column_widths(slip: &Slip) -> Result<Vec<f32>, PdfError> {
    let n = slip
        .sections
        .iter()
        .flat_map(|s| s.rows.iter().map(Vec::len))
        .chain(std::iter::once(slip.columns.len()))
        .max()
        .unwrap_or(0);
    let regular = fonts::font(FontFace::Regular)?;
    let bold = fonts::font(FontFace::Bold)?;
    let avail = PAGE_W - 2.0 * MARGIN;
    if slip.weights.len() == n && slip.weights.iter().all(|w| *w > 0.0) {
        let total: f32 = slip.weights.iter().sum();
        return Ok(slip.weights.iter().map(|w| w * avail / total).collect());
    }
    let mut natural = vec![8.0f32; n];
    for (i, w) in natural.iter_mut().enumerate() {
        let header = slip
            .columns
            .get(i)
            .map_or(0.0, |h| bold.width_pt(h, CELL_PT));
        let cells = slip
            .sections
            .iter()
            .flat_map(|s| s.rows.iter().filter_map(|r| r.get(i)))
            .map(|c| regular.width_pt(c, CELL_PT))
            .fold(0.0f32, f32::max);
        let mm = header.max(cells) * fonts::MM_PER_PT + 2.0 * PAD;
        *w = mm.clamp(8.0, avail * 0.6);
    }
    let total: f32 = natural.iter().sum();
    Ok(natural.iter().map(|w| w * avail / total.max(1.0)).collect())
}

/// The slip as an A4 PDF.
pub fn slip_pdf(slip: &Slip) -> Result<Vec<u8>, PdfError> {
    let widths = column_widths(slip)?;
    let pages = paginate(slip);
    let total = pages.len();
    let mut w = Writer::new(&slip.title);
    let regular = fonts::font(FontFace::Regular)?;
    let bold = fonts::font(FontFace::Bold)?;
    let avail = PAGE_W - 2.0 * MARGIN;
    let pt = |mm: f32| -> Pt { printpdf::Mm(mm).into() };
    let up = |y_mm: f32| pt(PAGE_H - y_mm);
    for (index, lines) in pages.iter().enumerate() {
        let mut ops = Vec::new();
        if index == 0 {
            let title = bold.truncate(&slip.title, 16.0, avail / fonts::MM_PER_PT);
            w.text(
                &mut ops,
                &title,
                FontFace::Bold,
                16.0,
                Rgb::BLACK,
                (pt(MARGIN), up(MARGIN + 5.5)),
            )?;
            let sub = regular.truncate(&slip.subtitle, 10.0, avail / fonts::MM_PER_PT);
            w.text(
                &mut ops,
                &sub,
                FontFace::Regular,
                10.0,
                GREY_TEXT,
                (pt(MARGIN), up(MARGIN + 11.5)),
            )?;
        } else {
            let title = bold.truncate(&slip.title, 9.0, avail / fonts::MM_PER_PT);
            w.text(
                &mut ops,
                &title,
                FontFace::Bold,
                9.0,
                GREY_TEXT,
                (pt(MARGIN), up(MARGIN + 3.0)),
            )?;
        }
        let mut y = table_top(index);
        if !widths.is_empty() {
            Writer::rect(
                &mut ops,
                pt(MARGIN),
                up(y + HEAD_H),
                pt(avail),
                pt(HEAD_H),
                HEADER_FILL,
                None,
            );
            let mut x = MARGIN;
            for (i, cw) in widths.iter().enumerate() {
                let h = slip.columns.get(i).map(String::as_str).unwrap_or("");
                let text = bold.truncate(h, CELL_PT, (cw - 2.0 * PAD) / fonts::MM_PER_PT);
                w.text(
                    &mut ops,
                    &text,
                    FontFace::Bold,
                    CELL_PT,
                    Rgb::BLACK,
                    (pt(x + PAD), up(y + 4.8)),
                )?;
                x += cw;
            }
            y += HEAD_H;
        }
        for line in lines {
            match *line {
                Line::Heading(s) => {
                    let heading = slip
                        .sections
                        .get(s)
                        .map(|s| s.heading.as_str())
                        .unwrap_or("");
                    Writer::rect(
                        &mut ops,
                        pt(MARGIN),
                        up(y + SECTION_H),
                        pt(avail),
                        pt(SECTION_H),
                        SECTION_FILL,
                        None,
                    );
                    let text =
                        bold.truncate(heading, SECTION_PT, (avail - 2.0 * PAD) / fonts::MM_PER_PT);
                    w.text(
                        &mut ops,
                        &text,
                        FontFace::Bold,
                        SECTION_PT,
                        Rgb::BLACK,
                        (pt(MARGIN + PAD), up(y + 5.8)),
                    )?;
                    y += SECTION_H;
                }
                Line::Row(s, r) => {
                    if r % 2 == 1 {
                        Writer::rect(
                            &mut ops,
                            pt(MARGIN),
                            up(y + ROW_H),
                            pt(avail),
                            pt(ROW_H),
                            ZEBRA_FILL,
                            None,
                        );
                    }
                    let row = slip.sections.get(s).and_then(|s| s.rows.get(r));
                    let mut x = MARGIN;
                    for (i, cw) in widths.iter().enumerate() {
                        let cell = row.and_then(|r| r.get(i)).map(String::as_str).unwrap_or("");
                        let text = regular.truncate(
                            &fonts::clean_text(cell),
                            CELL_PT,
                            (cw - 2.0 * PAD) / fonts::MM_PER_PT,
                        );
                        w.text(
                            &mut ops,
                            &text,
                            FontFace::Regular,
                            CELL_PT,
                            Rgb::BLACK,
                            (pt(x + PAD), up(y + 4.5)),
                        )?;
                        x += cw;
                    }
                    y += ROW_H;
                }
            }
        }
        let footer = fl!(
            "slip-page",
            page = (index + 1).to_string(),
            pages = total.to_string()
        );
        let fw = regular.width_pt(&footer, 8.0) * fonts::MM_PER_PT;
        w.text(
            &mut ops,
            &footer,
            FontFace::Regular,
            8.0,
            GREY_TEXT,
            (pt((PAGE_W - fw) / 2.0), up(FOOTER_Y)),
        )?;
        w.page(PAGE_W, PAGE_H, ops);
    }
    Ok(w.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(rows: usize) -> Slip {
        Slip {
            title: "Bordereau de remise — Lot 12".into(),
            subtitle: "22/11/2026, guichet Campus Nord".into(),
            columns: vec![
                "Nom".into(),
                "Prénom".into(),
                "Numéro".into(),
                "Signature".into(),
            ],
            sections: vec![
                SlipSection {
                    heading: "L1 Droit".into(),
                    rows: (0..rows)
                        .map(|i| {
                            vec![
                                format!("Dupré {i}"),
                                "Hélène".into(),
                                format!("2200{i:04}"),
                                String::new(),
                            ]
                        })
                        .collect(),
                },
                SlipSection {
                    heading: "Personnels".into(),
                    rows: vec![vec![
                        "Œuvray".into(),
                        "Zoé".into(),
                        "P123".into(),
                        String::new(),
                    ]],
                },
            ],
            weights: Vec::new(),
        }
    }

    #[test]
    fn short_slip_is_one_page_long_slip_several() {
        assert_eq!(paginate(&slip(3)).len(), 1);
        let pages = paginate(&slip(80));
        assert!(pages.len() >= 2);
        // Every row appears exactly once, in order.
        let rows: Vec<_> = pages
            .iter()
            .flatten()
            .filter(|l| matches!(l, Line::Row(..)))
            .collect();
        assert_eq!(rows.len(), 81);
        // No page ends with a section heading.
        for p in &pages {
            assert!(!matches!(p.last(), Some(Line::Heading(_))), "{p:?}");
        }
    }

    #[test]
    fn widths_fill_the_page() {
        let w = column_widths(&slip(5)).unwrap();
        assert_eq!(w.len(), 4);
        assert!((w.iter().sum::<f32>() - (PAGE_W - 2.0 * MARGIN)).abs() < 0.01);
        let pdf = slip_pdf(&slip(5)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // An empty slip still makes a (one-page) document.
        assert!(slip_pdf(&Slip::default()).unwrap().starts_with(b"%PDF-"));
    }
}
