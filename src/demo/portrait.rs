//! Placeholder portraits for the demo institution: flat illustrations (background, shoulders, neck,
//! head, hair, a few features), never real faces. Drawn with anti-aliased horizontal spans and
//! encoded as 300x376 JPEG, the card photo size.

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageError};

use super::rng::Rng;

/// Width of a card photo, in pixels.
pub const WIDTH: u32 = 300;
/// Height of a card photo, in pixels.
pub const HEIGHT: u32 = 376;
/// JPEG quality of the generated portraits.
const QUALITY: u8 = 85;
/// Vertical sub-samples per pixel row, for anti-aliased top and bottom edges.
const SUB_ROWS: usize = 3;

const W: usize = WIDTH as usize;
const H: usize = HEIGHT as usize;

type Rgb = [u8; 3];

const SKIN: &[Rgb] = &[
    [255, 224, 196],
    [247, 208, 176],
    [234, 192, 155],
    [217, 168, 128],
    [192, 140, 100],
    [160, 110, 75],
    [124, 82, 55],
    [92, 60, 40],
];

const HAIR: &[Rgb] = &[
    [30, 24, 22],
    [58, 38, 28],
    [96, 62, 38],
    [140, 90, 50],
    [166, 84, 40],
    [214, 176, 110],
    [236, 206, 140],
    [150, 150, 150],
    [215, 215, 215],
    [70, 90, 160],
    [190, 90, 140],
];

const BACKGROUND: &[Rgb] = &[
    [198, 222, 241],
    [214, 234, 216],
    [248, 231, 208],
    [240, 214, 222],
    [226, 218, 244],
    [252, 244, 198],
    [208, 236, 236],
    [232, 232, 232],
    [206, 214, 230],
    [246, 222, 200],
    [222, 240, 204],
    [236, 224, 214],
];

const CLOTHES: &[Rgb] = &[
    [40, 62, 110],
    [170, 46, 52],
    [38, 110, 80],
    [60, 60, 66],
    [214, 140, 40],
    [120, 70, 140],
    [30, 130, 160],
    [200, 200, 196],
    [150, 96, 70],
    [90, 120, 60],
    [220, 96, 120],
    [24, 24, 30],
    [240, 240, 236],
    [80, 150, 200],
];

/// Hair styles: what is drawn behind and over the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hair {
    Short,
    Long,
    Bun,
    Curly,
    Ponytail,
    Shaved,
}

const HAIRS: [Hair; 6] = [
    Hair::Short,
    Hair::Long,
    Hair::Bun,
    Hair::Curly,
    Hair::Ponytail,
    Hair::Shaved,
];

/// Necklines of the clothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Neck {
    Round,
    V,
    Collar,
}

/// An RGB canvas with anti-aliased span filling.
struct Canvas {
    px: Vec<u8>,
    acc: Vec<f32>,
}

/// A shape given by at most two horizontal spans `[a, b)` for each vertical position `y`.
type Spans = [Option<(f32, f32)>; 2];

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            px: vec![0; W * H * 3],
            acc: vec![0.0; W + 2],
        }
    }

    /// A vertical gradient from `top` to `bottom`.
    fn gradient(&mut self, top: Rgb, bottom: Rgb) {
        for y in 0..H {
            let t = y as f32 / (H - 1) as f32;
            let c = mix(top, bottom, t);
            for x in 0..W {
                let i = (y * W + x) * 3;
                self.px[i..i + 3].copy_from_slice(&c);
            }
        }
    }

    /// Fills the shape described by `spans` between rows `y0` and `y1` with `color`.
    fn fill(&mut self, y0: f32, y1: f32, color: Rgb, spans: impl Fn(f32) -> Spans) {
        let first = y0.floor().max(0.0) as usize;
        let last = (y1.ceil().max(0.0) as usize).min(H);
        let weight = 1.0 / SUB_ROWS as f32;
        for y in first..last {
            let (mut lo, mut hi) = (W + 1, 0usize);
            for k in 0..SUB_ROWS {
                let sy = y as f32 + (k as f32 + 0.5) * weight;
                for (a, b) in spans(sy).into_iter().flatten() {
                    let (a, b) = (a.clamp(0.0, W as f32), b.clamp(0.0, W as f32));
                    if b <= a {
                        continue;
                    }
                    let (ia, ib) = (a.floor() as usize, b.floor() as usize);
                    lo = lo.min(ia);
                    hi = hi.max(ib + 1);
                    if ia == ib {
                        self.acc[ia] += (b - a) * weight;
                        self.acc[ia + 1] -= (b - a) * weight;
                    } else {
                        let first_part = (ia as f32 + 1.0 - a) * weight;
                        self.acc[ia] += first_part;
                        self.acc[ia + 1] += weight - first_part;
                        self.acc[ib] -= weight;
                        let last_part = (b - ib as f32) * weight;
                        self.acc[ib] += last_part;
                        self.acc[ib + 1] -= last_part;
                    }
                }
            }
            if lo > hi {
                continue;
            }
            let mut coverage = 0.0f32;
            let row = y * W * 3;
            for x in lo..=hi.min(W + 1) {
                coverage += self.acc[x];
                self.acc[x] = 0.0;
                if x >= W || coverage <= 0.001 {
                    continue;
                }
                let i = row + x * 3;
                if coverage >= 0.999 {
                    self.px[i..i + 3].copy_from_slice(&color);
                } else {
                    let old = [self.px[i], self.px[i + 1], self.px[i + 2]];
                    self.px[i..i + 3].copy_from_slice(&mix(old, color, coverage));
                }
            }
        }
    }

    fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, color: Rgb) {
        self.ellipse_clipped(cx, cy, rx, ry, cy - ry, cy + ry, color);
    }

    /// An ellipse restricted to the rows `y_from..y_to`.
    #[allow(clippy::too_many_arguments)]
    fn ellipse_clipped(
        &mut self,
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
        y_from: f32,
        y_to: f32,
        color: Rgb,
    ) {
        let (y0, y1) = ((cy - ry).max(y_from), (cy + ry).min(y_to));
        self.fill(y0, y1, color, |y| {
            if y < y_from || y > y_to {
                return [None, None];
            }
            [ellipse_span(cx, cy, rx, ry, y), None]
        });
    }

    /// An elliptic ring of the given thickness (glasses).
    fn ring(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, thickness: f32, color: Rgb) {
        self.fill(cy - ry, cy + ry, color, |y| {
            let Some((a, b)) = ellipse_span(cx, cy, rx, ry, y) else {
                return [None, None];
            };
            match ellipse_span(cx, cy, rx - thickness, ry - thickness, y) {
                Some((c, d)) => [Some((a, c)), Some((d, b))],
                None => [Some((a, b)), None],
            }
        });
    }

    fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, color: Rgb) {
        self.fill(y0, y1, color, |y| {
            if y >= y0 && y < y1 {
                [Some((x0, x1)), None]
            } else {
                [None, None]
            }
        });
    }

    /// A triangle pointing down: a horizontal top edge `[x0, x1]` at `y0`, apex `(ax, ay)`.
    fn triangle_down(&mut self, x0: f32, x1: f32, y0: f32, ax: f32, ay: f32, color: Rgb) {
        self.fill(y0, ay, color, |y| {
            if y < y0 || y > ay {
                return [None, None];
            }
            let t = (y - y0) / (ay - y0);
            [Some((x0 + (ax - x0) * t, x1 + (ax - x1) * t)), None]
        });
    }
}

fn ellipse_span(cx: f32, cy: f32, rx: f32, ry: f32, y: f32) -> Option<(f32, f32)> {
    if rx <= 0.0 || ry <= 0.0 {
        return None;
    }
    let d = (y - cy) / ry;
    if d.abs() >= 1.0 {
        return None;
    }
    let half = rx * (1.0 - d * d).sqrt();
    Some((cx - half, cx + half))
}

fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    let t = t.clamp(0.0, 1.0);
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t + 0.5) as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

fn shade(c: Rgb, factor: f32) -> Rgb {
    let s = |x: u8| (f32::from(x) * factor + 0.5).clamp(0.0, 255.0) as u8;
    [s(c[0]), s(c[1]), s(c[2])]
}

fn pick(rng: &mut Rng, palette: &[Rgb]) -> Rgb {
    rng.pick(palette).copied().unwrap_or([128, 128, 128])
}

/// Draws one portrait as raw RGB pixels (`WIDTH * HEIGHT * 3` bytes).
fn draw(rng: &mut Rng) -> Vec<u8> {
    let mut c = Canvas::new();
    let bg = pick(rng, BACKGROUND);
    c.gradient(shade(bg, 1.04), shade(bg, 0.9));

    let skin = pick(rng, SKIN);
    let hair_color = pick(rng, HAIR);
    let clothes = pick(rng, CLOTHES);
    let hair = HAIRS[rng.index(HAIRS.len())];
    let neck = [Neck::Round, Neck::V, Neck::Collar][rng.index(3)];
    let cx = 150.0 + rng.float(-6.0, 6.0) as f32;
    let cy = 168.0 + rng.float(-6.0, 8.0) as f32;
    let rx = rng.float(54.0, 64.0) as f32;
    let ry = rng.float(72.0, 84.0) as f32;
    let dark_skin = shade(skin, 0.86);

    // Behind the head: long hair, curls, ponytail.
    match hair {
        Hair::Long => {
            c.ellipse(cx, cy - 8.0, rx + 22.0, ry + 14.0, hair_color);
            c.rect(
                cx - rx - 22.0,
                cy - 8.0,
                cx + rx + 22.0,
                cy + ry + 70.0,
                hair_color,
            );
        }
        Hair::Curly => {
            for i in 0..9 {
                let a = std::f32::consts::PI * (i as f32 / 8.0);
                let (px, py) = (cx - (rx + 8.0) * a.cos(), cy - 10.0 - (ry + 4.0) * a.sin());
                c.ellipse(px, py, 30.0, 30.0, hair_color);
            }
        }
        Hair::Ponytail => {
            let side = if rng.chance(0.5) { 1.0 } else { -1.0 };
            c.ellipse(cx + side * (rx + 8.0), cy + 20.0, 20.0, 52.0, hair_color);
        }
        Hair::Short | Hair::Bun | Hair::Shaved => {}
    }

    // Neck, then shoulders and clothing over its base.
    let shoulders_top = cy + ry + 30.0;
    c.rect(
        cx - 24.0,
        cy + ry - 40.0,
        cx + 24.0,
        shoulders_top + 12.0,
        dark_skin,
    );
    let shoulders = rng.float(128.0, 148.0) as f32;
    c.ellipse(150.0, shoulders_top + 150.0, shoulders, 150.0, clothes);
    match neck {
        Neck::Round => c.ellipse_clipped(
            cx,
            shoulders_top + 4.0,
            30.0,
            18.0,
            shoulders_top,
            400.0,
            dark_skin,
        ),
        Neck::V => c.triangle_down(
            cx - 26.0,
            cx + 26.0,
            shoulders_top - 2.0,
            cx,
            shoulders_top + 46.0,
            dark_skin,
        ),
        Neck::Collar => {
            let collar = if clothes[0] > 200 {
                [60, 60, 70]
            } else {
                [244, 244, 240]
            };
            c.triangle_down(
                cx - 26.0,
                cx + 26.0,
                shoulders_top - 2.0,
                cx,
                shoulders_top + 40.0,
                dark_skin,
            );
            c.triangle_down(
                cx - 34.0,
                cx - 4.0,
                shoulders_top - 4.0,
                cx - 6.0,
                shoulders_top + 36.0,
                collar,
            );
            c.triangle_down(
                cx + 4.0,
                cx + 34.0,
                shoulders_top - 4.0,
                cx + 6.0,
                shoulders_top + 36.0,
                collar,
            );
        }
    }

    // Ears, head, hair over the head, face.
    c.ellipse(cx - rx + 2.0, cy + 10.0, 11.0, 17.0, dark_skin);
    c.ellipse(cx + rx - 2.0, cy + 10.0, 11.0, 17.0, dark_skin);
    c.ellipse(cx, cy, rx, ry, skin);
    if hair == Hair::Bun {
        c.ellipse(cx, cy - ry - 8.0, 28.0, 24.0, hair_color);
    }
    let hairline = cy - ry * rng.float(0.1, 0.4) as f32;
    let cap = if hair == Hair::Shaved {
        shade(skin, 0.78)
    } else {
        hair_color
    };
    c.ellipse_clipped(cx, cy - 10.0, rx + 5.0, ry + 4.0, 0.0, hairline + 10.0, cap);
    // The face, drawn over the cap, gives a rounded hairline.
    let face_top = cy - ry * rng.float(0.55, 0.72) as f32;
    c.ellipse_clipped(
        cx,
        (face_top + cy + ry) / 2.0,
        rx - 6.0,
        (cy + ry - face_top) / 2.0,
        face_top,
        cy + ry,
        skin,
    );

    // Features.
    let eye_dx = rng.float(20.0, 26.0) as f32;
    let eye_y = cy + rng.float(2.0, 10.0) as f32;
    let eye = [34, 30, 36];
    c.ellipse(cx - eye_dx, eye_y, 5.5, 6.5, eye);
    c.ellipse(cx + eye_dx, eye_y, 5.5, 6.5, eye);
    let brow = shade(
        if hair == Hair::Shaved {
            [60, 45, 35]
        } else {
            hair_color
        },
        0.8,
    );
    c.ellipse(cx - eye_dx, eye_y - 16.0, 12.0, 3.0, brow);
    c.ellipse(cx + eye_dx, eye_y - 16.0, 12.0, 3.0, brow);
    c.ellipse(cx, eye_y + 20.0, 5.0, 9.0, shade(skin, 0.9));
    if rng.chance(0.25) {
        c.ellipse(
            cx - eye_dx - 12.0,
            eye_y + 26.0,
            9.0,
            5.0,
            mix(skin, [230, 120, 120], 0.3),
        );
        c.ellipse(
            cx + eye_dx + 12.0,
            eye_y + 26.0,
            9.0,
            5.0,
            mix(skin, [230, 120, 120], 0.3),
        );
    }
    if rng.chance(0.18) {
        c.ellipse_clipped(
            cx,
            eye_y + 44.0,
            rx - 8.0,
            40.0,
            eye_y + 26.0,
            400.0,
            shade(hair_color, 0.95),
        );
    }
    let mouth_y = eye_y + 44.0;
    let lips = mix(shade(skin, 0.7), [170, 60, 70], 0.35);
    if rng.chance(0.6) {
        c.ellipse_clipped(
            cx,
            mouth_y - 3.0,
            15.0,
            9.0,
            mouth_y - 1.0,
            mouth_y + 8.0,
            lips,
        );
    } else {
        c.ellipse(cx, mouth_y, 13.0, 3.5, lips);
    }
    if rng.chance(0.22) {
        let frame = [[30, 30, 34], [120, 70, 40], [160, 160, 170], [40, 60, 120]][rng.index(4)];
        c.ring(cx - eye_dx, eye_y, 17.0, 13.0, 3.0, frame);
        c.ring(cx + eye_dx, eye_y, 17.0, 13.0, 3.0, frame);
        c.rect(
            cx - eye_dx + 16.0,
            eye_y - 3.0,
            cx + eye_dx - 16.0,
            eye_y,
            frame,
        );
    }
    c.px
}

/// Encodes raw RGB pixels of `WIDTH * HEIGHT` as JPEG.
pub fn encode(pixels: &[u8]) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::with_capacity(16 * 1024);
    JpegEncoder::new_with_quality(&mut out, QUALITY).encode(
        pixels,
        WIDTH,
        HEIGHT,
        ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}

/// `count` distinct portraits for `seed`, as JPEG.
pub fn pool(seed: u64, count: usize) -> Result<Vec<Vec<u8>>, ImageError> {
    let mut rng = Rng::new(seed, 0x9047_7241);
    (0..count).map(|_| encode(&draw(&mut rng))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portrait_decodes_back_to_card_photo_size() {
        let jpegs = pool(1, 3).expect("encoding a drawn portrait");
        assert_eq!(jpegs.len(), 3);
        for jpeg in &jpegs {
            let img = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
                .expect("decodes");
            assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
            assert!(jpeg.len() < 200 * 1024);
        }
        assert_ne!(jpegs[0], jpegs[1]);
    }

    #[test]
    fn portraits_are_deterministic() {
        let a = draw(&mut Rng::new(5, 0));
        let b = draw(&mut Rng::new(5, 0));
        assert_eq!(a.len(), WIDTH as usize * HEIGHT as usize * 3);
        assert_eq!(a, b);
    }
}
