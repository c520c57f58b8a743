//! The card PDF, the printer bitmap and the delivery slip, checked with the tools a print room would use:
//! poppler (`pdfinfo`, `pdftotext`, `pdftoppm`) for page size, text and rendering, zbar (`zbarimg`) to scan
//! the QR code. With `CI=true` a missing tool is a failure, never a skip.
//!
//! Set `CARD_PDF_OUT=<dir>` to keep the files produced, for a look by eye.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use guichet::production::pdf::cards_pdf;
use guichet::production::qr::{QrContent, qr_content};
use guichet::production::raster::{self, BITMAP_HEIGHT, BITMAP_WIDTH};
use guichet::production::slip::{Slip, SlipSection, slip_pdf};
use guichet::production::template::{CardData, CardLayout, Template, layout};

const ESCN: &str = "d88b02c1-894e-1038-a711-001999465982";
const EXPECTED_QR: &str = "http://esc.gg/d88b02c1-894e-1038-a711-001999465982";

/// Whether the poppler and zbar tools are there; without them the test is skipped, except under CI.
fn tools_present() -> bool {
    let missing: Vec<&str> = ["pdfinfo", "pdftotext", "pdftoppm", "zbarimg"]
        .into_iter()
        .filter(|t| Command::new(t).arg("-v").output().is_err())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!("missing tools {missing:?}: install poppler-utils and zbar-tools");
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
    eprintln!("skipped: {msg}");
    false
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The "Pages:" count of `pdfinfo`.
fn page_count(info: &str) -> usize {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

fn keep(path: &Path) {
    if let Ok(dir) = std::env::var("CARD_PDF_OUT") {
        let name = path.file_name().unwrap();
        std::fs::copy(path, Path::new(&dir).join(name)).unwrap();
    }
}

/// A synthetic portrait: a face-coloured oval on a blue-grey background, 300 × 376 like the photo module's.
fn photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 376, |x, y| {
        let (dx, dy) = (x as f32 - 150.0, y as f32 - 170.0);
        if (dx / 85.0).powi(2) + (dy / 110.0).powi(2) < 1.0 {
            image::Rgb([228, 190, 160])
        } else if y > 300 {
            image::Rgb([60, 70, 110])
        } else {
            image::Rgb([170, 185, 200])
        }
    });
    let mut out = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    out
}

fn card() -> CardLayout {
    card_with("default")
}

fn card_with(template_id: &str) -> CardLayout {
    let template = Template::built_in()
        .into_iter()
        .find(|t| t.id == template_id)
        .unwrap();
    let eppn = "hdupre@univ-montval.example";
    let rule = QrContent::Escn {
        prefix: "http://esc.gg/".into(),
    };
    let data = CardData {
        surname: "Dupré-Œuvray".into(),
        given_name: "Hélène".into(),
        display_name: "Hélène Dupré-Œuvray".into(),
        affiliation: "Étudiante — Licence 2 Droit".into(),
        establishment: "Université de Montval".into(),
        student_number: Some("22001234".into()),
        due_date: Some("31/08/2027".into()),
        eppn: Some(eppn.into()),
        escn: Some(ESCN.into()),
        card_id: 1042,
        qr: qr_content(&rule, Some(eppn), Some(ESCN)),
        photo_jpeg: Some(Arc::new(photo())),
        ..CardData::default()
    };
    layout(&template, &data).unwrap()
}

fn zbar(png: &Path) -> String {
    run("zbarimg", &["--raw", "-q", png.to_str().unwrap()])
        .trim_end()
        .to_string()
}

#[test]
fn card_pdf_has_cr80_pages_text_and_a_scannable_qr() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("card.pdf");
    std::fs::write(&pdf_path, cards_pdf("Carte", &[card()]).unwrap()).unwrap();
    keep(&pdf_path);
    let pdf = pdf_path.to_str().unwrap();

    let info = run("pdfinfo", &[pdf]);
    assert_eq!(page_count(&info), 2, "{info}");
    let size = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap()
        .to_string();
    let nums: Vec<f32> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        (nums[0] - 242.6).abs() < 0.1 && (nums[1] - 153.0).abs() < 0.1,
        "{size}"
    );

    let text = run("pdftotext", &[pdf, "-"]);
    for expected in [
        "DUPRÉ-ŒUVRAY",
        "Hélène",
        "UNIVERSITÉ DE MONTVAL",
        "Étudiante",
        "Si vous trouvez cette carte",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }

    let prefix = dir.path().join("page");
    run(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            pdf,
            prefix.to_str().unwrap(),
        ],
    );
    let page: PathBuf = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .unwrap();
    keep(&page);
    assert_eq!(zbar(&page), EXPECTED_QR);
}

#[test]
fn printer_bitmap_is_1016x648_with_a_scannable_qr() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let card = card();
    let bytes = raster::png(&card.front, BITMAP_WIDTH, BITMAP_HEIGHT).unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (1016, 648));
    let path = dir.path().join("front.png");
    std::fs::write(&path, &bytes).unwrap();
    keep(&path);
    assert_eq!(zbar(&path), EXPECTED_QR);
    let back = raster::png(card.back.as_ref().unwrap(), BITMAP_WIDTH, BITMAP_HEIGHT).unwrap();
    let back_path = dir.path().join("back.png");
    std::fs::write(&back_path, &back).unwrap();
    keep(&back_path);
}

#[test]
fn every_built_in_template_prints_a_scannable_qr() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for t in Template::built_in() {
        let card = card_with(&t.id);
        let path = dir.path().join(format!("{}-front.png", t.id));
        let png = raster::png(&card.front, BITMAP_WIDTH, BITMAP_HEIGHT).unwrap();
        std::fs::write(&path, png).unwrap();
        keep(&path);
        assert_eq!(zbar(&path), EXPECTED_QR, "template {}", t.id);
    }
}

fn slip(rows: usize) -> Slip {
    Slip {
        title: "Bordereau de remise des cartes — lot 12".into(),
        subtitle: "Édité le 22/11/2026 par le guichet du campus Nord".into(),
        columns: vec![
            "Nom".into(),
            "Prénom".into(),
            "N° étudiant".into(),
            "Carte".into(),
            "Signature".into(),
        ],
        sections: vec![
            SlipSection {
                heading: "Licence 2 Droit".into(),
                rows: (0..rows)
                    .map(|i| {
                        vec![
                            format!("Dupré-Œuvray {i:03}"),
                            "Hélène".into(),
                            format!("2200{i:04}"),
                            format!("{}", 1000 + i),
                            String::new(),
                        ]
                    })
                    .collect(),
            },
            SlipSection {
                heading: "Personnels".into(),
                rows: vec![vec![
                    "Müller".into(),
                    "Zoé".into(),
                    "—".into(),
                    "2001".into(),
                    String::new(),
                ]],
            },
        ],
        weights: Vec::new(),
    }
}

#[test]
fn slip_lists_rows_and_paginates() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("slip-short.pdf");
    std::fs::write(&short, slip_pdf(&slip(3)).unwrap()).unwrap();
    let short = short.to_str().unwrap();
    assert_eq!(page_count(&run("pdfinfo", &[short])), 1);
    let text = run("pdftotext", &["-layout", short, "-"]);
    for expected in [
        "Bordereau de remise",
        "Dupré-Œuvray 002",
        "Müller",
        "Zoé",
        "Personnels",
        "1 / 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }

    let long = dir.path().join("slip-long.pdf");
    std::fs::write(&long, slip_pdf(&slip(90)).unwrap()).unwrap();
    keep(&long);
    let long = long.to_str().unwrap();
    let info = run("pdfinfo", &[long]);
    let pages = page_count(&info);
    assert!(pages >= 2, "{info}");
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
    assert!(size.contains("595.") && size.contains("841."), "A4: {size}");
    let text = run("pdftotext", &["-layout", long, "-"]);
    assert!(text.contains("Dupré-Œuvray 089") && text.contains("Müller"));
    assert!(text.contains(&format!("2 / {pages}")), "{text}");
}
