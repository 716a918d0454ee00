//! Drawing of the canvas items in screen space. Text is laid out at the
//! zoomed size so it stays sharp at every zoom; below [`theme::LOD_ZOOM`]
//! cards become plain coloured blocks and wires straight lines.

use egui::epaint::{CornerRadius, Shape, Stroke, TextShape};
use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Align2, Color32, FontId, Painter, Pos2, Vec2, pos2, vec2};

use super::camera::View;
use super::geometry::{Curve, Side};
use super::layout;
use crate::model::{Component, Connection, Group, Note};
use crate::ui::icons;
use crate::ui::theme::{self, CanvasColors, LineStyle};

/// Text smaller than this (in screen points) is not drawn at all.
pub(super) const MIN_TEXT: f32 = 5.5;

/// Everything the painters need to know about this frame.
pub struct Look {
    pub view: View,
    pub colors: CanvasColors,
    pub lod: bool,
}

impl Look {
    pub(super) fn z(&self) -> f32 {
        self.view.zoom()
    }

    fn font(&self, size: f32) -> Option<FontId> {
        let s = size * self.z();
        (s >= MIN_TEXT).then(|| FontId::proportional(s))
    }

    /// Text that stays readable when zoomed out: `size` at this zoom, but
    /// never under [`theme::MIN_LABEL_PX`] (group titles, notes).
    fn readable_font(&self, size: f32) -> FontId {
        FontId::proportional((size * self.z()).max(theme::MIN_LABEL_PX))
    }
}

/// A single-line galley clipped to `max_width` with an ellipsis.
fn one_line(
    painter: &Painter,
    text: &str,
    font: FontId,
    color: Color32,
    max_width: f32,
) -> std::sync::Arc<egui::Galley> {
    wrapped(painter, text, font, color, max_width, 1)
}

/// A component's icon (in its category colour) followed by its name,
/// wrapped to `width` in at most two rows: the far-zoom label and the
/// zoomed-out card share it.
pub(super) fn icon_and_name(
    c: &Component,
    font: &FontId,
    accent: Color32,
    text: Color32,
    width: f32,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    job.append(
        icons::glyph(c.kind.info().icon),
        0.0,
        TextFormat::simple(font.clone(), accent),
    );
    job.append(&c.name, 4.0, TextFormat::simple(font.clone(), text));
    job.wrap = TextWrapping {
        max_width: width.max(1.0),
        max_rows: 2,
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    job
}

/// A galley wrapped at word boundaries to `max_width` in at most `max_rows`
/// rows, the last one ending in an ellipsis when the text does not fit.
fn wrapped(
    painter: &Painter,
    text: &str,
    font: FontId,
    color: Color32,
    max_width: f32,
    max_rows: usize,
) -> std::sync::Arc<egui::Galley> {
    let mut job = LayoutJob::single_section(text.to_owned(), TextFormat::simple(font, color));
    job.wrap = TextWrapping {
        max_width: max_width.max(1.0),
        max_rows,
        break_anywhere: max_rows == 1,
        overflow_character: Some('…'),
    };
    painter.layout_job(job)
}

pub fn background(painter: &Painter, screen: egui::Rect, look: &Look) {
    painter.rect_filled(screen, 0.0, look.colors.background);
    let spacing = theme::DOT_SPACING * look.z();
    if spacing < 12.0 {
        return; // Too dense to help; skip rather than draw thousands of dots.
    }
    let origin = look.view.to_screen(crate::model::Point::default());
    let first_x = screen.left() + (origin.x - screen.left()).rem_euclid(spacing);
    let first_y = screen.top() + (origin.y - screen.top()).rem_euclid(spacing);
    let radius = (1.2 * look.z()).clamp(0.8, 1.6);
    let mut y = first_y;
    while y < screen.bottom() {
        let mut x = first_x;
        while x < screen.right() {
            painter.circle_filled(pos2(x, y), radius, look.colors.dot);
            x += spacing;
        }
        y += spacing;
    }
}

pub fn group(
    painter: &Painter,
    look: &Look,
    group: &Group,
    rect: crate::model::Rect,
    selected: bool,
    hovered: bool,
) {
    let r = look.view.rect_to_screen(rect);
    let (fill, stroke_color) = look.colors.group(group.kind);
    let radius = (10.0 * look.z()).min(12.0);
    let stroke = if selected {
        Stroke::new(2.0, look.colors.selection)
    } else if hovered {
        Stroke::new(1.5, stroke_color)
    } else {
        Stroke::new(1.0, stroke_color)
    };
    painter.rect(r, radius, fill, stroke, egui::StrokeKind::Inside);
    let title_h = theme::GROUP_TITLE_HEIGHT * look.z();
    if r.width() >= 60.0 {
        let font = look.readable_font(theme::GROUP_TITLE_SIZE);
        let text = format!("{}  {}", icons::group_glyph(group.kind), group.label);
        let pad = (10.0 * look.z()).max(4.0);
        let title_h = title_h.max(font.size * 1.4);
        let galley = one_line(painter, &text, font, stroke_color, r.width() - 2.0 * pad);
        let pos = pos2(r.left() + pad, r.top() + (title_h - galley.size().y) / 2.0);
        painter.galley(pos, galley, stroke_color);
    }
    if selected {
        resize_handle(painter, r.right_bottom(), look.colors.selection);
    }
}

fn resize_handle(painter: &Painter, corner: Pos2, color: Color32) {
    let s = theme::HANDLE_SIZE;
    let rect = egui::Rect::from_min_max(corner - vec2(s, s), corner);
    painter.rect_filled(rect, 2.0, color);
}

pub fn note(
    painter: &Painter,
    look: &Look,
    note: &Note,
    rect: crate::model::Rect,
    selected: bool,
    hovered: bool,
) {
    let r = look.view.rect_to_screen(rect);
    let stroke = if selected {
        Stroke::new(2.0, look.colors.selection)
    } else if hovered {
        Stroke::new(1.0, look.colors.hover)
    } else {
        Stroke::NONE
    };
    painter.rect(
        r,
        4.0 * look.z().min(1.0),
        look.colors.note_fill,
        stroke,
        egui::StrokeKind::Inside,
    );
    let font = look.readable_font(theme::NOTE_SIZE);
    let pad = (10.0 * look.z()).max(3.0);
    let row = font.size * 1.3;
    if r.height() - 2.0 * pad >= row && r.width() >= 40.0 {
        let max_rows = ((r.height() - 2.0 * pad) / row).floor().max(1.0);
        let mut job = LayoutJob::single_section(
            note.text.clone(),
            TextFormat::simple(font, look.colors.note_text),
        );
        job.wrap = TextWrapping {
            max_width: (r.width() - 2.0 * pad).max(1.0),
            max_rows: max_rows as usize,
            break_anywhere: false,
            overflow_character: Some('…'),
        };
        let galley = painter.layout_job(job);
        painter.galley(r.min + vec2(pad, pad), galley, look.colors.note_text);
    }
    if selected {
        resize_handle(painter, r.right_bottom(), look.colors.selection);
    }
}

/// Short tags for the properties that matter most, shown under the name.
pub fn badges(c: &Component) -> Vec<String> {
    let p = &c.properties;
    let mut out = Vec::new();
    if let Some(n) = p.instances
        && n > 1
    {
        out.push(format!("×{n}"));
    }
    if p.autoscaling == Some(true) {
        out.push("autoscale".to_owned());
    }
    if p.backplane
        .is_some_and(|b| b != crate::model::Backplane::None)
    {
        out.push("backplane".to_owned());
    }
    if p.dead_letter_queue == Some(true) {
        out.push("DLQ".to_owned());
    }
    if let Some(n) = p.replicas
        && n > 0
    {
        out.push(format!("{n} replica{}", if n == 1 { "" } else { "s" }));
    }
    if p.failover == Some(true) {
        out.push("failover".to_owned());
    }
    if p.authentication == Some(true) {
        out.push("auth".to_owned());
    }
    if p.rate_limiting == Some(true) {
        out.push("rate limit".to_owned());
    }
    if p.idempotent == Some(true) {
        out.push("idempotent".to_owned());
    }
    if let Some(key) = p.partition_key.as_deref()
        && !key.trim().is_empty()
    {
        // Cosmos DB writes partition keys as paths ("/customerId"); a key
        // typed without the slash gets one, a key typed with it keeps one.
        let key = key.trim();
        out.push(if key.starts_with('/') {
            key.to_owned()
        } else {
            format!("/{key}")
        });
    }
    if p.tracing == Some(true) {
        out.push("traced".to_owned());
    }
    out
}

/// Paints a card; returns whether its name did not fit (so hovering it
/// should show the whole name).
pub fn component(
    painter: &Painter,
    look: &Look,
    c: &Component,
    rect: crate::model::Rect,
    selected: bool,
    hovered: bool,
) -> bool {
    let r = look.view.rect_to_screen(rect);
    let info = c.kind.info();
    let accent = look.colors.category(info.category);
    if look.lod {
        let fill = if selected {
            look.colors.selection
        } else {
            accent
        };
        painter.rect_filled(r, 1.0, fill);
        return true;
    }
    let z = look.z();
    let radius = theme::CARD_RADIUS * z;
    // A soft shadow lifts cards off groups and wires.
    painter.rect_filled(
        r.translate(vec2(0.0, 2.0 * z)),
        radius,
        Color32::from_black_alpha(if look.colors.dark { 60 } else { 22 }),
    );
    let stroke = if selected {
        Stroke::new(2.0, look.colors.selection)
    } else if hovered {
        Stroke::new(1.5, look.colors.hover)
    } else {
        Stroke::new(1.0, look.colors.card_stroke)
    };
    painter.rect(
        r,
        radius,
        look.colors.card_fill,
        Stroke::NONE,
        egui::StrokeKind::Inside,
    );
    let strip = egui::Rect::from_min_size(r.min, vec2(theme::CARD_STRIP * z, r.height()));
    let r8 = radius.round().clamp(0.0, 255.0) as u8;
    painter.rect_filled(
        strip,
        CornerRadius {
            nw: r8,
            sw: r8,
            ne: 0,
            se: 0,
        },
        accent,
    );
    painter.rect_stroke(r, radius, stroke, egui::StrokeKind::Inside);

    // Semantic zoom: the name never gets smaller than MIN_NAME_PX. When it
    // would, the icon moves in front of the name (which may take two lines
    // across the whole card) and the details below it drop.
    if theme::NAME_SIZE * z < theme::MIN_NAME_PX {
        let pad = (layout::ICON_LEFT * z).max(4.0);
        let font = FontId::proportional(theme::MIN_NAME_PX);
        let job = icon_and_name(c, &font, accent, look.colors.text, r.width() - 2.0 * pad);
        let name = painter.layout_job(job);
        let truncated = name.elided;
        let top = r.center().y - name.size().y / 2.0;
        painter.galley(
            pos2(r.left() + pad, top.max(r.top())),
            name,
            look.colors.text,
        );
        return truncated;
    }
    let Some(icon_font) = look.font(theme::ICON_SIZE) else {
        return true;
    };
    painter.text(
        pos2(
            r.left() + layout::ICON_LEFT * z,
            r.top() + layout::ICON_TOP * z,
        ),
        Align2::LEFT_TOP,
        icons::glyph(info.icon),
        icon_font,
        accent,
    );
    let text_left = r.left() + layout::TEXT_LEFT * z;
    let text_width = r.right() - text_left - layout::TEXT_RIGHT_PAD * z;
    // A long name takes a second line, and the kind line makes room for it.
    let name = wrapped(
        painter,
        &c.name,
        FontId::proportional(theme::NAME_SIZE * z),
        look.colors.text,
        text_width,
        2,
    );
    let truncated = name.elided;
    let two_lines = name.rows.len() > 1;
    painter.galley(
        pos2(text_left, r.top() + layout::NAME_TOP * z),
        name,
        look.colors.text,
    );
    if let Some(font) = look.font(theme::KIND_SIZE)
        && !two_lines
    {
        let galley = one_line(painter, info.name, font, look.colors.text_weak, text_width);
        painter.galley(
            pos2(text_left, r.top() + layout::KIND_TOP * z),
            galley,
            look.colors.text_weak,
        );
    }
    if let Some(font) = look.font(theme::BADGE_SIZE) {
        let mut x = r.left() + layout::ICON_LEFT * z;
        let y = r.bottom() - layout::CHIPS_FROM_BOTTOM * z;
        let pad = layout::CHIP_PAD * z;
        let height = layout::CHIP_HEIGHT * z;
        for badge in badges(c) {
            let galley = painter.layout_no_wrap(badge, font.clone(), look.colors.text_weak);
            let w = galley.size().x + 2.0 * pad;
            if x + w > r.right() - layout::CHIPS_RIGHT_PAD * z {
                break;
            }
            let pill = egui::Rect::from_min_size(pos2(x, y), vec2(w, height));
            painter.rect_filled(pill, height / 2.0, look.colors.badge_fill);
            painter.galley(
                pos2(x + pad, pill.center().y - galley.size().y / 2.0),
                galley,
                look.colors.text_weak,
            );
            x += w + layout::CHIP_GAP * z;
        }
    }
    truncated
}

/// The "+" handle beside the selected card: click it to add a card
/// connected from this one.
pub fn add_handle(painter: &Painter, look: &Look, center: Pos2, radius: f32, active: bool) {
    let fill = if active {
        look.colors.selection
    } else {
        look.colors.card_fill
    };
    painter.circle(
        center,
        radius,
        fill,
        Stroke::new(1.5, look.colors.selection),
    );
    let arm = radius * 0.5;
    let color = if active {
        Color32::WHITE
    } else {
        look.colors.selection
    };
    let stroke = Stroke::new(1.8, color);
    painter.line_segment([center - vec2(arm, 0.0), center + vec2(arm, 0.0)], stroke);
    painter.line_segment([center - vec2(0.0, arm), center + vec2(0.0, arm)], stroke);
}

/// The ports of a card, shown while it is hovered or selected.
pub fn ports(painter: &Painter, look: &Look, rect: crate::model::Rect, active: Option<Side>) {
    for side in Side::ALL {
        let p = look.view.screen_from_canvas * side.anchor(rect);
        let radius = if active == Some(side) {
            theme::PORT_RADIUS + 2.0
        } else {
            theme::PORT_RADIUS
        };
        painter.circle(
            p,
            radius,
            look.colors.card_fill,
            Stroke::new(2.0, look.colors.port),
        );
    }
}

/// Draws a connection along `points` (its cached polyline, canvas
/// coordinates). Dashes and dots are only generated where the wire crosses
/// `clip` (screen), so a long dashed wire across a zoomed-in view costs what
/// its visible part costs. The caption goes into `captions`, which the
/// caller paints after the cards, so a label on a short wire stays readable.
#[allow(clippy::too_many_arguments)]
pub fn connection(
    painter: &Painter,
    look: &Look,
    conn: &Connection,
    points: &[Pos2],
    caption: Option<&super::captions::PlacedCaption>,
    clip: egui::Rect,
    selected: bool,
    hovered: bool,
    captions: &mut Vec<Shape>,
) {
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        return;
    };
    let color = if selected {
        look.colors.selection
    } else {
        look.colors.wire(conn.kind)
    };
    let width = if selected || hovered { 2.6 } else { 1.6 };
    let stroke = Stroke::new(width, color);
    let to_screen = |p: Pos2| look.view.screen_from_canvas * p;
    if look.lod {
        painter.line_segment([to_screen(first), to_screen(last)], Stroke::new(1.0, color));
        return;
    }
    let z = look.z();
    let style = theme::line_style(conn.kind);
    match style {
        LineStyle::Solid => {
            painter.add(Shape::line(
                points.iter().map(|&p| to_screen(p)).collect(),
                stroke,
            ));
        }
        LineStyle::Dashed | LineStyle::Dotted => {
            let mut shapes = Vec::new();
            let mut screen = points.iter().map(|&p| to_screen(p));
            if let Some(start) = screen.next() {
                let clip = clip.expand(width + 2.0);
                if style == LineStyle::Dashed {
                    dashes_in(
                        start,
                        screen,
                        clip,
                        8.0 * z.max(0.5),
                        5.0 * z.max(0.5),
                        |a, b| {
                            shapes.push(Shape::line_segment([a, b], stroke));
                        },
                    );
                } else {
                    let radius = width * 0.8;
                    dots_in(start, screen, clip.expand(radius), 6.0 * z.max(0.5), |p| {
                        shapes.push(Shape::circle_filled(p, radius, color));
                    });
                }
            }
            painter.extend(shapes);
        }
    }
    // Arrowhead at the target end.
    if let Some(&before) = points.get(points.len().saturating_sub(3)) {
        let (tip, before) = (to_screen(last), to_screen(before));
        let dir = (tip - before).normalized();
        if dir.is_finite() && dir != Vec2::ZERO {
            let size = (10.0 * z).clamp(6.0, 14.0);
            let side = dir.rot90() * size * 0.45;
            let base = tip - dir * size;
            painter.add(Shape::convex_polygon(
                vec![tip, base + side, base - side],
                color,
                Stroke::NONE,
            ));
        }
    }
    if let Some(caption) = caption
        && let Some(font) = look.font(theme::WIRE_LABEL_SIZE)
    {
        let mid = to_screen(caption.center);
        let galley = painter.layout_no_wrap(caption.text.clone(), font, look.colors.text);
        let pad = vec2(6.0, 3.0) * z.min(1.0);
        let rect = egui::Rect::from_center_size(mid, galley.size() + 2.0 * pad);
        captions.push(Shape::rect_filled(rect, 4.0, look.colors.background));
        captions.push(Shape::rect_stroke(
            rect,
            4.0,
            Stroke::new(1.0, color),
            egui::StrokeKind::Inside,
        ));
        captions.push(TextShape::new(rect.min + pad, galley, look.colors.text).into());
    }
}

/// True when the segment `a`–`b` may touch `clip`.
fn segment_touches(a: Pos2, b: Pos2, clip: egui::Rect) -> bool {
    egui::Rect::from_two_pos(a, b).intersects(clip)
}

/// Calls `dash(a, b)` for every piece of a dash pattern (dash, gap, dash…
/// starting with a dash at `start`) along the polyline that may touch
/// `clip`. Same pattern as egui's `Shape::dashed_line`, but segments
/// outside `clip` only advance the pattern.
fn dashes_in(
    start: Pos2,
    rest: impl Iterator<Item = Pos2>,
    clip: egui::Rect,
    dash: f32,
    gap: f32,
    mut emit: impl FnMut(Pos2, Pos2),
) {
    let period = dash + gap;
    if period <= 0.0 {
        return;
    }
    // Distance along the pattern at the start of the current segment.
    let mut phase = 0.0_f32;
    let mut a = start;
    for b in rest {
        let len = a.distance(b);
        if len > 0.0 && segment_touches(a, b, clip) {
            let dir = (b - a) / len;
            // Walk the dashes that overlap [0, len) of this segment.
            let mut t = -(phase % period);
            while t < len {
                let (d0, d1) = (t.max(0.0), (t + dash).min(len));
                if d1 > d0 {
                    emit(a + dir * d0, a + dir * d1);
                }
                t += period;
            }
        }
        phase += len;
        a = b;
    }
}

/// Calls `dot(p)` for dots every `spacing` along the polyline (the first at
/// `start`) that fall inside `clip`.
fn dots_in(
    start: Pos2,
    rest: impl Iterator<Item = Pos2>,
    clip: egui::Rect,
    spacing: f32,
    mut emit: impl FnMut(Pos2),
) {
    if spacing <= 0.0 {
        return;
    }
    let mut phase = 0.0_f32;
    let mut a = start;
    for b in rest {
        let len = a.distance(b);
        if len > 0.0 && segment_touches(a, b, clip) {
            let dir = (b - a) / len;
            let rem = phase % spacing;
            let mut t = if rem == 0.0 { 0.0 } else { spacing - rem };
            while t < len {
                let p = a + dir * t;
                if clip.contains(p) {
                    emit(p);
                }
                t += spacing;
            }
        }
        phase += len;
        a = b;
    }
}

/// Far-zoom drawing of cards and wires in one mesh each: at that zoom
/// cards are a few points wide, so per-shape tessellation (rounding,
/// anti-aliased edges) buys nothing and costs most of the frame.
pub struct LodBatch {
    wires: egui::Mesh,
    cards: egui::Mesh,
    /// Each wire's ends on screen, colour and target card, for its
    /// arrowhead (drawn once the labels are placed).
    arrows: Vec<(Pos2, Pos2, Color32, crate::model::Id)>,
}

/// Length and half width of a far-zoom arrowhead, in screen points.
const LOD_ARROW: (f32, f32) = (7.0, 3.5);

/// Where the segment `a`–`b` first enters `r` (`b` when `a` is inside it
/// or the segment misses it).
fn entry_point(a: Pos2, b: Pos2, r: egui::Rect) -> Pos2 {
    let d = b - a;
    let (mut enter, mut exit) = (0.0_f32, 1.0_f32);
    for (p, dp, lo, hi) in [(a.x, d.x, r.min.x, r.max.x), (a.y, d.y, r.min.y, r.max.y)] {
        if dp.abs() < f32::EPSILON {
            if p < lo || p > hi {
                return b;
            }
            continue;
        }
        let (t1, t2) = ((lo - p) / dp, (hi - p) / dp);
        enter = enter.max(t1.min(t2));
        exit = exit.min(t1.max(t2));
    }
    if enter > 0.0 && enter <= exit {
        a + d * enter
    } else {
        b
    }
}

impl Default for LodBatch {
    fn default() -> Self {
        Self::new()
    }
}

impl LodBatch {
    pub fn new() -> Self {
        Self {
            wires: egui::Mesh::default(),
            cards: egui::Mesh::default(),
            arrows: Vec::new(),
        }
    }

    /// A card as a flat block, snapped to whole points: a small card (fill
    /// and category strip, for a label to sit on) from
    /// [`theme::CARD_BLOCK_ZOOM`], a category-coloured block below it.
    pub fn card(&mut self, look: &Look, c: &Component, rect: crate::model::Rect, selected: bool) {
        let r = look.view.rect_to_screen(rect);
        let accent = look.colors.category(c.kind.info().category);
        let r = egui::Rect::from_min_max(
            r.min.round(),
            r.max.round().max(r.min.round() + vec2(1.0, 1.0)),
        );
        if look.z() < theme::CARD_BLOCK_ZOOM {
            let color = if selected {
                look.colors.selection
            } else {
                accent
            };
            self.cards.add_colored_rect(r, color);
            return;
        }
        if selected {
            self.cards
                .add_colored_rect(r.expand(2.0), look.colors.selection);
        }
        self.cards.add_colored_rect(r, look.colors.card_fill);
        let strip = (theme::CARD_STRIP * look.z()).max(2.0).round();
        self.cards.add_colored_rect(
            egui::Rect::from_min_size(r.min, vec2(strip, r.height())),
            accent,
        );
    }

    /// A wire as a straight one-point line between its ends (canvas
    /// coordinates), with a soft edge on each side instead of tessellator
    /// feathering.
    pub fn wire(&mut self, look: &Look, conn: &Connection, from: Pos2, to: Pos2, selected: bool) {
        let color = if selected {
            look.colors.selection
        } else {
            look.colors.wire(conn.kind)
        };
        let a = look.view.screen_from_canvas * from;
        let b = look.view.screen_from_canvas * to;
        let dir = (b - a).normalized();
        if !dir.is_finite() || dir == Vec2::ZERO {
            return;
        }
        self.arrows.push((a, b, color, conn.to));
        let n = dir.rot90();
        let mesh = &mut self.wires;
        let base = mesh.vertices.len() as u32;
        let clear = Color32::TRANSPARENT;
        mesh.colored_vertex(a + n, clear);
        mesh.colored_vertex(a, color);
        mesh.colored_vertex(a - n, clear);
        mesh.colored_vertex(b + n, clear);
        mesh.colored_vertex(b, color);
        mesh.colored_vertex(b - n, clear);
        mesh.add_triangle(base, base + 1, base + 3);
        mesh.add_triangle(base + 1, base + 4, base + 3);
        mesh.add_triangle(base + 1, base + 2, base + 4);
        mesh.add_triangle(base + 2, base + 5, base + 4);
    }

    /// Adds the wires, then the cards above them.
    pub fn finish_wires(&mut self, painter: &Painter) {
        if !self.wires.is_empty() {
            painter.add(Shape::mesh(std::mem::take(&mut self.wires)));
        }
    }

    pub fn finish_cards(&mut self, painter: &Painter) {
        if !self.cards.is_empty() {
            painter.add(Shape::mesh(std::mem::take(&mut self.cards)));
        }
    }

    /// The wires' arrowheads, on top of cards and labels: at the edge of
    /// the target's label where it is bigger than the card (`enlarged`),
    /// else at the card's edge. Wires too short on screen get none.
    pub fn finish_arrows(
        &mut self,
        painter: &Painter,
        enlarged: &std::collections::HashMap<crate::model::Id, egui::Rect>,
    ) {
        let (length, half) = LOD_ARROW;
        let mut mesh = egui::Mesh::default();
        for (a, b, color, to) in self.arrows.drain(..) {
            let tip = match enlarged.get(&to) {
                Some(plate) => entry_point(a, b, *plate),
                None => b,
            };
            let along = tip - a;
            if along.length() < 2.0 * length {
                continue;
            }
            let dir = along.normalized();
            let base = tip - dir * length;
            let side = dir.rot90() * half;
            let i = mesh.vertices.len() as u32;
            mesh.colored_vertex(tip, color);
            mesh.colored_vertex(base + side, color);
            mesh.colored_vertex(base - side, color);
            mesh.add_triangle(i, i + 1, i + 2);
        }
        if !mesh.is_empty() {
            painter.add(Shape::mesh(mesh));
        }
    }
}

/// The text shown on a wire: its label plus small icons for the policy
/// parts that are set (timeout, retry, breaker).
pub fn wire_caption(conn: &Connection) -> String {
    use egui_phosphor::regular as ph;
    let icons = [
        (conn.policy.timeout_ms.is_some(), ph::TIMER),
        (
            conn.policy.retry != crate::model::Retry::None,
            ph::ARROW_CLOCKWISE,
        ),
        (conn.policy.circuit_breaker, ph::PLUGS),
    ];
    let mut text = conn.label.clone();
    let mut first_icon = true;
    for (on, icon) in icons {
        if !on {
            continue;
        }
        if first_icon {
            if !text.is_empty() {
                text.push_str("  ");
            }
            first_icon = false;
        } else {
            text.push(' ');
        }
        text.push_str(icon);
    }
    text
}

/// The wire being dragged out of a port.
pub fn pending_wire(painter: &Painter, look: &Look, curve: &Curve) {
    let points: Vec<Pos2> = curve
        .polyline(20)
        .into_iter()
        .map(|p| look.view.screen_from_canvas * p)
        .collect();
    painter.extend(Shape::dashed_line(
        &points,
        Stroke::new(2.0, look.colors.port),
        6.0,
        4.0,
    ));
    if let Some(&end) = points.last() {
        painter.circle_filled(end, 4.0, look.colors.port);
    }
}

pub fn selection_box(painter: &Painter, look: &Look, r: egui::Rect) {
    let c = look.colors.selection;
    painter.rect(
        r,
        2.0,
        c.gamma_multiply(0.12),
        Stroke::new(1.0, c),
        egui::StrokeKind::Inside,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> Vec<Pos2> {
        vec![
            pos2(0.0, 0.0),
            pos2(100.0, 0.0),
            pos2(130.0, 40.0),
            pos2(400.0, 40.0),
        ]
    }

    fn total_length(segments: &[(Pos2, Pos2)]) -> f32 {
        segments.iter().map(|(a, b)| a.distance(*b)).sum()
    }

    /// The placed caption box (what culling and the "no caption covers a
    /// card" rule use) must hold the caption as actually drawn, at every
    /// zoom that draws text, for wide text and icons.
    #[test]
    fn drawn_captions_fit_in_their_placed_boxes() {
        use super::super::captions;
        use super::super::geometry::Curve;
        let ctx = egui::Context::default();
        crate::ui::icons::install(&ctx);
        // Fonts are loaded at the start of the first pass.
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let conn = Connection {
            id: crate::model::Id(3),
            from: crate::model::Id(1),
            to: crate::model::Id(2),
            kind: Default::default(),
            label: "WWWWMMMM@@@@ %%%% mmmm".to_owned(),
            policy: crate::model::Policy {
                timeout_ms: Some(1),
                retry: crate::model::Retry::Fixed,
                circuit_breaker: true,
                ..Default::default()
            },
            idempotent: false,
        };
        let icons = wire_caption(&conn);
        let mut d = crate::model::Diagram::new("t");
        for (id, x) in [(1, 0.0), (2, 900.0)] {
            d.components.push(crate::model::Component {
                id: crate::model::Id(id),
                kind: crate::model::ComponentKind::Service,
                name: "S".into(),
                position: crate::model::Point::new(x, 0.0),
                properties: Default::default(),
            });
        }
        d.connections.push(conn);
        d.next_id = 4;
        let curve = Curve::between(d.components[0].rect(), d.components[1].rect());
        let mut measure = |text: &str| {
            let font = FontId::proportional(theme::WIRE_LABEL_SIZE);
            ctx.fonts_mut(|f| {
                f.layout_no_wrap(text.to_owned(), font, Color32::WHITE)
                    .size()
            })
        };
        let placed = captions::place(
            &d,
            &[Some(curve)],
            std::slice::from_ref(&icons),
            &mut measure,
        );
        let placed = placed[0].clone().expect("room on a long wire");
        assert_eq!(placed.text, icons);
        for z in [0.46_f32, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0] {
            let font = FontId::proportional(theme::WIRE_LABEL_SIZE * z);
            let size =
                ctx.fonts_mut(|f| f.layout_no_wrap(icons.clone(), font, Color32::WHITE).size());
            // As `connection` draws it (padding and a one-point border),
            // converted to canvas units.
            let pad = vec2(6.0, 3.0) * z.min(1.0);
            let drawn = (size + 2.0 * pad) / z + vec2(2.0, 2.0) / z;
            assert!(
                drawn.x <= placed.size.x && drawn.y <= placed.size.y,
                "drawn {drawn:?} exceeds the placed {:?} at zoom {z}",
                placed.size
            );
        }
    }

    #[test]
    fn wire_captions_join_label_and_policy_icons() {
        use egui_phosphor::regular as ph;
        let mut conn = Connection {
            id: crate::model::Id(1),
            from: crate::model::Id(2),
            to: crate::model::Id(3),
            kind: Default::default(),
            label: String::new(),
            policy: Default::default(),
            idempotent: false,
        };
        assert_eq!(wire_caption(&conn), "");
        conn.label = "orders".to_owned();
        assert_eq!(wire_caption(&conn), "orders");
        conn.policy.timeout_ms = Some(200);
        conn.policy.circuit_breaker = true;
        assert_eq!(
            wire_caption(&conn),
            format!("orders  {} {}", ph::TIMER, ph::PLUGS)
        );
        conn.label.clear();
        assert_eq!(wire_caption(&conn), format!("{} {}", ph::TIMER, ph::PLUGS));
    }

    #[test]
    fn clipped_dashes_match_egui_where_visible() {
        let points = path();
        let everything = egui::Rect::from_min_max(pos2(-1e4, -1e4), pos2(1e4, 1e4));
        let mut ours = Vec::new();
        dashes_in(
            points[0],
            points[1..].iter().copied(),
            everything,
            8.0,
            5.0,
            |a, b| {
                ours.push((a, b));
            },
        );
        let theirs: Vec<(Pos2, Pos2)> =
            Shape::dashed_line(&points, Stroke::new(1.0, Color32::RED), 8.0, 5.0)
                .into_iter()
                .filter_map(|s| match s {
                    Shape::LineSegment { points: [a, b], .. } => Some((a, b)),
                    _ => None,
                })
                .filter(|(a, b)| a.distance(*b) > 1e-3)
                .collect();
        assert_eq!(ours.len(), theirs.len());
        for ((a, b), (c, d)) in ours.iter().zip(&theirs) {
            assert!(
                a.distance(*c) < 1e-2 && b.distance(*d) < 1e-2,
                "{a:?}-{b:?} vs {c:?}-{d:?}"
            );
        }

        // Clipped to the last segment: the same dashes there, none elsewhere.
        let clip = egui::Rect::from_min_max(pos2(200.0, 30.0), pos2(300.0, 50.0));
        let mut clipped = Vec::new();
        dashes_in(
            points[0],
            points[1..].iter().copied(),
            clip,
            8.0,
            5.0,
            |a, b| {
                clipped.push((a, b));
            },
        );
        let expected: Vec<_> = ours
            .iter()
            .copied()
            .filter(|(a, _)| a.y == 40.0 && a.x >= 130.0)
            .collect();
        assert_eq!(clipped.len(), expected.len());
        assert!((total_length(&clipped) - total_length(&expected)).abs() < 1e-2);
    }

    #[test]
    fn clipped_dots_keep_their_spacing() {
        let points = path();
        let everything = egui::Rect::from_min_max(pos2(-1e4, -1e4), pos2(1e4, 1e4));
        let mut ours = Vec::new();
        dots_in(
            points[0],
            points[1..].iter().copied(),
            everything,
            6.0,
            |p| ours.push(p),
        );
        let theirs = Shape::dotted_line(&points, Color32::RED, 6.0, 1.0);
        assert_eq!(ours.len(), theirs.len());
        let clip = egui::Rect::from_min_max(pos2(200.0, 30.0), pos2(300.0, 50.0));
        let mut clipped = Vec::new();
        dots_in(points[0], points[1..].iter().copied(), clip, 6.0, |p| {
            clipped.push(p)
        });
        let expected: Vec<_> = ours.iter().copied().filter(|p| clip.contains(*p)).collect();
        assert_eq!(clipped, expected);
    }

    #[test]
    fn a_segment_enters_a_rectangle_at_its_edge() {
        let r = egui::Rect::from_min_max(pos2(10.0, 10.0), pos2(20.0, 20.0));
        for (a, b, want) in [
            // From the left, the top, below and diagonally.
            (pos2(0.0, 15.0), pos2(15.0, 15.0), pos2(10.0, 15.0)),
            (pos2(15.0, 0.0), pos2(15.0, 12.0), pos2(15.0, 10.0)),
            (pos2(15.0, 40.0), pos2(15.0, 18.0), pos2(15.0, 20.0)),
            (pos2(0.0, 0.0), pos2(15.0, 15.0), pos2(10.0, 10.0)),
            // Starting inside, or missing it: the segment's end.
            (pos2(12.0, 12.0), pos2(30.0, 12.0), pos2(30.0, 12.0)),
            (pos2(0.0, 0.0), pos2(0.0, 30.0), pos2(0.0, 30.0)),
            (pos2(0.0, 0.0), pos2(5.0, 5.0), pos2(5.0, 5.0)),
        ] {
            let got = entry_point(a, b, r);
            assert!(
                got.distance(want) < 1e-4,
                "{a:?}→{b:?}: {got:?}, not {want:?}"
            );
        }
    }

    /// Far-zoom wires keep an arrowhead: its tip on the edge of the
    /// target's enlarged label (which would otherwise cover it), or on the
    /// card's edge; a wire too short on screen gets none.
    #[test]
    fn far_zoom_arrowheads_point_at_the_visible_edge_of_the_target() {
        let ctx = egui::Context::default();
        let look = Look {
            view: View::default(),
            colors: CanvasColors::from_visuals(&egui::Visuals::dark()),
            lod: true,
        };
        let conn = |id: u64, to: u64| Connection {
            id: crate::model::Id(id),
            from: crate::model::Id(1),
            to: crate::model::Id(to),
            kind: Default::default(),
            label: String::new(),
            policy: Default::default(),
            idempotent: false,
        };
        let plate = egui::Rect::from_min_max(pos2(180.0, 40.0), pos2(260.0, 80.0));
        let enlarged = std::collections::HashMap::from([(crate::model::Id(2), plate)]);
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let painter = ui.painter().clone();
            let mut batch = LodBatch::new();
            // To card 2, whose label is bigger than the card (which ends at x 200).
            batch.wire(
                &look,
                &conn(10, 2),
                pos2(0.0, 60.0),
                pos2(200.0, 60.0),
                false,
            );
            // To card 3, a plain card ending at x 100.
            batch.wire(
                &look,
                &conn(11, 3),
                pos2(0.0, 300.0),
                pos2(100.0, 300.0),
                false,
            );
            // Too short to carry one.
            batch.wire(
                &look,
                &conn(12, 3),
                pos2(0.0, 500.0),
                pos2(8.0, 500.0),
                false,
            );
            batch.finish_arrows(&painter, &enlarged);
        });
        output.textures_delta.clear();
        let arrows: Vec<Vec<Pos2>> = output
            .shapes
            .iter()
            .filter_map(|s| match &s.shape {
                Shape::Mesh(m) => Some(m.vertices.iter().map(|v| v.pos).collect()),
                _ => None,
            })
            .collect();
        assert_eq!(arrows.len(), 1, "one mesh of arrowheads");
        let tips: Vec<Pos2> = arrows[0].chunks(3).map(|t| t[0]).collect();
        assert_eq!(tips.len(), 2, "two wires long enough: {tips:?}");
        assert!(tips[0].distance(pos2(180.0, 60.0)) < 1e-3, "{:?}", tips[0]);
        assert!(tips[1].distance(pos2(100.0, 300.0)) < 1e-3, "{:?}", tips[1]);
        for corner in &arrows[0][1..3] {
            assert!(!plate.contains(*corner), "the head sits outside the label");
        }
    }
}
