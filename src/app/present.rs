//! Present mode without the UI: which items each step reveals, and the step
//! a selection makes.

use std::collections::{BTreeSet, HashSet};

use crate::model::{Diagram, Id, Step};

/// The items visible at `step`: everything revealed by steps 0..=step.
/// `None` (show everything) when the design has no steps.
pub fn revealed(diagram: &Diagram, step: usize) -> Option<HashSet<Id>> {
    if diagram.steps.is_empty() {
        return None;
    }
    Some(
        diagram
            .steps
            .iter()
            .take(step + 1)
            .flat_map(|s| s.revealed.iter().copied())
            .collect(),
    )
}

/// A new step revealing `selection` (plus the wires between revealed cards,
/// so a step never shows a card without its arrows), titled by its number.
pub fn step_from_selection(diagram: &Diagram, selection: &BTreeSet<Id>) -> Step {
    let mut revealed: Vec<Id> = selection.iter().copied().collect();
    let before: HashSet<Id> = diagram
        .steps
        .iter()
        .flat_map(|s| s.revealed.iter().copied())
        .collect();
    let visible = |id: &Id| selection.contains(id) || before.contains(id);
    let wires: Vec<Id> = diagram
        .connections
        .iter()
        .filter(|c| !selection.contains(&c.id) && visible(&c.from) && visible(&c.to))
        .filter(|c| selection.contains(&c.from) || selection.contains(&c.to))
        .map(|c| c.id)
        .collect();
    revealed.extend(wires);
    revealed.sort_unstable();
    Step {
        title: format!("Step {}", diagram.steps.len() + 1),
        revealed,
    }
}
