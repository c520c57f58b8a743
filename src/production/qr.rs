//! The QR code printed on a card: what it contains and its module matrix.
//!
//! Content rules follow ESUP-SGC (crous-escr.md §4.2): by default the QR code holds the person's eppn; when
//! the European Student Card is enabled it holds a URL prefix followed by the card's ESCN (production prefix
//! `http://esc.gg/`). The QR code is also the join key between the printed card and its chip at encoding
//! (§1.12), so it must be unique per card. Rendering uses error-correction level M and no quiet zone in the
//! matrix itself (§4.3); the layout adds the quiet zone around it.

use qrcode::{Color, EcLevel, QrCode};
use serde::{Deserialize, Serialize};

/// Which value a card's QR code carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum QrContent {
    /// The person's eppn (ESUP-SGC's default, `QRCODE_ESC_ENABLED=false`).
    Eppn,
    /// `prefix` + the card's ESCN, e.g. `http://esc.gg/<ESCN>` (`QRCODE_ESC_ENABLED=true`).
    Escn { prefix: String },
}

/// The text to encode for one card, or `None` when the value the rule needs is missing (no QR is drawn then).
pub fn qr_content(rule: &QrContent, eppn: Option<&str>, escn: Option<&str>) -> Option<String> {
    fn present(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    match rule {
        QrContent::Eppn => present(eppn).map(str::to_string),
        QrContent::Escn { prefix } => present(escn).map(|e| format!("{prefix}{e}")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("nothing to encode in the QR code")]
    Empty,
    /// The content does not fit in the largest QR code at level M (about 2,300 bytes).
    #[error("QR code content too long ({len} bytes)")]
    TooLong { len: usize },
    #[error("QR code encoding failed: {0}")]
    Encode(String),
}

/// A QR code as a square of modules, without quiet zone, row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `content` (UTF-8 bytes) at error-correction level M, the smallest version that fits.
    pub fn encode(content: &str) -> Result<QrMatrix, QrError> {
        if content.is_empty() {
            return Err(QrError::Empty);
        }
        let code = QrCode::with_error_correction_level(content.as_bytes(), EcLevel::M).map_err(
            |e| match e {
                qrcode::types::QrError::DataTooLong => QrError::TooLong { len: content.len() },
                other => QrError::Encode(other.to_string()),
            },
        )?;
        let width = code.width();
        let dark: Vec<bool> = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        if dark.len() != width * width {
            return Err(QrError::Encode(format!(
                "matrix of {} modules for width {width}",
                dark.len()
            )));
        }
        Ok(QrMatrix { width, dark })
    }

    /// Modules per side (21 for version 1, +4 per version).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` is dark; outside the matrix is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        if x >= self.width || y >= self.width {
            return false;
        }
        self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    /// The dark runs of row `y` as half-open column ranges: renderers draw one rectangle per run instead of one
    /// per module, which keeps PDF pages small and raster edges exact.
    pub fn dark_runs(&self, y: usize) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut start = None;
        for x in 0..=self.width {
            match (self.is_dark(x, y), start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    runs.push((s, x));
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_rules() {
        let escn = "d88b02c1-894e-1038-a711-001999465982";
        let rule = QrContent::Escn {
            prefix: "http://esc.gg/".into(),
        };
        assert_eq!(
            qr_content(&rule, Some("a@u.fr"), Some(escn)).as_deref(),
            Some("http://esc.gg/d88b02c1-894e-1038-a711-001999465982")
        );
        assert_eq!(qr_content(&rule, Some("a@u.fr"), None), None);
        assert_eq!(qr_content(&rule, Some("a@u.fr"), Some("  ")), None);
        assert_eq!(
            qr_content(&QrContent::Eppn, Some("jdupont@univ.example"), Some(escn)).as_deref(),
            Some("jdupont@univ.example")
        );
        assert_eq!(qr_content(&QrContent::Eppn, None, Some(escn)), None);
    }

    #[test]
    fn matrix_width_for_known_inputs() {
        // "http://esc.gg/" + an ESCN is 50 bytes: version 4 at level M (max 62 bytes) → 33 modules.
        let m = QrMatrix::encode("http://esc.gg/d88b02c1-894e-1038-a711-001999465982").unwrap();
        assert_eq!(m.width(), 33);
        // A short eppn fits version 2 at level M (max 26 bytes) → 25 modules.
        let m = QrMatrix::encode("jdupont@univ.example").unwrap();
        assert_eq!(m.width(), 25);
        // Finder pattern corners are dark, the separator next to them light.
        assert!(m.is_dark(0, 0) && m.is_dark(24, 0) && m.is_dark(0, 24));
        assert!(!m.is_dark(7, 0) && !m.is_dark(0, 7));
        assert!(!m.is_dark(25, 0) && !m.is_dark(0, 1000));
        let dark_in_runs: usize = m.dark_runs(0).iter().map(|(a, b)| b - a).sum();
        assert_eq!(dark_in_runs, (0..25).filter(|&x| m.is_dark(x, 0)).count());
    }

    #[test]
    fn bad_content_is_an_error() {
        assert_eq!(QrMatrix::encode(""), Err(QrError::Empty));
        let long = "x".repeat(5000);
        assert_eq!(QrMatrix::encode(&long), Err(QrError::TooLong { len: 5000 }));
    }
}
