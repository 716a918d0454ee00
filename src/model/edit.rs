//! The one way to change a [`Diagram`].
//!
//! [`Edit::apply`] changes the diagram and returns the edit that undoes it, so
//! history is a stack of inverse edits. Applying an edit is all-or-nothing: an
//! edit that fails (an unknown id, a duplicate id, a connection to nothing)
//! leaves the diagram exactly as it was.

use serde::{Deserialize, Serialize};
use thiserror::Error;

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
}

impl Edit {
    /// Applies the edit and returns its inverse. On error nothing changed.
    pub fn apply(self, diagram: &mut Diagram) -> Result<Edit, EditError> {
        match self {
            Edit::Insert(items) => insert(diagram, items),
            Edit::Remove(ids) => remove(diagram, &ids),
            Edit::SetPositions(moves) => set_positions(diagram, moves),
            Edit::UpdateComponent(new) => {
                let slot = slot(&mut diagram.components, new.id, |c| c.id)?;
                Ok(Edit::UpdateComponent(std::mem::replace(slot, new)))
            }
            Edit::UpdateConnection(new) => {
                check_connection(diagram, &new, &[])?;
                let slot = slot(&mut diagram.connections, new.id, |c| c.id)?;
                Ok(Edit::UpdateConnection(std::mem::replace(slot, new)))
            }
            Edit::UpdateGroup(new) => {
                let slot = slot(&mut diagram.groups, new.id, |g| g.id)?;
                Ok(Edit::UpdateGroup(std::mem::replace(slot, new)))
            }
            Edit::UpdateNote(new) => {
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
            } => Ok(set_decision(diagram, rule_id, subject, decision)),
            Edit::SetDecisions(decisions) => Ok(Edit::SetDecisions(std::mem::replace(
                &mut diagram.decisions,
                decisions,
            ))),
            Edit::SetSteps(steps) => {
                Ok(Edit::SetSteps(std::mem::replace(&mut diagram.steps, steps)))
            }
            Edit::SetNextId(next) => Ok(Edit::SetNextId(std::mem::replace(
                &mut diagram.next_id,
                next,
            ))),
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

/// Checks that a connection's ends exist, in the diagram or among `incoming`.
fn check_connection(
    diagram: &Diagram,
    connection: &Connection,
    incoming: &[Component],
) -> Result<(), EditError> {
    if connection.from == connection.to {
        return Err(EditError::SelfConnection(connection.id));
    }
    for end in [connection.from, connection.to] {
        let exists = diagram.component(end).is_some() || incoming.iter().any(|c| c.id == end);
        if !exists {
            return Err(EditError::DanglingConnection {
                connection: connection.id,
                component: end,
            });
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
    for connection in &items.connections {
        check_connection(diagram, connection, &items.components)?;
    }
    let old_next_id = diagram.next_id;
    for c in items.components {
        insert_sorted(&mut diagram.components, c, |c| c.id);
    }
    for c in items.connections {
        insert_sorted(&mut diagram.connections, c, |c| c.id);
    }
    for g in items.groups {
        insert_sorted(&mut diagram.groups, g, |g| g.id);
    }
    for n in items.notes {
        insert_sorted(&mut diagram.notes, n, |n| n.id);
    }
    if let Some(max) = ids.last() {
        diagram.next_id = diagram.next_id.max(max.0 + 1);
    }
    Ok(Edit::Batch(vec![
        Edit::Remove(ids),
        Edit::SetNextId(old_next_id),
    ]))
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
) -> Edit {
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
    Edit::SetDecision {
        rule_id,
        subject,
        decision: old,
    }
}
