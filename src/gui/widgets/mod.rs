//! Reusable widgets.

pub mod virtual_list;
