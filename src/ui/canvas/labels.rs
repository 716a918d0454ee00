//! Names at far zoom (semantic zoom, as maps do): below the level-of-detail
//! zoom cards are plain blocks, but each keeps its icon and name at a
//! readable on-screen size wherever there is room. Labels are placed in
//! order of importance (selected cards, then the most connected) and a label
//! that would cover one already placed is left out, so a dense design shows
//! the names that matter instead of an unreadable pile.

use egui::{FontId, Painter, Pos2, Rect, Stroke, pos2, vec2};

use super::paint::{self, Look};
use crate::model::{Component, Id};
use crate::ui::theme;

/// A card that may get a label: where it is on screen and how much it matters.
pub struct Candidate<'a> {
    pub component: &'a Component,
    pub screen: Rect,
    pub selected: bool,
    /// Connections touching the card.
    pub degree: usize,
}

/// Padding around a label's text, in screen points.
const PAD: Pos2 = pos2(4.0, 2.0);
/// The narrowest a label may wrap to, in screen points.
const MIN_WIDTH: f32 = 76.0;
/// A conservative average glyph width, in ems, for estimating a label's
/// size before laying it out.
const GLYPH_EM: f32 = 0.62;

/// A grid of placed label rectangles, for "does this overlap a label".
struct Placed {
    cell: f32,
    cells: std::collections::HashMap<(i32, i32), Vec<Rect>>,
}

impl Placed {
    fn new(cell: f32) -> Self {
        Self {
            cell,
            cells: std::collections::HashMap::new(),
        }
    }

    fn range(&self, r: Rect) -> (i32, i32, i32, i32) {
        let c = |v: f32| (v / self.cell).floor() as i32;
        (c(r.min.x), c(r.min.y), c(r.max.x), c(r.max.y))
    }

    fn overlaps(&self, r: Rect) -> bool {
        let (x0, y0, x1, y1) = self.range(r);
        (x0..=x1).any(|x| {
            (y0..=y1).any(|y| {
                self.cells
                    .get(&(x, y))
                    .is_some_and(|rects| rects.iter().any(|o| o.intersects(r)))
            })
        })
    }

    fn insert(&mut self, r: Rect) {
        let (x0, y0, x1, y1) = self.range(r);
        for x in x0..=x1 {
            for y in y0..=y1 {
                self.cells.entry((x, y)).or_default().push(r);
            }
        }
    }
}

/// Places and paints the labels of `candidates`; returns how many were
/// placed. Cheap when most are left out: sizes are estimated before any
/// text is laid out.
///
/// Returns the labels drawn bigger than their card, as (card, rectangle):
/// those cards show as the bigger rectangle, so wires end at its edge.
pub fn paint(
    painter: &Painter,
    look: &Look,
    mut candidates: Vec<Candidate<'_>>,
) -> Vec<(Id, Rect)> {
    let size = theme::MIN_NAME_PX;
    let font = FontId::proportional(size);
    let row = size * 1.3;
    candidates.sort_by(|a, b| {
        (b.selected, b.degree)
            .cmp(&(a.selected, a.degree))
            .then(a.component.id.cmp(&b.component.id))
    });
    let mut placed = Placed::new(96.0);
    let mut enlarged = Vec::new();
    for candidate in candidates {
        let card = candidate.screen;
        // Wide enough for the longest word, so no word is split.
        let longest = candidate
            .component
            .name
            .split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        let word = (longest + 2) as f32 * GLYPH_EM * size;
        let width = (card.width() - 2.0 * PAD.x).max(MIN_WIDTH).max(word);
        let chars = candidate.component.name.chars().count() + 2;
        let estimate = chars as f32 * GLYPH_EM * size;
        let rows = if estimate > width { 2.0 } else { 1.0 };
        let guess = Rect::from_center_size(
            card.center(),
            vec2(estimate.min(width) + 2.0 * PAD.x, rows * row + 2.0 * PAD.y),
        );
        if placed.overlaps(guess) {
            continue;
        }
        let accent = look
            .colors
            .category(candidate.component.kind.info().category);
        let job = paint::icon_and_name(candidate.component, &font, accent, look.colors.text, width);
        let galley = painter.layout_job(job);
        let text = galley.size();
        let rect = Rect::from_center_size(card.center(), text + 2.0 * PAD.to_vec2());
        let rect = rect.union(guess.intersect(rect));
        if placed.overlaps(rect) {
            continue;
        }
        // A label bigger than its block reads as an enlarged card: it
        // covers the whole block (none of it peeks out) and keeps the
        // category strip on its left.
        if !card.contains_rect(rect) {
            let plate = rect.union(card);
            placed.insert(plate.union(guess));
            let stroke = if candidate.selected {
                Stroke::new(1.5, look.colors.selection)
            } else {
                Stroke::new(1.0, look.colors.card_stroke)
            };
            painter.rect(
                plate,
                4.0,
                look.colors.card_fill,
                Stroke::NONE,
                egui::StrokeKind::Inside,
            );
            let strip = (theme::CARD_STRIP * look.z()).max(2.0).round();
            painter.rect_filled(
                Rect::from_min_size(plate.min, vec2(strip, plate.height())),
                egui::CornerRadius {
                    nw: 4,
                    sw: 4,
                    ne: 0,
                    se: 0,
                },
                accent,
            );
            painter.rect_stroke(plate, 4.0, stroke, egui::StrokeKind::Inside);
            enlarged.push((candidate.component.id, plate));
        } else {
            placed.insert(rect.union(guess));
        }
        painter.galley(rect.min + PAD.to_vec2(), galley, look.colors.text);
    }
    enlarged
}
