//! [`layout`]: one card's values placed on a template, as positioned items that the raster and PDF
//! renderers draw identically.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{
    Align, FaceTemplate, Field, Fit, ItemTemplate, LayoutImage, MmRect, Rgb, Segment, Template,
    TemplateError, TextTemplate, VAlign,
};
use crate::production::fonts::{self, FontFace};
use crate::production::qr::QrMatrix;

/// The values of one card, already formatted in the user's language by the caller.
#[derive(Debug, Clone, Default)]
pub struct CardData {
    pub surname: String,
    pub given_name: String,
    pub display_name: String,
    pub affiliation: String,
    pub establishment: String,
    pub student_number: Option<String>,
    pub staff_number: Option<String>,
    pub due_date: Option<String>,
    pub eppn: Option<String>,
    pub escn: Option<String>,
    pub card_id: i64,
    /// The QR code content ([`crate::production::qr::qr_content`]); `None` draws no QR code.
    pub qr: Option<String>,
    /// JPEG (or PNG) bytes; `None` draws a light placeholder frame.
    pub photo_jpeg: Option<Arc<Vec<u8>>>,
    /// Overrides of the template's free fields.
    pub free: BTreeMap<String, String>,
}

/// A run of text on one line, fully resolved: font, size after shrink-to-fit, colour, and position with the
/// alignment already applied.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub text: String,
    pub face: FontFace,
    pub size_pt: f32,
    pub color: Rgb,
    /// Left end of the run's first glyph origin, mm.
    pub x_mm: f32,
    pub baseline_mm: f32,
    /// Advance width of the run, mm (within its box).
    pub width_mm: f32,
}

/// A positioned, fully resolved item of a face.
#[derive(Debug, Clone)]
pub enum LayoutItem {
    Fill {
        rect: MmRect,
        color: Rgb,
    },
    /// An outline, `line_mm` thick, drawn inside `rect` (the missing-photo placeholder).
    Frame {
        rect: MmRect,
        color: Rgb,
        line_mm: f32,
    },
    /// `image` drawn over `place` (aspect handled) and clipped to `clip`.
    Image {
        image: Arc<LayoutImage>,
        place: MmRect,
        clip: MmRect,
    },
    Text(TextRun),
    /// A QR code: `rect` is the whole square, quiet zone included; a module is
    /// `rect.width / (matrix.width() + 2 * quiet_zone)`.
    Qr {
        rect: MmRect,
        matrix: Arc<QrMatrix>,
        quiet_zone: u32,
        color: Rgb,
        background: Option<Rgb>,
    },
}

/// Where the modules of a QR item go: the module side and the top-left corner of the first module, in mm
/// (both renderers use this, so the PDF and the bitmap place modules identically).
pub fn qr_grid(rect: &MmRect, matrix_width: usize, quiet_zone: u32) -> (f32, f32, f32) {
    let module = rect.width / (matrix_width as f32 + 2.0 * quiet_zone as f32);
    let margin = module * quiet_zone as f32;
    (module, rect.x + margin, rect.y + margin)
}

#[derive(Debug, Clone)]
pub struct FaceLayout {
    pub width_mm: f32,
    pub height_mm: f32,
    pub background: Rgb,
    pub items: Vec<LayoutItem>,
}

#[derive(Debug, Clone)]
pub struct CardLayout {
    pub front: FaceLayout,
    pub back: Option<FaceLayout>,
    /// The text printed by each text item, by item name (lines joined with "\n"; "" when empty).
    pub printed_texts: BTreeMap<String, String>,
}

/// Colours of the missing-photo placeholder: light enough to read as "no photo", visible on white.
const PLACEHOLDER_FILL: Rgb = Rgb {
    r: 0xee,
    g: 0xef,
    b: 0xf2,
};
const PLACEHOLDER_LINE: Rgb = Rgb {
    r: 0xb0,
    g: 0xb4,
    b: 0xbc,
};

/// Lays out one card. Pure: no I/O; photo and QR content come from `d`.
pub fn layout(t: &Template, d: &CardData) -> Result<CardLayout, TemplateError> {
    let qr = match d.qr.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(content) => Some(Arc::new(QrMatrix::encode(content)?)),
        None => None,
    };
    let photo = match &d.photo_jpeg {
        Some(bytes) if !bytes.is_empty() => Some(Arc::new(
            LayoutImage::new(bytes.clone()).map_err(TemplateError::Photo)?,
        )),
        _ => None,
    };
    let ctx = Ctx {
        t,
        d,
        qr: qr.as_ref(),
        photo: photo.as_ref(),
    };
    let mut printed = BTreeMap::new();
    let front = ctx.face(&t.front, &mut printed)?;
    let back = match &t.back {
        Some(b) => Some(ctx.face(b, &mut printed)?),
        None => None,
    };
    Ok(CardLayout {
        front,
        back,
        printed_texts: printed,
    })
}

struct Ctx<'a> {
    t: &'a Template,
    d: &'a CardData,
    qr: Option<&'a Arc<QrMatrix>>,
    photo: Option<&'a Arc<LayoutImage>>,
}

impl Ctx<'_> {
    fn face(
        &self,
        face: &FaceTemplate,
        printed: &mut BTreeMap<String, String>,
    ) -> Result<FaceLayout, TemplateError> {
        let card = MmRect::new(0.0, 0.0, self.t.width_mm, self.t.height_mm);
        let mut items = Vec::with_capacity(face.items.len() + 1);
        if let Some(bg) = &face.background_image {
            items.push(image_item(bg, card, Fit::Cover));
        }
        for item in &face.items {
            match item {
                ItemTemplate::Rect { rect, color } => items.push(LayoutItem::Fill {
                    rect: *rect,
                    color: *color,
                }),
                ItemTemplate::Image { rect, image, fit } => {
                    items.push(image_item(image, *rect, *fit))
                }
                ItemTemplate::Photo { rect, fit } => match self.photo {
                    Some(p) => items.push(image_item(p, *rect, *fit)),
                    None => {
                        items.push(LayoutItem::Fill {
                            rect: *rect,
                            color: PLACEHOLDER_FILL,
                        });
                        items.push(LayoutItem::Frame {
                            rect: *rect,
                            color: PLACEHOLDER_LINE,
                            line_mm: 0.3,
                        });
                    }
                },
                ItemTemplate::Text(text) => {
                    let (runs, printed_text) = self.text(text)?;
                    items.extend(runs.into_iter().map(LayoutItem::Text));
                    printed.insert(text.name.clone(), printed_text);
                }
                ItemTemplate::Qr {
                    rect,
                    color,
                    background,
                    quiet_zone,
                } => {
                    if let Some(m) = self.qr {
                        items.push(LayoutItem::Qr {
                            rect: *rect,
                            matrix: m.clone(),
                            quiet_zone: *quiet_zone,
                            color: *color,
                            background: *background,
                        });
                    }
                }
            }
        }
        Ok(FaceLayout {
            width_mm: self.t.width_mm,
            height_mm: self.t.height_mm,
            background: face.background,
            items,
        })
    }

    fn field(&self, f: &Field) -> String {
        let d = self.d;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        match f {
            Field::Surname => d.surname.clone(),
            Field::GivenName => d.given_name.clone(),
            Field::DisplayName => d.display_name.clone(),
            Field::Affiliation => d.affiliation.clone(),
            Field::Establishment => d.establishment.clone(),
            Field::StudentNumber => opt(&d.student_number),
            Field::StaffNumber => opt(&d.staff_number),
            Field::Number => d
                .student_number
                .iter()
                .chain(d.staff_number.iter())
                .find(|n| !n.trim().is_empty())
                .cloned()
                .unwrap_or_default(),
            Field::DueDate => opt(&d.due_date),
            Field::Eppn => opt(&d.eppn),
            Field::Escn => opt(&d.escn),
            Field::CardId => d.card_id.to_string(),
            Field::Free(name) => d
                .free
                .get(name)
                .or_else(|| self.t.free.get(name))
                .cloned()
                .unwrap_or_default(),
        }
    }

    fn text(&self, t: &TextTemplate) -> Result<(Vec<TextRun>, String), TemplateError> {
        let mut raw = String::new();
        for seg in &t.segments {
            match seg {
                Segment::Literal(s) => raw.push_str(s),
                Segment::Field(f) => raw.push_str(&self.field(f)),
            }
        }
        let mut text = fonts::clean_text(&raw);
        if t.uppercase {
            text = text.to_uppercase();
        }
        let font = fonts::font(t.face)?;
        let to_pt = 1.0 / fonts::MM_PER_PT;
        let fitted = font.fit(
            &text,
            t.rect.width * to_pt,
            t.rect.height * to_pt,
            t.size_pt,
            t.min_size_pt,
            t.max_lines,
        );
        let size = fitted.size_pt;
        let line_mm = font.line_height_em() * size * fonts::MM_PER_PT;
        let block = line_mm * fitted.lines.len() as f32;
        let top = match t.valign {
            VAlign::Top => t.rect.y,
            VAlign::Middle => t.rect.y + (t.rect.height - block) / 2.0,
            VAlign::Bottom => t.rect.bottom() - block,
        };
        let ascent_mm = font.ascender_em * size * fonts::MM_PER_PT;
        let runs = fitted
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, line)| {
                let width_mm = font.width_pt(line, size) * fonts::MM_PER_PT;
                let x_mm = match t.align {
                    Align::Left => t.rect.x,
                    Align::Center => t.rect.x + (t.rect.width - width_mm) / 2.0,
                    Align::Right => t.rect.right() - width_mm,
                };
                TextRun {
                    text: line.clone(),
                    face: t.face,
                    size_pt: size,
                    color: t.color,
                    x_mm,
                    baseline_mm: top + ascent_mm + line_mm * i as f32,
                    width_mm,
                }
            })
            .collect();
        Ok((runs, fitted.lines.join("\n")))
    }
}

/// Places an image in `rect` according to `fit`, clipped to `rect`.
fn image_item(image: &Arc<LayoutImage>, rect: MmRect, fit: Fit) -> LayoutItem {
    let (iw, ih) = (image.width_px() as f32, image.height_px() as f32);
    let place = match fit {
        Fit::Stretch => rect,
        Fit::Contain | Fit::Cover => {
            let sx = rect.width / iw;
            let sy = rect.height / ih;
            let s = if fit == Fit::Contain {
                sx.min(sy)
            } else {
                sx.max(sy)
            };
            let (w, h) = (iw * s, ih * s);
            MmRect::new(
                rect.x + (rect.width - w) / 2.0,
                rect.y + (rect.height - h) / 2.0,
                w,
                h,
            )
        }
    };
    LayoutItem::Image {
        image: image.clone(),
        place,
        clip: rect,
    }
}
