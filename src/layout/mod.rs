//! Automatic layout ("Tidy up" and Mermaid import): a layered drawing left
//! to right along the data flow, of a whole design or of a subset of it.
//!
//! - Groups are compound nodes: each group's members are laid out inside
//!   it first, the group is sized to them, and then it takes part in its
//!   parent's layout as one block, so members stay together and inside.
//! - Notes stay where they are. Cards never overlap: nodes of one layer are
//!   stacked with a gap, layers are as wide as their widest node (and as
//!   far apart as the captions between them need). The laid-out block
//!   starts where the design (or selection) started and moves off the
//!   cards that stay and off notes, so it can land further down when a
//!   note sits where the new layout would go.
//! - Deterministic: the same design always gives the same positions (ties
//!   are broken by the current position, then by id).
//!
//! The result is data ([`Tidy`]); [`Tidy::edit`] turns it into one
//! [`Edit`] so the app applies it as one undo step.
//!
//! Known limits: long edges are not routed around nodes (wires are curves
//! between cards, drawn on top of groups anyway), and crossing reduction is
//! a few barycentre sweeps, not an optimum.

mod layered;
mod membership;

use std::collections::{HashMap, HashSet};

pub use membership::{Membership, membership};

use crate::model::edit::Edit;
use crate::model::{COMPONENT_SIZE, Diagram, Id, Point, Rect};

/// Horizontal gap between layers and vertical gap between nodes of a layer.
/// The vertical gap leaves room for two-line names at far zoom (names stay
/// 11 points high on screen, so at 30% a name of two lines needs about 120
/// canvas units; a card is 76 high): a tidied design fitted to a laptop
/// screen keeps every name.
pub const LAYER_GAP: f32 = 120.0;
pub const NODE_GAP: f32 = 64.0;
/// Space between a group's border and its members (the top also holds the
/// group's title bar).
pub const GROUP_PAD: f32 = 24.0;
pub const GROUP_PAD_TOP: f32 = 52.0;

/// New places for the items a tidy-up moves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tidy {
    /// New top-left corners of components, in id order.
    pub positions: Vec<(Id, Point)>,
    /// New rectangles of groups, in id order.
    pub groups: Vec<(Id, Rect)>,
}

impl Tidy {
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty() && self.groups.is_empty()
    }

    /// The one edit that applies this layout to `diagram` (component moves
    /// and group rectangles together): undone in one step.
    pub fn edit(&self, diagram: &Diagram) -> Edit {
        let mut edits = vec![Edit::SetPositions(self.positions.clone())];
        for &(id, rect) in &self.groups {
            if let Some(group) = diagram.group(id) {
                let mut group = group.clone();
                group.rect = rect;
                edits.push(Edit::UpdateGroup(group));
            }
        }
        Edit::Batch(edits)
    }

    /// Applies the layout directly (used by the importer on a design that
    /// is not open yet).
    pub fn apply_to(&self, diagram: &mut Diagram) {
        for &(id, p) in &self.positions {
            if let Ok(i) = diagram.components.binary_search_by_key(&id, |c| c.id)
                && let Some(c) = diagram.components.get_mut(i)
            {
                c.position = p;
            }
        }
        for &(id, r) in &self.groups {
            if let Ok(i) = diagram.groups.binary_search_by_key(&id, |g| g.id)
                && let Some(g) = diagram.groups.get_mut(i)
            {
                g.rect = r;
            }
        }
    }
}

/// Lays out the whole design (`subset` = `None`) or the given items. A
/// selected group brings all its members; a selected component moves with
/// the others even when its group is not selected, and that group then
/// grows to keep it inside. Membership is read from where things are now
/// (see [`membership`]).
pub fn tidy(diagram: &Diagram, subset: Option<&[Id]>) -> Tidy {
    tidy_with(diagram, subset, &membership(diagram))
}

/// [`tidy`] with the group membership given (the importer knows it from
/// the source text before anything has a position).
pub fn tidy_with(diagram: &Diagram, subset: Option<&[Id]>, members: &Membership) -> Tidy {
    let selected = Selection::new(diagram, subset, members);
    if selected.components.is_empty() && selected.groups.is_empty() {
        return Tidy::default();
    }
    // The layout tree: each selected item under its nearest selected
    // ancestor group, or the root.
    let parent_of = |id: Id, first: Option<Id>| -> Option<Id> {
        let mut up = first;
        while let Some(g) = up {
            if selected.groups.contains(&g) {
                return Some(g);
            }
            up = members.group_parent.get(&g).copied();
        }
        let _ = id;
        None
    };
    let mut children: HashMap<Option<Id>, Vec<Node>> = HashMap::new();
    let mut component_container: HashMap<Id, Option<Id>> = HashMap::new();
    for c in diagram
        .components
        .iter()
        .filter(|c| selected.components.contains(&c.id))
    {
        let parent = parent_of(c.id, members.component_parent.get(&c.id).copied());
        component_container.insert(c.id, parent);
        children
            .entry(parent)
            .or_default()
            .push(Node::Component(c.id));
    }
    let mut group_container: HashMap<Id, Option<Id>> = HashMap::new();
    for g in diagram
        .groups
        .iter()
        .filter(|g| selected.groups.contains(&g.id))
    {
        let parent = parent_of(g.id, members.group_parent.get(&g.id).copied());
        group_container.insert(g.id, parent);
        children.entry(parent).or_default().push(Node::Group(g.id));
    }
    let tree = Tree {
        diagram,
        children,
        component_container,
        group_container,
    };
    let edges = tree.edges_by_container();
    let mut placed = Placed::default();
    let root = tree.layout(None, &edges, &mut placed);

    // Where the block goes: at the top-left of what it replaces, moved
    // off the cards that stay (never overlapped) and the notes (avoided
    // when a short move does it).
    let start = selected.bounds(diagram).map_or(Point::default(), Rect::min);
    let cards: Vec<Rect> = placed
        .components
        .iter()
        .map(|(_, p)| Rect::from_min_size(*p, COMPONENT_SIZE))
        .collect();
    let fixed: Vec<Rect> = diagram
        .components
        .iter()
        .filter(|c| !selected.components.contains(&c.id))
        .map(|c| c.rect())
        .collect();
    let notes: Vec<Rect> = diagram.notes.iter().map(|n| n.rect).collect();
    let origin = place_block(start, root, &cards, &fixed, &notes);
    let mut tidy = Tidy::default();
    for (id, p) in placed.components {
        tidy.positions.push((id, p.offset(origin.x, origin.y)));
    }
    for (id, r) in placed.groups {
        tidy.groups.push((id, r.translated(origin.x, origin.y)));
    }
    tidy.positions.sort_by_key(|(id, _)| *id);
    tidy.groups.sort_by_key(|(id, _)| *id);
    grow_unselected_groups(diagram, members, &selected, &mut tidy);
    tidy
}

/// What a subset tidy moves.
struct Selection {
    components: HashSet<Id>,
    groups: HashSet<Id>,
}

impl Selection {
    fn new(diagram: &Diagram, subset: Option<&[Id]>, members: &Membership) -> Self {
        let Some(ids) = subset else {
            return Self {
                components: diagram.components.iter().map(|c| c.id).collect(),
                groups: diagram.groups.iter().map(|g| g.id).collect(),
            };
        };
        let wanted: HashSet<Id> = ids.iter().copied().collect();
        // A group is selected when it or one of its ancestors is.
        let in_selected_group = |mut up: Option<Id>| {
            while let Some(g) = up {
                if wanted.contains(&g) && diagram.group(g).is_some() {
                    return true;
                }
                up = members.group_parent.get(&g).copied();
            }
            false
        };
        let groups = diagram
            .groups
            .iter()
            .filter(|g| {
                wanted.contains(&g.id)
                    || in_selected_group(members.group_parent.get(&g.id).copied())
            })
            .map(|g| g.id)
            .collect();
        let components = diagram
            .components
            .iter()
            .filter(|c| {
                wanted.contains(&c.id)
                    || in_selected_group(members.component_parent.get(&c.id).copied())
            })
            .map(|c| c.id)
            .collect();
        Self { components, groups }
    }

    fn bounds(&self, diagram: &Diagram) -> Option<Rect> {
        diagram.bounds_where(|id| {
            (self.components.contains(&id) || self.groups.contains(&id))
                && diagram.note(id).is_none()
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Node {
    Component(Id),
    Group(Id),
}

struct Tree<'a> {
    diagram: &'a Diagram,
    children: HashMap<Option<Id>, Vec<Node>>,
    component_container: HashMap<Id, Option<Id>>,
    group_container: HashMap<Id, Option<Id>>,
}

#[derive(Default)]
struct Placed {
    components: Vec<(Id, Point)>,
    groups: Vec<(Id, Rect)>,
}

impl Tree<'_> {
    /// The chain of containers from `node` up to the root, `node`'s own
    /// container first.
    fn chain(&self, node: Node) -> Vec<(Option<Id>, Node)> {
        let mut out = Vec::new();
        let mut current = node;
        loop {
            let container = match current {
                Node::Component(id) => self.component_container.get(&id).copied().flatten(),
                Node::Group(id) => self.group_container.get(&id).copied().flatten(),
            };
            out.push((container, current));
            match container {
                Some(g) if out.len() < 64 => current = Node::Group(g),
                _ => return out,
            }
        }
    }

    /// Every connection between two laid-out cards, lifted to the container
    /// where their paths meet: an edge between the two children of that
    /// container that hold its ends.
    fn edges_by_container(&self) -> HashMap<Option<Id>, Vec<(Node, Node, f32)>> {
        let mut out: HashMap<Option<Id>, Vec<(Node, Node, f32)>> = HashMap::new();
        for conn in &self.diagram.connections {
            if !self.component_container.contains_key(&conn.from)
                || !self.component_container.contains_key(&conn.to)
                || conn.from == conn.to
            {
                continue;
            }
            let a = self.chain(Node::Component(conn.from));
            let b = self.chain(Node::Component(conn.to));
            // Find the lowest container on both chains.
            let b_containers: HashMap<Option<Id>, Node> = b.iter().map(|(c, n)| (*c, *n)).collect();
            for (container, node_a) in &a {
                if let Some(node_b) = b_containers.get(container) {
                    if node_a != node_b {
                        out.entry(*container).or_default().push((
                            *node_a,
                            *node_b,
                            caption_room(conn),
                        ));
                    }
                    break;
                }
            }
        }
        out
    }

    /// Lays out the children of `container` (recursively), records their
    /// places relative to the container's content origin and returns the
    /// content's size.
    fn layout(
        &self,
        container: Option<Id>,
        edges: &HashMap<Option<Id>, Vec<(Node, Node, f32)>>,
        placed: &mut Placed,
    ) -> (f32, f32) {
        let mut nodes = self.children.get(&container).cloned().unwrap_or_default();
        // Children first: their size decides their block.
        let mut sizes = Vec::with_capacity(nodes.len());
        let mut inner: HashMap<Id, (Placed, (f32, f32))> = HashMap::new();
        nodes.sort_by(|a, b| {
            let pa = self.current_position(*a);
            let pb = self.current_position(*b);
            pa.1.total_cmp(&pb.1)
                .then(pa.0.total_cmp(&pb.0))
                .then(a.cmp(b))
        });
        for node in &nodes {
            match *node {
                Node::Component(_) => sizes.push((COMPONENT_SIZE[0], COMPONENT_SIZE[1])),
                Node::Group(g) => {
                    let mut sub = Placed::default();
                    let content = self.layout(Some(g), edges, &mut sub);
                    let empty = self.children.get(&Some(g)).is_none_or(Vec::is_empty);
                    let size = if empty {
                        let r = self
                            .diagram
                            .group(g)
                            .map_or(Rect::new(0.0, 0.0, 240.0, 120.0), |g| g.rect);
                        (r.w, r.h)
                    } else {
                        (
                            content.0 + 2.0 * GROUP_PAD,
                            content.1 + GROUP_PAD_TOP + GROUP_PAD,
                        )
                    };
                    sizes.push(size);
                    inner.insert(g, (sub, size));
                }
            }
        }
        let index: HashMap<Node, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let local_edges: Vec<(usize, usize, f32)> = edges
            .get(&container)
            .map(|list| {
                list.iter()
                    .filter_map(|(a, b, room)| Some((*index.get(a)?, *index.get(b)?, *room)))
                    .collect()
            })
            .unwrap_or_default();
        let result = layered::layout(&sizes, &local_edges);
        for (i, node) in nodes.iter().enumerate() {
            let Some(&(x, y)) = result.positions.get(i) else {
                continue;
            };
            match *node {
                Node::Component(id) => placed.components.push((id, Point::new(x, y))),
                Node::Group(g) => {
                    let Some((sub, size)) = inner.remove(&g) else {
                        continue;
                    };
                    placed.groups.push((g, Rect::new(x, y, size.0, size.1)));
                    let (dx, dy) = (x + GROUP_PAD, y + GROUP_PAD_TOP);
                    placed.components.extend(
                        sub.components
                            .into_iter()
                            .map(|(id, p)| (id, p.offset(dx, dy))),
                    );
                    placed.groups.extend(
                        sub.groups
                            .into_iter()
                            .map(|(id, r)| (id, r.translated(dx, dy))),
                    );
                }
            }
        }
        result.size
    }

    fn current_position(&self, node: Node) -> (f32, f32) {
        let p = match node {
            Node::Component(id) => self.diagram.component(id).map(|c| c.position),
            Node::Group(id) => self.diagram.group(id).map(|g| g.rect.min()),
        };
        p.map_or((0.0, 0.0), |p| (p.x, p.y))
    }
}

/// True when two rectangles share more than an edge.
fn overlap(a: Rect, b: Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Where a laid-out block of `size` with `cards` (relative to its origin)
/// goes: as near `start` as possible with no card on a `fixed` card, and
/// no card on a note when moving below or beside it a few times clears
/// them (keeping the best move found). Falls back to just below the fixed
/// cards in its columns.
fn place_block(
    start: Point,
    size: (f32, f32),
    cards: &[Rect],
    fixed: &[Rect],
    notes: &[Rect],
) -> Point {
    let cost = |origin: Point| -> (usize, usize) {
        let block = Rect::new(origin.x, origin.y, size.0, size.1);
        let count = |obstacles: &[Rect]| {
            obstacles
                .iter()
                .filter(|o| overlap(block, **o))
                .map(|o| {
                    cards
                        .iter()
                        .filter(|c| overlap(c.translated(origin.x, origin.y), *o))
                        .count()
                })
                .sum::<usize>()
        };
        (count(fixed), count(notes))
    };
    let distance = |p: Point| (p.x - start.x).abs() + (p.y - start.y).abs();
    let mut origin = start;
    let mut current = cost(origin);
    for _ in 0..6 {
        if current == (0, 0) {
            break;
        }
        let block = Rect::new(origin.x, origin.y, size.0, size.1);
        let mut candidates: Vec<Point> = fixed
            .iter()
            .chain(notes)
            .filter(|o| overlap(block, **o))
            .take(32)
            .flat_map(|o| {
                [
                    Point::new(origin.x, o.y + o.h + NODE_GAP),
                    Point::new(o.x + o.w + NODE_GAP, origin.y),
                ]
            })
            .collect();
        candidates.sort_by(|a, b| distance(*a).total_cmp(&distance(*b)));
        let best = candidates
            .into_iter()
            .map(|p| (cost(p), p))
            .min_by(|(ca, pa), (cb, pb)| ca.cmp(cb).then(distance(*pa).total_cmp(&distance(*pb))));
        match best {
            Some((c, p)) if c < current => {
                origin = p;
                current = c;
            }
            _ => break,
        }
    }
    if current.0 > 0 {
        // Below every fixed card in the block's columns: nothing is hit.
        let band = |r: &&Rect| r.x < start.x + size.0 && start.x < r.x + r.w;
        let bottom = fixed
            .iter()
            .filter(band)
            .map(|r| r.y + r.h)
            .fold(start.y, f32::max);
        origin = Point::new(start.x, bottom + NODE_GAP);
    }
    origin
}

/// The horizontal room a wire's caption wants: an estimate from its label
/// (about 6.6 units a character at the canvas's 12 pt) and its policy
/// icons, plus the caption's padding and some wire on each side.
fn caption_room(conn: &crate::model::Connection) -> f32 {
    let icons = [
        conn.policy.timeout_ms.is_some(),
        conn.policy.retry != crate::model::Retry::None,
        conn.policy.circuit_breaker,
    ]
    .into_iter()
    .filter(|on| *on)
    .count();
    if conn.label.is_empty() && icons == 0 {
        return 0.0;
    }
    conn.label.chars().count() as f32 * 6.6 + icons as f32 * 16.0 + 12.0 + 2.0 * 28.0
}

/// A group that was not selected but holds moved members grows (never
/// shrinks) so that they stay inside it; so do its ancestors.
fn grow_unselected_groups(
    diagram: &Diagram,
    members: &Membership,
    selected: &Selection,
    tidy: &mut Tidy,
) {
    let mut rects: HashMap<Id, Rect> = HashMap::new();
    for &(id, p) in &tidy.positions {
        let mut child = Rect::from_min_size(p, COMPONENT_SIZE);
        let mut up = members.component_parent.get(&id).copied();
        let mut depth = 0;
        while let Some(g) = up
            && depth < 64
        {
            depth += 1;
            if selected.groups.contains(&g) {
                break;
            }
            let Some(group) = diagram.group(g) else {
                break;
            };
            let current = rects.get(&g).copied().unwrap_or(group.rect);
            let padded = Rect::new(
                child.x - GROUP_PAD,
                child.y - GROUP_PAD_TOP,
                child.w + 2.0 * GROUP_PAD,
                child.h + GROUP_PAD_TOP + GROUP_PAD,
            );
            let grown = current.union(padded);
            rects.insert(g, grown);
            child = grown;
            up = members.group_parent.get(&g).copied();
        }
    }
    let mut grown: Vec<(Id, Rect)> = rects
        .into_iter()
        .filter(|(id, r)| diagram.group(*id).is_some_and(|g| g.rect != *r))
        .collect();
    grown.sort_by_key(|(id, _)| *id);
    tidy.groups.extend(grown);
    tidy.groups.sort_by_key(|(id, _)| *id);
}

#[cfg(test)]
mod tests;
