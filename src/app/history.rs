//! Undo and redo as stacks of inverse edits.
//!
//! One entry is one user gesture. Gestures that arrive as many small edits
//! (typing a name, dragging a number) pass a [`MergeKey`]: consecutive edits
//! with the same key fold into the open entry until [`History::seal`] closes
//! it, so undo takes the whole gesture back at once.
//!
//! Limits: the stacks are capped at [`History::LIMIT`] entries; the oldest
//! entries are dropped first.

use crate::model::{Diagram, Id, edit::Edit, edit::EditError};

/// Identifies a gesture that may span several edits: the item and the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergeKey {
    pub item: Option<Id>,
    pub field: &'static str,
}

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

    /// Applies `edit` to `diagram` and records it. Returns the error, and
    /// records nothing, when the edit cannot be applied.
    pub fn apply(
        &mut self,
        diagram: &mut Diagram,
        label: impl Into<String>,
        edit: Edit,
        merge: Option<MergeKey>,
    ) -> Result<(), EditError> {
        let inverse = edit.clone().apply(diagram)?;
        self.redo.clear();
        self.next_state += 1;
        let state = self.next_state;
        if let (true, Some(key), Some(top)) = (self.open, merge, self.undo.last_mut())
            && top.merge == Some(key)
        {
            top.forward.push(edit);
            top.inverse.insert(0, inverse);
            top.state = state;
            return Ok(());
        }
        self.undo.push(Entry {
            label: label.into(),
            forward: vec![edit],
            inverse: vec![inverse],
            merge,
            state,
        });
        self.open = merge.is_some();
        if self.undo.len() > Self::LIMIT {
            self.undo.remove(0);
        }
        Ok(())
    }

    /// Ends the current gesture: the next edit starts a new undo step.
    pub fn seal(&mut self) {
        self.open = false;
    }

    /// Undoes the last gesture. Returns its label, or `None` when there is
    /// nothing to undo.
    pub fn undo(&mut self, diagram: &mut Diagram) -> Option<String> {
        self.open = false;
        let entry = self.undo.pop()?;
        if let Err(err) = apply_all(diagram, &entry.inverse) {
            // Cannot happen while every change goes through this history; if
            // it does, drop the entry rather than corrupt the redo stack.
            debug_assert!(false, "undo failed: {err}");
            return None;
        }
        let label = entry.label.clone();
        self.redo.push(entry);
        Some(label)
    }

    /// Redoes the last undone gesture.
    pub fn redo(&mut self, diagram: &mut Diagram) -> Option<String> {
        self.open = false;
        let entry = self.redo.pop()?;
        if let Err(err) = apply_all(diagram, &entry.forward) {
            debug_assert!(false, "redo failed: {err}");
            return None;
        }
        let label = entry.label.clone();
        self.undo.push(entry);
        Some(label)
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

    pub fn clear(&mut self) {
        *self = Self {
            next_state: self.next_state,
            ..Self::default()
        };
    }
}

fn apply_all(diagram: &mut Diagram, edits: &[Edit]) -> Result<(), EditError> {
    // All-or-nothing as one batch.
    Edit::Batch(edits.to_vec()).apply(diagram).map(|_| ())
}
