//! The interview clock: five phases with planned durations, start, pause,
//! reset and moving between phases, and what a strong candidate covers in
//! each phase.
//!
//! The clock is injected: every method that needs the time takes `now_s`,
//! seconds from any fixed origin (the UI passes egui's input time, tests pass
//! plain numbers), so tests advance time without sleeping. If `now_s` ever
//! goes backwards, the clock counts that as no time passing.

use serde::{Deserialize, Serialize};

/// One phase of a system-design interview, in the order a strong candidate
/// follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Phase {
    Clarify,
    Estimate,
    HighLevelDesign,
    DeepDive,
    WrapUp,
}

impl Phase {
    /// Every phase, in interview order.
    pub const ALL: [Self; 5] = [
        Self::Clarify,
        Self::Estimate,
        Self::HighLevelDesign,
        Self::DeepDive,
        Self::WrapUp,
    ];

    /// Sentence-case name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Clarify => "Clarify requirements",
            Self::Estimate => "Estimate",
            Self::HighLevelDesign => "High-level design",
            Self::DeepDive => "Deep dive",
            Self::WrapUp => "Wrap-up",
        }
    }

    /// The planned length of the phase before anyone edits it, in minutes.
    pub fn default_minutes(self) -> f64 {
        match self {
            Self::Clarify | Self::Estimate | Self::WrapUp => 5.0,
            Self::HighLevelDesign | Self::DeepDive => 15.0,
        }
    }

    /// One line on what a strong candidate covers in this phase.
    pub fn reminder(self) -> &'static str {
        match self {
            Self::Clarify => {
                "Agree on what the system must do, for whom, at what scale and with which guarantees before drawing anything"
            }
            Self::Estimate => {
                "Turn users into requests per second, storage and bandwidth, and say which number shapes the design"
            }
            Self::HighLevelDesign => {
                "Draw the main path end to end: clients, entry point, services, stores and queues, and why each is there"
            }
            Self::DeepDive => {
                "Take the hardest part apart: hot spots at ten times the load, what happens when each piece fails, consistency"
            }
            Self::WrapUp => {
                "Name the trade-offs you made, the risks you left open and what you would build or measure next"
            }
        }
    }

    /// The phase after this one, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Clarify => Some(Self::Estimate),
            Self::Estimate => Some(Self::HighLevelDesign),
            Self::HighLevelDesign => Some(Self::DeepDive),
            Self::DeepDive => Some(Self::WrapUp),
            Self::WrapUp => None,
        }
    }

    /// The phase before this one, if any.
    pub fn previous(self) -> Option<Self> {
        match self {
            Self::Clarify => None,
            Self::Estimate => Some(Self::Clarify),
            Self::HighLevelDesign => Some(Self::Estimate),
            Self::DeepDive => Some(Self::HighLevelDesign),
            Self::WrapUp => Some(Self::DeepDive),
        }
    }
}

/// Planned and spent time of one phase.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseTime {
    pub phase: Phase,
    /// The planned length, in seconds.
    pub planned_s: f64,
    /// Time spent in the phase up to the last start, pause or phase change;
    /// the running stretch since then is added by [`Timer::elapsed_s`].
    pub spent_s: f64,
}

/// The interview clock. Time only accrues to the current phase while the
/// clock runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timer {
    phases: [PhaseTime; 5],
    current: Phase,
    /// When the clock was last started or its time last folded into the
    /// current phase; `None` while paused.
    running_since_s: Option<f64>,
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}

impl Timer {
    /// A stopped clock at the first phase with the default durations.
    pub fn new() -> Self {
        Self {
            phases: Phase::ALL.map(|phase| PhaseTime {
                phase,
                planned_s: phase.default_minutes() * 60.0,
                spent_s: 0.0,
            }),
            current: Phase::Clarify,
            running_since_s: None,
        }
    }

    fn slot(&self, phase: Phase) -> &PhaseTime {
        let [a, b, c, d, e] = &self.phases;
        match phase {
            Phase::Clarify => a,
            Phase::Estimate => b,
            Phase::HighLevelDesign => c,
            Phase::DeepDive => d,
            Phase::WrapUp => e,
        }
    }

    fn slot_mut(&mut self, phase: Phase) -> &mut PhaseTime {
        let [a, b, c, d, e] = &mut self.phases;
        match phase {
            Phase::Clarify => a,
            Phase::Estimate => b,
            Phase::HighLevelDesign => c,
            Phase::DeepDive => d,
            Phase::WrapUp => e,
        }
    }

    /// Adds the running stretch up to `now_s` to the current phase.
    fn fold(&mut self, now_s: f64) {
        if let Some(since) = self.running_since_s {
            let stretch = (now_s - since).max(0.0);
            let current = self.current;
            self.slot_mut(current).spent_s += stretch;
            self.running_since_s = Some(now_s.max(since));
        }
    }

    /// The phase being timed.
    pub fn current(&self) -> Phase {
        self.current
    }

    pub fn is_running(&self) -> bool {
        self.running_since_s.is_some()
    }

    /// Starts or resumes the clock; does nothing while it runs.
    pub fn start(&mut self, now_s: f64) {
        if self.running_since_s.is_none() {
            self.running_since_s = Some(now_s);
        }
    }

    /// Pauses the clock, keeping the time spent so far.
    pub fn pause(&mut self, now_s: f64) {
        self.fold(now_s);
        self.running_since_s = None;
    }

    /// Starts a paused clock or pauses a running one.
    pub fn toggle(&mut self, now_s: f64) {
        if self.is_running() {
            self.pause(now_s);
        } else {
            self.start(now_s);
        }
    }

    /// Stops the clock, forgets the time spent and goes back to the first
    /// phase. Planned durations are kept.
    pub fn reset(&mut self) {
        for slot in &mut self.phases {
            slot.spent_s = 0.0;
        }
        self.current = Phase::Clarify;
        self.running_since_s = None;
    }

    /// Moves to the next phase (the clock keeps running if it was). Returns
    /// false, changing nothing, in the last phase.
    pub fn next(&mut self, now_s: f64) -> bool {
        self.go_to(self.current.next(), now_s)
    }

    /// Moves back to the previous phase. Returns false in the first one.
    pub fn previous(&mut self, now_s: f64) -> bool {
        self.go_to(self.current.previous(), now_s)
    }

    /// Makes `phase` the current one, keeping the time already spent in it.
    pub fn set_current(&mut self, phase: Phase, now_s: f64) {
        self.go_to(Some(phase), now_s);
    }

    fn go_to(&mut self, phase: Option<Phase>, now_s: f64) -> bool {
        let Some(phase) = phase else {
            return false;
        };
        self.fold(now_s);
        self.current = phase;
        true
    }

    /// The planned length of a phase, in seconds.
    pub fn planned_s(&self, phase: Phase) -> f64 {
        self.slot(phase).planned_s
    }

    /// Changes the planned length of a phase. Negative or non-finite values
    /// are ignored.
    pub fn set_planned_s(&mut self, phase: Phase, planned_s: f64) {
        if planned_s.is_finite() && planned_s >= 0.0 {
            self.slot_mut(phase).planned_s = planned_s;
        }
    }

    /// Time spent in a phase so far, including the running stretch.
    pub fn elapsed_s(&self, phase: Phase, now_s: f64) -> f64 {
        let slot = self.slot(phase);
        match self.running_since_s {
            Some(since) if phase == self.current => slot.spent_s + (now_s - since).max(0.0),
            _ => slot.spent_s,
        }
    }

    /// Time spent in all phases together.
    pub fn total_elapsed_s(&self, now_s: f64) -> f64 {
        Phase::ALL
            .iter()
            .map(|&phase| self.elapsed_s(phase, now_s))
            .sum()
    }

    /// The planned length of the whole interview.
    pub fn total_planned_s(&self) -> f64 {
        self.phases.iter().map(|p| p.planned_s).sum()
    }

    /// Time left in the current phase; negative once it overruns.
    pub fn remaining_s(&self, now_s: f64) -> f64 {
        self.planned_s(self.current) - self.elapsed_s(self.current, now_s)
    }

    /// Whether the current phase has taken longer than planned.
    pub fn is_overrun(&self, now_s: f64) -> bool {
        self.remaining_s(now_s) < 0.0
    }

    /// Whether `phase` took (or is taking) longer than planned.
    pub fn phase_overrun(&self, phase: Phase, now_s: f64) -> bool {
        self.elapsed_s(phase, now_s) > self.planned_s(phase)
    }

    /// Every phase with its planned and spent time (the running stretch
    /// included), in interview order.
    pub fn phase_times(&self, now_s: f64) -> [PhaseTime; 5] {
        Phase::ALL.map(|phase| PhaseTime {
            phase,
            planned_s: self.planned_s(phase),
            spent_s: self.elapsed_s(phase, now_s),
        })
    }
}

/// Formats seconds as "m:ss" ("-1:05" once past zero, "1:02:03" past an
/// hour), rounding down to the whole second shown.
pub fn format_clock(seconds: f64) -> String {
    let negative = seconds < 0.0;
    let total = if seconds.is_finite() {
        seconds.abs().floor() as u64
    } else {
        0
    };
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    let sign = if negative && total > 0 { "-" } else { "" };
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_have_the_usual_default_plan() {
        let timer = Timer::new();
        let minutes: Vec<f64> = Phase::ALL
            .iter()
            .map(|&p| timer.planned_s(p) / 60.0)
            .collect();
        assert_eq!(minutes, [5.0, 5.0, 15.0, 15.0, 5.0]);
        assert_eq!(timer.total_planned_s(), 45.0 * 60.0);
        assert_eq!(timer.current(), Phase::Clarify);
        assert!(!timer.is_running());
        for phase in Phase::ALL {
            assert!(!phase.reminder().is_empty() && !phase.reminder().ends_with('.'));
        }
    }

    #[test]
    fn time_accrues_only_while_running() {
        let mut timer = Timer::new();
        assert_eq!(timer.elapsed_s(Phase::Clarify, 100.0), 0.0);
        timer.start(100.0);
        assert_eq!(timer.elapsed_s(Phase::Clarify, 160.0), 60.0);
        assert_eq!(timer.remaining_s(160.0), 240.0);
        timer.pause(190.0);
        assert_eq!(timer.elapsed_s(Phase::Clarify, 1_000.0), 90.0);
        timer.start(1_000.0);
        timer.start(1_010.0); // already running: no effect
        assert_eq!(timer.elapsed_s(Phase::Clarify, 1_030.0), 120.0);
        timer.toggle(1_030.0);
        assert!(!timer.is_running());
        assert_eq!(timer.total_elapsed_s(5_000.0), 120.0);
    }

    #[test]
    fn next_and_previous_move_the_clock_between_phases() {
        let mut timer = Timer::new();
        timer.start(0.0);
        assert!(timer.next(200.0));
        assert_eq!(timer.current(), Phase::Estimate);
        assert!(timer.is_running(), "the clock keeps running across phases");
        assert_eq!(timer.elapsed_s(Phase::Clarify, 500.0), 200.0);
        assert_eq!(timer.elapsed_s(Phase::Estimate, 500.0), 300.0);
        assert!(timer.previous(500.0));
        assert_eq!(timer.current(), Phase::Clarify);
        assert_eq!(timer.elapsed_s(Phase::Clarify, 510.0), 210.0);
        assert!(!timer.previous(510.0), "there is nothing before clarify");

        timer.set_current(Phase::WrapUp, 520.0);
        assert!(!timer.next(530.0), "there is nothing after wrap-up");
        assert_eq!(timer.current(), Phase::WrapUp);
        assert_eq!(timer.elapsed_s(Phase::WrapUp, 530.0), 10.0);
    }

    #[test]
    fn overrunning_a_phase_is_flagged() {
        let mut timer = Timer::new();
        timer.set_planned_s(Phase::Clarify, 120.0);
        timer.start(0.0);
        assert!(!timer.is_overrun(119.0));
        assert!(timer.is_overrun(125.0));
        assert_eq!(timer.remaining_s(125.0), -5.0);
        assert_eq!(format_clock(timer.remaining_s(125.0)), "-0:05");
        timer.next(130.0);
        assert!(!timer.is_overrun(130.0), "the new phase starts on time");
        assert!(timer.phase_overrun(Phase::Clarify, 130.0));
    }

    #[test]
    fn reset_keeps_the_plan_and_forgets_the_time() {
        let mut timer = Timer::new();
        timer.set_planned_s(Phase::DeepDive, 20.0 * 60.0);
        timer.set_planned_s(Phase::DeepDive, -1.0);
        timer.set_planned_s(Phase::DeepDive, f64::NAN);
        timer.start(0.0);
        timer.next(60.0);
        timer.reset();
        assert_eq!(timer.current(), Phase::Clarify);
        assert!(!timer.is_running());
        assert_eq!(timer.total_elapsed_s(1_000.0), 0.0);
        assert_eq!(timer.planned_s(Phase::DeepDive), 1_200.0);
    }

    #[test]
    fn a_clock_going_backwards_adds_no_time() {
        let mut timer = Timer::new();
        timer.start(100.0);
        assert_eq!(timer.elapsed_s(Phase::Clarify, 50.0), 0.0);
        timer.pause(50.0);
        assert_eq!(timer.elapsed_s(Phase::Clarify, 200.0), 0.0);
    }

    #[test]
    fn clock_text_is_minutes_and_seconds() {
        assert_eq!(format_clock(0.0), "0:00");
        assert_eq!(format_clock(299.9), "4:59");
        assert_eq!(format_clock(-0.4), "0:00");
        assert_eq!(format_clock(-65.0), "-1:05");
        assert_eq!(format_clock(3_723.0), "1:02:03");
        assert_eq!(format_clock(f64::NAN), "0:00");
    }
}
