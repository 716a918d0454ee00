//! The nesting of groups and cards for the text formats, which write
//! groups as subgraphs or containers.

use std::collections::HashMap;

use crate::layout::membership;
use crate::model::{Component, Diagram, Group, Id};

/// One step of [`Nesting::walk`]; `depth` is 0 at the top level.
pub(crate) enum Visit<'a> {
    Open {
        group: &'a Group,
        parent: Option<Id>,
        depth: usize,
    },
    Close {
        depth: usize,
    },
    Component {
        component: &'a Component,
        parent: Option<Id>,
        depth: usize,
    },
}

/// Which components and groups sit directly in each group (`None` is the
/// top level), each list in id order.
pub(crate) struct Nesting {
    components: HashMap<Option<Id>, Vec<Id>>,
    groups: HashMap<Option<Id>, Vec<Id>>,
    parent: HashMap<Id, Id>,
}

impl Nesting {
    pub fn new(diagram: &Diagram) -> Self {
        let m = membership(diagram);
        let mut components: HashMap<Option<Id>, Vec<Id>> = HashMap::new();
        let mut groups: HashMap<Option<Id>, Vec<Id>> = HashMap::new();
        for c in &diagram.components {
            components
                .entry(m.component_parent.get(&c.id).copied())
                .or_default()
                .push(c.id);
        }
        for g in &diagram.groups {
            groups
                .entry(m.group_parent.get(&g.id).copied())
                .or_default()
                .push(g.id);
        }
        let parent = m
            .component_parent
            .iter()
            .chain(m.group_parent.iter())
            .map(|(a, b)| (*a, *b))
            .collect();
        Self {
            components,
            groups,
            parent,
        }
    }

    pub fn components_in(&self, group: Option<Id>) -> &[Id] {
        self.components.get(&group).map_or(&[], Vec::as_slice)
    }

    pub fn groups_in(&self, group: Option<Id>) -> &[Id] {
        self.groups.get(&group).map_or(&[], Vec::as_slice)
    }

    /// Walks the tree from the top: in each container its groups first
    /// (opened, walked, closed), then its components, each in id order.
    pub fn walk<'a>(&self, diagram: &'a Diagram, visit: &mut impl FnMut(Visit<'a>)) {
        self.walk_in(diagram, None, 0, visit);
    }

    fn walk_in<'a>(
        &self,
        diagram: &'a Diagram,
        container: Option<Id>,
        depth: usize,
        visit: &mut impl FnMut(Visit<'a>),
    ) {
        for &id in self.groups_in(container) {
            let Some(group) = diagram.group(id) else {
                continue;
            };
            visit(Visit::Open {
                group,
                parent: container,
                depth,
            });
            if depth < 64 {
                self.walk_in(diagram, Some(id), depth + 1, visit);
            }
            visit(Visit::Close { depth });
        }
        for &id in self.components_in(container) {
            if let Some(component) = diagram.component(id) {
                visit(Visit::Component {
                    component,
                    parent: container,
                    depth,
                });
            }
        }
    }

    /// The groups around `id`, outermost first.
    pub fn path_of(&self, id: Id) -> Vec<Id> {
        let mut path = Vec::new();
        let mut current = id;
        while let Some(&g) = self.parent.get(&current) {
            if path.len() > 64 || path.contains(&g) {
                break;
            }
            path.push(g);
            current = g;
        }
        path.reverse();
        path
    }
}
