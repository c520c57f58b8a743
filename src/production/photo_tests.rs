use super::*;
use crate::production::photo_fixture::{exif_app1, jpeg, with_segment};
use image::codecs::png::PngEncoder;
use image::{ImageEncoder, Rgb, Rgba};

const RED: Rgb<u8> = Rgb([230, 20, 20]);
const BLUE: Rgb<u8> = Rgb([20, 20, 230]);
const GREY: Rgb<u8> = Rgb([128, 128, 128]);

fn jpeg_of(img: &RgbImage) -> Vec<u8> {
    jpeg(img, 95)
}

fn png_of(raw: &[u8], w: u32, h: u32, color: ExtendedColorType) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(raw, w, h, color)
        .expect("encoding a test PNG");
    out
}

/// `len` pseudo-random bytes (xorshift32), high-entropy like sensor noise.
fn noise(len: usize, seed: u32) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

fn plain(w: u32, h: u32) -> RgbImage {
    RgbImage::from_pixel(w, h, GREY)
}

/// An APP1 segment carrying a TIFF header and one IFD0 entry: Orientation (0x0112), SHORT, count 1.
fn near(px: Rgb<u8>, want: Rgb<u8>) -> bool {
    px.0.iter()
        .zip(want.0.iter())
        .all(|(a, b)| a.abs_diff(*b) < 40)
}

/// Where stored pixel (x, y) of a `sw`x`sh` picture is displayed for each EXIF orientation, written from the
/// spec's table (0th row / 0th column positions), independently of the code under test.
fn displayed_at(orientation: u8, x: u32, y: u32, sw: u32, sh: u32) -> (u32, u32) {
    match orientation {
        1 => (x, y),
        2 => (sw - 1 - x, y),
        3 => (sw - 1 - x, sh - 1 - y),
        4 => (x, sh - 1 - y),
        5 => (y, x),
        6 => (sh - 1 - y, x),
        7 => (sh - 1 - y, sw - 1 - x),
        8 => (y, sw - 1 - x),
        _ => unreachable!("test orientations are 1..=8"),
    }
}

#[test]
fn exif_orientations_1_to_8_turn_the_picture_upright() {
    // Stored 380x420 with a red block at the top-left and a blue one at the top-right.
    let (sw, sh) = (380, 420);
    let mut stored = plain(sw, sh);
    for y in 0..32 {
        for x in 0..32 {
            stored.put_pixel(x, y, RED);
            stored.put_pixel(sw - 1 - x, y, BLUE);
        }
    }
    let base = jpeg_of(&stored);
    for orientation in 1..=8u8 {
        for little_endian in [false, true] {
            let bytes = with_segment(&base, &exif_app1(u16::from(orientation), little_endian));
            let up = decode_upright(&bytes).expect("decodes");
            assert_eq!(up.orientation, orientation);
            let dims = if orientation >= 5 { (sh, sw) } else { (sw, sh) };
            assert_eq!(up.image.dimensions(), dims, "orientation {orientation}");
            // Block centres: stored (16, 16) is red, stored (sw-17, 16) is blue.
            let (rx, ry) = displayed_at(orientation, 16, 16, sw, sh);
            let (bx, by) = displayed_at(orientation, sw - 17, 16, sw, sh);
            assert!(
                near(*up.image.get_pixel(rx, ry), RED),
                "orientation {orientation}: red not at ({rx}, {ry})"
            );
            assert!(
                near(*up.image.get_pixel(bx, by), BLUE),
                "orientation {orientation}: blue not at ({bx}, {by})"
            );
        }
    }
}

#[test]
fn missing_or_invalid_orientation_leaves_the_picture_as_is() {
    let mut stored = plain(300, 376);
    stored.put_pixel(0, 0, RED);
    let base = jpeg_of(&stored);
    for bytes in [
        base.clone(),
        with_segment(&base, &exif_app1(0, false)),
        with_segment(&base, &exif_app1(9, true)),
        with_segment(&base, &exif_app1(0xFFFF, false)),
        // An APP1 "Exif" block whose TIFF content is garbage.
        with_segment(
            &base,
            &[0xFF, 0xE1, 0, 12, b'E', b'x', b'i', b'f', 0, 0, 1, 2, 3, 4],
        ),
    ] {
        let up = decode_upright(&bytes).expect("decodes");
        assert_eq!(up.orientation, 1);
        assert_eq!(up.image.dimensions(), (300, 376));
    }
}

#[test]
fn apply_orientation_moves_the_marked_corner() {
    let (sw, sh) = (3, 2);
    let mut img = RgbImage::new(sw, sh);
    img.put_pixel(0, 0, RED);
    for orientation in 1..=8u8 {
        let out = apply_orientation(img.clone(), orientation);
        let (x, y) = displayed_at(orientation, 0, 0, sw, sh);
        assert_eq!(*out.get_pixel(x, y), RED, "orientation {orientation}");
    }
    assert_eq!(apply_orientation(img.clone(), 0), img);
    assert_eq!(apply_orientation(img.clone(), 200), img);
}

#[test]
fn size_limits_refuse_299x376_and_300x375_accept_300x376() {
    for (w, h) in [(299, 376), (300, 375), (96, 120)] {
        for bytes in [
            jpeg_of(&plain(w, h)),
            png_of(plain(w, h).as_raw(), w, h, ExtendedColorType::Rgb8),
        ] {
            assert_eq!(
                decode_upright(&bytes),
                Err(PhotoError::TooSmall {
                    width: w,
                    height: h,
                    min_width: 300,
                    min_height: 376
                })
            );
        }
    }
    let jpeg = process(&jpeg_of(&plain(300, 376)), None).expect("exact size accepted");
    assert_eq!((jpeg.width, jpeg.height), (PHOTO_WIDTH, PHOTO_HEIGHT));
}

#[test]
fn rotation_is_applied_before_the_size_check() {
    // Stored 376x300 with "rotate 90°": upright it is 300x376 and fits.
    let bytes = with_segment(&jpeg_of(&plain(376, 300)), &exif_app1(6, false));
    assert_eq!(
        decode_upright(&bytes).map(|u| u.image.dimensions()),
        Ok((300, 376))
    );
    // Stored 300x376 with "rotate 90°": upright it is 376x300, too short.
    let bytes = with_segment(&jpeg_of(&plain(300, 376)), &exif_app1(8, true));
    assert!(matches!(
        decode_upright(&bytes),
        Err(PhotoError::TooSmall {
            width: 376,
            height: 300,
            ..
        })
    ));
}

/// A valid small JPEG whose SOF0 header claims `w`x`h`.
fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut bytes = jpeg_of(&plain(16, 16));
    let sof = bytes
        .windows(2)
        .position(|m| m == [0xFF, 0xC0])
        .expect("baseline SOF0 marker");
    bytes[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    bytes
}

#[test]
fn absurd_dimensions_are_refused_before_decoding() {
    for (w, h) in [(12_001, 500), (500, 13_000), (10_000, 9_000)] {
        assert!(
            matches!(
                decode_upright(&jpeg_claiming(w, h)),
                Err(PhotoError::TooLarge { width, height, .. })
                    if (width, height) == (u32::from(w), u32::from(h))
            ),
            "{w}x{h}"
        );
    }
}

#[test]
fn garbage_and_truncated_input_give_errors_never_panics() {
    assert_eq!(decode_upright(&[]), Err(PhotoError::NotAnImage));
    assert_eq!(process(b"hello, world", None), Err(PhotoError::NotAnImage));
    let noise = noise(4096, 0x1234_5678);
    assert!(decode_upright(&noise).is_err());
    // Valid signatures followed by garbage.
    let mut fake_jpeg = vec![0xFF, 0xD8, 0xFF];
    fake_jpeg.extend_from_slice(&noise);
    assert!(decode_upright(&fake_jpeg).is_err());
    let mut fake_png = b"\x89PNG\r\n\x1a\n".to_vec();
    fake_png.extend_from_slice(&noise);
    assert!(decode_upright(&fake_png).is_err());
    // Every truncation of real files: an error or, for a tolerant decoder, a picture of the right size.
    let jpeg = jpeg_of(&plain(300, 376));
    let png = png_of(plain(300, 376).as_raw(), 300, 376, ExtendedColorType::Rgb8);
    for file in [&jpeg, &png] {
        for len in (0..file.len()).step_by(7) {
            let cut = &file[..len];
            if let Ok(up) = decode_upright(cut) {
                assert_eq!(up.image.dimensions(), (300, 376));
            }
            let _ = reuse(cut);
        }
    }
}

#[test]
fn other_formats_are_named() {
    assert_eq!(
        decode_upright(b"GIF89a\x2c\x01\x78\x01\x00\x00\x00"),
        Err(PhotoError::Unsupported {
            format: "GIF".to_string()
        })
    );
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert_eq!(
        decode_upright(heic),
        Err(PhotoError::Unsupported {
            format: "HEIC".to_string()
        })
    );
}

#[test]
fn png_input_works_and_transparency_becomes_white() {
    let bytes = png_of(plain(400, 500).as_raw(), 400, 500, ExtendedColorType::Rgb8);
    let jpeg = process(&bytes, None).expect("PNG accepted");
    assert_eq!((jpeg.width, jpeg.height), (300, 376));

    // Transparent picture with an opaque red square in the middle.
    let mut rgba = RgbaImage::from_pixel(300, 376, Rgba([0, 0, 0, 0]));
    for y in 150..230 {
        for x in 110..190 {
            rgba.put_pixel(x, y, Rgba([255, 0, 0, 255]));
        }
    }
    let bytes = png_of(rgba.as_raw(), 300, 376, ExtendedColorType::Rgba8);
    let up = decode_upright(&bytes).expect("RGBA PNG accepted");
    assert_eq!(*up.image.get_pixel(5, 5), Rgb([255, 255, 255]));
    assert_eq!(*up.image.get_pixel(150, 190), Rgb([255, 0, 0]));
}

#[test]
fn noisy_source_still_fits_in_200_kb() {
    let raw = noise(300 * 376 * 3, 0x9E37_79B9);
    let img = RgbImage::from_raw(300, 376, raw).expect("buffer size");
    let jpeg = crop_to_jpeg(&img, &Crop::initial(300, 376)).expect("encodes");
    assert!(jpeg.bytes.len() <= MAX_JPEG_BYTES, "{}", jpeg.bytes.len());
    // Pure noise does not fit at the first quality: the lowering loop must have run.
    assert!(jpeg.quality.is_some_and(|q| q < QUALITIES[0]));
    let back =
        image::load_from_memory_with_format(&jpeg.bytes, ImageFormat::Jpeg).expect("decodes");
    assert_eq!((back.width(), back.height()), (300, 376));
}

#[test]
fn crop_rect_has_the_exact_ratio_and_stays_inside() {
    let sizes = [
        (300, 376),
        (301, 377),
        (640, 480),
        (1080, 1920),
        (4000, 3000),
        (3000, 4000),
        (375, 2000),
        (12_000, 400),
    ];
    let factors = [1.7, 0.3, 10.0, 1.05, f32::NAN, -2.0, f32::INFINITY, 0.0];
    let moves = [
        (0.0, 0.0),
        (-1e9, 1e9),
        (1e9, -1e9),
        (37.5, -12.25),
        (f32::NAN, f32::INFINITY),
    ];
    for (w, h) in sizes {
        let mut crop = Crop::initial(w, h);
        for factor in factors {
            for (dx, dy) in moves {
                crop = crop.zoom_by(factor, w, h).move_by(dx, dy, w, h);
                let r = crop.rect(w, h);
                assert_eq!(
                    r.width * PHOTO_HEIGHT,
                    r.height * PHOTO_WIDTH,
                    "{w}x{h} {r:?}"
                );
                assert!(r.width >= PHOTO_WIDTH && r.height >= PHOTO_HEIGHT);
                assert!(r.x + r.width <= w && r.y + r.height <= h, "{w}x{h} {r:?}");
                assert!(crop.zoom >= 1.0 && crop.zoom <= Crop::max_zoom(w, h));
            }
        }
    }
    // A crop built by hand with absurd values still gives a valid rectangle.
    let wild = Crop {
        zoom: f32::NAN,
        cx: f32::NEG_INFINITY,
        cy: 1e30,
    };
    let r = wild.rect(640, 480);
    assert!(r.x + r.width <= 640 && r.y + r.height <= 480);
}

#[test]
fn zoom_one_is_the_largest_crop_and_max_zoom_is_300x376_pixels() {
    let (w, h) = (4000, 3000);
    let whole = Crop::initial(w, h).rect(w, h);
    // 3000 / 94 = 31 steps: 2325x2914, centred horizontally.
    assert_eq!((whole.width, whole.height), (2325, 2914));
    // 1675 spare columns: 837.5 rounds to 838.
    assert_eq!(whole.x, 838);
    assert_eq!(Crop::max_zoom(w, h), 31.0 / 4.0);
    let max = Crop::initial(w, h).zoom_by(1000.0, w, h);
    assert_eq!(max.zoom, Crop::max_zoom(w, h));
    let r = max.rect(w, h);
    assert_eq!((r.width, r.height), (300, 376));
    // Zooming in keeps the centre; zooming back out is clamped to 1.
    let start = Crop::initial(w, h);
    assert_eq!((max.cx, max.cy), (start.cx, start.cy));
    assert_eq!(max.zoom_by(1e-6, w, h).zoom, 1.0);
    // Pictures of exactly the minimum size cannot zoom.
    assert_eq!(Crop::max_zoom(300, 376), 1.0);
    assert_eq!(Crop::initial(300, 376).zoom_by(2.0, 300, 376).zoom, 1.0);
}

#[test]
fn moving_is_clamped_to_the_picture() {
    let (w, h) = (4000, 3000);
    let crop = Crop::initial(w, h).zoom_by(2.0, w, h);
    let r = crop.rect(w, h);
    let left = crop.move_by(-1e6, -1e6, w, h);
    assert_eq!((left.rect(w, h).x, left.rect(w, h).y), (0, 0));
    let right = crop.move_by(1e6, 1e6, w, h);
    let rr = right.rect(w, h);
    assert_eq!((rr.x + rr.width, rr.y + rr.height), (w, h));
    assert_eq!((rr.width, rr.height), (r.width, r.height));
    // A small move moves the rectangle by as much.
    let moved = crop.move_by(10.0, -20.0, w, h).rect(w, h);
    assert_eq!((moved.x, moved.y), (r.x + 10, r.y - 20));
    // Zooming out near an edge pulls the centre back inside.
    let out = right.zoom_by(0.5, w, h);
    let ro = out.rect(w, h);
    assert_eq!(ro.x + ro.width, w);
    assert_eq!(out.cx, w as f32 - ro.width as f32 / 2.0);
}

#[test]
fn initial_crop_of_a_tall_portrait_sits_above_centre() {
    let (w, h) = (1080, 1920);
    let r = Crop::initial(w, h).rect(w, h);
    // 1080 / 75 = 14 steps: 1050x1316; 604 spare rows, a third above.
    assert_eq!((r.width, r.height), (1050, 1316));
    assert_eq!((r.x, r.y), (15, 201));
}

#[test]
fn crop_to_jpeg_uses_the_chosen_region() {
    // Left half red, right half blue: a crop on the right comes out blue.
    let (w, h) = (1200, 600);
    let mut img = RgbImage::from_pixel(w, h, RED);
    for y in 0..h {
        for x in w / 2..w {
            img.put_pixel(x, y, BLUE);
        }
    }
    let crop = Crop::initial(w, h).move_by(1e6, 0.0, w, h);
    let jpeg = crop_to_jpeg(&img, &crop).expect("encodes");
    let back = image::load_from_memory_with_format(&jpeg.bytes, ImageFormat::Jpeg)
        .expect("decodes")
        .into_rgb8();
    assert!(near(*back.get_pixel(150, 188), BLUE));
    assert!(crop_to_jpeg(&plain(299, 376), &Crop::initial(299, 376)).is_err());
}

#[test]
fn reuse_keeps_a_card_photo_and_explains_a_small_directory_photo() {
    let card = process(&jpeg_of(&plain(640, 800)), None).expect("card photo");
    match reuse(&card.bytes) {
        Ok(Reuse::Ready(j)) => {
            assert_eq!(j.bytes, card.bytes);
            assert_eq!(j.quality, None);
        }
        other => panic!("expected Ready, got {other:?}"),
    }
    // A 96x120 directory photo: too small, with its size.
    assert!(matches!(
        reuse(&jpeg_of(&plain(96, 120))),
        Err(PhotoError::TooSmall {
            width: 96,
            height: 120,
            ..
        })
    ));
    // A larger one goes to the crop view.
    match reuse(&jpeg_of(&plain(480, 600))) {
        Ok(Reuse::Crop(up)) => assert_eq!(up.image.dimensions(), (480, 600)),
        other => panic!("expected Crop, got {other:?}"),
    }
    // A 300x376 photo carrying a rotation is not kept as is.
    let rotated = with_segment(&jpeg_of(&plain(376, 300)), &exif_app1(6, false));
    assert!(matches!(reuse(&rotated), Ok(Reuse::Crop(_))));
    assert_eq!(reuse(b"not a photo"), Err(PhotoError::NotAnImage));
}

#[test]
fn thumbnails_fit_and_keep_the_ratio() {
    assert_eq!(fit_size(4000, 3000, 800, 800), (800, 600));
    assert_eq!(fit_size(300, 376, 800, 800), (300, 376));
    assert_eq!(fit_size(1080, 1920, 400, 400), (225, 400));
    assert_eq!(fit_size(10, 10, 0, 0), (1, 1));
    let thumb = thumbnail_rgba(&plain(1200, 1504), 300, 300);
    assert_eq!(thumb.dimensions(), (239, 300));
    assert_eq!(thumb.get_pixel(100, 100).0, [128, 128, 128, 255]);
    assert_eq!(
        thumbnail_rgba(&RgbImage::new(0, 0), 10, 10).dimensions(),
        (1, 1)
    );
}
