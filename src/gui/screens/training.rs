//! The virtual reader for training (`config.encode.virtual_reader`): an in-process reader with a software
//! DESFire card, offered next to the PC/SC readers. The operator puts a blank card on it (a fresh random
//! `04……` UID each time, so every card is a new chip) or takes it away; its card shows like a real
//! reader's.

use iced::widget::{button, checkbox, column, container, row, text};
use iced::{Alignment, Element, Length};

use crate::fl;
use crate::gui::theme;
use crate::nfc::desfire::random::{OsRandom, Random};
use crate::nfc::sim::SimCard;
use crate::nfc::transport::VirtualReader;
use crate::ui_text;

#[derive(Debug)]
pub struct State {
    pub reader: VirtualReader,
    /// The next blank card has random UID switched on.
    pub random_uid: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    PutBlank,
    RandomUid(bool),
    Remove,
}

impl Default for State {
    fn default() -> Self {
        State {
            reader: VirtualReader::new(&fl!("encode-virtual-reader")),
            random_uid: false,
            error: None,
        }
    }
}

/// A fresh NXP-like UID: `04` then six random bytes.
fn fresh_uid() -> Result<[u8; 7], String> {
    let mut uid = [0u8; 7];
    uid[0] = 0x04;
    OsRandom
        .fill(&mut uid[1..])
        .map_err(|e| ui_text::nfc_error(&e))?;
    Ok(uid)
}

impl State {
    pub fn name(&self) -> &str {
        self.reader.name()
    }

    pub fn update(&mut self, msg: Message) {
        self.error = None;
        match msg {
            Message::PutBlank => match fresh_uid() {
                Ok(uid) => {
                    let card = if self.random_uid {
                        SimCard::with_random_uid(uid, 0)
                    } else {
                        SimCard::blank(uid)
                    };
                    self.reader
                        .insert(Box::new(card.with_random(Box::new(OsRandom))));
                }
                Err(m) => self.error = Some(m),
            },
            Message::RandomUid(on) => self.random_uid = on,
            Message::Remove => {
                self.reader.take();
            }
        }
    }

    /// The reader, its card and the training buttons.
    pub fn view(&self) -> Element<'_, Message> {
        let present = match self.reader.atr() {
            Some(atr) => fl!("readers-card-present", atr = ui_text::hex_bytes(&atr, " ")),
            None => fl!("readers-no-card"),
        };
        let controls = row![
            button(text(fl!("encode-put-blank")).size(14))
                .on_press(Message::PutBlank)
                .style(button::secondary)
                .padding([6, 12]),
            checkbox(self.random_uid)
                .label(fl!("encode-random-uid"))
                .on_toggle(Message::RandomUid),
            button(text(fl!("encode-remove-card")).size(14))
                .on_press_maybe(self.reader.card_present().then_some(Message::Remove))
                .style(button::secondary)
                .padding([6, 12]),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        let mut col = column![
            text(self.name().to_string()).size(15),
            text(present).size(13),
            controls
        ]
        .spacing(6);
        if let Some(e) = &self.error {
            col = col.push(text(e.clone()).size(13).style(text::danger));
        }
        container(col)
            .padding(10)
            .width(Length::Fill)
            .style(theme::section)
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_blank_card_is_a_new_chip_and_can_be_taken_away() {
        let mut s = State::default();
        assert!(!s.reader.card_present());
        s.update(Message::PutBlank);
        let first = crate::nfc::transport::read_uid(&mut s.reader.connect().unwrap()).unwrap();
        assert_eq!((first.len(), first[0]), (7, 0x04));
        s.update(Message::PutBlank);
        let second = crate::nfc::transport::read_uid(&mut s.reader.connect().unwrap()).unwrap();
        assert_ne!(first, second, "a fresh UID each time");
        s.update(Message::Remove);
        assert!(!s.reader.card_present());
    }
}
