//! Painting one frame of the canvas: groups, wires (cached geometry, except
//! the wires of dragged cards), cards, captions, notes, ports and the wire or
//! box being drawn, culled to the view.

use std::collections::HashMap;

use egui::{Ui, pos2};

use super::Canvas;
use super::captions::PlacedCaption;
use super::geometry::{self, Curve, card_rect};
use super::gestures::{Gesture, Guides, resized, snap_to_guides};
use super::hit::Hit;
use super::labels;
use super::paint::{self, Look};
use crate::app::Session;
use crate::model::{Id, Point, Rect};
use crate::ui::theme::{self, CanvasColors};

impl Canvas {
    /// Paints the frame; returns the cards whose whole name is not on screen
    /// (cut short, or far zoom), for the hover tooltip.
    pub(super) fn paint(
        &self,
        painter: &egui::Painter,
        ui: &Ui,
        rect: egui::Rect,
        session: &Session,
    ) -> Vec<Id> {
        let diagram = session.diagram();
        let look = Look {
            view: self.view,
            colors: CanvasColors::from_visuals(ui.visuals()),
            lod: self.view.zoom() < theme::LOD_ZOOM,
        };
        paint::background(painter, rect, &look);
        let visible = self.view.rect_to_canvas(rect);

        // Where dragged items are drawn this frame.
        let pointer = ui
            .input(|i| i.pointer.latest_pos())
            .map(|p| self.view.to_canvas(p));
        let mut moved: HashMap<Id, Point> = HashMap::new();
        let mut guides = Guides::default();
        let mut resized_rect: Option<(Id, Rect)> = None;
        match (&self.gesture, pointer) {
            (Gesture::Move { ids, start }, Some(p)) => {
                let (dx, dy) = (p.x - start.x, p.y - start.y);
                let snap = !ui.input(|i| i.modifiers.alt);
                let snapped = snap
                    .then(|| snap_to_guides(session, ids, dx, dy, self.view.zoom()))
                    .flatten();
                match snapped {
                    Some((moves, lines)) => {
                        moved.extend(moves);
                        guides = lines;
                    }
                    None => moved.extend(session.moved_positions(ids, dx, dy)),
                }
            }
            (
                Gesture::Resize {
                    id,
                    start_rect,
                    start,
                },
                Some(p),
            ) => {
                resized_rect = Some((
                    *id,
                    resized(
                        *start_rect,
                        p.x - start.x,
                        p.y - start.y,
                        session.snap_to_grid(),
                    ),
                ));
            }
            _ => {}
        }
        let rect_of = |id: Id, base: Rect| -> Rect {
            if let Some((rid, r)) = resized_rect
                && rid == id
            {
                return r;
            }
            match moved.get(&id) {
                Some(p) => Rect::new(p.x, p.y, base.w, base.h),
                None => base,
            }
        };
        let hovered = self.hovered.map(Hit::item);
        let state = |id: Id| (session.is_selected(id), hovered == Some(id));

        for g in diagram.groups.iter().filter(|g| self.shows(g.id)) {
            let r = rect_of(g.id, g.rect);
            if r.intersects(visible) {
                let (sel, hov) = state(g.id);
                paint::group(painter, &look, g, r, sel, hov);
            }
        }
        // Wires: the cached geometry of those near the view, except wires
        // attached to dragged cards, which are recomputed (and drawn last).
        let mut lod = paint::LodBatch::new();
        let mut dynamic: Vec<usize> = Vec::new();
        for id in moved.keys() {
            if let Ok(i) = diagram.components.binary_search_by_key(id, |c| c.id) {
                dynamic.extend_from_slice(self.wires().attached(i));
            }
        }
        dynamic.sort_unstable();
        dynamic.dedup();
        // Strokes, arrowheads and dash caps reach this far beyond the curve.
        let wire_margin = 16.0 / look.view.zoom();
        let mut near = Vec::new();
        self.wires().query_into(visible, wire_margin, &mut near);
        let mut dynamic_points = Vec::new();
        let mut dragged_caption;
        let mut captions = Vec::new();
        for i in near
            .iter()
            .copied()
            .filter(|i| dynamic.binary_search(i).is_err())
            .chain(dynamic.iter().copied())
        {
            let Some(conn) = diagram.connections.get(i).filter(|c| self.shows_wire(c)) else {
                continue;
            };
            let points = if dynamic.binary_search(&i).is_ok() {
                let (Some(a), Some(b)) = (diagram.component(conn.from), diagram.component(conn.to))
                else {
                    continue;
                };
                let curve = Curve::between(card_rect(a, &moved), card_rect(b, &moved));
                // While a card is dragged its wires' captions ride on their
                // middles; they are placed again when the move lands.
                dragged_caption = self.wires().placed_caption(i).map(|placed| {
                    let mid = curve.sample(0.5);
                    PlacedCaption {
                        center: mid,
                        ..placed.clone()
                    }
                });
                let b = geometry::wire_bounds(&curve, dragged_caption.as_ref());
                let m = wire_margin;
                if !Rect::new(b.x - m, b.y - m, b.w + 2.0 * m, b.h + 2.0 * m).intersects(visible) {
                    continue;
                }
                dynamic_points.clear();
                dynamic_points.extend(
                    (0..=geometry::WIRE_SEGMENTS)
                        .map(|k| curve.sample(k as f32 / geometry::WIRE_SEGMENTS as f32)),
                );
                dynamic_points.as_slice()
            } else {
                dragged_caption = None;
                self.wires().polyline(i)
            };
            let caption = if dynamic.binary_search(&i).is_ok() {
                dragged_caption.as_ref()
            } else {
                self.wires().placed_caption(i)
            };
            let (sel, hov) = state(conn.id);
            if look.lod {
                if let (Some(&from), Some(&to)) = (points.first(), points.last()) {
                    lod.wire(&look, conn, from, to, sel);
                }
            } else {
                paint::connection(
                    painter,
                    &look,
                    conn,
                    points,
                    caption,
                    rect,
                    sel,
                    hov,
                    &mut captions,
                );
            }
        }
        lod.finish_wires(painter);
        let mut on_screen = Vec::new();
        self.index().query_into(visible, &mut on_screen);
        // Dragged cards may have come from off screen.
        if !moved.is_empty() {
            on_screen.extend(
                diagram
                    .components
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| moved.contains_key(&c.id))
                    .map(|(i, _)| i),
            );
            on_screen.sort_unstable();
            on_screen.dedup();
        }
        let mut labels = Vec::new();
        let mut truncated = Vec::new();
        for &i in &on_screen {
            let Some(c) = diagram.components.get(i).filter(|c| self.shows(c.id)) else {
                continue;
            };
            let r = card_rect(c, &moved);
            if !r.intersects(visible) {
                continue;
            }
            let (sel, hov) = state(c.id);
            if look.lod {
                lod.card(&look, c, r, sel);
                labels.push(labels::Candidate {
                    component: c,
                    screen: self.view.rect_to_screen(r),
                    selected: sel,
                    degree: self.wires().attached(i).len(),
                });
                truncated.push(c.id);
            } else if paint::component(painter, &look, c, r, sel, hov) {
                truncated.push(c.id);
            }
        }
        lod.finish_cards(painter);
        let far_names = if look.lod {
            let painted = labels::paint(painter, &look, labels);
            let enlarged: HashMap<Id, egui::Rect> = painted.enlarged.into_iter().collect();
            lod.finish_arrows(painter, &enlarged);
            painted.names
        } else {
            0
        };
        self.far_names.set(far_names);
        painter.extend(captions);
        for n in diagram.notes.iter().filter(|n| self.shows(n.id)) {
            let r = rect_of(n.id, n.rect);
            if r.intersects(visible) {
                let (sel, hov) = state(n.id);
                paint::note(painter, &look, n, r, sel, hov);
            }
        }
        // Alignment guides of a drag that snapped.
        for &x in &guides.xs {
            let top = self.view.to_screen(Point::new(x, visible.y));
            let bottom = self.view.to_screen(Point::new(x, visible.y + visible.h));
            painter.line_segment([top, bottom], egui::Stroke::new(1.0, look.colors.selection));
        }
        for &y in &guides.ys {
            let left = self.view.to_screen(Point::new(visible.x, y));
            let right = self.view.to_screen(Point::new(visible.x + visible.w, y));
            painter.line_segment([left, right], egui::Stroke::new(1.0, look.colors.selection));
        }
        // The "+" handle of the selected card.
        if let Some(id) = self.add_handle_card(session)
            && let Some(c) = diagram.component(id)
        {
            let center =
                super::hit::add_handle_center(look.view.rect_to_screen(card_rect(c, &moved)));
            let active = matches!(self.hovered, Some(Hit::AddHandle(_)));
            paint::add_handle(
                painter,
                &look,
                center,
                super::hit::ADD_HANDLE_RADIUS,
                active,
            );
        }
        // Ports of the hovered card, and the wire being drawn.
        if theme::ports_at(look.view.zoom()) {
            match (&self.gesture, self.hovered) {
                (Gesture::Idle, Some(Hit::Port(id, side))) => {
                    if let Some(c) = diagram.component(id) {
                        paint::ports(painter, &look, c.rect(), Some(side));
                    }
                }
                (Gesture::Idle, Some(Hit::Component(id))) => {
                    if let Some(c) = diagram.component(id) {
                        paint::ports(painter, &look, c.rect(), None);
                    }
                }
                (Gesture::Connect { from, side }, _) => {
                    if let (Some(c), Some(p)) = (diagram.component(*from), pointer) {
                        let target = ui
                            .input(|i| i.pointer.latest_pos())
                            .and_then(|s| self.hit_test(session, s));
                        if let Some(Hit::Component(to) | Hit::Port(to, _)) = target
                            && let Some(t) = diagram.component(to)
                            && to != *from
                        {
                            paint::ports(painter, &look, t.rect(), None);
                        }
                        paint::pending_wire(
                            painter,
                            &look,
                            &Curve::to_point(c.rect(), *side, pos2(p.x, p.y)),
                        );
                    }
                }
                _ => {}
            }
        }
        if let (Gesture::BoxSelect { start, .. }, Some(p)) = (&self.gesture, pointer) {
            let r = egui::Rect::from_two_pos(self.view.to_screen(*start), self.view.to_screen(p));
            paint::selection_box(painter, &look, r);
        }
        truncated
    }
}
