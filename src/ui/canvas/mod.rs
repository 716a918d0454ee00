//! The node-editor canvas: our own, on `egui::Scene`'s pan and zoom (see
//! ARCHITECTURE.md for why we paint in screen space).
//!
//! One egui response covers the canvas; hit testing, culling and level of
//! detail are ours, driven by a spatial index. Every visible item also gets
//! an AccessKit node with its name, so screen readers and UI tests find
//! components by label. The canvas reads the [`Session`] and changes it
//! only by sending commands; a whole drag is one command when it ends.
//!
//! The files split by job: `camera` (view, pan, zoom, fit), `hit` (what is
//! under the pointer), `gestures` (pointer, keys, drops → commands), `scene`
//! (painting one frame), `paint` (the item painters), `layout` (where
//! things sit inside a card), `rename` (the in-place text field), `access`
//! (AccessKit nodes), `badges` (checklist marks), `geometry` (curves and
//! the culling indexes), `whatif` (the what-if overlay over the scene).

mod access;
pub mod badges;
pub mod camera;
pub mod captions;
pub mod geometry;
mod gestures;
mod hit;
mod labels;
pub mod layout;
pub mod paint;
mod rename;
mod replay;
mod scene;
pub mod whatif;

use std::collections::{HashMap, HashSet};

use egui::{CursorIcon, Key, Response, Sense, Ui};

use crate::app::{Derived, DocumentId, Session};
use crate::model::{Id, Point};
use crate::ui::theme;
use camera::View;
use geometry::{SpatialIndex, WireGeometry};
use gestures::Gesture;
pub use gestures::{PaletteItem, add_palette_item};
pub use hit::Hit;
use rename::Rename;

/// Something the canvas wants from the rest of the app.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CanvasRequest {
    ContextAction(crate::ui::actions::Action),
    /// Add a card connected from this one (the "+" handle was clicked).
    AddConnected(Id),
    /// Add a card here (the empty canvas was double-clicked).
    AddAt(Point),
}

/// Canvas state that lives between frames.
#[derive(Debug)]
pub struct Canvas {
    pub view: View,
    /// Card index, wire geometry and badges of the document state they were
    /// built from (see `app::Derived`).
    index: Derived<SpatialIndex>,
    wires: Derived<WireGeometry>,
    badges: Derived<HashMap<Id, badges::Badge>>,
    gesture: Gesture,
    rename: Option<Rename>,
    fit_pending: bool,
    /// Where the canvas was on screen last frame (for zoom keys and adds).
    pub screen_rect: egui::Rect,
    /// The canvas position of the pointer, if it is over the canvas.
    pub pointer: Option<Point>,
    hovered: Option<Hit>,
    /// Presenting: nothing can be edited; drags pan and the laser pointer
    /// draws while the right button or the L key is held.
    pub read_only: bool,
    /// When set, only these items are drawn (the steps revealed so far).
    pub shown: Option<HashSet<Id>>,
    /// The largest zoom "fit" may choose (presenting allows larger text).
    pub fit_max_zoom: f32,
    /// Recent laser pointer positions (canvas) with their time.
    laser: Vec<(Point, f64)>,
    /// The document last drawn: when another one replaces it, the canvas
    /// drops its gesture and rename and fits the new design.
    document: Option<DocumentId>,
    /// The labels the what-if overlay drew last frame.
    whatif_marks: Vec<whatif::Mark>,
    /// How many names the far-zoom labels showed last frame (tests read it).
    far_names: std::cell::Cell<usize>,
}

/// How long a laser pointer trail stays visible, in seconds.
const LASER_FADE_S: f64 = 0.8;

impl Default for Canvas {
    fn default() -> Self {
        Self::new()
    }
}

impl Canvas {
    /// How many card names the last frame showed at far zoom (0 at closer
    /// zooms, where every card draws its own name).
    pub fn far_names_shown(&self) -> usize {
        self.far_names.get()
    }

    pub fn new() -> Self {
        Self {
            view: View::default(),
            index: Derived::default(),
            wires: Derived::default(),
            badges: Derived::default(),
            gesture: Gesture::Idle,
            rename: None,
            fit_pending: true,
            screen_rect: egui::Rect::NOTHING,
            pointer: None,
            hovered: None,
            read_only: false,
            shown: None,
            fit_max_zoom: 1.0,
            laser: Vec::new(),
            document: None,
            whatif_marks: Vec::new(),
            far_names: std::cell::Cell::new(0),
        }
    }

    /// A read-only canvas for present mode and the audience window.
    pub fn presenting() -> Self {
        Self {
            read_only: true,
            fit_max_zoom: 2.0,
            ..Self::new()
        }
    }

    /// Whether `id` is drawn (present mode hides items not yet revealed).
    pub fn shows(&self, id: Id) -> bool {
        self.shown.as_ref().is_none_or(|shown| shown.contains(&id))
    }

    /// A wire is drawn when it and both its ends are.
    pub(super) fn shows_wire(&self, conn: &crate::model::Connection) -> bool {
        self.shows(conn.id) && self.shows(conn.from) && self.shows(conn.to)
    }

    fn index(&self) -> &SpatialIndex {
        self.index.value()
    }

    fn wires(&self) -> &WireGeometry {
        self.wires.value()
    }

    /// Where each wire's caption was placed (canvas units), for checks that
    /// captions cover no card.
    pub fn placed_captions(
        &self,
        diagram: &crate::model::Diagram,
    ) -> Vec<(Id, captions::PlacedCaption)> {
        diagram
            .connections
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.id, self.wires().placed_caption(i)?.clone())))
            .collect()
    }

    /// Checklist badges by item, of the document state last drawn.
    pub fn badges(&self) -> &HashMap<Id, badges::Badge> {
        self.badges.value()
    }

    /// Brings the card index, wire geometry and badges up to the session's
    /// document state (a no-op when nothing changed).
    fn refresh(&mut self, ctx: &egui::Context, session: &Session) {
        let key = session.key();
        if self.document != Some(key.document) {
            if self.document.is_some() {
                self.gesture = Gesture::Idle;
                self.rename = None;
                self.fit_pending = true;
            }
            self.document = Some(key.document);
        }
        let diagram = session.diagram();
        self.index.update(key, |index| index.rebuild(diagram));
        self.wires.update(key, |wires| {
            let font = egui::FontId::proportional(theme::WIRE_LABEL_SIZE);
            ctx.fonts_mut(|fonts| {
                let mut measure = |text: &str| {
                    fonts
                        .layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::WHITE)
                        .size()
                };
                wires.rebuild(diagram, paint::wire_caption, &mut measure);
            });
        });
        self.badges.get(key, || {
            badges::badges_from(&crate::rules::review(diagram, session.findings()).open)
        });
    }

    /// Draws the canvas and handles its input. Returns requests for the app
    /// (context-menu actions).
    pub fn ui(&mut self, ui: &mut Ui, session: &mut Session) -> Vec<CanvasRequest> {
        let mut requests = Vec::new();
        let (rect, mut response) =
            ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        response = response.on_hover_cursor(self.cursor());
        self.screen_rect = rect;
        response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Other, true, "Canvas"));

        self.refresh(ui.ctx(), session);
        if self.fit_pending && rect.width() > 1.0 {
            self.fit(session.diagram(), rect);
            self.fit_pending = false;
        }
        self.pan_and_zoom(ui, &mut response);

        let hover_pos = response.hover_pos();
        self.pointer = hover_pos.map(|p| self.view.to_canvas(p));
        if self.read_only {
            self.hovered = None;
            self.rename = None;
            self.present_pointer(ui, &response);
        } else {
            self.hovered = match (hover_pos, &self.gesture) {
                (Some(p), Gesture::Idle) => self.hit_test(session, p),
                _ => None,
            };
            self.handle_pointer(ui, &response, session, &mut requests);
            self.handle_keys(ui, session);
            self.handle_drop(ui, &response, session);
            // Input may have changed the design: draw what it is now.
            self.refresh(ui.ctx(), session);
        }

        let painter = ui.painter_at(rect);
        let truncated = self.paint(&painter, ui, rect, session);
        self.paint_whatif(&painter, ui, session);
        if session.diagram().components.is_empty() && !self.read_only {
            empty_board_hint(&painter, ui, rect);
        }
        if !self.read_only {
            let diagram = session.diagram();
            self.paint_badges(&painter, ui, diagram);
            let idle = matches!(self.gesture, Gesture::Idle);
            if let Some(p) = hover_pos
                && idle
                && let Some(badge) = self
                    .badge_at(diagram, p)
                    .and_then(|spot| self.spot_badge(&spot))
            {
                response
                    .clone()
                    .on_hover_ui_at_pointer(|ui| Self::badge_tooltip_ui(ui, &badge));
            } else if idle
                && let Some(Hit::Connection(id)) = self.hovered
                && let Ok(i) = diagram.connections.binary_search_by_key(&id, |c| c.id)
                && !self.wires().caption(i).is_empty()
                && self
                    .wires()
                    .placed_caption(i)
                    .is_none_or(|placed| placed.shortened)
            {
                // The whole caption of a wire that shows it cut short or not at all.
                let caption = self.wires().caption(i).to_owned();
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.label(caption);
                });
            } else if idle
                && let Some(Hit::Component(id)) = self.hovered
                && truncated.contains(&id)
                && let Some(c) = diagram.component(id)
            {
                // The whole name of a card that shows it cut short.
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.label(egui::RichText::new(&c.name).strong());
                    ui.weak(c.kind.name());
                });
            }
        }
        if self.read_only {
            self.paint_laser(&painter, ui);
        } else {
            self.rename_ui(ui, session);
        }
        self.accessibility(ui, session);
        requests
    }

    fn cursor(&self) -> CursorIcon {
        match (&self.gesture, self.hovered) {
            (Gesture::Pan, _) => CursorIcon::Grabbing,
            (Gesture::Move { .. }, _) => CursorIcon::Grabbing,
            (Gesture::Connect { .. }, _) | (_, Some(Hit::Port(..))) => CursorIcon::Crosshair,
            (Gesture::Resize { .. }, _) | (_, Some(Hit::NoteResize(_) | Hit::GroupResize(_))) => {
                CursorIcon::ResizeNwSe
            }
            (_, Some(Hit::Component(_) | Hit::Note(_) | Hit::GroupTitle(_))) => CursorIcon::Grab,
            (_, Some(Hit::Connection(_))) => CursorIcon::PointingHand,
            _ => CursorIcon::Default,
        }
    }

    /// Present mode input: any drag pans; the right button or L draws the laser.
    fn present_pointer(&mut self, ui: &Ui, response: &Response) {
        self.gesture = Gesture::Idle;
        let laser_on = ui.input(|i| i.pointer.secondary_down() || i.key_down(Key::L));
        if response.dragged() && !ui.input(|i| i.pointer.secondary_down()) {
            self.pan_by(response.drag_delta());
        }
        let now = ui.input(|i| i.time);
        self.laser.retain(|(_, t)| now - t < LASER_FADE_S);
        if laser_on && let Some(p) = self.pointer {
            self.laser.push((p, now));
        }
        if !self.laser.is_empty() {
            ui.ctx().request_repaint();
        }
    }

    /// Where the laser pointer is now (canvas), while its trail shows; the
    /// interviewer link sends it to viewers.
    pub fn laser_point(&self) -> Option<Point> {
        self.laser.last().map(|(p, _)| *p)
    }

    /// The part of the canvas on screen, once the canvas has been laid out.
    pub fn visible_rect(&self) -> Option<crate::model::Rect> {
        let screen = self.screen_rect;
        (screen.is_positive() && screen.is_finite()).then(|| self.view.rect_to_canvas(screen))
    }

    /// The laser trail: a line that fades from the newest point backwards.
    fn paint_laser(&self, painter: &egui::Painter, ui: &Ui) {
        let now = ui.input(|i| i.time);
        let color = egui::Color32::from_rgb(239, 68, 68);
        for pair in self.laser.windows(2) {
            let (a, _) = pair[0];
            let (b, t) = pair[1];
            let fade = (1.0 - (now - t) / LASER_FADE_S).clamp(0.0, 1.0) as f32;
            painter.line_segment(
                [self.view.to_screen(a), self.view.to_screen(b)],
                egui::Stroke::new(5.0 * fade + 1.0, color.gamma_multiply(fade)),
            );
        }
        if let Some((p, _)) = self.laser.last() {
            painter.circle_filled(self.view.to_screen(*p), 6.0, color);
        }
    }
}

/// What an empty board says: how to start.
fn empty_board_hint(painter: &egui::Painter, ui: &Ui, rect: egui::Rect) {
    let color = ui.visuals().weak_text_color();
    let lines = [
        ("An empty board", 20.0),
        (
            "Click a component in the palette, or drag it here, to start",
            14.0,
        ),
        (
            "Or begin from a classic question: File → New from template…",
            14.0,
        ),
    ];
    let mut y = rect.center().y - 36.0;
    for (text, size) in lines {
        painter.text(
            egui::pos2(rect.center().x, y),
            egui::Align2::CENTER_TOP,
            text,
            egui::FontId::proportional(size),
            color,
        );
        y += size * 1.7;
    }
}
