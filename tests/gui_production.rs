//! Card production driven with iced_test: the Desk's card flow from a photo file to a saved PDF, the
//! Production screen's batch with its results, delivery slip and bitmaps, and a snapshot of a demo card's
//! preview. The same `App::handle`, jobs and print worker as the window; native dialogs are answered by the
//! test with `Message::Picked`, as the window's dialog task does.

mod support;

use std::path::{Path, PathBuf};

use guichet::domain::card::{CardId, CardState};
use guichet::gui::app::Screen;
use guichet::gui::jobs::{self, Done, Job, Services};
use guichet::gui::printing::{Dialog, Origin};
use guichet::gui::prod_jobs::{ProdDone, ProdJob};
use guichet::gui::screens::{desk, studio};
use guichet::gui::{App, Message};
use guichet::i18n::{self, Lang};
use guichet::production::photo_fixture::{exif_app1, jpeg, with_segment};
use guichet::production::webcam::{FrameSource, SyntheticSource};
use guichet::store::{Store, cards, photos};
use iced::keyboard::{Key, Modifiers, key::Named};
use image::{Rgb, RgbImage};
use support::gui::{drive, shows, start, start_on};

fn click(app: &mut App, label: &str) -> bool {
    support::gui::click(app, label, drive)
}

fn studio_msg(m: studio::Message) -> Message {
    Message::Desk(desk::Message::Studio(m))
}

/// A phone-like picture: `w`×`h` as seen, red in the top third and blue in the bottom third, stored turned
/// on its side with EXIF orientation 6, as phones save portraits.
fn phone_picture(w: u32, h: u32) -> Vec<u8> {
    let upright = RgbImage::from_fn(w, h, |_, y| {
        if y < h * 3 / 8 {
            Rgb([220, 30, 30])
        } else if y >= h * 5 / 8 {
            Rgb([30, 30, 220])
        } else {
            Rgb([150, 150, 150])
        }
    });
    let stored = image::imageops::rotate270(&upright);
    with_segment(&jpeg(&stored, 92), &exif_app1(6, false))
}

fn open_card(app: &mut App, query: &str) {
    drive(
        app,
        Message::Desk(desk::Message::QueryChanged(query.into())),
    );
    drive(
        app,
        Message::Key(Key::Named(Named::Enter), Modifiers::default()),
    );
}

fn card_of(app: &App) -> CardId {
    app.desk
        .studio
        .as_ref()
        .expect("the card flow is open")
        .card
}

#[test]
fn desk_flow_imports_a_photo_crops_it_and_saves_the_card_as_pdf() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    open_card(&mut app, "lefevre");
    assert!(click(&mut app, "Request a card"));
    assert!(click(&mut app, "Validate request"));

    // Photo… on the card opens the flow at its first step, with every photo source.
    assert!(click(&mut app, "Photo…"));
    assert!(shows(&app, "1. Photo"));
    for label in [
        "Import a file…",
        "Directory photo",
        "Previous card's photo",
        "Training camera",
    ] {
        assert!(shows(&app, label), "{label} offered");
    }
    let card = card_of(&app);

    // A picture that is too small is refused with the sizes and what to do; nothing is stored.
    let small = dir.path().join("small.jpg");
    std::fs::write(&small, phone_picture(280, 350)).unwrap();
    assert!(click(&mut app, "Import a file…"));
    drive(&mut app, Message::Picked(Dialog::OpenPhoto, Some(small)));
    let error = app.desk.studio.as_ref().and_then(|s| s.error.clone());
    let error = error.expect("an error is shown");
    assert!(
        error.contains("280×350") && error.contains("300×376") && error.contains("larger file"),
        "{error}"
    );
    assert!(shows(&app, &error));

    // A phone picture dropped on the window: turned upright from its EXIF orientation, then cropped.
    let big = dir.path().join("phone.jpg");
    std::fs::write(&big, phone_picture(600, 800)).unwrap();
    drive(&mut app, Message::FileDropped(big));
    assert!(shows(&app, "Use this photo") && shows(&app, "Zoom") && shows(&app, "Result"));
    assert!(app.desk.studio.as_ref().unwrap().error.is_none());
    drive(&mut app, studio_msg(studio::Message::Zoom(1.5)));
    assert!(click(
        &mut app,
        "The holder agrees to the publication of this photo (directory, staff lists)"
    ));
    assert!(app.desk.studio.as_ref().unwrap().consent);
    assert!(click(&mut app, "Use this photo"));

    // Stored: 300×376, at most 200 KB, upright (red on top), with the consent; on to the preview.
    assert!(shows(&app, "2. Preview and print"));
    assert!(shows(&app, "Photo saved with the card."));
    assert!(shows(&app, "Front") && shows(&app, "Back"));
    let photo = app
        .services
        .store
        .read(|c| {
            let id: Option<i64> =
                c.query_row("SELECT photo_id FROM cards WHERE id = ?1", [card], |r| {
                    r.get(0)
                })?;
            photos::get(c, id.expect("the card has a photo"))
        })
        .unwrap()
        .expect("photo row");
    assert_eq!((photo.width, photo.height), (300, 376));
    assert!(photo.jpeg.len() <= 200 * 1024);
    assert_eq!(photo.consent, Some(true));
    assert_eq!(photo.source, "file");
    let img = image::load_from_memory(&photo.jpeg).unwrap().to_rgb8();
    let (top, bottom) = (img.get_pixel(150, 10), img.get_pixel(150, 366));
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom is blue: {bottom:?}"
    );

    // Save as PDF: the card is printed.
    assert!(click(&mut app, "Save as PDF…"));
    let pdf = dir.path().join("card.pdf");
    drive(
        &mut app,
        Message::Picked(Dialog::SavePdf(Origin::Desk), Some(pdf.clone())),
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert!(shows(&app, &format!("Card {card} printed.")));
    let state = app
        .services
        .store
        .read(|c| cards::get(c, card))
        .unwrap()
        .state;
    assert_eq!(state, CardState::Printed);
}

/// Three validated requests, the first two with a photo.
fn campaign_store(dir: &Path) -> (Store, Vec<CardId>) {
    let store = support::fixture_store(dir);
    let now = jiff::Timestamp::now();
    let actor = guichet::domain::card::Actor::Operator("agent.accueil".into());
    let opts = cards::CardOptions::default();
    let mut ids = Vec::new();
    for person in 1..=3 {
        let card = store
            .request_card(person, &actor, None, &opts, now)
            .unwrap();
        if person < 3 {
            let frame = SyntheticSource::new().next_frame().unwrap();
            let jpeg = guichet::production::photo::process_frame(&frame, None).unwrap();
            let p = photos::NewPhoto {
                jpeg: &jpeg.bytes,
                width: jpeg.width,
                height: jpeg.height,
                source: "webcam",
                consent: Some(false),
            };
            store
                .set_card_photo(card, &p, "agent.accueil", now)
                .unwrap();
        }
        store
            .transition_card(
                card,
                CardState::RequestChecked,
                &actor,
                &Default::default(),
                &opts,
                now,
            )
            .unwrap();
        ids.push(card);
    }
    (store, ids)
}

#[test]
fn production_batch_prints_to_pdf_with_results_slip_and_bitmaps() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let (store, ids) = campaign_store(dir.path());
    let mut app = start_on(dir.path(), store);
    drive(&mut app, Message::Navigate(Screen::Production));
    assert!(shows(&app, "3 cards selected"), "the campaign is listed");
    assert!(shows(&app, "Request validated · 3"), "counts by state");
    assert!(shows(&app, "Print 3 cards"));
    assert!(shows(&app, "no photo"), "the card without photo is flagged");

    // A card of the list is previewed with both faces.
    assert!(click(&mut app, "LEFÈVRE Jérôme"));
    assert!(shows(&app, &format!("Card #{}", ids[1])));

    // The whole batch as one PDF: a result per card and a summary.
    assert!(click(&mut app, "Save as PDF…"));
    let pdf = dir.path().join("batch.pdf");
    drive(
        &mut app,
        Message::Picked(Dialog::SavePdf(Origin::Production), Some(pdf.clone())),
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert_eq!((app.production.done, app.production.total), (3, 3));
    assert!(shows(&app, "3 of 3 cards printed."));
    // The list keeps the batch with a result per card; the counts follow; nothing is left to print.
    assert!(shows(&app, "✔ printed"), "per-card results");
    assert!(shows(&app, "3 cards selected"));
    assert!(shows(&app, "Printed · 3"), "counts refreshed");
    assert!(shows(&app, "Print 0 cards"));
    for id in &ids {
        let state = app
            .services
            .store
            .read(|c| cards::get(c, *id))
            .unwrap()
            .state;
        assert_eq!(state, CardState::Printed);
    }

    // The delivery slip and the 1016×648 bitmaps of the same cards.
    assert!(click(&mut app, "Delivery slip…"));
    let slip = dir.path().join("slip.pdf");
    drive(
        &mut app,
        Message::Picked(Dialog::SaveSlip, Some(slip.clone())),
    );
    assert!(std::fs::read(&slip).unwrap().starts_with(b"%PDF"));
    assert!(shows(
        &app,
        &format!("Delivery slip written: {}", slip.display())
    ));
    assert!(click(&mut app, "Bitmaps (PNG)…"));
    let png: PathBuf = dir.path().join("bitmaps");
    drive(
        &mut app,
        Message::Picked(Dialog::PngFolder, Some(png.clone())),
    );
    let mut files: Vec<_> = std::fs::read_dir(&png)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 6, "front and back of 3 cards: {files:?}");
    let first = image::open(&files[0]).unwrap();
    assert_eq!((first.width(), first.height()), (1016, 648));
    assert!(shows(
        &app,
        &format!("6 bitmaps written in {}", png.display())
    ));

    // The next selection: nothing is left to print in this state.
    drive(
        &mut app,
        Message::Production(guichet::gui::screens::production::Message::Apply),
    );
    assert!(shows(&app, "No card matches these filters."));
}

/// The preview of a demo card, rendered by the card flow, against the committed snapshot: a change of
/// template, layout, fonts or rendering shows here as a failing test and a new picture to look at.
#[test]
fn preview_of_a_demo_card_matches_the_snapshot() {
    let _l = support::lang_lock();
    i18n::set_language(Lang::Fr);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("guichet.db")).unwrap();
    // A fixed seed and a fixed "now": the same persons, photos, numbers and QR codes on every run.
    let now: jiff::Timestamp = "2026-09-01T08:00:00Z".parse().unwrap();
    guichet::demo::generate(
        &store,
        &guichet::demo::DemoOptions {
            persons: 60,
            seed: 4,
        },
        now,
    )
    .unwrap();
    let (card, person): (CardId, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT c.id, c.person_id FROM cards c JOIN persons p ON p.id = c.person_id
                  WHERE c.state = 'ENABLED' AND c.photo_id IS NOT NULL AND p.affiliation = 'student'
                  ORDER BY c.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let services = Services {
        store,
        config_file: dir.path().join("guichet.toml"),
        config: Default::default(),
        fresh: false,
    };
    let mut flow = studio::State::new(card, person, studio::Step::Print, None);
    let Done::Prod(ProdDone::Preview { front, back, .. }) =
        jobs::perform(&services, Job::Prod(ProdJob::Preview(card)))
    else {
        panic!("no preview");
    };
    flow.on_preview(&front, back.as_deref());
    let mut ui = iced_test::Simulator::with_size(
        iced::Settings::default(),
        iced::Size::new(900.0, 320.0),
        flow.preview_view(),
    );
    assert!(ui.find("Recto").is_ok() && ui.find("Verso").is_ok());
    let snapshot = ui.snapshot(&iced::Theme::Light).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/card-preview");
    assert!(
        snapshot.matches_image(&path).unwrap(),
        "the preview differs from tests/snapshots/card-preview-tiny-skia.png"
    );
}
