//! Pure types and rules: no SQLite, no network, no clock (time is passed in).

pub mod card;
pub mod group;
pub mod ids;
pub mod names;
pub mod person;
pub mod sdet;
pub mod structure;
pub mod tariff;
