//! Card production: the photo pipeline and webcam capture, the card templates and their one layout model,
//! the PDF and raster renderers, the QR code, printing through IPP, and the print jobs that move cards to
//! PRINTED.

pub mod catalog;
pub mod delivery;
pub mod fonts;
pub mod ipp;
pub mod job;
pub mod pdf;
pub mod photo;
#[doc(hidden)]
pub mod photo_fixture;
pub mod print;
pub mod qr;
pub mod raster;
pub mod slip;
pub mod template;
pub mod webcam;
