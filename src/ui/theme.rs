//! Colours, sizes and spacing of the canvas, in one place. Panels use egui's
//! own visuals; the canvas derives its palette from them plus these accents.

use egui::{Color32, Visuals};

use crate::catalog::Category;
use crate::model::{ConnectionKind, GroupKind};

/// Corner radius of component cards, in canvas units.
pub const CARD_RADIUS: f32 = 8.0;
/// Width of the coloured category strip on the left of a card.
pub const CARD_STRIP: f32 = 5.0;
/// Height of a group's title bar, in canvas units.
pub const GROUP_TITLE_HEIGHT: f32 = 28.0;
/// Radius of a port circle, in screen points.
pub const PORT_RADIUS: f32 = 5.0;
/// How close (screen points) the pointer must be to pick a connection.
pub const WIRE_PICK_DISTANCE: f32 = 6.0;
/// Size of the resize handle of groups and notes, in screen points.
pub const HANDLE_SIZE: f32 = 10.0;
/// Below this zoom the canvas draws the simple level of detail (no text).
pub const LOD_ZOOM: f32 = 0.4;
/// From this zoom up to [`LOD_ZOOM`], far-zoom cards are drawn as small
/// cards (fill and category strip) under their labels; below it as
/// category-coloured blocks.
pub const CARD_BLOCK_ZOOM: f32 = 0.15;

/// Whether ports are shown and can be dragged at `zoom`: wherever cards are
/// drawn as cards (down to [`CARD_BLOCK_ZOOM`]), since a fitted design is
/// often below [`LOD_ZOOM`] and must still be wired up.
pub fn ports_at(zoom: f32) -> bool {
    zoom >= CARD_BLOCK_ZOOM
}
/// The smallest on-screen size of a component's name, in points: at far
/// zoom details drop first and the name stays at least this big.
pub const MIN_NAME_PX: f32 = 11.0;
/// The smallest on-screen size of group titles and note text, in points.
pub const MIN_LABEL_PX: f32 = 10.0;
/// Zoom limits of the canvas.
pub const MIN_ZOOM: f32 = 0.05;
pub const MAX_ZOOM: f32 = 3.0;
/// Spacing of the background dots, in canvas units.
pub const DOT_SPACING: f32 = 40.0;

/// Font sizes on the canvas at zoom 1, in points.
pub const NAME_SIZE: f32 = 15.0;
pub const KIND_SIZE: f32 = 12.0;
pub const BADGE_SIZE: f32 = 11.0;
pub const ICON_SIZE: f32 = 24.0;
pub const GROUP_TITLE_SIZE: f32 = 13.0;
pub const NOTE_SIZE: f32 = 13.0;
pub const WIRE_LABEL_SIZE: f32 = 12.0;

/// The canvas palette for the current theme.
#[derive(Clone, Copy, Debug)]
pub struct CanvasColors {
    pub background: Color32,
    pub dot: Color32,
    pub card_fill: Color32,
    pub card_stroke: Color32,
    pub text: Color32,
    pub text_weak: Color32,
    pub selection: Color32,
    pub hover: Color32,
    pub badge_fill: Color32,
    pub note_fill: Color32,
    pub note_text: Color32,
    pub port: Color32,
    pub dark: bool,
}

impl CanvasColors {
    pub fn from_visuals(visuals: &Visuals) -> Self {
        let dark = visuals.dark_mode;
        if dark {
            Self {
                background: Color32::from_rgb(24, 26, 31),
                dot: Color32::from_rgb(52, 56, 66),
                card_fill: Color32::from_rgb(38, 42, 51),
                card_stroke: Color32::from_rgb(74, 80, 94),
                text: Color32::from_rgb(232, 234, 240),
                text_weak: Color32::from_rgb(160, 166, 180),
                selection: Color32::from_rgb(96, 165, 250),
                hover: Color32::from_rgb(140, 150, 170),
                badge_fill: Color32::from_rgb(55, 61, 74),
                note_fill: Color32::from_rgb(92, 82, 40),
                note_text: Color32::from_rgb(250, 240, 200),
                port: Color32::from_rgb(96, 165, 250),
                dark,
            }
        } else {
            Self {
                background: Color32::from_rgb(246, 247, 249),
                dot: Color32::from_rgb(208, 212, 220),
                card_fill: Color32::WHITE,
                card_stroke: Color32::from_rgb(190, 196, 208),
                text: Color32::from_rgb(28, 31, 38),
                text_weak: Color32::from_rgb(96, 102, 116),
                selection: Color32::from_rgb(37, 99, 235),
                hover: Color32::from_rgb(120, 130, 150),
                badge_fill: Color32::from_rgb(234, 237, 243),
                note_fill: Color32::from_rgb(254, 243, 172),
                note_text: Color32::from_rgb(66, 56, 14),
                port: Color32::from_rgb(37, 99, 235),
                dark,
            }
        }
    }

    /// The accent of a palette category (card strip, icon, far-zoom fill).
    pub fn category(&self, category: Category) -> Color32 {
        let (r, g, b) = match category {
            Category::ClientsAndEdge => (56, 189, 248),
            Category::Compute => (99, 102, 241),
            Category::Data => (16, 185, 129),
            Category::Messaging => (245, 158, 11),
            Category::Security => (239, 68, 68),
            Category::Observability => (168, 85, 247),
            Category::External => (100, 116, 139),
        };
        Color32::from_rgb(r, g, b)
    }

    /// Stroke colour of a connection kind.
    pub fn wire(&self, kind: ConnectionKind) -> Color32 {
        let (light, dark) = match kind {
            ConnectionKind::Request => ((71, 85, 105), (176, 186, 204)),
            ConnectionKind::Publish | ConnectionKind::Consume => ((217, 119, 6), (251, 191, 36)),
            ConnectionKind::Read => ((5, 150, 105), (52, 211, 153)),
            ConnectionKind::Write => ((37, 99, 235), (96, 165, 250)),
            ConnectionKind::Replication => ((124, 58, 237), (167, 139, 250)),
            ConnectionKind::Push => ((219, 39, 119), (244, 114, 182)),
        };
        let (r, g, b) = if self.dark { dark } else { light };
        Color32::from_rgb(r, g, b)
    }

    /// Translucent fill and stroke of a group kind.
    pub fn group(&self, kind: GroupKind) -> (Color32, Color32) {
        let (r, g, b) = match kind {
            GroupKind::Region => (59, 130, 246),
            GroupKind::Zone => (20, 184, 166),
            GroupKind::Network => (132, 204, 22),
            GroupKind::Cluster => (168, 85, 247),
            GroupKind::Tenant => (244, 63, 94),
        };
        let fill_alpha = if self.dark { 22 } else { 18 };
        (
            Color32::from_rgba_unmultiplied(r, g, b, fill_alpha),
            Color32::from_rgba_unmultiplied(r, g, b, 170),
        )
    }
}

/// How a connection kind is stroked: dashes say "asynchronous".
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LineStyle {
    Solid,
    Dashed,
    Dotted,
}

pub fn line_style(kind: ConnectionKind) -> LineStyle {
    match kind {
        ConnectionKind::Request | ConnectionKind::Read | ConnectionKind::Write => LineStyle::Solid,
        ConnectionKind::Publish | ConnectionKind::Consume | ConnectionKind::Push => {
            LineStyle::Dashed
        }
        ConnectionKind::Replication => LineStyle::Dotted,
    }
}

/// The interviewer link: comment markers on cards, the curveball banner
/// and the "live" dot in the status bar.
pub const COMMENT_MARKER: Color32 = Color32::from_rgb(245, 158, 11);
pub const COMMENT_MARKER_RADIUS: f32 = 11.0;
pub const CURVEBALL_FILL: Color32 = Color32::from_rgb(255, 237, 213);
pub const CURVEBALL_TEXT: Color32 = Color32::from_rgb(154, 52, 18);
pub const LIVE_DOT: Color32 = Color32::from_rgb(22, 163, 74);
/// Size of one module of the join link's QR code, in points.
pub const QR_MODULE: f32 = 3.0;
/// Height of the replay scrubber's timeline, in points.
pub const SCRUBBER_HEIGHT: f32 = 34.0;
/// Height of the progress charts, one per rubric dimension, in points.
pub const PROGRESS_CHART_HEIGHT: f32 = 120.0;

/// The colour of an interview phase on the replay timeline.
pub fn phase_color(phase: crate::interview::Phase, dark: bool) -> Color32 {
    use crate::interview::Phase;
    let (r, g, b) = match phase {
        Phase::Clarify => (59, 130, 246),
        Phase::Estimate => (20, 184, 166),
        Phase::HighLevelDesign => (139, 92, 246),
        Phase::DeepDive => (234, 88, 12),
        Phase::WrapUp => (34, 197, 94),
    };
    let color = Color32::from_rgb(r, g, b);
    if dark {
        color.gamma_multiply(0.75)
    } else {
        color.gamma_multiply(0.55)
    }
}

/// The colour of a met or missed rubric criterion.
pub fn criterion_color(met: bool, visuals: &Visuals) -> Color32 {
    if met {
        if visuals.dark_mode {
            Color32::from_rgb(74, 222, 128)
        } else {
            Color32::from_rgb(21, 128, 61)
        }
    } else {
        visuals.error_fg_color
    }
}

/// Font size of the what-if overlay's labels at zoom 1, in points.
pub const WHATIF_LABEL_SIZE: f32 = 11.0;
/// Width of the outline around failed and degraded cards, in screen points.
pub const WHATIF_OUTLINE: f32 = 3.0;
/// Width of the glow along the wires a failure spreads along, at zoom 1.
pub const WHATIF_GLOW: f32 = 9.0;
/// Utilisation from which a card's load shows as a warning (then over
/// capacity above 1.0).
pub const WHATIF_BUSY: f64 = 0.7;

/// The what-if overlay's colours: verdicts, utilisation and lost groups.
#[derive(Clone, Copy, Debug)]
pub struct WhatIfColors {
    pub fails: Color32,
    pub degraded: Color32,
    pub works: Color32,
    /// Text on a filled verdict label.
    pub on_fails: Color32,
    pub on_degraded: Color32,
    pub on_works: Color32,
    /// The translucent glow under spreading wires is the verdict colour at
    /// this opacity (0–1).
    pub glow_opacity: f32,
    /// Fill of a lost zone or region.
    pub lost_fill: Color32,
}

impl CanvasColors {
    /// The what-if overlay's palette for this theme.
    pub fn whatif(&self) -> WhatIfColors {
        if self.dark {
            WhatIfColors {
                fails: Color32::from_rgb(248, 113, 113),
                degraded: Color32::from_rgb(251, 191, 36),
                works: Color32::from_rgb(74, 222, 128),
                on_fails: Color32::from_rgb(24, 26, 31),
                on_degraded: Color32::from_rgb(24, 26, 31),
                on_works: Color32::from_rgb(24, 26, 31),
                glow_opacity: 0.35,
                lost_fill: Color32::from_rgba_unmultiplied(248, 113, 113, 30),
            }
        } else {
            WhatIfColors {
                fails: Color32::from_rgb(220, 38, 38),
                degraded: Color32::from_rgb(217, 119, 6),
                works: Color32::from_rgb(21, 128, 61),
                on_fails: Color32::WHITE,
                on_degraded: Color32::from_rgb(28, 25, 23),
                on_works: Color32::WHITE,
                glow_opacity: 0.28,
                lost_fill: Color32::from_rgba_unmultiplied(220, 38, 38, 22),
            }
        }
    }
}

impl WhatIfColors {
    /// The colour of a verdict (works, degraded, fails) and of its label's
    /// text.
    pub fn verdict(&self, verdict: crate::sim::Verdict) -> (Color32, Color32) {
        match verdict {
            crate::sim::Verdict::Works => (self.works, self.on_works),
            crate::sim::Verdict::Degraded => (self.degraded, self.on_degraded),
            crate::sim::Verdict::Fails => (self.fails, self.on_fails),
        }
    }

    /// The colour of a utilisation (load over capacity).
    pub fn utilisation(&self, utilisation: f64) -> (Color32, Color32) {
        use crate::sim::Verdict;
        self.verdict(if utilisation > 1.0 {
            Verdict::Fails
        } else if utilisation >= WHATIF_BUSY {
            Verdict::Degraded
        } else {
            Verdict::Works
        })
    }
}
