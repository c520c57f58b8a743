//! Colours and widget styles shared by the screens.

use iced::widget::{button, container};
use iced::{Background, Border, Color, Theme};

use crate::config::ThemeChoice;
use crate::domain::card::CardState;

pub fn theme(choice: ThemeChoice) -> Theme {
    match choice {
        ThemeChoice::Light => Theme::Light,
        ThemeChoice::Dark => Theme::Dark,
    }
}

/// A colour per card state: green for active, amber for in production, red for ended, grey otherwise.
pub fn state_color(s: CardState) -> Color {
    use CardState::*;
    match s {
        Enabled => Color::from_rgb8(0x2e, 0x9d, 0x4f),
        New | Renewed | RequestChecked => Color::from_rgb8(0x3b, 0x7d, 0xd8),
        InPrint | Printed | InEncode | Encoded => Color::from_rgb8(0xd9, 0x8c, 0x1f),
        Disabled | Rejected | Destroyed => Color::from_rgb8(0xc9, 0x3c, 0x3c),
        Caduc | Canceled => Color::from_rgb8(0x8a, 0x8f, 0x98),
    }
}

/// Badge colour of a person who left the directory.
pub const DEPARTED: Color = Color::from_rgb8(0xb2, 0x5e, 0x09);

/// A small filled badge in the state's colour.
pub fn badge(color: Color) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        text_color: Some(Color::WHITE),
        background: Some(Background::Color(color)),
        border: Border {
            radius: 9.0.into(),
            ..Border::default()
        },
        ..container::Style::default()
    }
}

/// A row of the directory list: flat, highlighted when selected or hovered.
pub fn list_row(selected: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |theme, status| {
        let p = theme.extended_palette();
        let bg = match (selected, status) {
            (true, _) => Some(Background::Color(p.primary.weak.color)),
            (false, button::Status::Hovered) => Some(Background::Color(p.background.weak.color)),
            _ => None,
        };
        button::Style {
            background: bg,
            text_color: if selected {
                p.primary.weak.text
            } else {
                p.background.base.text
            },
            border: Border {
                radius: 6.0.into(),
                ..Border::default()
            },
            ..button::Style::default()
        }
    }
}

/// A section of the person panel: a softly bordered box.
pub fn section(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.base.color)),
        border: Border {
            radius: 8.0.into(),
            width: 1.0,
            color: p.background.strong.color,
        },
        ..container::Style::default()
    }
}

/// The navigation rail and the status bar.
pub fn chrome(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.background.weak.color)),
        text_color: Some(p.background.weak.text),
        ..container::Style::default()
    }
}

/// An error banner.
pub fn error_banner(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.danger.weak.color)),
        text_color: Some(p.danger.weak.text),
        border: Border {
            radius: 6.0.into(),
            ..Border::default()
        },
        ..container::Style::default()
    }
}

/// An information banner.
pub fn info_banner(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(Background::Color(p.success.weak.color)),
        text_color: Some(p.success.weak.text),
        border: Border {
            radius: 6.0.into(),
            ..Border::default()
        },
        ..container::Style::default()
    }
}

/// Muted text colour for labels.
pub fn muted(theme: &Theme) -> Color {
    theme
        .extended_palette()
        .background
        .strong
        .text
        .scale_alpha(0.7)
}

/// Amber text for warnings (directory offline, keyring unavailable).
pub fn warning_text(theme: &Theme) -> iced::widget::text::Style {
    let p = theme.extended_palette();
    iced::widget::text::Style {
        color: Some(if p.is_dark {
            Color::from_rgb8(0xf0, 0xb4, 0x4c)
        } else {
            Color::from_rgb8(0xa8, 0x5d, 0x00)
        }),
    }
}
