//! The rubric: how a recorded session is scored.
//!
//! Six weighted dimensions (requirements and scope 15, estimation 10,
//! high-level design 25, deep dives 25, trade-offs and failure handling 15,
//! communication and time 10) hold criteria that are computed, never
//! judged: from the design at each recorded moment, its requirements, the
//! timer's log, the probes and their ratings. A dimension scores its weight
//! times the share of its criteria that were met; the total is out of 100.
//!
//! Each criterion says met or missed, why, and the moment of the replay
//! where it was earned (the change after which it held to the end) or
//! missed (the moment that decided it, or the end of the session).
//!
//! Known limits: "traceable" is a word match (a requirement counts as
//! traced when a component or connection on a client-to-store path shares
//! a word with it, plurals and other endings allowed), so an unlabelled
//! path traces nothing; the checklist runs once, on the final design.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::estimates::{EstimateKind, Estimates};
use super::probes::{ProbeRecord, Rating};
use super::recording::{EventKind, SavedSession, TimerEvent, apply_timer_event, secs};
use super::replay::Replay;
use super::timer::{Phase, format_clock};
use crate::catalog::ComponentKind;
use crate::model::{Diagram, Id};
use crate::rules::{self, Category, Severity};

/// A phase may run this much over its plan and still count as on budget.
pub const OVERRUN_GRACE_S: f64 = 60.0;

/// How many of the non-functional figures count as "stated with numbers".
pub const NUMBERS_NEEDED: usize = 3;

/// One area an interviewer scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dimension {
    RequirementsAndScope,
    Estimation,
    HighLevelDesign,
    DeepDives,
    TradeOffsAndFailure,
    CommunicationAndTime,
}

impl Dimension {
    pub const ALL: [Self; 6] = [
        Self::RequirementsAndScope,
        Self::Estimation,
        Self::HighLevelDesign,
        Self::DeepDives,
        Self::TradeOffsAndFailure,
        Self::CommunicationAndTime,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::RequirementsAndScope => "Requirements and scope",
            Self::Estimation => "Estimation",
            Self::HighLevelDesign => "High-level design",
            Self::DeepDives => "Deep dives",
            Self::TradeOffsAndFailure => "Trade-offs and failure handling",
            Self::CommunicationAndTime => "Communication and time",
        }
    }

    /// Points out of 100.
    pub fn weight(self) -> u32 {
        match self {
            Self::RequirementsAndScope | Self::TradeOffsAndFailure => 15,
            Self::Estimation | Self::CommunicationAndTime => 10,
            Self::HighLevelDesign | Self::DeepDives => 25,
        }
    }

    /// The checklist categories whose open errors count against this
    /// dimension (and whose rules progress reports for it).
    pub fn categories(self) -> &'static [Category] {
        match self {
            Self::HighLevelDesign => &[Category::Scalability, Category::Security],
            Self::DeepDives => &[
                Category::DataAndConsistency,
                Category::RealTime,
                Category::Messaging,
            ],
            Self::TradeOffsAndFailure => &[Category::FailureHandling, Category::Observability],
            _ => &[],
        }
    }
}

/// How one criterion went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// Stable id, e.g. `numbers-before-drawing`.
    pub id: String,
    pub title: String,
    pub met: bool,
    /// Where in the replay it was earned or missed (ms from the start).
    pub offset_ms: u64,
    /// What decided it, in a few words.
    pub evidence: String,
}

/// One dimension's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    pub dimension: Dimension,
    pub weight: u32,
    /// Out of `weight`.
    pub points: f64,
    pub criteria: Vec<CriterionResult>,
    /// Rules of this dimension's categories with an open finding at the end.
    #[serde(default)]
    pub open_rules: Vec<String>,
}

impl DimensionScore {
    /// The share of the weight earned, 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.weight == 0 {
            0.0
        } else {
            self.points / f64::from(self.weight)
        }
    }

    pub fn met_count(&self) -> usize {
        self.criteria.iter().filter(|c| c.met).count()
    }
}

/// The scored session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Out of 100.
    pub total: f64,
    pub dimensions: Vec<DimensionScore>,
}

impl Scorecard {
    pub fn dimension(&self, dimension: Dimension) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|d| d.dimension == dimension)
    }

    pub fn criterion(&self, id: &str) -> Option<&CriterionResult> {
        self.dimensions
            .iter()
            .flat_map(|d| &d.criteria)
            .find(|c| c.id == id)
    }

    /// The total as shown: "62".
    pub fn total_text(&self) -> String {
        format!("{:.0}", self.total)
    }
}

/// Scores a session. Builds its replay (refusing a damaged one).
pub fn score_session(session: &SavedSession) -> Result<Scorecard, super::replay::ReplayError> {
    let replay = Replay::new(session)?;
    Ok(score(session, &replay))
}

/// Scores a session whose replay is already built.
pub fn score(session: &SavedSession, replay: &Replay) -> Scorecard {
    let facts = Facts::gather(session, replay);
    let mut dimensions = Vec::new();
    for dimension in Dimension::ALL {
        let criteria = match dimension {
            Dimension::RequirementsAndScope => vec![
                functional_stated(&facts),
                numbers_before_drawing(&facts),
                guarantees_stated(&facts),
            ],
            Dimension::Estimation => vec![estimates_worked_out(&facts), estimated_first(&facts)],
            Dimension::HighLevelDesign => vec![
                client_to_store(&facts),
                requirements_traced(&facts),
                no_open_errors(&facts, dimension, "design-no-errors"),
            ],
            Dimension::DeepDives => vec![
                two_deep_dives(&facts),
                deep_dives_strong(&facts),
                no_open_errors(&facts, dimension, "data-no-errors"),
            ],
            Dimension::TradeOffsAndFailure => vec![
                trade_offs_named(&facts),
                trade_offs_explained(&facts),
                no_open_errors(&facts, dimension, "failure-no-errors"),
            ],
            Dimension::CommunicationAndTime => vec![
                phases_in_budget(&facts),
                reached_wrap_up(&facts),
                big_picture_answered(&facts),
            ],
        };
        let met = criteria.iter().filter(|c| c.met).count();
        let weight = dimension.weight();
        let points = if criteria.is_empty() {
            0.0
        } else {
            f64::from(weight) * met as f64 / criteria.len() as f64
        };
        let open_rules: BTreeSet<String> = facts
            .open_errors_and_warnings
            .iter()
            .filter(|(category, _, _)| dimension.categories().contains(category))
            .map(|(_, id, _)| (*id).to_owned())
            .collect();
        dimensions.push(DimensionScore {
            dimension,
            weight,
            points,
            criteria,
            open_rules: open_rules.into_iter().collect(),
        });
    }
    let total = dimensions.iter().map(|d| d.points).sum();
    Scorecard { total, dimensions }
}

/// What the design looked like after one change.
#[derive(Clone, Debug, Default)]
struct State {
    offset_ms: u64,
    functional: usize,
    numbers: usize,
    guarantees: bool,
    estimates: bool,
    components: usize,
    client_to_store: bool,
    untraced: Vec<String>,
    trade_off_named: bool,
    unexplained_trade_offs: usize,
}

impl State {
    fn of(d: &Diagram, offset_ms: u64) -> Self {
        let req = &d.requirements;
        let functional: Vec<&String> = req
            .functional
            .iter()
            .filter(|f| !f.trim().is_empty())
            .collect();
        let numbers = [
            req.daily_active_users.is_some(),
            req.requests_per_user_per_day.is_some(),
            req.peak_factor.is_some(),
            req.read_write_ratio.is_some(),
            req.payload_bytes.is_some(),
            req.retention_days.is_some(),
            req.latency_target_ms.is_some(),
            req.availability_percent.is_some(),
            req.regions.is_some(),
        ]
        .iter()
        .filter(|&&stated| stated)
        .count();
        let estimates = Estimates::from_requirements(req);
        let paths = PathWords::of(d);
        let untraced = functional
            .iter()
            .filter(|f| !paths.traces(f))
            .map(|f| (*f).clone())
            .collect();
        let note_named = d.notes.iter().any(|n| {
            let text = n.text.trim();
            let text = text.strip_prefix("Trade-off:").unwrap_or(text);
            !text.trim().is_empty()
        });
        Self {
            offset_ms,
            functional: functional.len(),
            numbers,
            guarantees: req.availability_percent.is_some()
                && req.latency_target_ms.is_some()
                && req.consistency != crate::model::ConsistencyNeed::Unstated,
            estimates: [
                EstimateKind::AverageRps,
                EstimateKind::PeakRps,
                EstimateKind::StoragePerYear,
            ]
            .iter()
            .all(|&k| estimates.get(k).is_some()),
            components: d.components.len(),
            client_to_store: paths.reaches_store,
            untraced,
            trade_off_named: note_named || d.decisions.iter().any(|x| !x.note.trim().is_empty()),
            unexplained_trade_offs: d
                .decisions
                .iter()
                .filter(|x| x.note.trim().is_empty())
                .count(),
        }
    }
}

/// Everything the criteria read, gathered in one pass over the session.
struct Facts {
    /// The state at the start.
    start: State,
    /// The state after each change, in order.
    after: Vec<State>,
    end_ms: u64,
    /// The first moment the clock was in the high-level design phase or later.
    design_began_ms: Option<u64>,
    wrap_up_ms: Option<u64>,
    /// Phases that ran over their plan plus the grace, with the moment.
    overruns: Vec<(Phase, u64)>,
    timer_used: bool,
    /// Rating events in order: offset, key, record.
    ratings: Vec<(u64, String, ProbeRecord)>,
    final_records: BTreeMap<String, ProbeRecord>,
    /// Open errors at the end: category, rule id, subject name.
    open_errors: Vec<(Category, &'static str, String)>,
    /// Open errors and warnings at the end (for the rules progress names).
    open_errors_and_warnings: Vec<(Category, &'static str, Severity)>,
}

impl Facts {
    fn gather(session: &SavedSession, replay: &Replay) -> Self {
        let start = State::of(&session.start, 0);
        let mut after = Vec::new();
        let mut diagram = session.start.clone();
        for (offset_ms, edit) in session.changes() {
            if edit.clone().apply(&mut diagram).is_err() {
                break;
            }
            after.push(State::of(&diagram, offset_ms));
        }
        let end_ms = session.duration_ms();
        let marks = session.phase_marks();
        let design_began_ms = marks
            .iter()
            .find(|m| m.phase >= Phase::HighLevelDesign)
            .map(|m| m.offset_ms);
        let wrap_up_ms = marks
            .iter()
            .find(|m| m.phase == Phase::WrapUp)
            .map(|m| m.offset_ms);
        let timer_end = session.timer_at(end_ms);
        let end_s = secs(session.ended_at_ms);
        let ratings = session
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Rating { key, record } => {
                    Some((session.offset_ms(e.at_ms), key.clone(), record.clone()))
                }
                _ => None,
            })
            .collect();
        let final_diagram = replay.final_diagram();
        let findings = rules::check(final_diagram);
        let review = rules::review(final_diagram, &findings);
        let open_errors = review
            .open
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.rule.category, f.rule.id, f.subject_name.clone()))
            .collect();
        let open_errors_and_warnings = review
            .open
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| (f.rule.category, f.rule.id, f.severity))
            .collect();
        Self {
            start,
            after,
            end_ms,
            design_began_ms,
            wrap_up_ms,
            overruns: overruns(session),
            timer_used: timer_end.total_elapsed_s(end_s) > 0.0,
            ratings,
            final_records: session.records_at(end_ms),
            open_errors,
            open_errors_and_warnings,
        }
    }

    fn last(&self) -> &State {
        self.after.last().unwrap_or(&self.start)
    }

    /// The state after the first `n` changes.
    fn after_count(&self, n: usize) -> &State {
        match n.checked_sub(1) {
            Some(i) => self.after.get(i).unwrap_or(self.last()),
            None => &self.start,
        }
    }

    /// The state at `offset_ms`: every change up to that moment applied.
    fn at(&self, offset_ms: u64) -> &State {
        self.after_count(self.after.partition_point(|s| s.offset_ms <= offset_ms))
    }

    /// Whether `holds` is true at the end, and since when without a break
    /// (the moment it was earned); or the end, when it is not.
    fn earned(&self, holds: impl Fn(&State) -> bool) -> (bool, u64) {
        if !holds(self.last()) {
            return (false, self.end_ms);
        }
        // The first state of the final unbroken run where it holds.
        let since = match self.after.iter().rposition(|s| !holds(s)) {
            Some(i) => self.after.get(i + 1).map_or(self.end_ms, |s| s.offset_ms),
            None if holds(&self.start) => 0,
            None => self.after.first().map_or(0, |s| s.offset_ms),
        };
        (true, since)
    }

    /// When the first component was drawn (0 when the session began with
    /// components) and the state just before it.
    fn first_drawing(&self) -> Option<(u64, &State)> {
        if self.start.components > 0 {
            return Some((0, &self.start));
        }
        let i = self.after.iter().position(|s| s.components > 0)?;
        let drawn = self.after.get(i)?;
        Some((drawn.offset_ms, self.after_count(i)))
    }
}

fn criterion(
    id: &str,
    title: &str,
    (met, offset_ms): (bool, u64),
    evidence: String,
) -> CriterionResult {
    CriterionResult {
        id: id.to_owned(),
        title: title.to_owned(),
        met,
        offset_ms,
        evidence,
    }
}

fn functional_stated(f: &Facts) -> CriterionResult {
    let n = f.last().functional;
    criterion(
        "functional-stated",
        "At least two functional requirements written down",
        f.earned(|s| s.functional >= 2),
        format!("{n} written down"),
    )
}

fn numbers_before_drawing(f: &Facts) -> CriterionResult {
    let title = "Scale and targets stated with numbers before the first component was drawn";
    let Some((drawn_ms, before)) = f.first_drawing() else {
        return criterion(
            "numbers-before-drawing",
            title,
            (false, f.end_ms),
            "Nothing was drawn".to_owned(),
        );
    };
    let met = before.numbers >= NUMBERS_NEEDED;
    let when = if before.components > 0 {
        format!(
            "when the session began with {} drawn",
            super::report::count(before.components, "component", "components")
        )
    } else {
        "when the first component was drawn".to_owned()
    };
    criterion(
        "numbers-before-drawing",
        title,
        (met, drawn_ms),
        format!(
            "{} {when} (at least {NUMBERS_NEEDED} needed)",
            super::report::count(before.numbers, "figure stated", "figures stated")
        ),
    )
}

fn guarantees_stated(f: &Facts) -> CriterionResult {
    criterion(
        "guarantees-stated",
        "Availability, latency and consistency targets stated",
        f.earned(|s| s.guarantees),
        if f.last().guarantees {
            "All three stated".to_owned()
        } else {
            "Availability, latency or consistency left open".to_owned()
        },
    )
}

fn estimates_worked_out(f: &Facts) -> CriterionResult {
    criterion(
        "estimates-worked-out",
        "Requests per second and storage estimated",
        f.earned(|s| s.estimates),
        if f.last().estimates {
            "Average and peak requests per second and storage per year worked out".to_owned()
        } else {
            "Needs daily users, requests per user, the peak factor, the read:write ratio and the payload size".to_owned()
        },
    )
}

fn estimated_first(f: &Facts) -> CriterionResult {
    let title = "Estimates in hand before the high-level design began";
    let (moment, state, what) = match (f.design_began_ms, f.first_drawing()) {
        (Some(ms), _) => (ms, f.at(ms), "the high-level design phase began"),
        (None, Some((ms, state))) => (ms, state, "the first component was drawn"),
        (None, None) => {
            return criterion(
                "estimated-first",
                title,
                (false, f.end_ms),
                "The design never began".to_owned(),
            );
        }
    };
    let met = state.estimates;
    criterion(
        "estimated-first",
        title,
        (met, moment),
        format!(
            "Estimates were {} when {what}",
            if met { "complete" } else { "not complete" }
        ),
    )
}

fn client_to_store(f: &Facts) -> CriterionResult {
    criterion(
        "client-to-store",
        "A request path drawn from a client to a store",
        f.earned(|s| s.client_to_store),
        if f.last().client_to_store {
            "A client reaches a database, storage, event store or index".to_owned()
        } else {
            "No client reaches a database, storage, event store or index".to_owned()
        },
    )
}

fn requirements_traced(f: &Facts) -> CriterionResult {
    let last = f.last();
    let evidence = if last.functional == 0 {
        "No functional requirements to trace".to_owned()
    } else if last.untraced.is_empty() {
        format!("All {} traced", last.functional)
    } else {
        let names: Vec<String> = last
            .untraced
            .iter()
            .map(|r| format!("“{}”", r.trim()))
            .collect();
        format!("Not traced: {}", names.join(", "))
    };
    criterion(
        "requirements-traced",
        "Every functional requirement traceable from a client to a store",
        f.earned(|s| s.functional > 0 && s.untraced.is_empty()),
        evidence,
    )
}

fn no_open_errors(f: &Facts, dimension: Dimension, id: &str) -> CriterionResult {
    let categories = dimension.categories();
    let names: Vec<String> = categories
        .iter()
        .map(|c| c.label().to_lowercase())
        .collect();
    let errors: Vec<&(Category, &str, String)> = f
        .open_errors
        .iter()
        .filter(|(c, _, _)| categories.contains(c))
        .collect();
    let rule_ids: BTreeSet<&str> = errors.iter().map(|(_, id, _)| *id).collect();
    let evidence = if errors.is_empty() {
        "None open".to_owned()
    } else {
        format!(
            "{} open: {}",
            errors.len(),
            rule_ids.into_iter().collect::<Vec<_>>().join(", ")
        )
    };
    criterion(
        id,
        &format!("No open errors in {} at the end", join_or(&names)),
        (errors.is_empty(), f.end_ms),
        evidence,
    )
}

/// Rated probes about a component or connection (not the design as a whole).
fn is_deep_dive(key: &str) -> bool {
    !key.starts_with("design:")
}

fn points(rating: Rating) -> f64 {
    match rating {
        Rating::Strong => 1.0,
        Rating::Partial => 0.5,
        Rating::Missed => 0.0,
    }
}

/// The moment the `n`th distinct key matching `keep` got a rating.
fn nth_rated(f: &Facts, n: usize, keep: impl Fn(&str) -> bool) -> Option<u64> {
    let mut rated = BTreeSet::new();
    for (at, key, record) in &f.ratings {
        if keep(key) && record.rating.is_some() {
            rated.insert(key.as_str());
            if rated.len() >= n {
                return Some(*at);
            }
        }
    }
    None
}

/// The last rating of a key matching `keep`.
fn last_rated(f: &Facts, keep: impl Fn(&str) -> bool) -> Option<u64> {
    f.ratings
        .iter()
        .rev()
        .find(|(_, key, r)| keep(key) && r.rating.is_some())
        .map(|(at, _, _)| *at)
}

fn final_ratings(f: &Facts, keep: impl Fn(&str) -> bool) -> Vec<Rating> {
    f.final_records
        .iter()
        .filter(|(key, _)| keep(key))
        .filter_map(|(_, r)| r.rating)
        .collect()
}

fn two_deep_dives(f: &Facts) -> CriterionResult {
    let rated = final_ratings(f, is_deep_dive).len();
    let moment = nth_rated(f, 2, is_deep_dive).filter(|_| rated >= 2);
    criterion(
        "two-deep-dives",
        "At least two deep dives rated",
        (moment.is_some(), moment.unwrap_or(f.end_ms)),
        format!("{rated} rated"),
    )
}

fn deep_dives_strong(f: &Facts) -> CriterionResult {
    let ratings = final_ratings(f, is_deep_dive);
    let title = "Deep-dive answers earn at least half the marks";
    if ratings.is_empty() {
        return criterion(
            "deep-dives-strong",
            title,
            (false, f.end_ms),
            "No deep dive rated".to_owned(),
        );
    }
    let share = ratings.iter().map(|&r| points(r)).sum::<f64>() / ratings.len() as f64;
    let moment = last_rated(f, is_deep_dive).unwrap_or(f.end_ms);
    criterion(
        "deep-dives-strong",
        title,
        (share >= 0.5, moment),
        format!(
            "{:.0}% of the marks over {} (strong 1, partial ½, missed 0)",
            share * 100.0,
            super::report::count(ratings.len(), "answer", "answers")
        ),
    )
}

fn trade_offs_named(f: &Facts) -> CriterionResult {
    criterion(
        "trade-offs-named",
        "Trade-offs written down",
        f.earned(|s| s.trade_off_named),
        if f.last().trade_off_named {
            "A note or an accepted finding says what was traded".to_owned()
        } else {
            "No note on the canvas and no accepted finding with a reason".to_owned()
        },
    )
}

fn trade_offs_explained(f: &Facts) -> CriterionResult {
    let n = f.last().unexplained_trade_offs;
    criterion(
        "trade-offs-explained",
        "No finding accepted without a reason",
        f.earned(|s| s.unexplained_trade_offs == 0),
        if n == 0 {
            "Every accepted finding has a note".to_owned()
        } else {
            format!(
                "{} without a note",
                super::report::count(n, "accepted finding", "accepted findings")
            )
        },
    )
}

fn phases_in_budget(f: &Facts) -> CriterionResult {
    let title = "Every phase kept within its planned time";
    if !f.timer_used {
        return criterion(
            "phases-in-budget",
            title,
            (false, f.end_ms),
            "The timer was not used".to_owned(),
        );
    }
    match f.overruns.iter().min_by_key(|(_, at)| *at) {
        None => criterion(
            "phases-in-budget",
            title,
            (true, f.end_ms),
            format!(
                "No phase ran more than {} over",
                format_clock(OVERRUN_GRACE_S)
            ),
        ),
        Some((phase, at)) => {
            let names: Vec<String> = f
                .overruns
                .iter()
                .map(|(p, _)| p.label().to_lowercase())
                .collect();
            criterion(
                "phases-in-budget",
                title,
                (false, *at),
                format!(
                    "Over by more than {}: {} (first: {})",
                    format_clock(OVERRUN_GRACE_S),
                    join_and(&names),
                    phase.label().to_lowercase()
                ),
            )
        }
    }
}

fn reached_wrap_up(f: &Facts) -> CriterionResult {
    criterion(
        "reached-wrap-up",
        "The interview reached the wrap-up",
        (f.wrap_up_ms.is_some(), f.wrap_up_ms.unwrap_or(f.end_ms)),
        if f.wrap_up_ms.is_some() {
            "The timer entered the wrap-up phase".to_owned()
        } else {
            "The timer never entered the wrap-up phase".to_owned()
        },
    )
}

fn big_picture_answered(f: &Facts) -> CriterionResult {
    let is_design = |key: &str| !is_deep_dive(key);
    let ratings = final_ratings(f, is_design);
    let missed = ratings.iter().filter(|&&r| r == Rating::Missed).count();
    let met = !ratings.is_empty() && missed == 0;
    let evidence = if ratings.is_empty() {
        "No question about the design as a whole was rated".to_owned()
    } else if missed > 0 {
        format!("{missed} of {} rated missed", ratings.len())
    } else {
        format!("{} rated, none missed", ratings.len())
    };
    criterion(
        "big-picture-answered",
        "Questions on the design as a whole answered",
        (met, last_rated(f, is_design).unwrap_or(f.end_ms)),
        evidence,
    )
}

/// The phases that ran more than [`OVERRUN_GRACE_S`] over their plan, with
/// the moment (ms from the start) each crossed that line.
fn overruns(session: &SavedSession) -> Vec<(Phase, u64)> {
    let mut timer = session.timer_at_start.clone();
    let mut crossed: HashMap<Phase, u64> = HashMap::new();
    let mut t = session.started_at_ms;
    for event in &session.events {
        let EventKind::Timer(e) = event.kind else {
            continue;
        };
        note_crossing(session, &timer, t, event.at_ms, &mut crossed);
        t = event.at_ms;
        if e == TimerEvent::Reset {
            crossed.clear();
        }
        apply_timer_event(&mut timer, e, secs(event.at_ms));
    }
    note_crossing(session, &timer, t, session.ended_at_ms, &mut crossed);
    let mut out: Vec<(Phase, u64)> = crossed.into_iter().collect();
    out.sort();
    out
}

/// Notes when the current phase crossed its plan plus the grace while the
/// clock ran from `from_ms` to `to_ms`.
fn note_crossing(
    session: &SavedSession,
    timer: &super::timer::Timer,
    from_ms: u64,
    to_ms: u64,
    crossed: &mut HashMap<Phase, u64>,
) {
    if !timer.is_running() || to_ms <= from_ms {
        return;
    }
    let phase = timer.current();
    let limit = timer.planned_s(phase) + OVERRUN_GRACE_S;
    let a = timer.elapsed_s(phase, secs(from_ms));
    let b = timer.elapsed_s(phase, secs(to_ms));
    if a <= limit && b > limit && !crossed.contains_key(&phase) {
        let at = from_ms + ((limit - a) * 1000.0).round() as u64;
        crossed.insert(phase, session.offset_ms(at));
    }
}

/// The words of the components and connections on client-to-store paths.
struct PathWords {
    reaches_store: bool,
    words: Vec<String>,
}

fn is_store(kind: ComponentKind) -> bool {
    matches!(
        kind,
        ComponentKind::RelationalDb
            | ComponentKind::DocumentDb
            | ComponentKind::ObjectStorage
            | ComponentKind::EventStore
            | ComponentKind::SearchIndex
    )
}

impl PathWords {
    fn of(d: &Diagram) -> Self {
        let index: HashMap<Id, usize> = d
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let n = d.components.len();
        let mut forward = vec![Vec::new(); n];
        let mut backward = vec![Vec::new(); n];
        for c in &d.connections {
            if let (Some(&a), Some(&b)) = (index.get(&c.from), index.get(&c.to)) {
                forward[a].push(b);
                backward[b].push(a);
            }
        }
        let from_clients = reach(
            &forward,
            d.components
                .iter()
                .enumerate()
                .filter(|(_, c)| c.kind == ComponentKind::Client)
                .map(|(i, _)| i),
        );
        let to_stores = reach(
            &backward,
            d.components
                .iter()
                .enumerate()
                .filter(|(_, c)| is_store(c.kind))
                .map(|(i, _)| i),
        );
        let on_path = |i: usize| from_clients[i] && to_stores[i];
        let reaches_store = d
            .components
            .iter()
            .enumerate()
            .any(|(i, c)| is_store(c.kind) && from_clients[i]);
        let mut words = Vec::new();
        for (i, c) in d.components.iter().enumerate() {
            if on_path(i) {
                words.extend(significant_words(&c.name));
            }
        }
        for c in &d.connections {
            if let (Some(&a), Some(&b)) = (index.get(&c.from), index.get(&c.to))
                && on_path(a)
                && on_path(b)
            {
                words.extend(significant_words(&c.label));
            }
        }
        words.sort();
        words.dedup();
        Self {
            reaches_store,
            words,
        }
    }

    fn traces(&self, requirement: &str) -> bool {
        significant_words(requirement)
            .iter()
            .any(|w| self.words.iter().any(|p| same_word(w, p)))
    }
}

/// Marks every node reachable from `starts` along `edges`.
fn reach(edges: &[Vec<usize>], starts: impl Iterator<Item = usize>) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for s in starts {
        if let Some(slot) = seen.get_mut(s)
            && !*slot
        {
            *slot = true;
            queue.push_back(s);
        }
    }
    while let Some(i) = queue.pop_front() {
        for &j in edges.get(i).map_or(&[][..], Vec::as_slice) {
            if let Some(slot) = seen.get_mut(j)
                && !*slot
            {
                *slot = true;
                queue.push_back(j);
            }
        }
    }
    seen
}

/// Words too common to trace anything by.
const STOP_WORDS: &[&str] = &[
    "about", "after", "all", "also", "and", "any", "anyone", "are", "can", "each", "every", "for",
    "from", "get", "has", "have", "into", "its", "not", "one", "our", "out", "per", "see", "than",
    "that", "the", "their", "them", "then", "they", "this", "under", "up", "user", "users", "via",
    "when", "who", "with", "within",
];

fn significant_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// The same word, give or take an ending ("order" and "orders", "redirect"
/// and "redirected"): equal, or one starts with the other and the shorter
/// has at least four letters.
fn same_word(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long || (short.chars().count() >= 4 && long.starts_with(short))
}

fn join_with(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

fn join_and(items: &[String]) -> String {
    join_with(items, "and")
}

fn join_or(items: &[String]) -> String {
    join_with(items, "or")
}

/// The scorecard as a Markdown section: the total, a table of dimensions,
/// then every criterion with its replay moment.
pub fn scorecard_markdown(card: &Scorecard) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "## Scorecard\n");
    let _ = writeln!(out, "**{} of 100**\n", card.total_text());
    let _ = writeln!(
        out,
        "| Dimension | Weight | Score | Criteria met |\n|---|---|---|---|"
    );
    for d in &card.dimensions {
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} | {} of {} |",
            d.dimension.label(),
            d.weight,
            d.points,
            d.met_count(),
            d.criteria.len()
        );
    }
    out.push('\n');
    for d in &card.dimensions {
        let _ = writeln!(
            out,
            "### {} ({:.1} of {})\n",
            d.dimension.label(),
            d.points,
            d.weight
        );
        for c in &d.criteria {
            let _ = writeln!(
                out,
                "- {} {} (at {}): {}",
                if c.met { "**Met**" } else { "**Missed**" },
                c.title,
                format_clock(c.offset_ms as f64 / 1000.0),
                super::report::md(&c.evidence)
            );
        }
        if !d.open_rules.is_empty() {
            let ids: Vec<String> = d.open_rules.iter().map(|id| format!("`{id}`")).collect();
            let _ = writeln!(out, "\nRules still open at the end: {}.", ids.join(", "));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
