//! Commands: everything a user (or a remote viewer) can ask the session to
//! do. Menus, shortcuts, panels, the canvas and the interviewer link all
//! build a [`Command`] and hand it to [`super::Session::execute`]; nothing
//! else changes the open design.
//!
//! Commands are plain data (serde), so the command log can record them and
//! the interviewer link can carry them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::formats::ExportFormat;
use super::whatif::WhatIfCommand;
use crate::interview::{CurveballKind, Phase, ProbeRecord};
use crate::model::{
    ComponentKind, GroupKind, Id, Item, Point, PropKey, PropValue, Rect, Requirements, Step,
    Subject,
};

/// Who asked for a command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Origin {
    /// This window: the keyboard, the mouse, a panel.
    #[default]
    Local,
    /// A viewer of the interviewer link, by its connection number.
    Remote(u64),
}

/// One thing to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    // ----- Design edits: one undo step each (or one per gesture) -----
    /// Adds a component of `kind` centred near `near`, where it covers no
    /// other card, selects it and makes it the command's result.
    AddComponent {
        kind: ComponentKind,
        near: Point,
    },
    /// Adds a group box at `rect`; while cards are selected, the group wraps
    /// them instead.
    AddGroup {
        kind: GroupKind,
        rect: Rect,
    },
    AddNote {
        rect: Rect,
    },
    /// Connects two components with the kind that fits them.
    Connect {
        from: Id,
        to: Id,
    },
    /// Deletes items, and the connections of deleted components.
    Delete(Vec<Id>),
    DeleteSelection,
    /// Moves components, groups and notes by a canvas offset, snapped to the
    /// grid like a drag (the first id is the snapping anchor).
    MoveBy {
        ids: Vec<Id>,
        dx: f32,
        dy: f32,
    },
    /// Moves items to these top-left corners exactly (a drag that snapped
    /// to an alignment guide).
    Place(Vec<(Id, Point)>),
    /// Nudges the selection (arrow keys).
    MoveSelection {
        dx: f32,
        dy: f32,
    },
    /// Gives a group or note a new rectangle.
    Resize {
        id: Id,
        rect: Rect,
    },
    /// Sets the in-place text of an item: a component's name, a connection's
    /// or group's label, a note's text. Typing merges into one undo step.
    Rename {
        id: Id,
        text: String,
    },
    SetProperty {
        id: Id,
        key: PropKey,
        value: PropValue,
    },
    /// Replaces an item with an edited copy (an inspector form); edits of
    /// the same item merge into one undo step until the gesture ends.
    Update(Item),
    SetTitle(String),
    SetRequirements(Requirements),
    SetSteps(Vec<Step>),
    /// Appends a presentation step that reveals the selection.
    AddStepFromSelection,
    /// Records an open finding as an accepted trade-off.
    AcceptFinding {
        rule_id: String,
        subject: Subject,
        note: String,
    },
    /// Makes an accepted finding open again.
    ReopenFinding {
        rule_id: String,
        subject: Subject,
    },
    /// Applies the quick fix of the open finding `rule_id` on `subject`.
    ApplyFix {
        rule_id: String,
        subject: Subject,
    },
    /// Adds a component of `kind` beside `from` (to the right, or below when
    /// there is no room), connected from it with the kind that fits them,
    /// selected; named `name` (or after its kind). One undo step.
    AddConnected {
        from: Id,
        kind: ComponentKind,
        name: Option<String>,
    },
    /// Adds a component of `kind` named `name` near a point.
    AddNamed {
        kind: ComponentKind,
        name: String,
        near: Point,
    },
    /// Lays out the design (or these items) left to right along the data
    /// flow, groups kept together and sized to their contents, notes left
    /// where they are. One undo step.
    Tidy {
        ids: Option<Vec<Id>>,
    },
    /// Lines the selected cards, groups and notes up on one edge or centre.
    Align(Alignment),
    /// Spreads the selected cards evenly between the outermost two.
    Distribute(Axis),
    /// Sets one property on several components at once: one undo step.
    SetPropertyOfMany {
        ids: Vec<Id>,
        key: PropKey,
        value: PropValue,
    },
    /// Applies the quick fix of every open finding (of one category) that
    /// has one, as one undo step.
    ApplyAllFixes {
        category: Option<crate::rules::Category>,
    },
    Cut,
    Paste,
    Duplicate,
    Undo,
    Redo,
    /// Ends the current gesture: the next edit is a new undo step.
    EndGesture,

    // ----- Local state of this window -----
    Select(SelectionChange),
    Copy,
    SetSnapToGrid(bool),

    // ----- Interview -----
    Timer(TimerCommand),
    /// Sets what the interviewer noted about one probe (by its key).
    RateProbe {
        key: String,
        record: ProbeRecord,
    },
    Present(PresentCommand),
    /// Pins an interviewer's comment to a component. Comments belong to the
    /// interview session, never to the design's undo history.
    PinComment {
        component: Id,
        text: String,
        author: String,
    },
    /// Marks a comment resolved, or open again.
    ResolveComment {
        id: u64,
        resolved: bool,
    },
    /// Shows the candidate a curveball banner.
    ThrowCurveball {
        kind: CurveballKind,
        detail: String,
        author: String,
    },
    /// Takes a curveball banner away.
    DismissCurveball {
        id: u64,
    },
    /// Recorded interview sessions.
    Session(SessionCommand),

    // ----- What if (view state: never the design or its history) -----
    WhatIf(WhatIfCommand),

    // ----- Files -----
    File(FileCommand),
}

/// Which edge or centre [`Command::Align`] lines items up on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Alignment {
    Left,
    CenterX,
    Right,
    Top,
    CenterY,
    Bottom,
}

/// The direction [`Command::Distribute`] spreads items along.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Axis {
    Horizontal,
    Vertical,
}

/// A change of the selection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SelectionChange {
    /// Exactly these items.
    Set(Vec<Id>),
    /// These items in addition to the current ones.
    Add(Vec<Id>),
    /// Adds the item, or removes it when it is selected.
    Toggle(Id),
    All,
    Clear,
}

/// The interview clock.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum TimerCommand {
    Start,
    Pause,
    /// Start when paused, pause when running.
    Toggle,
    Reset,
    Next,
    Previous,
    /// Makes `phase` the current one.
    GoTo(Phase),
    /// Plans `minutes` for `phase`.
    Plan {
        phase: Phase,
        minutes: f64,
    },
}

/// Recorded interview sessions (see `app::sessions`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionCommand {
    /// Ends the session being recorded: it is scored and saved, and the
    /// clock and probe notes start afresh for the next one.
    End,
    /// Notes a remark of the interviewer, or a curveball, in the session
    /// being recorded (starting one if none is).
    Comment { text: String, curveball: bool },
    /// Makes the design what it was `offset_ms` into recorded session
    /// `session` (1-based): one undoable step.
    RestoreVersion { session: usize, offset_ms: u64 },
}

/// Present mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PresentCommand {
    Enter,
    Leave,
    Next,
    Previous,
    /// Goes to step `n` (0-based), clamped to the steps there are.
    Step(usize),
}

/// The file workflow. Commands that would replace or close a design with
/// unsaved changes first ask Save / Discard / Cancel ([`super::Prompt`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileCommand {
    New,
    /// A built-in template (by name) as a new, unsaved design.
    NewFromTemplate(String),
    /// Asks for a file to open (the UI shows the dialog).
    Open,
    OpenPath(PathBuf),
    Save,
    /// Asks where to save (the UI shows the dialog).
    SaveAs,
    SaveTo(PathBuf),
    /// Asks where to write the session report (the UI shows the dialog).
    ExportReportAs,
    /// Writes the Markdown session report, with a PNG of the design beside
    /// it.
    ExportReport(PathBuf),
    /// Asks where to export the design in `format` (the UI shows the dialog).
    ExportAs(ExportFormat),
    /// Writes the design in `format` to `path`.
    Export {
        format: ExportFormat,
        path: PathBuf,
    },
    /// Asks for a Mermaid file to import (the UI shows the dialog).
    ImportMermaid,
    /// Reads a Mermaid flowchart or architecture-beta file and, once the
    /// unsaved-changes question is answered, opens it as a new design. A
    /// file that cannot be read or parsed changes nothing and asks nothing.
    ImportMermaidFrom(PathBuf),
    /// The answer to the unsaved-changes question.
    Answer(PromptAnswer),
    /// A save or open dialog was closed without a choice.
    DialogCancelled,
    /// Restores the unsaved work offered at start (by its recovery file).
    Restore(PathBuf),
    /// Throws the offered unsaved work away (by its recovery file).
    DiscardRecovery(PathBuf),
    /// Keeps the offered unsaved work for the next start and stops asking.
    LaterRecovery,
    /// Looks at the design's file: a change made by another program offers
    /// a reload (sent when the window regains focus).
    CheckDisk,
    /// Saves over a file that another program changed (the answer to a
    /// save conflict).
    Overwrite,
    /// Reads the design's file again, dropping what is open.
    Reload,
    /// Keeps the open design as it is and stops asking about the file.
    KeepMine,
    DismissError,
    Quit,
}

/// How the user answered "Save the changes first?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PromptAnswer {
    Save,
    Discard,
    Cancel,
}

impl Command {
    /// Whether a viewer of the interviewer link may send this command.
    /// Viewers never change the design, its history or its files: they rate
    /// probes, pin and resolve comments, and throw curveballs, all of which
    /// live in the interview session.
    pub fn allowed_from_remote(&self) -> bool {
        matches!(
            self,
            Command::RateProbe { .. }
                | Command::PinComment { .. }
                | Command::ResolveComment { .. }
                | Command::ThrowCurveball { .. }
                | Command::DismissCurveball { .. }
                | Command::Session(SessionCommand::Comment { .. })
        )
    }

    /// Whether the command is this window's own view state (selection,
    /// clipboard, grid), which the command log leaves out.
    pub fn is_local_view(&self) -> bool {
        matches!(
            self,
            Command::Select(_) | Command::Copy | Command::SetSnapToGrid(_) | Command::EndGesture
        )
    }
}
