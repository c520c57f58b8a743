//! Pure helpers of the capture path, compiled everywhere so they are tested everywhere: pixel-format
//! codes and preference, and frame conversion to RGB (YUYV by hand, MJPG through `image`'s JPEG decoder).

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits, RgbImage};

use super::WebcamError;

/// A V4L2 four-character code, as `v4l2_fourcc(a, b, c, d)` builds it (little-endian).
pub const fn fourcc(code: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*code)
}

/// Packed 4:2:2 `Y0 U Y1 V`, the format every UVC camera offers uncompressed.
pub const FOURCC_YUYV: u32 = fourcc(b"YUYV");
/// Motion JPEG: one JPEG per frame, often without Huffman tables (the decoder supplies the standard ones).
pub const FOURCC_MJPG: u32 = fourcc(b"MJPG");
/// Plain JPEG frames, which a few drivers announce instead of MJPG.
pub const FOURCC_JPEG: u32 = fourcc(b"JPEG");

/// Longest frame side accepted from a camera's MJPG stream.
const MAX_FRAME_SIDE: u32 = 8192;

/// The pixel formats Guichet can convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    Yuyv,
    /// MJPG or JPEG frames.
    Mjpeg(u32),
}

impl PixelFormat {
    pub fn fourcc(self) -> u32 {
        match self {
            PixelFormat::Yuyv => FOURCC_YUYV,
            PixelFormat::Mjpeg(code) => code,
        }
    }

    pub fn from_fourcc(code: u32) -> Option<PixelFormat> {
        match code {
            FOURCC_YUYV => Some(PixelFormat::Yuyv),
            FOURCC_MJPG | FOURCC_JPEG => Some(PixelFormat::Mjpeg(code)),
            _ => None,
        }
    }
}

/// The formats to try, best first, among those a device `offered` (`VIDIOC_ENUM_FMT`): YUYV first (no
/// compression artefacts on the photo, and no decoding cost), then MJPG, then JPEG.
pub fn preferred_formats(offered: &[u32]) -> Vec<PixelFormat> {
    [FOURCC_YUYV, FOURCC_MJPG, FOURCC_JPEG]
        .into_iter()
        .filter(|c| offered.contains(c))
        .filter_map(PixelFormat::from_fourcc)
        .collect()
}

/// A four-character code for messages: printable ASCII as is, anything else in hex.
pub fn fourcc_name(code: u32) -> String {
    let bytes = code.to_le_bytes();
    if bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        bytes.iter().map(|&b| char::from(b)).collect::<String>()
    } else {
        format!("{code:#010x}")
    }
}

/// Saturates a fixed-point (x256) colour value to a byte.
fn to_byte(v: i32) -> u8 {
    u8::try_from((v >> 8).clamp(0, 255)).unwrap_or(u8::MAX)
}

/// One pixel from limited-range BT.601 Y'CbCr (what UVC cameras send), in integer arithmetic:
/// R = 1.164(Y-16) + 1.596(V-128), G = 1.164(Y-16) - 0.392(U-128) - 0.813(V-128), B = 1.164(Y-16) + 2.017(U-128).
pub fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = 298 * (i32::from(y) - 16) + 128;
    let d = i32::from(u) - 128;
    let e = i32::from(v) - 128;
    [
        to_byte(c + 409 * e),
        to_byte(c - 100 * d - 208 * e),
        to_byte(c + 516 * d),
    ]
}

/// Converts a YUYV frame of `width`x`height` whose lines are `stride` bytes apart (`bytesperline`, at least
/// `2 * width` rounded up to whole `Y0 U Y1 V` groups). A short buffer is an error, never a panic.
pub fn yuyv_to_rgb(
    data: &[u8],
    width: u32,
    height: u32,
    stride: u32,
) -> Result<RgbImage, WebcamError> {
    let groups = width.div_ceil(2) as usize;
    let stride = stride as usize;
    if width == 0 || height == 0 || stride < groups * 4 {
        return Err(WebcamError::Frame(format!(
            "bad YUYV geometry {width}x{height}, {stride} bytes per line"
        )));
    }
    let needed = stride * (height as usize - 1) + groups * 4;
    if data.len() < needed {
        return Err(WebcamError::Frame(format!(
            "YUYV frame of {} bytes, {needed} expected",
            data.len()
        )));
    }
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    for line in data.chunks(stride).take(height as usize) {
        let mut remaining = width as usize;
        for group in line.chunks_exact(4).take(groups) {
            if let [y0, u, y1, v] = *group {
                out.extend_from_slice(&yuv_to_rgb(y0, u, v));
                if remaining >= 2 {
                    out.extend_from_slice(&yuv_to_rgb(y1, u, v));
                }
            }
            remaining = remaining.saturating_sub(2);
        }
    }
    RgbImage::from_raw(width, height, out)
        .ok_or_else(|| WebcamError::Frame("YUYV conversion size".to_string()))
}

/// Decodes one MJPG/JPEG frame.
pub fn mjpeg_to_rgb(data: &[u8]) -> Result<RgbImage, WebcamError> {
    let mut reader = ImageReader::with_format(Cursor::new(data), ImageFormat::Jpeg);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_FRAME_SIDE);
    limits.max_image_height = Some(MAX_FRAME_SIDE);
    reader.limits(limits);
    reader
        .decode()
        .map(|img| img.into_rgb8())
        .map_err(|e| WebcamError::Frame(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourcc_codes_match_the_kernel_values() {
        // linux/videodev2.h: V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_JPEG.
        assert_eq!(FOURCC_YUYV, 0x5659_5559);
        assert_eq!(FOURCC_MJPG, 0x4750_4a4d);
        assert_eq!(FOURCC_JPEG, 0x4745_504a);
        assert_eq!(fourcc_name(FOURCC_MJPG), "MJPG");
        assert_eq!(fourcc_name(0x0000_0001), "0x00000001");
    }

    #[test]
    fn format_preference_is_yuyv_then_mjpg() {
        let nv12 = fourcc(b"NV12");
        assert_eq!(
            preferred_formats(&[FOURCC_MJPG, nv12, FOURCC_YUYV]),
            vec![PixelFormat::Yuyv, PixelFormat::Mjpeg(FOURCC_MJPG)]
        );
        assert_eq!(
            preferred_formats(&[FOURCC_JPEG]),
            vec![PixelFormat::Mjpeg(FOURCC_JPEG)]
        );
        assert!(preferred_formats(&[nv12]).is_empty());
        assert!(preferred_formats(&[]).is_empty());
        for f in [PixelFormat::Yuyv, PixelFormat::Mjpeg(FOURCC_MJPG)] {
            assert_eq!(PixelFormat::from_fourcc(f.fourcc()), Some(f));
        }
    }

    #[test]
    fn yuv_reference_colours() {
        // Limited-range black, white and the BT.601 primaries (values from the 75 % colour-bar tables,
        // at 100 % here).
        assert_eq!(yuv_to_rgb(16, 128, 128), [0, 0, 0]);
        assert_eq!(yuv_to_rgb(235, 128, 128), [255, 255, 255]);
        let close = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 2);
        assert!(close(yuv_to_rgb(81, 90, 240), [255, 0, 0]));
        assert!(close(yuv_to_rgb(145, 54, 34), [0, 255, 0]));
        assert!(close(yuv_to_rgb(41, 240, 110), [0, 0, 255]));
        // Out-of-range input saturates instead of wrapping.
        assert_eq!(yuv_to_rgb(255, 255, 255)[0], 255);
        assert_eq!(yuv_to_rgb(0, 0, 0)[2], 0);
    }

    #[test]
    fn yuyv_frames_with_padding_and_odd_width() {
        // 3x2, lines padded to 12 bytes: each line is [white, black] then [red, (dropped)].
        let line = [235, 128, 16, 128, 81, 90, 81, 240, 0xEE, 0xEE, 0xEE, 0xEE];
        let data = [line, line].concat();
        let img = yuyv_to_rgb(&data, 3, 2, 12).expect("converts");
        assert_eq!(img.dimensions(), (3, 2));
        assert_eq!(img.get_pixel(0, 1).0, [255, 255, 255]);
        assert_eq!(img.get_pixel(1, 1).0, [0, 0, 0]);
        assert!(img.get_pixel(2, 0)[0] > 250 && img.get_pixel(2, 0)[2] < 5);
        // The last line need not carry its padding.
        assert!(yuyv_to_rgb(&data[..20], 3, 2, 12).is_ok());
    }

    #[test]
    fn short_or_inconsistent_yuyv_is_an_error() {
        assert!(yuyv_to_rgb(&[0; 7], 2, 2, 4).is_err());
        assert!(yuyv_to_rgb(&[0; 16], 4, 2, 4).is_err()); // stride below 2*width
        assert!(yuyv_to_rgb(&[], 0, 0, 0).is_err());
        assert!(yuyv_to_rgb(&[0; 8], 2, 2, 4).is_ok());
    }

    #[test]
    fn mjpeg_frames_decode_and_garbage_fails() {
        let img = RgbImage::from_pixel(64, 48, image::Rgb([10, 200, 30]));
        let mut jpeg = Vec::new();
        img.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .expect("encodes");
        let back = mjpeg_to_rgb(&jpeg).expect("decodes");
        assert_eq!(back.dimensions(), (64, 48));
        assert!(mjpeg_to_rgb(b"").is_err());
        assert!(mjpeg_to_rgb(&[0xFF, 0xD8, 0xFF, 0x00, 0x12]).is_err());
        for len in (0..jpeg.len()).step_by(11) {
            let _ = mjpeg_to_rgb(&jpeg[..len]);
        }
    }
}
