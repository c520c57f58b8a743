//! Guichet: the card bureau's desktop application. See README.md ("Architecture").

pub mod domain;
pub mod i18n;
pub mod store;
pub mod demo;
