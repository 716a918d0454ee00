//! Hit testing: which item (or part of one) is under a screen point, topmost
//! first, looking only at the cards and wires near it.

use egui::{Pos2, pos2};

use super::Canvas;
use super::geometry::{Side, distance_to_polyline};
use crate::app::Session;
use crate::model::{Id, Rect};
use crate::ui::theme;

/// What is under the pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// The "+" handle of the selected card: add a connected card.
    AddHandle(Id),
    Port(Id, Side),
    Component(Id),
    Connection(Id),
    Note(Id),
    NoteResize(Id),
    GroupTitle(Id),
    GroupResize(Id),
}

impl Hit {
    pub fn item(self) -> Id {
        match self {
            Hit::AddHandle(id)
            | Hit::Port(id, _)
            | Hit::Component(id)
            | Hit::Connection(id)
            | Hit::Note(id)
            | Hit::NoteResize(id)
            | Hit::GroupTitle(id)
            | Hit::GroupResize(id) => id,
        }
    }
}

/// Radius of the "+" handle, screen points.
pub const ADD_HANDLE_RADIUS: f32 = 9.0;

/// Where a card's "+" handle sits: just outside its bottom-right corner, clear
/// of the ports (side midpoints) and the badge (top-right corner).
pub fn add_handle_center(card: egui::Rect) -> Pos2 {
    card.right_bottom() + egui::vec2(ADD_HANDLE_RADIUS + 3.0, 0.0)
}

impl Canvas {
    /// The card that shows a "+" handle: the only selected one, when cards
    /// are drawn in full.
    pub(super) fn add_handle_card(&self, session: &Session) -> Option<Id> {
        if self.read_only || self.view.zoom() < theme::LOD_ZOOM {
            return None;
        }
        match session.selection().iter().collect::<Vec<_>>().as_slice() {
            [id] if session.diagram().component(**id).is_some() => Some(**id),
            _ => None,
        }
    }

    /// The topmost item at screen position `p`.
    pub(super) fn hit_test(&self, session: &Session, p: Pos2) -> Option<Hit> {
        let diagram = session.diagram();
        let view = self.view;
        let at = view.to_canvas(p);
        let zoom = view.zoom();
        let handle = theme::HANDLE_SIZE;
        let on_handle = |r: egui::Rect| {
            egui::Rect::from_min_max(r.max - egui::vec2(handle, handle), r.max)
                .expand(2.0)
                .contains(p)
        };

        // Notes draw on top of everything.
        for n in diagram.notes.iter().rev() {
            let r = view.rect_to_screen(n.rect);
            if session.is_selected(n.id) && on_handle(r) {
                return Some(Hit::NoteResize(n.id));
            }
            if r.contains(p) {
                return Some(Hit::Note(n.id));
            }
        }
        // The "+" handle of the one selected card.
        if let Some(id) = self.add_handle_card(session)
            && let Some(c) = diagram.component(id)
            && add_handle_center(view.rect_to_screen(c.rect())).distance(p)
                <= ADD_HANDLE_RADIUS + 2.0
        {
            return Some(Hit::AddHandle(id));
        }
        // Ports and cards: look only at components near the pointer.
        let margin = theme::PORT_RADIUS * 2.0 / zoom;
        let near = self.index().query(Rect::new(
            at.x - margin,
            at.y - margin,
            2.0 * margin,
            2.0 * margin,
        ));
        for &i in near.iter().rev() {
            let Some(c) = diagram.components.get(i) else {
                continue;
            };
            if theme::ports_at(zoom) {
                for side in Side::ALL {
                    let port = view.screen_from_canvas * side.anchor(c.rect());
                    if port.distance(p) <= theme::PORT_RADIUS + 3.0 {
                        return Some(Hit::Port(c.id, side));
                    }
                }
            }
            if c.rect().contains(at) {
                return Some(Hit::Component(c.id));
            }
        }
        // Connections: distance to the drawn curve (cached polylines of the
        // wires whose bounds come within picking distance).
        let pick = theme::WIRE_PICK_DISTANCE / zoom;
        let mut near_wires = Vec::new();
        self.wires()
            .query_into(Rect::new(at.x, at.y, 0.0, 0.0), pick, &mut near_wires);
        for &i in near_wires.iter().rev() {
            let Some(conn) = diagram.connections.get(i) else {
                continue;
            };
            if distance_to_polyline(pos2(at.x, at.y), self.wires().polyline(i)) <= pick {
                return Some(Hit::Connection(conn.id));
            }
        }
        // Groups: the resize handle, the title bar and a thin border band.
        for g in diagram.groups.iter().rev() {
            let r = view.rect_to_screen(g.rect);
            if session.is_selected(g.id) && on_handle(r) {
                return Some(Hit::GroupResize(g.id));
            }
            let title = egui::Rect::from_min_size(
                r.min,
                egui::vec2(r.width(), theme::GROUP_TITLE_HEIGHT * zoom),
            );
            let on_border = r.expand(3.0).contains(p) && !r.shrink(5.0).contains(p);
            if title.contains(p) || on_border {
                return Some(Hit::GroupTitle(g.id));
            }
        }
        None
    }
}
