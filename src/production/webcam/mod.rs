//! Webcam capture for the photo step: a [`FrameSource`] hands RGB frames to the crop view, and the chosen
//! frame goes through [`crate::production::photo::process_frame`].
//!
//! The real cameras are V4L2 devices driven by hand with `libc` ioctls ([`v4l2`], Linux with the `webcam`
//! feature only); elsewhere [`devices`] is empty. [`SyntheticSource`] is a deterministic moving portrait
//! for the tests and the demo/training mode, where no camera exists.

use std::path::PathBuf;

use image::RgbImage;

pub mod convert;
mod synthetic;
#[cfg(all(feature = "webcam", target_os = "linux"))]
pub mod v4l2;

pub use synthetic::SyntheticSource;

/// A camera or anything that produces frames like one. `Send` so the GUI can pull frames on a worker thread.
pub trait FrameSource: Send {
    /// The next frame, waiting at most a few seconds for it.
    fn next_frame(&mut self) -> Result<RgbImage, WebcamError>;
    /// The camera's name as its driver reports it, for the device picker.
    fn name(&self) -> String;
}

/// A capture device found on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    pub path: PathBuf,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebcamError {
    #[error("webcam capture is not available in this build or on this system")]
    Unsupported,
    #[error("cannot open {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("permission denied on {path}")]
    PermissionDenied { path: PathBuf },
    #[error("{path} is busy (used by another application)")]
    Busy { path: PathBuf },
    #[error("{path} is not a V4L2 video capture device with streaming I/O")]
    NotCapture { path: PathBuf },
    #[error("{path} offers neither YUYV nor MJPG (offers: {offered})")]
    NoFormat { path: PathBuf, offered: String },
    #[error("{op} failed: {message}")]
    Ioctl { op: &'static str, message: String },
    #[error("no frame within {millis} ms")]
    Timeout { millis: u64 },
    #[error("the camera was disconnected")]
    Disconnected,
    #[error("unusable frame: {0}")]
    Frame(String),
}

/// The V4L2 video capture devices (`/dev/video*` answering `VIDIOC_QUERYCAP` as streaming capture
/// devices), in device-number order. Nodes the user may not open are listed too, named from sysfs, so that
/// [`open`] can explain the permission problem instead of the camera silently missing.
pub fn devices() -> Vec<DeviceInfo> {
    #[cfg(all(feature = "webcam", target_os = "linux"))]
    {
        v4l2::devices()
    }
    #[cfg(not(all(feature = "webcam", target_os = "linux")))]
    {
        Vec::new()
    }
}

/// Opens a device from [`devices`] and starts streaming.
pub fn open(dev: &DeviceInfo) -> Result<Box<dyn FrameSource>, WebcamError> {
    #[cfg(all(feature = "webcam", target_os = "linux"))]
    {
        v4l2::Camera::open(&dev.path).map(|c| Box::new(c) as Box<dyn FrameSource>)
    }
    #[cfg(not(all(feature = "webcam", target_os = "linux")))]
    {
        let _ = dev;
        Err(WebcamError::Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::production::photo::{self, PHOTO_HEIGHT, PHOTO_WIDTH};

    #[test]
    fn a_synthetic_capture_becomes_a_card_photo() {
        let mut cam: Box<dyn FrameSource> = Box::new(SyntheticSource::new());
        assert!(!cam.name().is_empty());
        let frame = cam.next_frame().expect("synthetic frames never fail");
        assert_eq!(frame.dimensions(), (640, 480));
        let jpeg = photo::process_frame(&frame, None).expect("a 640x480 frame is large enough");
        assert_eq!((jpeg.width, jpeg.height), (PHOTO_WIDTH, PHOTO_HEIGHT));
        assert!(jpeg.bytes.len() <= photo::MAX_JPEG_BYTES);
        let back = image::load_from_memory_with_format(&jpeg.bytes, image::ImageFormat::Jpeg)
            .expect("decodes")
            .into_rgb8();
        assert_eq!(back.dimensions(), (PHOTO_WIDTH, PHOTO_HEIGHT));
        // The face is in the middle of the default crop: skin, i.e. clearly more red than blue.
        let px = back.get_pixel(PHOTO_WIDTH / 2, PHOTO_HEIGHT / 2 + 20);
        assert!(px[0] > px[2] + 40, "{px:?}");
        // The same capture through the byte pipeline (as if saved and imported).
        let mut png = Vec::new();
        frame
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("PNG encoding");
        let again = photo::process(&png, None).expect("imported capture");
        assert_eq!((again.width, again.height), (PHOTO_WIDTH, PHOTO_HEIGHT));
    }

    #[test]
    fn device_listing_never_fails() {
        // No camera on the build machines; the call must still return (possibly empty) without panicking,
        // and every entry must have a path.
        for d in devices() {
            assert!(d.path.to_string_lossy().starts_with("/dev/video"));
        }
    }

    #[cfg(not(all(feature = "webcam", target_os = "linux")))]
    #[test]
    fn open_is_unsupported_without_v4l2() {
        let dev = DeviceInfo {
            path: PathBuf::from("/dev/video0"),
            name: String::new(),
        };
        assert_eq!(open(&dev).err(), Some(WebcamError::Unsupported));
    }
}
