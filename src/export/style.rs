//! Colours and sizes of the exported drawing, without UI types. They mirror
//! the canvas (`ui::theme`) value for value, so an export looks like the
//! board; the canvas can later read them from here instead of keeping its
//! own copy.

use crate::catalog::Category;
use crate::model::{ConnectionKind, GroupKind};
use crate::rules::Severity;

/// Light or dark drawing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// A colour with straight (not premultiplied) alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b, a: 255 }
    }

    pub const fn with_alpha(r: u8, g: u8, b: u8, a: u8) -> Self {
        Self { r, g, b, a }
    }

    /// `#rrggbb`, without the alpha (see [`Rgba::opacity`]).
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// The alpha as an SVG opacity, `None` when opaque.
    pub fn opacity(self) -> Option<f32> {
        (self.a < 255).then(|| f32::from(self.a) / 255.0)
    }
}

/// Corner radius of component cards.
pub const CARD_RADIUS: f32 = 8.0;
/// Width of the coloured category strip on the left of a card.
pub const CARD_STRIP: f32 = 5.0;
/// Height of a group's title bar.
pub const GROUP_TITLE_HEIGHT: f32 = 28.0;
/// Corner radius of groups and notes.
pub const GROUP_RADIUS: f32 = 10.0;
pub const NOTE_RADIUS: f32 = 4.0;
/// Inner padding of group titles and notes.
pub const PAD: f32 = 10.0;
/// Stroke width of a wire.
pub const WIRE_WIDTH: f32 = 1.6;
/// Length of a wire's arrowhead.
pub const ARROW_SIZE: f32 = 10.0;
/// Dash pattern of asynchronous wires, and spacing of replication dots.
pub const DASH: [f32; 2] = [8.0, 5.0];
pub const DOT_SPACING: f32 = 6.0;
/// Radius of a finding badge.
pub const BADGE_RADIUS: f32 = 9.0;

/// Below this scale a picture uses the canvas's far-zoom drawing (cards
/// as blocks, no text), as the canvas does below 40% zoom.
pub const LOD_SCALE: f32 = 0.4;

/// Font sizes at 100%, in points (1 point = 1 canvas unit).
pub const NAME_SIZE: f32 = 15.0;
pub const KIND_SIZE: f32 = 12.0;
pub const CHIP_SIZE: f32 = 11.0;
pub const ICON_SIZE: f32 = 24.0;
pub const GROUP_TITLE_SIZE: f32 = 13.0;
pub const NOTE_SIZE: f32 = 13.0;
pub const WIRE_LABEL_SIZE: f32 = 12.0;
pub const HEADING_SIZE: f32 = 20.0;

/// The palette of one theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: Rgba,
    pub card_fill: Rgba,
    pub card_stroke: Rgba,
    pub shadow: Rgba,
    pub text: Rgba,
    pub text_weak: Rgba,
    pub chip_fill: Rgba,
    pub note_fill: Rgba,
    pub note_text: Rgba,
    pub badge_fill: Rgba,
    pub dark: bool,
}

impl Palette {
    pub fn of(theme: Theme) -> Self {
        match theme {
            Theme::Dark => Self {
                background: Rgba::rgb(24, 26, 31),
                card_fill: Rgba::rgb(38, 42, 51),
                card_stroke: Rgba::rgb(74, 80, 94),
                shadow: Rgba::with_alpha(0, 0, 0, 60),
                text: Rgba::rgb(232, 234, 240),
                text_weak: Rgba::rgb(160, 166, 180),
                chip_fill: Rgba::rgb(55, 61, 74),
                note_fill: Rgba::rgb(92, 82, 40),
                note_text: Rgba::rgb(250, 240, 200),
                badge_fill: Rgba::rgb(10, 10, 10),
                dark: true,
            },
            Theme::Light => Self {
                background: Rgba::rgb(246, 247, 249),
                card_fill: Rgba::rgb(255, 255, 255),
                card_stroke: Rgba::rgb(190, 196, 208),
                shadow: Rgba::with_alpha(0, 0, 0, 22),
                text: Rgba::rgb(28, 31, 38),
                text_weak: Rgba::rgb(96, 102, 116),
                chip_fill: Rgba::rgb(234, 237, 243),
                note_fill: Rgba::rgb(254, 243, 172),
                note_text: Rgba::rgb(66, 56, 14),
                badge_fill: Rgba::rgb(255, 255, 255),
                dark: false,
            },
        }
    }

    /// The accent of a palette category (card strip and icon).
    pub fn category(&self, category: Category) -> Rgba {
        let (r, g, b) = match category {
            Category::ClientsAndEdge => (56, 189, 248),
            Category::Compute => (99, 102, 241),
            Category::Data => (16, 185, 129),
            Category::Messaging => (245, 158, 11),
            Category::Security => (239, 68, 68),
            Category::Observability => (168, 85, 247),
            Category::External => (100, 116, 139),
        };
        Rgba::rgb(r, g, b)
    }

    /// Stroke colour of a connection kind.
    pub fn wire(&self, kind: ConnectionKind) -> Rgba {
        let (light, dark) = match kind {
            ConnectionKind::Request => ((71, 85, 105), (176, 186, 204)),
            ConnectionKind::Publish | ConnectionKind::Consume => ((217, 119, 6), (251, 191, 36)),
            ConnectionKind::Read => ((5, 150, 105), (52, 211, 153)),
            ConnectionKind::Write => ((37, 99, 235), (96, 165, 250)),
            ConnectionKind::Replication => ((124, 58, 237), (167, 139, 250)),
            ConnectionKind::Push => ((219, 39, 119), (244, 114, 182)),
        };
        let (r, g, b) = if self.dark { dark } else { light };
        Rgba::rgb(r, g, b)
    }

    /// Translucent fill and stroke of a group kind.
    pub fn group(&self, kind: GroupKind) -> (Rgba, Rgba) {
        let (r, g, b) = match kind {
            GroupKind::Region => (59, 130, 246),
            GroupKind::Zone => (20, 184, 166),
            GroupKind::Network => (132, 204, 22),
            GroupKind::Cluster => (168, 85, 247),
            GroupKind::Tenant => (244, 63, 94),
        };
        let fill_alpha = if self.dark { 22 } else { 18 };
        (
            Rgba::with_alpha(r, g, b, fill_alpha),
            Rgba::with_alpha(r, g, b, 170),
        )
    }

    /// The colour of a finding's severity (egui's error, warning and link colours).
    pub fn severity(&self, severity: Severity) -> Rgba {
        match (severity, self.dark) {
            (Severity::Error, _) => Rgba::rgb(255, 0, 0),
            (Severity::Warning, true) => Rgba::rgb(255, 143, 0),
            (Severity::Warning, false) => Rgba::rgb(255, 100, 0),
            (Severity::Info, true) => Rgba::rgb(90, 170, 255),
            (Severity::Info, false) => Rgba::rgb(0, 155, 255),
        }
    }
}

/// How a connection kind is stroked: dashes say "asynchronous", dots
/// "replication".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineStyle {
    Solid,
    Dashed,
    Dotted,
}

impl LineStyle {
    pub fn of(kind: ConnectionKind) -> Self {
        match kind {
            ConnectionKind::Request | ConnectionKind::Read | ConnectionKind::Write => Self::Solid,
            ConnectionKind::Publish | ConnectionKind::Consume | ConnectionKind::Push => {
                Self::Dashed
            }
            ConnectionKind::Replication => Self::Dotted,
        }
    }
}
