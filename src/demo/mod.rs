//! The demo institution (being written).
