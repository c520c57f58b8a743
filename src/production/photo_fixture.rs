//! Camera-like JPEG files for the photo tests and the photo benchmark: an EXIF APP1 segment carrying only an
//! orientation tag, inserted where cameras put it. Not used by the application itself.

/// An APP1 "Exif" segment whose IFD0 holds one Orientation (0x0112) entry, in either byte order.
pub fn exif_app1(orientation: u16, little_endian: bool) -> Vec<u8> {
    let u16b = |v: u16| {
        if little_endian {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    };
    let u32b = |v: u32| {
        if little_endian {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    };
    let mut tiff = Vec::new();
    tiff.extend_from_slice(if little_endian { b"II" } else { b"MM" });
    tiff.extend_from_slice(&u16b(42));
    tiff.extend_from_slice(&u32b(8)); // IFD0 right after the header
    tiff.extend_from_slice(&u16b(1)); // one entry
    tiff.extend_from_slice(&u16b(0x0112));
    tiff.extend_from_slice(&u16b(3)); // SHORT
    tiff.extend_from_slice(&u32b(1));
    tiff.extend_from_slice(&u16b(orientation));
    tiff.extend_from_slice(&[0, 0]); // value field padding
    tiff.extend_from_slice(&u32b(0)); // no next IFD
    let mut seg = vec![0xFF, 0xE1];
    let len = u16::try_from(2 + 6 + tiff.len()).unwrap_or(u16::MAX);
    seg.extend_from_slice(&len.to_be_bytes());
    seg.extend_from_slice(b"Exif\0\0");
    seg.extend_from_slice(&tiff);
    seg
}

/// Inserts `segment` after SOI and the JFIF APP0 segment, where cameras put their EXIF block.
pub fn with_segment(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    let at = match jpeg.get(2..6) {
        Some([0xFF, 0xE0, hi, lo]) => 4 + usize::from(u16::from_be_bytes([*hi, *lo])),
        _ => 2,
    }
    .min(jpeg.len());
    let mut out = jpeg[..at].to_vec();
    out.extend_from_slice(segment);
    out.extend_from_slice(&jpeg[at..]);
    out
}

/// `img` as a baseline JPEG of the given quality.
pub fn jpeg(img: &image::RgbImage, quality: u8) -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    // Encoding into memory fails only on zero-sized pictures, which the fixtures do not make.
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    );
    out
}
