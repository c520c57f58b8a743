//! Blocking work of card production (photos, previews, campaigns, printers, templates), run off the GUI
//! thread like `jobs.rs`; the tests run the same functions synchronously.

use std::path::PathBuf;
use std::sync::Arc;

use crate::domain::card::{CardId, CardState, PersonId};
use crate::gui::jobs::{Done, Services};
use crate::production::catalog::Catalog;
use crate::production::photo::{self, Crop};
use crate::production::print::{self, IppPrinter};
use crate::production::{delivery, job, raster, slip};
use crate::store::campaign::{self, CampaignCard, CardFilter};
use crate::store::photos::{self, NewPhoto};
use crate::{fl, ui_text};

/// Where a photo comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoSource {
    /// A file chosen in the dialog or dropped on the window.
    File(PathBuf),
    /// The directory's jpegPhoto of the person.
    Directory,
    /// The photo of the person's previous card.
    PreviousCard,
    /// A frame from a webcam (`None`: the training camera, a synthetic picture).
    Webcam(Option<PathBuf>),
}

impl PhotoSource {
    /// The origin recorded with the stored photo.
    pub fn origin(&self) -> &'static str {
        match self {
            PhotoSource::File(_) => "file",
            PhotoSource::Directory => "directory",
            PhotoSource::PreviousCard => "card",
            PhotoSource::Webcam(_) => "webcam",
        }
    }
}

/// A printer the operator can choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterChoice {
    pub uri: String,
    pub name: String,
    /// State and reasons in words, or why it cannot be reached.
    pub status: String,
    pub ready: bool,
}

impl std::fmt::Display for PrinterChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} — {}", self.name, self.status)
    }
}

/// A template as Settings → Templates lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateInfo {
    pub id: String,
    pub name: String,
    /// The folder of an installation's template; `None` for a built-in one.
    pub dir: Option<PathBuf>,
    pub has_back: bool,
}

#[derive(Debug, Clone)]
pub enum ProdJob {
    LoadPhoto {
        card: CardId,
        person: PersonId,
        source: PhotoSource,
    },
    SavePhoto {
        card: CardId,
        person: PersonId,
        image: Arc<::image::RgbImage>,
        crop: Crop,
        origin: &'static str,
        consent: bool,
    },
    Preview(CardId),
    Printers,
    /// The webcams plugged in (their probing opens device files, so not on the GUI thread).
    Webcams,
    /// The cards of a campaign; `group` is a group name to resolve.
    Campaign {
        seq: u64,
        filter: CardFilter,
        group: Option<String>,
    },
    /// The delivery slip of `cards` as a PDF file.
    Slip {
        cards: Vec<CardId>,
        grouping: delivery::Grouping,
        path: PathBuf,
    },
    /// The 1016×648 face bitmaps of `cards` into a folder.
    Png {
        cards: Vec<CardId>,
        dir: PathBuf,
    },
    Templates,
    Customise {
        id: String,
        new_id: String,
    },
}

#[derive(Debug, Clone)]
pub enum ProdDone {
    PhotoLoaded {
        card: CardId,
        image: Arc<::image::RgbImage>,
        /// The photo reduced for the crop view, made here rather than on the GUI thread.
        work: Arc<::image::RgbaImage>,
        origin: &'static str,
    },
    PhotoSaved {
        card: CardId,
        person: PersonId,
    },
    Preview {
        card: CardId,
        front: Arc<::image::RgbaImage>,
        back: Option<Arc<::image::RgbaImage>>,
    },
    Printers {
        list: Vec<PrinterChoice>,
        /// Why the system's print service could not be asked, if so.
        service: Option<String>,
    },
    Campaign {
        seq: u64,
        rows: Vec<CampaignCard>,
        counts: Vec<(CardState, u64)>,
    },
    CampaignFailed {
        seq: u64,
        message: String,
    },
    Exported(String),
    Templates {
        list: Vec<TemplateInfo>,
        errors: Vec<String>,
        /// Affiliations in the mirror and their number of persons.
        populations: Vec<(String, u64)>,
    },
    Customised(PathBuf),
    /// Webcams by name and device path.
    Webcams(Vec<(String, PathBuf)>),
    /// A photo could not be used: the message says why and what to do.
    PhotoFailed(String),
}

/// Preview size: a third of the 300 dpi bitmap keeps the text crisp in the panel.
pub const PREVIEW_WIDTH: u32 = 508;
pub const PREVIEW_HEIGHT: u32 = 324;

pub fn perform(services: &Services, job: ProdJob) -> Done {
    let store = &services.store;
    let store_fail = |e: crate::store::StoreError| Done::Failed(ui_text::store_error(&e));
    let data_dir = services.data_dir();
    match job {
        ProdJob::LoadPhoto {
            card,
            person,
            source,
        } => {
            let photo_fail = |m: String| Done::Prod(ProdDone::PhotoFailed(m));
            let bytes: Vec<u8> = match &source {
                PhotoSource::File(path) => match std::fs::read(path) {
                    Ok(b) => b,
                    Err(e) => {
                        return photo_fail(ui_text::read_error(path.display(), &e));
                    }
                },
                PhotoSource::Directory => {
                    match store.read(|c| photos::latest_from(c, person, "directory")) {
                        Ok(Some(p)) => p.jpeg,
                        Ok(None) => return photo_fail(fl!("photo-no-directory-photo")),
                        Err(e) => return store_fail(e),
                    }
                }
                PhotoSource::PreviousCard => {
                    match store.read(|c| previous_card_photo(c, person, card)) {
                        Ok(Some(p)) => p.jpeg,
                        Ok(None) => return photo_fail(fl!("photo-no-previous")),
                        Err(e) => return store_fail(e),
                    }
                }
                PhotoSource::Webcam(device) => match capture(device.as_deref()) {
                    Ok(img) => {
                        let (width, height) = img.dimensions();
                        if width < photo::PHOTO_WIDTH || height < photo::PHOTO_HEIGHT {
                            let e = photo::PhotoError::TooSmall {
                                width,
                                height,
                                min_width: photo::PHOTO_WIDTH,
                                min_height: photo::PHOTO_HEIGHT,
                            };
                            return photo_fail(ui_text::photo_error(&e));
                        }
                        return loaded(card, img, source.origin());
                    }
                    Err(m) => return photo_fail(m),
                },
            };
            match photo::decode_upright(&bytes) {
                Ok(up) => loaded(card, up.image, source.origin()),
                Err(e) => photo_fail(ui_text::photo_error(&e)),
            }
        }
        ProdJob::SavePhoto {
            card,
            person,
            image,
            crop,
            origin,
            consent,
        } => {
            let jpeg = match photo::crop_to_jpeg(&image, &crop) {
                Ok(j) => j,
                Err(e) => return Done::Prod(ProdDone::PhotoFailed(ui_text::photo_error(&e))),
            };
            let new = NewPhoto {
                jpeg: &jpeg.bytes,
                width: jpeg.width,
                height: jpeg.height,
                source: origin,
                consent: Some(consent),
            };
            match store.set_card_photo(
                card,
                &new,
                &services.config.operator(),
                jiff::Timestamp::now(),
            ) {
                Ok(_) => Done::Prod(ProdDone::PhotoSaved { card, person }),
                Err(e) => store_fail(e),
            }
        }
        ProdJob::Preview(card) => {
            let catalog = Catalog::load(&data_dir);
            let laid = store.read(|c| {
                Ok(job::layout(
                    c,
                    &catalog,
                    &services.config.print,
                    card,
                    ui_text::affiliation,
                ))
            });
            match laid {
                Ok(Ok((lay, _))) => Done::Prod(ProdDone::Preview {
                    card,
                    front: Arc::new(raster::render(&lay.front, PREVIEW_WIDTH, PREVIEW_HEIGHT)),
                    back: lay
                        .back
                        .as_ref()
                        .map(|b| Arc::new(raster::render(b, PREVIEW_WIDTH, PREVIEW_HEIGHT))),
                }),
                Ok(Err(e)) => Done::Failed(ui_text::job_error(&e)),
                Err(e) => store_fail(e),
            }
        }
        ProdJob::Printers => printers(services),
        ProdJob::Webcams => Done::Prod(ProdDone::Webcams(
            crate::production::webcam::devices()
                .into_iter()
                .map(|d| (d.name, d.path))
                .collect(),
        )),
        ProdJob::Campaign {
            seq,
            mut filter,
            group,
        } => {
            let res = store.read(|c| {
                if let Some(name) = &group {
                    match campaign::group_by_name(c, name)? {
                        Some(id) => filter.group = Some(id),
                        None => return Ok(None),
                    }
                }
                Ok(Some((
                    campaign::select(c, &filter)?,
                    campaign::counts_by_state(c, &filter)?,
                )))
            });
            match res {
                Ok(Some((rows, counts))) => Done::Prod(ProdDone::Campaign { seq, rows, counts }),
                Ok(None) => Done::Prod(ProdDone::CampaignFailed {
                    seq,
                    message: fl!("cli-unknown-group", name = group.unwrap_or_default()),
                }),
                Err(e) => Done::Prod(ProdDone::CampaignFailed {
                    seq,
                    message: ui_text::store_error(&e),
                }),
            }
        }
        ProdJob::Slip {
            cards,
            grouping,
            path,
        } => {
            let s = match delivery::slip(store, &cards, grouping, jiff::Timestamp::now()) {
                Ok(s) => s,
                Err(e) => return store_fail(e),
            };
            let bytes = match slip::slip_pdf(&s) {
                Ok(b) => b,
                Err(e) => return Done::Failed(ui_text::pdf_error(&e)),
            };
            match crate::production::print::write_atomic(&path, &bytes, "slip") {
                Ok(()) => Done::Prod(ProdDone::Exported(fl!(
                    "production-slip-written",
                    path = path.display().to_string()
                ))),
                Err(e) => Done::Failed(ui_text::write_error(path.display(), &e)),
            }
        }
        ProdJob::Png { cards, dir } => {
            let catalog = Catalog::load(&data_dir);
            match job::export_png(
                store,
                &catalog,
                &services.config.print,
                &cards,
                &dir,
                ui_text::affiliation,
            ) {
                Ok(files) => Done::Prod(ProdDone::Exported(fl!(
                    "production-png-written",
                    count = files.len(),
                    path = dir.display().to_string()
                ))),
                Err(e) => Done::Failed(ui_text::job_error(&e)),
            }
        }
        ProdJob::Templates => {
            let catalog = Catalog::load(&data_dir);
            let populations = match store.read(campaign::populations) {
                Ok(p) => p,
                Err(e) => return store_fail(e),
            };
            Done::Prod(ProdDone::Templates {
                populations,
                list: catalog
                    .entries
                    .iter()
                    .map(|e| TemplateInfo {
                        id: e.template.id.clone(),
                        name: e.template.name.clone(),
                        dir: e.dir.clone(),
                        has_back: e.template.back.is_some(),
                    })
                    .collect(),
                errors: catalog.errors.iter().map(ui_text::template_error).collect(),
            })
        }
        ProdJob::Customise { id, new_id } => {
            let catalog = Catalog::load(&data_dir);
            match catalog.customise(&id, &new_id) {
                Ok(path) => Done::Prod(ProdDone::Customised(path)),
                Err(e) => Done::Failed(ui_text::template_error(&e)),
            }
        }
    }
}

/// Longer side of the reduced photo the crop view draws its frame on.
pub const CROP_WORK_SIZE: u32 = 720;

fn loaded(card: CardId, image: ::image::RgbImage, origin: &'static str) -> Done {
    let work = photo::thumbnail_rgba(&image, CROP_WORK_SIZE, CROP_WORK_SIZE);
    Done::Prod(ProdDone::PhotoLoaded {
        card,
        image: Arc::new(image),
        work: Arc::new(work),
        origin,
    })
}

/// The photo of the person's most recent other card.
fn previous_card_photo(
    conn: &rusqlite::Connection,
    person: PersonId,
    card: CardId,
) -> crate::store::Result<Option<photos::Photo>> {
    use rusqlite::OptionalExtension;
    let id: Option<i64> = conn
        .query_row(
            "SELECT photo_id FROM cards WHERE person_id = ?1 AND id <> ?2 AND photo_id IS NOT NULL
              ORDER BY id DESC LIMIT 1",
            [person, card],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => photos::get(conn, id),
        None => Ok(None),
    }
}

/// One frame from a webcam, after a few frames for the exposure to settle.
fn capture(device: Option<&std::path::Path>) -> Result<::image::RgbImage, String> {
    use crate::production::webcam;
    let mut source: Box<dyn webcam::FrameSource> = match device {
        Some(path) => {
            let info = webcam::devices()
                .into_iter()
                .find(|d| d.path == path)
                .ok_or_else(|| fl!("photo-webcam-gone", device = path.display().to_string()))?;
            webcam::open(&info).map_err(|e| ui_text::webcam_error(&e))?
        }
        None => Box::new(webcam::SyntheticSource::new()),
    };
    let mut frame = source.next_frame().map_err(|e| ui_text::webcam_error(&e))?;
    for _ in 0..4 {
        frame = source.next_frame().map_err(|e| ui_text::webcam_error(&e))?;
    }
    Ok(frame)
}

/// The printers the operator may choose: the settings' ones, then the system's queues.
fn printers(services: &Services) -> Done {
    let cfg = &services.config.print;
    let mut list: Vec<PrinterChoice> = Vec::new();
    for uri in cfg.configured_printers() {
        let choice = match IppPrinter::new(&uri).and_then(|p| p.attributes()) {
            Ok(info) => choice_of(&info),
            Err(e) => PrinterChoice {
                uri: uri.clone(),
                name: uri.clone(),
                status: ui_text::print_error(&e),
                ready: false,
            },
        };
        list.push(choice);
    }
    let service = match print::system_printers(cfg.cups_server.as_deref()) {
        Ok(found) => {
            for info in found {
                if !list.iter().any(|c| c.uri == info.uri) {
                    list.push(choice_of(&info));
                }
            }
            None
        }
        Err(e) => Some(ui_text::print_error(&e)),
    };
    Done::Prod(ProdDone::Printers { list, service })
}

fn choice_of(info: &print::PrinterInfo) -> PrinterChoice {
    PrinterChoice {
        uri: info.uri.clone(),
        name: info
            .info
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| info.name.clone()),
        status: ui_text::printer_status(info),
        ready: info.accepting_jobs && info.state != print::PrinterState::Stopped,
    }
}
