//! Drawing a session nobody may change (a replayed moment of a recorded
//! interview): the same painting as the editable canvas, with pan and zoom
//! and the checklist badges, but no gestures, so it needs only `&Session`.

use egui::{Sense, Ui};

use super::Canvas;
use crate::app::Session;

impl Canvas {
    /// Draws `session` read-only: drags pan, scroll and pinch zoom, nothing
    /// else reacts. The first frame fits the design; later moments of the
    /// same replay keep the view (they share one document identity).
    pub fn view_ui(&mut self, ui: &mut Ui, session: &Session, label: &str, caption: &str) {
        let (rect, mut response) =
            ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        self.screen_rect = rect;
        response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Other, true, label));
        self.refresh(ui.ctx(), session);
        if self.fit_pending && rect.width() > 1.0 {
            self.fit(session.diagram(), rect);
            self.fit_pending = false;
        }
        self.pan_and_zoom(ui, &mut response);
        if response.dragged() {
            self.pan_by(response.drag_delta());
        }
        self.pointer = response.hover_pos().map(|p| self.view.to_canvas(p));
        self.hovered = None;
        let painter = ui.painter_at(rect);
        self.paint(&painter, ui, rect, session);
        self.paint_badges(&painter, ui, session.diagram());
        // Say plainly that this is not the open design.
        let font = egui::FontId::proportional(13.0);
        let visuals = ui.visuals();
        let galley = painter.layout_no_wrap(caption.to_owned(), font, visuals.strong_text_color());
        let at = rect.left_top() + egui::vec2(10.0, 10.0);
        let back = egui::Rect::from_min_size(at, galley.size()).expand(6.0);
        painter.rect_filled(back, 4.0, visuals.extreme_bg_color);
        painter.rect_stroke(
            back,
            4.0,
            egui::Stroke::new(1.0, visuals.selection.stroke.color),
            egui::StrokeKind::Inside,
        );
        painter.galley(at, galley, visuals.strong_text_color());
        self.accessibility(ui, session);
    }
}
