//! One abstraction over the four kinds of item a diagram holds (component,
//! connection, group, note), so code that treats items alike (rename, move,
//! select, copy, name, locate) is written once instead of as a four-way
//! `if let … else if let …` at every site.

use serde::{Deserialize, Serialize};

use super::edit::Edit;
use super::{Component, Connection, Diagram, Group, Id, ItemKind, Items, Note, Point, Rect};

/// A borrowed item of any kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ItemRef<'a> {
    Component(&'a Component),
    Connection(&'a Connection),
    Group(&'a Group),
    Note(&'a Note),
}

/// An owned item of any kind (what an edit replaces, what the clipboard holds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Item {
    Component(Component),
    Connection(Connection),
    Group(Group),
    Note(Note),
}

impl<'a> ItemRef<'a> {
    pub fn id(self) -> Id {
        match self {
            Self::Component(c) => c.id,
            Self::Connection(c) => c.id,
            Self::Group(g) => g.id,
            Self::Note(n) => n.id,
        }
    }

    pub fn kind(self) -> ItemKind {
        match self {
            Self::Component(_) => ItemKind::Component,
            Self::Connection(_) => ItemKind::Connection,
            Self::Group(_) => ItemKind::Group,
            Self::Note(_) => ItemKind::Note,
        }
    }

    /// The text the user edits in place: a component's name, a connection's
    /// or group's label, a note's text.
    pub fn text(self) -> &'a str {
        match self {
            Self::Component(c) => &c.name,
            Self::Connection(c) => &c.label,
            Self::Group(g) => &g.label,
            Self::Note(n) => &n.text,
        }
    }

    /// Where the item sits on the canvas; connections have no rectangle of
    /// their own (see [`Diagram::item_rect`]).
    pub fn rect(self) -> Option<Rect> {
        match self {
            Self::Component(c) => Some(c.rect()),
            Self::Connection(_) => None,
            Self::Group(g) => Some(g.rect),
            Self::Note(n) => Some(n.rect),
        }
    }

    /// The top-left corner of a movable item (components, groups, notes).
    pub fn origin(self) -> Option<Point> {
        self.rect().map(Rect::min)
    }

    pub fn to_owned(self) -> Item {
        match self {
            Self::Component(c) => Item::Component(c.clone()),
            Self::Connection(c) => Item::Connection(c.clone()),
            Self::Group(g) => Item::Group(g.clone()),
            Self::Note(n) => Item::Note(n.clone()),
        }
    }
}

impl Item {
    pub fn as_ref(&self) -> ItemRef<'_> {
        match self {
            Self::Component(c) => ItemRef::Component(c),
            Self::Connection(c) => ItemRef::Connection(c),
            Self::Group(g) => ItemRef::Group(g),
            Self::Note(n) => ItemRef::Note(n),
        }
    }

    pub fn id(&self) -> Id {
        self.as_ref().id()
    }

    /// The same item with its in-place text replaced (see [`ItemRef::text`]).
    pub fn with_text(mut self, text: &str) -> Self {
        let slot = match &mut self {
            Self::Component(c) => &mut c.name,
            Self::Connection(c) => &mut c.label,
            Self::Group(g) => &mut g.label,
            Self::Note(n) => &mut n.text,
        };
        text.clone_into(slot);
        self
    }

    /// The same item resized to `rect`; components keep their fixed size and
    /// only move, connections are returned unchanged.
    pub fn with_rect(mut self, rect: Rect) -> Self {
        match &mut self {
            Self::Component(c) => c.position = rect.min(),
            Self::Connection(_) => {}
            Self::Group(g) => g.rect = rect,
            Self::Note(n) => n.rect = rect,
        }
        self
    }

    /// The edit that replaces the diagram's item of the same id with this one.
    pub fn into_update(self) -> Edit {
        match self {
            Self::Component(c) => Edit::UpdateComponent(c),
            Self::Connection(c) => Edit::UpdateConnection(c),
            Self::Group(g) => Edit::UpdateGroup(g),
            Self::Note(n) => Edit::UpdateNote(n),
        }
    }
}

impl Diagram {
    /// The item with this id, whatever its kind.
    pub fn item(&self, id: Id) -> Option<ItemRef<'_>> {
        self.component(id)
            .map(ItemRef::Component)
            .or_else(|| self.connection(id).map(ItemRef::Connection))
            .or_else(|| self.group(id).map(ItemRef::Group))
            .or_else(|| self.note(id).map(ItemRef::Note))
    }

    /// Every item: components, then connections, groups and notes, each in
    /// id order.
    pub fn items(&self) -> impl Iterator<Item = ItemRef<'_>> {
        self.components
            .iter()
            .map(ItemRef::Component)
            .chain(self.connections.iter().map(ItemRef::Connection))
            .chain(self.groups.iter().map(ItemRef::Group))
            .chain(self.notes.iter().map(ItemRef::Note))
    }
}

impl Items {
    /// Adds an item to the set of its kind (callers keep id order).
    pub fn push(&mut self, item: Item) {
        match item {
            Item::Component(c) => self.components.push(c),
            Item::Connection(c) => self.connections.push(c),
            Item::Group(g) => self.groups.push(g),
            Item::Note(n) => self.notes.push(n),
        }
    }

    /// Every item in the set, kind by kind.
    pub fn iter(&self) -> impl Iterator<Item = ItemRef<'_>> {
        self.components
            .iter()
            .map(ItemRef::Component)
            .chain(self.connections.iter().map(ItemRef::Connection))
            .chain(self.groups.iter().map(ItemRef::Group))
            .chain(self.notes.iter().map(ItemRef::Note))
    }
}
