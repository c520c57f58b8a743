//! The window's keyboard shortcuts: Ctrl+F and "/" to search, Tab between fields, the Desk's list keys.

use iced::keyboard::{Key, Modifiers, key::Named};

use super::app::{App, Effect, Screen};
use super::screens::desk;

impl App {
    pub(super) fn on_key(&mut self, key: Key, modifiers: Modifiers) -> Vec<Effect> {
        let focus = || vec![Effect::Focus(desk::SEARCH_ID)];
        match key.as_ref() {
            Key::Character("f") if modifiers.command() => {
                self.screen = Screen::Desk;
                focus()
            }
            Key::Character("/") if !modifiers.command() => {
                self.screen = Screen::Desk;
                focus()
            }
            Key::Named(Named::Tab) => vec![Effect::FocusNext {
                back: modifiers.shift(),
            }],
            _ if self.screen != Screen::Desk => Vec::new(),
            Key::Named(Named::ArrowDown) => self.desk.update(desk::Message::Move(1)),
            Key::Named(Named::ArrowUp) => self.desk.update(desk::Message::Move(-1)),
            Key::Named(Named::PageDown) => self.desk.update(desk::Message::Move(10)),
            Key::Named(Named::PageUp) => self.desk.update(desk::Message::Move(-10)),
            Key::Named(Named::Enter) => self.desk.update(desk::Message::Submit),
            Key::Named(Named::Escape) => self.desk.update(desk::Message::CancelDialog),
            _ => Vec::new(),
        }
    }
}
