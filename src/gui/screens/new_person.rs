//! The Desk's form for a person the directory does not hold (a guest, external staff, a visitor): names,
//! birth date, e-mail and kind; recording gives the SDET identifiers (`store::guests`).

use iced::widget::{Column, button, row, text, text_input};
use iced::{Alignment, Element, Length};

use crate::fl;
use crate::gui::widgets::banner::notice;
use crate::store::guests::{GuestInput, GuestKind};
use crate::ui_text;

/// Widget id of the first field (focused when the form opens).
pub const SURNAME_ID: &str = "new-person-surname";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Surname,
    Given,
    Birth,
    Email,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub surname: String,
    pub given: String,
    pub birth: String,
    pub email: String,
    pub kind: GuestKind,
    pub error: Option<String>,
    pub busy: bool,
    /// "Identifiers of territory V6, 17 digits" (from the settings).
    pub note: String,
}

#[derive(Debug, Clone)]
pub enum Message {
    Edit(Field, String),
    Kind(GuestKind),
    Save,
    Cancel,
}

/// What the Desk does after a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    None,
    Save(GuestInput),
    Cancel,
}

impl State {
    pub fn new(note: String) -> State {
        State {
            note,
            ..State::default()
        }
    }

    /// The input to record, or the message to show.
    pub fn input(&self) -> Result<GuestInput, String> {
        if self.surname.trim().is_empty() {
            return Err(fl!("guest-err-surname"));
        }
        if self.given.trim().is_empty() {
            return Err(fl!("guest-err-given"));
        }
        let birth_date = ui_text::typed_birth_date(&self.birth)?;
        Ok(GuestInput {
            surname: self.surname.trim().to_string(),
            given_name: self.given.trim().to_string(),
            birth_date,
            email: Some(self.email.trim().to_string()).filter(|e| !e.is_empty()),
            kind: self.kind,
            structure_code: None,
        })
    }

    pub fn update(&mut self, msg: Message) -> Outcome {
        match msg {
            Message::Edit(f, v) => {
                let slot = match f {
                    Field::Surname => &mut self.surname,
                    Field::Given => &mut self.given,
                    Field::Birth => &mut self.birth,
                    Field::Email => &mut self.email,
                };
                *slot = v;
                self.error = None;
                Outcome::None
            }
            Message::Kind(k) => {
                self.kind = k;
                Outcome::None
            }
            Message::Save if self.busy => Outcome::None,
            Message::Save => match self.input() {
                Ok(input) => {
                    self.busy = true;
                    self.error = None;
                    Outcome::Save(input)
                }
                Err(e) => {
                    self.error = Some(e);
                    Outcome::None
                }
            },
            Message::Cancel => Outcome::Cancel,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let field = |label: String, value: &str, f: Field| {
            let input = text_input("", value)
                .on_input(move |v| Message::Edit(f, v))
                .on_submit(Message::Save)
                .padding(8)
                .size(15);
            let input = if f == Field::Surname {
                input.id(SURNAME_ID)
            } else {
                input
            };
            row![text(label).size(14).width(Length::Fixed(230.0)), input]
                .spacing(8)
                .align_y(Alignment::Center)
        };
        let mut kinds = row![
            text(fl!("new-person-kind"))
                .size(14)
                .width(Length::Fixed(230.0))
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        for k in GuestKind::ALL {
            kinds = kinds.push(
                button(text(ui_text::guest_kind(k)).size(14))
                    .on_press(Message::Kind(k))
                    .style(if self.kind == k {
                        button::primary
                    } else {
                        button::secondary
                    }),
            );
        }
        let mut col = Column::new()
            .spacing(12)
            .max_width(760)
            .push(text(fl!("new-person-title")).size(24))
            .push(text(fl!("new-person-help")).size(13))
            .push(field(
                fl!("new-person-surname"),
                &self.surname,
                Field::Surname,
            ))
            .push(field(fl!("new-person-given"), &self.given, Field::Given))
            .push(field(fl!("new-person-birth"), &self.birth, Field::Birth))
            .push(field(fl!("new-person-email"), &self.email, Field::Email))
            .push(kinds)
            .push(text(self.note.clone()).size(12));
        if let Some(e) = &self.error {
            col = col.push(notice(e.clone(), true));
        }
        col.push(
            row![
                button(text(fl!("new-person-save")))
                    .on_press_maybe((!self.busy).then_some(Message::Save))
                    .style(button::primary),
                button(text(fl!("cancel")))
                    .on_press(Message::Cancel)
                    .style(button::text),
            ]
            .spacing(10),
        )
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_checks_names_and_date_before_recording() {
        let mut s = State::new(String::new());
        assert_eq!(s.update(Message::Save), Outcome::None);
        assert!(s.error.is_some());
        s.update(Message::Edit(Field::Surname, " Roux ".into()));
        s.update(Message::Edit(Field::Given, "Anne".into()));
        s.update(Message::Edit(Field::Birth, "31/02/2001".into()));
        assert_eq!(s.update(Message::Save), Outcome::None);
        assert!(s.error.as_deref().unwrap().contains("31/02/2001"));
        s.update(Message::Edit(Field::Birth, "17/05/1980".into()));
        s.update(Message::Kind(GuestKind::Visitor));
        match s.update(Message::Save) {
            Outcome::Save(input) => {
                assert_eq!(input.surname, "Roux");
                assert_eq!(input.kind, GuestKind::Visitor);
                assert_eq!(
                    input.birth_date.map(|d| d.to_string()).as_deref(),
                    Some("1980-05-17")
                );
                assert_eq!(input.email, None);
            }
            other => panic!("{other:?}"),
        }
        assert!(s.busy);
        assert_eq!(
            s.update(Message::Save),
            Outcome::None,
            "one record per click"
        );
        assert_eq!(s.update(Message::Cancel), Outcome::Cancel);
    }
}
