//! Guichet: the card bureau's desktop application. See README.md ("Architecture").

pub mod cli;
pub mod config;
pub mod demo;
pub mod directory;
pub mod domain;
pub mod gui;
pub mod i18n;
pub mod library;
pub mod nfc;
pub mod production;
pub mod remote;
pub mod secrets;
pub mod store;
pub mod ui_text;
