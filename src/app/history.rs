//! Undo and redo as stacks of inverse edits.
//!
//! One entry is one user gesture. Gestures that arrive as many small edits
//! (typing a name, dragging a number) pass a [`MergeKey`]: consecutive edits
//! with the same key fold into the open entry until [`History::seal`] closes
//! it, so undo takes the whole gesture back at once. Each entry remembers
//! the selection before and after the gesture, so undo and redo put the
//! selection back where it was.
//!
//! Limits: the stacks are capped at [`History::LIMIT`] entries; the oldest
//! entries are dropped first. Only this window's own edits are recorded:
//! changes from other origins (a remote viewer) never touch the diagram
//! (see `app::command::Origin`), so they cannot be undone from here.

use std::collections::BTreeSet;

use crate::model::{Diagram, Id, edit::Edit, edit::EditError};

/// Identifies a gesture that may span several edits: the item and the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergeKey {
    pub item: Option<Id>,
    pub field: &'static str,
}

/// The selection as it was around a gesture.
pub type Selection = BTreeSet<Id>;

#[derive(Clone, Debug)]
struct Entry {
    label: String,
    /// Edits to redo, in order.
    forward: Vec<Edit>,
    /// Edits that undo the entry, in order.
    inverse: Vec<Edit>,
    merge: Option<MergeKey>,
    /// Identifies the diagram state after this entry (for the dirty flag).
    state: u64,
    selection_before: Selection,
    selection_after: Selection,
}

/// What undo or redo did: the entry's label, the edit that was applied
/// (as one batch), the edit that takes it back, and the selection to show.
#[derive(Clone, Debug)]
pub struct Replayed {
    pub label: String,
    pub applied: Edit,
    pub inverse: Edit,
    pub selection: Selection,
}

/// Why undo or redo did nothing. The diagram and both stacks are unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    #[error("there is nothing to undo")]
    NothingToUndo,
    #[error("there is nothing to redo")]
    NothingToRedo,
    #[error("“{label}” cannot be undone: {source}")]
    UndoFailed { label: String, source: EditError },
    #[error("“{label}” cannot be redone: {source}")]
    RedoFailed { label: String, source: EditError },
}

/// The undo and redo stacks of one document.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    /// Whether the top undo entry may still absorb edits with its merge key.
    open: bool,
    next_state: u64,
}

impl History {
    pub const LIMIT: usize = 500;

    /// Applies `edit` to `diagram` and records it, with the selection before
    /// and after. Returns the inverse of this one edit, or the error (and
    /// records nothing) when the edit cannot be applied.
    pub fn apply(
        &mut self,
        diagram: &mut Diagram,
        label: impl Into<String>,
        edit: Edit,
        merge: Option<MergeKey>,
        selection: (&Selection, &Selection),
    ) -> Result<Edit, EditError> {
        let inverse = edit.clone().apply(diagram)?;
        let (before, after) = selection;
        self.redo.clear();
        self.next_state += 1;
        let state = self.next_state;
        if let (true, Some(key), Some(top)) = (self.open, merge, self.undo.last_mut())
            && top.merge == Some(key)
        {
            top.forward.push(edit);
            top.inverse.insert(0, inverse.clone());
            top.state = state;
            top.selection_after.clone_from(after);
            return Ok(inverse);
        }
        self.undo.push(Entry {
            label: label.into(),
            forward: vec![edit],
            inverse: vec![inverse.clone()],
            merge,
            state,
            selection_before: before.clone(),
            selection_after: after.clone(),
        });
        self.open = merge.is_some();
        if self.undo.len() > Self::LIMIT {
            self.undo.remove(0);
        }
        Ok(inverse)
    }

    /// Ends the current gesture: the next edit starts a new undo step.
    pub fn seal(&mut self) {
        self.open = false;
    }

    /// Undoes the last gesture. When its inverse cannot be applied (the
    /// diagram was changed behind the history's back), the entry stays on
    /// the stack and the diagram is unchanged.
    pub fn undo(&mut self, diagram: &mut Diagram) -> Result<Replayed, HistoryError> {
        self.open = false;
        replay(&mut self.undo, &mut self.redo, diagram, Direction::Back)
    }

    /// Redoes the last undone gesture; like [`History::undo`], a failure
    /// keeps the entry and changes nothing.
    pub fn redo(&mut self, diagram: &mut Diagram) -> Result<Replayed, HistoryError> {
        self.open = false;
        replay(&mut self.redo, &mut self.undo, diagram, Direction::Forward)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|e| e.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|e| e.label.as_str())
    }

    /// An id for the current diagram state: equal ids mean equal diagrams
    /// (as far as this history knows). Used for the unsaved-changes flag.
    pub fn state(&self) -> u64 {
        self.undo.last().map_or(0, |e| e.state)
    }
}

/// Which way a replayed entry goes.
#[derive(Clone, Copy)]
enum Direction {
    Back,
    Forward,
}

/// Applies the top entry of `from` to `diagram` (its inverse going back,
/// its edits going forward) and moves it onto `to`; a failure leaves both
/// stacks and the diagram as they were.
fn replay(
    from: &mut Vec<Entry>,
    to: &mut Vec<Entry>,
    diagram: &mut Diagram,
    direction: Direction,
) -> Result<Replayed, HistoryError> {
    let Some(entry) = from.last() else {
        return Err(match direction {
            Direction::Back => HistoryError::NothingToUndo,
            Direction::Forward => HistoryError::NothingToRedo,
        });
    };
    let (edits, selection) = match direction {
        Direction::Back => (&entry.inverse, &entry.selection_before),
        Direction::Forward => (&entry.forward, &entry.selection_after),
    };
    let applied = Edit::Batch(edits.clone());
    let inverse = applied.clone().apply(diagram).map_err(|source| {
        let label = entry.label.clone();
        match direction {
            Direction::Back => HistoryError::UndoFailed { label, source },
            Direction::Forward => HistoryError::RedoFailed { label, source },
        }
    })?;
    let replayed = Replayed {
        label: entry.label.clone(),
        applied,
        inverse,
        selection: selection.clone(),
    };
    if let Some(entry) = from.pop() {
        to.push(entry);
    }
    Ok(replayed)
}
