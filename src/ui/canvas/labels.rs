//! Names at far zoom (semantic zoom, as maps do): below the level-of-detail
//! zoom cards are plain blocks, but each keeps its icon and name at a
//! readable on-screen size wherever there is room. Placing goes in two
//! passes, in order of importance (selected cards, then the most
//! connected): first every card gets one line no wider than the card (cut
//! short with an ellipsis when the name is longer), where it covers no
//! label already placed; then each of those grows to the whole name where
//! that covers no other label. Cards stacked closely so still show a name
//! each (whole on hover), and a dense design shows the names that matter
//! instead of an unreadable pile.

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
/// The narrowest a shortened one-line label may be (an icon and a few
/// letters; the whole name shows on hover).
const MIN_SHORT_WIDTH: f32 = 56.0;
/// A conservative average glyph width, in ems, for estimating a label's
/// size before laying it out.
const GLYPH_EM: f32 = 0.62;

/// A grid of placed label rectangles and the candidate each belongs to,
/// for "does this overlap another card's label".
struct Placed {
    cell: f32,
    cells: std::collections::HashMap<(i32, i32), Vec<(Rect, usize)>>,
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

    /// Whether `r` overlaps a label of a candidate other than `owner`.
    fn overlaps_other(&self, r: Rect, owner: usize) -> bool {
        let (x0, y0, x1, y1) = self.range(r);
        (x0..=x1).any(|x| {
            (y0..=y1).any(|y| {
                self.cells.get(&(x, y)).is_some_and(|rects| {
                    rects
                        .iter()
                        .any(|&(o, who)| who != owner && o.intersects(r))
                })
            })
        })
    }

    fn insert(&mut self, r: Rect, owner: usize) {
        let (x0, y0, x1, y1) = self.range(r);
        for x in x0..=x1 {
            for y in y0..=y1 {
                self.cells.entry((x, y)).or_default().push((r, owner));
            }
        }
    }
}

/// How a label will be drawn: the width it wraps to, whether it is the
/// shortened one-line form, and the room it was given.
#[derive(Clone, Copy)]
struct Plan {
    width: f32,
    short: bool,
    room: Rect,
}

/// What [`paint`] drew: how many names, and the labels drawn bigger than
/// their card, as (card, rectangle): those cards show as the bigger
/// rectangle, so wires end at its edge.
pub struct Painted {
    pub names: usize,
    pub enlarged: Vec<(Id, Rect)>,
}

/// Places and paints the labels of `candidates` and says what it drew.
/// Cheap when most are left out: sizes are estimated before any text is
/// laid out, and only placed labels are laid out.
pub fn paint(painter: &Painter, look: &Look, mut candidates: Vec<Candidate<'_>>) -> Painted {
    let size = theme::MIN_NAME_PX;
    let font = FontId::proportional(size);
    let row = size * 1.3;
    candidates.sort_by(|a, b| {
        (b.selected, b.degree)
            .cmp(&(a.selected, a.degree))
            .then(a.component.id.cmp(&b.component.id))
    });
    // The two forms of each label, estimated before any text is laid out.
    let forms: Vec<(Plan, Plan)> = candidates
        .iter()
        .map(|candidate| {
            let card = candidate.screen;
            let name = &candidate.component.name;
            // Wide enough for the longest word, so no word is split.
            let longest = name
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            let word = (longest + 2) as f32 * GLYPH_EM * size;
            let width = (card.width() - 2.0 * PAD.x).max(MIN_WIDTH).max(word);
            let estimate = (name.chars().count() + 2) as f32 * GLYPH_EM * size;
            let rows = if estimate > width { 2.0 } else { 1.0 };
            let room = |rows: f32, width: f32| {
                Rect::from_center_size(
                    card.center(),
                    vec2(estimate.min(width) + 2.0 * PAD.x, rows * row + 2.0 * PAD.y),
                )
            };
            let narrow = (card.width() - 2.0 * PAD.x).max(MIN_SHORT_WIDTH);
            let short = Plan {
                width: narrow,
                short: true,
                room: room(1.0, narrow),
            };
            let whole = Plan {
                width,
                short: false,
                room: room(rows, width),
            };
            (short, whole)
        })
        .collect();
    let mut placed = Placed::new(96.0);
    let mut plans: Vec<Option<Plan>> = forms
        .iter()
        .enumerate()
        .map(|(i, &(short, _))| {
            (!placed.overlaps_other(short.room, i)).then(|| {
                placed.insert(short.room, i);
                short
            })
        })
        .collect();
    for (i, (plan, &(_, whole))) in plans.iter_mut().zip(&forms).enumerate() {
        if plan.is_some() && !placed.overlaps_other(whole.room, i) {
            placed.insert(whole.room, i);
            *plan = Some(whole);
        }
    }

    let mut painted = Painted {
        names: 0,
        enlarged: Vec::new(),
    };
    for (i, (candidate, plan)) in candidates.iter().zip(plans).enumerate() {
        let Some(plan) = plan else {
            continue;
        };
        let card = candidate.screen;
        let accent = look
            .colors
            .category(candidate.component.kind.info().category);
        let mut job = paint::icon_and_name(
            candidate.component,
            &font,
            accent,
            look.colors.text,
            plan.width,
        );
        if plan.short {
            job.wrap.max_rows = 1;
            job.wrap.break_anywhere = true;
        }
        let galley = painter.layout_job(job);
        let text = galley.size();
        let rect = Rect::from_center_size(card.center(), text + 2.0 * PAD.to_vec2());
        // A label bigger than its block reads as an enlarged card: it
        // covers the whole block (none of it peeks out) and keeps the
        // category strip on its left.
        let enlarged = !card.contains_rect(rect);
        let plate = if enlarged { rect.union(card) } else { rect };
        // The estimate can be short of the real text: a label that grew
        // over another is left out rather than drawn on top of it.
        if !plan.room.contains_rect(plate) && placed.overlaps_other(plate, i) {
            continue;
        }
        if enlarged {
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
            painted.enlarged.push((candidate.component.id, plate));
        }
        painter.galley(rect.min + PAD.to_vec2(), galley, look.colors.text);
        painted.names += 1;
    }
    painted
}
