//! Card production: the photo pipeline and webcam capture, the card templates and their one layout model,
//! the PDF and raster renderers, printing through IPP, and the print jobs that move cards to PRINTED.

pub mod catalog;
pub mod delivery;
pub mod ipp;
pub mod job;
pub mod photo;
pub mod print;
pub mod webcam;
