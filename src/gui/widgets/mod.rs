//! Reusable widgets.

pub mod banner;
pub mod virtual_list;

/// A choice among several (a filter, a mode): the chosen one in the primary style.
pub fn choice<'a, M: Clone + 'a>(label: String, on: bool, msg: M) -> iced::Element<'a, M> {
    use iced::widget::{button, text};
    button(text(label).size(13))
        .on_press(msg)
        .style(if on {
            button::primary
        } else {
            button::secondary
        })
        .padding([5, 10])
        .into()
}
