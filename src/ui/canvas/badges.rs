//! Checklist badges on the canvas: a small severity mark on every component
//! and connection with open findings; hovering it lists them.

use std::collections::HashMap;

use egui::{Color32, FontId, Pos2, Stroke, Ui, pos2, vec2};

use super::Canvas;
use super::geometry::Curve;
use crate::model::{Diagram, Id, Subject};
use crate::rules::{Finding, Severity};
use crate::ui::checklist::{severity_color, severity_icon};

/// Radius of a badge, in screen points (the same at every zoom).
const RADIUS: f32 = 9.0;

/// The open findings about one item.
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    /// The worst severity among the findings.
    pub severity: Severity,
    /// One line per finding: rule id and message.
    pub lines: Vec<(Severity, String)>,
}

/// Groups open findings by the component or connection they are about.
pub fn badges_from(open: &[&Finding]) -> HashMap<Id, Badge> {
    let mut out: HashMap<Id, Badge> = HashMap::new();
    for finding in open {
        let id = match finding.subject {
            Subject::Component(id) | Subject::Connection(id) => id,
            Subject::Design | Subject::Group(_) => continue,
        };
        let line = (
            finding.severity,
            format!("{}  {}", finding.rule.id, finding.message),
        );
        out.entry(id)
            .and_modify(|b| {
                b.severity = b.severity.min(finding.severity);
                b.lines.push(line.clone());
            })
            .or_insert(Badge {
                severity: finding.severity,
                lines: vec![line],
            });
    }
    out
}

/// One badge on screen: the items whose findings it stands for (a card's
/// and its wires' badges that would overlap are drawn as one).
#[derive(Clone, Debug, PartialEq)]
pub struct BadgeSpot {
    pub ids: Vec<Id>,
    pub pos: Pos2,
}

impl BadgeSpot {
    /// The badge's circle on screen, for overlap checks.
    pub fn rect(&self) -> egui::Rect {
        egui::Rect::from_center_size(self.pos, vec2(2.0 * RADIUS, 2.0 * RADIUS))
    }
}

impl Canvas {
    /// The badges to draw this frame: only items in view (found through the
    /// card and wire indexes), none at far zoom (cards are plain blocks),
    /// and badges that would overlap merged into the first of them (cards
    /// before wires, then by id).
    pub fn badge_spots(&self, diagram: &Diagram) -> Vec<BadgeSpot> {
        if self.badges().is_empty() || self.view.zoom() < crate::ui::theme::LOD_ZOOM {
            return Vec::new();
        }
        let visible = self.view.rect_to_canvas(self.screen_rect);
        let mut wanted: Vec<(Id, Pos2)> = Vec::new();
        let mut near = Vec::new();
        self.index().query_into(visible, &mut near);
        for &i in &near {
            let Some(c) = diagram.components.get(i) else {
                continue;
            };
            if self.badges().contains_key(&c.id) && self.shows(c.id) {
                let r = self.view.rect_to_screen(c.rect());
                wanted.push((c.id, component_badge_point(r)));
            }
        }
        near.clear();
        self.wires().query_into(visible, 0.0, &mut near);
        let cards = wanted.len();
        for &i in &near {
            let (Some(conn), Some(curve)) = (diagram.connections.get(i), self.wires().curve(i))
            else {
                continue;
            };
            if self.badges().contains_key(&conn.id) && self.shows_wire(conn) {
                wanted.push((conn.id, self.wire_badge_pos(curve, i)));
            }
        }
        wanted[..cards].sort_unstable_by_key(|(id, _)| *id);
        wanted[cards..].sort_unstable_by_key(|(id, _)| *id);
        let mut spots: Vec<BadgeSpot> = Vec::new();
        for (id, pos) in wanted {
            let apart = 2.0 * RADIUS + 3.0;
            match spots.iter_mut().find(|s| s.pos.distance(pos) < apart) {
                Some(spot) => spot.ids.push(id),
                None => spots.push(BadgeSpot { ids: vec![id], pos }),
            }
        }
        spots
    }

    /// Just left of the wire's caption where it has one on screen, else the
    /// middle of the wire.
    fn wire_badge_pos(&self, curve: &Curve, wire: usize) -> Pos2 {
        match self.wires().placed_caption(wire) {
            Some(caption) => {
                let r = self.view.rect_to_screen(caption.rect());
                pos2(r.left() - RADIUS - 2.0, r.center().y)
            }
            None => self.view.screen_from_canvas * curve.sample(0.5),
        }
    }

    /// The badge under the screen point `p`.
    pub(super) fn badge_at(&self, diagram: &Diagram, p: Pos2) -> Option<BadgeSpot> {
        self.badge_spots(diagram)
            .into_iter()
            .find(|spot| spot.pos.distance(p) <= RADIUS + 2.0)
    }

    /// The findings one spot stands for, worst first.
    pub(super) fn spot_badge(&self, spot: &BadgeSpot) -> Option<Badge> {
        let mut badges = spot.ids.iter().filter_map(|id| self.badges().get(id));
        let mut merged = badges.next()?.clone();
        for badge in badges {
            merged.severity = merged.severity.min(badge.severity);
            merged.lines.extend(badge.lines.iter().cloned());
        }
        merged.lines.sort_by_key(|(severity, _)| *severity);
        Some(merged)
    }

    pub(super) fn paint_badges(&self, painter: &egui::Painter, ui: &Ui, diagram: &Diagram) {
        for spot in self.badge_spots(diagram) {
            let Some(badge) = self.spot_badge(&spot) else {
                continue;
            };
            let pos = spot.pos;
            let color = severity_color(ui, badge.severity);
            let background = ui.visuals().extreme_bg_color;
            painter.circle(pos, RADIUS, background, Stroke::new(1.5, color));
            painter.text(
                pos,
                egui::Align2::CENTER_CENTER,
                severity_icon(badge.severity),
                FontId::proportional(RADIUS * 1.5),
                color,
            );
            if badge.lines.len() > 1 {
                let count_pos = pos + vec2(RADIUS, -RADIUS * 0.9);
                painter.circle_filled(count_pos, 6.5, color);
                painter.text(
                    count_pos,
                    egui::Align2::CENTER_CENTER,
                    badge.lines.len().min(99).to_string(),
                    FontId::proportional(9.0),
                    Color32::WHITE,
                );
            }
        }
    }

    /// The hover list of a badge.
    pub(super) fn badge_tooltip_ui(ui: &mut Ui, badge: &Badge) {
        ui.set_max_width(360.0);
        for (severity, line) in &badge.lines {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    egui::RichText::new(severity_icon(*severity))
                        .color(severity_color(ui, *severity)),
                );
                ui.label(line);
            });
        }
        ui.add_space(2.0);
        ui.weak("The checklist panel explains each one and offers fixes");
    }
}

/// The screen point of a component's badge, for tests.
pub fn component_badge_point(card: egui::Rect) -> Pos2 {
    pos2(card.right() - RADIUS * 0.4, card.top() + RADIUS * 0.4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::example::example_design;

    #[test]
    fn badges_group_open_findings_by_item_with_the_worst_severity() {
        let diagram = example_design();
        let findings = crate::rules::check(&diagram);
        let review = crate::rules::review(&diagram, &findings);
        let badges = badges_from(&review.open);
        for (id, badge) in &badges {
            let about_it: Vec<&&Finding> = review
                .open
                .iter()
                .filter(|f| f.subject.id() == Some(*id))
                .collect();
            assert_eq!(badge.lines.len(), about_it.len());
            let worst = about_it.iter().map(|f| f.severity).min();
            assert_eq!(Some(badge.severity), worst);
        }
        let hub = diagram
            .components
            .iter()
            .find(|c| c.name == "Chat hub")
            .unwrap();
        let hub_badge = &badges[&hub.id];
        assert!(
            hub_badge
                .lines
                .iter()
                .any(|(_, line)| line.contains("RT-001"))
        );
    }
}
