//! The two embedded DejaVu Sans faces, parsed once, and the text measurement shared by the layout
//! (shrink-to-fit, truncation), the raster renderer (glyph outlines) and the PDF writers (kerning offsets).
//!
//! Every renderer positions glyphs with the same advances and the same `kern` table pairs, so a name that fits
//! its box in the preview fits it on the printed card too. DejaVu is embedded (not looked up on the system)
//! because it covers every Latin accent and ligature a French name may carry (é, ç, œ, ß…) on every OS.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ttf_parser::{Face, GlyphId, OutlineBuilder};

/// DejaVu Sans (Bitstream Vera licence, see assets/fonts/LICENSE).
pub static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Millimetres per PostScript point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// The ellipsis that ends a truncated text.
pub const ELLIPSIS: char = '…';

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum FontFace {
    #[default]
    Regular,
    Bold,
}

impl FontFace {
    pub const ALL: [FontFace; 2] = [FontFace::Regular, FontFace::Bold];

    pub fn ttf_bytes(self) -> &'static [u8] {
        match self {
            FontFace::Regular => REGULAR_TTF,
            FontFace::Bold => BOLD_TTF,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FontError {
    /// The embedded font could not be parsed: a build defect, reported rather than panicking.
    #[error("embedded font {face:?} is unreadable: {message}")]
    Unreadable { face: FontFace, message: String },
}

/// One glyph of a measured text, positioned in em (1.0 = the font size) from the start of the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    pub ch: char,
    pub id: u16,
    /// Pen position of the glyph's origin, kerning included.
    pub x_em: f32,
    /// Kerning applied between the previous glyph and this one (negative = tighter).
    pub kern_em: f32,
}

/// A text measured in one face: its glyphs and total advance, in em.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shaped {
    pub glyphs: Vec<PlacedGlyph>,
    pub width_em: f32,
}

/// A parsed face with its vertical metrics in em.
pub struct Font {
    face: Face<'static>,
    units_per_em: f32,
    /// Typographic ascender (positive, above the baseline).
    pub ascender_em: f32,
    /// Typographic descender (negative, below the baseline).
    pub descender_em: f32,
    /// Height of capital letters.
    pub cap_height_em: f32,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font")
            .field("units_per_em", &self.units_per_em)
            .finish_non_exhaustive()
    }
}

fn parse(face: FontFace) -> Result<Font, FontError> {
    let parsed = Face::parse(face.ttf_bytes(), 0).map_err(|e| FontError::Unreadable {
        face,
        message: e.to_string(),
    })?;
    let upem = f32::from(parsed.units_per_em());
    if upem <= 0.0 {
        return Err(FontError::Unreadable {
            face,
            message: "units per em is zero".into(),
        });
    }
    let cap = parsed.capital_height().unwrap_or(parsed.ascender());
    Ok(Font {
        ascender_em: f32::from(parsed.ascender()) / upem,
        descender_em: f32::from(parsed.descender()) / upem,
        cap_height_em: f32::from(cap) / upem,
        units_per_em: upem,
        face: parsed,
    })
}

static REGULAR: LazyLock<Result<Font, FontError>> = LazyLock::new(|| parse(FontFace::Regular));
static BOLD: LazyLock<Result<Font, FontError>> = LazyLock::new(|| parse(FontFace::Bold));

/// The parsed face (parsed on first use, then shared by every thread).
pub fn font(face: FontFace) -> Result<&'static Font, FontError> {
    let cell = match face {
        FontFace::Regular => &REGULAR,
        FontFace::Bold => &BOLD,
    };
    cell.as_ref().map_err(Clone::clone)
}

impl Font {
    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// Line height used for one line of text (ascender to descender), in em.
    pub fn line_height_em(&self) -> f32 {
        self.ascender_em - self.descender_em
    }

    fn kerning(&self, left: GlyphId, right: GlyphId) -> i16 {
        let Some(kern) = self.face.tables().kern else {
            return 0;
        };
        kern.subtables
            .into_iter()
            .filter(|s| s.horizontal && !s.variable)
            .find_map(|s| s.glyphs_kerning(left, right))
            .unwrap_or(0)
    }

    /// Glyphs and advances of `text` (advance widths plus `kern` table pairs; no other shaping, which Latin
    /// scripts do not need). A character the font lacks uses the font's "missing glyph".
    pub fn shape(&self, text: &str) -> Shaped {
        let mut glyphs = Vec::with_capacity(text.len());
        let mut pen = 0.0f32;
        let mut prev: Option<GlyphId> = None;
        for ch in text.chars() {
            let id = self.face.glyph_index(ch).unwrap_or(GlyphId(0));
            let kern_em = prev
                .map(|p| f32::from(self.kerning(p, id)) / self.units_per_em)
                .unwrap_or(0.0);
            pen += kern_em;
            glyphs.push(PlacedGlyph {
                ch,
                id: id.0,
                x_em: pen,
                kern_em,
            });
            let advance = self.face.glyph_hor_advance(id).unwrap_or(0);
            pen += f32::from(advance) / self.units_per_em;
            prev = Some(id);
        }
        Shaped {
            glyphs,
            width_em: pen,
        }
    }

    /// Width of `text` at `size_pt`, in points.
    pub fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        self.shape(text).width_em * size_pt
    }

    /// Feeds the outline of `glyph` (font units, y up) to `builder`; `false` for a glyph without outline
    /// (a space).
    pub fn outline(&self, glyph: u16, builder: &mut dyn OutlineBuilder) -> bool {
        self.face.outline_glyph(GlyphId(glyph), builder).is_some()
    }

    /// `text` cut to fit `max_width_pt` at `size_pt`: unchanged when it fits, otherwise the longest prefix
    /// (trailing spaces removed) followed by "…"; empty when not even "…" fits.
    pub fn truncate(&self, text: &str, size_pt: f32, max_width_pt: f32) -> String {
        if self.width_pt(text, size_pt) <= max_width_pt {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut keep = chars.len();
        while keep > 0 {
            keep -= 1;
            let prefix: String = chars.iter().take(keep).collect();
            let candidate = format!("{}{ELLIPSIS}", prefix.trim_end());
            if self.width_pt(&candidate, size_pt) <= max_width_pt {
                return candidate;
            }
        }
        String::new()
    }
}

/// The result of fitting a text into a box: the font size used and the lines, each within the box width.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub size_pt: f32,
    pub lines: Vec<String>,
}

/// Step by which multi-line text shrinks while looking for a size at which it fits.
const SHRINK_STEP_PT: f32 = 0.25;

impl Font {
    /// Fits `text` (already cleaned with [`clean_text`]) into a box of `max_width_pt` × `max_height_pt`:
    /// starts at `size_pt`, shrinks no further than `min_size_pt`, wraps on spaces into at most `max_lines`
    /// lines, and when it still does not fit at the minimum size cuts the last line with "…". The text never
    /// overflows the box width; the caller checks at template load that `max_lines` lines at the minimum size
    /// fit the box height.
    pub fn fit(
        &self,
        text: &str,
        max_width_pt: f32,
        max_height_pt: f32,
        size_pt: f32,
        min_size_pt: f32,
        max_lines: usize,
    ) -> Fitted {
        let min = min_size_pt.min(size_pt).max(0.1);
        let line_h = self.line_height_em();
        if text.is_empty() {
            return Fitted {
                size_pt,
                lines: Vec::new(),
            };
        }
        if max_lines <= 1 {
            let width_em = self.shape(text).width_em;
            let by_width = if width_em > 0.0 {
                max_width_pt / width_em * (1.0 - 1e-4)
            } else {
                f32::INFINITY
            };
            let size = size_pt.min(by_width).min(max_height_pt / line_h).max(min);
            return Fitted {
                size_pt: size,
                lines: vec![self.truncate(text, size, max_width_pt)],
            };
        }
        let lines_at = |size: f32| -> usize {
            let n = (max_height_pt / (line_h * size) + 1e-4).floor();
            (n.max(1.0) as usize).min(max_lines)
        };
        let mut size = size_pt;
        loop {
            if let Some(lines) = self.wrap(text, size, max_width_pt, false)
                && lines.len() <= lines_at(size)
            {
                return Fitted {
                    size_pt: size,
                    lines,
                };
            }
            if size <= min {
                break;
            }
            size = (size - SHRINK_STEP_PT).max(min);
        }
        let n = lines_at(min);
        let all = self.wrap(text, min, max_width_pt, true).unwrap_or_default();
        let mut lines: Vec<String> = all.iter().take(n).cloned().collect();
        if all.len() > n
            && let Some(last) = lines.last_mut()
        {
            let rest = all.get(n - 1..).map(|r| r.join(" ")).unwrap_or_default();
            let cut = self.truncate(&format!("{rest}{ELLIPSIS}"), min, max_width_pt);
            // `rest` is longer than the line, so the cut always ends with "…".
            *last = cut;
        }
        Fitted {
            size_pt: min,
            lines,
        }
    }

    /// Greedy word wrap at `size_pt`. A word wider than the line gives `None`, unless `break_words`, in which
    /// case it is split between characters.
    fn wrap(
        &self,
        text: &str,
        size_pt: f32,
        max_width_pt: f32,
        break_words: bool,
    ) -> Option<Vec<String>> {
        let fits = |s: &str| self.width_pt(s, size_pt) <= max_width_pt;
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if fits(word) {
                line = word.to_string();
            } else if break_words {
                for ch in word.chars() {
                    let mut next = line.clone();
                    next.push(ch);
                    if fits(&next) || line.is_empty() {
                        line = next;
                    } else {
                        lines.push(std::mem::replace(&mut line, ch.to_string()));
                    }
                }
            } else {
                return None;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        Some(lines)
    }
}

/// Text with control characters (new lines, tabs) turned into spaces and runs of spaces collapsed, so what
/// is measured is what is drawn.
pub fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || ch.is_control() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_parse_and_measure() {
        for face in FontFace::ALL {
            let f = font(face).unwrap();
            assert!(f.ascender_em > 0.5 && f.descender_em < 0.0, "{face:?}");
            let w = f.width_pt("Hélène Dupré-Œuvray", 10.0);
            assert!(w > 50.0 && w < 150.0, "{face:?}: {w}");
            // Every accented letter of the test name has a real glyph.
            assert!(f.shape("éèçŒœàßÉ").glyphs.iter().all(|g| g.id != 0));
        }
        let regular = font(FontFace::Regular).unwrap().width_pt("MMMM", 10.0);
        let bold = font(FontFace::Bold).unwrap().width_pt("MMMM", 10.0);
        assert!(bold > regular);
    }

    #[test]
    fn kerning_tightens_known_pairs() {
        let f = font(FontFace::Regular).unwrap();
        let shaped = f.shape("AV");
        let kern = shaped.glyphs.get(1).map(|g| g.kern_em).unwrap_or(0.0);
        assert!(kern < 0.0, "DejaVu kerns A-V: {kern}");
        let separate = f.width_pt("A", 10.0) + f.width_pt("V", 10.0);
        assert!(f.width_pt("AV", 10.0) < separate);
    }

    #[test]
    fn truncate_fits_and_ends_with_ellipsis() {
        let f = font(FontFace::Bold).unwrap();
        let long = "Marie-Bernadette de La Tour d'Auvergne-Lauraguais";
        let cut = f.truncate(long, 9.0, 60.0);
        assert!(cut.ends_with(ELLIPSIS), "{cut}");
        assert!(f.width_pt(&cut, 9.0) <= 60.0);
        assert!(cut.chars().count() > 5);
        assert_eq!(f.truncate("Léa", 9.0, 60.0), "Léa");
        assert_eq!(f.truncate(long, 9.0, 1.0), "");
    }

    #[test]
    fn fit_shrinks_then_cuts() {
        let f = font(FontFace::Bold).unwrap();
        // Fits as is.
        let r = f.fit("Léa Roy", 100.0, 20.0, 10.0, 6.0, 1);
        assert_eq!(
            (r.size_pt, r.lines.clone()),
            (10.0, vec!["Léa Roy".to_string()])
        );
        // Shrinks, not below the minimum, ends within the width.
        let name = "Hélène Dupré-Œuvray de Saint-Exupéry";
        let r = f.fit(name, 170.0, 20.0, 10.0, 6.0, 1);
        assert!(r.size_pt < 10.0 && r.size_pt >= 6.0, "{}", r.size_pt);
        assert_eq!(r.lines, vec![name.to_string()]);
        assert!(f.width_pt(name, r.size_pt) <= 170.0);
        // Cut with "…" at the minimum size.
        let r = f.fit(name, 60.0, 20.0, 10.0, 6.0, 1);
        assert_eq!(r.size_pt, 6.0);
        assert!(r.lines[0].ends_with(ELLIPSIS));
        assert!(f.width_pt(&r.lines[0], 6.0) <= 60.0);
    }

    #[test]
    fn fit_wraps_into_lines() {
        let f = font(FontFace::Regular).unwrap();
        let text = "Si vous trouvez cette carte, merci de la rapporter au service des cartes";
        let r = f.fit(text, 150.0, 40.0, 8.0, 5.0, 3);
        assert!(r.lines.len() > 1 && r.lines.len() <= 3, "{:?}", r.lines);
        assert!(r.lines.iter().all(|l| f.width_pt(l, r.size_pt) <= 150.0));
        assert_eq!(r.lines.join(" "), text);
        // Too long even at the minimum: the last line ends with "…".
        let r = f.fit(&text.repeat(5), 150.0, 20.0, 8.0, 5.0, 2);
        assert_eq!(r.size_pt, 5.0);
        assert!(r.lines.len() <= 2);
        assert!(r.lines.last().unwrap().ends_with(ELLIPSIS));
        assert!(r.lines.iter().all(|l| f.width_pt(l, 5.0) <= 150.0));
    }

    #[test]
    fn clean_text_collapses_control_characters() {
        assert_eq!(clean_text("  Jean\n\tPierre  \u{7} X "), "Jean Pierre X");
        assert_eq!(clean_text(""), "");
    }
}
