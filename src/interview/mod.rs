//! Interview mode without the UI: back-of-the-envelope estimates, the phase
//! timer, the mock interviewer's probes, the Markdown session report, and
//! recorded sessions: their saved form, replay, rubric and progress.
//!
//! Like `model`, `catalog` and `rules`, this module never imports egui or
//! eframe; the panels in `ui::requirements` and `ui::interview` draw it, and
//! the CLI's `archboard report` prints it.

pub mod estimates;
mod members;
pub mod probes;
pub mod progress;
pub mod quantity;
pub mod recording;
pub mod remote;
pub mod replay;
pub mod report;
pub mod rubric;
pub mod timer;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use estimates::{Estimate, EstimateKind, Estimates, Unit};
pub use probes::{Probe, ProbeRecord, ProbeSource, Rating, probes, probes_from};
pub use recording::{Author, Event, EventKind, SavedSession, SessionFile, TimerEvent, format_utc};
pub use remote::{Comment, Curveball, CurveballKind, RemoteError};
pub use replay::{Replay, ReplayError};
pub use report::{ReportExtras, session_report, session_report_with};
pub use rubric::{CriterionResult, Dimension, DimensionScore, Scorecard, score, score_session};
pub use timer::{Phase, PhaseTime, Timer};

/// The state of one mock interview: the clock and what the interviewer
/// noted about each probe (by [`Probe::key`]). It does not belong to the
/// design file: a design can be interviewed on many times.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterviewSession {
    pub timer: Timer,
    /// What was noted per probe key; keys of probes that no longer exist
    /// are kept, so fixing a gap does not erase how it was answered.
    pub records: BTreeMap<String, ProbeRecord>,
    /// Comments a remote interviewer pinned to components, oldest first.
    pub comments: Vec<Comment>,
    /// Curveballs a remote interviewer threw, oldest first.
    pub curveballs: Vec<Curveball>,
}

/// Counts of how the probes went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProbeTally {
    pub asked: usize,
    pub strong: usize,
    pub partial: usize,
    pub missed: usize,
    /// Asked, but not rated yet.
    pub asked_unrated: usize,
}

impl InterviewSession {
    /// A fresh session: stopped clock, nothing noted.
    pub fn new() -> Self {
        Self::default()
    }

    /// What was noted about a probe, if anything.
    pub fn record(&self, key: &str) -> Option<&ProbeRecord> {
        self.records.get(key)
    }

    /// The record of a probe, created empty on first use.
    pub fn record_mut(&mut self, key: &str) -> &mut ProbeRecord {
        self.records.entry(key.to_owned()).or_default()
    }

    /// Drops records that hold nothing (all fields at their defaults).
    pub fn prune_empty(&mut self) {
        self.records.retain(|_, r| !r.is_empty());
    }

    /// A new id for a comment or curveball: one more than any in use.
    fn next_remote_id(&self) -> u64 {
        let comments = self.comments.iter().map(|c| c.id);
        let curveballs = self.curveballs.iter().map(|c| c.id);
        comments.chain(curveballs).max().unwrap_or(0) + 1
    }

    fn check_room(&self) -> Result<(), RemoteError> {
        if self.comments.len() + self.curveballs.len() >= remote::MAX_ITEMS {
            Err(RemoteError::TooMany)
        } else {
            Ok(())
        }
    }

    /// Pins a comment to `component` and returns its id. The caller checks
    /// that the component exists.
    pub fn pin_comment(
        &mut self,
        component: crate::model::Id,
        text: &str,
        author: &str,
        at_ms: u64,
    ) -> Result<u64, RemoteError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(RemoteError::EmptyComment);
        }
        remote::check_len(text, remote::MAX_COMMENT_CHARS)?;
        remote::check_len(author, remote::MAX_AUTHOR_CHARS)?;
        self.check_room()?;
        let id = self.next_remote_id();
        self.comments.push(Comment {
            id,
            component,
            text: text.to_owned(),
            author: author.to_owned(),
            at_ms,
            resolved: false,
        });
        Ok(id)
    }

    /// Marks a comment resolved, or open again.
    pub fn resolve_comment(&mut self, id: u64, resolved: bool) -> Result<(), RemoteError> {
        let comment = self
            .comments
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or(RemoteError::UnknownId(id))?;
        comment.resolved = resolved;
        Ok(())
    }

    /// Throws a curveball and returns its id.
    pub fn throw_curveball(
        &mut self,
        kind: CurveballKind,
        detail: &str,
        author: &str,
        at_ms: u64,
    ) -> Result<u64, RemoteError> {
        let detail = detail.trim();
        remote::check_len(detail, remote::MAX_DETAIL_CHARS)?;
        remote::check_len(author, remote::MAX_AUTHOR_CHARS)?;
        self.check_room()?;
        let id = self.next_remote_id();
        self.curveballs.push(Curveball {
            id,
            kind,
            detail: detail.to_owned(),
            author: author.to_owned(),
            at_ms,
            dismissed: false,
        });
        Ok(id)
    }

    /// Takes a curveball's banner off the candidate's screen.
    pub fn dismiss_curveball(&mut self, id: u64) -> Result<(), RemoteError> {
        let curveball = self
            .curveballs
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or(RemoteError::UnknownId(id))?;
        curveball.dismissed = true;
        Ok(())
    }

    /// Curveballs still shown as a banner, oldest first.
    pub fn open_curveballs(&self) -> impl Iterator<Item = &Curveball> {
        self.curveballs.iter().filter(|c| !c.dismissed)
    }

    /// Comments not resolved yet, oldest first.
    pub fn open_comments(&self) -> impl Iterator<Item = &Comment> {
        self.comments.iter().filter(|c| !c.resolved)
    }

    /// How the given probes went. A rated probe counts as asked.
    pub fn tally(&self, probes: &[Probe]) -> ProbeTally {
        let mut tally = ProbeTally::default();
        for record in probes.iter().filter_map(|p| self.records.get(&p.key)) {
            if record.asked || record.rating.is_some() {
                tally.asked += 1;
            }
            match record.rating {
                Some(Rating::Strong) => tally.strong += 1,
                Some(Rating::Partial) => tally.partial += 1,
                Some(Rating::Missed) => tally.missed += 1,
                None if record.asked => tally.asked_unrated += 1,
                None => {}
            }
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Subject;

    fn probe(key: &str) -> Probe {
        Probe {
            key: key.to_owned(),
            source: ProbeSource::Design,
            subject: Subject::Design,
            subject_name: "Design".to_owned(),
            question: "Why?".to_owned(),
            hint: String::new(),
        }
    }

    #[test]
    fn the_tally_counts_only_current_probes() {
        let mut session = InterviewSession::new();
        session.record_mut("a").asked = true;
        session.record_mut("b").rating = Some(Rating::Strong);
        session.record_mut("c").rating = Some(Rating::Missed);
        session.record_mut("gone").asked = true;
        let probes = [probe("a"), probe("b"), probe("c"), probe("d")];
        let tally = session.tally(&probes);
        assert_eq!(
            tally,
            ProbeTally {
                asked: 3,
                strong: 1,
                partial: 0,
                missed: 1,
                asked_unrated: 1
            }
        );
    }

    #[test]
    fn comments_and_curveballs_get_fresh_ids_and_limits() {
        let mut session = InterviewSession::new();
        let a = session.pin_comment(crate::model::Id(3), " Why one DB? ", "Ada", 10);
        assert_eq!(a, Ok(1));
        assert_eq!(session.comments[0].text, "Why one DB?");
        let b = session.throw_curveball(CurveballKind::RegionDown, "eu-west", "Ada", 11);
        assert_eq!(b, Ok(2));
        assert_eq!(
            session.pin_comment(crate::model::Id(3), "  ", "Ada", 12),
            Err(RemoteError::EmptyComment)
        );
        let long = "x".repeat(remote::MAX_COMMENT_CHARS + 1);
        assert!(matches!(
            session.pin_comment(crate::model::Id(3), &long, "Ada", 12),
            Err(RemoteError::TooLong { .. })
        ));
        assert_eq!(session.resolve_comment(1, true), Ok(()));
        assert_eq!(session.open_comments().count(), 0);
        assert_eq!(session.dismiss_curveball(2), Ok(()));
        assert_eq!(session.open_curveballs().count(), 0);
        assert_eq!(session.dismiss_curveball(9), Err(RemoteError::UnknownId(9)));
        assert_eq!(session.comments.len() + session.curveballs.len(), 2);
    }

    #[test]
    fn empty_records_are_pruned() {
        let mut session = InterviewSession::new();
        let _ = session.record_mut("a");
        session.record_mut("b").note = "Good".to_owned();
        session.prune_empty();
        assert_eq!(session.records.keys().collect::<Vec<_>>(), ["b"]);
        assert_eq!(session.record("b").map(|r| r.note.as_str()), Some("Good"));
    }
}
