//! Which group each component and group belongs to, read from geometry: a
//! component belongs to the smallest group that holds its centre, a group
//! to the smallest larger group that holds it whole.

use std::collections::HashMap;

use crate::model::{Diagram, Group, Id, Point, Rect};

/// Group membership of a design.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Membership {
    /// Component id → the group it sits in directly.
    pub component_parent: HashMap<Id, Id>,
    /// Group id → the group it sits in directly.
    pub group_parent: HashMap<Id, Id>,
}

impl Membership {
    /// The direct members of `group` (components, then groups), in id order.
    pub fn members_of(&self, group: Id) -> (Vec<Id>, Vec<Id>) {
        let mut components: Vec<Id> = self
            .component_parent
            .iter()
            .filter(|(_, g)| **g == group)
            .map(|(c, _)| *c)
            .collect();
        let mut groups: Vec<Id> = self
            .group_parent
            .iter()
            .filter(|(_, g)| **g == group)
            .map(|(c, _)| *c)
            .collect();
        components.sort_unstable();
        groups.sort_unstable();
        (components, groups)
    }
}

/// Side of a grid cell for finding candidate groups quickly.
const CELL: f32 = 1024.0;
/// Groups covering more cells than this are checked for every query.
const MAX_CELLS: i64 = 256;

/// Groups bucketed by the grid cells their rectangles cover.
struct GroupGrid<'a> {
    cells: HashMap<(i32, i32), Vec<&'a Group>>,
    overflow: Vec<&'a Group>,
}

fn cell_of(v: f32) -> Option<i32> {
    let c = (v / CELL).floor();
    (c.is_finite() && c.abs() < 1e9).then_some(c as i32)
}

impl<'a> GroupGrid<'a> {
    fn new(groups: &'a [Group]) -> Self {
        let mut grid = Self {
            cells: HashMap::new(),
            overflow: Vec::new(),
        };
        for g in groups {
            let r = g.rect;
            match (
                cell_of(r.x),
                cell_of(r.y),
                cell_of(r.x + r.w),
                cell_of(r.y + r.h),
            ) {
                (Some(x0), Some(y0), Some(x1), Some(y1))
                    if i64::from(x1 - x0 + 1) * i64::from(y1 - y0 + 1) <= MAX_CELLS =>
                {
                    for cx in x0..=x1 {
                        for cy in y0..=y1 {
                            grid.cells.entry((cx, cy)).or_default().push(g);
                        }
                    }
                }
                _ => grid.overflow.push(g),
            }
        }
        grid
    }

    fn candidates(&self, p: Point) -> impl Iterator<Item = &&'a Group> {
        let key = cell_of(p.x).zip(cell_of(p.y));
        let bucket = key.and_then(|k| self.cells.get(&k));
        bucket.into_iter().flatten().chain(self.overflow.iter())
    }
}

fn area(r: Rect) -> f32 {
    r.w * r.h
}

/// The smallest of `groups` that `accept`s, ties broken by the lower id.
fn smallest<'a>(
    groups: impl Iterator<Item = &'a &'a Group>,
    accept: impl Fn(&Group) -> bool,
) -> Option<Id> {
    groups
        .filter(|g| accept(g))
        .min_by(|a, b| area(a.rect).total_cmp(&area(b.rect)).then(a.id.cmp(&b.id)))
        .map(|g| g.id)
}

/// Reads the membership of every component and group from where they are.
pub fn membership(diagram: &Diagram) -> Membership {
    let grid = GroupGrid::new(&diagram.groups);
    let mut out = Membership::default();
    for c in &diagram.components {
        let center = c.rect().center();
        if let Some(g) = smallest(grid.candidates(center), |g| g.rect.contains(center)) {
            out.component_parent.insert(c.id, g);
        }
    }
    for group in &diagram.groups {
        let inner = group.rect;
        // A strictly larger group, or an equal one with a lower id, so two
        // groups never hold each other.
        let holds = |g: &Group| {
            g.id != group.id
                && g.rect.contains_rect(inner)
                && (area(g.rect) > area(inner) || (area(g.rect) == area(inner) && g.id < group.id))
        };
        if let Some(parent) = smallest(grid.candidates(inner.center()), holds) {
            out.group_parent.insert(group.id, parent);
        }
    }
    out
}
