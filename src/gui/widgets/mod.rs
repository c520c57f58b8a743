//! Reusable widgets.

pub mod banner;
pub mod virtual_list;
