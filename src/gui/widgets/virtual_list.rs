//! A virtualised list: fixed-height rows, only the visible window is built, spacers stand for the rest
//! (crates.md §1.3: iced 0.14 has no virtual list). Works the same for 10 rows or 275,000.

use iced::widget::{Column, Space, scrollable};
use iced::{Element, Length};

/// Height of one row, in logical pixels.
pub const ROW_HEIGHT: f32 = 52.0;

/// One clickable row of a person list (Desk results, group members): the content centred vertically,
/// `ROW_HEIGHT` high, highlighted when `selected`.
pub fn person_row<'a, Message: Clone + 'a>(
    content: impl Into<Element<'a, Message>>,
    on_press: Message,
    selected: bool,
) -> Element<'a, Message> {
    iced::widget::button(iced::widget::container(content).center_y(Length::Fill))
        .on_press(on_press)
        .style(crate::gui::theme::list_row(selected))
        .width(Length::Fill)
        .height(Length::Fixed(ROW_HEIGHT))
        .padding([4, 10])
        .into()
}
/// Rows built beyond the visible ones, above and below.
const OVERSCAN: usize = 6;

/// The range of row indexes to build for a scroll offset and viewport height.
pub fn window(total: usize, offset: f32, viewport: f32) -> std::ops::Range<usize> {
    window_with(ROW_HEIGHT, total, offset, viewport)
}

/// [`window`] for rows of height `row_height`.
pub fn window_with(
    row_height: f32,
    total: usize,
    offset: f32,
    viewport: f32,
) -> std::ops::Range<usize> {
    if total == 0 {
        return 0..0;
    }
    let first = ((offset.max(0.0) / row_height) as usize)
        .saturating_sub(OVERSCAN)
        .min(total);
    let visible = (viewport.max(row_height) / row_height).ceil() as usize;
    let last = (first + visible + 2 * OVERSCAN).min(total);
    first..last
}

/// The scroll offset that brings row `index` into view, or `None` if it is visible already.
pub fn reveal(index: usize, offset: f32, viewport: f32) -> Option<f32> {
    let top = index as f32 * ROW_HEIGHT;
    let bottom = top + ROW_HEIGHT;
    if top < offset {
        Some(top)
    } else if bottom > offset + viewport {
        Some((bottom - viewport).max(0.0))
    } else {
        None
    }
}

/// Builds the list: `row(i)` is called only for the indexes of `window(total, offset, viewport)`.
pub fn view<'a, Message: 'a>(
    id: &'static str,
    total: usize,
    offset: f32,
    viewport: f32,
    row: impl Fn(usize) -> Element<'a, Message>,
    on_scroll: impl Fn(f32, f32) -> Message + 'a,
) -> Element<'a, Message> {
    view_with(ROW_HEIGHT, id, total, offset, viewport, row, on_scroll)
}

/// [`view`] for rows of height `row_height` (each row must be exactly that tall).
pub fn view_with<'a, Message: 'a>(
    row_height: f32,
    id: &'static str,
    total: usize,
    offset: f32,
    viewport: f32,
    row: impl Fn(usize) -> Element<'a, Message>,
    on_scroll: impl Fn(f32, f32) -> Message + 'a,
) -> Element<'a, Message> {
    let range = window_with(row_height, total, offset, viewport);
    let above = range.start as f32 * row_height;
    let below = (total - range.end) as f32 * row_height;
    let mut col = Column::new()
        .width(Length::Fill)
        .push(Space::new().height(above));
    for i in range {
        col = col.push(row(i));
    }
    col = col.push(Space::new().height(below));
    scrollable(col)
        .id(id)
        .width(Length::Fill)
        .height(Length::Fill)
        .on_scroll(move |vp| on_scroll(vp.absolute_offset().y, vp.bounds().height))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_is_bounded_whatever_the_total() {
        let w = window(275_000, 100_000.0 * ROW_HEIGHT, 700.0);
        assert!(w.len() < 40, "{w:?}");
        assert!(w.contains(&100_000));
        assert_eq!(window(3, 0.0, 700.0), 0..3);
        assert_eq!(window(0, 0.0, 700.0), 0..0);
        let end = window(275_000, 1e12, 700.0);
        assert!(end.is_empty() || end.end == 275_000);
    }

    #[test]
    fn reveal_scrolls_only_when_needed() {
        assert_eq!(reveal(0, 0.0, 520.0), None);
        assert_eq!(reveal(10, 0.0, 520.0), Some(11.0 * ROW_HEIGHT - 520.0));
        assert_eq!(reveal(2, 10.0 * ROW_HEIGHT, 520.0), Some(2.0 * ROW_HEIGHT));
    }
}
