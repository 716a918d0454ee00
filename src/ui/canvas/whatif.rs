//! What-if mode on the canvas: drawn over the finished scene from the card
//! and wire geometry, so the scene's own painting knows nothing about it.
//!
//! - Failed cards get a red outline, degraded ones amber, with a label on
//!   the top edge saying what happened ("Down", "Lost", "Fails",
//!   "Degraded").
//! - The wires the failure spreads along (every call that does not simply
//!   work, and every connection an explanation step happens at) glow in
//!   the colour of the call's verdict, with their caption on top.
//! - A lost zone or region is tinted red.
//! - Every card with a capacity shows its utilisation on its bottom edge
//!   (green, amber from 70%, red over 100%); the first bottleneck is
//!   labelled.
//!
//! Each label also gets an AccessKit node ("Payment provider: down",
//! "Orders DB: 62% of capacity", "Orders DB: first bottleneck"), so screen
//! readers and UI tests find what the overlay shows.

use std::collections::HashSet;

use egui::{Color32, FontId, Pos2, Shape, Stroke, Ui, pos2, vec2};

use super::Canvas;
use crate::app::Session;
use crate::model::{Id, Subject};
use crate::sim::{Effect, Failure, Outcome, Verdict};
use crate::ui::theme::{self, CanvasColors};

/// One label the overlay drew this frame: on which item, its text, and the
/// words its AccessKit node carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub id: Id,
    pub text: String,
    pub accessible: String,
}

/// Where a label sits on a card.
#[derive(Clone, Copy)]
enum Corner {
    TopLeft,
    BottomRight,
}

impl Canvas {
    /// The labels the what-if overlay drew last frame (empty outside the
    /// mode).
    pub fn whatif_marks(&self) -> &[Mark] {
        &self.whatif_marks
    }

    /// Paints the what-if overlay of the session's scenario, if what-if mode
    /// is on, over everything the scene drew.
    pub(super) fn paint_whatif(&mut self, painter: &egui::Painter, ui: &Ui, session: &Session) {
        self.whatif_marks.clear();
        let Some(outcome) = session.whatif().and_then(|w| w.outcome()) else {
            return;
        };
        let colors = CanvasColors::from_visuals(ui.visuals()).whatif();
        let zoom = self.view.zoom();
        // Wires lose their captions at far zoom, as in the scene; the
        // labels on cards and groups stay while cards still show their
        // names (down to the zoom where cards become blocks).
        let lod = zoom < theme::LOD_ZOOM;
        let blocks = zoom < theme::CARD_BLOCK_ZOOM;
        let diagram = session.diagram();
        let visible = self.view.rect_to_canvas(self.screen_rect);
        // Where labels went this frame, so the next ones avoid them.
        let mut placed = Vec::new();

        // A lost zone or region.
        if let Some(Failure::Zone(id) | Failure::Region(id)) = outcome.scenario.failure
            && let Some(g) = diagram.group(id)
            && g.rect.intersects(visible)
        {
            let r = self.view.rect_to_screen(g.rect);
            painter.rect(
                r,
                6.0 * zoom,
                colors.lost_fill,
                Stroke::new(theme::WHATIF_OUTLINE, colors.fails),
                egui::StrokeKind::Inside,
            );
            if !blocks {
                let pair = (colors.fails, colors.on_fails);
                self.label(painter, &mut placed, r, Corner::TopLeft, "Lost", pair);
            }
            self.mark(id, "Lost", format!("{}: lost", g.label));
        }

        // The wires the failure spreads along.
        let spread: HashSet<Subject> = outcome.spread().into_iter().collect();
        let mut near = Vec::new();
        self.wires().query_into(visible, 16.0 / zoom, &mut near);
        let mut captions = Vec::new();
        for &i in &near {
            let Some(conn) = diagram.connections.get(i).filter(|c| self.shows_wire(c)) else {
                continue;
            };
            let verdict = outcome.call(conn.id).map_or(Verdict::Works, |c| c.verdict);
            let spreads = spread.contains(&Subject::Connection(conn.id));
            if verdict == Verdict::Works && !spreads {
                continue;
            }
            // A call that works but lies on a failing path is where the
            // failure passes through: amber.
            let (color, _) = colors.verdict(verdict.max(Verdict::Degraded));
            let points: Vec<Pos2> = self
                .wires()
                .polyline(i)
                .iter()
                .map(|&p| self.view.screen_from_canvas * p)
                .collect();
            if lod {
                painter.add(Shape::line(points, Stroke::new(2.0, color)));
                continue;
            }
            let glow = (theme::WHATIF_GLOW * zoom).clamp(4.0, 16.0);
            painter.add(Shape::line(
                points.clone(),
                Stroke::new(glow, color.gamma_multiply(colors.glow_opacity)),
            ));
            painter.add(Shape::line(points.clone(), Stroke::new(2.5, color)));
            // Where the scene put the caption (clear of cards, maybe
            // shortened), if it showed one.
            if let Some(placed) = self.wires().placed_caption(i) {
                let mid = self.view.screen_from_canvas * placed.center;
                captions.push((mid, placed.text.clone(), color));
            }
        }
        // Cards: verdicts, utilisation, the bottleneck.
        let bottleneck = outcome.load.as_ref().and_then(|l| l.bottleneck);
        let mut on_screen = Vec::new();
        let mut labels = Vec::new();
        self.index().query_into(visible, &mut on_screen);
        for &i in &on_screen {
            let Some(c) = diagram.components.get(i).filter(|c| self.shows(c.id)) else {
                continue;
            };
            let Some(result) = outcome.component(c.id) else {
                continue;
            };
            let r = self.view.rect_to_screen(c.rect());
            let what = failure_label(outcome, c.id);
            let utilisation = result.load.and_then(|l| l.utilisation);
            let is_bottleneck = bottleneck == Some(c.id);
            // The outline first, labels over it: the verdict's colour, or,
            // for a bottleneck that works, how full it is (the first to fill
            // up may still have room at this traffic).
            let full =
                utilisation.map_or((colors.fails, colors.on_fails), |u| colors.utilisation(u));
            let outline = match &what {
                Some((_, verdict)) => Some(colors.verdict(*verdict).0),
                None => is_bottleneck.then_some(full.0),
            };
            if let Some(color) = outline {
                painter.rect_stroke(
                    r.expand(1.0),
                    theme::CARD_RADIUS * zoom,
                    Stroke::new(theme::WHATIF_OUTLINE, color),
                    egui::StrokeKind::Outside,
                );
            }
            labels.push((c, r, what, utilisation, is_bottleneck, full));
        }
        // Captions again, above the glow and the outlines (a short wire's
        // caption reaches under its cards' outlines), framed in the verdict's
        // colour.
        // At the scene's size: too small to read, it drew none either.
        let caption_size = theme::WIRE_LABEL_SIZE * zoom;
        if caption_size < super::paint::MIN_TEXT {
            captions.clear();
        }
        for (mid, caption, color) in captions {
            let galley = painter.layout_no_wrap(
                caption,
                FontId::proportional(caption_size),
                CanvasColors::from_visuals(ui.visuals()).text,
            );
            let pad = vec2(6.0, 3.0) * zoom.min(1.0);
            let rect = egui::Rect::from_center_size(mid, galley.size() + 2.0 * pad);
            painter.rect(
                rect,
                4.0,
                CanvasColors::from_visuals(ui.visuals()).background,
                Stroke::new(1.5, color),
                egui::StrokeKind::Inside,
            );
            painter.galley(rect.min + pad, galley, Color32::PLACEHOLDER);
        }

        // The cards' labels last: nothing covers them.
        for (c, r, what, utilisation, is_bottleneck, full) in labels {
            // As cards turn to blocks only the outlines are drawn; the marks (and their
            // AccessKit nodes) still say everything.
            if let Some((text, verdict)) = &what {
                if !blocks {
                    let pair = colors.verdict(*verdict);
                    self.label(painter, &mut placed, r, Corner::TopLeft, text, pair);
                }
                self.mark(c.id, text, format!("{}: {}", c.name, text.to_lowercase()));
            }
            // Utilisation on the bottom edge; the first bottleneck says so
            // in the same label (two would not fit on a small card).
            if let Some(u) = utilisation {
                let text = percent(u);
                if !blocks {
                    let shown = if is_bottleneck {
                        format!("Bottleneck {text}")
                    } else {
                        text.clone()
                    };
                    self.label(painter, &mut placed, r, Corner::BottomRight, &shown, full);
                }
                self.mark(c.id, &text, format!("{}: {text} of capacity", c.name));
            }
            if is_bottleneck {
                if !blocks && utilisation.is_none() {
                    self.label(
                        painter,
                        &mut placed,
                        r,
                        Corner::BottomRight,
                        "Bottleneck",
                        full,
                    );
                }
                self.mark(c.id, "Bottleneck", format!("{}: first bottleneck", c.name));
            }
        }
        self.whatif_access(ui, diagram);
    }

    /// A filled label at a corner of a card's (or group's) screen
    /// rectangle, just outside it, so it never covers the card's own text:
    /// above the top edge on the left, or below the bottom edge on the
    /// right. It overlaps the border by a hair to read as attached.
    ///
    /// At far zoom a card's name is bigger than the card and reaches its
    /// edges, so the label sits clear of the edge instead. A label that
    /// would cover one already drawn (`placed`) slides along the edge,
    /// away from its corner, while it stays over the card.
    fn label(
        &self,
        painter: &egui::Painter,
        placed: &mut Vec<egui::Rect>,
        card: egui::Rect,
        corner: Corner,
        text: &str,
        (fill, on): (Color32, Color32),
    ) {
        let zoom = self.view.zoom();
        let galley = label_galley(painter, text, on, zoom);
        let pad = vec2(5.0, 2.0) * zoom.clamp(0.7, 1.2);
        let size = galley.size() + 2.0 * pad;
        let inset = 10.0 * zoom;
        let overlap = if zoom < theme::LOD_ZOOM { -1.0 } else { 2.0 };
        let min = match corner {
            Corner::TopLeft => pos2(card.left() + inset, card.top() - size.y + overlap),
            Corner::BottomRight => pos2(card.right() - inset - size.x, card.bottom() - overlap),
        };
        let mut rect = egui::Rect::from_min_size(min, size);
        let gap = 2.0;
        for _ in 0..placed.len() {
            let Some(hit) = placed.iter().find(|p| p.intersects(rect)) else {
                break;
            };
            let moved = match corner {
                Corner::TopLeft => rect.translate(vec2(hit.right() + gap - rect.left(), 0.0)),
                Corner::BottomRight => rect.translate(vec2(hit.left() - gap - rect.right(), 0.0)),
            };
            if moved.left() < card.left() || moved.right() > card.right() {
                break;
            }
            rect = moved;
        }
        placed.push(rect);
        painter.rect_filled(rect, size.y / 2.0, fill);
        painter.galley(rect.min + pad, galley, on);
    }

    fn mark(&mut self, id: Id, text: &str, accessible: String) {
        self.whatif_marks.push(Mark {
            id,
            text: text.to_owned(),
            accessible,
        });
    }

    /// An AccessKit node per label, at its card or group.
    fn whatif_access(&self, ui: &Ui, diagram: &crate::model::Diagram) {
        let ctx = ui.ctx();
        if ctx.accesskit_node_builder(ui.id(), |_| ()).is_none() {
            return;
        }
        for (n, mark) in self.whatif_marks.iter().enumerate() {
            let node_id = ui.id().with(("whatif", mark.id.0, n));
            let Some(bounds) = diagram
                .item_rect(mark.id)
                .map(|r| self.view.rect_to_screen(r))
            else {
                continue;
            };
            ctx.accesskit_node_builder(node_id, |node| {
                // A label's text is its value in AccessKit.
                node.set_role(egui::accesskit::Role::Label);
                node.set_value(mark.accessible.clone());
                node.set_bounds(egui::accesskit::Rect {
                    x0: bounds.min.x.into(),
                    y0: bounds.min.y.into(),
                    x1: bounds.max.x.into(),
                    y1: bounds.max.y.into(),
                });
            });
        }
    }
}

fn label_galley(
    painter: &egui::Painter,
    text: &str,
    color: Color32,
    zoom: f32,
) -> std::sync::Arc<egui::Galley> {
    let size = (theme::WHATIF_LABEL_SIZE * zoom).clamp(10.0, 16.0);
    painter.layout_no_wrap(text.to_owned(), FontId::proportional(size), color)
}

/// "62%", "1,250%".
fn percent(utilisation: f64) -> String {
    let p = (utilisation * 100.0).round().max(0.0);
    format!("{}%", crate::io::thousands(p as u64))
}

/// What the overlay says on a card that does not simply work: the
/// scenario's own failure ("Down", "Lost", "5× slower"…), else the
/// verdict. `None` for a card that works and is not the scenario's target.
fn failure_label(outcome: &Outcome, id: Id) -> Option<(String, Verdict)> {
    let verdict = outcome.component(id).map_or(Verdict::Works, |c| c.verdict);
    let target = match outcome.scenario.failure {
        Some(Failure::Down(t)) if t == id => Some("Down".to_owned()),
        Some(Failure::Slow { component, factor }) if component == id => {
            Some(format!("{}× slower", number(factor)))
        }
        Some(Failure::CacheCold(t)) if t == id => Some("Cold".to_owned()),
        Some(Failure::ConsumersStopped(t)) if t == id => Some("Consumers stopped".to_owned()),
        _ => None,
    };
    if let Some(text) = target {
        return Some((text, verdict.max(Verdict::Degraded)));
    }
    let lost = outcome.component(id).is_some_and(|c| {
        outcome
            .reasons_of(&c.reasons)
            .any(|r| matches!(r.effect, Effect::InGroup { .. }))
    });
    match verdict {
        Verdict::Works => None,
        Verdict::Fails if lost => Some(("Lost".to_owned(), verdict)),
        v => Some((v.label().to_owned(), v)),
    }
}

/// A factor without trailing zeros: 5, 2.5.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e9 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_as_whole_numbers_with_thousands() {
        assert_eq!(percent(0.624), "62%");
        assert_eq!(percent(2.5), "250%");
        assert_eq!(percent(12.5), "1,250%");
        assert_eq!(number(5.0), "5");
        assert_eq!(number(2.5), "2.5");
    }
}
