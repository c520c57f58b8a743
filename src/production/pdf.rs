//! The card layout written as PDF with printpdf 0.12 (crates.md §6): one CR80 page per face, the embedded
//! DejaVu faces (subset, with a ToUnicode map so `pdftotext` and search find accented names), the QR code as
//! vector rectangles, photos and logos as images.
//!
//! Made for batches: one document holds one font resource per face and one image per distinct template image
//! (shared by every card), and a JPEG photo is embedded as is (DCTDecode) instead of being decoded and
//! re-compressed, which is what keeps a 1,000-card PDF fast and small.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};

use printpdf::{
    Color, DictItem, ExternalStream, ExternalXObject, FontId, ImageCompression,
    ImageOptimizationOptions, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Px, RawImage, RawImageData, RawImageFormat, Rect, TextItem,
    WindingOrder, XObjectId, XObjectTransform,
};

use super::fonts::{self, FontError, FontFace};
use super::template::{
    CardLayout, FaceLayout, ImageKind, LayoutImage, LayoutItem, MmRect, Rgb, qr_grid,
};

mod jpeg;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Font(#[from] FontError),
    /// printpdf could not read an embedded font (a build defect).
    #[error("the PDF library cannot read the embedded font {0:?}")]
    PdfFont(FontFace),
    #[error("an image cannot be embedded: {0}")]
    Image(String),
    #[error("nothing to print")]
    Empty,
}

static PDF_FONTS: LazyLock<[Option<ParsedFont>; 2]> = LazyLock::new(|| {
    FontFace::ALL.map(|face| ParsedFont::from_bytes(face.ttf_bytes(), 0, &mut Vec::new()))
});

fn pt(mm: f32) -> Pt {
    Mm(mm).into()
}

fn color(c: Rgb) -> Color {
    let f = |v: u8| f32::from(v) / 255.0;
    Color::Rgb(printpdf::Rgb::new(f(c.r), f(c.g), f(c.b), None))
}

/// A PDF being built: the document with its shared resources, pages kept aside until saved.
pub(crate) struct Writer {
    doc: PdfDocument,
    fonts: BTreeMap<FontFace, FontId>,
    /// Images already added, by the address of their shared [`LayoutImage`] (the `Arc` is kept so the
    /// address cannot be reused by another image while the document is built).
    images: HashMap<usize, (Arc<LayoutImage>, XObjectId)>,
    pages: Vec<PdfPage>,
}

impl Writer {
    pub(crate) fn new(title: &str) -> Writer {
        Writer {
            doc: PdfDocument::new(title),
            fonts: BTreeMap::new(),
            images: HashMap::new(),
            pages: Vec::new(),
        }
    }

    fn font_id(&mut self, face: FontFace) -> Result<FontId, PdfError> {
        if let Some(id) = self.fonts.get(&face) {
            return Ok(id.clone());
        }
        let index = FontFace::ALL.iter().position(|f| *f == face).unwrap_or(0);
        let parsed = PDF_FONTS
            .get(index)
            .and_then(Option::as_ref)
            .ok_or(PdfError::PdfFont(face))?;
        let id = self.doc.add_font(parsed);
        self.fonts.insert(face, id.clone());
        Ok(id)
    }

    /// One line of text with its left end at `(x, baseline)` in points from the page's bottom-left corner;
    /// kerning pairs become TJ offsets so the PDF matches the layout's measurement.
    pub(crate) fn text(
        &mut self,
        ops: &mut Vec<Op>,
        text: &str,
        face: FontFace,
        size_pt: f32,
        rgb: Rgb,
        (x, baseline): (Pt, Pt),
    ) -> Result<(), PdfError> {
        if text.is_empty() {
            return Ok(());
        }
        let font = fonts::font(face)?;
        let id = self.font_id(face)?;
        let mut items = Vec::new();
        let mut current = String::new();
        for g in font.shape(text).glyphs {
            if g.kern_em != 0.0 {
                if !current.is_empty() {
                    items.push(TextItem::Text(std::mem::take(&mut current)));
                }
                // TJ numbers are thousandths of an em, positive moving left.
                items.push(TextItem::Offset(-g.kern_em * 1000.0));
            }
            current.push(g.ch);
        }
        if !current.is_empty() {
            items.push(TextItem::Text(current));
        }
        ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: color(rgb) },
            Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(size_pt),
            },
            Op::SetTextCursor {
                pos: Point { x, y: baseline },
            },
            Op::ShowText { items },
            Op::EndTextSection,
        ]);
        Ok(())
    }

    /// A filled (or, with `Some(thickness)`, stroked) rectangle, in points from the bottom-left corner.
    pub(crate) fn rect(
        ops: &mut Vec<Op>,
        x: Pt,
        y: Pt,
        w: Pt,
        h: Pt,
        rgb: Rgb,
        stroke: Option<Pt>,
    ) {
        let mode = match stroke {
            Some(t) => {
                ops.push(Op::SetOutlineColor { col: color(rgb) });
                ops.push(Op::SetOutlineThickness { pt: t });
                PaintMode::Stroke
            }
            None => {
                ops.push(Op::SetFillColor { col: color(rgb) });
                PaintMode::Fill
            }
        };
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x,
                y,
                width: w,
                height: h,
                mode: Some(mode),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    fn image_id(&mut self, image: &Arc<LayoutImage>) -> Result<XObjectId, PdfError> {
        let key = Arc::as_ptr(image) as usize;
        if let Some((_, id)) = self.images.get(&key) {
            return Ok(id.clone());
        }
        let passthrough = match image.kind() {
            ImageKind::Jpeg => jpeg::info(image.bytes()).filter(jpeg::JpegInfo::embeddable),
            ImageKind::Png => None,
        };
        let id = match passthrough {
            Some(info) => {
                let space = if info.components == 1 {
                    "DeviceGray"
                } else {
                    "DeviceRGB"
                };
                let dict = BTreeMap::from([
                    ("Type".to_string(), DictItem::Name(b"XObject".to_vec())),
                    ("Subtype".to_string(), DictItem::Name(b"Image".to_vec())),
                    ("Width".to_string(), DictItem::Int(i64::from(info.width))),
                    ("Height".to_string(), DictItem::Int(i64::from(info.height))),
                    (
                        "ColorSpace".to_string(),
                        DictItem::Name(space.as_bytes().to_vec()),
                    ),
                    ("BitsPerComponent".to_string(), DictItem::Int(8)),
                    ("Filter".to_string(), DictItem::Name(b"DCTDecode".to_vec())),
                ]);
                self.doc.add_xobject(&ExternalXObject {
                    stream: ExternalStream {
                        dict,
                        content: image.bytes().to_vec(),
                        compress: false,
                    },
                    width: Some(Px(usize::from(info.width))),
                    height: Some(Px(usize::from(info.height))),
                    dpi: None,
                })
            }
            None => {
                let rgba = image.rgba().map_err(PdfError::Image)?;
                let opaque = rgba.pixels().all(|p| p.0[3] == 255);
                let (pixels, data_format) = if opaque {
                    let rgb: Vec<u8> = rgba
                        .pixels()
                        .flat_map(|p| [p.0[0], p.0[1], p.0[2]])
                        .collect();
                    (rgb, RawImageFormat::RGB8)
                } else {
                    (rgba.as_raw().clone(), RawImageFormat::RGBA8)
                };
                self.doc.add_image(&RawImage {
                    pixels: RawImageData::U8(pixels),
                    width: rgba.width() as usize,
                    height: rgba.height() as usize,
                    data_format,
                    tag: Vec::new(),
                })
            }
        };
        self.images.insert(key, (image.clone(), id.clone()));
        Ok(id)
    }

    fn face_page(&mut self, face: &FaceLayout) -> Result<(), PdfError> {
        let h = face.height_mm;
        // Layout y runs down from the top; PDF y runs up from the bottom.
        let bottom = |r: &MmRect| pt(h - r.bottom());
        let mut ops = Vec::with_capacity(face.items.len() * 6 + 4);
        Self::rect(
            &mut ops,
            Pt(0.0),
            Pt(0.0),
            pt(face.width_mm),
            pt(h),
            face.background,
            None,
        );
        for item in &face.items {
            match item {
                LayoutItem::Fill { rect, color } => Self::rect(
                    &mut ops,
                    pt(rect.x),
                    bottom(rect),
                    pt(rect.width),
                    pt(rect.height),
                    *color,
                    None,
                ),
                LayoutItem::Frame {
                    rect,
                    color,
                    line_mm,
                } => {
                    let half = line_mm / 2.0;
                    Self::rect(
                        &mut ops,
                        pt(rect.x + half),
                        pt(h - rect.bottom() + half),
                        pt(rect.width - line_mm),
                        pt(rect.height - line_mm),
                        *color,
                        Some(pt(*line_mm)),
                    );
                }
                LayoutItem::Image { image, place, clip } => {
                    let id = self.image_id(image)?;
                    ops.push(Op::SaveGraphicsState);
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: pt(clip.x),
                            y: bottom(clip),
                            width: pt(clip.width),
                            height: pt(clip.height),
                            mode: Some(PaintMode::Clip),
                            winding_order: Some(WindingOrder::NonZero),
                        },
                    });
                    ops.push(Op::UseXobject {
                        id,
                        transform: XObjectTransform {
                            translate_x: Some(pt(place.x)),
                            translate_y: Some(bottom(place)),
                            scale_x: Some(pt(place.width).0),
                            scale_y: Some(pt(place.height).0),
                            no_auto_scale: true,
                            ..XObjectTransform::default()
                        },
                    });
                    ops.push(Op::RestoreGraphicsState);
                }
                LayoutItem::Text(run) => self.text(
                    &mut ops,
                    &run.text,
                    run.face,
                    run.size_pt,
                    run.color,
                    (pt(run.x_mm), pt(h - run.baseline_mm)),
                )?,
                LayoutItem::Qr {
                    rect,
                    matrix,
                    quiet_zone,
                    color,
                    background,
                } => {
                    if let Some(bg) = background {
                        Self::rect(
                            &mut ops,
                            pt(rect.x),
                            bottom(rect),
                            pt(rect.width),
                            pt(rect.height),
                            *bg,
                            None,
                        );
                    }
                    let (module, ox, oy) = qr_grid(rect, matrix.width(), *quiet_zone);
                    ops.push(Op::SetFillColor {
                        col: self::color(*color),
                    });
                    for row in 0..matrix.width() {
                        for (start, end) in matrix.dark_runs(row) {
                            ops.push(Op::DrawRectangle {
                                rectangle: Rect {
                                    x: pt(ox + module * start as f32),
                                    y: pt(h - (oy + module * (row + 1) as f32)),
                                    width: pt(module * (end - start) as f32),
                                    height: pt(module),
                                    mode: Some(PaintMode::Fill),
                                    winding_order: Some(WindingOrder::NonZero),
                                },
                            });
                        }
                    }
                }
            }
        }
        self.page(face.width_mm, h, ops);
        Ok(())
    }

    pub(crate) fn page(&mut self, width_mm: f32, height_mm: f32, ops: Vec<Op>) {
        self.pages
            .push(PdfPage::new(Mm(width_mm), Mm(height_mm), ops));
    }

    /// The finished file. Images that are not passed through are Flate-compressed (lossless: logos stay
    /// sharp); fonts are subset.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let options = PdfSaveOptions {
            optimize: true,
            subset_fonts: true,
            secure: true,
            image_optimization: Some(ImageOptimizationOptions {
                quality: None,
                max_image_size: None,
                dither_greyscale: None,
                convert_to_greyscale: Some(false),
                auto_optimize: Some(false),
                format: Some(ImageCompression::Flate),
            }),
        };
        let pages = std::mem::take(&mut self.pages);
        let mut warnings = Vec::new();
        let bytes = self.doc.with_pages(pages).save(&options, &mut warnings);
        if !warnings.is_empty() {
            tracing::debug!(count = warnings.len(), "PDF writer warnings");
        }
        bytes
    }
}

/// The cards as one PDF: for each card its front page, then its back page if the template has one.
pub fn cards_pdf(title: &str, cards: &[CardLayout]) -> Result<Vec<u8>, PdfError> {
    if cards.is_empty() {
        return Err(PdfError::Empty);
    }
    let mut w = Writer::new(title);
    for card in cards {
        w.face_page(&card.front)?;
        if let Some(back) = &card.back {
            w.face_page(back)?;
        }
    }
    Ok(w.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::production::template::{CardData, Template, layout};

    fn card(name: &str, photo: Option<Vec<u8>>) -> CardLayout {
        let t = Template::built_in()
            .into_iter()
            .find(|t| t.id == "default")
            .unwrap();
        let d = CardData {
            surname: name.into(),
            given_name: "Hélène".into(),
            qr: Some("jdupont@univ.example".into()),
            photo_jpeg: photo.map(Arc::new),
            ..CardData::default()
        };
        layout(&t, &d).unwrap()
    }

    fn jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_fn(60, 75, |x, y| {
            image::Rgb([(x * 4) as u8, (y * 3) as u8, 90])
        });
        let mut out = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
        out
    }

    #[test]
    fn jpeg_photo_is_passed_through() {
        let photo = jpeg();
        let cards = [card("Dupré", Some(photo.clone())), card("Martin", None)];
        let pdf = cards_pdf("Cartes", &cards).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // The JPEG bytes appear unchanged in the file (DCTDecode passthrough).
        let probe = photo.get(200..260).unwrap();
        assert!(pdf.windows(probe.len()).any(|w| w == probe));
        assert_eq!(cards_pdf("x", &[]), Err(PdfError::Empty));
    }
}
