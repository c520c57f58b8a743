//! Wording of card rendering: template, QR code, font, bitmap and PDF errors.

use crate::fl;
use crate::production::fonts::FontError;
use crate::production::pdf::PdfError;
use crate::production::qr::QrError;
use crate::production::raster::RasterError;
use crate::production::template::{Problem, TemplateError};

pub fn template_problem(p: &Problem) -> String {
    match p {
        Problem::Missing => fl!("tpl-problem-missing"),
        Problem::NotPositive => fl!("tpl-problem-not-positive"),
        Problem::OutsideCard => fl!("tpl-problem-outside-card"),
        Problem::BadColour => fl!("tpl-problem-bad-colour"),
        Problem::BadChoice { allowed } => {
            fl!("tpl-problem-bad-choice", allowed = allowed.to_string())
        }
        Problem::BadFileName => fl!("tpl-problem-bad-file-name"),
        Problem::MinAboveSize => fl!("tpl-problem-min-above-size"),
        Problem::TooTall => fl!("tpl-problem-too-tall"),
        Problem::DuplicateName => fl!("tpl-problem-duplicate-name"),
        Problem::UnknownType => fl!("tpl-problem-unknown-type"),
        Problem::UnclosedBrace => fl!("tpl-problem-unclosed-brace"),
        Problem::NotApplicable => fl!("tpl-problem-not-applicable"),
    }
}

pub fn template_error(e: &TemplateError) -> String {
    match e {
        TemplateError::Syntax {
            file,
            line,
            message,
        } => fl!(
            "err-tpl-syntax",
            file = file.clone(),
            line = line.to_string(),
            message = message.clone()
        ),
        TemplateError::UnknownPlaceholder {
            file,
            line,
            field,
            placeholder,
        } => fl!(
            "err-tpl-placeholder",
            file = file.clone(),
            line = line.to_string(),
            field = field.clone(),
            placeholder = placeholder.clone()
        ),
        TemplateError::Invalid {
            file,
            line,
            field,
            problem,
        } => fl!(
            "err-tpl-invalid",
            file = file.clone(),
            line = line.to_string(),
            field = field.clone(),
            problem = template_problem(problem)
        ),
        TemplateError::Image {
            file,
            line,
            name,
            message,
        } => fl!(
            "err-tpl-image",
            file = file.clone(),
            line = line.to_string(),
            name = name.clone(),
            message = message.clone()
        ),
        TemplateError::BadId(id) => fl!("err-tpl-bad-id", id = id.clone()),
        TemplateError::Io { path, message } => fl!(
            "err-tpl-io",
            path = path.display().to_string(),
            message = message.clone()
        ),
        TemplateError::AlreadyExists(path) => {
            fl!("err-tpl-exists", path = path.display().to_string())
        }
        TemplateError::Photo(message) => fl!("err-tpl-photo", message = message.clone()),
        TemplateError::Qr(q) => qr_error(q),
        TemplateError::Font(f) => font_error(f),
    }
}

pub fn qr_error(e: &QrError) -> String {
    match e {
        QrError::Empty => fl!("err-qr-empty"),
        QrError::TooLong { len } => fl!("err-qr-too-long", len = len.to_string()),
        QrError::Encode(m) => fl!("err-qr-encode", message = m.clone()),
    }
}

pub fn font_error(e: &FontError) -> String {
    match e {
        FontError::Unreadable { face, message } => fl!(
            "err-font-unreadable",
            face = format!("{face:?}"),
            message = message.clone()
        ),
    }
}

pub fn raster_error(e: &RasterError) -> String {
    match e {
        RasterError::Size { width, height } => fl!(
            "err-raster-size",
            width = width.to_string(),
            height = height.to_string()
        ),
        RasterError::Encode(m) => fl!("err-raster-encode", message = m.clone()),
    }
}

pub fn pdf_error(e: &PdfError) -> String {
    match e {
        PdfError::Font(f) => font_error(f),
        PdfError::PdfFont(face) => fl!("err-pdf-font", face = format!("{face:?}")),
        PdfError::Image(m) => fl!("err-pdf-image", message = m.clone()),
        PdfError::Empty => fl!("err-pdf-empty"),
    }
}
