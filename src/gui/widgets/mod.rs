//! Reusable widgets.

pub mod banner;
pub mod text;
pub mod virtual_list;

/// A choice among several (a filter, a mode): the chosen one in the primary style.
pub fn choice<'a, M: Clone + 'a>(label: String, on: bool, msg: M) -> iced::Element<'a, M> {
    choice_maybe(label, on, Some(msg))
}

/// [`choice`] that may have nothing to press (`None`): the chosen one keeps its colour then.
pub fn choice_maybe<'a, M: Clone + 'a>(
    label: String,
    on: bool,
    msg: Option<M>,
) -> iced::Element<'a, M> {
    use iced::widget::{button, text};
    button(text(label).size(13))
        .on_press_maybe(msg)
        .style(move |t: &iced::Theme, status| match (on, status) {
            (true, button::Status::Disabled) => button::primary(t, button::Status::Active),
            (true, _) => button::primary(t, status),
            (false, _) => button::secondary(t, status),
        })
        .padding([5, 10])
        .into()
}
