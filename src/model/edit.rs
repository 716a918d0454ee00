//! The one way to change a [`Diagram`].
//!
//! [`Edit::apply`] changes the diagram and returns the edit that undoes it, so
//! history is a stack of inverse edits. Applying an edit is all-or-nothing: an
//! edit that fails (an unknown id, a duplicate id, a connection to nothing)
//! leaves the diagram exactly as it was.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::validate::{self, id_fits, point_is_finite, rect_is_finite};
use super::{
    Component, Connection, Decision, Diagram, Group, Id, Items, Note, Point, Requirements, Step,
    Subject, insert_sorted,
};

/// A change to a diagram. Whole-item replacement (`Update*`) keeps inverses
/// exact: undoing restores the previous item bit for bit. Edits are plain
/// data (serde), so the command log can record and replay them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    /// Adds items whose ids were taken from [`Diagram::peek_ids`].
    Insert(Items),
    /// Removes items; connections attached to a removed component go with it,
    /// and steps and decisions stop referring to removed items.
    Remove(Vec<Id>),
    /// Moves components, groups and notes (their top-left corner).
    SetPositions(Vec<(Id, Point)>),
    UpdateComponent(Component),
    UpdateConnection(Connection),
    UpdateGroup(Group),
    UpdateNote(Note),
    SetTitle(String),
    SetRequirements(Requirements),
    /// Records (`Some`) or clears (`None`) the decision about one finding.
    SetDecision {
        rule_id: String,
        subject: Subject,
        decision: Option<Decision>,
    },
    SetDecisions(Vec<Decision>),
    SetSteps(Vec<Step>),
    SetNextId(u64),
    /// Several edits as one; applied in order, undone in reverse.
    Batch(Vec<Edit>),
}

/// Why an edit could not be applied. The diagram is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EditError {
    #[error("there is no item with id {0}")]
    UnknownId(Id),
    #[error("the id {0} is already in use")]
    DuplicateId(Id),
    #[error("connection {connection} refers to component {component}, which does not exist")]
    DanglingConnection { connection: Id, component: Id },
    #[error("a connection cannot start and end at the same component ({0})")]
    SelfConnection(Id),
    #[error("the position or size of {0} is not a finite number")]
    NotFinite(Id),
    #[error("the design has used up its ids; no more items can be added")]
    IdsExhausted,
    #[error("next_id {0} is not above every id in use, or leaves no room")]
    BadNextId(u64),
    #[error("the decision about {rule_id} does not match the finding it is stored for")]
    DecisionMismatch { rule_id: String },
    #[error("there are two decisions about {rule_id} for the same subject")]
    DuplicateDecision { rule_id: String },
    #[error("the decision about {rule_id} refers to an item that does not exist")]
    UnknownSubject { rule_id: String },
}

impl Edit {
    /// Applies the edit and returns its inverse. On error nothing changed.
    pub fn apply(self, diagram: &mut Diagram) -> Result<Edit, EditError> {
        match self {
            Edit::Insert(items) => insert(diagram, items),
            Edit::Remove(ids) => remove(diagram, &ids),
            Edit::SetPositions(moves) => set_positions(diagram, moves),
            Edit::UpdateComponent(new) => {
                finite_point(new.id, new.position)?;
                let slot = slot(&mut diagram.components, new.id, |c| c.id)?;
                Ok(Edit::UpdateComponent(std::mem::replace(slot, new)))
            }
            Edit::UpdateConnection(new) => {
                check_connection(diagram, &new, &[])?;
                let slot = slot(&mut diagram.connections, new.id, |c| c.id)?;
                Ok(Edit::UpdateConnection(std::mem::replace(slot, new)))
            }
            Edit::UpdateGroup(new) => {
                finite_rect(new.id, new.rect)?;
                let slot = slot(&mut diagram.groups, new.id, |g| g.id)?;
                Ok(Edit::UpdateGroup(std::mem::replace(slot, new)))
            }
            Edit::UpdateNote(new) => {
                finite_rect(new.id, new.rect)?;
                let slot = slot(&mut diagram.notes, new.id, |n| n.id)?;
                Ok(Edit::UpdateNote(std::mem::replace(slot, new)))
            }
            Edit::SetTitle(title) => {
                Ok(Edit::SetTitle(std::mem::replace(&mut diagram.title, title)))
            }
            Edit::SetRequirements(req) => Ok(Edit::SetRequirements(std::mem::replace(
                &mut diagram.requirements,
                req,
            ))),
            Edit::SetDecision {
                rule_id,
                subject,
                decision,
            } => set_decision(diagram, rule_id, subject, decision),
            Edit::SetDecisions(decisions) => set_decisions(diagram, decisions),
            Edit::SetSteps(steps) => {
                check_steps(diagram, &steps)?;
                Ok(Edit::SetSteps(std::mem::replace(&mut diagram.steps, steps)))
            }
            Edit::SetNextId(next) => {
                check_next_id(diagram, next)?;
                Ok(Edit::SetNextId(std::mem::replace(
                    &mut diagram.next_id,
                    next,
                )))
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(diagram) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(err) => {
                            // Roll back what already happened so the batch is atomic.
                            for inverse in inverses.into_iter().rev() {
                                let _ = inverse.apply(diagram);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }
}

fn slot<T>(items: &mut [T], id: Id, key: impl Fn(&T) -> Id) -> Result<&mut T, EditError> {
    match items.binary_search_by_key(&id, key) {
        Ok(index) => Ok(&mut items[index]),
        Err(_) => Err(EditError::UnknownId(id)),
    }
}

/// Checks that a connection's ends exist, in the diagram or among
/// `incoming` (ids of components being inserted with it, sorted).
fn check_connection(
    diagram: &Diagram,
    connection: &Connection,
    incoming: &[Id],
) -> Result<(), EditError> {
    if connection.from == connection.to {
        return Err(EditError::SelfConnection(connection.id));
    }
    for end in [connection.from, connection.to] {
        let exists = diagram.component(end).is_some() || incoming.binary_search(&end).is_ok();
        if !exists {
            return Err(EditError::DanglingConnection {
                connection: connection.id,
                component: end,
            });
        }
    }
    Ok(())
}

fn finite_point(id: Id, p: Point) -> Result<(), EditError> {
    if point_is_finite(p) {
        Ok(())
    } else {
        Err(EditError::NotFinite(id))
    }
}

fn finite_rect(id: Id, r: super::Rect) -> Result<(), EditError> {
    if rect_is_finite(r) {
        Ok(())
    } else {
        Err(EditError::NotFinite(id))
    }
}

/// The largest id in use, from the last item of each sorted collection.
fn max_id(diagram: &Diagram) -> Option<Id> {
    [
        diagram.components.last().map(|c| c.id),
        diagram.connections.last().map(|c| c.id),
        diagram.groups.last().map(|g| g.id),
        diagram.notes.last().map(|n| n.id),
    ]
    .into_iter()
    .flatten()
    .max()
}

fn check_next_id(diagram: &Diagram, next: u64) -> Result<(), EditError> {
    let above_all = max_id(diagram).is_none_or(|max| max.0 < next);
    if above_all && next <= validate::LAST_NEXT_ID {
        Ok(())
    } else {
        Err(EditError::BadNextId(next))
    }
}

fn check_steps(diagram: &Diagram, steps: &[Step]) -> Result<(), EditError> {
    for step in steps {
        if let Some(&id) = step.revealed.iter().find(|&&id| !diagram.contains(id)) {
            return Err(EditError::UnknownId(id));
        }
    }
    Ok(())
}

fn insert(diagram: &mut Diagram, items: Items) -> Result<Edit, EditError> {
    let ids = items.ids();
    if let Some(pair) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(EditError::DuplicateId(pair[0]));
    }
    if let Some(&id) = ids.iter().find(|&&id| diagram.contains(id)) {
        return Err(EditError::DuplicateId(id));
    }
    // The counter after the largest new id must fit (checked, never wrapped).
    if ids.last().is_some_and(|max| !id_fits(max.0)) {
        return Err(EditError::IdsExhausted);
    }
    for c in &items.components {
        finite_point(c.id, c.position)?;
    }
    for (id, rect) in items
        .groups
        .iter()
        .map(|g| (g.id, g.rect))
        .chain(items.notes.iter().map(|n| (n.id, n.rect)))
    {
        finite_rect(id, rect)?;
    }
    let mut incoming: Vec<Id> = items.components.iter().map(|c| c.id).collect();
    incoming.sort_unstable();
    for connection in &items.connections {
        check_connection(diagram, connection, &incoming)?;
    }
    let old_next_id = diagram.next_id;
    // Ids are known to be new: append and sort (the old part is a sorted
    // run), O((n + k) log k) instead of one shifting insert per item.
    merge_sorted(&mut diagram.components, items.components, |c| c.id);
    merge_sorted(&mut diagram.connections, items.connections, |c| c.id);
    merge_sorted(&mut diagram.groups, items.groups, |g| g.id);
    merge_sorted(&mut diagram.notes, items.notes, |n| n.id);
    if let Some(max) = ids.last() {
        // `id_fits` above guarantees the addition does not overflow.
        diagram.next_id = diagram.next_id.max(max.0.saturating_add(1));
    }
    Ok(Edit::Batch(vec![
        Edit::Remove(ids),
        Edit::SetNextId(old_next_id),
    ]))
}

/// Adds `new` items (whose ids are not in `items`) keeping `items` sorted.
fn merge_sorted<T>(items: &mut Vec<T>, new: Vec<T>, key: impl Fn(&T) -> Id + Copy) {
    match new.len() {
        0 => {}
        1 => {
            for item in new {
                insert_sorted(items, item, key);
            }
        }
        _ => {
            items.extend(new);
            items.sort_by_key(key);
        }
    }
}

fn remove(diagram: &mut Diagram, ids: &[Id]) -> Result<Edit, EditError> {
    if let Some(&id) = ids.iter().find(|&&id| !diagram.contains(id)) {
        return Err(EditError::UnknownId(id));
    }
    let mut doomed: Vec<Id> = ids.to_vec();
    doomed.sort_unstable();
    doomed.dedup();
    let is_doomed = |id: &Id| doomed.binary_search(id).is_ok();
    // Connections attached to a removed component cannot stay.
    let attached: Vec<Id> = diagram
        .connections
        .iter()
        .filter(|c| is_doomed(&c.from) || is_doomed(&c.to))
        .map(|c| c.id)
        .collect();
    doomed.extend(attached);
    doomed.sort_unstable();
    doomed.dedup();
    let is_doomed = |id: &Id| doomed.binary_search(id).is_ok();

    let removed = Items {
        components: take_where(&mut diagram.components, |c| is_doomed(&c.id)),
        connections: take_where(&mut diagram.connections, |c| is_doomed(&c.id)),
        groups: take_where(&mut diagram.groups, |g| is_doomed(&g.id)),
        notes: take_where(&mut diagram.notes, |n| is_doomed(&n.id)),
    };
    let mut inverse = vec![Edit::Insert(removed)];

    let refers = |s: &Subject| s.id().is_some_and(|id| is_doomed(&id));
    if diagram.decisions.iter().any(|d| refers(&d.subject)) {
        let old = diagram.decisions.clone();
        diagram.decisions.retain(|d| !refers(&d.subject));
        inverse.push(Edit::SetDecisions(old));
    }
    if diagram
        .steps
        .iter()
        .any(|s| s.revealed.iter().any(&is_doomed))
    {
        let old = diagram.steps.clone();
        for step in &mut diagram.steps {
            step.revealed.retain(|id| !is_doomed(id));
        }
        inverse.push(Edit::SetSteps(old));
    }
    Ok(Edit::Batch(inverse))
}

/// Moves the items matching `doomed` out of `items`, keeping order.
fn take_where<T>(items: &mut Vec<T>, doomed: impl Fn(&T) -> bool) -> Vec<T> {
    let (taken, kept): (Vec<T>, Vec<T>) = std::mem::take(items).into_iter().partition(doomed);
    *items = kept;
    taken
}

fn set_positions(diagram: &mut Diagram, moves: Vec<(Id, Point)>) -> Result<Edit, EditError> {
    // Validate first so a bad id changes nothing.
    if let Some((id, _)) = moves
        .iter()
        .find(|(id, _)| diagram.item(*id).and_then(|item| item.origin()).is_none())
    {
        return Err(EditError::UnknownId(*id));
    }
    if let Some((id, _)) = moves.iter().find(|(_, p)| !point_is_finite(*p)) {
        return Err(EditError::NotFinite(*id));
    }
    let mut old = Vec::with_capacity(moves.len());
    for (id, to) in moves {
        if let Ok(c) = slot(&mut diagram.components, id, |c| c.id) {
            old.push((id, std::mem::replace(&mut c.position, to)));
        } else if let Ok(g) = slot(&mut diagram.groups, id, |g| g.id) {
            old.push((id, g.rect.min()));
            g.rect.x = to.x;
            g.rect.y = to.y;
        } else if let Ok(n) = slot(&mut diagram.notes, id, |n| n.id) {
            old.push((id, n.rect.min()));
            n.rect.x = to.x;
            n.rect.y = to.y;
        }
    }
    // Undo in reverse so repeated ids in one edit restore the first position.
    old.reverse();
    Ok(Edit::SetPositions(old))
}

fn set_decision(
    diagram: &mut Diagram,
    rule_id: String,
    subject: Subject,
    decision: Option<Decision>,
) -> Result<Edit, EditError> {
    if let Some(new) = &decision {
        if new.rule_id != rule_id || new.subject != subject {
            return Err(EditError::DecisionMismatch { rule_id });
        }
        if !validate::subject_exists(diagram, subject) {
            return Err(EditError::UnknownSubject { rule_id });
        }
    }
    let key = |d: &Decision| (d.rule_id.clone(), d.subject);
    let position = diagram
        .decisions
        .binary_search_by_key(&(rule_id.clone(), subject), key);
    let old = match (position, decision) {
        (Ok(i), Some(new)) => Some(std::mem::replace(&mut diagram.decisions[i], new)),
        (Ok(i), None) => Some(diagram.decisions.remove(i)),
        (Err(i), Some(new)) => {
            diagram.decisions.insert(i, new);
            None
        }
        (Err(_), None) => None,
    };
    Ok(Edit::SetDecision {
        rule_id,
        subject,
        decision: old,
    })
}

/// Replaces every decision. The list is kept in (rule id, subject) order,
/// which [`set_decision`]'s binary search relies on.
fn set_decisions(diagram: &mut Diagram, mut decisions: Vec<Decision>) -> Result<Edit, EditError> {
    decisions.sort_by(|a, b| (&a.rule_id, a.subject).cmp(&(&b.rule_id, b.subject)));
    if let Some(pair) = decisions
        .windows(2)
        .find(|w| (&w[0].rule_id, w[0].subject) == (&w[1].rule_id, w[1].subject))
    {
        return Err(EditError::DuplicateDecision {
            rule_id: pair[0].rule_id.clone(),
        });
    }
    if let Some(d) = decisions
        .iter()
        .find(|d| !validate::subject_exists(diagram, d.subject))
    {
        return Err(EditError::UnknownSubject {
            rule_id: d.rule_id.clone(),
        });
    }
    Ok(Edit::SetDecisions(std::mem::replace(
        &mut diagram.decisions,
        decisions,
    )))
}
