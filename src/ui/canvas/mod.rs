//! The node-editor canvas: our own, on `egui::Scene`'s pan and zoom (see
//! ARCHITECTURE.md for why we paint in screen space).
//!
//! One egui response covers the canvas; hit testing, culling and level of
//! detail are ours, driven by a spatial index. Every visible item also gets
//! an AccessKit node with its name, so screen readers and UI tests find
//! components by label. The canvas changes the diagram only through
//! [`Editor`] methods, and a whole drag is committed as one edit when it ends.

pub mod badges;
pub mod geometry;
pub mod paint;

use std::collections::{HashMap, HashSet};

use egui::containers::{DragPanButtons, Scene};
use egui::{CursorIcon, Key, Pos2, Response, Sense, Ui, pos2};

use crate::app::{Editor, snap};
use crate::catalog::ComponentKind;
use crate::model::edit::Edit;
use crate::model::{Diagram, GroupKind, Id, Point, Rect};
use crate::ui::theme::{self, CanvasColors};
use geometry::{Curve, Side, SpatialIndex, View, WireGeometry, card_rect, distance_to_polyline};
use paint::Look;

/// What is under the pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
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
            Hit::Port(id, _)
            | Hit::Component(id)
            | Hit::Connection(id)
            | Hit::Note(id)
            | Hit::NoteResize(id)
            | Hit::GroupTitle(id)
            | Hit::GroupResize(id) => id,
        }
    }
}

/// A drag in progress.
#[derive(Clone, Debug, Default)]
enum Gesture {
    #[default]
    Idle,
    Pan,
    BoxSelect {
        start: Point,
        additive: bool,
    },
    Move {
        ids: Vec<Id>,
        start: Point,
    },
    Connect {
        from: Id,
        side: Side,
    },
    Resize {
        id: Id,
        start_rect: Rect,
        start: Point,
    },
}

/// An in-place rename (double-click or F2).
#[derive(Clone, Debug)]
struct Rename {
    id: Id,
    text: String,
    focus_requested: bool,
}

/// Something the canvas wants from the rest of the app.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CanvasRequest {
    ContextAction(crate::ui::actions::Action),
}

/// Canvas state that lives between frames.
#[derive(Debug)]
pub struct Canvas {
    pub view: View,
    index: SpatialIndex,
    /// Connection curves, bounds and captions for the current revision.
    wires: WireGeometry,
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
    /// Checklist badges by item, set by the app when findings change.
    pub badges: HashMap<Id, badges::Badge>,
}

/// How long a laser pointer trail stays visible, in seconds.
const LASER_FADE_S: f64 = 0.8;

const ZOOM_STEP: f32 = 1.25;

impl Default for Canvas {
    fn default() -> Self {
        Self::new()
    }
}

impl Canvas {
    pub fn new() -> Self {
        Self {
            view: View::default(),
            index: SpatialIndex::default(),
            wires: WireGeometry::default(),
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
            badges: HashMap::new(),
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
        let translation =
            self.screen_rect.center().to_vec2() - zoom * egui::vec2(center.x, center.y);
        self.view = View {
            screen_from_canvas: egui::emath::TSTransform::new(translation, zoom),
        };
    }

    /// Starts renaming `id` in place.
    pub fn start_rename(&mut self, diagram: &Diagram, id: Id) {
        let text = if let Some(c) = diagram.component(id) {
            c.name.clone()
        } else if let Some(c) = diagram.connection(id) {
            c.label.clone()
        } else if let Some(g) = diagram.group(id) {
            g.label.clone()
        } else if let Some(n) = diagram.note(id) {
            n.text.clone()
        } else {
            return;
        };
        self.rename = Some(Rename {
            id,
            text,
            focus_requested: false,
        });
    }

    pub fn is_renaming(&self) -> bool {
        self.rename.is_some()
    }

    /// Draws the canvas and handles its input. Returns requests for the app
    /// (context-menu actions).
    pub fn ui(&mut self, ui: &mut Ui, editor: &mut Editor) -> Vec<CanvasRequest> {
        let mut requests = Vec::new();
        let (rect, mut response) =
            ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        response = response.on_hover_cursor(self.cursor());
        self.screen_rect = rect;
        response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Other, true, "Canvas"));

        if self.fit_pending && rect.width() > 1.0 {
            self.fit(editor.diagram(), rect);
            self.fit_pending = false;
        }
        self.pan_and_zoom(ui, &mut response);
        self.index.update(editor.diagram(), editor.doc.revision());
        self.wires.update(
            editor.diagram(),
            editor.doc.revision(),
            paint::wire_caption,
            theme::WIRE_LABEL_SIZE,
        );

        let hover_pos = response.hover_pos();
        self.pointer = hover_pos.map(|p| self.view.to_canvas(p));
        if self.read_only {
            self.hovered = None;
            self.rename = None;
            self.present_pointer(ui, &response);
        } else {
            self.hovered = match (hover_pos, &self.gesture) {
                (Some(p), Gesture::Idle) => self.hit_test(editor, p),
                _ => None,
            };
            self.handle_pointer(ui, &response, editor, &mut requests);
            self.handle_keys(ui, editor);
            self.handle_drop(ui, &response, editor);
        }

        let painter = ui.painter_at(rect);
        self.paint(&painter, ui, rect, editor);
        if !self.read_only {
            self.paint_badges(&painter, ui, editor.diagram());
            if let Some(p) = hover_pos
                && matches!(self.gesture, Gesture::Idle)
                && let Some(badge) = self
                    .badge_at(editor.diagram(), p)
                    .and_then(|id| self.badges.get(&id))
            {
                response
                    .clone()
                    .on_hover_ui_at_pointer(|ui| Self::badge_tooltip_ui(ui, badge));
            }
        }
        if self.read_only {
            self.paint_laser(&painter, ui);
        } else {
            self.rename_ui(ui, editor);
        }
        self.accessibility(ui, editor);
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

    /// Fits what is drawn: the whole design, or while presenting the items
    /// revealed so far (so the picture grows with the steps).
    fn fit(&mut self, diagram: &Diagram, rect: egui::Rect) {
        let shown_bounds = self
            .shown
            .as_ref()
            .and_then(|shown| diagram.bounds_where(|id| shown.contains(&id)));
        let bounds = shown_bounds
            .or_else(|| diagram.bounds())
            .unwrap_or(Rect::new(-400.0, -300.0, 800.0, 600.0));
        self.view = View::fitting(bounds, rect, 40.0, theme::MIN_ZOOM, self.fit_max_zoom);
    }

    /// Present mode input: any drag pans; the right button or L draws the laser.
    fn present_pointer(&mut self, ui: &Ui, response: &Response) {
        self.gesture = Gesture::Idle;
        let laser_on = ui.input(|i| i.pointer.secondary_down() || i.key_down(Key::L));
        if response.dragged() && !ui.input(|i| i.pointer.secondary_down()) {
            self.view.screen_from_canvas.translation += response.drag_delta();
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

    /// Scroll pans, Ctrl+scroll and pinch zoom (egui's Scene logic); drags
    /// are ours, so Scene's own drag panning is off.
    fn pan_and_zoom(&mut self, ui: &Ui, response: &mut Response) {
        let scene = Scene::new()
            .zoom_range(theme::MIN_ZOOM..=theme::MAX_ZOOM)
            .drag_pan_buttons(DragPanButtons::empty());
        let mut transform = self.view.screen_from_canvas;
        scene.register_pan_and_zoom(ui, response, &mut transform);
        self.view.screen_from_canvas = transform;
    }

    /// The topmost item at screen position `p`.
    fn hit_test(&self, editor: &Editor, p: Pos2) -> Option<Hit> {
        let diagram = editor.diagram();
        let view = self.view;
        let at = view.to_canvas(p);
        let zoom = view.zoom();
        let lod = zoom < theme::LOD_ZOOM;
        let handle = theme::HANDLE_SIZE;

        // Notes draw on top of everything.
        for n in diagram.notes.iter().rev() {
            let r = view.rect_to_screen(n.rect);
            if editor.selection.contains(&n.id)
                && egui::Rect::from_min_max(r.max - egui::vec2(handle, handle), r.max)
                    .expand(2.0)
                    .contains(p)
            {
                return Some(Hit::NoteResize(n.id));
            }
            if r.contains(p) {
                return Some(Hit::Note(n.id));
            }
        }
        // Ports and cards: look only at components near the pointer.
        let margin = theme::PORT_RADIUS * 2.0 / zoom;
        let near = self.index.query(Rect::new(
            at.x - margin,
            at.y - margin,
            2.0 * margin,
            2.0 * margin,
        ));
        for &i in near.iter().rev() {
            let Some(c) = diagram.components.get(i) else {
                continue;
            };
            if !lod {
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
        self.wires
            .query_into(Rect::new(at.x, at.y, 0.0, 0.0), pick, &mut near_wires);
        for &i in near_wires.iter().rev() {
            let Some(conn) = diagram.connections.get(i) else {
                continue;
            };
            if distance_to_polyline(pos2(at.x, at.y), self.wires.polyline(i)) <= pick {
                return Some(Hit::Connection(conn.id));
            }
        }
        // Groups: the resize handle, the title bar and a thin border band.
        for g in diagram.groups.iter().rev() {
            let r = view.rect_to_screen(g.rect);
            if editor.selection.contains(&g.id)
                && egui::Rect::from_min_max(r.max - egui::vec2(handle, handle), r.max)
                    .expand(2.0)
                    .contains(p)
            {
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

    fn handle_pointer(
        &mut self,
        ui: &Ui,
        response: &Response,
        editor: &mut Editor,
        requests: &mut Vec<CanvasRequest>,
    ) {
        let modifiers = ui.input(|i| i.modifiers);
        let toggle = modifiers.shift || modifiers.command;

        if response.drag_started() {
            let origin = ui.input(|i| i.pointer.press_origin()).unwrap_or_default();
            let start = self.view.to_canvas(origin);
            let primary = response.dragged_by(egui::PointerButton::Primary);
            let hit = if primary {
                self.hit_test(editor, origin)
            } else {
                None
            };
            self.gesture = match hit {
                _ if !primary => Gesture::Pan,
                Some(Hit::Port(id, side)) => Gesture::Connect { from: id, side },
                Some(Hit::NoteResize(id) | Hit::GroupResize(id)) => {
                    let d = editor.diagram();
                    let start_rect = d
                        .note(id)
                        .map(|n| n.rect)
                        .or_else(|| d.group(id).map(|g| g.rect))
                        .unwrap_or_default();
                    Gesture::Resize {
                        id,
                        start_rect,
                        start,
                    }
                }
                Some(Hit::Connection(id)) => {
                    editor.select_only(id);
                    Gesture::Pan
                }
                Some(hit @ (Hit::Component(_) | Hit::Note(_) | Hit::GroupTitle(_))) => {
                    let id = hit.item();
                    if !editor.selection.contains(&id) {
                        if toggle {
                            editor.selection.insert(id);
                        } else {
                            editor.select_only(id);
                        }
                    }
                    Gesture::Move {
                        ids: movable_with_contents(editor),
                        start,
                    }
                }
                None if modifiers.shift => Gesture::BoxSelect {
                    start,
                    additive: true,
                },
                None if modifiers.command => Gesture::BoxSelect {
                    start,
                    additive: false,
                },
                None => Gesture::Pan,
            };
        }

        if let Gesture::Pan = self.gesture {
            let delta = response.drag_delta();
            self.view.screen_from_canvas.translation += delta;
        }

        if response.drag_stopped() {
            let end = response
                .interact_pointer_pos()
                .or(ui.input(|i| i.pointer.latest_pos()));
            let gesture = std::mem::take(&mut self.gesture);
            if let Some(end_screen) = end {
                self.finish_gesture(gesture, end_screen, editor);
            }
        }

        if response.clicked() || response.secondary_clicked() {
            let pos = response.interact_pointer_pos();
            let hit = pos.and_then(|p| self.hit_test(editor, p));
            match hit {
                Some(hit) => {
                    let id = hit.item();
                    if response.secondary_clicked() {
                        if !editor.selection.contains(&id) {
                            editor.select_only(id);
                        }
                    } else if toggle {
                        editor.toggle_selected(id);
                    } else {
                        editor.select_only(id);
                    }
                }
                None if !toggle && response.clicked() => editor.selection.clear(),
                None => {}
            }
        }

        if response.double_clicked()
            && let Some(hit) = response
                .interact_pointer_pos()
                .and_then(|p| self.hit_test(editor, p))
        {
            let id = hit.item();
            editor.select_only(id);
            self.start_rename(editor.diagram(), id);
        }

        response.context_menu(|ui| {
            use crate::ui::actions::Action;
            let has_selection = !editor.selection.is_empty();
            for action in [
                Action::Rename,
                Action::Duplicate,
                Action::Copy,
                Action::Cut,
                Action::Paste,
                Action::Delete,
            ] {
                let enabled = match action {
                    Action::Paste => editor.has_clipboard(),
                    Action::Rename => editor.selection.len() == 1,
                    _ => has_selection,
                };
                let mut button = egui::Button::new(action.label());
                if let Some(s) = action.shortcut() {
                    button = button.shortcut_text(ui.ctx().format_shortcut(&s));
                }
                if ui.add_enabled(enabled, button).clicked() {
                    requests.push(CanvasRequest::ContextAction(action));
                    ui.close();
                }
            }
        });
    }

    fn finish_gesture(&mut self, gesture: Gesture, end_screen: Pos2, editor: &mut Editor) {
        let end = self.view.to_canvas(end_screen);
        match gesture {
            Gesture::Idle | Gesture::Pan => {}
            Gesture::Move { ids, start } => {
                let moves = editor.moved_positions(&ids, end.x - start.x, end.y - start.y);
                if !moves.is_empty() {
                    let label = if ids.len() == 1 { "Move" } else { "Move items" };
                    let _ = editor.doc.apply(label, Edit::SetPositions(moves), None);
                }
            }
            Gesture::Connect { from, .. } => {
                if let Some(Hit::Component(to) | Hit::Port(to, _)) =
                    self.hit_test(editor, end_screen)
                    && to != from
                {
                    let _ = editor.connect(from, to);
                }
            }
            Gesture::BoxSelect { start, additive } => {
                let area = Rect::new(
                    start.x.min(end.x),
                    start.y.min(end.y),
                    (end.x - start.x).abs(),
                    (end.y - start.y).abs(),
                );
                let d = editor.diagram();
                let mut picked: Vec<Id> = d
                    .components
                    .iter()
                    .filter(|c| area.contains_rect(c.rect()))
                    .map(|c| c.id)
                    .collect();
                picked.extend(
                    d.notes
                        .iter()
                        .filter(|n| area.contains_rect(n.rect))
                        .map(|n| n.id),
                );
                picked.extend(
                    d.groups
                        .iter()
                        .filter(|g| area.contains_rect(g.rect))
                        .map(|g| g.id),
                );
                let inside = |id: Id| picked.contains(&id);
                let wires: Vec<Id> = d
                    .connections
                    .iter()
                    .filter(|c| inside(c.from) && inside(c.to))
                    .map(|c| c.id)
                    .collect();
                if !additive {
                    editor.selection.clear();
                }
                editor.selection.extend(picked);
                editor.selection.extend(wires);
            }
            Gesture::Resize {
                id,
                start_rect,
                start,
            } => {
                let rect = resized(
                    start_rect,
                    end.x - start.x,
                    end.y - start.y,
                    editor.snap_to_grid,
                );
                let d = editor.diagram();
                let edit = if let Some(n) = d.note(id) {
                    Edit::UpdateNote(crate::model::Note { rect, ..n.clone() })
                } else if let Some(g) = d.group(id) {
                    Edit::UpdateGroup(crate::model::Group { rect, ..g.clone() })
                } else {
                    return;
                };
                if rect != start_rect {
                    let _ = editor.doc.apply("Resize", edit, None);
                }
            }
        }
    }

    fn handle_keys(&mut self, ui: &Ui, editor: &mut Editor) {
        if ui.ctx().egui_wants_keyboard_input() || self.rename.is_some() {
            return;
        }
        if ui.input(|i| i.key_pressed(Key::Escape)) {
            if matches!(self.gesture, Gesture::Idle) {
                editor.selection.clear();
            }
            self.gesture = Gesture::Idle;
        }
        let step = crate::app::GRID;
        let nudges = [
            (Key::ArrowLeft, -step, 0.0),
            (Key::ArrowRight, step, 0.0),
            (Key::ArrowUp, 0.0, -step),
            (Key::ArrowDown, 0.0, step),
        ];
        for (key, dx, dy) in nudges {
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                let _ = editor.move_selection(dx, dy);
            }
        }
    }

    /// A component dragged from the palette and released over the canvas.
    fn handle_drop(&mut self, ui: &Ui, response: &Response, editor: &mut Editor) {
        if let Some(kind) = response.dnd_release_payload::<PaletteItem>()
            && let Some(p) = ui.input(|i| i.pointer.latest_pos())
        {
            let at = self.view.to_canvas(p);
            let _ = add_palette_item(editor, *kind, at);
        }
    }

    fn paint(&self, painter: &egui::Painter, ui: &Ui, rect: egui::Rect, editor: &Editor) {
        let diagram = editor.diagram();
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
        let mut resized_rect: Option<(Id, Rect)> = None;
        match (&self.gesture, pointer) {
            (Gesture::Move { ids, start }, Some(p)) => {
                moved.extend(editor.moved_positions(ids, p.x - start.x, p.y - start.y));
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
                        editor.snap_to_grid,
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
        let state = |id: Id| (editor.selection.contains(&id), hovered == Some(id));

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
                dynamic.extend_from_slice(self.wires.attached(i));
            }
        }
        dynamic.sort_unstable();
        dynamic.dedup();
        // Strokes, arrowheads and dash caps reach this far beyond the curve.
        let wire_margin = 16.0 / look.view.zoom();
        let mut near = Vec::new();
        self.wires.query_into(visible, wire_margin, &mut near);
        let mut dynamic_points = Vec::new();
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
                let b =
                    geometry::wire_bounds(&curve, self.wires.caption(i), theme::WIRE_LABEL_SIZE);
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
                self.wires.polyline(i)
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
                    self.wires.caption(i),
                    rect,
                    sel,
                    hov,
                    &mut captions,
                );
            }
        }
        lod.finish_wires(painter);
        let mut on_screen = Vec::new();
        self.index.query_into(visible, &mut on_screen);
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
            } else {
                paint::component(painter, &look, c, r, sel, hov);
            }
        }
        lod.finish_cards(painter);
        painter.extend(captions);
        for n in diagram.notes.iter().filter(|n| self.shows(n.id)) {
            let r = rect_of(n.id, n.rect);
            if r.intersects(visible) {
                let (sel, hov) = state(n.id);
                paint::note(painter, &look, n, r, sel, hov);
            }
        }
        // Ports of the hovered card, and the wire being drawn.
        if !look.lod {
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
                            .and_then(|s| self.hit_test(editor, s));
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
    }

    /// The text field of an in-place rename, over the item's label.
    fn rename_ui(&mut self, ui: &mut Ui, editor: &mut Editor) {
        let Some(rename) = self.rename.as_mut() else {
            return;
        };
        let diagram = editor.diagram();
        let zoom = self.view.zoom();
        let (area, multiline) = if let Some(c) = diagram.component(rename.id) {
            let r = self.view.rect_to_screen(c.rect());
            (
                egui::Rect::from_min_size(
                    r.min + egui::vec2(48.0 * zoom, 6.0 * zoom),
                    egui::vec2((r.width() - 56.0 * zoom).max(120.0), 24.0),
                ),
                false,
            )
        } else if let Some(n) = diagram.note(rename.id) {
            (self.view.rect_to_screen(n.rect).shrink(2.0), true)
        } else if let Some(g) = diagram.group(rename.id) {
            let r = self.view.rect_to_screen(g.rect);
            (
                egui::Rect::from_min_size(
                    r.min + egui::vec2(4.0, 2.0),
                    egui::vec2(r.width().clamp(160.0, 360.0), 24.0),
                ),
                false,
            )
        } else if let Some(conn) = diagram.connection(rename.id) {
            let (Some(a), Some(b)) = (diagram.component(conn.from), diagram.component(conn.to))
            else {
                self.rename = None;
                return;
            };
            let mid = Curve::between(a.rect(), b.rect()).sample(0.5);
            (
                egui::Rect::from_center_size(
                    self.view.screen_from_canvas * mid,
                    egui::vec2(180.0, 24.0),
                ),
                false,
            )
        } else {
            self.rename = None;
            return;
        };
        let id = ui.make_persistent_id(("rename", rename.id));
        let edit = if multiline {
            egui::TextEdit::multiline(&mut rename.text).id(id)
        } else {
            egui::TextEdit::singleline(&mut rename.text).id(id)
        };
        let response = ui.put(area, edit.hint_text("Name"));
        crate::ui::label_for(&response, "Rename");
        if !rename.focus_requested {
            // Focus the field with its whole text selected, so typing replaces it.
            response.request_focus();
            let mut state = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
            let all = egui::text::CCursorRange::two(
                egui::text::CCursor::new(0),
                egui::text::CCursor::new(rename.text.chars().count()),
            );
            state.cursor.set_char_range(Some(all));
            state.store(ui.ctx(), id);
            rename.focus_requested = true;
        }
        let cancel = ui.input(|i| i.key_pressed(Key::Escape));
        let commit_keys = if multiline {
            ui.input(|i| i.key_pressed(Key::Enter) && i.modifiers.command)
        } else {
            ui.input(|i| i.key_pressed(Key::Enter))
        };
        if cancel {
            self.rename = None;
        } else if commit_keys || response.lost_focus() {
            let (id, text) = (rename.id, rename.text.trim_end().to_owned());
            self.rename = None;
            if editor.diagram().item_name(id).as_deref() != Some(text.as_str())
                || editor.diagram().note(id).is_some()
            {
                let _ = editor.rename(id, &text);
                editor.doc.end_gesture();
            }
        }
    }

    /// Gives every visible item an AccessKit node with its name and screen
    /// bounds, so assistive technology and UI tests can find and click it.
    fn accessibility(&self, ui: &Ui, editor: &Editor) {
        let ctx = ui.ctx();
        if ctx.accesskit_node_builder(ui.id(), |_| ()).is_none() {
            return; // AccessKit is off: nothing to do.
        }
        let diagram = editor.diagram();
        let visible = self.view.rect_to_canvas(self.screen_rect);
        let add = |id: Id, label: String, bounds: egui::Rect| {
            let node_id = ui.id().with(("item", id.0));
            let selected = editor.selection.contains(&id);
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
        for &i in &self.index.query(visible) {
            if let Some(c) = diagram.components.get(i).filter(|c| self.shows(c.id)) {
                add(c.id, c.name.clone(), self.view.rect_to_screen(c.rect()));
            }
        }
        let mut near = Vec::new();
        self.wires.query_into(visible, 0.0, &mut near);
        for &i in &near {
            let (Some(conn), Some(curve)) = (diagram.connections.get(i), self.wires.curve(i))
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

/// The selected items that move together, plus everything inside a
/// selected group (dragging a region takes its contents along).
fn movable_with_contents(editor: &Editor) -> Vec<Id> {
    let d = editor.diagram();
    let mut ids: Vec<Id> = editor
        .selection
        .iter()
        .copied()
        .filter(|&id| d.component(id).is_some() || d.note(id).is_some() || d.group(id).is_some())
        .collect();
    for g in d.groups.iter().filter(|g| editor.selection.contains(&g.id)) {
        ids.extend(
            d.components
                .iter()
                .filter(|c| g.rect.contains_rect(c.rect()))
                .map(|c| c.id),
        );
        ids.extend(
            d.notes
                .iter()
                .filter(|n| g.rect.contains_rect(n.rect))
                .map(|n| n.id),
        );
        ids.extend(
            d.groups
                .iter()
                .filter(|o| o.id != g.id && g.rect.contains_rect(o.rect))
                .map(|o| o.id),
        );
    }
    // Keep the first selected item first: it is the snapping anchor.
    let mut seen = std::collections::BTreeSet::new();
    ids.retain(|id| seen.insert(*id));
    ids
}

/// A rectangle resized from its bottom-right corner, never smaller than a
/// readable minimum.
fn resized(start: Rect, dx: f32, dy: f32, snap_to_grid: bool) -> Rect {
    let mut max = start.max().offset(dx, dy);
    if snap_to_grid {
        max = snap(max);
    }
    Rect::new(
        start.x,
        start.y,
        (max.x - start.x).max(120.0),
        (max.y - start.y).max(60.0),
    )
}

/// What the palette offers: a component kind, a group kind or a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaletteItem {
    Component(ComponentKind),
    Group(GroupKind),
    Note,
}

/// Default sizes of new groups and notes, in canvas units.
const NEW_GROUP_SIZE: [f32; 2] = [520.0, 320.0];
const NEW_NOTE_SIZE: [f32; 2] = [240.0, 120.0];

/// Adds a palette item centred near `at`, moving it down until it does not
/// cover an existing card.
pub fn add_palette_item(editor: &mut Editor, item: PaletteItem, at: Point) -> Option<Id> {
    match item {
        PaletteItem::Component(kind) => {
            let spot = crate::app::free_spot(editor.diagram(), at);
            editor.add_component(kind, spot).ok()
        }
        PaletteItem::Group(kind) => {
            let [w, h] = NEW_GROUP_SIZE;
            let min = snap(at.offset(-w / 2.0, -h / 2.0));
            editor.add_group(kind, Rect::new(min.x, min.y, w, h)).ok()
        }
        PaletteItem::Note => {
            let [w, h] = NEW_NOTE_SIZE;
            let min = snap(at.offset(-w / 2.0, -h / 2.0));
            editor.add_note(Rect::new(min.x, min.y, w, h)).ok()
        }
    }
}
