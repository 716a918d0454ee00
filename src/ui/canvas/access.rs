//! AccessKit nodes for the canvas: every visible item gets one with its role,
//! name, selection state and screen bounds, so screen readers and UI tests
//! find cards, wires, groups and notes by name and click them.

use egui::Ui;

use super::Canvas;
use crate::app::Session;
use crate::model::Id;
use crate::ui::theme;

impl Canvas {
    /// Gives every visible item an AccessKit node with its name and screen
    /// bounds, so assistive technology and UI tests can find and click it.
    pub(super) fn accessibility(&self, ui: &Ui, session: &Session) {
        let ctx = ui.ctx();
        if ctx.accesskit_node_builder(ui.id(), |_| ()).is_none() {
            return; // AccessKit is off: nothing to do.
        }
        let diagram = session.diagram();
        let visible = self.view.rect_to_canvas(self.screen_rect);
        let add = |id: Id, label: String, bounds: egui::Rect| {
            let node_id = ui.id().with(("item", id.0));
            let selected = session.is_selected(id);
            ctx.accesskit_node_builder(node_id, |node| {
                node.set_role(egui::accesskit::Role::Button);
                node.set_label(label);
                node.set_selected(selected);
                node.set_bounds(egui::accesskit::Rect {
                    x0: bounds.min.x.into(),
                    y0: bounds.min.y.into(),
                    x1: bounds.max.x.into(),
                    y1: bounds.max.y.into(),
                });
                node.add_action(egui::accesskit::Action::Click);
            });
        };
        if let Some(id) = self.add_handle_card(session)
            && let Some(c) = diagram.component(id)
        {
            let center = super::hit::add_handle_center(self.view.rect_to_screen(c.rect()));
            let r = super::hit::ADD_HANDLE_RADIUS;
            // Not `add`: this node is a plain button, never "selected".
            ctx.accesskit_node_builder(ui.id().with(("add-handle", id.0)), |node| {
                node.set_role(egui::accesskit::Role::Button);
                node.set_label(format!("Add a card connected from {}", c.name));
                node.set_bounds(egui::accesskit::Rect {
                    x0: (center.x - r).into(),
                    y0: (center.y - r).into(),
                    x1: (center.x + r).into(),
                    y1: (center.y + r).into(),
                });
                node.add_action(egui::accesskit::Action::Click);
            });
        }
        for &i in &self.index().query(visible) {
            if let Some(c) = diagram.components.get(i).filter(|c| self.shows(c.id)) {
                add(c.id, c.name.clone(), self.view.rect_to_screen(c.rect()));
            }
        }
        let mut near = Vec::new();
        self.wires().query_into(visible, 0.0, &mut near);
        for &i in &near {
            let (Some(conn), Some(curve)) = (diagram.connections.get(i), self.wires().curve(i))
            else {
                continue;
            };
            if !self.shows_wire(conn) {
                continue;
            }
            let (Some(a), Some(b)) = (diagram.component(conn.from), diagram.component(conn.to))
            else {
                continue;
            };
            let mid = self.view.screen_from_canvas * curve.sample(0.5);
            if self.screen_rect.contains(mid) {
                add(
                    conn.id,
                    format!("Connection from {} to {}", a.name, b.name),
                    egui::Rect::from_center_size(mid, egui::vec2(8.0, 8.0)),
                );
            }
        }
        for g in diagram
            .groups
            .iter()
            .filter(|g| g.rect.intersects(visible) && self.shows(g.id))
        {
            let r = self.view.rect_to_screen(g.rect);
            let title = egui::Rect::from_min_size(
                r.min,
                egui::vec2(r.width(), theme::GROUP_TITLE_HEIGHT * self.view.zoom()),
            );
            add(g.id, format!("{} group {}", g.kind.label(), g.label), title);
        }
        for n in diagram
            .notes
            .iter()
            .filter(|n| n.rect.intersects(visible) && self.shows(n.id))
        {
            add(
                n.id,
                format!("Note: {}", n.text.lines().next().unwrap_or("")),
                self.view.rect_to_screen(n.rect),
            );
        }
    }
}
