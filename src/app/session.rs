//! The session: the open document and everything derived from it, and the
//! one door every change goes through.
//!
//! [`Session::execute`] takes a [`Command`] from anywhere (a menu, a
//! shortcut, a panel, a canvas gesture, a remote viewer), applies it through
//! the document's history, refreshes the derived data for the new
//! (document, revision) key, and emits one entry to the command log. The
//! UI reads the session and sends commands; it has no other way in.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::clock::{Clock, SystemClock, Timestamp};
use super::command::{Command, Origin, PresentCommand, SelectionChange, TimerCommand};
use super::derived::{Derived, DocKey};
use super::document::Document;
use super::files::FileFlow;
use super::history::{HistoryError, MergeKey, Selection};
use super::log::{Change, CommandLog};
use super::present::{revealed, step_from_selection};
use super::whatif::{RaisedProbes, WhatIf, WhatIfCommand};
use crate::catalog::default_connection_kind;
use crate::interview::{InterviewSession, Probe, probes_from};
use crate::model::edit::{Edit, EditError};
use crate::model::{
    COMPONENT_SIZE, Component, ComponentKind, Connection, Decision, DecisionStatus, Diagram, Group,
    Id, Item, ItemRef, Items, Note, Point, Policy, Rect, Subject,
};
use crate::rules::{self, Finding, Severity};

/// Spacing of the snap grid, in canvas units.
pub const GRID: f32 = 20.0;

/// How far each paste is offset from the copied items, in canvas units.
const PASTE_OFFSET: f32 = 40.0;

/// Room around the cards a new group wraps: the title bar on top, a margin
/// on every side.
const GROUP_TITLE_ROOM: f32 = 28.0;
const GROUP_MARGIN: f32 = 20.0;

/// Why a command did nothing. The design, the selection and the history are
/// as they were.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error("the design is locked while presenting (Esc leaves present mode)")]
    Presenting,
    #[error("a viewer of the interviewer link cannot change the design")]
    NotAllowed,
    #[error(transparent)]
    Remote(#[from] crate::interview::RemoteError),
    #[error("{rule_id} is not an open finding on that item any more")]
    NoSuchFinding { rule_id: String },
    #[error("{rule_id} has no quick fix")]
    NoQuickFix { rule_id: String },
    #[error("nothing is selected")]
    NothingSelected,
    #[error("no interview session is being recorded")]
    NoSession,
    #[error("there is no recorded session {0}")]
    NoSuchSession(usize),
    #[error("a comment needs some text")]
    EmptyComment,
    /// A what-if scenario that does not fit the design.
    #[error("{0}")]
    Scenario(String),
    /// A file could not be opened, saved or written; the open design and the
    /// file on disk are unchanged.
    #[error("{0}")]
    File(String),
}

impl CommandError {
    /// File errors get a dialog; everything else a line in the status bar.
    pub fn is_file_error(&self) -> bool {
        matches!(self, Self::File(_))
    }
}

/// What a successful command produced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The item the command created or found (add, connect).
    pub created: Option<Id>,
}

/// A short message for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
    pub at: Timestamp,
}

/// The checklist of the current document state.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    /// Every finding, open and accepted, in check order.
    pub findings: Vec<Finding>,
    /// Open findings by severity: errors, warnings, infos.
    pub open_counts: [usize; 3],
}

impl Checked {
    fn of(diagram: &Diagram) -> Self {
        let findings = rules::check(diagram);
        let review = rules::review(diagram, &findings);
        let open_counts = [
            review.open_count(Severity::Error),
            review.open_count(Severity::Warning),
            review.open_count(Severity::Info),
        ];
        Self {
            findings,
            open_counts,
        }
    }
}

/// The open design and everything that belongs to working on it.
///
/// The document inside is private: [`Session::execute`] is the only way to
/// change it.
///
/// ```compile_fail
/// let session = archboard::app::Session::default();
/// let document = &session.doc;
/// ```
#[derive(Debug)]
pub struct Session {
    doc: Document,
    selection: Selection,
    clipboard: Option<Items>,
    /// How many times the clipboard has been pasted (each paste shifts further).
    pastes: u32,
    snap_to_grid: bool,
    pub(super) interview: InterviewSession,
    /// The step shown while presenting (`None`: not presenting).
    present_step: Option<usize>,
    checked: Derived<Checked>,
    /// The design's own probes.
    probes: Derived<Vec<Probe>>,
    /// What-if mode, while it is on (view state, like the selection).
    whatif: Option<WhatIf>,
    /// Every question the what-if scenarios raised in this session.
    raised: RaisedProbes,
    /// The what-if questions shown with the design's probes.
    shown_whatif: Vec<Probe>,
    /// The design's probes followed by `shown_whatif`.
    all_probes: Vec<Probe>,
    /// `all_probes` must be rebuilt (a rating, a scenario, the design).
    probes_stale: bool,
    pub(super) files: FileFlow,
    /// Recorded interview sessions of this design (`app::sessions`).
    pub(super) sessions: super::sessions::Sessions,
    log: CommandLog,
    clock: Arc<dyn Clock>,
    status: Option<Status>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new(Document::default())
    }
}

impl Session {
    /// A session on `doc`, with the system clock and no autosave.
    pub fn new(doc: Document) -> Self {
        let mut session = Self {
            doc,
            selection: Selection::new(),
            clipboard: None,
            pastes: 0,
            snap_to_grid: true,
            interview: InterviewSession::new(),
            present_step: None,
            checked: Derived::default(),
            probes: Derived::default(),
            whatif: None,
            raised: RaisedProbes::default(),
            shown_whatif: Vec::new(),
            all_probes: Vec::new(),
            probes_stale: true,
            files: FileFlow::default(),
            sessions: Default::default(),
            log: CommandLog::default(),
            clock: Arc::new(SystemClock),
            status: None,
        };
        session.refresh();
        session.load_sessions();
        session
    }

    /// The same session reading the time from `clock` (tests, replays).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    // ----- Reading -----

    pub fn diagram(&self) -> &Diagram {
        self.doc.diagram()
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The (document, revision) key that derived data is computed for.
    pub fn key(&self) -> DocKey {
        self.doc.key()
    }

    pub fn selection(&self) -> &BTreeSet<Id> {
        &self.selection
    }

    pub fn is_selected(&self, id: Id) -> bool {
        self.selection.contains(&id)
    }

    pub fn has_clipboard(&self) -> bool {
        self.clipboard.is_some()
    }

    pub fn snap_to_grid(&self) -> bool {
        self.snap_to_grid
    }

    pub fn is_dirty(&self) -> bool {
        self.doc.is_dirty()
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.doc.history().undo_label()
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.doc.history().redo_label()
    }

    /// The checklist of the current design (always of this document and
    /// revision: it is refreshed by every command).
    pub fn checked(&self) -> &Checked {
        self.checked.value()
    }

    pub fn findings(&self) -> &[Finding] {
        &self.checked().findings
    }

    /// The interviewer's probes for the current design: its own, then the
    /// questions of the what-if scenario shown and of earlier scenarios the
    /// interviewer noted something on.
    pub fn probes(&self) -> &[Probe] {
        &self.all_probes
    }

    /// The what-if questions among [`Session::probes`].
    pub fn scenario_probes(&self) -> &[Probe] {
        &self.shown_whatif
    }

    /// What-if mode, while it is on: the scenario and its outcome on the
    /// current design.
    pub fn whatif(&self) -> Option<&WhatIf> {
        self.whatif.as_ref()
    }

    pub fn interview(&self) -> &InterviewSession {
        &self.interview
    }

    pub fn is_presenting(&self) -> bool {
        self.present_step.is_some()
    }

    pub fn present_step(&self) -> Option<usize> {
        self.present_step
    }

    /// What present mode shows at the current step (`None`: everything).
    pub fn revealed(&self) -> Option<std::collections::HashSet<Id>> {
        self.present_step
            .and_then(|step| revealed(self.diagram(), step))
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// The time by the session's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Receives every command applied from now on (see [`CommandLog`]).
    pub fn subscribe(&mut self) -> std::sync::mpsc::Receiver<Arc<super::log::LogEntry>> {
        self.log.subscribe()
    }

    /// Where `ids` would land if moved by (`dx`, `dy`), snapping included:
    /// the canvas previews a drag with this before it commits it.
    pub fn moved_positions(&self, ids: &[Id], dx: f32, dy: f32) -> Vec<(Id, Point)> {
        let diagram = self.diagram();
        let starts: Vec<(Id, Point)> = ids
            .iter()
            .filter_map(|&id| Some((id, diagram.item(id)?.origin()?)))
            .collect();
        let Some(&(_, anchor)) = starts.first() else {
            return Vec::new();
        };
        let target = self.place(anchor.offset(dx, dy));
        let (dx, dy) = (target.x - anchor.x, target.y - anchor.y);
        if dx == 0.0 && dy == 0.0 {
            return Vec::new();
        }
        starts
            .into_iter()
            .map(|(id, p)| (id, p.offset(dx, dy)))
            .collect()
    }

    /// A point on the snap grid when snapping is on.
    pub fn place(&self, p: Point) -> Point {
        if self.snap_to_grid { snap(p) } else { p }
    }

    // ----- The door -----

    /// Runs a command from this window.
    pub fn execute(&mut self, command: Command) -> Result<Outcome, CommandError> {
        self.execute_from(Origin::Local, command)
    }

    /// Runs a command from `origin`. On success the derived data matches
    /// the new state and the command log has one more entry; on error
    /// nothing changed.
    pub fn execute_from(
        &mut self,
        origin: Origin,
        command: Command,
    ) -> Result<Outcome, CommandError> {
        if origin != Origin::Local && !command.allowed_from_remote() {
            return Err(CommandError::NotAllowed);
        }
        if self.is_presenting() && edits_the_design(&command) {
            return Err(CommandError::Presenting);
        }
        let interview_before = self.interview_before(&command);
        let (outcome, change) = self.run(&command)?;
        self.refresh();
        if !command.is_local_view() {
            let at = self.now();
            self.record(at, origin, &command, &change, interview_before);
            let document = self.doc.id().get();
            self.log.emit(at, origin, document, command, change);
        }
        Ok(outcome)
    }

    /// Runs a command from this window and shows a failure to the user (a
    /// dialog for file errors, the status bar otherwise) instead of
    /// returning it. This is what the UI calls.
    pub fn send(&mut self, command: Command) -> Option<Outcome> {
        match self.execute(command) {
            Ok(outcome) => Some(outcome),
            Err(err) => {
                self.show_error(&err);
                None
            }
        }
    }

    pub(super) fn show_error(&mut self, err: &CommandError) {
        if err.is_file_error() {
            self.files.error = Some(err.to_string());
        } else if let CommandError::Scenario(message) = err {
            self.set_error(format!("What if: {message}"));
        } else {
            self.set_error(format!("Could not change the design: {err}"));
        }
    }

    /// Shows a message in the status bar (also for the UI's own work, such
    /// as copying a picture to the system clipboard).
    pub fn set_status(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: false,
            at: self.now(),
        });
    }

    /// Shows a problem in the status bar.
    pub fn set_error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: true,
            at: self.now(),
        });
    }

    /// Records that the design is now what is on disk at `path`.
    pub(super) fn mark_saved(&mut self, path: std::path::PathBuf) {
        self.doc.mark_saved(path);
    }

    /// Brings every derived value up to the current (document, revision).
    fn refresh(&mut self) {
        let key = self.doc.key();
        let diagram = self.doc.diagram();
        let checked = self.checked.get(key, || Checked::of(diagram));
        if self.probes.key() != Some(key) {
            self.probes_stale = true;
        }
        self.probes
            .get(key, || probes_from(diagram, &checked.findings));
        let mut message = None;
        if let Some(whatif) = &mut self.whatif {
            let (recomputed, said) = whatif.refresh(key, diagram, &checked.findings);
            if recomputed {
                self.raised.remember(whatif.probes());
                self.probes_stale = true;
            }
            message = said;
        }
        if let Some(message) = message {
            self.set_error(message);
        }
        if self.probes_stale {
            let current = self.whatif.as_ref().map_or(&[][..], WhatIf::probes);
            let records = &self.interview.records;
            self.shown_whatif = self.raised.shown(current, |key| {
                records.get(key).is_some_and(|r| !r.is_empty())
            });
            self.all_probes.clone_from(self.probes.value());
            self.all_probes.extend(self.shown_whatif.iter().cloned());
            self.probes_stale = false;
        }
    }

    /// Shows `doc` instead of the current document. Everything derived from
    /// the old one is recomputed, the selection and present mode end.
    pub(super) fn replace_document(&mut self, doc: Document) -> Change {
        self.doc = doc;
        self.selection.clear();
        self.present_step = None;
        self.whatif = None;
        // The old design's scenario questions (even rated ones) name its
        // components: none of them belongs to the new design.
        self.raised = RaisedProbes::default();
        self.probes_stale = true;
        self.pastes = 0;
        self.refresh();
        Change::Replaced {
            diagram: Box::new(self.diagram().clone()),
        }
    }

    fn run(&mut self, command: &Command) -> Result<(Outcome, Change), CommandError> {
        let none = |outcome| Ok((outcome, Change::None));
        match command {
            Command::AddComponent { kind, near } => self.add_component(*kind, *near, None),
            Command::AddNamed { kind, name, near } => {
                self.add_component(*kind, *near, Some(name.clone()))
            }
            Command::AddConnected { from, kind, name } => {
                self.add_connected(*from, *kind, name.clone())
            }
            Command::Tidy { ids } => self.tidy(ids.as_deref()),
            Command::Align(alignment) => self.align(*alignment),
            Command::Distribute(axis) => self.distribute(*axis),
            Command::SetPropertyOfMany { ids, key, value } => {
                self.set_property_of_many(ids, *key, value)
            }
            Command::ApplyAllFixes { category } => self.apply_all_fixes(*category),
            Command::AddGroup { kind, rect } => {
                let rect = self.wrapping_selection().unwrap_or(*rect);
                let id = self.diagram().next_free_id();
                let group = Group {
                    id,
                    kind: *kind,
                    label: kind.label().to_owned(),
                    rect,
                };
                self.insert_one("Add group", Item::Group(group))
            }
            Command::AddNote { rect } => {
                let id = self.diagram().next_free_id();
                let note = Note {
                    id,
                    text: "Trade-off: ".to_owned(),
                    rect: *rect,
                };
                self.insert_one("Add note", Item::Note(note))
            }
            Command::Connect { from, to } => self.connect(*from, *to),
            Command::Delete(ids) => self.delete(ids.clone()),
            Command::DeleteSelection => self.delete(self.selection.iter().copied().collect()),
            Command::MoveBy { ids, dx, dy } => self.move_by(ids, *dx, *dy),
            Command::Place(moves) => {
                let d = self.diagram();
                let moves: Vec<(Id, Point)> = moves
                    .iter()
                    .copied()
                    .filter(|(id, to)| d.item(*id).and_then(|i| i.origin()) != Some(*to))
                    .collect();
                if moves.is_empty() {
                    return none(Outcome::default());
                }
                let label = if moves.len() == 1 {
                    "Move"
                } else {
                    "Move items"
                };
                self.apply(label, Edit::SetPositions(moves), None, None)
                    .map(done)
            }
            Command::MoveSelection { dx, dy } => {
                let ids: Vec<Id> = self.selection.iter().copied().collect();
                self.move_by(&ids, *dx, *dy)
            }
            Command::Resize { id, rect } => {
                let item = self.item(*id)?;
                if !matches!(item, Item::Group(_) | Item::Note(_)) {
                    return Err(EditError::UnknownId(*id).into());
                }
                let edit = item.with_rect(*rect).into_update();
                self.apply("Resize", edit, None, None).map(done)
            }
            Command::Rename { id, text } => {
                let edit = self.item(*id)?.with_text(text).into_update();
                let merge = MergeKey {
                    item: Some(*id),
                    field: "name",
                };
                self.apply("Rename", edit, Some(merge), None).map(done)
            }
            Command::SetProperty { id, key, value } => {
                let Some(c) = self.diagram().component(*id) else {
                    return Err(EditError::UnknownId(*id).into());
                };
                if c.properties.value(*key).as_ref() == Some(value) {
                    return none(Outcome::default());
                }
                let mut new = c.clone();
                if !new.properties.set(*key, value.clone()) {
                    return none(Outcome::default());
                }
                let label = format!("Change {}", key.label().to_lowercase());
                let merge = MergeKey {
                    item: Some(*id),
                    field: key.label(),
                };
                self.apply(&label, Edit::UpdateComponent(new), Some(merge), None)
                    .map(done)
            }
            Command::Update(item) => {
                let id = item.id();
                let label = match item {
                    Item::Component(_) => "Change component",
                    Item::Connection(_) => "Change connection",
                    Item::Group(_) => "Change group",
                    Item::Note(_) => "Edit note",
                };
                let merge = MergeKey {
                    item: Some(id),
                    field: "form",
                };
                self.apply(label, item.clone().into_update(), Some(merge), None)
                    .map(done)
            }
            Command::SetTitle(title) => self
                .apply_design_field("Rename design", "title", Edit::SetTitle(title.clone()))
                .map(done),
            Command::SetRequirements(requirements) => {
                let field = requirements.changed_field(&self.diagram().requirements);
                let edit = Edit::SetRequirements(requirements.clone());
                self.apply_design_field("Change requirements", field, edit)
                    .map(done)
            }
            Command::SetSteps(steps) => self
                .apply_design_field("Change steps", "steps", Edit::SetSteps(steps.clone()))
                .map(done),
            Command::AddStepFromSelection => {
                if self.selection.is_empty() {
                    return Err(CommandError::NothingSelected);
                }
                let mut steps = self.diagram().steps.clone();
                steps.push(step_from_selection(self.diagram(), &self.selection));
                let count = steps.len();
                let change = self.apply("New step", Edit::SetSteps(steps), None, None)?;
                self.set_status(format!("Added step {count}"));
                Ok((Outcome::default(), change))
            }
            Command::AcceptFinding {
                rule_id,
                subject,
                note,
            } => {
                self.open_finding(rule_id, *subject)?;
                let decision = Decision {
                    rule_id: rule_id.clone(),
                    subject: *subject,
                    status: DecisionStatus::AcceptedTradeOff,
                    note: note.clone(),
                };
                let edit = Edit::SetDecision {
                    rule_id: rule_id.clone(),
                    subject: *subject,
                    decision: Some(decision),
                };
                self.apply("Accept trade-off", edit, None, None).map(done)
            }
            Command::ReopenFinding { rule_id, subject } => {
                if self.diagram().decision(rule_id, *subject).is_none() {
                    return Err(CommandError::NoSuchFinding {
                        rule_id: rule_id.clone(),
                    });
                }
                let edit = Edit::SetDecision {
                    rule_id: rule_id.clone(),
                    subject: *subject,
                    decision: None,
                };
                self.apply("Reopen finding", edit, None, None).map(done)
            }
            Command::ApplyFix { rule_id, subject } => {
                let finding = self.open_finding(rule_id, *subject)?;
                let Some(fix) = finding.fix.clone() else {
                    return Err(CommandError::NoQuickFix {
                        rule_id: rule_id.clone(),
                    });
                };
                let change = self.apply(fix.label, fix.edit, None, None)?;
                self.set_status(format!("Applied: {}", fix.label.to_lowercase()));
                Ok((Outcome::default(), change))
            }
            Command::Cut => {
                self.copy_selection();
                self.delete(self.selection.iter().copied().collect())
            }
            Command::Paste => {
                let Some(items) = self.clipboard.clone() else {
                    return none(Outcome::default());
                };
                self.pastes += 1;
                let offset = PASTE_OFFSET * self.pastes as f32;
                self.insert_copies(items, offset, "Paste")
            }
            Command::Duplicate => {
                let items = self.selected_items();
                if items.is_empty() {
                    return none(Outcome::default());
                }
                self.insert_copies(items, PASTE_OFFSET, "Duplicate")
            }
            Command::Undo => {
                let replayed = self.doc.undo()?;
                self.restore_selection(replayed.selection);
                self.set_status(format!("Undid: {}", replayed.label.to_lowercase()));
                Ok((
                    Outcome::default(),
                    Change::Diagram {
                        label: replayed.label,
                        applied: replayed.applied,
                        inverse: replayed.inverse,
                    },
                ))
            }
            Command::Redo => {
                let replayed = self.doc.redo()?;
                self.restore_selection(replayed.selection);
                self.set_status(format!("Redid: {}", replayed.label.to_lowercase()));
                Ok((
                    Outcome::default(),
                    Change::Diagram {
                        label: replayed.label,
                        applied: replayed.applied,
                        inverse: replayed.inverse,
                    },
                ))
            }
            Command::EndGesture => {
                self.doc.end_gesture();
                none(Outcome::default())
            }
            Command::Select(change) => {
                self.select(change);
                none(Outcome::default())
            }
            Command::Copy => {
                let count = self.selection.len();
                if self.copy_selection() {
                    let s = if count == 1 { "" } else { "s" };
                    self.set_status(format!("Copied {count} item{s}"));
                }
                none(Outcome::default())
            }
            Command::SetSnapToGrid(on) => {
                self.snap_to_grid = *on;
                none(Outcome::default())
            }
            Command::Timer(timer) => {
                self.timer(*timer);
                none(Outcome::default())
            }
            Command::RateProbe { key, record } => {
                if record.is_empty() {
                    self.interview.records.remove(key);
                } else {
                    self.interview.records.insert(key.clone(), record.clone());
                }
                self.probes_stale = true;
                none(Outcome::default())
            }
            Command::Present(present) => {
                self.present(*present);
                none(Outcome::default())
            }
            Command::PinComment {
                component,
                text,
                author,
            } => {
                if self.diagram().component(*component).is_none() {
                    return Err(EditError::UnknownId(*component).into());
                }
                let at = self.now().0;
                self.interview.pin_comment(*component, text, author, at)?;
                none(Outcome::default())
            }
            Command::ResolveComment { id, resolved } => {
                self.interview.resolve_comment(*id, *resolved)?;
                none(Outcome::default())
            }
            Command::ThrowCurveball {
                kind,
                detail,
                author,
            } => {
                let at = self.now().0;
                self.interview.throw_curveball(*kind, detail, author, at)?;
                // The candidate sees the design answer it at once (issue
                // 18); a recording replays the same scenario from this
                // command.
                let current = self.whatif.as_ref().map(WhatIf::scenario);
                if !self.is_presenting()
                    && let Some(scenario) =
                        super::whatif::curveball_scenario(*kind, detail, self.diagram(), current)
                {
                    self.what_if(WhatIfCommand::Run(scenario))?;
                }
                none(Outcome::default())
            }
            Command::DismissCurveball { id } => {
                self.interview.dismiss_curveball(*id)?;
                none(Outcome::default())
            }
            Command::Session(command) => self.session_command(command),
            Command::WhatIf(whatif) => {
                self.what_if(*whatif)?;
                none(Outcome::default())
            }
            Command::File(file) => self.file(file),
        }
    }

    /// Applies an edit of a design-wide field (title, requirements, steps);
    /// edits of the same field in a row merge into one undo step.
    fn apply_design_field(
        &mut self,
        label: &str,
        field: &'static str,
        edit: Edit,
    ) -> Result<Change, CommandError> {
        let merge = MergeKey { item: None, field };
        self.apply(label, edit, Some(merge), None)
    }

    /// Applies one edit through the history. The selection becomes
    /// `selection_after` (or stays), minus items that no longer exist.
    pub(super) fn apply(
        &mut self,
        label: &str,
        edit: Edit,
        merge: Option<MergeKey>,
        selection_after: Option<Selection>,
    ) -> Result<Change, CommandError> {
        let after = selection_after.unwrap_or_else(|| self.selection.clone());
        let applied = edit.clone();
        let inverse = self
            .doc
            .apply(label, edit, merge, (&self.selection, &after))?;
        self.selection = after;
        self.prune_selection();
        Ok(Change::Diagram {
            label: label.to_owned(),
            applied,
            inverse,
        })
    }

    fn item(&self, id: Id) -> Result<Item, CommandError> {
        self.diagram()
            .item(id)
            .map(ItemRef::to_owned)
            .ok_or(CommandError::Edit(EditError::UnknownId(id)))
    }

    /// Inserts one new item as one undo step and selects it.
    fn insert_one(&mut self, label: &str, item: Item) -> Result<(Outcome, Change), CommandError> {
        let id = item.id();
        let mut items = Items::default();
        items.push(item);
        let change = self.apply(label, Edit::Insert(items), None, Some([id].into()))?;
        Ok((Outcome { created: Some(id) }, change))
    }

    /// A new component of `kind` centred on the free spot nearest `near`,
    /// named `name` (or after its kind).
    pub(super) fn new_component(
        &self,
        kind: ComponentKind,
        near: Point,
        name: Option<String>,
    ) -> Component {
        let diagram = self.diagram();
        let center = free_spot(diagram, near);
        let position =
            self.place(center.offset(-COMPONENT_SIZE[0] / 2.0, -COMPONENT_SIZE[1] / 2.0));
        let name = name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| fresh_name(diagram, kind));
        Component {
            id: diagram.next_free_id(),
            kind,
            name,
            position,
            properties: kind.default_properties(),
        }
    }

    fn add_component(
        &mut self,
        kind: ComponentKind,
        near: Point,
        name: Option<String>,
    ) -> Result<(Outcome, Change), CommandError> {
        let component = self.new_component(kind, near, name);
        let label = format!("Add {}", kind.name().to_lowercase());
        self.insert_one(&label, Item::Component(component))
    }

    /// Connects two components with the kind that fits them best. An
    /// identical connection (same ends and kind) is selected, not added twice.
    fn connect(&mut self, from: Id, to: Id) -> Result<(Outcome, Change), CommandError> {
        let diagram = self.diagram();
        let (Some(a), Some(b)) = (diagram.component(from), diagram.component(to)) else {
            let missing = if diagram.component(from).is_none() {
                from
            } else {
                to
            };
            return Err(EditError::UnknownId(missing).into());
        };
        if from == to {
            return Err(EditError::SelfConnection(from).into());
        }
        let kind = default_connection_kind(a.kind, b.kind);
        if let Some(existing) = diagram
            .connections
            .iter()
            .find(|c| c.from == from && c.to == to && c.kind == kind)
        {
            let id = existing.id;
            self.selection = [id].into();
            return Ok((Outcome { created: Some(id) }, Change::None));
        }
        let connection = Connection {
            id: diagram.next_free_id(),
            from,
            to,
            kind,
            label: String::new(),
            policy: Policy::default(),
            idempotent: false,
        };
        self.insert_one("Connect", Item::Connection(connection))
    }

    fn delete(&mut self, ids: Vec<Id>) -> Result<(Outcome, Change), CommandError> {
        if ids.is_empty() {
            return Ok((Outcome::default(), Change::None));
        }
        let label = if ids.len() == 1 {
            "Delete item".to_owned()
        } else {
            format!("Delete {} items", ids.len())
        };
        let mut after = self.selection.clone();
        for id in &ids {
            after.remove(id);
        }
        self.apply(&label, Edit::Remove(ids), None, Some(after))
            .map(done)
    }

    fn move_by(&mut self, ids: &[Id], dx: f32, dy: f32) -> Result<(Outcome, Change), CommandError> {
        let moves = self.moved_positions(ids, dx, dy);
        if moves.is_empty() {
            return Ok((Outcome::default(), Change::None));
        }
        let label = if moves.len() == 1 {
            "Move"
        } else {
            "Move items"
        };
        self.apply(label, Edit::SetPositions(moves), None, None)
            .map(done)
    }

    /// The rectangle a new group gets around the selected cards, notes and
    /// groups, if any are selected.
    fn wrapping_selection(&self) -> Option<Rect> {
        let d = self.diagram();
        let bounds = self
            .selection
            .iter()
            .filter_map(|&id| d.item(id)?.rect())
            .reduce(Rect::union)?;
        let min = snap(
            bounds
                .min()
                .offset(-GROUP_MARGIN, -GROUP_MARGIN - GROUP_TITLE_ROOM),
        );
        let max = snap(bounds.max().offset(GROUP_MARGIN, GROUP_MARGIN));
        Some(Rect::new(min.x, min.y, max.x - min.x, max.y - min.y))
    }

    /// The open (not accepted) finding of `rule_id` on `subject`.
    fn open_finding(&self, rule_id: &str, subject: Subject) -> Result<&Finding, CommandError> {
        let accepted = self.diagram().decision(rule_id, subject).is_some();
        self.findings()
            .iter()
            .find(|f| f.rule.id == rule_id && f.subject == subject)
            .filter(|_| !accepted)
            .ok_or_else(|| CommandError::NoSuchFinding {
                rule_id: rule_id.to_owned(),
            })
    }

    fn prune_selection(&mut self) {
        let diagram = self.doc.diagram();
        self.selection.retain(|id| diagram.contains(*id));
    }

    fn restore_selection(&mut self, selection: Selection) {
        self.selection = selection;
        self.prune_selection();
    }

    fn select(&mut self, change: &SelectionChange) {
        match change {
            SelectionChange::Set(ids) => self.selection = ids.iter().copied().collect(),
            SelectionChange::Add(ids) => self.selection.extend(ids.iter().copied()),
            SelectionChange::Toggle(id) => {
                if !self.selection.remove(id) {
                    self.selection.insert(*id);
                }
            }
            SelectionChange::All => {
                self.selection = self.diagram().items().map(ItemRef::id).collect();
            }
            SelectionChange::Clear => self.selection.clear(),
        }
        self.prune_selection();
    }

    fn copy_selection(&mut self) -> bool {
        let items = self.selected_items();
        if items.is_empty() {
            return false;
        }
        self.clipboard = Some(items);
        self.pastes = 0;
        true
    }

    /// The selected items, plus connections whose both ends are selected;
    /// a connection only travels with both of its ends.
    fn selected_items(&self) -> Items {
        let diagram = self.diagram();
        let selected = &self.selection;
        let mut ids: Vec<Id> = selected.iter().copied().collect();
        ids.extend(
            diagram
                .connections
                .iter()
                .filter(|c| selected.contains(&c.from) && selected.contains(&c.to))
                .map(|c| c.id),
        );
        let mut items = diagram.collect_items(&ids);
        items
            .connections
            .retain(|c| selected.contains(&c.from) && selected.contains(&c.to));
        items
    }

    fn insert_copies(
        &mut self,
        items: Items,
        offset: f32,
        label: &str,
    ) -> Result<(Outcome, Change), CommandError> {
        let old_ids = items.ids();
        let map: std::collections::HashMap<Id, Id> = old_ids
            .iter()
            .copied()
            .zip(self.diagram().peek_ids(old_ids.len()))
            .collect();
        let new_id = |old: Id| map.get(&old).copied().unwrap_or(old);
        let mut copies = Items::default();
        for item in items.iter() {
            let copy = match item.to_owned() {
                Item::Component(c) => Item::Component(Component {
                    id: new_id(c.id),
                    position: c.position.offset(offset, offset),
                    ..c
                }),
                Item::Connection(c) => Item::Connection(Connection {
                    id: new_id(c.id),
                    from: new_id(c.from),
                    to: new_id(c.to),
                    ..c
                }),
                Item::Group(g) => Item::Group(Group {
                    id: new_id(g.id),
                    rect: g.rect.translated(offset, offset),
                    ..g
                }),
                Item::Note(n) => Item::Note(Note {
                    id: new_id(n.id),
                    rect: n.rect.translated(offset, offset),
                    ..n
                }),
            };
            copies.push(copy);
        }
        let new_ids: Selection = copies.ids().into_iter().collect();
        self.apply(label, Edit::Insert(copies), None, Some(new_ids))
            .map(done)
    }

    fn timer(&mut self, command: TimerCommand) {
        let now = self.now().as_secs_f64();
        let timer = &mut self.interview.timer;
        match command {
            TimerCommand::Start => timer.start(now),
            TimerCommand::Pause => timer.pause(now),
            TimerCommand::Toggle => timer.toggle(now),
            TimerCommand::Reset => timer.reset(),
            TimerCommand::Next => {
                timer.next(now);
            }
            TimerCommand::Previous => {
                timer.previous(now);
            }
            TimerCommand::GoTo(phase) => timer.set_current(phase, now),
            TimerCommand::Plan { phase, minutes } => {
                timer.set_planned_s(phase, minutes * 60.0);
            }
        }
    }

    /// Enters, changes or leaves what-if mode. The outcome is computed by
    /// the refresh that follows every command.
    fn what_if(&mut self, command: WhatIfCommand) -> Result<(), CommandError> {
        match command {
            WhatIfCommand::Run(scenario) => {
                if self.is_presenting() {
                    return Err(CommandError::Presenting);
                }
                scenario
                    .validate(self.diagram())
                    .map_err(|err| CommandError::Scenario(err.to_string()))?;
                self.whatif = Some(WhatIf::new(scenario));
            }
            WhatIfCommand::Leave => {
                self.whatif = None;
            }
        }
        self.probes_stale = true;
        Ok(())
    }

    fn present(&mut self, command: PresentCommand) {
        if command == PresentCommand::Enter && self.whatif.take().is_some() {
            self.probes_stale = true;
        }
        let count = self.diagram().steps.len();
        let last = count.saturating_sub(1);
        self.present_step = match (command, self.present_step) {
            (PresentCommand::Enter, _) => {
                self.selection.clear();
                Some(0)
            }
            (PresentCommand::Leave, _) => None,
            (PresentCommand::Next, Some(step)) => Some((step + 1).min(last)),
            (PresentCommand::Previous, Some(step)) => Some(step.saturating_sub(1)),
            (PresentCommand::Step(n), Some(_)) => Some(n.min(last)),
            (_, None) => None,
        };
    }
}

/// A command's result when it created nothing.
fn done(change: Change) -> (Outcome, Change) {
    (Outcome::default(), change)
}

/// Whether a command changes the design (refused while presenting).
fn edits_the_design(command: &Command) -> bool {
    !matches!(
        command,
        Command::Select(_)
            | Command::Copy
            | Command::SetSnapToGrid(_)
            | Command::EndGesture
            | Command::Timer(_)
            | Command::RateProbe { .. }
            | Command::PinComment { .. }
            | Command::ResolveComment { .. }
            | Command::ThrowCurveball { .. }
            | Command::DismissCurveball { .. }
            | Command::Present(_)
            | Command::Session(super::command::SessionCommand::End)
            | Command::Session(super::command::SessionCommand::Comment { .. })
            | Command::WhatIf(_)
            | Command::File(_)
    )
}

/// Rounds a canvas point to the snap grid.
pub fn snap(p: Point) -> Point {
    Point::new((p.x / GRID).round() * GRID, (p.y / GRID).round() * GRID)
}

/// A unique name for a new component of `kind`: "Service", "Service 2", …
pub fn fresh_name(diagram: &Diagram, kind: ComponentKind) -> String {
    let base = kind.name();
    let taken = |name: &str| diagram.components.iter().any(|c| c.name == name);
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base} {n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
}

/// The nearest centre point to `wanted` where a new card covers no other
/// card (with a little room around it): `wanted` itself when it is free,
/// else the closest free slot on a grid of card-sized steps around it
/// (right before left and below before above at equal distance), so a new
/// card lands beside what the user is looking at.
pub fn free_spot(diagram: &Diagram, wanted: Point) -> Point {
    let [w, h] = COMPONENT_SIZE;
    const ROOM: f32 = 20.0;
    let covers = |center: Point| {
        let r = Rect::new(
            center.x - w / 2.0 - ROOM,
            center.y - h / 2.0 - ROOM,
            w + 2.0 * ROOM,
            h + 2.0 * ROOM,
        );
        diagram.components.iter().any(|c| c.rect().intersects(r))
    };
    let (step_x, step_y) = (w + 2.0 * ROOM, h + 2.0 * ROOM);
    let mut slots: Vec<(i32, i32)> = (-8..=8)
        .flat_map(|i| (-8..=8).map(move |j| (i, j)))
        .collect();
    let distance = |&(i, j): &(i32, i32)| {
        let (x, y) = (i as f32 * step_x, j as f32 * step_y);
        x * x + y * y
    };
    slots.sort_by(|a, b| {
        distance(a)
            .total_cmp(&distance(b))
            .then((b.0 > 0).cmp(&(a.0 > 0)))
            .then((b.1 > 0).cmp(&(a.1 > 0)))
    });
    slots
        .into_iter()
        .map(|(i, j)| wanted.offset(i as f32 * step_x, j as f32 * step_y))
        .find(|&p| !covers(p))
        .unwrap_or(wanted)
}
