//! The diagram data model: plain data, no UI types.
//!
//! A [`Diagram`] owns every item of a design. Items are kept in `Vec`s sorted by
//! [`Id`], so lookups are binary searches, newer items draw on top, and a saved
//! file lists items in a stable order that diffs cleanly. Every change to a
//! diagram goes through [`edit::Edit`], which returns its own inverse.

pub mod edit;
mod geometry;
mod item;
mod kind;
mod properties;
mod requirements;
pub mod validate;

use serde::{Deserialize, Serialize};

pub use geometry::{COMPONENT_SIZE, Point, Rect};
pub use properties::{
    Backplane, CachePattern, Choice, Consistency, ConsistencyNeed, Eviction, Invalidation, PropKey,
    PropValue, Properties, Redundancy,
};
pub use requirements::Requirements;

pub use item::{Item, ItemRef};
pub use kind::ComponentKind;

/// The file format version this build writes. See `docs/file-format.md`.
pub const FORMAT_VERSION: u32 = 1;

/// A stable identifier. Ids are allocated from [`Diagram::next_id`], are unique
/// across all item types in one diagram, and are never renumbered.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Id(pub u64);

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A whole system design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagram {
    pub format_version: u32,
    pub title: String,
    #[serde(default)]
    pub requirements: Requirements,
    #[serde(default)]
    pub components: Vec<Component>,
    #[serde(default)]
    pub connections: Vec<Connection>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// The next id to hand out; always greater than every id in the diagram.
    pub next_id: u64,
}

impl Default for Diagram {
    fn default() -> Self {
        Self::new("Untitled design")
    }
}

/// A box on the canvas: one piece of the architecture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub id: Id,
    pub kind: ComponentKind,
    pub name: String,
    /// Top-left corner in canvas coordinates.
    pub position: Point,
    #[serde(default)]
    pub properties: Properties,
}

impl Component {
    /// The card's rectangle in canvas coordinates.
    pub fn rect(&self) -> Rect {
        Rect::from_min_size(self.position, COMPONENT_SIZE)
    }
}

/// How one component talks to another.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum ConnectionKind {
    /// Synchronous request/response (HTTP, gRPC).
    #[default]
    Request,
    /// Asynchronous publish to a queue or topic.
    Publish,
    /// Consume or subscribe from a queue or topic.
    Consume,
    Read,
    Write,
    Replication,
    /// Server-to-client push over a persistent connection (WebSocket).
    Push,
}

impl ConnectionKind {
    pub const ALL: [Self; 7] = [
        Self::Request,
        Self::Publish,
        Self::Consume,
        Self::Read,
        Self::Write,
        Self::Replication,
        Self::Push,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Request => "Request (sync)",
            Self::Publish => "Publish (async)",
            Self::Consume => "Consume",
            Self::Read => "Read",
            Self::Write => "Write",
            Self::Replication => "Replication",
            Self::Push => "Real-time push",
        }
    }

    /// Whether the caller waits for the answer: the calls that need a
    /// caller-side resilience policy.
    pub fn is_synchronous(self) -> bool {
        matches!(self, Self::Request | Self::Read | Self::Write)
    }
}

/// Retry behaviour of a caller.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Retry {
    #[default]
    None,
    /// The same delay between attempts.
    Fixed,
    /// Growing delay, no randomness: synchronised clients retry in waves.
    Exponential,
    /// Growing delay with random jitter: the recommended default.
    ExponentialJitter,
}

impl Retry {
    pub const ALL: [Self; 4] = [
        Self::None,
        Self::Fixed,
        Self::Exponential,
        Self::ExponentialJitter,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::None => "No retry",
            Self::Fixed => "Fixed delay",
            Self::Exponential => "Exponential backoff",
            Self::ExponentialJitter => "Exponential backoff + jitter",
        }
    }
}

/// The caller-side resilience policy of a connection (a Polly pipeline, in .NET terms).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// `None` means the caller waits forever (the framework default).
    pub timeout_ms: Option<u32>,
    pub retry: Retry,
    /// Attempts after the first one; ignored when `retry` is `None`.
    pub max_retries: u32,
    pub circuit_breaker: bool,
    /// A degraded answer (cached or default) when the call fails.
    pub fallback: bool,
    /// The call has its own limited pool of connections or threads.
    pub bulkhead: bool,
}

impl Policy {
    /// True when nothing at all is configured.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// An arrow from one component to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    pub id: Id,
    pub from: Id,
    pub to: Id,
    pub kind: ConnectionKind,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub policy: Policy,
    /// The operation is safe to repeat (idempotent), so retries cannot duplicate effects.
    #[serde(default)]
    pub idempotent: bool,
}

/// What a group box stands for.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum GroupKind {
    #[default]
    Region,
    Zone,
    Network,
    Cluster,
    Tenant,
}

impl GroupKind {
    pub const ALL: [Self; 5] = [
        Self::Region,
        Self::Zone,
        Self::Network,
        Self::Cluster,
        Self::Tenant,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Region => "Region",
            Self::Zone => "Availability zone",
            Self::Network => "Virtual network",
            Self::Cluster => "Cluster",
            Self::Tenant => "Tenant boundary",
        }
    }
}

/// A labelled rectangle drawn behind components (region, zone, network…).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: Id,
    pub kind: GroupKind,
    pub label: String,
    pub rect: Rect,
}

/// A sticky note on the canvas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: Id,
    pub text: String,
    pub rect: Rect,
}

/// What a finding or decision is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Subject {
    Design,
    Component(Id),
    Connection(Id),
    Group(Id),
}

impl Subject {
    pub fn id(self) -> Option<Id> {
        match self {
            Self::Design => None,
            Self::Component(id) | Self::Connection(id) | Self::Group(id) => Some(id),
        }
    }
}

/// What the user decided about a checklist finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DecisionStatus {
    /// The gap is known and accepted on purpose; the note says why.
    #[default]
    AcceptedTradeOff,
}

/// A finding the user has decided about, keyed by rule id and subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub rule_id: String,
    pub subject: Subject,
    #[serde(default)]
    pub status: DecisionStatus,
    #[serde(default)]
    pub note: String,
}

/// One step of a presentation: a title and the items it reveals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    #[serde(default)]
    pub revealed: Vec<Id>,
}

/// Which collection an id belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Component,
    Connection,
    Group,
    Note,
}

/// A set of whole items: what is inserted, removed, copied or pasted together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Items {
    pub components: Vec<Component>,
    pub connections: Vec<Connection>,
    pub groups: Vec<Group>,
    pub notes: Vec<Note>,
}

impl Items {
    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
            && self.connections.is_empty()
            && self.groups.is_empty()
            && self.notes.is_empty()
    }

    pub fn ids(&self) -> Vec<Id> {
        let mut ids: Vec<Id> = self.iter().map(ItemRef::id).collect();
        ids.sort_unstable();
        ids
    }

    /// The largest id in the set, if any.
    pub fn max_id(&self) -> Option<Id> {
        self.ids().last().copied()
    }
}

/// Binary search in a `Vec` kept sorted by id.
fn find<T>(items: &[T], id: Id, key: impl Fn(&T) -> Id) -> Option<usize> {
    items.binary_search_by_key(&id, key).ok()
}

/// Inserts keeping the `Vec` sorted by id. Returns false (and leaves the
/// `Vec` unchanged) when the id is already present.
fn insert_sorted<T>(items: &mut Vec<T>, item: T, key: impl Fn(&T) -> Id) -> bool {
    match items.binary_search_by_key(&key(&item), &key) {
        Ok(_) => false,
        Err(index) => {
            items.insert(index, item);
            true
        }
    }
}

impl Diagram {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            title: title.into(),
            requirements: Requirements::default(),
            components: Vec::new(),
            connections: Vec::new(),
            groups: Vec::new(),
            notes: Vec::new(),
            steps: Vec::new(),
            decisions: Vec::new(),
            next_id: 1,
        }
    }

    /// Hands out up to `count` fresh ids without changing the diagram; the
    /// edit that inserts items with these ids advances [`Diagram::next_id`].
    /// Near the end of the id space it yields fewer (never a wrapped id).
    pub fn peek_ids(&self, count: usize) -> impl Iterator<Item = Id> + use<> {
        let start = self.next_id;
        (0..count as u64)
            .map_while(move |offset| {
                start
                    .checked_add(offset)
                    .filter(|&id| validate::id_fits(id))
            })
            .map(Id)
    }

    /// The id the next inserted item will get. When the id space is used up
    /// the insert refuses it ([`edit::EditError::IdsExhausted`]).
    pub fn next_free_id(&self) -> Id {
        Id(self.next_id)
    }

    pub fn component(&self, id: Id) -> Option<&Component> {
        find(&self.components, id, |c| c.id).map(|i| &self.components[i])
    }

    pub fn connection(&self, id: Id) -> Option<&Connection> {
        find(&self.connections, id, |c| c.id).map(|i| &self.connections[i])
    }

    pub fn group(&self, id: Id) -> Option<&Group> {
        find(&self.groups, id, |g| g.id).map(|i| &self.groups[i])
    }

    pub fn note(&self, id: Id) -> Option<&Note> {
        find(&self.notes, id, |n| n.id).map(|i| &self.notes[i])
    }

    /// Which collection holds `id`, if any.
    pub fn item_kind(&self, id: Id) -> Option<ItemKind> {
        self.item(id).map(ItemRef::kind)
    }

    pub fn contains(&self, id: Id) -> bool {
        self.item_kind(id).is_some()
    }

    /// Connections that start or end at `component`.
    pub fn connections_of(&self, component: Id) -> impl Iterator<Item = &Connection> {
        self.connections
            .iter()
            .filter(move |c| c.from == component || c.to == component)
    }

    /// The decision recorded for a rule and subject, if any.
    pub fn decision(&self, rule_id: &str, subject: Subject) -> Option<&Decision> {
        self.decisions
            .iter()
            .find(|d| d.rule_id == rule_id && d.subject == subject)
    }

    /// A display name for any item: components by name, connections as
    /// "From → To", groups and notes by their label.
    pub fn item_name(&self, id: Id) -> Option<String> {
        Some(match self.item(id)? {
            ItemRef::Connection(c) => {
                let end = |id| self.component(id).map_or("?", |c| c.name.as_str());
                format!("{} → {}", end(c.from), end(c.to))
            }
            ItemRef::Note(n) => n.text.lines().next().unwrap_or("").to_owned(),
            item => item.text().to_owned(),
        })
    }

    /// The bounding box of everything on the canvas, if there is anything.
    pub fn bounds(&self) -> Option<Rect> {
        self.bounds_where(|_| true)
    }

    /// The bounding box of the cards, groups and notes for which `keep`
    /// returns true (present mode fits what has been revealed).
    pub fn bounds_where(&self, keep: impl Fn(Id) -> bool) -> Option<Rect> {
        self.items()
            .filter(|item| keep(item.id()))
            .filter_map(ItemRef::rect)
            .reduce(Rect::union)
    }

    /// Where an item is on the canvas: a card, group or note's rectangle, or
    /// for a connection the box around both of its cards.
    pub fn item_rect(&self, id: Id) -> Option<Rect> {
        match self.item(id)? {
            ItemRef::Connection(c) => Some(
                self.component(c.from)?
                    .rect()
                    .union(self.component(c.to)?.rect()),
            ),
            item => item.rect(),
        }
    }

    /// Copies the given items (and the connections between copied components)
    /// into an [`Items`] set, in id order.
    pub fn collect_items(&self, ids: &[Id]) -> Items {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut items = Items::default();
        for item in sorted.iter().filter_map(|&id| self.item(id)) {
            items.push(item.to_owned());
        }
        items
    }

    /// Checks the invariants every loaded or edited diagram must keep (see
    /// [`validate`]). Returns the first broken one as a sentence.
    pub fn check_integrity(&self) -> Result<(), String> {
        validate::check(self)
    }

    /// Puts every collection back in id order (used after loading a file
    /// written by hand or by another tool).
    pub fn sort_items(&mut self) {
        self.components.sort_by_key(|c| c.id);
        self.connections.sort_by_key(|c| c.id);
        self.groups.sort_by_key(|g| g.id);
        self.notes.sort_by_key(|n| n.id);
        self.decisions
            .sort_by(|a, b| (&a.rule_id, a.subject).cmp(&(&b.rule_id, b.subject)));
    }
}

#[cfg(test)]
mod tests;
