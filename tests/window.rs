//! The real window under Xvfb: first start on an empty data folder creates the database and loads the
//! demo institution; the screenshot is not blank and shows the search field (read back by OCR).

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_display() -> u32 {
    (90..200)
        .find(|n| !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
        .unwrap_or(99)
}

fn screenshot(display: &str, path: &std::path::Path) -> bool {
    Command::new("import")
        .args(["-display", display, "-window", "root"])
        .arg(path)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Reads text back from a region of the screenshot (x, y, width, height; the whole image if `None`),
/// enlarged three times first, as OCR wants for 12-15 px text. A region is read as one line of text.
fn ocr(path: &std::path::Path, region: Option<(u32, u32, u32, u32)>) -> String {
    let Ok(img) = image::open(path) else {
        return String::new();
    };
    let img = img.to_rgb8();
    let (x, y, w, h) = region.unwrap_or((0, 0, img.width(), img.height()));
    let part = image::imageops::crop_imm(&img, x, y, w, h).to_image();
    let big = image::imageops::resize(&part, w * 3, h * 3, image::imageops::FilterType::Lanczos3);
    let scaled = path.with_extension(format!("{x}-{y}.png"));
    if big.save(&scaled).is_err() {
        return String::new();
    }
    let psm: &[&str] = if region.is_some() {
        &["--psm", "7"]
    } else {
        &[]
    };
    let out = Command::new("tesseract")
        .arg(&scaled)
        .arg("stdout")
        .args(psm)
        .stderr(Stdio::null())
        .output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default()
}

/// Where the layout puts the search field's text and the count line under it (1280×800 window).
const SEARCH_FIELD: (u32, u32, u32, u32) = (170, 17, 380, 30);
const COUNT_LINE: (u32, u32, u32, u32) = (160, 58, 420, 24);
/// The navigation rail's last entry, and the title of the Desk's empty person panel (1280×800 window).
const RAIL_SETTINGS: (u32, u32, u32, u32) = (12, 321, 130, 28);
const EMPTY_PANEL_TITLE: (u32, u32, u32, u32) = (668, 314, 420, 36);

#[test]
fn first_start_opens_the_desk_with_the_demo_institution() {
    for tool in ["Xvfb", "import", "tesseract"] {
        if !support::have(tool) && support::missing(tool) {
            return;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let n = free_display();
    let display = format!(":{n}");
    let _xvfb = Kill(
        Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        assert!(Instant::now() < deadline, "Xvfb did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let data = dir.path().join("data");
    let _app = Kill(
        Command::new(support::guichet())
            .arg("--data-dir")
            .arg(&data)
            .args(["--lang", "en"])
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("ICED_BACKEND", "tiny-skia")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start guichet"),
    );
    let shot = dir.path().join("desk.png");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut text = String::new();
    loop {
        if screenshot(&display, &shot) {
            text = ocr(&shot, Some(COUNT_LINE));
            if text.contains("2000 persons in the directory") {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the Desk never showed the loaded directory; last OCR: {text}"
        );
        std::thread::sleep(Duration::from_millis(700));
    }
    let _ = std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/screenshots"));
    let _ = std::fs::copy(
        &shot,
        concat!(env!("CARGO_TARGET_TMPDIR"), "/screenshots/desk-xvfb.png"),
    );
    assert!(
        data.join("guichet.db").exists(),
        "the database was created in the data folder"
    );
    let field = ocr(&shot, Some(SEARCH_FIELD));
    assert!(
        field.contains("Name, eppn, INE"),
        "the search field, with its placeholder, at the top of the Desk: {field}"
    );
    let rail = ocr(&shot, Some(RAIL_SETTINGS));
    assert!(rail.contains("Settings"), "the navigation rail: {rail}");
    let whole = ocr(&shot, Some(EMPTY_PANEL_TITLE));
    // OCR sometimes splits a word ("pe rson"): compare without spaces.
    let squeezed: String = whole.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        squeezed.contains("Findaperson"),
        "the Desk's empty person panel: {whole}"
    );

    // Not blank: many distinct colours.
    let img = image::open(&shot).expect("decode screenshot").to_rgb8();
    assert_eq!((img.width(), img.height()), (1280, 800));
    let mut colours = std::collections::HashSet::new();
    for p in img.pixels().step_by(7) {
        colours.insert(p.0);
    }
    assert!(
        colours.len() > 50,
        "screenshot looks blank: {} colours",
        colours.len()
    );
}
