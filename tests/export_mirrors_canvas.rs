//! The export draws what the canvas draws: its UI-free copies of the card
//! chips, icon code points, colours and sizes must agree with `ui` until
//! the canvas reads them from `export` (then this file can go).

// The whole file is test code: a panic in a helper is a test failure.
#![allow(clippy::unwrap_used)]

mod common;

use archboard::catalog::{Category, ComponentKind};
use archboard::export::{card, icons, style};
use archboard::model::{ConnectionKind, GroupKind};
use archboard::ui::{self, theme};

fn rgba(c: style::Rgba) -> egui::Color32 {
    egui::Color32::from_rgba_unmultiplied(c.r, c.g, c.b, c.a)
}

#[test]
fn card_chips_match_the_canvas() {
    let mut designs: Vec<_> = archboard::templates::all()
        .iter()
        .map(|t| t.diagram().unwrap())
        .collect();
    designs.push(common::everything_diagram());
    for d in &designs {
        for c in &d.components {
            assert_eq!(card::chips(c), ui::canvas::paint::badges(c), "{}", c.name);
            assert_eq!(card::card_content(c).kind, c.kind.name());
        }
    }
}

#[test]
fn icon_code_points_match_the_canvas() {
    for kind in ComponentKind::all() {
        let name = kind.info().icon;
        assert_eq!(
            icons::codepoint(name).to_string(),
            ui::icons::glyph(name),
            "{name}"
        );
    }
    for kind in GroupKind::ALL {
        assert_eq!(
            icons::codepoint(icons::group_icon(kind)).to_string(),
            ui::icons::group_glyph(kind)
        );
    }
}

#[test]
fn colours_and_sizes_match_the_canvas() {
    for (theme_, visuals) in [
        (style::Theme::Light, egui::Visuals::light()),
        (style::Theme::Dark, egui::Visuals::dark()),
    ] {
        let ours = style::Palette::of(theme_);
        let canvas = theme::CanvasColors::from_visuals(&visuals);
        assert_eq!(rgba(ours.background), canvas.background);
        assert_eq!(rgba(ours.card_fill), canvas.card_fill);
        assert_eq!(rgba(ours.card_stroke), canvas.card_stroke);
        assert_eq!(rgba(ours.text), canvas.text);
        assert_eq!(rgba(ours.text_weak), canvas.text_weak);
        assert_eq!(rgba(ours.chip_fill), canvas.badge_fill);
        assert_eq!(rgba(ours.note_fill), canvas.note_fill);
        assert_eq!(rgba(ours.note_text), canvas.note_text);
        assert_eq!(rgba(ours.badge_fill), visuals.extreme_bg_color);
        for category in Category::ALL {
            assert_eq!(rgba(ours.category(category)), canvas.category(category));
        }
        for kind in ConnectionKind::ALL {
            assert_eq!(rgba(ours.wire(kind)), canvas.wire(kind));
            let same = matches!(
                (style::LineStyle::of(kind), theme::line_style(kind)),
                (style::LineStyle::Solid, theme::LineStyle::Solid)
                    | (style::LineStyle::Dashed, theme::LineStyle::Dashed)
                    | (style::LineStyle::Dotted, theme::LineStyle::Dotted)
            );
            assert!(same, "{kind:?}");
        }
        for kind in GroupKind::ALL {
            let (fill, stroke) = ours.group(kind);
            assert_eq!((rgba(fill), rgba(stroke)), canvas.group(kind));
        }
        for (severity, color) in [
            (archboard::rules::Severity::Error, visuals.error_fg_color),
            (archboard::rules::Severity::Warning, visuals.warn_fg_color),
            (archboard::rules::Severity::Info, visuals.hyperlink_color),
        ] {
            assert_eq!(rgba(ours.severity(severity)), color);
        }
    }
    assert_eq!(style::CARD_RADIUS, theme::CARD_RADIUS);
    assert_eq!(style::CARD_STRIP, theme::CARD_STRIP);
    assert_eq!(style::GROUP_TITLE_HEIGHT, theme::GROUP_TITLE_HEIGHT);
    assert_eq!(style::NAME_SIZE, theme::NAME_SIZE);
    assert_eq!(style::KIND_SIZE, theme::KIND_SIZE);
    assert_eq!(style::CHIP_SIZE, theme::BADGE_SIZE);
    assert_eq!(style::ICON_SIZE, theme::ICON_SIZE);
    assert_eq!(style::GROUP_TITLE_SIZE, theme::GROUP_TITLE_SIZE);
    assert_eq!(style::NOTE_SIZE, theme::NOTE_SIZE);
    assert_eq!(style::WIRE_LABEL_SIZE, theme::WIRE_LABEL_SIZE);
    assert_eq!(style::LOD_SCALE, theme::LOD_ZOOM);
}

#[test]
fn wire_captions_match_the_canvas() {
    let mut designs: Vec<_> = archboard::templates::all()
        .iter()
        .map(|t| t.diagram().unwrap())
        .collect();
    designs.push(common::everything_diagram());
    let mut with_icons = 0;
    for d in &designs {
        for conn in &d.connections {
            let ours = card::wire_caption(conn);
            let glyphs: Vec<String> = ours
                .icons
                .iter()
                .map(|name| icons::codepoint(name).to_string())
                .collect();
            let mut text = ours.label.clone();
            if !glyphs.is_empty() {
                with_icons += 1;
                if !text.is_empty() {
                    text.push_str("  ");
                }
                text.push_str(&glyphs.join(" "));
            }
            assert_eq!(text, ui::canvas::paint::wire_caption(conn));
        }
    }
    assert!(with_icons > 0);
}
