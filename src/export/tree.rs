//! The nesting of groups and cards for the text formats, which write
//! groups as subgraphs or containers.

use std::collections::HashMap;

use crate::layout::membership;
use crate::model::{Diagram, Id};

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
