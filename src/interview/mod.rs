//! Interview mode without the UI: back-of-the-envelope estimates, the phase
//! timer, the mock interviewer's probes and the Markdown session report.
//!
//! Like `model`, `catalog` and `rules`, this module never imports egui or
//! eframe; the panels in `ui::requirements` and `ui::interview` draw it, and
//! the CLI's `archboard report` prints it.

pub mod estimates;
mod members;
pub mod probes;
pub mod quantity;
pub mod report;
pub mod timer;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use estimates::{Estimate, EstimateKind, Estimates, Unit};
pub use probes::{Probe, ProbeRecord, ProbeSource, Rating, probes, probes_from};
pub use report::{ReportExtras, session_report, session_report_with};
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
    fn empty_records_are_pruned() {
        let mut session = InterviewSession::new();
        let _ = session.record_mut("a");
        session.record_mut("b").note = "Good".to_owned();
        session.prune_empty();
        assert_eq!(session.records.keys().collect::<Vec<_>>(), ["b"]);
        assert_eq!(session.record("b").map(|r| r.note.as_str()), Some("Good"));
    }
}
