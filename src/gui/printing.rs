//! Printing from the window: the job runs on a worker thread and reports each card's result (progress bar,
//! per-card list) through `Message::Print`; and the native open/save dialogs (rfd) the production screens
//! use. The tests call `execute` synchronously, so the window and the tests share one path.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use iced::Task;

use crate::domain::card::CardId;
use crate::gui::app;
use crate::gui::jobs::Services;
use crate::production::catalog::Catalog;
use crate::production::job::{self, CardResult, PrintSettings, Progress};
use crate::production::print::{IppPrinter, PdfFilePrinter, Printer};
use crate::ui_text;

/// Where the cards go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// An IPP printer, by URI.
    Printer(String),
    /// One PDF file for all the cards.
    Pdf(PathBuf),
}

/// Which screen asked: the answer goes back to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Desk,
    Production,
}

#[derive(Debug, Clone)]
pub struct PrintRequest {
    pub origin: Origin,
    pub cards: Vec<CardId>,
    pub destination: Destination,
    /// Set by the Stop button; checked between jobs.
    pub stop: Arc<AtomicBool>,
}

#[derive(Debug, Clone)]
pub enum PrintMsg {
    Progress(Origin, Progress),
    Finished(Origin, Vec<CardResult>),
    /// The job could not start (no such printer, bad URI).
    Failed(Origin, String),
}

/// Runs a print request, reporting through `emit` (blocking).
pub fn execute(services: &Services, req: &PrintRequest, emit: &mut dyn FnMut(PrintMsg)) {
    let cfg = &services.config.print;
    let (printer, one_job): (Box<dyn Printer>, bool) = match &req.destination {
        Destination::Pdf(path) => (Box::new(PdfFilePrinter::new(path.clone())), true),
        Destination::Printer(uri) => match IppPrinter::new(uri) {
            Ok(p) => (Box::new(p), false),
            Err(e) => {
                emit(PrintMsg::Failed(req.origin, ui_text::print_error(&e)));
                return;
            }
        },
    };
    let catalog = Catalog::load(&services.data_dir());
    let settings = PrintSettings {
        actor: services.actor(),
        opts: services.config.card_options(),
        poll: Duration::from_millis(500),
        timeout: Duration::from_secs(u64::from(cfg.job_timeout_seconds)),
        batch: Some(jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S").to_string()),
        labels: ui_text::affiliation,
    };
    let origin = req.origin;
    let results = job::print_cards(
        &services.store,
        &catalog,
        cfg,
        printer.as_ref(),
        one_job,
        &req.cards,
        &settings,
        &req.stop,
        &mut |p| emit(PrintMsg::Progress(origin, p)),
    );
    emit(PrintMsg::Finished(origin, results));
}

/// The print request on a worker thread, as a stream of messages for the window.
pub fn task(services: Services, req: PrintRequest) -> Task<app::Message> {
    let origin = req.origin;
    on_worker(
        "guichet-print",
        move |emit| execute(&services, &req, &mut |m| emit(app::Message::Print(m))),
        move |e| app::Message::Print(PrintMsg::Failed(origin, e)),
    )
}

/// Runs `work` on a named worker thread; what it emits comes to the window as a stream of messages.
/// `failed` is the message when the thread cannot start.
pub fn on_worker(
    name: &str,
    work: impl FnOnce(&mut dyn FnMut(app::Message)) + Send + 'static,
    failed: impl FnOnce(String) -> app::Message,
) -> Task<app::Message> {
    let (tx, rx) = iced::futures::channel::mpsc::unbounded();
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            work(&mut |m| {
                let _ = tx.unbounded_send(m);
            })
        });
    match spawned {
        Ok(_) => Task::stream(rx),
        Err(e) => Task::done(failed(e.to_string())),
    }
}

/// A native dialog a screen asks for; the chosen path comes back as `Message::Picked`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// A photo to import (JPEG or PNG).
    OpenPhoto,
    /// Where to save cards as PDF.
    SavePdf(Origin),
    /// Where to save a delivery slip.
    SaveSlip,
    /// A folder for the face bitmaps.
    PngFolder,
    /// An encoding profile (TOML) for Settings → Encoding.
    OpenProfile,
    /// A DESFire key file for Settings → Encoding.
    OpenKeys,
    /// Where to save the Queue screen's list as CSV.
    SaveQueueCsv,
    /// An ESIST tariff file for Settings → Services.
    OpenEsist,
    /// A CROUS identifier migration file (`oldId;eppnNewId;mail`) for the Queue screen.
    OpenPatchIds,
}

/// What a native file dialog asks: its title, the file types offered, and whether it opens a file,
/// saves one (with a proposed name) or picks a folder. Every screen describes its dialogs with it; one
/// function ([`ask`]) talks to rfd.
#[derive(Debug, Clone)]
pub struct FileDialog {
    pub title: String,
    /// (label, extensions) of the one filter, if any.
    pub filter: Option<(&'static str, &'static [&'static str])>,
    pub kind: DialogKind,
}

#[derive(Debug, Clone, Copy)]
pub enum DialogKind {
    Open,
    Save(&'static str),
    Folder,
}

impl FileDialog {
    pub fn open(title: String, filter: Option<(&'static str, &'static [&'static str])>) -> Self {
        FileDialog {
            title,
            filter,
            kind: DialogKind::Open,
        }
    }

    pub fn save(
        title: String,
        filter: (&'static str, &'static [&'static str]),
        name: &'static str,
    ) -> Self {
        FileDialog {
            title,
            filter: Some(filter),
            kind: DialogKind::Save(name),
        }
    }

    pub fn folder(title: String) -> Self {
        FileDialog {
            title,
            filter: None,
            kind: DialogKind::Folder,
        }
    }
}

/// Opens the native dialog `spec` describes; the chosen path (or `None` when cancelled) goes back as
/// the message `answer` makes.
pub fn ask(
    spec: FileDialog,
    answer: impl Fn(Option<std::path::PathBuf>) -> app::Message + Send + 'static,
) -> Task<app::Message> {
    Task::perform(
        async move {
            let mut dlg = rfd::AsyncFileDialog::new().set_title(spec.title);
            if let Some((label, extensions)) = spec.filter {
                dlg = dlg.add_filter(label, extensions);
            }
            let handle = match spec.kind {
                DialogKind::Open => dlg.pick_file().await,
                DialogKind::Save(name) => dlg.set_file_name(name).save_file().await,
                DialogKind::Folder => dlg.pick_folder().await,
            };
            handle.map(|h| h.path().to_path_buf())
        },
        answer,
    )
}

/// Opens a native dialog; the answer (or `None` when cancelled) comes back with the request.
pub fn dialog(d: Dialog) -> Task<app::Message> {
    use crate::fl;
    let spec = match &d {
        Dialog::OpenPhoto => FileDialog::open(
            fl!("dialog-open-photo"),
            Some(("JPEG, PNG", &["jpg", "jpeg", "png", "JPG", "JPEG", "PNG"])),
        ),
        Dialog::SavePdf(_) => {
            FileDialog::save(fl!("dialog-save-pdf"), ("PDF", &["pdf"]), "cartes.pdf")
        }
        Dialog::SaveSlip => {
            FileDialog::save(fl!("dialog-save-slip"), ("PDF", &["pdf"]), "bordereau.pdf")
        }
        Dialog::PngFolder => FileDialog::folder(fl!("dialog-png-folder")),
        Dialog::OpenProfile => {
            FileDialog::open(fl!("encode-dialog-profile"), Some(("TOML", &["toml"])))
        }
        Dialog::OpenKeys => FileDialog::open(fl!("encode-dialog-keys"), None),
        Dialog::SaveQueueCsv => FileDialog::save(
            fl!("queue-dialog-csv"),
            ("CSV", &["csv"]),
            "file-attente.csv",
        ),
        Dialog::OpenEsist => {
            FileDialog::open(fl!("rules-dialog-esist"), Some(("XML", &["xml", "XML"])))
        }
        Dialog::OpenPatchIds => FileDialog::open(
            fl!("migration-dialog"),
            Some(("CSV", &["csv", "CSV", "txt", "TXT"])),
        ),
    };
    ask(spec, move |path| app::Message::Picked(d.clone(), path))
}
