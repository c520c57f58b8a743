//! `make bench`, card production part (issue #4): a 1,000-card batch PDF (rendering alone, then the whole
//! `guichet print --batch` with its state changes), one card preview as the Desk shows it, the 1016×648
//! printer bitmap, and the photo pipeline for a camera picture and a webcam frame. Replaces the "Card
//! production" section of BENCHMARKS.md.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use guichet::config::PrintConfig;
use guichet::domain::card::{CardId, CardState};
use guichet::production::catalog::Catalog;
use guichet::production::photo::{self, Crop};
use guichet::production::photo_fixture::{exif_app1, jpeg, with_segment};
use guichet::production::{job, pdf, raster};
use guichet::store::Store;
use guichet::store::campaign::{self, CardFilter};
use guichet::ui_text;
use image::{Rgb, RgbImage};
use support::{binary, median, percentile};

/// Enough persons for the demo to hold more than 1,000 cards waiting to be printed (about 1.5 % of them).
const PERSONS: usize = 72_000;
const BATCH: usize = 1_000;
const PREVIEWS: usize = 200;
const BITMAPS: usize = 50;
const CAMERA_RUNS: usize = 10;
const WEBCAM_RUNS: usize = 30;
/// The Desk's preview size (gui::prod_jobs::PREVIEW_WIDTH × PREVIEW_HEIGHT).
const PREVIEW: (u32, u32) = (508, 324);

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// A 12-megapixel phone picture, stored landscape with EXIF orientation 6 (turn 90° clockwise), as phones
/// save portraits: a demo portrait enlarged, with fine noise so the JPEG is as heavy as a real one.
fn camera_jpeg(portrait: &[u8]) -> Vec<u8> {
    let face = image::load_from_memory(portrait)
        .expect("demo portrait")
        .to_rgb8();
    let upright = image::imageops::resize(&face, 3024, 4032, image::imageops::FilterType::Triangle);
    let mut stored = image::imageops::rotate270(&upright);
    let mut x: u32 = 0x1234_5678;
    for p in stored.pixels_mut() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (x % 9) as i16 - 4;
        *p = Rgb(p.0.map(|c| (c as i16 + n).clamp(0, 255) as u8));
    }
    with_segment(&jpeg(&stored, 90), &exif_app1(6, false))
}

struct Figures {
    pdf_s: f64,
    pdf_mb: f64,
    cli_s: f64,
    cli_cards: usize,
    preview_p50: f64,
    preview_p95: f64,
    render_p50: f64,
    bitmap_p50: f64,
    camera_p50: f64,
    camera_in_mb: f64,
    camera_out_kb: f64,
    webcam_p50: f64,
    webcam_out_kb: f64,
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-production");
    guichet::i18n::set_language(guichet::i18n::Lang::Fr);
    support::demo(&dir, PERSONS);

    let store = Store::open(&dir.join("guichet.db")).expect("open the demo database");
    let filter = CardFilter {
        state: Some(CardState::RequestChecked),
        limit: BATCH,
        ..Default::default()
    };
    let ids: Vec<CardId> = store
        .read(|c| campaign::select(c, &filter))
        .expect("select the batch")
        .into_iter()
        .map(|c| c.card_id)
        .collect();
    assert_eq!(ids.len(), BATCH, "the demo has too few cards waiting");
    let catalog = Catalog::load(&dir);
    let cfg = PrintConfig::default();
    let labels = ui_text::affiliation;

    // 1. The batch PDF alone: each card's data read and laid out with its population's template, then one
    //    PDF for the whole batch (what "save as PDF" writes), without changing any card.
    eprintln!("batch PDF: {BATCH} cards…");
    let t = Instant::now();
    let layouts: Vec<_> = ids
        .iter()
        .map(|&id| {
            store
                .read(|c| Ok(job::layout(c, &catalog, &cfg, id, labels)))
                .expect("read card")
                .expect("layout")
                .0
        })
        .collect();
    let bytes = pdf::cards_pdf("bench", &layouts).expect("batch PDF");
    let pdf_s = t.elapsed().as_secs_f64();
    let pdf_mb = bytes.len() as f64 / 1_048_576.0;
    drop(layouts);

    // 2. The preview the Desk shows when a card is opened: template catalogue, card data, layout, both faces
    //    rendered at the preview size. Also the rendering alone (front face).
    eprintln!("previews: {PREVIEWS} cards…");
    let mut preview = Vec::with_capacity(PREVIEWS);
    let mut render = Vec::with_capacity(PREVIEWS);
    for &id in ids.iter().take(PREVIEWS) {
        let t = Instant::now();
        let catalog = Catalog::load(&dir);
        let (lay, _) = store
            .read(|c| Ok(job::layout(c, &catalog, &cfg, id, labels)))
            .expect("read card")
            .expect("layout");
        let front = raster::render(&lay.front, PREVIEW.0, PREVIEW.1);
        let back = lay
            .back
            .as_ref()
            .map(|b| raster::render(b, PREVIEW.0, PREVIEW.1));
        preview.push(ms(t));
        std::hint::black_box((front, back));
        let t = Instant::now();
        std::hint::black_box(raster::render(&lay.front, PREVIEW.0, PREVIEW.1));
        render.push(ms(t));
    }
    preview.sort_by(f64::total_cmp);

    // 3. The printer bitmap: front face at 1016×648, PNG-encoded.
    eprintln!("bitmaps: {BITMAPS}…");
    let mut bitmap = Vec::with_capacity(BITMAPS);
    for &id in ids.iter().take(BITMAPS) {
        let (lay, _) = store
            .read(|c| Ok(job::layout(c, &catalog, &cfg, id, labels)))
            .expect("read card")
            .expect("layout");
        let t = Instant::now();
        std::hint::black_box(
            raster::png(&lay.front, raster::BITMAP_WIDTH, raster::BITMAP_HEIGHT).expect("png"),
        );
        bitmap.push(ms(t));
    }
    drop(store);

    // 4. The whole campaign from the command line: IN_PRINT, layout, one PDF file, PRINTED, per-card JSON.
    eprintln!("guichet print --batch: {BATCH} cards…");
    let out_pdf = dir.join("batch.pdf");
    let t = Instant::now();
    let out = Command::new(binary())
        .arg("--data-dir")
        .arg(&dir)
        .args(["--json", "print", "--batch", "--state", "REQUEST_CHECKED"])
        .args(["--limit", &BATCH.to_string(), "--pdf"])
        .arg(&out_pdf)
        .output()
        .expect("run guichet print");
    let cli_s = t.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli_cards = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"printed\""))
        .count();
    assert_eq!(cli_cards, BATCH, "every card of the batch is printed");

    // 5. Photos: a phone picture (decode, turn upright, crop, resize, JPEG ≤ 200 KB) and a 1280×720 webcam frame.
    eprintln!("photos…");
    let portrait = guichet::demo::portrait::pool(7, 1).expect("demo portrait");
    let camera = camera_jpeg(&portrait[0]);
    let mut camera_t = Vec::with_capacity(CAMERA_RUNS);
    let mut camera_out = 0;
    for _ in 0..CAMERA_RUNS {
        let t = Instant::now();
        let jpeg = photo::process(&camera, None).expect("camera photo");
        camera_t.push(ms(t));
        assert!(jpeg.bytes.len() <= 200 * 1024);
        camera_out = jpeg.bytes.len();
    }
    let frame: RgbImage = image::imageops::resize(
        &image::load_from_memory(&portrait[0])
            .expect("portrait")
            .to_rgb8(),
        1280,
        720,
        image::imageops::FilterType::Triangle,
    );
    let mut webcam_t = Vec::with_capacity(WEBCAM_RUNS);
    let mut webcam_out = 0;
    for _ in 0..WEBCAM_RUNS {
        let t = Instant::now();
        let crop = Crop::initial(frame.width(), frame.height());
        let jpeg = photo::process_frame(&frame, Some(crop)).expect("webcam frame");
        webcam_t.push(ms(t));
        webcam_out = jpeg.bytes.len();
    }

    let f = Figures {
        pdf_s,
        pdf_mb,
        cli_s,
        cli_cards,
        preview_p50: percentile(&preview, 0.5),
        preview_p95: percentile(&preview, 0.95),
        render_p50: median(&mut render),
        bitmap_p50: median(&mut bitmap),
        camera_p50: median(&mut camera_t),
        camera_in_mb: camera.len() as f64 / 1_048_576.0,
        camera_out_kb: camera_out as f64 / 1024.0,
        webcam_p50: median(&mut webcam_t),
        webcam_out_kb: webcam_out as f64 / 1024.0,
    };
    let section = report(&f);
    support::write_section("production-bench", &section);
    println!("{section}");
}

fn report(f: &Figures) -> String {
    let mut s = String::from("## Card production (issue #4)\n\n");
    s.push_str(&format!(
        "Demo institution of {PERSONS} persons; the batch is the first {BATCH} cards in state REQUEST_CHECKED, \
         with their photos, laid out with the built-in templates; release build, same run.\n\n"
    ));
    s.push_str("| what | figure | goal | baseline (same run) |\n|---|---|---|---|\n");
    s.push_str(&format!(
        "| batch PDF, {BATCH} cards, two faces each (read, lay out, one PDF; {:.0} MB) | {:.2} s: **{:.0} cards/s** | ≥ 50 cards/s | see below |\n",
        f.pdf_mb,
        f.pdf_s,
        BATCH as f64 / f.pdf_s
    ));
    s.push_str(&format!(
        "| `guichet print --batch --limit {BATCH} --pdf` (IN_PRINT, PDF file, PRINTED, history) | {:.2} s: {:.0} cards/s ({} cards) | ≥ 50 cards/s | — |\n",
        f.cli_s,
        f.cli_cards as f64 / f.cli_s,
        f.cli_cards
    ));
    s.push_str(&format!(
        "| card preview at the Desk ({}×{}, both faces, templates and card read; {PREVIEWS} cards), p50 | {:.1} ms | < 30 ms | — |\n",
        PREVIEW.0, PREVIEW.1, f.preview_p50
    ));
    s.push_str(&format!(
        "| card preview, p95 | {:.1} ms | < 30 ms | — |\n",
        f.preview_p95
    ));
    s.push_str(&format!(
        "| front face rendering alone at preview size, p50 | {:.1} ms | — | — |\n",
        f.render_p50
    ));
    s.push_str(&format!(
        "| printer bitmap 1016×648 (300 dpi) rendered and PNG-encoded, p50 | {:.1} ms | — | — |\n",
        f.bitmap_p50
    ));
    s.push_str(&format!(
        "| photo from a 12-megapixel phone picture ({:.1} MB JPEG, EXIF orientation 6): decode, upright, crop, 300×376 JPEG of {:.0} KB, p50 | {:.0} ms | — | — |\n",
        f.camera_in_mb, f.camera_out_kb, f.camera_p50
    ));
    s.push_str(&format!(
        "| photo from a 1280×720 webcam frame (crop, resize, JPEG of {:.0} KB), p50 | {:.1} ms | — | — |\n\n",
        f.webcam_out_kb, f.webcam_p50
    ));
    s.push_str(
        "ESUP-SGC's reference pipeline (desfire.md §14.1) renders each card's HTML page to PDF with headless \
         Chromium, then converts it with ImageMagick to a 1016×648 bitmap: one browser render and one image \
         conversion per card. It was not measured here: it runs inside the ESUP-SGC Java web application \
         and its esup-sgc-client, which this machine does not run, so no per-card figure is given for it.\n\n",
    );
    s
}
