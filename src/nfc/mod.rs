//! Contactless cards: PC/SC readers, the MIFARE DESFire protocol, encoding profiles and the software DESFire
//! card used for training and tests. Facts: `../shared/reference/desfire.md`.

pub mod apdu;
pub mod desfire;
pub mod encoder;
pub mod keys;
pub mod monitor;
pub mod pcsc;
pub mod profile;
pub mod sim;
pub mod station;
pub mod transport;
pub mod vpcd;
