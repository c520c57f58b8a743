//! Card production: the card layout model (templates), its two renderers (PDF and raster), the QR code and
//! the delivery slip.

pub mod fonts;
pub mod pdf;
pub mod qr;
pub mod raster;
pub mod slip;
pub mod template;
