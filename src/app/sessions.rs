//! Recorded interview sessions in the app: recording from the one door,
//! keeping them with the design, replaying them, restoring a version.
//!
//! - **Recording.** A session begins with the first interview command (the
//!   clock started or moved to a phase, a probe rated, a comment) and takes
//!   a copy of the design, the clock and the probe notes as they were. From
//!   then on [`Session::execute`] hands every applied command to
//!   [`Session::record`], which turns the command log's entry into plain
//!   [`crate::interview::Event`]s: design changes with their edit and
//!   inverse, clock changes, ratings, comments.
//! - **Ending.** A session ends when asked ([`SessionCommand::End`]), when
//!   the clock is reset, when the design is replaced (new, open, template,
//!   restore) and when the app quits. It is scored then, and the scorecard
//!   is kept with it.
//! - **Where they live.** In `NAME.sessions.ron` beside the design file
//!   (`io::sessions`); a design that has no file yet keeps them in the data
//!   folder's `recovery-sessions.ron` until it is saved. They are written
//!   when a session ends, when the design is saved, at quit, and every
//!   [`AUTOSAVE_INTERVAL`] while a session is being recorded; a panic writes
//!   the last snapshot (at most a second old) from the panic hook.
//! - **Replay.** [`ReplayView`] rebuilds the design at any moment of a
//!   recorded session into a session of its own that nobody can edit; the
//!   open design is never touched. [`SessionCommand::RestoreVersion`] makes
//!   the open design what it was then, as one undoable edit.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::clock::Timestamp;
use super::command::{Command, Origin, SessionCommand, TimerCommand};
use super::derived::DocumentId;
use super::document::Document;
use super::files::AUTOSAVE_INTERVAL;
use super::log::Change;
use super::session::{CommandError, Outcome, Session};
use crate::interview::progress::Progress;
use crate::interview::recording::{
    self, PhaseMark, SessionFile, load_sessions, save_sessions, timer_events,
};
use crate::interview::{
    Author, EventKind, InterviewSession, Phase, Replay, ReplayError, SavedSession, Scorecard,
    Timer, score,
};
use crate::model::edit::Edit;
use crate::model::{Diagram, Id, ItemKind, Items};

/// How often the crash snapshot of the sessions is refreshed at most.
const SNAPSHOT_EVERY_MS: u64 = 1000;

/// The sessions of the open design.
#[derive(Debug, Default)]
pub struct Sessions {
    /// Recorded sessions, oldest first (ended, or left unfinished by a crash).
    saved: Vec<SavedSession>,
    /// The session being recorded.
    recording: Option<SavedSession>,
    /// Counts every change to the sessions, so writes happen only when
    /// there is something new.
    generation: u64,
    written: u64,
    snapshot_generation: u64,
    last_write: Option<Timestamp>,
    last_snapshot: Option<Timestamp>,
    /// Whether this run wrote the sessions recovery file.
    recovery_written: bool,
    /// Sessions of an unsaved design from the last run, restored with it.
    offered: Vec<SavedSession>,
    /// Why the design's sessions file could not be read or written.
    error: Option<String>,
}

/// One line of the sessions list.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSummary {
    /// 1-based, oldest first; the session being recorded is the last.
    pub number: usize,
    pub started_at_ms: u64,
    pub duration_ms: u64,
    /// Out of 100.
    pub score: Option<f64>,
    pub recording: bool,
    pub finished: bool,
    pub changes: usize,
}

/// The scorecard to show while interviewing: the session being recorded,
/// scored so far, or the last recorded one when none is.
#[derive(Clone, Debug, PartialEq)]
pub struct LatestScorecard {
    /// 1-based, as in the sessions list.
    pub number: usize,
    /// Scored so far: the session is still being recorded.
    pub recording: bool,
    pub card: Scorecard,
}

impl LatestScorecard {
    /// The scorecard kept with `session`, or (while it is recorded, or when
    /// it was left unfinished) the session scored as it stands. `None` when
    /// it cannot be replayed.
    pub fn of(number: usize, recording: bool, session: &SavedSession) -> Option<Self> {
        let card = match &session.scorecard {
            Some(card) => card.clone(),
            None => score(session, &Replay::new(session).ok()?),
        };
        Some(Self {
            number,
            recording,
            card,
        })
    }
}

/// Where the sessions of the open design are written.
fn target(session: &Session) -> Option<PathBuf> {
    match session.path() {
        Some(path) => Some(crate::io::sessions::sidecar_path(path)),
        None => session.data_dir().map(crate::io::sessions::recovery_path),
    }
}

/// The last snapshot of the sessions, for the panic hook.
static CRASH_SNAPSHOT: Mutex<Option<(PathBuf, SessionFile)>> = Mutex::new(None);

/// Writes the last snapshot of the sessions (called from the panic hook).
pub(super) fn write_crash_snapshot() {
    // try_lock: the panic may have happened while the lock was held.
    if let Ok(guard) = CRASH_SNAPSHOT.try_lock()
        && let Some((path, file)) = guard.as_ref()
    {
        match save_sessions(path, file) {
            Ok(()) => eprintln!(
                "archboard: the interview session was kept in {}",
                path.display()
            ),
            Err(err) => eprintln!("archboard: could not keep the interview session: {err}"),
        }
    }
}

impl Sessions {
    fn all(&self) -> impl Iterator<Item = &SavedSession> {
        self.saved.iter().chain(self.recording.as_ref())
    }

    fn file(&self) -> SessionFile {
        SessionFile::new(self.all().cloned().collect())
    }

    fn changed(&mut self) {
        self.generation += 1;
    }

    /// Makes the next write happen even though nothing changed (the target
    /// moved: saved under a new name, or the recovery file was removed).
    fn mark_unwritten(&mut self) {
        self.written = self.generation.wrapping_sub(1);
    }
}

impl Session {
    // ----- Reading -----

    /// Every recorded session of this design, oldest first, the one being
    /// recorded last.
    pub fn recorded_sessions(&self) -> impl Iterator<Item = &SavedSession> {
        self.sessions.all()
    }

    /// Recorded session `number` (1-based).
    pub fn recorded_session(&self, number: usize) -> Option<&SavedSession> {
        self.sessions.all().nth(number.checked_sub(1)?)
    }

    /// The session being recorded, if any.
    pub fn recording(&self) -> Option<&SavedSession> {
        self.sessions.recording.as_ref()
    }

    /// The sessions list: date, duration, score.
    pub fn session_summaries(&self) -> Vec<SessionSummary> {
        let recording = self.sessions.recording.is_some();
        let count = self.sessions.saved.len();
        self.sessions
            .all()
            .enumerate()
            .map(|(i, s)| SessionSummary {
                number: i + 1,
                started_at_ms: s.started_at_ms,
                duration_ms: s.duration_ms(),
                score: s.scorecard.as_ref().map(|c| c.total),
                recording: recording && i == count,
                finished: s.finished,
                changes: s.change_count(),
            })
            .collect()
    }

    /// The scorecard of session `number`: the one kept when it ended, or
    /// computed now.
    pub fn scorecard(&self, number: usize) -> Result<Option<Scorecard>, ReplayError> {
        let Some(session) = self.recorded_session(number) else {
            return Ok(None);
        };
        match &session.scorecard {
            Some(card) => Ok(Some(card.clone())),
            None => Replay::new(session).map(|replay| Some(score(session, &replay))),
        }
    }

    /// The scorecard of the session being recorded, scored as it stands
    /// (replaying it, so it costs about as much as opening its replay), or
    /// else the one kept with the last recorded session. `None` when there
    /// is no session yet, or the one to score cannot be replayed.
    pub fn latest_scorecard(&self) -> Option<LatestScorecard> {
        let (number, recording, session) = self.latest_session()?;
        LatestScorecard::of(number, recording, session)
    }

    /// The session whose scorecard [`Session::latest_scorecard`] shows: its
    /// number, whether it is being recorded, and the session itself (for
    /// scoring it elsewhere, off the UI thread).
    pub fn latest_session(&self) -> Option<(usize, bool, &SavedSession)> {
        let number = self.sessions.all().count();
        let session = self.recorded_session(number)?;
        Some((number, self.sessions.recording.is_some(), session))
    }

    /// Goes up with every change to this design's sessions (a recorded
    /// event, a session ended or restored); with the document identity it
    /// tells when [`Session::latest_scorecard`] may have changed.
    pub fn sessions_generation(&self) -> u64 {
        self.sessions.generation
    }

    /// Scores of every session over time (sessions that cannot be replayed
    /// are left out).
    pub fn progress(&self) -> Progress {
        let cards: Vec<(usize, u64, Scorecard)> = self
            .sessions
            .all()
            .enumerate()
            .filter_map(|(i, s)| {
                let card = match &s.scorecard {
                    Some(card) => card.clone(),
                    None => score(s, &Replay::new(s).ok()?),
                };
                Some((i + 1, s.started_at_ms, card))
            })
            .collect();
        Progress::from_cards(cards.iter().map(|(n, at, card)| (*n, *at, card)))
    }

    /// Why the sessions file could not be read or written, if it could not.
    pub fn sessions_error(&self) -> Option<&str> {
        self.sessions.error.as_deref()
    }

    /// A replay of session `number`, starting at its beginning.
    pub fn replay(&self, number: usize) -> Option<Result<ReplayView, ReplayError>> {
        let session = self.recorded_session(number)?;
        Some(ReplayView::new(session, number))
    }

    // ----- Recording, from the door -----

    /// What the recording needs from before a command: the clock and notes
    /// (only for the commands that change them).
    pub(super) fn interview_before(&self, command: &Command) -> Option<InterviewSession> {
        matches!(command, Command::Timer(_) | Command::RateProbe { .. })
            .then(|| self.interview.clone())
    }

    /// Turns one applied command into events of the session being recorded
    /// (beginning or ending one where the command says so).
    pub(super) fn record(
        &mut self,
        at: Timestamp,
        origin: Origin,
        command: &Command,
        change: &Change,
        before: Option<InterviewSession>,
    ) {
        let author = match origin {
            Origin::Local => Author::Local,
            Origin::Remote(n) => Author::Remote(n),
        };
        match (command, before) {
            (Command::Timer(timer), Some(before)) => {
                let reset = matches!(timer, TimerCommand::Reset);
                if reset {
                    self.end_recording(at);
                    return;
                }
                let events = timer_events(&before.timer, &self.interview.timer, false);
                let starts = events.iter().any(|e| {
                    matches!(
                        e,
                        recording::TimerEvent::Start | recording::TimerEvent::Phase(_)
                    )
                });
                if events.is_empty() || (self.sessions.recording.is_none() && !starts) {
                    return;
                }
                let recording = self.begin_recording(at, before);
                for event in events {
                    recording.push(at.0, author, EventKind::Timer(event));
                }
            }
            (Command::RateProbe { key, record }, Some(before)) => {
                let recording = self.begin_recording(at, before);
                recording.push(
                    at.0,
                    author,
                    EventKind::Rating {
                        key: key.clone(),
                        record: record.clone(),
                    },
                );
            }
            (Command::Session(SessionCommand::Comment { text, curveball }), _) => {
                self.record_comment(at, author, text.clone(), *curveball);
            }
            // What a remote interviewer pins or throws (interview::remote)
            // is recorded as a comment too, so the replay and the report of
            // the saved session show it.
            (
                Command::PinComment {
                    component, text, ..
                },
                _,
            ) => {
                let text = match self.diagram().component(*component) {
                    Some(on) => format!("On {}: {}", on.name, text.trim()),
                    None => text.trim().to_owned(),
                };
                self.record_comment(at, author, text, false);
            }
            (Command::ThrowCurveball { kind, detail, .. }, _) => {
                let detail = detail.trim();
                let text = if detail.is_empty() {
                    kind.label().to_owned()
                } else {
                    format!("{}: {detail}", kind.label())
                };
                self.record_comment(at, author, text, true);
            }
            _ => {
                let Some(recording) = self.sessions.recording.as_mut() else {
                    return;
                };
                if let Change::Diagram {
                    label,
                    applied,
                    inverse,
                } = change
                {
                    recording.push(
                        at.0,
                        author,
                        EventKind::Change {
                            label: label.clone(),
                            applied: applied.clone(),
                            inverse: inverse.clone(),
                        },
                    );
                } else {
                    return;
                }
            }
        }
        self.sessions.changed();
    }

    /// Appends a comment (or curveball) to the session being recorded,
    /// beginning one if there is none.
    fn record_comment(&mut self, at: Timestamp, author: Author, text: String, curveball: bool) {
        let before = self.interview.clone();
        let recording = self.begin_recording(at, before);
        recording.push(at.0, author, EventKind::Comment { text, curveball });
    }

    /// The session being recorded, begun now if there is none.
    fn begin_recording(&mut self, at: Timestamp, before: InterviewSession) -> &mut SavedSession {
        let diagram = self.diagram().clone();
        self.sessions
            .recording
            .get_or_insert_with(|| SavedSession::begin(at.0, diagram, before.timer, before.records))
    }

    /// Ends the session being recorded: scores it, keeps it and writes the
    /// sessions where they belong.
    pub(super) fn end_recording(&mut self, at: Timestamp) {
        let Some(mut session) = self.sessions.recording.take() else {
            return;
        };
        session.ended_at_ms = session.ended_at_ms.max(at.0);
        session.finished = true;
        session.scorecard = Replay::new(&session)
            .ok()
            .map(|replay| score(&session, &replay));
        self.sessions.saved.push(session);
        self.sessions.changed();
        self.write_sessions(at);
    }

    pub(super) fn session_command(
        &mut self,
        command: &SessionCommand,
    ) -> Result<(Outcome, Change), CommandError> {
        match command {
            SessionCommand::End => {
                if self.sessions.recording.is_none() {
                    return Err(CommandError::NoSession);
                }
                let at = self.now();
                self.end_recording(at);
                let plan: Vec<(Phase, f64)> = Phase::ALL
                    .iter()
                    .map(|&p| (p, self.interview.timer.planned_s(p)))
                    .collect();
                let mut fresh = InterviewSession::new();
                for (phase, planned_s) in plan {
                    fresh.timer.set_planned_s(phase, planned_s);
                }
                self.interview = fresh;
                let number = self.sessions.saved.len();
                let score = self
                    .sessions
                    .saved
                    .last()
                    .and_then(|s| s.scorecard.as_ref())
                    .map_or_else(String::new, |c| format!(": {} of 100", c.total_text()));
                self.set_status(format!("Ended session {number}{score}"));
                Ok((Outcome::default(), Change::None))
            }
            SessionCommand::Comment { text, .. } => {
                if text.trim().is_empty() {
                    return Err(CommandError::EmptyComment);
                }
                Ok((Outcome::default(), Change::None))
            }
            SessionCommand::RestoreVersion { session, offset_ms } => {
                let Some(recorded) = self.recorded_session(*session) else {
                    return Err(CommandError::NoSuchSession(*session));
                };
                let replay = Replay::new(recorded)
                    .map_err(|err| CommandError::File(format!("Cannot replay: {err}")))?;
                let target = replay.diagram_after(replay.count_at(*offset_ms));
                let edit = edit_towards(self.diagram(), &target);
                if edit == Edit::Batch(Vec::new()) {
                    self.set_status("The design is already as it was then");
                    return Ok((Outcome::default(), Change::None));
                }
                let moment = crate::interview::timer::format_clock(*offset_ms as f64 / 1000.0);
                let label = format!("Restore the version of session {session} at {moment}");
                let change = self.apply(&label, edit, None, None)?;
                self.set_status(format!(
                    "Restored the design of session {session} at {moment}"
                ));
                Ok((Outcome::default(), change))
            }
        }
    }

    // ----- Keeping them with the design -----

    /// Reads the sessions of the open design from beside its file.
    pub(super) fn load_sessions(&mut self) {
        self.sessions.saved.clear();
        self.sessions.recording = None;
        self.sessions.error = None;
        self.sessions.written = self.sessions.generation;
        let Some(path) = self.path().map(crate::io::sessions::sidecar_path) else {
            return;
        };
        match load_sessions(&path) {
            Ok(Some(file)) => self.sessions.saved = file.sessions,
            Ok(None) => {}
            Err(err) => {
                self.sessions.error = Some(format!(
                    "The interview sessions of this design could not be read, and will not be written over: {err}"
                ));
            }
        }
    }

    /// Before the open design is replaced or the app quits: the session
    /// being recorded ends and the sessions are written where they belong.
    pub(super) fn keep_sessions(&mut self) {
        let at = self.now();
        self.end_recording(at);
        self.write_sessions(at);
    }

    /// Remembers the sessions recovery file found at start (offered with the
    /// design's recovery when that design had no file).
    pub(super) fn offer_recovered_sessions(&mut self, data_dir: Option<&Path>, offered: bool) {
        self.sessions.offered = match data_dir {
            Some(dir) if offered => load_sessions(&crate::io::sessions::recovery_path(dir))
                .ok()
                .flatten()
                .map(|f| f.sessions)
                .unwrap_or_default(),
            _ => Vec::new(),
        };
    }

    /// After the design's recovery was restored: its sessions come back too.
    pub(super) fn adopt_recovered_sessions(&mut self) {
        let offered = std::mem::take(&mut self.sessions.offered);
        if offered.is_empty() {
            return;
        }
        for session in offered {
            let known = self
                .sessions
                .saved
                .iter()
                .position(|s| s.started_at_ms == session.started_at_ms);
            match known {
                Some(i) => {
                    if let Some(slot) = self.sessions.saved.get_mut(i)
                        && slot.events.len() < session.events.len()
                    {
                        *slot = session;
                    }
                }
                None => self.sessions.saved.push(session),
            }
        }
        self.sessions.saved.sort_by_key(|s| s.started_at_ms);
        self.sessions.changed();
    }

    /// After a save to `path`: the sessions go beside it.
    pub(super) fn sessions_saved(&mut self) {
        self.sessions.mark_unwritten();
        self.write_sessions(self.now());
    }

    /// The sessions recovery file is no longer needed (the design was saved
    /// or its unsaved work thrown away).
    pub(super) fn forget_session_recovery(&mut self) {
        if self.sessions.recovery_written
            && let Some(dir) = self.data_dir()
            && let Err(err) = crate::io::sessions::remove(&crate::io::sessions::recovery_path(dir))
        {
            self.sessions.error = Some(format!(
                "Could not remove the interview sessions recovery file: {err}"
            ));
        }
        self.sessions.recovery_written = false;
        if self.path().is_none() {
            self.sessions.mark_unwritten();
        }
    }

    /// Writes the sessions where they belong when something changed since
    /// the last write.
    fn write_sessions(&mut self, at: Timestamp) {
        if self.sessions.written == self.sessions.generation {
            return;
        }
        if self.sessions.all().next().is_none() {
            // Nothing to keep: never create an empty sessions file.
            self.sessions.written = self.sessions.generation;
            return;
        }
        let Some(path) = target(self) else {
            return;
        };
        if self.path().is_some() && self.sessions.error.is_some() {
            // The file there could not be read: do not write over it.
            return;
        }
        let file = self.sessions.file();
        match save_sessions(&path, &file) {
            Ok(()) => {
                self.sessions.written = self.sessions.generation;
                self.sessions.last_write = Some(at);
                if self.path().is_none() {
                    self.sessions.recovery_written = true;
                }
            }
            Err(err) => {
                self.set_error(format!("Could not save the interview sessions: {err}"));
            }
        }
        self.update_crash_snapshot(at, file, path);
    }

    fn update_crash_snapshot(&mut self, at: Timestamp, file: SessionFile, path: PathBuf) {
        if let Ok(mut snapshot) = CRASH_SNAPSHOT.lock() {
            *snapshot = Some((path, file));
        }
        self.sessions.last_snapshot = Some(at);
        self.sessions.snapshot_generation = self.sessions.generation;
    }

    /// Periodic work: the crash snapshot (at most a second old) and the
    /// autosave every [`AUTOSAVE_INTERVAL`] while something is unwritten.
    /// Returns when it wants to run again.
    pub(super) fn tick_sessions(&mut self) -> Option<Duration> {
        if self.sessions.written == self.sessions.generation {
            return None;
        }
        let now = self.now();
        let since = |last: Option<Timestamp>| last.map_or(u64::MAX, |t| now.0.saturating_sub(t.0));
        let interval_ms = u64::try_from(AUTOSAVE_INTERVAL.as_millis()).unwrap_or(u64::MAX);
        if since(self.sessions.last_write) >= interval_ms {
            self.write_sessions(now);
            return None;
        }
        if self.sessions.snapshot_generation != self.sessions.generation
            && since(self.sessions.last_snapshot) >= SNAPSHOT_EVERY_MS
            && let Some(path) = target(self)
        {
            let file = self.sessions.file();
            self.update_crash_snapshot(now, file, path);
        }
        let wait_ms = interval_ms.saturating_sub(since(self.sessions.last_write));
        Some(Duration::from_millis(wait_ms.max(SNAPSHOT_EVERY_MS)))
    }

    /// The file work of both the design and its sessions (what the UI calls
    /// every frame). Returns the earliest time either wants to run again.
    pub fn tick(&mut self) -> Option<Duration> {
        let design = self.tick_design();
        let sessions = self.tick_sessions();
        match (design, sessions) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// One edit that turns `current` into `target`: removes what `target` does
/// not have, inserts what it adds, replaces what differs, and sets the
/// title, requirements, decisions and steps. The id counter never goes
/// back, so ids stay unique across the whole history.
pub fn edit_towards(current: &Diagram, target: &Diagram) -> Edit {
    let mut edits = Vec::new();
    // Ids never change kind within one design's history; between unrelated
    // designs one might, and then the old item goes and the new one comes.
    let stale: Vec<Id> = current
        .items()
        .map(|item| item.id())
        .filter(|&id| target.item_kind(id) != current.item_kind(id))
        .collect();
    if !stale.is_empty() {
        edits.push(Edit::Remove(stale));
    }
    let added = Items {
        components: target
            .components
            .iter()
            .filter(|c| current.item_kind(c.id) != Some(ItemKind::Component))
            .cloned()
            .collect(),
        connections: target
            .connections
            .iter()
            .filter(|c| current.item_kind(c.id) != Some(ItemKind::Connection))
            .cloned()
            .collect(),
        groups: target
            .groups
            .iter()
            .filter(|g| current.item_kind(g.id) != Some(ItemKind::Group))
            .cloned()
            .collect(),
        notes: target
            .notes
            .iter()
            .filter(|n| current.item_kind(n.id) != Some(ItemKind::Note))
            .cloned()
            .collect(),
    };
    if !added.is_empty() {
        edits.push(Edit::Insert(added));
    }
    for c in &target.components {
        if current.component(c.id).is_some_and(|old| old != c) {
            edits.push(Edit::UpdateComponent(c.clone()));
        }
    }
    for c in &target.connections {
        if current.connection(c.id).is_some_and(|old| old != c) {
            edits.push(Edit::UpdateConnection(c.clone()));
        }
    }
    for g in &target.groups {
        if current.group(g.id).is_some_and(|old| old != g) {
            edits.push(Edit::UpdateGroup(g.clone()));
        }
    }
    for n in &target.notes {
        if current.note(n.id).is_some_and(|old| old != n) {
            edits.push(Edit::UpdateNote(n.clone()));
        }
    }
    if current.title != target.title {
        edits.push(Edit::SetTitle(target.title.clone()));
    }
    if current.requirements != target.requirements {
        edits.push(Edit::SetRequirements(target.requirements.clone()));
    }
    // Removing items drops decisions and steps that name them, so these are
    // set whenever anything was removed, and otherwise when they differ.
    let removed = matches!(edits.first(), Some(Edit::Remove(_)));
    if removed || current.decisions != target.decisions {
        edits.push(Edit::SetDecisions(target.decisions.clone()));
    }
    if removed || current.steps != target.steps {
        edits.push(Edit::SetSteps(target.steps.clone()));
    }
    Edit::Batch(edits)
}

/// A recorded session shown at one moment, in a session of its own that
/// only this type holds: the canvas reads it, nothing can edit it, and the
/// open design is never touched.
#[derive(Debug)]
pub struct ReplayView {
    number: usize,
    session: SavedSession,
    replay: Replay,
    view: Session,
    identity: DocumentId,
    offset_ms: u64,
    marks: Vec<PhaseMark>,
}

impl ReplayView {
    /// A replay of `session` (number `number`), at its beginning.
    pub fn new(session: &SavedSession, number: usize) -> Result<Self, ReplayError> {
        let replay = Replay::new(session)?;
        let identity = DocumentId::fresh();
        let view = Session::new(Document::replayed(replay.diagram().clone(), identity, 1));
        Ok(Self {
            number,
            session: session.clone(),
            replay,
            view,
            identity,
            offset_ms: 0,
            marks: session.phase_marks(),
        })
    }

    /// Shows the design as it was `offset_ms` into the session (clamped to
    /// its length).
    pub fn seek(&mut self, offset_ms: u64) {
        let offset_ms = offset_ms.min(self.duration_ms());
        self.offset_ms = offset_ms;
        if self.replay.seek(offset_ms) {
            let revision = self.replay.applied() as u64 + 1;
            let doc = Document::replayed(self.replay.diagram().clone(), self.identity, revision);
            // The view's own document: replacing it changes nothing else.
            self.view.replace_document(doc);
        }
    }

    /// The design at the moment shown, in a session nobody can edit.
    pub fn session(&self) -> &Session {
        &self.view
    }

    pub fn diagram(&self) -> &Diagram {
        self.view.diagram()
    }

    pub fn number(&self) -> usize {
        self.number
    }

    pub fn recorded(&self) -> &SavedSession {
        &self.session
    }

    pub fn offset_ms(&self) -> u64 {
        self.offset_ms
    }

    pub fn duration_ms(&self) -> u64 {
        self.session.duration_ms()
    }

    /// How many recorded changes the design shown includes, of how many.
    pub fn changes_shown(&self) -> (usize, usize) {
        (self.replay.applied(), self.replay.change_count())
    }

    /// When each phase began (ms from the start).
    pub fn phase_marks(&self) -> &[PhaseMark] {
        &self.marks
    }

    /// The offsets of every recorded change.
    pub fn change_offsets(&self) -> impl Iterator<Item = u64> + '_ {
        self.replay.change_offsets()
    }

    /// The phase the clock was in at the moment shown, if it had started.
    pub fn phase(&self) -> Option<Phase> {
        self.marks
            .iter()
            .take_while(|m| m.offset_ms <= self.offset_ms)
            .last()
            .map(|m| m.phase)
    }

    /// The clock at the moment shown.
    pub fn timer(&self) -> Timer {
        self.session.timer_at(self.offset_ms)
    }

    /// The command that makes the open design what is shown.
    pub fn restore_command(&self) -> Command {
        Command::Session(SessionCommand::RestoreVersion {
            session: self.number,
            offset_ms: self.offset_ms,
        })
    }
}

#[cfg(test)]
mod tests;
