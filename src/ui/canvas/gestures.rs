//! Canvas input turned into commands: clicks select, drags pan, box-select,
//! move, connect or resize (committed as one command when they end), keys
//! nudge, and palette items dropped on the canvas are added.

use egui::{Key, Pos2, Response, Ui};

use super::hit::Hit;
use super::{Canvas, CanvasRequest};
use crate::app::{Command, SelectionChange, Session, snap};
use crate::model::{ComponentKind, GroupKind, Id, Point, Rect};

/// A drag in progress.
#[derive(Clone, Debug, Default)]
pub(super) enum Gesture {
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
        side: super::geometry::Side,
    },
    Resize {
        id: Id,
        start_rect: Rect,
        start: Point,
    },
}

fn select(session: &mut Session, change: SelectionChange) {
    session.send(Command::Select(change));
}

fn select_only(session: &mut Session, id: Id) {
    select(session, SelectionChange::Set(vec![id]));
}

impl Canvas {
    pub(super) fn handle_pointer(
        &mut self,
        ui: &Ui,
        response: &Response,
        session: &mut Session,
        requests: &mut Vec<CanvasRequest>,
    ) {
        let modifiers = ui.input(|i| i.modifiers);
        let toggle = modifiers.shift || modifiers.command;

        if response.drag_started() {
            let origin = ui.input(|i| i.pointer.press_origin()).unwrap_or_default();
            let start = self.view.to_canvas(origin);
            let primary = response.dragged_by(egui::PointerButton::Primary);
            let hit = if primary {
                self.hit_test(session, origin)
            } else {
                None
            };
            self.gesture = match hit {
                _ if !primary => Gesture::Pan,
                Some(Hit::AddHandle(_)) => Gesture::Idle,
                Some(Hit::Port(id, side)) => Gesture::Connect { from: id, side },
                Some(Hit::NoteResize(id) | Hit::GroupResize(id)) => {
                    let start_rect = session
                        .diagram()
                        .item(id)
                        .and_then(|item| item.rect())
                        .unwrap_or_default();
                    Gesture::Resize {
                        id,
                        start_rect,
                        start,
                    }
                }
                Some(Hit::Connection(id)) => {
                    select_only(session, id);
                    Gesture::Pan
                }
                Some(hit @ (Hit::Component(_) | Hit::Note(_) | Hit::GroupTitle(_))) => {
                    let id = hit.item();
                    if !session.is_selected(id) {
                        if toggle {
                            select(session, SelectionChange::Add(vec![id]));
                        } else {
                            select_only(session, id);
                        }
                    }
                    Gesture::Move {
                        ids: movable_with_contents(session),
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
            self.pan_by(response.drag_delta());
        }

        if response.drag_stopped() {
            let end = response
                .interact_pointer_pos()
                .or(ui.input(|i| i.pointer.latest_pos()));
            let gesture = std::mem::take(&mut self.gesture);
            let snap = !ui.input(|i| i.modifiers.alt);
            if let Some(end_screen) = end {
                self.finish_gesture(gesture, end_screen, snap, session);
            }
        }

        if response.clicked() || response.secondary_clicked() {
            let pos = response.interact_pointer_pos();
            let hit = pos.and_then(|p| self.hit_test(session, p));
            match hit {
                Some(Hit::AddHandle(id)) if response.clicked() => {
                    requests.push(CanvasRequest::AddConnected(id));
                }
                Some(hit) => {
                    let id = hit.item();
                    if response.secondary_clicked() {
                        if !session.is_selected(id) {
                            select_only(session, id);
                        }
                    } else if toggle {
                        select(session, SelectionChange::Toggle(id));
                    } else {
                        select_only(session, id);
                    }
                }
                None if !toggle && response.clicked() => select(session, SelectionChange::Clear),
                None => {}
            }
        }

        if response.double_clicked()
            && let Some(p) = response.interact_pointer_pos()
        {
            match self.hit_test(session, p) {
                Some(Hit::AddHandle(_)) => {}
                Some(hit) => {
                    let id = hit.item();
                    select_only(session, id);
                    self.start_rename(session.diagram(), id);
                }
                // The empty canvas: pick a card to add right here.
                None => requests.push(CanvasRequest::AddAt(self.view.to_canvas(p))),
            }
        }

        response.context_menu(|ui| {
            use crate::ui::actions::Action;
            let has_selection = !session.selection().is_empty();
            for action in [
                Action::Rename,
                Action::Duplicate,
                Action::Copy,
                Action::Cut,
                Action::Paste,
                Action::Delete,
                Action::FailSelection,
            ] {
                let enabled = match action {
                    Action::Paste => session.has_clipboard(),
                    Action::Rename => session.selection().len() == 1,
                    Action::FailSelection => {
                        crate::ui::whatif::scenario_for_selection(session).is_some()
                    }
                    _ => has_selection,
                };
                if action == Action::FailSelection && !enabled {
                    continue;
                }
                let mut button = egui::Button::new(action.label());
                if let Some(s) = action.shortcut() {
                    button = button.shortcut_text(crate::ui::actions::shortcut_text(&s));
                }
                if ui.add_enabled(enabled, button).clicked() {
                    requests.push(CanvasRequest::ContextAction(action));
                    ui.close();
                }
            }
        });
    }

    /// Ends a drag; `snap` is false while Alt is held (no alignment guides).
    fn finish_gesture(
        &mut self,
        gesture: Gesture,
        end_screen: Pos2,
        snap: bool,
        session: &mut Session,
    ) {
        let end = self.view.to_canvas(end_screen);
        match gesture {
            Gesture::Idle | Gesture::Pan => {}
            Gesture::Move { ids, start } => {
                let snapped = snap
                    .then(|| {
                        snap_to_guides(
                            session,
                            &ids,
                            end.x - start.x,
                            end.y - start.y,
                            self.view.zoom(),
                        )
                    })
                    .flatten();
                match snapped {
                    // Lined up with another card: exactly there, no grid.
                    Some((moves, _)) => {
                        session.send(Command::Place(moves));
                    }
                    None => {
                        session.send(Command::MoveBy {
                            ids,
                            dx: end.x - start.x,
                            dy: end.y - start.y,
                        });
                    }
                }
            }
            Gesture::Connect { from, .. } => {
                if let Some(Hit::Component(to) | Hit::Port(to, _)) =
                    self.hit_test(session, end_screen)
                    && to != from
                {
                    session.send(Command::Connect { from, to });
                }
            }
            Gesture::BoxSelect { start, additive } => {
                let area = Rect::new(
                    start.x.min(end.x),
                    start.y.min(end.y),
                    (end.x - start.x).abs(),
                    (end.y - start.y).abs(),
                );
                let d = session.diagram();
                let mut picked: Vec<Id> = d
                    .items()
                    .filter(|item| item.rect().is_some_and(|r| area.contains_rect(r)))
                    .map(|item| item.id())
                    .collect();
                let inside = |id: Id| picked.contains(&id);
                let wires: Vec<Id> = d
                    .connections
                    .iter()
                    .filter(|c| inside(c.from) && inside(c.to))
                    .map(|c| c.id)
                    .collect();
                picked.extend(wires);
                let change = if additive {
                    SelectionChange::Add(picked)
                } else {
                    SelectionChange::Set(picked)
                };
                select(session, change);
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
                    session.snap_to_grid(),
                );
                if rect != start_rect {
                    session.send(Command::Resize { id, rect });
                }
            }
        }
    }

    pub(super) fn handle_keys(&mut self, ui: &Ui, session: &mut Session) {
        if ui.ctx().egui_wants_keyboard_input() || self.rename.is_some() {
            return;
        }
        if ui.input(|i| i.key_pressed(Key::Escape)) {
            if matches!(self.gesture, Gesture::Idle) {
                select(session, SelectionChange::Clear);
            }
            self.gesture = Gesture::Idle;
        }
        // Alt+arrow: to the connected card in that direction.
        for (key, dir) in [
            (Key::ArrowLeft, egui::vec2(-1.0, 0.0)),
            (Key::ArrowRight, egui::vec2(1.0, 0.0)),
            (Key::ArrowUp, egui::vec2(0.0, -1.0)),
            (Key::ArrowDown, egui::vec2(0.0, 1.0)),
        ] {
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::ALT, key))
                && let Some(to) = neighbour_towards(session, dir)
            {
                select_only(session, to);
                if let Some(c) = session.diagram().component(to) {
                    self.reveal(c.rect());
                }
            }
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
                session.send(Command::MoveSelection { dx, dy });
            }
        }
    }

    /// A component dragged from the palette and released over the canvas.
    pub(super) fn handle_drop(&mut self, ui: &Ui, response: &Response, session: &mut Session) {
        if let Some(kind) = response.dnd_release_payload::<PaletteItem>()
            && let Some(p) = ui.input(|i| i.pointer.latest_pos())
        {
            let at = self.view.to_canvas(p);
            add_palette_item(session, *kind, at);
        }
    }
}

/// The connected card of the one selected card that lies most nearly in
/// direction `dir` (within 60° of it).
fn neighbour_towards(session: &Session, dir: egui::Vec2) -> Option<Id> {
    let d = session.diagram();
    let [id] = session.selection().iter().copied().collect::<Vec<_>>()[..] else {
        return None;
    };
    let from = d.component(id)?.rect().center();
    d.connections_of(id)
        .map(|c| if c.from == id { c.to } else { c.from })
        .filter_map(|other| {
            let to = d.component(other)?.rect().center();
            let delta = egui::vec2(to.x - from.x, to.y - from.y);
            let cos = delta.normalized().dot(dir);
            (cos > 0.5).then_some((other, cos, delta.length()))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.2.total_cmp(&a.2)))
        .map(|(other, _, _)| other)
}

/// Alignment guides of a drag: canvas x of vertical lines, y of horizontal.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Guides {
    pub xs: Vec<f32>,
    pub ys: Vec<f32>,
}

/// How close (screen points) a dragged card's edge or centre must come to
/// another card's to snap to it.
const GUIDE_SNAP_PX: f32 = 6.0;

/// Where the dragged items land when the anchor (the first card dragged)
/// comes within [`GUIDE_SNAP_PX`] of another card's left, centre or right
/// (top, middle or bottom) line, with the guides to show; `None` when it
/// lines up with nothing.
pub(super) fn snap_to_guides(
    session: &Session,
    ids: &[Id],
    dx: f32,
    dy: f32,
    zoom: f32,
) -> Option<(Vec<(Id, Point)>, Guides)> {
    let d = session.diagram();
    let anchor = ids.iter().find_map(|&id| d.component(id))?;
    let moving: std::collections::HashSet<Id> = ids.iter().copied().collect();
    let r = anchor.rect().translated(dx, dy);
    let tolerance = GUIDE_SNAP_PX / zoom.max(0.05);
    let lines = |a: f32, size: f32| [a, a + size / 2.0, a + size];
    let (mine_x, mine_y) = (lines(r.x, r.w), lines(r.y, r.h));
    let mut best_x: Option<(f32, f32)> = None;
    let mut best_y: Option<(f32, f32)> = None;
    for other in d.components.iter().filter(|c| !moving.contains(&c.id)) {
        let o = other.rect();
        for theirs in lines(o.x, o.w) {
            for mine in mine_x {
                let shift = theirs - mine;
                if shift.abs() <= tolerance && best_x.is_none_or(|(s, _)| shift.abs() < s.abs()) {
                    best_x = Some((shift, theirs));
                }
            }
        }
        for theirs in lines(o.y, o.h) {
            for mine in mine_y {
                let shift = theirs - mine;
                if shift.abs() <= tolerance && best_y.is_none_or(|(s, _)| shift.abs() < s.abs()) {
                    best_y = Some((shift, theirs));
                }
            }
        }
    }
    if best_x.is_none() && best_y.is_none() {
        return None;
    }
    // The axis without a guide follows the grid as usual.
    let grid = session.moved_positions(ids, dx, dy);
    let grid_shift = grid
        .iter()
        .find(|(id, _)| *id == anchor.id)
        .map(|(_, p)| (p.x - anchor.position.x, p.y - anchor.position.y))
        .unwrap_or((dx, dy));
    let sx = best_x.map_or(grid_shift.0, |(shift, _)| dx + shift);
    let sy = best_y.map_or(grid_shift.1, |(shift, _)| dy + shift);
    let moves = ids
        .iter()
        .filter_map(|&id| Some((id, d.item(id)?.origin()?.offset(sx, sy))))
        .collect();
    let guides = Guides {
        xs: best_x.map(|(_, x)| x).into_iter().collect(),
        ys: best_y.map(|(_, y)| y).into_iter().collect(),
    };
    Some((moves, guides))
}

/// The selected items that move together, plus everything inside a
/// selected group (dragging a region takes its contents along).
pub(super) fn movable_with_contents(session: &Session) -> Vec<Id> {
    let d = session.diagram();
    let selected = session.selection();
    let mut ids: Vec<Id> = selected
        .iter()
        .copied()
        .filter(|&id| d.item(id).is_some_and(|item| item.rect().is_some()))
        .collect();
    for g in d.groups.iter().filter(|g| selected.contains(&g.id)) {
        ids.extend(
            d.items()
                .filter(|item| item.id() != g.id)
                .filter(|item| item.rect().is_some_and(|r| g.rect.contains_rect(r)))
                .map(|item| item.id()),
        );
    }
    // Keep the first selected item first: it is the snapping anchor.
    let mut seen = std::collections::BTreeSet::new();
    ids.retain(|id| seen.insert(*id));
    ids
}

/// A rectangle resized from its bottom-right corner, never smaller than a
/// readable minimum.
pub(super) fn resized(start: Rect, dx: f32, dy: f32, snap_to_grid: bool) -> Rect {
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

/// Adds a palette item centred near `at` (a new card moves until it covers
/// no other) and returns its id; a failure is shown by the session.
pub fn add_palette_item(session: &mut Session, item: PaletteItem, at: Point) -> Option<Id> {
    let centred = |[w, h]: [f32; 2]| {
        let min = snap(at.offset(-w / 2.0, -h / 2.0));
        Rect::new(min.x, min.y, w, h)
    };
    let command = match item {
        PaletteItem::Component(kind) => Command::AddComponent { kind, near: at },
        PaletteItem::Group(kind) => Command::AddGroup {
            kind,
            rect: centred(NEW_GROUP_SIZE),
        },
        PaletteItem::Note => Command::AddNote {
            rect: centred(NEW_NOTE_SIZE),
        },
    };
    session.send(command)?.created
}
