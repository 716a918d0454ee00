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

impl Canvas {
    /// Where the badge of `id` sits on screen, if the item is drawn.
    fn badge_pos(&self, diagram: &Diagram, id: Id) -> Option<Pos2> {
        if !self.shows(id) {
            return None;
        }
        if let Some(c) = diagram.component(id) {
            let r = self.view.rect_to_screen(c.rect());
            return Some(r.right_top() + vec2(-RADIUS * 0.4, RADIUS * 0.4));
        }
        let conn = diagram.connection(id)?;
        let (a, b) = (diagram.component(conn.from)?, diagram.component(conn.to)?);
        // Beside the middle of the wire, clear of its label.
        let curve = Curve::between(a.rect(), b.rect());
        let mid = self.view.screen_from_canvas * curve.sample(0.5);
        let ahead = self.view.screen_from_canvas * curve.sample(0.55);
        let along = (ahead - mid).normalized();
        let normal = if along.is_finite() {
            along.rot90()
        } else {
            vec2(0.0, -1.0)
        };
        let side = if normal.y > 0.0 { -normal } else { normal };
        Some(mid + side * (RADIUS + 12.0))
    }

    /// The badge under the screen point `p`.
    pub(super) fn badge_at(&self, diagram: &Diagram, p: Pos2) -> Option<Id> {
        self.badges
            .keys()
            .copied()
            .filter(|&id| {
                self.badge_pos(diagram, id)
                    .is_some_and(|pos| pos.distance(p) <= RADIUS + 2.0)
            })
            .min()
    }

    pub(super) fn paint_badges(&self, painter: &egui::Painter, ui: &Ui, diagram: &Diagram) {
        let clip = painter.clip_rect();
        let mut ids: Vec<&Id> = self.badges.keys().collect();
        ids.sort_unstable();
        for id in ids {
            let (Some(badge), Some(pos)) = (self.badges.get(id), self.badge_pos(diagram, *id))
            else {
                continue;
            };
            if !clip.expand(RADIUS).contains(pos) {
                continue;
            }
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
