//! The camera: which part of the canvas the screen shows. [`View`] maps
//! canvas coordinates to screen points; the methods on [`Canvas`] here pan,
//! zoom, fit and reveal.

use egui::containers::{DragPanButtons, Scene};
use egui::emath::TSTransform;
use egui::{Pos2, Response, Ui, Vec2, pos2, vec2};

use super::Canvas;
use crate::model::{Diagram, Point, Rect};
use crate::ui::theme;

const ZOOM_STEP: f32 = 1.25;

/// Maps canvas coordinates to screen points and back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Canvas to screen.
    pub screen_from_canvas: TSTransform,
}

impl Default for View {
    fn default() -> Self {
        Self {
            screen_from_canvas: TSTransform::IDENTITY,
        }
    }
}

impl View {
    pub fn zoom(&self) -> f32 {
        self.screen_from_canvas.scaling
    }

    pub fn to_screen(&self, p: Point) -> Pos2 {
        self.screen_from_canvas * pos2(p.x, p.y)
    }

    pub fn to_canvas(&self, p: Pos2) -> Point {
        let c = self.screen_from_canvas.inverse() * p;
        Point::new(c.x, c.y)
    }

    pub fn rect_to_screen(&self, r: Rect) -> egui::Rect {
        egui::Rect::from_min_max(self.to_screen(r.min()), self.to_screen(r.max()))
    }

    pub fn rect_to_canvas(&self, r: egui::Rect) -> Rect {
        let min = self.to_canvas(r.min);
        let max = self.to_canvas(r.max);
        Rect::new(min.x, min.y, max.x - min.x, max.y - min.y)
    }

    /// A view that shows `bounds` centred in `screen`, never magnified
    /// beyond `max_zoom`.
    pub fn fitting(
        bounds: Rect,
        screen: egui::Rect,
        margin: f32,
        min_zoom: f32,
        max_zoom: f32,
    ) -> Self {
        let avail = (screen.size() - Vec2::splat(2.0 * margin)).max(Vec2::splat(1.0));
        let scale = (avail.x / bounds.w.max(1.0))
            .min(avail.y / bounds.h.max(1.0))
            .clamp(min_zoom, max_zoom);
        let center = bounds.center();
        let translation = screen.center().to_vec2() - scale * vec2(center.x, center.y);
        Self {
            screen_from_canvas: TSTransform::new(translation, scale),
        }
    }

    /// Zooms by `factor` keeping the canvas point under `screen_anchor` fixed.
    pub fn zoomed_around(
        self,
        screen_anchor: Pos2,
        factor: f32,
        min_zoom: f32,
        max_zoom: f32,
    ) -> Self {
        let old = self.zoom();
        let new = (old * factor).clamp(min_zoom, max_zoom);
        let anchor = self.to_canvas(screen_anchor);
        let translation = screen_anchor.to_vec2() - new * vec2(anchor.x, anchor.y);
        Self {
            screen_from_canvas: TSTransform::new(translation, new),
        }
    }
}

impl Canvas {
    /// Fits the whole design on screen at the next frame.
    pub fn request_fit(&mut self) {
        self.fit_pending = true;
    }

    pub fn zoom_in(&mut self) {
        self.zoom_by(ZOOM_STEP);
    }

    pub fn zoom_out(&mut self) {
        self.zoom_by(1.0 / ZOOM_STEP);
    }

    pub fn zoom_reset(&mut self) {
        let factor = 1.0 / self.view.zoom();
        self.zoom_by(factor);
    }

    fn zoom_by(&mut self, factor: f32) {
        self.view = self.view.zoomed_around(
            self.screen_rect.center(),
            factor,
            theme::MIN_ZOOM,
            theme::MAX_ZOOM,
        );
    }

    /// The canvas point at the centre of the visible area.
    pub fn center(&self) -> Point {
        self.view.to_canvas(self.screen_rect.center())
    }

    /// Pans so `rect` (canvas) is visible, keeping the zoom if it fits.
    pub fn reveal(&mut self, rect: Rect) {
        let visible = self.view.rect_to_canvas(self.screen_rect);
        if visible.contains_rect(rect) {
            return;
        }
        let zoom = self.view.zoom();
        let center = rect.center();
        let translation = self.screen_rect.center().to_vec2() - zoom * vec2(center.x, center.y);
        self.view = View {
            screen_from_canvas: TSTransform::new(translation, zoom),
        };
    }

    /// Fits `bounds` (canvas units) in the visible area, up to 100%.
    pub fn fit_to(&mut self, bounds: Rect) {
        if self.screen_rect.width() > 1.0 {
            self.view = View::fitting(bounds, self.screen_rect, 48.0, theme::MIN_ZOOM, 1.0);
        }
    }

    /// Fits what is drawn: the whole design, or while presenting the items
    /// revealed so far (so the picture grows with the steps).
    pub(super) fn fit(&mut self, diagram: &Diagram, rect: egui::Rect) {
        let shown_bounds = self
            .shown
            .as_ref()
            .and_then(|shown| diagram.bounds_where(|id| shown.contains(&id)));
        let bounds = shown_bounds
            .or_else(|| diagram.bounds())
            .unwrap_or(Rect::new(-400.0, -300.0, 800.0, 600.0));
        self.view = View::fitting(bounds, rect, 24.0, theme::MIN_ZOOM, self.fit_max_zoom);
    }

    /// Scroll pans, Ctrl+scroll and pinch zoom (egui's Scene logic); drags
    /// are ours, so Scene's own drag panning is off.
    pub(super) fn pan_and_zoom(&mut self, ui: &Ui, response: &mut Response) {
        let scene = Scene::new()
            .zoom_range(theme::MIN_ZOOM..=theme::MAX_ZOOM)
            .drag_pan_buttons(DragPanButtons::empty());
        let mut transform = self.view.screen_from_canvas;
        scene.register_pan_and_zoom(ui, response, &mut transform);
        self.view.screen_from_canvas = transform;
    }

    /// Moves the view by a screen offset (a drag on the background).
    pub(super) fn pan_by(&mut self, delta: Vec2) {
        self.view.screen_from_canvas.translation += delta;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_round_trips_and_fits() {
        let screen = egui::Rect::from_min_size(pos2(100.0, 50.0), vec2(800.0, 600.0));
        let bounds = Rect::new(-500.0, 200.0, 2000.0, 400.0);
        let view = View::fitting(bounds, screen, 0.0, 0.05, 2.0);
        let shown = view.rect_to_screen(bounds);
        assert!((shown.width() - 800.0).abs() < 0.01);
        assert!((shown.center() - screen.center()).length() < 0.01);
        let p = Point::new(12.5, -40.0);
        let back = view.to_canvas(view.to_screen(p));
        assert!((back.x - p.x).abs() < 1e-3 && (back.y - p.y).abs() < 1e-3);

        let zoomed = view.zoomed_around(pos2(300.0, 300.0), 2.0, 0.05, 3.0);
        let anchor_before = view.to_canvas(pos2(300.0, 300.0));
        let anchor_after = zoomed.to_canvas(pos2(300.0, 300.0));
        assert!((anchor_before.x - anchor_after.x).abs() < 1e-2);
        assert!((zoomed.zoom() - view.zoom() * 2.0).abs() < 1e-5);
    }
}
