//! The small texts and boxed sections of every screen, so that their sizes and colours are decided once.

use iced::widget::text::IntoFragment;
use iced::widget::{Text, column, container, text};
use iced::{Element, Length, Theme};

use crate::gui::theme;

/// The size of notes, table cells and hints.
pub const SMALL: f32 = 13.0;

/// A note, a table cell or a hint.
pub fn small<'a>(s: impl IntoFragment<'a>) -> Text<'a> {
    text(s).size(SMALL)
}

/// A secondary note, in the theme's muted colour.
pub fn muted<'a>(s: impl IntoFragment<'a>) -> Text<'a> {
    small(s).style(|t: &Theme| text::Style {
        color: Some(theme::muted(t)),
    })
}

/// A box in the section style around `content`.
pub fn boxed<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    container(content)
        .padding(14)
        .width(Length::Fill)
        .style(theme::section)
        .into()
}

/// A boxed section with its title.
pub fn titled<'a, M: 'a>(title: String, body: Element<'a, M>) -> Element<'a, M> {
    boxed(column![text(title).size(17), body].spacing(10))
}
