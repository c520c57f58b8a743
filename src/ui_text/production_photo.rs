//! Wording of the photo step: photo pipeline and webcam errors.

use crate::fl;
use crate::production::photo::PhotoError;
use crate::production::webcam::WebcamError;

pub fn photo_error(e: &PhotoError) -> String {
    match e {
        PhotoError::NotAnImage => fl!("err-photo-not-an-image"),
        PhotoError::Unsupported { format } => {
            fl!("err-photo-unsupported", format = format.clone())
        }
        PhotoError::TooSmall {
            width,
            height,
            min_width,
            min_height,
        } => fl!(
            "err-photo-too-small",
            width = width.to_string(),
            height = height.to_string(),
            min_width = min_width.to_string(),
            min_height = min_height.to_string()
        ),
        PhotoError::TooLarge {
            width,
            height,
            max_side,
            ..
        } => fl!(
            "err-photo-too-large",
            width = width.to_string(),
            height = height.to_string(),
            max_side = max_side.to_string()
        ),
        PhotoError::Limit(_) => fl!("err-photo-limit"),
        PhotoError::Corrupt(message) => fl!("err-photo-corrupt", message = message.clone()),
        PhotoError::Encode(message) => fl!("err-photo-encode", message = message.clone()),
        PhotoError::OutputTooLarge { bytes, max } => fl!(
            "err-photo-output-too-large",
            kb = (bytes / 1024).to_string(),
            max_kb = (max / 1024).to_string()
        ),
    }
}

pub fn webcam_error(e: &WebcamError) -> String {
    match e {
        WebcamError::Unsupported => fl!("err-webcam-unsupported"),
        WebcamError::Open { path, message } => fl!(
            "err-webcam-open",
            path = path.display().to_string(),
            message = message.clone()
        ),
        WebcamError::PermissionDenied { path } => {
            fl!("err-webcam-permission", path = path.display().to_string())
        }
        WebcamError::Busy { path } => fl!("err-webcam-busy", path = path.display().to_string()),
        WebcamError::NotCapture { path } => {
            fl!("err-webcam-not-capture", path = path.display().to_string())
        }
        WebcamError::NoFormat { path, offered } => fl!(
            "err-webcam-no-format",
            path = path.display().to_string(),
            offered = offered.clone()
        ),
        WebcamError::Ioctl { op, message } => fl!(
            "err-webcam-ioctl",
            op = op.to_string(),
            message = message.clone()
        ),
        WebcamError::Timeout { millis } => fl!(
            "err-webcam-timeout",
            seconds = millis.div_ceil(1000).to_string()
        ),
        WebcamError::Disconnected => fl!("err-webcam-disconnected"),
        WebcamError::Frame(message) => fl!("err-webcam-frame", message = message.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The language is process-wide; tests keep the default one rather than race other tests by switching.
    #[test]
    fn the_too_small_message_gives_both_sizes() {
        let e = PhotoError::TooSmall {
            width: 96,
            height: 120,
            min_width: 300,
            min_height: 376,
        };
        let text = photo_error(&e);
        for n in ["96", "120", "300", "376"] {
            assert!(text.contains(n), "{text}");
        }
        let t = webcam_error(&WebcamError::Timeout { millis: 4000 });
        assert!(t.contains('4'), "{t}");
    }
}
