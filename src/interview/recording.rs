//! Recorded interview sessions: the saved form of one mock interview.
//!
//! A [`SavedSession`] is self-contained: the design as it was when the
//! session began, the timer and probe notes at that moment, and every event
//! since, each with its time: design changes (the edit applied and its
//! inverse, as the app's command log had them), timer changes, ratings, and
//! the interviewer's comments and curveballs. Replaying the changes on the
//! starting design rebuilds the design at any moment ([`super::replay`]),
//! and replaying the timer events rebuilds the clock, so a session can be
//! replayed and scored without the design file it came from.
//!
//! The types are plain data (serde). `io::sessions` reads and writes the
//! file that holds them ([`SessionFile`]); `app` turns its command log into
//! [`Event`]s. Times are milliseconds since the Unix epoch, as the app's
//! clock gives them.

use std::collections::BTreeMap;

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::probes::ProbeRecord;
use super::rubric::Scorecard;
use super::timer::{Phase, Timer};
use crate::io::{LoadError, LoadErrorKind, SaveError};
use crate::model::Diagram;
use crate::model::edit::Edit;

/// The version of the sessions file this build writes.
pub const SESSIONS_FORMAT_VERSION: u32 = 1;

/// Everything in one sessions file: the recorded sessions of one design,
/// oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionFile {
    pub format_version: u32,
    #[serde(default)]
    pub sessions: Vec<SavedSession>,
}

impl SessionFile {
    pub fn new(sessions: Vec<SavedSession>) -> Self {
        Self {
            format_version: SESSIONS_FORMAT_VERSION,
            sessions,
        }
    }
}

/// Who caused an event: this window, or a viewer of the interviewer link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Author {
    #[default]
    Local,
    /// A remote viewer, by its connection number.
    Remote(u64),
}

/// A change of the interview clock.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum TimerEvent {
    Start,
    Pause,
    /// The current phase became this one.
    Phase(Phase),
    /// The clock went back to zero at the first phase.
    Reset,
    /// The plan of a phase changed.
    Plan {
        phase: Phase,
        planned_s: f64,
    },
}

/// What happened.
// Events are appended once and read many times; boxing the edits would cost
// an allocation per event for no gain.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    /// The design changed: `applied` took it from the state before to the
    /// state after, `inverse` takes it back.
    Change {
        label: String,
        applied: Edit,
        inverse: Edit,
    },
    Timer(TimerEvent),
    /// What the interviewer noted about one probe (an empty record clears it).
    Rating {
        key: String,
        record: ProbeRecord,
    },
    /// A remark by the interviewer, or a curveball (a change of requirements
    /// thrown in to see how the design copes).
    Comment {
        text: String,
        curveball: bool,
    },
}

/// One event with its time and author.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at_ms: u64,
    #[serde(default)]
    pub author: Author,
    pub kind: EventKind,
}

/// One recorded mock interview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    pub started_at_ms: u64,
    /// The time of the last event, or when the session was ended.
    pub ended_at_ms: u64,
    /// False while it is being recorded (or when the app stopped before it
    /// was ended).
    #[serde(default)]
    pub finished: bool,
    /// The design when the session began.
    pub start: Diagram,
    /// The clock when the session began (its phase plan included).
    pub timer_at_start: Timer,
    /// Probe notes already present when the session began.
    #[serde(default)]
    pub records_at_start: BTreeMap<String, ProbeRecord>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// The scorecard computed when the session ended.
    #[serde(default)]
    pub scorecard: Option<Scorecard>,
}

impl SavedSession {
    /// A session that begins now on `start`, with the clock and notes as
    /// they are.
    pub fn begin(
        at_ms: u64,
        start: Diagram,
        timer: Timer,
        records: BTreeMap<String, ProbeRecord>,
    ) -> Self {
        Self {
            started_at_ms: at_ms,
            ended_at_ms: at_ms,
            finished: false,
            start,
            timer_at_start: timer,
            records_at_start: records,
            events: Vec::new(),
            scorecard: None,
        }
    }

    /// Appends an event. Times never go backwards: an event stamped before
    /// the last one is moved up to it.
    pub fn push(&mut self, at_ms: u64, author: Author, kind: EventKind) {
        let at_ms = at_ms.max(self.ended_at_ms);
        self.ended_at_ms = at_ms;
        self.events.push(Event {
            at_ms,
            author,
            kind,
        });
    }

    /// How long the session lasted, in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        self.ended_at_ms.saturating_sub(self.started_at_ms)
    }

    /// `at_ms` as an offset from the start.
    pub fn offset_ms(&self, at_ms: u64) -> u64 {
        at_ms.saturating_sub(self.started_at_ms)
    }

    /// The number of design changes recorded.
    pub fn change_count(&self) -> usize {
        self.changes().count()
    }

    /// The design changes with their offsets from the start, in order.
    pub fn changes(&self) -> impl Iterator<Item = (u64, &Edit)> {
        self.events.iter().filter_map(|e| match &e.kind {
            EventKind::Change { applied, .. } => Some((self.offset_ms(e.at_ms), applied)),
            _ => None,
        })
    }

    /// The clock as it was `offset_ms` into the session.
    pub fn timer_at(&self, offset_ms: u64) -> Timer {
        let mut timer = self.timer_at_start.clone();
        let until = self.started_at_ms.saturating_add(offset_ms);
        for event in self.events.iter().take_while(|e| e.at_ms <= until) {
            if let EventKind::Timer(t) = event.kind {
                apply_timer_event(&mut timer, t, secs(event.at_ms));
            }
        }
        timer
    }

    /// The probe notes as they were `offset_ms` into the session.
    pub fn records_at(&self, offset_ms: u64) -> BTreeMap<String, ProbeRecord> {
        let mut records = self.records_at_start.clone();
        let until = self.started_at_ms.saturating_add(offset_ms);
        for event in self.events.iter().take_while(|e| e.at_ms <= until) {
            if let EventKind::Rating { key, record } = &event.kind {
                if record.is_empty() {
                    records.remove(key);
                } else {
                    records.insert(key.clone(), record.clone());
                }
            }
        }
        records
    }

    /// The interview state (clock and notes) at the end, for the report.
    pub fn interview_at_end(&self) -> super::InterviewSession {
        super::InterviewSession {
            timer: self.timer_at(self.duration_ms()),
            records: self.records_at(self.duration_ms()),
            // What a remote interviewer added is in the events as comments.
            ..Default::default()
        }
    }

    /// Where each phase was entered, as offsets from the start: the first
    /// phase at 0 (when the clock starts there), then every phase change.
    pub fn phase_marks(&self) -> Vec<PhaseMark> {
        let mut marks = Vec::new();
        let mut current = self.timer_at_start.current();
        let mut started = self.timer_at_start.is_running();
        if started {
            marks.push(PhaseMark {
                offset_ms: 0,
                phase: current,
            });
        }
        for event in &self.events {
            let EventKind::Timer(t) = event.kind else {
                continue;
            };
            let offset_ms = self.offset_ms(event.at_ms);
            match t {
                TimerEvent::Start if !started => {
                    started = true;
                    marks.push(PhaseMark {
                        offset_ms,
                        phase: current,
                    });
                }
                TimerEvent::Phase(phase) if phase != current => {
                    current = phase;
                    started = true;
                    marks.push(PhaseMark { offset_ms, phase });
                }
                TimerEvent::Reset => {
                    current = Phase::Clarify;
                    started = false;
                }
                _ => {}
            }
        }
        marks
    }

    /// The comments and curveballs, with their offsets.
    pub fn comments(&self) -> impl Iterator<Item = (u64, &str, bool)> {
        self.events.iter().filter_map(|e| match &e.kind {
            EventKind::Comment { text, curveball } => {
                Some((self.offset_ms(e.at_ms), text.as_str(), *curveball))
            }
            _ => None,
        })
    }
}

/// Reads the sessions file at `path`; `None` when there is none. Every
/// session's starting design is checked like a design file, and every
/// recorded change must apply, so a damaged file is refused whole with a
/// message naming the session.
pub fn load_sessions(path: &Path) -> Result<Option<SessionFile>, LoadError> {
    let Some((file, version)) =
        crate::io::sessions::load_if_present::<SessionFile>(path, SESSIONS_FORMAT_VERSION)?
    else {
        return Ok(None);
    };
    finish(file, version)
        .map(Some)
        .map_err(|err| err.with_path(path))
}

/// Parses sessions text (what [`load_sessions`] does after reading).
pub fn parse_sessions(text: &str) -> Result<SessionFile, LoadError> {
    let (file, version) = crate::io::sessions::parse::<SessionFile>(text, SESSIONS_FORMAT_VERSION)?;
    finish(file, version)
}

fn finish(mut file: SessionFile, _version: u32) -> Result<SessionFile, LoadError> {
    // Version 1 is the only one: nothing to migrate yet.
    for (i, session) in file.sessions.iter_mut().enumerate() {
        let start = std::mem::take(&mut session.start);
        let version = start.format_version;
        session.start = crate::io::finish_load(start, version).map_err(|err| {
            invalid(format!(
                "session {}: its starting design: {}",
                i + 1,
                err.kind()
            ))
        })?;
        if let Err(err) = super::replay::Replay::new(session) {
            return Err(invalid(format!("session {}: {err}", i + 1)));
        }
    }
    file.sessions.sort_by_key(|s| s.started_at_ms);
    file.format_version = SESSIONS_FORMAT_VERSION;
    Ok(file)
}

fn invalid(message: String) -> LoadError {
    LoadError::new(LoadErrorKind::Invalid(message))
}

/// Writes a sessions file atomically.
pub fn save_sessions(path: &Path, file: &SessionFile) -> Result<(), SaveError> {
    crate::io::sessions::save(path, file)
}

/// A phase change on the replay timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhaseMark {
    pub offset_ms: u64,
    pub phase: Phase,
}

/// Runs one recorded clock change on `timer` at `now_s`.
pub fn apply_timer_event(timer: &mut Timer, event: TimerEvent, now_s: f64) {
    match event {
        TimerEvent::Start => timer.start(now_s),
        TimerEvent::Pause => timer.pause(now_s),
        TimerEvent::Phase(phase) => timer.set_current(phase, now_s),
        TimerEvent::Reset => timer.reset(),
        TimerEvent::Plan { phase, planned_s } => timer.set_planned_s(phase, planned_s),
    }
}

/// The clock events that take `before` to `after` (what the app records
/// after each timer command); `reset` says the command was a reset.
pub fn timer_events(before: &Timer, after: &Timer, reset: bool) -> Vec<TimerEvent> {
    let mut out = Vec::new();
    if reset {
        if before != after {
            out.push(TimerEvent::Reset);
        }
        return out;
    }
    for phase in Phase::ALL {
        if after.planned_s(phase) != before.planned_s(phase) {
            out.push(TimerEvent::Plan {
                phase,
                planned_s: after.planned_s(phase),
            });
        }
    }
    if after.current() != before.current() {
        out.push(TimerEvent::Phase(after.current()));
    }
    match (before.is_running(), after.is_running()) {
        (false, true) => out.push(TimerEvent::Start),
        (true, false) => out.push(TimerEvent::Pause),
        _ => {}
    }
    out
}

/// Milliseconds since the epoch as the timer's seconds.
pub fn secs(at_ms: u64) -> f64 {
    at_ms as f64 / 1000.0
}

/// A date and time in UTC, "2026-03-14 09:05 UTC", from epoch milliseconds.
///
/// Hand-written rather than a date crate: UTC needs no time-zone data, and
/// this is the only date the app shows. Days to a civil date follow the
/// well-known era-based algorithm (proleptic Gregorian calendar).
pub fn format_utc(at_ms: u64) -> String {
    let secs = at_ms / 1000;
    let days = (secs / 86_400) as i64;
    let (hour, minute) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::probes::Rating;

    #[test]
    fn utc_dates_are_right() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_773_479_100_000), "2026-03-14 09:05 UTC");
    }

    #[test]
    fn timer_events_describe_each_command() {
        let mut t = Timer::new();
        let before = t.clone();
        t.start(10.0);
        assert_eq!(timer_events(&before, &t, false), [TimerEvent::Start]);
        let before = t.clone();
        t.next(20.0);
        assert_eq!(
            timer_events(&before, &t, false),
            [TimerEvent::Phase(Phase::Estimate)]
        );
        let before = t.clone();
        t.set_planned_s(Phase::DeepDive, 60.0);
        assert_eq!(
            timer_events(&before, &t, false),
            [TimerEvent::Plan {
                phase: Phase::DeepDive,
                planned_s: 60.0
            }]
        );
        let before = t.clone();
        t.reset();
        assert_eq!(timer_events(&before, &t, true), [TimerEvent::Reset]);
        assert_eq!(timer_events(&t, &t.clone(), true), []);
    }

    #[test]
    fn the_clock_and_the_notes_are_rebuilt_at_any_moment() {
        let mut s =
            SavedSession::begin(1_000_000, Diagram::new("x"), Timer::new(), BTreeMap::new());
        s.push(
            1_000_000,
            Author::Local,
            EventKind::Timer(TimerEvent::Start),
        );
        s.push(
            1_060_000,
            Author::Local,
            EventKind::Timer(TimerEvent::Phase(Phase::Estimate)),
        );
        let record = ProbeRecord {
            asked: true,
            rating: Some(Rating::Strong),
            note: String::new(),
        };
        s.push(
            1_090_000,
            Author::Remote(2),
            EventKind::Rating {
                key: "design:scale".to_owned(),
                record: record.clone(),
            },
        );
        s.push(
            1_120_000,
            Author::Local,
            EventKind::Timer(TimerEvent::Pause),
        );
        let at_30 = s.timer_at(30_000);
        assert_eq!(at_30.current(), Phase::Clarify);
        let at_end = s.timer_at(s.duration_ms());
        assert_eq!(at_end.current(), Phase::Estimate);
        assert!(!at_end.is_running());
        assert_eq!(at_end.elapsed_s(Phase::Clarify, 0.0), 60.0);
        assert_eq!(at_end.elapsed_s(Phase::Estimate, 0.0), 60.0);
        assert!(s.records_at(80_000).is_empty());
        assert_eq!(s.records_at(90_000).get("design:scale"), Some(&record));
        let marks = s.phase_marks();
        assert_eq!(
            marks,
            [
                PhaseMark {
                    offset_ms: 0,
                    phase: Phase::Clarify
                },
                PhaseMark {
                    offset_ms: 60_000,
                    phase: Phase::Estimate
                }
            ]
        );
        assert_eq!(s.duration_ms(), 120_000);
    }

    #[test]
    fn times_never_go_backwards() {
        let mut s = SavedSession::begin(500, Diagram::new("x"), Timer::new(), BTreeMap::new());
        s.push(900, Author::Local, EventKind::Timer(TimerEvent::Start));
        s.push(
            700,
            Author::Local,
            EventKind::Comment {
                text: "hm".to_owned(),
                curveball: false,
            },
        );
        assert_eq!(s.events[1].at_ms, 900);
    }
}
