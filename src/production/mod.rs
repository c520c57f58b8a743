//! Card production: rendering, printing and encoding cards.

pub mod ipp;
pub mod print;
