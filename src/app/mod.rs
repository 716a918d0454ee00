//! Application state without any UI: the open document, its history, the
//! selection and the clipboard, and the operations the UI asks for.
//!
//! The UI reads [`Document::diagram`] and changes it only through the methods
//! here, which all end in [`History::apply`]. That keeps undo exact and the
//! unsaved-changes flag honest.

pub mod example;
mod history;

use std::collections::BTreeSet;
use std::path::PathBuf;

pub use history::{History, MergeKey};

use crate::catalog::{ComponentKind, default_connection_kind};
use crate::model::edit::{Edit, EditError};
use crate::model::{
    COMPONENT_SIZE, Component, Connection, Diagram, Group, GroupKind, Id, Items, Note, Point,
    Policy, PropKey, PropValue, Rect,
};

/// Spacing of the snap grid, in canvas units.
pub const GRID: f32 = 20.0;

/// How far each paste is offset from the copied items, in canvas units.
const PASTE_OFFSET: f32 = 40.0;

/// One open design: the diagram, its undo history and where it lives on disk.
#[derive(Debug, Default)]
pub struct Document {
    diagram: Diagram,
    history: History,
    /// Increases on every change; views cache derived data by it.
    revision: u64,
    /// The history state that matches the file on disk.
    saved_state: Option<u64>,
    pub path: Option<PathBuf>,
}

impl Document {
    /// A document for a diagram that has not been saved anywhere.
    pub fn new(diagram: Diagram) -> Self {
        Self {
            diagram,
            history: History::default(),
            revision: 1,
            saved_state: None,
            path: None,
        }
    }

    /// A document that matches the file at `path`.
    pub fn from_file(diagram: Diagram, path: PathBuf) -> Self {
        let mut doc = Self::new(diagram);
        doc.path = Some(path);
        doc.saved_state = Some(doc.history.state());
        doc
    }

    /// A document restored from a recovery file: it may know its file, but
    /// its contents are not saved there, so it starts dirty.
    pub fn restored(diagram: Diagram, path: Option<PathBuf>) -> Self {
        let mut doc = Self::new(diagram);
        doc.path = path;
        doc.saved_state = Some(u64::MAX);
        doc
    }

    pub fn diagram(&self) -> &Diagram {
        &self.diagram
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// True when the diagram differs from the file it came from (or was
    /// never saved and has been edited).
    pub fn is_dirty(&self) -> bool {
        match self.saved_state {
            Some(state) => state != self.history.state(),
            None => self.history.state() != 0,
        }
    }

    /// Records that the current state is what is on disk at `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.saved_state = Some(self.history.state());
        self.history.seal();
    }

    /// Applies one edit as its own undo step (or merged into the open
    /// gesture when `merge` matches it).
    pub fn apply(
        &mut self,
        label: &str,
        edit: Edit,
        merge: Option<MergeKey>,
    ) -> Result<(), EditError> {
        self.history.apply(&mut self.diagram, label, edit, merge)?;
        self.revision += 1;
        Ok(())
    }

    /// Ends a multi-edit gesture (a text field lost focus, a drag ended).
    pub fn end_gesture(&mut self) {
        self.history.seal();
    }

    pub fn undo(&mut self) -> Option<String> {
        let label = self.history.undo(&mut self.diagram)?;
        self.revision += 1;
        Some(label)
    }

    pub fn redo(&mut self) -> Option<String> {
        let label = self.history.redo(&mut self.diagram)?;
        self.revision += 1;
        Some(label)
    }
}

/// Rounds a canvas point to the snap grid.
pub fn snap(p: Point) -> Point {
    Point::new((p.x / GRID).round() * GRID, (p.y / GRID).round() * GRID)
}

/// A unique name for a new component of `kind`: "Service", "Service 2", …
pub fn fresh_name(diagram: &Diagram, kind: ComponentKind) -> String {
    let base = kind.name();
    let taken = |name: &str| diagram.components.iter().any(|c| c.name == name);
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base} {n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
}

/// The open document plus what the user is working with: selection and
/// clipboard. Every method that changes the diagram records one undo step.
#[derive(Debug, Default)]
pub struct Editor {
    pub doc: Document,
    pub selection: BTreeSet<Id>,
    clipboard: Option<Items>,
    /// How many times the clipboard has been pasted (each paste shifts further).
    pastes: u32,
    pub snap_to_grid: bool,
}

impl Editor {
    pub fn new(doc: Document) -> Self {
        Self {
            doc,
            snap_to_grid: true,
            ..Self::default()
        }
    }

    pub fn diagram(&self) -> &Diagram {
        self.doc.diagram()
    }

    /// Drops selected ids that no longer exist (after undo, redo or delete).
    pub fn prune_selection(&mut self) {
        let diagram = self.doc.diagram();
        self.selection.retain(|id| diagram.contains(*id));
    }

    pub fn select_only(&mut self, id: Id) {
        self.selection.clear();
        self.selection.insert(id);
    }

    pub fn toggle_selected(&mut self, id: Id) {
        if !self.selection.remove(&id) {
            self.selection.insert(id);
        }
    }

    pub fn select_all(&mut self) {
        let d = self.doc.diagram();
        self.selection = d
            .components
            .iter()
            .map(|c| c.id)
            .chain(d.connections.iter().map(|c| c.id))
            .chain(d.groups.iter().map(|g| g.id))
            .chain(d.notes.iter().map(|n| n.id))
            .collect();
    }

    fn place(&self, p: Point) -> Point {
        if self.snap_to_grid { snap(p) } else { p }
    }

    /// Inserts `items` (holding one new item, `id`) as one undo step and
    /// selects it.
    fn insert_one(&mut self, label: &str, items: Items, id: Id) -> Result<Id, EditError> {
        self.doc.apply(label, Edit::Insert(items), None)?;
        self.select_only(id);
        Ok(id)
    }

    /// Adds a component of `kind` centred on `center`, selects it and returns its id.
    pub fn add_component(&mut self, kind: ComponentKind, center: Point) -> Result<Id, EditError> {
        let diagram = self.doc.diagram();
        let id = diagram.next_free_id();
        let position =
            self.place(center.offset(-COMPONENT_SIZE[0] / 2.0, -COMPONENT_SIZE[1] / 2.0));
        let component = Component {
            id,
            kind,
            name: fresh_name(diagram, kind),
            position,
            properties: kind.default_properties(),
        };
        let label = format!("Add {}", kind.name().to_lowercase());
        let items = Items {
            components: vec![component],
            ..Items::default()
        };
        self.insert_one(&label, items, id)
    }

    /// Adds a group box with the given rectangle.
    pub fn add_group(&mut self, kind: GroupKind, rect: Rect) -> Result<Id, EditError> {
        let id = self.doc.diagram().next_free_id();
        let group = Group {
            id,
            kind,
            label: kind.label().to_owned(),
            rect,
        };
        let items = Items {
            groups: vec![group],
            ..Items::default()
        };
        self.insert_one("Add group", items, id)
    }

    /// Adds a sticky note with the given rectangle.
    pub fn add_note(&mut self, rect: Rect) -> Result<Id, EditError> {
        let id = self.doc.diagram().next_free_id();
        let note = Note {
            id,
            text: "Trade-off: ".to_owned(),
            rect,
        };
        let items = Items {
            notes: vec![note],
            ..Items::default()
        };
        self.insert_one("Add note", items, id)
    }

    /// Connects two components with the kind that fits them best, selects the
    /// new connection and returns its id. An identical connection (same ends
    /// and kind) is not added twice: its id is returned instead.
    pub fn connect(&mut self, from: Id, to: Id) -> Result<Id, EditError> {
        let diagram = self.doc.diagram();
        let (Some(a), Some(b)) = (diagram.component(from), diagram.component(to)) else {
            return Err(EditError::UnknownId(if diagram.component(from).is_none() {
                from
            } else {
                to
            }));
        };
        let kind = default_connection_kind(a.kind, b.kind);
        if let Some(existing) = diagram
            .connections
            .iter()
            .find(|c| c.from == from && c.to == to && c.kind == kind)
        {
            let id = existing.id;
            self.select_only(id);
            return Ok(id);
        }
        let id = diagram.next_free_id();
        let connection = Connection {
            id,
            from,
            to,
            kind,
            label: String::new(),
            policy: Policy::default(),
            idempotent: false,
        };
        let items = Items {
            connections: vec![connection],
            ..Items::default()
        };
        self.insert_one("Connect", items, id)
    }

    /// Deletes the selection (and connections attached to deleted components).
    pub fn delete_selection(&mut self) -> Result<(), EditError> {
        if self.selection.is_empty() {
            return Ok(());
        }
        let ids: Vec<Id> = self.selection.iter().copied().collect();
        let label = if ids.len() == 1 {
            "Delete item".to_owned()
        } else {
            format!("Delete {} items", ids.len())
        };
        self.doc.apply(&label, Edit::Remove(ids), None)?;
        self.selection.clear();
        Ok(())
    }

    /// Moves every selected component, group and note by `delta` (canvas
    /// units) as one undo step. With snapping on, the first selected item
    /// lands on the grid and the rest keep their offsets to it.
    pub fn move_selection(&mut self, dx: f32, dy: f32) -> Result<(), EditError> {
        let moves =
            self.moved_positions(&self.selection.iter().copied().collect::<Vec<_>>(), dx, dy);
        if moves.is_empty() {
            return Ok(());
        }
        self.doc.apply("Move", Edit::SetPositions(moves), None)
    }

    /// Where `ids` would land if moved by (`dx`, `dy`), snapping included.
    /// The canvas uses this to preview a drag before it is committed.
    pub fn moved_positions(&self, ids: &[Id], dx: f32, dy: f32) -> Vec<(Id, Point)> {
        let diagram = self.doc.diagram();
        let origin = |id: Id| {
            diagram
                .component(id)
                .map(|c| c.position)
                .or_else(|| diagram.group(id).map(|g| g.rect.min()))
                .or_else(|| diagram.note(id).map(|n| n.rect.min()))
        };
        let starts: Vec<(Id, Point)> = ids
            .iter()
            .filter_map(|&id| origin(id).map(|p| (id, p)))
            .collect();
        let Some(&(_, anchor)) = starts.first() else {
            return Vec::new();
        };
        let target = self.place(anchor.offset(dx, dy));
        let (dx, dy) = (target.x - anchor.x, target.y - anchor.y);
        if dx == 0.0 && dy == 0.0 {
            return Vec::new();
        }
        starts
            .into_iter()
            .map(|(id, p)| (id, p.offset(dx, dy)))
            .collect()
    }

    pub fn copy_selection(&mut self) -> bool {
        let items = self.selected_items();
        if items.is_empty() {
            return false;
        }
        self.clipboard = Some(items);
        self.pastes = 0;
        true
    }

    pub fn has_clipboard(&self) -> bool {
        self.clipboard.is_some()
    }

    /// The selected items, plus connections whose both ends are selected.
    fn selected_items(&self) -> Items {
        let diagram = self.doc.diagram();
        let mut ids: Vec<Id> = self.selection.iter().copied().collect();
        ids.extend(
            diagram
                .connections
                .iter()
                .filter(|c| self.selection.contains(&c.from) && self.selection.contains(&c.to))
                .map(|c| c.id),
        );
        let mut items = diagram.collect_items(&ids);
        // A connection only travels with both of its ends.
        let has = |id: Id| items.components.iter().any(|c| c.id == id);
        let keep: Vec<bool> = items
            .connections
            .iter()
            .map(|c| has(c.from) && has(c.to))
            .collect();
        let mut keep = keep.into_iter();
        items.connections.retain(|_| keep.next().unwrap_or(false));
        items
    }

    /// Pastes the clipboard, offset so copies do not hide the originals, and
    /// selects the pasted items.
    pub fn paste(&mut self) -> Result<(), EditError> {
        let Some(items) = self.clipboard.clone() else {
            return Ok(());
        };
        self.pastes += 1;
        let offset = PASTE_OFFSET * self.pastes as f32;
        self.insert_copies(items, offset, "Paste")
    }

    /// Copies the selection in place (offset once), leaving the clipboard alone.
    pub fn duplicate_selection(&mut self) -> Result<(), EditError> {
        let items = self.selected_items();
        if items.is_empty() {
            return Ok(());
        }
        self.insert_copies(items, PASTE_OFFSET, "Duplicate")
    }

    fn insert_copies(&mut self, items: Items, offset: f32, label: &str) -> Result<(), EditError> {
        let diagram = self.doc.diagram();
        let old_ids = items.ids();
        let mut fresh = diagram.peek_ids(old_ids.len());
        let map: Vec<(Id, Id)> = old_ids
            .iter()
            .map(|&old| (old, fresh.next().unwrap_or(old)))
            .collect();
        let new_id = |old: Id| map.iter().find(|(o, _)| *o == old).map_or(old, |(_, n)| *n);
        let copies = Items {
            components: items
                .components
                .into_iter()
                .map(|c| Component {
                    id: new_id(c.id),
                    position: c.position.offset(offset, offset),
                    ..c
                })
                .collect(),
            connections: items
                .connections
                .into_iter()
                .map(|c| Connection {
                    id: new_id(c.id),
                    from: new_id(c.from),
                    to: new_id(c.to),
                    ..c
                })
                .collect(),
            groups: items
                .groups
                .into_iter()
                .map(|g| Group {
                    id: new_id(g.id),
                    rect: g.rect.translated(offset, offset),
                    ..g
                })
                .collect(),
            notes: items
                .notes
                .into_iter()
                .map(|n| Note {
                    id: new_id(n.id),
                    rect: n.rect.translated(offset, offset),
                    ..n
                })
                .collect(),
        };
        let new_ids = copies.ids();
        self.doc.apply(label, Edit::Insert(copies), None)?;
        self.selection = new_ids.into_iter().collect();
        Ok(())
    }

    /// Renames a component, group or note (connections take the text as
    /// their label). Typing merges into one undo step per field.
    pub fn rename(&mut self, id: Id, name: &str) -> Result<(), EditError> {
        let diagram = self.doc.diagram();
        let merge = Some(MergeKey {
            item: Some(id),
            field: "name",
        });
        let edit = if let Some(c) = diagram.component(id) {
            Edit::UpdateComponent(Component {
                name: name.to_owned(),
                ..c.clone()
            })
        } else if let Some(c) = diagram.connection(id) {
            Edit::UpdateConnection(Connection {
                label: name.to_owned(),
                ..c.clone()
            })
        } else if let Some(g) = diagram.group(id) {
            Edit::UpdateGroup(Group {
                label: name.to_owned(),
                ..g.clone()
            })
        } else if let Some(n) = diagram.note(id) {
            Edit::UpdateNote(Note {
                text: name.to_owned(),
                ..n.clone()
            })
        } else {
            return Err(EditError::UnknownId(id));
        };
        self.doc.apply("Rename", edit, merge)
    }

    /// Sets one property of a component. Repeated changes of the same
    /// property (a dragged number) merge into one undo step until the gesture ends.
    pub fn set_property(
        &mut self,
        id: Id,
        key: PropKey,
        value: PropValue,
    ) -> Result<(), EditError> {
        let Some(c) = self.doc.diagram().component(id) else {
            return Err(EditError::UnknownId(id));
        };
        if c.properties.value(key).as_ref() == Some(&value) {
            return Ok(());
        }
        let mut new = c.clone();
        if !new.properties.set(key, value) {
            return Ok(());
        }
        let label = format!("Change {}", key.label().to_lowercase());
        let merge = Some(MergeKey {
            item: Some(id),
            field: key.label(),
        });
        self.doc.apply(&label, Edit::UpdateComponent(new), merge)
    }

    /// Replaces a whole item with an edited copy (inspector forms that edit
    /// several fields). `field` names the gesture for undo merging.
    pub fn update(
        &mut self,
        edit: Edit,
        label: &str,
        field: &'static str,
    ) -> Result<(), EditError> {
        let item = match &edit {
            Edit::UpdateComponent(c) => Some(c.id),
            Edit::UpdateConnection(c) => Some(c.id),
            Edit::UpdateGroup(g) => Some(g.id),
            Edit::UpdateNote(n) => Some(n.id),
            _ => None,
        };
        let merge = Some(MergeKey { item, field });
        self.doc.apply(label, edit, merge)
    }

    pub fn undo(&mut self) -> Option<String> {
        let label = self.doc.undo();
        self.prune_selection();
        label
    }

    pub fn redo(&mut self) -> Option<String> {
        let label = self.doc.redo();
        self.prune_selection();
        label
    }
}

#[cfg(test)]
mod tests;

/// A centre point near `wanted` where a new card would not cover an existing
/// one: tries `wanted`, then steps down and right.
pub fn free_spot(diagram: &Diagram, wanted: Point) -> Point {
    let [w, h] = COMPONENT_SIZE;
    let covers = |center: Point| {
        let r = Rect::new(center.x - w / 2.0, center.y - h / 2.0, w, h);
        diagram.components.iter().any(|c| c.rect().intersects(r))
    };
    (0..40)
        .map(|step| wanted.offset(step as f32 * 30.0, step as f32 * (h + 24.0)))
        .find(|&p| !covers(p))
        .unwrap_or(wanted)
}

impl Editor {
    /// Renames the design; typing merges into one undo step.
    pub fn set_title(&mut self, title: &str) -> Result<(), EditError> {
        let merge = Some(MergeKey {
            item: None,
            field: "title",
        });
        self.doc
            .apply("Rename design", Edit::SetTitle(title.to_owned()), merge)
    }
}
