//! Drawing of the canvas items in screen space. Text is laid out at the
//! zoomed size so it stays sharp at every zoom; below [`theme::LOD_ZOOM`]
//! cards become plain coloured blocks and wires straight lines.

use egui::epaint::{CornerRadius, Shape, Stroke, TextShape};
use egui::text::{LayoutJob, TextFormat, TextWrapping};
use egui::{Align2, Color32, FontId, Painter, Pos2, Vec2, pos2, vec2};

use super::geometry::{Curve, Side, View};
use crate::model::{Component, Connection, Group, Note};
use crate::ui::icons;
use crate::ui::theme::{self, CanvasColors, LineStyle};

/// Text smaller than this (in screen points) is not drawn at all.
const MIN_TEXT: f32 = 5.5;

/// Everything the painters need to know about this frame.
pub struct Look {
    pub view: View,
    pub colors: CanvasColors,
    pub lod: bool,
}

impl Look {
    fn z(&self) -> f32 {
        self.view.zoom()
    }

    fn font(&self, size: f32) -> Option<FontId> {
        let s = size * self.z();
        (s >= MIN_TEXT).then(|| FontId::proportional(s))
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
    let mut job = LayoutJob::single_section(text.to_owned(), TextFormat::simple(font, color));
    job.wrap = TextWrapping {
        max_width: max_width.max(1.0),
        max_rows: 1,
        break_anywhere: true,
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
    if let Some(font) = look.font(theme::GROUP_TITLE_SIZE) {
        let text = format!("{}  {}", icons::group_glyph(group.kind), group.label);
        let pad = 10.0 * look.z();
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
    if let Some(font) = look.font(theme::NOTE_SIZE) {
        let pad = 10.0 * look.z();
        let mut job = LayoutJob::single_section(
            note.text.clone(),
            TextFormat::simple(font, look.colors.note_text),
        );
        let max_rows = ((r.height() - 2.0 * pad) / (theme::NOTE_SIZE * look.z() * 1.3))
            .floor()
            .max(1.0);
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
        && !key.is_empty()
    {
        out.push(format!("/{key}"));
    }
    if p.tracing == Some(true) {
        out.push("traced".to_owned());
    }
    out
}

pub fn component(
    painter: &Painter,
    look: &Look,
    c: &Component,
    rect: crate::model::Rect,
    selected: bool,
    hovered: bool,
) {
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
        return;
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

    let Some(icon_font) = look.font(theme::ICON_SIZE) else {
        return;
    };
    let left = r.left() + 16.0 * z;
    painter.text(
        pos2(left, r.top() + 12.0 * z),
        Align2::LEFT_TOP,
        icons::glyph(info.icon),
        icon_font,
        accent,
    );
    let text_left = left + 34.0 * z;
    let text_width = r.right() - text_left - 10.0 * z;
    if let Some(font) = look.font(theme::NAME_SIZE) {
        let galley = one_line(painter, &c.name, font, look.colors.text, text_width);
        painter.galley(
            pos2(text_left, r.top() + 10.0 * z),
            galley,
            look.colors.text,
        );
    }
    if let Some(font) = look.font(theme::KIND_SIZE) {
        let galley = one_line(painter, info.name, font, look.colors.text_weak, text_width);
        painter.galley(
            pos2(text_left, r.top() + 30.0 * z),
            galley,
            look.colors.text_weak,
        );
    }
    if let Some(font) = look.font(theme::BADGE_SIZE) {
        let mut x = r.left() + 16.0 * z;
        let y = r.bottom() - 22.0 * z;
        let pad = 5.0 * z;
        for badge in badges(c) {
            let galley = painter.layout_no_wrap(badge, font.clone(), look.colors.text_weak);
            let w = galley.size().x + 2.0 * pad;
            if x + w > r.right() - 8.0 * z {
                break;
            }
            let pill = egui::Rect::from_min_size(pos2(x, y), vec2(w, 16.0 * z));
            painter.rect_filled(pill, 8.0 * z, look.colors.badge_fill);
            painter.galley(
                pos2(x + pad, pill.center().y - galley.size().y / 2.0),
                galley,
                look.colors.text_weak,
            );
            x += w + 4.0 * z;
        }
    }
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

/// Draws a connection along `curve` (canvas coordinates).
pub fn connection(
    painter: &Painter,
    look: &Look,
    conn: &Connection,
    curve: &Curve,
    selected: bool,
    hovered: bool,
) {
    let color = if selected {
        look.colors.selection
    } else {
        look.colors.wire(conn.kind)
    };
    let width = if selected || hovered { 2.6 } else { 1.6 };
    let stroke = Stroke::new(width, color);
    let to_screen = |p: Pos2| look.view.screen_from_canvas * p;
    if look.lod {
        painter.line_segment(
            [to_screen(curve.points[0]), to_screen(curve.points[3])],
            Stroke::new(1.0, color),
        );
        return;
    }
    let points: Vec<Pos2> = curve.polyline(24).into_iter().map(to_screen).collect();
    let z = look.z();
    match theme::line_style(conn.kind) {
        LineStyle::Solid => {
            painter.add(Shape::line(points.clone(), stroke));
        }
        LineStyle::Dashed => {
            painter.extend(Shape::dashed_line(
                &points,
                stroke,
                8.0 * z.max(0.5),
                5.0 * z.max(0.5),
            ));
        }
        LineStyle::Dotted => {
            painter.extend(Shape::dotted_line(
                &points,
                color,
                6.0 * z.max(0.5),
                width * 0.8,
            ));
        }
    }
    // Arrowhead at the target end.
    if let (Some(&tip), Some(&before)) = (points.last(), points.get(points.len().saturating_sub(3)))
    {
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
    if let Some(font) = look.font(theme::WIRE_LABEL_SIZE) {
        let text = wire_caption(conn);
        if !text.is_empty() {
            let mid = to_screen(curve.sample(0.5));
            let galley = painter.layout_no_wrap(text, font, look.colors.text);
            let pad = vec2(6.0, 3.0) * z.min(1.0);
            let rect = egui::Rect::from_center_size(mid, galley.size() + 2.0 * pad);
            painter.rect(
                rect,
                4.0,
                look.colors.background,
                Stroke::new(1.0, color),
                egui::StrokeKind::Inside,
            );
            painter.add(TextShape::new(rect.min + pad, galley, look.colors.text));
        }
    }
}

/// The text shown on a wire: its label plus small icons for the policy
/// parts that are set (timeout, retry, breaker).
pub fn wire_caption(conn: &Connection) -> String {
    use egui_phosphor::regular as ph;
    let mut parts: Vec<&str> = Vec::new();
    if conn.policy.timeout_ms.is_some() {
        parts.push(ph::TIMER);
    }
    if conn.policy.retry != crate::model::Retry::None {
        parts.push(ph::ARROW_CLOCKWISE);
    }
    if conn.policy.circuit_breaker {
        parts.push(ph::PLUGS);
    }
    let icons = parts.join(" ");
    match (conn.label.is_empty(), icons.is_empty()) {
        (true, _) => icons,
        (false, true) => conn.label.clone(),
        (false, false) => format!("{}  {icons}", conn.label),
    }
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
