//! A camera without a camera: a deterministic portrait (background, shoulders, neck, head, hair, eyes,
//! mouth) that sways from side to side from frame to frame, with a little fixed-pattern sensor noise. The
//! tests capture through it, and the demo/training mode offers it as a device so the photo step can be
//! practised anywhere. It is a flat drawing, never a real face.

use image::{Rgb, RgbImage};

use super::{FrameSource, WebcamError};
use crate::fl;

/// Frames per back-and-forth sway of the head.
const SWAY_PERIOD: u64 = 120;

const BACKGROUND_TOP: [f32; 3] = [200.0, 214.0, 228.0];
const BACKGROUND_BOTTOM: [f32; 3] = [150.0, 166.0, 186.0];
const SKIN: Rgb<u8> = Rgb([224, 176, 140]);
const HAIR: Rgb<u8> = Rgb([70, 46, 30]);
const CLOTHES: Rgb<u8> = Rgb([40, 62, 110]);
const EYES: Rgb<u8> = Rgb([30, 30, 36]);
const MOUTH: Rgb<u8> = Rgb([150, 60, 60]);

/// The deterministic test camera; 640x480 like a basic webcam unless built [`SyntheticSource::with_size`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticSource {
    width: u32,
    height: u32,
    frame: u64,
}

impl Default for SyntheticSource {
    fn default() -> Self {
        SyntheticSource::new()
    }
}

/// Whether `(x, y)` lies in the ellipse centred on `(cx, cy)` with radii `rx`, `ry`.
fn in_ellipse(x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32) -> bool {
    let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
    dx * dx + dy * dy <= 1.0
}

impl SyntheticSource {
    pub const WIDTH: u32 = 640;
    pub const HEIGHT: u32 = 480;

    pub fn new() -> SyntheticSource {
        SyntheticSource::with_size(Self::WIDTH, Self::HEIGHT)
    }

    /// A source of `width`x`height` frames (at least 1x1).
    pub fn with_size(width: u32, height: u32) -> SyntheticSource {
        SyntheticSource {
            width: width.max(1),
            height: height.max(1),
            frame: 0,
        }
    }

    /// How many frames were delivered so far.
    pub fn frame_index(&self) -> u64 {
        self.frame
    }

    /// Draws frame number `n`.
    pub fn render(&self, n: u64) -> RgbImage {
        let (w, h) = (self.width as f32, self.height as f32);
        // Triangle wave in -1..=1 over SWAY_PERIOD frames.
        let phase = (n % SWAY_PERIOD) as f32 / SWAY_PERIOD as f32;
        let sway = 1.0 - 4.0 * (phase - 0.5).abs();
        let cx = w / 2.0 + sway * w / 20.0;
        let unit = h / 480.0;
        let head_cy = h * 0.42;
        let (head_rx, head_ry) = (62.0 * unit, 80.0 * unit);
        RgbImage::from_fn(self.width, self.height, |x, y| {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let colour = if in_ellipse(
                px,
                py,
                cx - 24.0 * unit,
                head_cy - 8.0 * unit,
                9.0 * unit,
                6.0 * unit,
            ) || in_ellipse(
                px,
                py,
                cx + 24.0 * unit,
                head_cy - 8.0 * unit,
                9.0 * unit,
                6.0 * unit,
            ) {
                EYES
            } else if in_ellipse(px, py, cx, head_cy + 40.0 * unit, 20.0 * unit, 6.0 * unit) {
                MOUTH
            } else if in_ellipse(
                px,
                py,
                cx,
                head_cy - 30.0 * unit,
                head_rx + 6.0 * unit,
                56.0 * unit,
            ) && py < head_cy - 30.0 * unit
            {
                HAIR
            } else if in_ellipse(px, py, cx, head_cy, head_rx, head_ry)
                || ((px - cx).abs() < 30.0 * unit && py > head_cy && py < h * 0.78)
            {
                SKIN
            } else if in_ellipse(px, py, cx, h * 1.02, 190.0 * unit, 150.0 * unit) {
                CLOTHES
            } else {
                let t = py / h;
                let c =
                    |i: usize| BACKGROUND_TOP[i] + (BACKGROUND_BOTTOM[i] - BACKGROUND_TOP[i]) * t;
                Rgb([c(0) as u8, c(1) as u8, c(2) as u8])
            };
            // Fixed-pattern noise of +-3 per pixel, shifting with the frame like sensor noise.
            let hash = crate::demo::rng::mix64(u64::from(x) << 32 | u64::from(y) ^ n << 48);
            let noise = (hash % 7) as i16 - 3;
            Rgb(colour.0.map(|c| (i16::from(c) + noise).clamp(0, 255) as u8))
        })
    }
}

impl FrameSource for SyntheticSource {
    fn next_frame(&mut self) -> Result<RgbImage, WebcamError> {
        let frame = self.render(self.frame);
        self.frame += 1;
        Ok(frame)
    }

    fn name(&self) -> String {
        fl!("webcam-synthetic-name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_deterministic_and_move() {
        let mut a = SyntheticSource::new();
        let mut b = SyntheticSource::default();
        let (a0, b0) = (
            a.next_frame().expect("frame"),
            b.next_frame().expect("frame"),
        );
        assert_eq!(a0, b0);
        assert_eq!(a0.dimensions(), (640, 480));
        let a1 = a.next_frame().expect("frame");
        assert_ne!(a0, a1);
        assert_eq!(a.frame_index(), 2);
        // A quarter period later the head has moved sideways: the skin column shifted.
        let later = a.render(SWAY_PERIOD / 4);
        let skin_cols = |img: &RgbImage| {
            (0..img.width())
                .filter(|&x| {
                    let p = img.get_pixel(x, 230);
                    p[0].abs_diff(SKIN[0]) < 8 && p[2].abs_diff(SKIN[2]) < 8
                })
                .collect::<Vec<_>>()
        };
        assert_ne!(skin_cols(&a0).first(), skin_cols(&later).first());
    }

    #[test]
    fn the_portrait_has_a_face_on_a_background() {
        let img = SyntheticSource::new().render(0);
        let near = |p: &Rgb<u8>, c: Rgb<u8>| p.0.iter().zip(c.0).all(|(a, b)| a.abs_diff(b) <= 3);
        // Frame 0 is at the sway's left end: the head is centred at 320 - 32.
        assert!(near(img.get_pixel(288, 215), SKIN));
        assert!(near(img.get_pixel(288, 140), HAIR));
        assert!(near(img.get_pixel(264, 194), EYES));
        assert!(near(img.get_pixel(320, 470), CLOTHES));
        assert!(img.get_pixel(5, 5)[2] > 200);
    }

    #[test]
    fn tiny_sizes_do_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (3, 1000)] {
            let mut s = SyntheticSource::with_size(w, h);
            let f = s.next_frame().expect("frame");
            assert_eq!(f.dimensions(), (w.max(1), h.max(1)));
        }
    }
}
