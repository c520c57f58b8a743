//! The message banners of the screens: an error or an information, with a "Dismiss" button ([`banner`]) or
//! without one while it stays true ([`notice`]).

use iced::widget::{button, container, row, text};
use iced::{Alignment, Element, Length};

use crate::fl;
use crate::gui::theme;

pub fn banner<'a, M: Clone + 'a>(message: String, error: bool, dismiss: M) -> Element<'a, M> {
    container(
        row![
            text(message).width(Length::Fill),
            button(text(fl!("dismiss")).size(13))
                .on_press(dismiss)
                .style(button::text)
        ]
        .spacing(8)
        .align_y(Alignment::Center),
    )
    .padding(10)
    .width(Length::Fill)
    .style(if error {
        theme::error_banner
    } else {
        theme::info_banner
    })
    .into()
}

/// An error or information line that stays while it is true (no "Dismiss").
pub fn notice<'a, M: 'a>(message: String, error: bool) -> Element<'a, M> {
    container(text(message))
        .padding(8)
        .style(if error {
            theme::error_banner
        } else {
            theme::info_banner
        })
        .into()
}
