//! One open design: the diagram, its undo history, its identity and revision,
//! and where it lives on disk. Only [`super::Session`] holds a document, and
//! the diagram inside is private: every change is an edit recorded here.

use std::path::PathBuf;

use super::derived::{DocKey, DocumentId};
use super::history::{History, HistoryError, MergeKey, Replayed, Selection};
use crate::model::Diagram;
use crate::model::edit::{Edit, EditError};

/// One open design.
#[derive(Debug)]
pub struct Document {
    diagram: Diagram,
    history: History,
    id: DocumentId,
    /// Increases on every change of the diagram.
    revision: u64,
    /// The history state that matches the file on disk (`None`: never saved;
    /// `Some(u64::MAX)`: matches no state, as after a restore).
    saved_state: Option<u64>,
    path: Option<PathBuf>,
}

impl Default for Document {
    fn default() -> Self {
        Self::new(Diagram::default())
    }
}

impl Document {
    /// A document for a diagram that has not been saved anywhere.
    pub fn new(diagram: Diagram) -> Self {
        Self {
            diagram,
            history: History::default(),
            id: DocumentId::fresh(),
            revision: 1,
            saved_state: None,
            path: None,
        }
    }

    /// A document that matches the file at `path`.
    pub fn from_file(diagram: Diagram, path: PathBuf) -> Self {
        let mut doc = Self::new(diagram);
        doc.path = Some(path);
        doc.saved_state = Some(doc.history.state());
        doc
    }

    /// A document restored from a recovery file: it may know its file, but
    /// its contents are not saved there, so it starts dirty.
    pub fn restored(diagram: Diagram, path: Option<PathBuf>) -> Self {
        let mut doc = Self::new(diagram);
        doc.path = path;
        doc.saved_state = Some(u64::MAX);
        doc
    }

    /// One moment of a replayed session: every moment of one replay shares
    /// the identity `id`, and `revision` names the moment, so derived data
    /// (findings, the canvas's indexes) is recomputed exactly when the
    /// moment shown changes.
    pub(super) fn replayed(diagram: Diagram, id: DocumentId, revision: u64) -> Self {
        let mut doc = Self::new(diagram);
        doc.id = id;
        doc.revision = revision;
        doc
    }

    pub fn diagram(&self) -> &Diagram {
        &self.diagram
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn id(&self) -> DocumentId {
        self.id
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The state derived data is keyed on.
    pub fn key(&self) -> DocKey {
        DocKey {
            document: self.id,
            revision: self.revision,
        }
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// True when the diagram differs from the file it came from (or was
    /// never saved and has been edited).
    pub fn is_dirty(&self) -> bool {
        match self.saved_state {
            Some(state) => state != self.history.state(),
            None => self.history.state() != 0,
        }
    }

    /// Records that the current state is what is on disk at `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.saved_state = Some(self.history.state());
        self.history.seal();
    }

    /// Applies one edit as its own undo step (or merged into the open
    /// gesture when `merge` matches it). Returns the edit's inverse.
    pub fn apply(
        &mut self,
        label: &str,
        edit: Edit,
        merge: Option<MergeKey>,
        selection: (&Selection, &Selection),
    ) -> Result<Edit, EditError> {
        let inverse = self
            .history
            .apply(&mut self.diagram, label, edit, merge, selection)?;
        self.revision += 1;
        Ok(inverse)
    }

    /// Ends a multi-edit gesture (a text field lost focus, a drag ended).
    pub fn end_gesture(&mut self) {
        self.history.seal();
    }

    pub fn undo(&mut self) -> Result<Replayed, HistoryError> {
        let replayed = self.history.undo(&mut self.diagram)?;
        self.revision += 1;
        Ok(replayed)
    }

    pub fn redo(&mut self) -> Result<Replayed, HistoryError> {
        let replayed = self.history.redo(&mut self.diagram)?;
        self.revision += 1;
        Ok(replayed)
    }
}
