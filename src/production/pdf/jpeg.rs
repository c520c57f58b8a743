//! Just enough of a JPEG header to embed the file in a PDF as is (DCTDecode) instead of decoding and
//! re-compressing it: the frame's size, sample precision and number of components.

/// What the start-of-frame segment of a JPEG says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegInfo {
    pub width: u16,
    pub height: u16,
    pub bits: u8,
    pub components: u8,
    /// Baseline or progressive Huffman coding (SOF0–SOF2), which every PDF reader decodes.
    pub common_coding: bool,
}

impl JpegInfo {
    /// Whether the bytes can go into the PDF unchanged: 8-bit grey or YCbCr/RGB with common coding. CMYK
    /// JPEGs (often stored inverted by Adobe tools) and exotic codings are decoded and re-embedded instead.
    pub fn embeddable(&self) -> bool {
        self.common_coding
            && self.bits == 8
            && matches!(self.components, 1 | 3)
            && self.width > 0
            && self.height > 0
    }
}

/// Reads the first start-of-frame segment; `None` when `bytes` is not a JPEG or is cut before it.
pub fn info(bytes: &[u8]) -> Option<JpegInfo> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2usize;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while *bytes.get(i)? == 0xFF {
            i += 1;
        }
        let marker = *bytes.get(i)?;
        i += 1;
        match marker {
            0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]));
        if len < 2 {
            return None;
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let seg = bytes.get(i + 2..i + 8)?;
            return Some(JpegInfo {
                bits: *seg.first()?,
                height: u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]),
                width: u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]),
                components: *seg.get(5)?,
                common_coding: matches!(marker, 0xC0..=0xC2),
            });
        }
        i = i.checked_add(len)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(color: image::ColorType) -> Vec<u8> {
        let mut out = Vec::new();
        let img: image::DynamicImage = match color {
            image::ColorType::L8 => image::GrayImage::from_pixel(30, 20, image::Luma([90])).into(),
            _ => image::RgbImage::from_pixel(30, 20, image::Rgb([9, 80, 200])).into(),
        };
        img.write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
        out
    }

    #[test]
    fn reads_real_headers() {
        let rgb = info(&encode(image::ColorType::Rgb8)).unwrap();
        assert_eq!(
            (rgb.width, rgb.height, rgb.bits, rgb.components),
            (30, 20, 8, 3)
        );
        assert!(rgb.embeddable());
        let grey = info(&encode(image::ColorType::L8)).unwrap();
        assert_eq!(grey.components, 1);
        assert!(grey.embeddable());
    }

    #[test]
    fn garbage_and_truncated_input_never_panic() {
        let good = encode(image::ColorType::Rgb8);
        for n in 0..good.len().min(400) {
            let _ = info(good.get(..n).unwrap());
        }
        assert_eq!(info(b""), None);
        assert_eq!(info(b"\x89PNG\r\n"), None);
        assert_eq!(info(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00]), None);
        assert_eq!(info(&[0xFF, 0xD8, 0xFF, 0xFF, 0xFF]), None);
        let mut x: u32 = 12345;
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8
                })
                .collect();
            let mut with_soi = vec![0xFF, 0xD8];
            with_soi.extend_from_slice(&bytes);
            let _ = info(&with_soi);
        }
    }
}
