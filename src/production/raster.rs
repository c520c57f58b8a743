//! The card layout drawn to pixels with tiny-skia: the GUI preview and the bitmaps a card printer driver
//! takes. Text is filled from the glyph outlines of the same embedded fonts the PDF embeds, placed with the
//! same advances and kerning, so the preview matches the print.
//!
//! The card is scaled uniformly to fit the bitmap and centred; the margin left by a bitmap whose proportions
//! differ from the card's (ESUP's 1016 × 648 px printer bitmaps are 300 dpi plus bleed, desfire.md §14.1) is
//! painted with the face background, and filled rectangles touching a card edge are extended to the bitmap
//! edge, so a coloured band bleeds instead of leaving a white hairline.

use image::RgbaImage;
use tiny_skia::{
    FillRule, FilterQuality, Paint, PathBuilder, Pattern, Pixmap, Rect, SpreadMode, Stroke,
    Transform,
};

use super::fonts::{self, MM_PER_PT};
use super::template::{FaceLayout, LayoutImage, LayoutItem, MmRect, Rgb, TextRun, qr_grid};

/// ESUP printer bitmap width: 300 dpi plus bleed (desfire.md §14.1).
pub const BITMAP_WIDTH: u32 = 1016;
/// ESUP printer bitmap height.
pub const BITMAP_HEIGHT: u32 = 648;
/// Largest bitmap side rendered; larger requests are clamped (a preview never needs more).
pub const MAX_SIDE: u32 = 8192;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RasterError {
    #[error("bitmap size {width}×{height} is out of range (1 to {MAX_SIDE} pixels a side)")]
    Size { width: u32, height: u32 },
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// Maps card millimetres to bitmap pixels.
#[derive(Debug, Clone, Copy)]
struct View {
    scale: f32,
    ox: f32,
    oy: f32,
    width_px: f32,
    height_px: f32,
    card_w: f32,
    card_h: f32,
}

impl View {
    fn x(&self, mm: f32) -> f32 {
        self.ox + mm * self.scale
    }
    fn y(&self, mm: f32) -> f32 {
        self.oy + mm * self.scale
    }
    fn rect(&self, r: &MmRect) -> Option<Rect> {
        Rect::from_ltrb(
            self.x(r.x),
            self.y(r.y),
            self.x(r.right()),
            self.y(r.bottom()),
        )
    }
    /// `r` in pixels, with edges that touch a card edge pushed to the bitmap edge (bleed).
    fn bleed_rect(&self, r: &MmRect) -> Option<Rect> {
        const EPS: f32 = 0.05;
        let left = if r.x <= EPS { 0.0 } else { self.x(r.x) };
        let top = if r.y <= EPS { 0.0 } else { self.y(r.y) };
        let right = if r.right() >= self.card_w - EPS {
            self.width_px
        } else {
            self.x(r.right())
        };
        let bottom = if r.bottom() >= self.card_h - EPS {
            self.height_px
        } else {
            self.y(r.bottom())
        };
        Rect::from_ltrb(left, top, right, bottom)
    }
}

fn paint(c: Rgb, anti_alias: bool) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.r, c.g, c.b, 255);
    p.anti_alias = anti_alias;
    p
}

/// Renders `face` to an RGBA bitmap of `width_px` × `height_px` (each side clamped to 1..=[`MAX_SIDE`]).
pub fn render(face: &FaceLayout, width_px: u32, height_px: u32) -> RgbaImage {
    let (w, h) = (width_px.clamp(1, MAX_SIDE), height_px.clamp(1, MAX_SIDE));
    let Some(mut pixmap) = Pixmap::new(w, h) else {
        return RgbaImage::new(w, h);
    };
    let card_w = face.width_mm.max(0.1);
    let card_h = face.height_mm.max(0.1);
    let scale = (w as f32 / card_w).min(h as f32 / card_h);
    let view = View {
        scale,
        ox: (w as f32 - card_w * scale) / 2.0,
        oy: (h as f32 - card_h * scale) / 2.0,
        width_px: w as f32,
        height_px: h as f32,
        card_w,
        card_h,
    };
    let bg = face.background;
    pixmap.fill(tiny_skia::Color::from_rgba8(bg.r, bg.g, bg.b, 255));
    for item in &face.items {
        draw_item(&mut pixmap, &view, item);
    }
    // tiny-skia stores premultiplied pixels; every pixel is opaque here, so they equal straight RGBA.
    RgbaImage::from_raw(w, h, pixmap.take()).unwrap_or_else(|| RgbaImage::new(w, h))
}

/// [`render`] encoded as PNG.
pub fn png(face: &FaceLayout, width_px: u32, height_px: u32) -> Result<Vec<u8>, RasterError> {
    if width_px == 0 || height_px == 0 || width_px > MAX_SIDE || height_px > MAX_SIDE {
        return Err(RasterError::Size {
            width: width_px,
            height: height_px,
        });
    }
    let img = render(face, width_px, height_px);
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| RasterError::Encode(e.to_string()))?;
    Ok(out)
}

fn draw_item(pixmap: &mut Pixmap, view: &View, item: &LayoutItem) {
    match item {
        LayoutItem::Fill { rect, color } => {
            if let Some(r) = view.bleed_rect(rect) {
                pixmap.fill_rect(r, &paint(*color, true), Transform::identity(), None);
            }
        }
        LayoutItem::Frame {
            rect,
            color,
            line_mm,
        } => {
            let half = line_mm / 2.0;
            let inner = MmRect::new(
                rect.x + half,
                rect.y + half,
                rect.width - line_mm,
                rect.height - line_mm,
            );
            if let Some(r) = view.rect(&inner) {
                let path = PathBuilder::from_rect(r);
                let stroke = Stroke {
                    width: (line_mm * view.scale).max(1.0),
                    ..Stroke::default()
                };
                pixmap.stroke_path(
                    &path,
                    &paint(*color, true),
                    &stroke,
                    Transform::identity(),
                    None,
                );
            }
        }
        LayoutItem::Image { image, place, clip } => draw_image(pixmap, view, image, place, clip),
        LayoutItem::Text(run) => draw_text(pixmap, view, run),
        LayoutItem::Qr {
            rect,
            matrix,
            quiet_zone,
            color,
            background,
        } => {
            if let (Some(bg), Some(r)) = (background, view.rect(rect)) {
                pixmap.fill_rect(r, &paint(*bg, false), Transform::identity(), None);
            }
            let (module_mm, origin_x, origin_y) = qr_grid(rect, matrix.width(), *quiet_zone);
            // Module edges snapped to whole pixels, no anti-aliasing: crisp modules scan best.
            let px = |mm: f32, f: &dyn Fn(f32) -> f32| f(mm).round();
            let dark = paint(*color, false);
            for row in 0..matrix.width() {
                let top = px(origin_y + module_mm * row as f32, &|v| view.y(v));
                let bottom = px(origin_y + module_mm * (row + 1) as f32, &|v| view.y(v));
                for (start, end) in matrix.dark_runs(row) {
                    let left = px(origin_x + module_mm * start as f32, &|v| view.x(v));
                    let right = px(origin_x + module_mm * end as f32, &|v| view.x(v));
                    if let Some(r) = Rect::from_ltrb(left, top, right, bottom) {
                        pixmap.fill_rect(r, &dark, Transform::identity(), None);
                    }
                }
            }
        }
    }
}

fn draw_image(
    pixmap: &mut Pixmap,
    view: &View,
    image: &LayoutImage,
    place: &MmRect,
    clip: &MmRect,
) {
    let Ok(rgba) = image.rgba() else {
        // Template images are decoded at load; an undecodable photo leaves its area empty rather than
        // failing a preview.
        return;
    };
    let (Some(dest), Some(clip_px)) = (view.rect(place), view.rect(clip)) else {
        return;
    };
    // Much larger than drawn: reduce by area averaging first, as a bicubic filter alone would alias.
    let (dw, dh) = (
        dest.width().ceil().max(1.0) as u32,
        dest.height().ceil().max(1.0) as u32,
    );
    let src = if rgba.width() > 2 * dw || rgba.height() > 2 * dh {
        to_pixmap(&image::imageops::thumbnail(rgba.as_ref(), dw, dh))
    } else {
        to_pixmap(&rgba)
    };
    let Some(src) = src else { return };
    let Some(area) = dest.intersect(&clip_px) else {
        return;
    };
    let sx = dest.width() / src.width() as f32;
    let sy = dest.height() / src.height() as f32;
    let transform = Transform::from_row(sx, 0.0, 0.0, sy, dest.left(), dest.top());
    let quality = if sx < 1.0 || sy < 1.0 {
        FilterQuality::Bicubic
    } else {
        FilterQuality::Bilinear
    };
    let pattern = Pattern::new(src.as_ref(), SpreadMode::Pad, quality, 1.0, transform);
    let paint = Paint {
        shader: pattern,
        anti_alias: true,
        ..Paint::default()
    };
    pixmap.fill_rect(area, &paint, Transform::identity(), None);
}

/// An RGBA image as a premultiplied tiny-skia pixmap.
fn to_pixmap(img: &RgbaImage) -> Option<Pixmap> {
    let mut data = img.as_raw().clone();
    for px in data.chunks_exact_mut(4) {
        if let [r, g, b, a] = px {
            let alpha = u16::from(*a);
            *r = ((u16::from(*r) * alpha + 127) / 255) as u8;
            *g = ((u16::from(*g) * alpha + 127) / 255) as u8;
            *b = ((u16::from(*b) * alpha + 127) / 255) as u8;
        }
    }
    Pixmap::from_vec(
        data,
        tiny_skia::IntSize::from_wh(img.width(), img.height())?,
    )
}

/// Receives glyph outlines in font units and appends them to a path, scaled and moved to the pen position.
struct GlyphSink<'a> {
    pb: &'a mut PathBuilder,
    x: f32,
    y: f32,
    k: f32,
}

impl ttf_parser::OutlineBuilder for GlyphSink<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.pb.move_to(self.x + x * self.k, self.y - y * self.k);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.pb.line_to(self.x + x * self.k, self.y - y * self.k);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.pb.quad_to(
            self.x + x1 * self.k,
            self.y - y1 * self.k,
            self.x + x * self.k,
            self.y - y * self.k,
        );
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.pb.cubic_to(
            self.x + x1 * self.k,
            self.y - y1 * self.k,
            self.x + x2 * self.k,
            self.y - y2 * self.k,
            self.x + x * self.k,
            self.y - y * self.k,
        );
    }
    fn close(&mut self) {
        self.pb.close();
    }
}

fn draw_text(pixmap: &mut Pixmap, view: &View, run: &TextRun) {
    let Ok(font) = fonts::font(run.face) else {
        return;
    };
    let size_px = run.size_pt * MM_PER_PT * view.scale;
    let k = size_px / font.units_per_em();
    let x0 = view.x(run.x_mm);
    let baseline = view.y(run.baseline_mm);
    let mut pb = PathBuilder::new();
    for g in font.shape(&run.text).glyphs {
        let mut sink = GlyphSink {
            pb: &mut pb,
            x: x0 + g.x_em * size_px,
            y: baseline,
            k,
        };
        font.outline(g.id, &mut sink);
    }
    if let Some(path) = pb.finish() {
        pixmap.fill_path(
            &path,
            &paint(run.color, true),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::production::template::{CardData, Template, layout};

    fn jpeg(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb(rgb));
        let mut out = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
        out
    }

    fn data(photo: Option<Vec<u8>>) -> CardData {
        CardData {
            surname: "Dupré-Œuvray".into(),
            given_name: "Hélène".into(),
            display_name: "Hélène Dupré-Œuvray".into(),
            affiliation: "Étudiante".into(),
            establishment: "Université de Montval".into(),
            student_number: Some("22001234".into()),
            due_date: Some("31/08/2027".into()),
            qr: Some("http://esc.gg/d88b02c1-894e-1038-a711-001999465982".into()),
            photo_jpeg: photo.map(Arc::new),
            card_id: 42,
            ..CardData::default()
        }
    }

    fn default_template() -> Template {
        Template::built_in()
            .into_iter()
            .find(|t| t.id == "default")
            .unwrap()
    }

    #[test]
    fn face_is_not_blank_and_photo_area_holds_the_photo() {
        // A saturated green photo, a colour no built-in template uses.
        let t = default_template();
        let card = layout(&t, &data(Some(jpeg(300, 376, [20, 200, 40])))).unwrap();
        let img = render(&card.front, BITMAP_WIDTH, BITMAP_HEIGHT);
        assert_eq!(img.dimensions(), (BITMAP_WIDTH, BITMAP_HEIGHT));
        let distinct: std::collections::HashSet<_> = img.pixels().map(|p| p.0).collect();
        assert!(distinct.len() > 20, "only {} colours", distinct.len());
        let LayoutItem::Image { clip, .. } = card
            .front
            .items
            .iter()
            .find(|i| matches!(i, LayoutItem::Image { image, .. } if image.kind() == crate::production::template::ImageKind::Jpeg))
            .unwrap()
        else {
            unreachable!()
        };
        let scale = (BITMAP_WIDTH as f32 / card.front.width_mm)
            .min(BITMAP_HEIGHT as f32 / card.front.height_mm);
        let oy = (BITMAP_HEIGHT as f32 - card.front.height_mm * scale) / 2.0;
        let cx = ((clip.x + clip.width / 2.0) * scale) as u32;
        let cy = (oy + (clip.y + clip.height / 2.0) * scale) as u32;
        let p = img.get_pixel(cx, cy).0;
        assert!(
            p[1] > 150 && p[0] < 80 && p[2] < 100,
            "photo centre is {p:?}"
        );
    }

    #[test]
    fn missing_photo_draws_a_placeholder() {
        let t = default_template();
        let card = layout(&t, &data(None)).unwrap();
        assert!(
            card.front
                .items
                .iter()
                .any(|i| matches!(i, LayoutItem::Frame { .. }))
        );
        let img = render(&card.front, 400, 252);
        assert_eq!(img.dimensions(), (400, 252));
    }

    #[test]
    fn png_sizes() {
        let t = default_template();
        let card = layout(&t, &data(None)).unwrap();
        let bytes = png(&card.front, 200, 126).unwrap();
        let back = image::load_from_memory(&bytes).unwrap();
        assert_eq!((back.width(), back.height()), (200, 126));
        assert_eq!(
            png(&card.front, 0, 10),
            Err(RasterError::Size {
                width: 0,
                height: 10
            })
        );
        assert_eq!(render(&card.front, 0, 0).dimensions(), (1, 1));
    }

    /// Draws the made-up institutions' logos of the built-in templates (no real trademark) and checks they are
    /// the committed assets/templates/*/logo.png. After changing the drawing, write them again with
    /// `GUICHET_WRITE_LOGOS=1 cargo test --lib production::raster::tests::template_logos_are_drawn_here`.
    #[test]
    fn template_logos_are_drawn_here() {
        let keep = |pm: &Pixmap, path: std::path::PathBuf| {
            if std::env::var_os("GUICHET_WRITE_LOGOS").is_some() {
                pm.save_png(&path).unwrap();
                return;
            }
            // Both sides through one PNG round trip, so premultiplied alpha compares exactly.
            let drawn = Pixmap::decode_png(&pm.encode_png().unwrap()).unwrap();
            let committed = Pixmap::load_png(&path).unwrap();
            assert!(
                drawn.data() == committed.data(),
                "{} differs from its drawing",
                path.display()
            );
        };
        use crate::production::fonts::FontFace;
        const PX_PER_MM: f32 = 20.0;
        let view = |w_mm: f32, h_mm: f32| View {
            scale: PX_PER_MM,
            ox: 0.0,
            oy: 0.0,
            width_px: w_mm * PX_PER_MM,
            height_px: h_mm * PX_PER_MM,
            card_w: w_mm,
            card_h: h_mm,
        };
        let run = |text: &str, face, size_pt, color, x_mm, baseline_mm| TextRun {
            text: text.into(),
            face,
            size_pt,
            color,
            x_mm,
            baseline_mm,
            width_mm: 0.0,
        };
        let circle = |pm: &mut Pixmap, cx: f32, cy: f32, r: f32, c: Rgb| {
            if let Some(path) =
                PathBuilder::from_circle(cx * PX_PER_MM, cy * PX_PER_MM, r * PX_PER_MM)
            {
                pm.fill_path(
                    &path,
                    &paint(c, true),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/templates");

        // Université de Brocéliande (the demo university): navy seal with a gold ring and a "B", name on two
        // lines.
        let navy = Rgb {
            r: 0x1d,
            g: 0x4f,
            b: 0x91,
        };
        let gold = Rgb {
            r: 0xf2,
            g: 0xa9,
            b: 0x00,
        };
        let v = view(28.6, 7.0);
        let mut pm = Pixmap::new(572, 140).unwrap();
        circle(&mut pm, 3.5, 3.5, 3.4, navy);
        circle(&mut pm, 3.5, 3.5, 2.85, gold);
        circle(&mut pm, 3.5, 3.5, 2.55, navy);
        draw_text(
            &mut pm,
            &v,
            &run("B", FontFace::Bold, 9.5, Rgb::WHITE, 2.25, 4.75),
        );
        draw_text(
            &mut pm,
            &v,
            &run("UNIVERSITÉ DE", FontFace::Bold, 6.2, navy, 7.9, 3.0),
        );
        draw_text(
            &mut pm,
            &v,
            &run("BROCÉLIANDE", FontFace::Bold, 7.4, navy, 7.8, 6.3),
        );
        keep(&pm, root.join("default/logo.png"));

        // Lycée Anne de Bretagne (the demo school): white disc with a green leaf, white name (drawn on the green
        // band).
        let green = Rgb {
            r: 0x1e,
            g: 0x7a,
            b: 0x4c,
        };
        let v = view(32.0, 8.0);
        let mut pm = Pixmap::new(640, 160).unwrap();
        circle(&mut pm, 4.0, 4.0, 3.8, Rgb::WHITE);
        let mut leaf = PathBuilder::new();
        let p = |mm: f32| mm * PX_PER_MM;
        leaf.move_to(p(2.2), p(6.0));
        leaf.cubic_to(p(1.6), p(3.2), p(3.6), p(1.4), p(6.0), p(1.6));
        leaf.cubic_to(p(6.2), p(4.2), p(4.6), p(6.2), p(2.2), p(6.0));
        leaf.close();
        if let Some(path) = leaf.finish() {
            pm.fill_path(
                &path,
                &paint(green, true),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        draw_text(
            &mut pm,
            &v,
            &run("Lycée Anne", FontFace::Regular, 7.5, Rgb::WHITE, 8.8, 3.4),
        );
        draw_text(
            &mut pm,
            &v,
            &run("de Bretagne", FontFace::Bold, 9.0, Rgb::WHITE, 8.8, 7.0),
        );
        keep(&pm, root.join("school/logo.png"));
    }

    #[test]
    fn text_is_drawn_in_its_colour() {
        use crate::production::fonts::FontFace;
        let face = FaceLayout {
            width_mm: 50.0,
            height_mm: 20.0,
            background: Rgb::WHITE,
            items: vec![LayoutItem::Text(TextRun {
                text: "ÉÉÉÉ".into(),
                face: FontFace::Bold,
                size_pt: 30.0,
                color: Rgb { r: 200, g: 0, b: 0 },
                x_mm: 2.0,
                baseline_mm: 15.0,
                width_mm: 40.0,
            })],
        };
        let img = render(&face, 500, 200);
        let red = img.pixels().filter(|p| p.0[0] > 150 && p.0[1] < 60).count();
        assert!(red > 2000, "{red} red pixels");
    }
}
