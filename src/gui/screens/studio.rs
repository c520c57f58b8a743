//! The new-card flow of the Desk for one card: photo (import, drag and drop, the directory's photo, the
//! previous card's, a webcam) → crop to the ID ratio (zoom and move) with the publication consent → preview
//! of both faces from the card template → print on a printer or save as PDF, with the printer's verdict.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use iced::widget::{
    Column, Row, button, checkbox, column, container, image, mouse_area, pick_list, row, slider,
    text,
};
use iced::{Alignment, Element, Length, Point, mouse};

use crate::domain::card::{CardId, PersonId};
use crate::fl;
use crate::gui::app::Effect;
use crate::gui::jobs::Job;
use crate::gui::printing::{Destination, Dialog, Origin, PrintMsg, PrintRequest};
use crate::gui::prod_jobs::{PhotoSource, PrinterChoice, ProdJob};
use crate::gui::theme;
use crate::gui::widgets::banner::notice;
use crate::production::job::{Outcome, Progress};
use crate::production::photo::{self, Crop};
use crate::production::print::JobStatus;

/// Size of the photo shown for cropping, in logical pixels (the longer side).
const CROP_VIEW: f32 = 360.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Photo,
    Print,
}

/// A photo being cropped.
#[derive(Debug, Clone)]
struct Cropping {
    image: Arc<::image::RgbImage>,
    origin: &'static str,
    crop: Crop,
    /// The photo reduced for display (the crop frame is drawn on it).
    work: ::image::RgbaImage,
    framed: image::Handle,
    result: image::Handle,
}

impl Cropping {
    /// `work` is the photo already reduced off the GUI thread (`prod_jobs::CROP_WORK_SIZE`).
    fn new(
        image: Arc<::image::RgbImage>,
        work: &::image::RgbaImage,
        origin: &'static str,
    ) -> Cropping {
        let (w, h) = image.dimensions();
        let mut c = Cropping {
            image,
            origin,
            crop: Crop::initial(w, h),
            work: work.clone(),
            framed: image::Handle::from_rgba(1, 1, vec![0; 4]),
            result: image::Handle::from_rgba(1, 1, vec![0; 4]),
        };
        c.redraw();
        c
    }

    fn size(&self) -> (u32, u32) {
        self.image.dimensions()
    }

    /// Size of the crop view on screen.
    fn view_size(&self) -> (f32, f32) {
        let (w, h) = self.size();
        let s = CROP_VIEW / w.max(h) as f32;
        (w as f32 * s, h as f32 * s)
    }

    /// Redraws the framed photo (outside of the crop darkened) and the cropped result.
    fn redraw(&mut self) {
        let (w, h) = self.size();
        let r = self.crop.rect(w, h);
        let (ww, wh) = self.work.dimensions();
        let s = ww as f32 / w as f32;
        let (x0, y0) = ((r.x as f32 * s) as u32, (r.y as f32 * s) as u32);
        let (x1, y1) = (
            (((r.x + r.width) as f32 * s) as u32).min(ww),
            (((r.y + r.height) as f32 * s) as u32).min(wh),
        );
        let mut framed = ::image::RgbaImage::new(ww, wh);
        for (x, y, p) in framed.enumerate_pixels_mut() {
            let [r, g, b, _] = self.work.get_pixel(x, y).0;
            let inside = x >= x0 && x < x1 && y >= y0 && y < y1;
            let edge = inside && (x < x0 + 2 || x + 2 >= x1 || y < y0 + 2 || y + 2 >= y1);
            *p = if edge {
                ::image::Rgba([255, 255, 255, 255])
            } else if inside {
                ::image::Rgba([r, g, b, 255])
            } else {
                ::image::Rgba([r / 3, g / 3, b / 3, 255])
            };
        }
        self.framed = image::Handle::from_rgba(ww, wh, framed.into_raw());
        let sub =
            ::image::imageops::crop_imm(&self.work, x0, y0, (x1 - x0).max(1), (y1 - y0).max(1))
                .to_image();
        let small =
            ::image::imageops::resize(&sub, 150, 188, ::image::imageops::FilterType::Triangle);
        self.result = image::Handle::from_rgba(150, 188, small.into_raw());
    }
}

#[derive(Debug)]
pub struct State {
    pub card: CardId,
    pub person: PersonId,
    pub step: Step,
    cropping: Option<Cropping>,
    pub consent: bool,
    pub busy: Option<String>,
    pub error: Option<String>,
    pub info: Option<String>,
    preview: Option<(image::Handle, Option<image::Handle>)>,
    pub printers: Vec<PrinterChoice>,
    pub printer: Option<PrinterChoice>,
    pub service_note: Option<String>,
    pub printing: Option<Arc<AtomicBool>>,
    pub job_status: Option<JobStatus>,
    drag: Option<Point>,
    pub webcams: Option<Vec<(String, PathBuf)>>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Import,
    /// A file chosen in the dialog or dropped on the window.
    File(PathBuf),
    Directory,
    Previous,
    /// A webcam by device path; `None` is the training camera.
    Webcam(Option<PathBuf>),
    Zoom(f32),
    DragStart,
    DragMove(Point),
    DragEnd,
    Scroll(mouse::ScrollDelta),
    Consent(bool),
    SavePhoto,
    /// Keep the card's current photo and go to the preview.
    KeepPhoto,
    BackToPhoto,
    ChoosePrinter(PrinterChoice),
    Print,
    SavePdf,
    Stop,
    Close,
}

impl State {
    pub fn new(card: CardId, person: PersonId, step: Step, default_printer: Option<&str>) -> State {
        State {
            card,
            person,
            step,
            cropping: None,
            consent: false,
            busy: None,
            error: None,
            info: None,
            preview: None,
            printers: Vec::new(),
            printer: default_printer.map(|uri| PrinterChoice {
                uri: uri.to_string(),
                name: uri.to_string(),
                status: String::new(),
                ready: true,
            }),
            service_note: None,
            printing: None,
            job_status: None,
            drag: None,
            webcams: None,
        }
    }

    /// What opening the flow loads: the printers, and the preview when starting at the print step.
    pub fn opening(&self) -> Vec<Effect> {
        let mut fx = vec![
            Effect::Job(Job::Prod(ProdJob::Printers)),
            Effect::Job(Job::Prod(ProdJob::Webcams)),
        ];
        if self.step == Step::Print {
            fx.push(Effect::Job(Job::Prod(ProdJob::Preview(self.card))));
        }
        fx
    }

    fn load(&mut self, source: PhotoSource) -> Vec<Effect> {
        self.error = None;
        self.busy = Some(fl!("studio-loading-photo"));
        vec![Effect::Job(Job::Prod(ProdJob::LoadPhoto {
            card: self.card,
            person: self.person,
            source,
        }))]
    }

    fn adjust(&mut self, f: impl FnOnce(Crop, u32, u32) -> Crop) {
        if let Some(c) = &mut self.cropping {
            let (w, h) = c.size();
            c.crop = f(c.crop, w, h);
            c.redraw();
        }
    }

    pub fn update(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Import => return vec![Effect::Dialog(Dialog::OpenPhoto)],
            Message::File(path) => return self.load(PhotoSource::File(path)),
            Message::Directory => return self.load(PhotoSource::Directory),
            Message::Previous => return self.load(PhotoSource::PreviousCard),
            Message::Webcam(dev) => return self.load(PhotoSource::Webcam(dev)),
            Message::Zoom(z) => self.adjust(|c, w, h| c.zoom_by(z / c.zoom, w, h)),
            Message::DragStart => self.drag = Some(Point::ORIGIN),
            Message::DragEnd => self.drag = None,
            Message::DragMove(p) => {
                if let (Some(last), Some(c)) = (self.drag, &self.cropping) {
                    if last != Point::ORIGIN {
                        let (vw, _) = c.view_size();
                        let per_px = c.size().0 as f32 / vw;
                        // Dragging the photo moves the frame the other way, as a viewfinder does.
                        let (dx, dy) = ((last.x - p.x) * per_px, (last.y - p.y) * per_px);
                        self.adjust(|c, w, h| c.move_by(dx, dy, w, h));
                    }
                    self.drag = Some(p);
                }
            }
            Message::Scroll(delta) => {
                let y = match delta {
                    mouse::ScrollDelta::Lines { y, .. } => y,
                    mouse::ScrollDelta::Pixels { y, .. } => y / 40.0,
                };
                self.adjust(|c, w, h| c.zoom_by(1.0 + 0.1 * y, w, h));
            }
            Message::Consent(v) => self.consent = v,
            Message::SavePhoto => {
                if let Some(c) = &self.cropping {
                    self.busy = Some(fl!("studio-saving-photo"));
                    return vec![Effect::Job(Job::Prod(ProdJob::SavePhoto {
                        card: self.card,
                        person: self.person,
                        image: c.image.clone(),
                        crop: c.crop,
                        origin: c.origin,
                        consent: self.consent,
                    }))];
                }
            }
            Message::KeepPhoto => {
                self.step = Step::Print;
                return vec![Effect::Job(Job::Prod(ProdJob::Preview(self.card)))];
            }
            Message::BackToPhoto => self.step = Step::Photo,
            Message::ChoosePrinter(p) => self.printer = Some(p),
            Message::Print => {
                if let Some(p) = &self.printer {
                    return self.print(Destination::Printer(p.uri.clone()));
                }
            }
            Message::SavePdf => return vec![Effect::Dialog(Dialog::SavePdf(Origin::Desk))],
            Message::Stop => {
                if let Some(stop) = &self.printing {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            // Handled by the Desk, which closes the flow.
            Message::Close => {}
        }
        Vec::new()
    }

    /// Sends the card to `destination` (the Desk prints one card at a time).
    pub fn print(&mut self, destination: Destination) -> Vec<Effect> {
        let stop = Arc::new(AtomicBool::new(false));
        self.printing = Some(stop.clone());
        self.error = None;
        self.info = None;
        self.job_status = None;
        self.busy = Some(fl!("studio-sending"));
        vec![Effect::Print(PrintRequest {
            origin: Origin::Desk,
            cards: vec![self.card],
            destination,
            stop,
        })]
    }

    pub fn on_photo_loaded(
        &mut self,
        image: Arc<::image::RgbImage>,
        work: &::image::RgbaImage,
        origin: &'static str,
    ) {
        self.busy = None;
        self.step = Step::Photo;
        self.cropping = Some(Cropping::new(image, work, origin));
    }

    /// The photo is stored: on to the preview.
    pub fn on_photo_saved(&mut self) -> Vec<Effect> {
        self.busy = None;
        self.cropping = None;
        self.step = Step::Print;
        self.info = Some(fl!("studio-photo-saved"));
        vec![Effect::Job(Job::Prod(ProdJob::Preview(self.card)))]
    }

    pub fn on_preview(&mut self, front: &::image::RgbaImage, back: Option<&::image::RgbaImage>) {
        let handle = |i: &::image::RgbaImage| {
            image::Handle::from_rgba(i.width(), i.height(), i.as_raw().clone())
        };
        self.preview = Some((handle(front), back.map(handle)));
    }

    pub fn on_printers(&mut self, list: Vec<PrinterChoice>, service: Option<String>) {
        if let Some(chosen) = &self.printer
            && let Some(found) = list.iter().find(|p| p.uri == chosen.uri)
        {
            self.printer = Some(found.clone());
        }
        if self.printer.is_none() {
            self.printer = list.iter().find(|p| p.ready).cloned();
        }
        self.printers = list;
        self.service_note = service;
    }

    pub fn on_print(&mut self, msg: PrintMsg) {
        match msg {
            PrintMsg::Progress(_, Progress::Sent { .. }) => {
                self.busy = Some(fl!("studio-waiting-printer"));
            }
            PrintMsg::Progress(_, Progress::Job { status }) => self.job_status = Some(status),
            PrintMsg::Progress(_, Progress::Done { result, .. }) => {
                self.busy = None;
                match result.outcome {
                    Outcome::Printed => self.info = Some(fl!("studio-printed", card = result.card)),
                    Outcome::Failed(m) => {
                        self.error = Some(fl!("print-card-failed", card = result.card, message = m))
                    }
                    Outcome::Skipped(m) => {
                        self.error =
                            Some(fl!("print-card-skipped", card = result.card, message = m))
                    }
                    Outcome::Stopped => {
                        self.error = Some(fl!("print-card-stopped", card = result.card))
                    }
                }
            }
            PrintMsg::Finished(..) => {
                self.printing = None;
                self.busy = None;
            }
            PrintMsg::Failed(_, m) => {
                self.printing = None;
                self.busy = None;
                self.error = Some(m);
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let steps = row![
            step_label(fl!("studio-step-photo"), self.step == Step::Photo),
            text("›").size(18),
            step_label(fl!("studio-step-print"), self.step == Step::Print),
            iced::widget::space::horizontal(),
            button(text(fl!("studio-close")))
                .on_press(Message::Close)
                .style(button::secondary),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        let mut col =
            column![text(fl!("studio-title", card = self.card)).size(22), steps].spacing(12);
        if let Some(b) = &self.busy {
            col = col.push(notice(b.clone(), false));
        }
        if let Some(e) = &self.error {
            col = col.push(notice(e.clone(), true));
        } else if let Some(i) = &self.info {
            col = col.push(notice(i.clone(), false));
        }
        col = col.push(match self.step {
            Step::Photo => self.photo_view(),
            Step::Print => self.print_view(),
        });
        container(iced::widget::scrollable(col.padding([0, 14])))
            .width(Length::Fill)
            .height(Length::Fill)
            .into()
    }

    fn photo_view(&self) -> Element<'_, Message> {
        let mut sources = Row::new()
            .spacing(8)
            .push(button(text(fl!("studio-import"))).on_press(Message::Import))
            .push(button(text(fl!("studio-use-directory"))).on_press(Message::Directory))
            .push(button(text(fl!("studio-use-previous"))).on_press(Message::Previous));
        let webcams = self.webcams.as_deref().unwrap_or_default();
        for (name, path) in webcams {
            sources = sources.push(
                button(text(fl!("studio-webcam", name = name.clone())))
                    .on_press(Message::Webcam(Some(path.clone()))),
            );
        }
        // The training camera when the machine has none (once the scan has answered).
        if self.webcams.as_ref().is_some_and(Vec::is_empty) {
            sources = sources.push(
                button(text(fl!("studio-training-camera")))
                    .on_press(Message::Webcam(None))
                    .style(button::secondary),
            );
        }
        let mut col = Column::new()
            .spacing(12)
            .push(sources.wrap().vertical_spacing(8))
            .push(text(fl!("studio-drop-hint")).size(13));
        match &self.cropping {
            Some(c) => {
                let (vw, vh) = c.view_size();
                let framed = mouse_area(
                    image(c.framed.clone())
                        .width(Length::Fixed(vw))
                        .height(Length::Fixed(vh)),
                )
                .on_press(Message::DragStart)
                .on_release(Message::DragEnd)
                .on_move(Message::DragMove)
                .on_scroll(Message::Scroll)
                .interaction(mouse::Interaction::Grab);
                let (w, h) = c.size();
                let zoom = slider(
                    1.0..=Crop::max_zoom(w, h).max(1.0),
                    c.crop.zoom,
                    Message::Zoom,
                )
                .step(0.01)
                .width(Length::Fixed(vw));
                let result = column![
                    text(fl!("studio-result")).size(13),
                    image(c.result.clone()).width(150).height(188),
                    text(fl!(
                        "studio-photo-size",
                        width = photo::PHOTO_WIDTH,
                        height = photo::PHOTO_HEIGHT
                    ))
                    .size(12),
                ]
                .spacing(6);
                col = col
                    .push(text(fl!("studio-crop-help")).size(13))
                    .push(
                        row![
                            column![
                                framed,
                                row![text(fl!("studio-zoom")).size(13), zoom].spacing(8)
                            ]
                            .spacing(8),
                            result
                        ]
                        .spacing(20),
                    )
                    .push(
                        checkbox(self.consent)
                            .label(fl!("studio-consent"))
                            .on_toggle(Message::Consent),
                    )
                    .push(
                        button(text(fl!("studio-save-photo")))
                            .on_press(Message::SavePhoto)
                            .style(button::primary)
                            .padding([8, 16]),
                    );
            }
            None => {
                col = col.push(
                    button(text(fl!("studio-keep-photo")))
                        .on_press(Message::KeepPhoto)
                        .style(button::secondary),
                );
            }
        }
        col.into()
    }

    /// Both faces as they will print (rendered from the card's template layout), or a wait note.
    pub fn preview_view(&self) -> Element<'_, Message> {
        match &self.preview {
            Some((front, back)) => {
                let mut faces = Row::new()
                    .spacing(16)
                    .push(face(front, fl!("studio-front")));
                if let Some(b) = back {
                    faces = faces.push(face(b, fl!("studio-back")));
                }
                // Side by side on a wide window, one above the other on a narrow one.
                faces.wrap().vertical_spacing(12).into()
            }
            None => text(fl!("studio-preview-loading")).size(13).into(),
        }
    }

    fn print_view(&self) -> Element<'_, Message> {
        let mut col = Column::new().spacing(12).push(self.preview_view());
        let printing = self.printing.is_some();
        let chooser = pick_list(
            self.printers.as_slice(),
            self.printer.clone(),
            Message::ChoosePrinter,
        )
        .placeholder(fl!("studio-choose-printer"))
        .width(Length::Fixed(420.0));
        let mut actions = row![chooser].spacing(8).align_y(Alignment::Center);
        let print = button(text(fl!("studio-print")))
            .style(button::primary)
            .padding([8, 16]);
        actions = actions.push(if printing || self.printer.is_none() {
            print
        } else {
            print.on_press(Message::Print)
        });
        let pdf = button(text(fl!("studio-save-pdf"))).padding([8, 16]);
        actions = actions.push(if printing {
            pdf
        } else {
            pdf.on_press(Message::SavePdf)
        });
        if printing {
            actions = actions.push(
                button(text(fl!("studio-stop")))
                    .on_press(Message::Stop)
                    .style(button::danger),
            );
        }
        col = col.push(actions.wrap().vertical_spacing(8));
        if let Some(note) = &self.service_note {
            col = col.push(text(note.clone()).size(12));
        }
        if let Some(st) = &self.job_status {
            col = col.push(text(crate::ui_text::job_status(st)).size(13));
        }
        col = col.push(
            button(text(fl!("studio-change-photo")))
                .on_press(Message::BackToPhoto)
                .style(button::text),
        );
        col.into()
    }
}

fn face<'a>(handle: &image::Handle, label: String) -> Element<'a, Message> {
    column![
        text(label).size(13),
        container(image(handle.clone()).width(428).height(273)).style(theme::section)
    ]
    .spacing(4)
    .into()
}

fn step_label<'a>(label: String, current: bool) -> Element<'a, Message> {
    let t = text(label).size(16);
    if current {
        container(t)
            .padding([4, 12])
            .style(theme::badge(iced::Color::from_rgb8(0x1f, 0x6f, 0xeb)))
            .into()
    } else {
        container(t).padding([4, 12]).into()
    }
}
