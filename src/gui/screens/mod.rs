//! One module per screen: `State`, `Message`, `update(&mut State, Message) -> Vec<Effect>`, `view`.

pub mod batch_encode;
pub mod desk;
pub mod directory;
pub mod encode_panel;
pub mod encoding;
pub mod groups;
pub mod imports;
pub mod library;
pub mod new_person;
pub mod person_panel;
pub mod printers;
pub mod production;
pub mod queue;
pub mod readers;
pub mod services;
pub mod settings;
pub mod studio;
pub mod training;
