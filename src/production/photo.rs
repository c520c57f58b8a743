//! The card photo pipeline: decode an imported, reused or captured image, turn it upright from its EXIF
//! orientation, let the operator frame it at the ID ratio, and produce the stored 300x376 JPEG of at most
//! 200 KB (ARCHITECTURE.md, `production/photo.rs`; issue "Card production", point 1).
//!
//! Everything here is pure and synchronous: the GUI drives [`Crop`] from mouse and wheel events and calls
//! [`crop_to_jpeg`] when the operator validates; the store keeps the returned bytes as they are. Heavy pixel
//! work goes through `DynamicImage`'s non-generic methods so it runs in the optimised `image` crate even in
//! debug builds of Guichet.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits,
    RgbImage, RgbaImage,
};

/// Width of the stored card photo, in pixels.
pub const PHOTO_WIDTH: u32 = 300;
/// Height of the stored card photo, in pixels.
pub const PHOTO_HEIGHT: u32 = 376;
/// Largest stored JPEG, in bytes.
pub const MAX_JPEG_BYTES: usize = 200 * 1024;
/// Longest side accepted before decoding: larger files are refused rather than allocated.
pub const MAX_SIDE: u32 = 12_000;
/// Most pixels accepted before decoding (80 Mpx; phones' default outputs are far below).
pub const MAX_PIXELS: u64 = 80_000_000;
/// Most bytes the decoder may allocate for the decoded picture (80 Mpx RGBA at 8 bits, with some margin
/// for 16-bit greyscale PNGs).
const MAX_DECODED_BYTES: u64 = 400 * 1024 * 1024;

/// 300:376 reduced: every exact-ratio rectangle is `RATIO_W * k` by `RATIO_H * k`.
const RATIO_W: u32 = 75;
const RATIO_H: u32 = 94;
/// `k` of the smallest crop allowed: one source pixel per output pixel.
const MIN_STEPS: u32 = PHOTO_WIDTH / RATIO_W;

/// JPEG qualities tried in turn until the file fits in [`MAX_JPEG_BYTES`]. A portrait fits at the first
/// one; only high-entropy sources (noise, heavy grain) go further down.
const QUALITIES: [u8; 10] = [90, 85, 80, 75, 70, 60, 50, 40, 30, 20];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("not an image (neither JPEG nor PNG)")]
    NotAnImage,
    #[error("unsupported image format {format}; only JPEG and PNG are accepted")]
    Unsupported { format: String },
    #[error("image is {width}x{height} px, below the required {min_width}x{min_height} px")]
    TooSmall {
        width: u32,
        height: u32,
        min_width: u32,
        min_height: u32,
    },
    #[error("image is {width}x{height} px, above {max_side} px a side or {max_pixels} pixels")]
    TooLarge {
        width: u32,
        height: u32,
        max_side: u32,
        max_pixels: u64,
    },
    #[error("decoding would need more memory than allowed: {0}")]
    Limit(String),
    #[error("corrupt image data: {0}")]
    Corrupt(String),
    #[error("JPEG encoding failed: {0}")]
    Encode(String),
    #[error("the JPEG is still {bytes} bytes at the lowest quality, above {max}")]
    OutputTooLarge { bytes: usize, max: usize },
}

impl PhotoError {
    fn too_small(width: u32, height: u32) -> PhotoError {
        PhotoError::TooSmall {
            width,
            height,
            min_width: PHOTO_WIDTH,
            min_height: PHOTO_HEIGHT,
        }
    }

    fn decoding(e: ImageError) -> PhotoError {
        match e {
            ImageError::Limits(l) => PhotoError::Limit(l.to_string()),
            ImageError::Unsupported(u) => PhotoError::Unsupported {
                format: u.to_string(),
            },
            other => PhotoError::Corrupt(other.to_string()),
        }
    }
}

/// A decoded picture with its EXIF orientation already applied: pixel (0, 0) is the top-left corner as the
/// photographer saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Upright {
    pub image: RgbImage,
    /// The EXIF orientation (1..=8) found in the file and applied; 1 when absent or unreadable.
    pub orientation: u8,
}

/// An encoded card photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jpeg {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The JPEG quality used; `None` when the bytes were kept as they were (see [`reuse`]).
    pub quality: Option<u8>,
}

/// What the format sniffing found.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, PhotoError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageFormat::Png);
    }
    // iPhones save HEIC by default and `image` does not know its signature: name it so the operator
    // knows to export as JPEG.
    if bytes.get(4..8) == Some(b"ftyp")
        && let Some(brand) = bytes.get(8..12)
        && [
            b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1",
        ]
        .iter()
        .any(|b| b.as_slice() == brand)
    {
        return Err(PhotoError::Unsupported {
            format: "HEIC".to_string(),
        });
    }
    match image::guess_format(bytes) {
        Ok(f) => Err(PhotoError::Unsupported {
            format: format!("{f:?}").to_uppercase(),
        }),
        Err(_) => Err(PhotoError::NotAnImage),
    }
}

/// Refuses absurd dimensions before any pixel is allocated.
fn check_not_too_large(width: u32, height: u32) -> Result<(), PhotoError> {
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooLarge {
            width,
            height,
            max_side: MAX_SIDE,
            max_pixels: MAX_PIXELS,
        });
    }
    Ok(())
}

/// Decodes a JPEG or PNG, applies its EXIF orientation and refuses pictures outside the size limits.
///
/// Sizes are checked from the header, before decoding: too large (more than [`MAX_SIDE`] a side or
/// [`MAX_PIXELS`]) and too small (under 300x376 once upright) are refused without allocating the picture.
/// A transparent PNG is flattened on white, the usual ID-photo background.
pub fn decode_upright(bytes: &[u8]) -> Result<Upright, PhotoError> {
    let format = sniff(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(PhotoError::decoding)?;
    let (width, height) = decoder.dimensions();
    check_not_too_large(width, height)?;
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(PhotoError::Limit(format!(
            "{} bytes to decode",
            decoder.total_bytes()
        )));
    }
    // An unreadable EXIF block is not a reason to refuse a picture that decodes: treat it as upright.
    let orientation = decoder
        .orientation()
        .unwrap_or(Orientation::NoTransforms)
        .to_exif();
    let (up_w, up_h) = if orientation >= 5 {
        (height, width)
    } else {
        (width, height)
    };
    if up_w < PHOTO_WIDTH || up_h < PHOTO_HEIGHT {
        return Err(PhotoError::too_small(up_w, up_h));
    }
    let decoded = DynamicImage::from_decoder(decoder).map_err(PhotoError::decoding)?;
    let rgb = if decoded.color().has_alpha() {
        flatten_on_white(decoded.into_rgba8())
    } else {
        decoded.into_rgb8()
    };
    Ok(Upright {
        image: apply_orientation(rgb, orientation),
        orientation,
    })
}

/// Blends an RGBA picture over white.
fn flatten_on_white(rgba: RgbaImage) -> RgbImage {
    let (w, h) = rgba.dimensions();
    let mut out = Vec::with_capacity(rgba.as_raw().len() / 4 * 3);
    for px in rgba.as_raw().chunks_exact(4) {
        if let [r, g, b, a] = *px {
            let a = u16::from(a);
            for c in [r, g, b] {
                // c*a/255 + 255*(255-a)/255, rounded.
                let v = (u16::from(c) * a + 255 * (255 - a) + 127) / 255;
                out.push(u8::try_from(v).unwrap_or(u8::MAX));
            }
        }
    }
    // The buffer has exactly w*h*3 bytes by construction; fall back to a white picture otherwise.
    RgbImage::from_raw(w, h, out)
        .unwrap_or_else(|| RgbImage::from_pixel(w, h, image::Rgb([255; 3])))
}

/// Turns a stored picture upright according to its EXIF orientation tag (CIPA DC-008, tag 0x0112):
/// 1 as is, 2 mirrored, 3 rotated 180°, 4 flipped vertically, 5 transposed, 6 rotated 90° clockwise,
/// 7 transversed, 8 rotated 90° counter-clockwise. Other values leave the picture as it is.
pub fn apply_orientation(img: RgbImage, orientation: u8) -> RgbImage {
    match Orientation::from_exif(orientation) {
        None | Some(Orientation::NoTransforms) => img,
        Some(o) => {
            let mut dynamic = DynamicImage::ImageRgb8(img);
            dynamic.apply_orientation(o);
            dynamic.into_rgb8()
        }
    }
}

/// The crop the operator adjusts. `zoom` 1.0 is the largest 300:376 rectangle that fits the picture; zooming
/// in shrinks it, down to 300x376 source pixels (one source pixel per output pixel, [`Crop::max_zoom`]).
/// `(cx, cy)` is the rectangle's centre in source pixels. The struct does not keep the picture's size: every
/// method takes it, so one `Crop` stays valid while the GUI shows a thumbnail.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crop {
    pub zoom: f32,
    pub cx: f32,
    pub cy: f32,
}

/// A source rectangle in whole pixels. Its sides are `75k` by `94k` for an integer `k`, so its ratio is
/// exactly 300:376; zoom therefore moves by steps of 75x94 source pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CropRect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// The `k` of the largest exact-ratio rectangle inside `w`x`h`.
fn base_steps(w: u32, h: u32) -> u32 {
    (w / RATIO_W).min(h / RATIO_H)
}

/// Keeps a centre coordinate where a rectangle of `size` stays inside `0..total`; NaN and infinities
/// fall back to the middle.
fn clamp_centre(c: f32, size: u32, total: u32) -> f32 {
    let half = size as f32 / 2.0;
    let (lo, hi) = (half, total as f32 - half);
    if !c.is_finite() || hi < lo {
        return total as f32 / 2.0;
    }
    c.max(lo).min(hi)
}

/// The first pixel of a rectangle of `size` centred on `c`, inside `0..total`.
fn place(c: f32, size: u32, total: u32) -> u32 {
    let room = total.saturating_sub(size);
    let start = (clamp_centre(c, size, total) - size as f32 / 2.0).round();
    if start <= 0.0 {
        0
    } else if start >= room as f32 {
        room
    } else {
        start as u32
    }
}

impl Crop {
    /// The whole-picture crop, centred horizontally. When the picture is taller than the ID ratio (phone
    /// portraits), the spare height is split one third above and two thirds below: faces sit in the upper
    /// part of such pictures, and the operator moves from there.
    pub fn initial(w: u32, h: u32) -> Crop {
        let k = base_steps(w, h);
        let height = RATIO_H * k;
        let top = (h.saturating_sub(height)) as f32 / 3.0;
        Crop {
            zoom: 1.0,
            cx: w as f32 / 2.0,
            cy: top + height as f32 / 2.0,
        }
    }

    /// How far the operator may zoom in on a `w`x`h` picture: until the crop is 300x376 source pixels.
    /// 1.0 for pictures whose largest crop is already that small.
    pub fn max_zoom(w: u32, h: u32) -> f32 {
        let k0 = base_steps(w, h);
        if k0 <= MIN_STEPS {
            1.0
        } else {
            k0 as f32 / MIN_STEPS as f32
        }
    }

    /// The zoom kept within `1.0..=max_zoom`; NaN reads as 1.0.
    fn clamped_zoom(zoom: f32, w: u32, h: u32) -> f32 {
        if zoom.is_nan() {
            return 1.0;
        }
        zoom.max(1.0).min(Crop::max_zoom(w, h))
    }

    /// The `k` of this crop's rectangle.
    fn steps(&self, w: u32, h: u32) -> u32 {
        let k0 = base_steps(w, h);
        if k0 <= MIN_STEPS {
            return k0;
        }
        let zoom = Crop::clamped_zoom(self.zoom, w, h);
        // The small epsilon keeps max_zoom from landing one step short through rounding.
        let k = (k0 as f32 / zoom + 1e-3).floor();
        if k <= MIN_STEPS as f32 {
            MIN_STEPS
        } else if k >= k0 as f32 {
            k0
        } else {
            k as u32
        }
    }

    /// The source rectangle: exact 300:376 ratio, always inside the picture. For a picture smaller than
    /// 300x376 (which [`decode_upright`] refuses) it is the largest exact-ratio rectangle, empty below 75x94.
    pub fn rect(&self, w: u32, h: u32) -> CropRect {
        let k = self.steps(w, h);
        let (width, height) = (RATIO_W * k, RATIO_H * k);
        CropRect {
            x: place(self.cx, width, w),
            y: place(self.cy, height, h),
            width,
            height,
        }
    }

    /// Multiplies the zoom by `factor` (above 1 zooms in), clamped to `1.0..=max_zoom`, keeping the centre
    /// where possible. A factor that is not a positive finite number changes nothing.
    pub fn zoom_by(self, factor: f32, w: u32, h: u32) -> Crop {
        let zoom = if factor.is_finite() && factor > 0.0 {
            Crop::clamped_zoom(self.zoom * factor, w, h)
        } else {
            Crop::clamped_zoom(self.zoom, w, h)
        };
        Crop { zoom, ..self }.clamped(w, h)
    }

    /// Moves the centre by `(dx, dy)` source pixels, keeping the rectangle inside the picture. Non-finite
    /// offsets are ignored.
    pub fn move_by(self, dx: f32, dy: f32, w: u32, h: u32) -> Crop {
        let dx = if dx.is_finite() { dx } else { 0.0 };
        let dy = if dy.is_finite() { dy } else { 0.0 };
        Crop {
            cx: self.cx + dx,
            cy: self.cy + dy,
            ..self
        }
        .clamped(w, h)
    }

    /// The same crop with its centre brought back to where the rectangle fits.
    fn clamped(self, w: u32, h: u32) -> Crop {
        let k = self.steps(w, h);
        Crop {
            zoom: Crop::clamped_zoom(self.zoom, w, h),
            cx: clamp_centre(self.cx, RATIO_W * k, w),
            cy: clamp_centre(self.cy, RATIO_H * k, h),
        }
    }
}

/// Copies the rectangle's rows out of the picture.
fn crop_rows(img: &RgbImage, r: CropRect) -> Result<RgbImage, PhotoError> {
    let stride = img.width() as usize * 3;
    let row_len = r.width as usize * 3;
    let mut out = Vec::with_capacity(row_len * r.height as usize);
    for y in r.y..r.y + r.height {
        let start = y as usize * stride + r.x as usize * 3;
        let row = img
            .as_raw()
            .get(start..start + row_len)
            .ok_or_else(|| PhotoError::Encode("crop outside the picture".to_string()))?;
        out.extend_from_slice(row);
    }
    RgbImage::from_raw(r.width, r.height, out)
        .ok_or_else(|| PhotoError::Encode("crop buffer size".to_string()))
}

/// Encodes a 300x376 picture, lowering the quality step by step until it fits in [`MAX_JPEG_BYTES`].
fn encode_within_limit(img: &RgbImage) -> Result<Jpeg, PhotoError> {
    let mut smallest = usize::MAX;
    for quality in QUALITIES {
        let mut bytes = Vec::with_capacity(64 * 1024);
        JpegEncoder::new_with_quality(&mut bytes, quality)
            .encode(
                img.as_raw(),
                img.width(),
                img.height(),
                ExtendedColorType::Rgb8,
            )
            .map_err(|e| PhotoError::Encode(e.to_string()))?;
        if bytes.len() <= MAX_JPEG_BYTES {
            return Ok(Jpeg {
                bytes,
                width: img.width(),
                height: img.height(),
                quality: Some(quality),
            });
        }
        smallest = smallest.min(bytes.len());
    }
    Err(PhotoError::OutputTooLarge {
        bytes: smallest,
        max: MAX_JPEG_BYTES,
    })
}

/// Cuts the crop out of an upright picture, resizes it to exactly 300x376 with a Lanczos3 filter (sharp
/// without ringing at these ratios) and encodes it within [`MAX_JPEG_BYTES`].
pub fn crop_to_jpeg(img: &RgbImage, crop: &Crop) -> Result<Jpeg, PhotoError> {
    let (w, h) = img.dimensions();
    let rect = crop.rect(w, h);
    if rect.width < PHOTO_WIDTH || rect.height < PHOTO_HEIGHT {
        return Err(PhotoError::too_small(w, h));
    }
    let cropped = crop_rows(img, rect)?;
    let sized = if cropped.dimensions() == (PHOTO_WIDTH, PHOTO_HEIGHT) {
        cropped
    } else {
        let mut dynamic = DynamicImage::ImageRgb8(cropped);
        // Large crops are first area-averaged to twice the output size (fast, integer), then Lanczos3 does
        // the last step: the same result to the eye as Lanczos3 all the way, ten times faster on a
        // 12-Mpx photo, where the filter's support would span 60 source pixels.
        if rect.width > 2 * PHOTO_WIDTH {
            dynamic = dynamic.thumbnail_exact(2 * PHOTO_WIDTH, 2 * PHOTO_HEIGHT);
        }
        dynamic
            .resize_exact(PHOTO_WIDTH, PHOTO_HEIGHT, FilterType::Lanczos3)
            .into_rgb8()
    };
    encode_within_limit(&sized)
}

/// The whole pipeline for an imported file or a captured frame: decode, upright, crop (the operator's, or
/// [`Crop::initial`]), resize, encode.
pub fn process(bytes: &[u8], crop: Option<Crop>) -> Result<Jpeg, PhotoError> {
    process_frame(&decode_upright(bytes)?.image, crop)
}

/// The pipeline for a webcam frame, already upright RGB: crop (the operator's, or [`Crop::initial`]), resize,
/// encode. Frames below 300x376 are refused like files.
pub fn process_frame(frame: &RgbImage, crop: Option<Crop>) -> Result<Jpeg, PhotoError> {
    let (w, h) = frame.dimensions();
    let crop = crop.unwrap_or_else(|| Crop::initial(w, h));
    crop_to_jpeg(frame, &crop)
}

/// What [`reuse`] made of a stored or directory photo.
#[derive(Debug, Clone, PartialEq)]
pub enum Reuse {
    /// Already a card photo (300x376 JPEG, upright, within the size limit, decodes): kept byte for byte.
    Ready(Jpeg),
    /// A larger picture: the operator frames it (or the GUI applies [`Crop::initial`]) and it is encoded
    /// with [`crop_to_jpeg`].
    Crop(Upright),
}

/// Reuses the previous card's photo or the directory's `jpegPhoto`. A stored card photo within the limits is
/// kept as it is, so reusing it again and again does not degrade it. Anything else goes through
/// [`decode_upright`]: directory photos are often smaller than 300x376, and the resulting
/// [`PhotoError::TooSmall`] tells the operator to take a new photo.
pub fn reuse(bytes: &[u8]) -> Result<Reuse, PhotoError> {
    if bytes.len() <= MAX_JPEG_BYTES && sniff(bytes)? == ImageFormat::Jpeg {
        let mut decoder = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Jpeg)
            .into_decoder()
            .map_err(PhotoError::decoding)?;
        let upright = decoder
            .orientation()
            .map(|o| o == Orientation::NoTransforms)
            .unwrap_or(false);
        if decoder.dimensions() == (PHOTO_WIDTH, PHOTO_HEIGHT) && upright {
            // Decode fully once: a truncated or corrupt blob must not be printed.
            DynamicImage::from_decoder(decoder).map_err(PhotoError::decoding)?;
            return Ok(Reuse::Ready(Jpeg {
                bytes: bytes.to_vec(),
                width: PHOTO_WIDTH,
                height: PHOTO_HEIGHT,
                quality: None,
            }));
        }
    }
    decode_upright(bytes).map(Reuse::Crop)
}

/// The size of a `w`x`h` picture scaled to fit in `max_w`x`max_h`, keeping its ratio, never enlarged, at
/// least 1x1. The GUI uses it to map view coordinates back to source pixels.
pub fn fit_size(w: u32, h: u32, max_w: u32, max_h: u32) -> (u32, u32) {
    let (w, h) = (w.max(1), h.max(1));
    let (max_w, max_h) = (max_w.max(1), max_h.max(1));
    if w <= max_w && h <= max_h {
        return (w, h);
    }
    let scale = (f64::from(max_w) / f64::from(w)).min(f64::from(max_h) / f64::from(h));
    let fw = (f64::from(w) * scale).round().clamp(1.0, f64::from(max_w));
    let fh = (f64::from(h) * scale).round().clamp(1.0, f64::from(max_h));
    (fw as u32, fh as u32)
}

/// A preview of the picture for the crop view, fitting in `max_w`x`max_h` ([`fit_size`]), as RGBA for
/// `iced::widget::image::Handle::from_rgba`.
pub fn thumbnail_rgba(img: &RgbImage, max_w: u32, max_h: u32) -> RgbaImage {
    let (w, h) = fit_size(img.width(), img.height(), max_w, max_h);
    if img.width() == 0 || img.height() == 0 {
        return RgbaImage::from_pixel(w, h, image::Rgba([255; 4]));
    }
    let dynamic = DynamicImage::ImageRgb8(img.clone());
    if (w, h) == img.dimensions() {
        dynamic.into_rgba8()
    } else {
        // Through `DynamicImage` rather than the generic `imageops::thumbnail`, so the work runs in the
        // optimised `image` crate even in a debug build of Guichet.
        dynamic.thumbnail_exact(w, h).into_rgba8()
    }
}

#[cfg(test)]
#[path = "photo_tests.rs"]
mod tests;
