//! Card production: the photo pipeline and webcam capture, the card template, printing and encoding.

pub mod photo;
pub mod webcam;
