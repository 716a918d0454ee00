//! What if: the design's answer to a failure or to more traffic, worked out
//! from the drawing alone. No UI types; pure and deterministic.
//!
//! [`simulate`] takes a [`Scenario`] (a component down, a zone or region
//! lost, a dependency slowed, a cache cold, a queue's consumers stopped,
//! traffic multiplied) and returns an [`Outcome`]:
//!
//! - a verdict ([`Verdict`]: works, degraded or fails) for every
//!   user-facing path (from a client through the edge and gateways to the
//!   component that handles it), every background path (a queue to its
//!   consumer) and every entry point;
//! - per component and per connection, its verdict and, when the
//!   requirements give a traffic estimate, its load, utilisation and
//!   headroom, and the first bottleneck;
//! - every step of the explanation as a [`Reason`], linked to what decided
//!   it: a connection's policy, a component's property, a checklist finding.
//!
//! The model (what is simulated, the capacity defaults, the known limits)
//! is described in `docs/whatif.md`. [`probes`] turns an outcome into the
//! questions an interviewer would ask about it.

mod engine;
mod explain;
mod graph;
mod load;
mod paths;
mod probes;
#[cfg(test)]
mod tests;

use crate::catalog::ComponentKind as K;
use crate::model::{Diagram, GroupKind, Id, Subject};
use crate::rules::{self, Finding};

pub use explain::{Cause, Effect, PolicyPart, Reason};
pub use probes::{ScenarioProbe, probes};

/// How a path, component or call fares in a scenario. Ordered from best to
/// worst, so `max` combines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// As usual.
    #[default]
    Works,
    /// Still served, by a fallback, a stale copy, a replica, fewer
    /// instances, a queue that buffers, or more slowly.
    Degraded,
    /// Not served.
    Fails,
}

impl Verdict {
    /// Lower-case name, as in the CLI and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Works => "works",
            Self::Degraded => "degraded",
            Self::Fails => "fails",
        }
    }

    /// Sentence-case name for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::Works => "Works",
            Self::Degraded => "Degraded",
            Self::Fails => "Fails",
        }
    }
}

/// What goes wrong in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Failure {
    /// The component as a whole stops answering: every instance of a
    /// service, the primary of a store (a replica may take over), a whole
    /// managed or external service.
    Down(Id),
    /// An availability zone (a group of kind Zone) is lost, with every card
    /// drawn inside it.
    Zone(Id),
    /// A region (a group of kind Region) is lost, with every card inside it.
    Region(Id),
    /// The component answers `factor` times slower than usual.
    Slow { component: Id, factor: f64 },
    /// A cache or CDN starts empty.
    CacheCold(Id),
    /// A queue's or log's consumers are stopped; it keeps accepting messages.
    ConsumersStopped(Id),
}

/// One question to the design: a failure (or none) at a traffic level.
/// Plain data (serde), so the command log, a session recording and the
/// interviewer link can carry it.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scenario {
    pub failure: Option<Failure>,
    /// Multiplier on the peak traffic from the requirements (1 = as stated).
    pub traffic: f64,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            failure: None,
            traffic: 1.0,
        }
    }
}

impl Scenario {
    /// Nothing fails, traffic as stated.
    pub fn baseline() -> Self {
        Self::default()
    }

    pub fn failing(failure: Failure) -> Self {
        Self {
            failure: Some(failure),
            traffic: 1.0,
        }
    }

    pub fn down(component: Id) -> Self {
        Self::failing(Failure::Down(component))
    }

    pub fn zone(group: Id) -> Self {
        Self::failing(Failure::Zone(group))
    }

    pub fn region(group: Id) -> Self {
        Self::failing(Failure::Region(group))
    }

    pub fn slow(component: Id, factor: f64) -> Self {
        Self::failing(Failure::Slow { component, factor })
    }

    pub fn cache_cold(component: Id) -> Self {
        Self::failing(Failure::CacheCold(component))
    }

    pub fn consumers_stopped(component: Id) -> Self {
        Self::failing(Failure::ConsumersStopped(component))
    }

    /// Nothing fails; traffic × `factor`.
    pub fn traffic(factor: f64) -> Self {
        Self {
            failure: None,
            traffic: factor,
        }
    }

    /// The same failure at traffic × `factor`.
    pub fn with_traffic(self, factor: f64) -> Self {
        Self {
            traffic: factor,
            ..self
        }
    }

    /// A stable key, e.g. `down:7`, `zone:40`, `traffic:10`, `slow:7x5+traffic:2`.
    pub fn key(&self) -> String {
        let failure = self.failure.map(|f| match f {
            Failure::Down(id) => format!("down:{}", id.0),
            Failure::Zone(id) => format!("zone:{}", id.0),
            Failure::Region(id) => format!("region:{}", id.0),
            Failure::Slow { component, factor } => {
                format!("slow:{}x{}", component.0, number_key(factor))
            }
            Failure::CacheCold(id) => format!("cold:{}", id.0),
            Failure::ConsumersStopped(id) => format!("stopped:{}", id.0),
        });
        let traffic =
            (self.traffic != 1.0).then(|| format!("traffic:{}", number_key(self.traffic)));
        match (failure, traffic) {
            (Some(f), Some(t)) => format!("{f}+{t}"),
            (Some(f), None) => f,
            (None, Some(t)) => t,
            (None, None) => "baseline".to_owned(),
        }
    }

    /// A short title, e.g. "Payment service is down" or "Traffic × 10".
    pub fn title(&self, diagram: &Diagram) -> String {
        let component = |id: Id| diagram.component(id).map_or("?", |c| c.name.as_str());
        let group = |id: Id| diagram.group(id).map_or("?", |g| g.label.as_str());
        let failure = self.failure.map(|f| match f {
            Failure::Down(id) => format!("{} is down", component(id)),
            Failure::Zone(id) => format!("{} (availability zone) is lost", group(id)),
            Failure::Region(id) => format!("{} (region) is lost", group(id)),
            Failure::Slow {
                component: id,
                factor,
            } => {
                format!("{} is {}× slower", component(id), number_key(factor))
            }
            Failure::CacheCold(id) => format!("{} starts cold", component(id)),
            Failure::ConsumersStopped(id) => {
                format!("The consumers of {} are stopped", component(id))
            }
        });
        let traffic = format!("traffic × {}", number_key(self.traffic));
        match failure {
            Some(f) if self.traffic != 1.0 => format!("{f}, {traffic}"),
            Some(f) => f,
            None => {
                let mut t = traffic;
                t.replace_range(..1, "T");
                t
            }
        }
    }
}

/// A number without trailing zeros: 10, 2.5.
fn number_key(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Why a scenario cannot run on a diagram.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ScenarioError {
    #[error("there is no component {0} in the design")]
    UnknownComponent(Id),
    #[error("{0} is not an availability zone of the design")]
    NotAZone(Id),
    #[error("{0} is not a region of the design")]
    NotARegion(Id),
    #[error("{0} is not a cache or CDN")]
    NotACache(String),
    #[error("{0} has no consumers to stop (it is not a queue or event log)")]
    NotAQueue(String),
    #[error("a slow-down factor must be a number from 1 to 1,000,000, not {}", shown(*.0))]
    BadFactor(f64),
    #[error("a traffic multiplier must be a number from 0.001 to 1,000,000, not {}", shown(*.0))]
    BadTraffic(f64),
}

/// The smallest traffic multiplier a scenario takes.
pub const MIN_TRAFFIC: f64 = 0.001;
/// The largest: a million times the stated peak is far past any design's
/// limit, and keeps every rate and title a readable number.
pub const MAX_TRAFFIC: f64 = 1_000_000.0;
/// The largest slow-down factor: a millisecond call then takes over 15
/// minutes, past every timeout.
pub const MAX_SLOW_FACTOR: f64 = 1_000_000.0;

/// A refused number in a message: short even when it is huge or tiny.
fn shown(value: f64) -> String {
    if value.is_finite() && (value == 0.0 || (1e-3..1e9).contains(&value.abs())) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

impl Scenario {
    /// Checks that the scenario fits the diagram.
    pub fn validate(&self, diagram: &Diagram) -> Result<(), ScenarioError> {
        if !(MIN_TRAFFIC..=MAX_TRAFFIC).contains(&self.traffic) {
            return Err(ScenarioError::BadTraffic(self.traffic));
        }
        let component = |id: Id| {
            diagram
                .component(id)
                .ok_or(ScenarioError::UnknownComponent(id))
        };
        let group_of =
            |id: Id, kind: GroupKind| diagram.group(id).filter(|g| g.kind == kind).is_some();
        match self.failure {
            None => {}
            Some(Failure::Down(id)) => {
                component(id)?;
            }
            Some(Failure::Zone(id)) if !group_of(id, GroupKind::Zone) => {
                return Err(ScenarioError::NotAZone(id));
            }
            Some(Failure::Region(id)) if !group_of(id, GroupKind::Region) => {
                return Err(ScenarioError::NotARegion(id));
            }
            Some(Failure::Zone(_) | Failure::Region(_)) => {}
            Some(Failure::Slow {
                component: id,
                factor,
            }) => {
                component(id)?;
                if !(1.0..=MAX_SLOW_FACTOR).contains(&factor) {
                    return Err(ScenarioError::BadFactor(factor));
                }
            }
            Some(Failure::CacheCold(id)) => {
                let c = component(id)?;
                if !matches!(c.kind, K::Cache | K::Cdn) {
                    return Err(ScenarioError::NotACache(c.name.clone()));
                }
            }
            Some(Failure::ConsumersStopped(id)) => {
                let c = component(id)?;
                if !matches!(c.kind, K::Queue | K::EventStore) {
                    return Err(ScenarioError::NotAQueue(c.name.clone()));
                }
            }
        }
        Ok(())
    }
}

/// A path's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathKind {
    /// A user's request, from a client to the component that handles it.
    Request,
    /// Work behind a queue: from a queue or log to one of its consumers.
    Background,
}

impl PathKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Background => "background",
        }
    }
}

/// The verdict on one path.
#[derive(Clone, Debug, PartialEq)]
pub struct PathOutcome {
    /// Stable across recomputation: `path:<connection ids>` for requests,
    /// `background:<connection id>` for background paths.
    pub key: String,
    pub kind: PathKind,
    /// What the path does: the most telling connection label, or the name
    /// of the component that handles it.
    pub name: String,
    /// The client (or, for background paths, the queue) it starts at.
    pub entry: Id,
    /// Components along the path, from the entry to the handler.
    pub components: Vec<Id>,
    /// Connections along the path, in order.
    pub connections: Vec<Id>,
    pub verdict: Verdict,
    /// Indices into [`Outcome::reasons`]: from the path's entry down to the
    /// root cause, depth first.
    pub reasons: Vec<usize>,
    /// Set when the explanation was cut at its first 100 steps (a failure
    /// that fans out to very many dependencies).
    pub reasons_truncated: bool,
}

/// The verdict on one entry point: a client, or a public component that
/// clients reach through the edge.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryOutcome {
    pub id: Id,
    /// The worst verdict of the paths through it.
    pub verdict: Verdict,
    /// Indices into [`Outcome::paths`].
    pub paths: Vec<usize>,
}

/// Load on one component.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ComponentLoad {
    pub reads_per_s: f64,
    pub writes_per_s: f64,
    /// Operations per second it can take in this scenario (fewer after
    /// losing instances or while waiting on failing calls); `None` when
    /// the kind has no capacity (clients, edge, telemetry).
    pub capacity_per_s: Option<f64>,
    /// Load over capacity (1.0 = full); `None` without a capacity or while
    /// it does not answer at all.
    pub utilisation: Option<f64>,
    pub autoscaling: bool,
}

impl ComponentLoad {
    pub fn total_per_s(&self) -> f64 {
        self.reads_per_s + self.writes_per_s
    }

    /// How many times the current traffic it can take before it is full.
    pub fn headroom(&self) -> Option<f64> {
        let util = self.utilisation?;
        (util > 0.0).then(|| 1.0 / util)
    }
}

/// One component in the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentOutcome {
    pub id: Id,
    /// For routers (gateways, balancers, CDNs), what the router itself
    /// does; for everything else, whether it can serve its requests.
    pub verdict: Verdict,
    /// Indices into [`Outcome::reasons`] recorded on this component.
    pub reasons: Vec<usize>,
    pub load: Option<ComponentLoad>,
}

/// One connection in the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct CallOutcome {
    pub id: Id,
    pub verdict: Verdict,
    /// Expected time the caller spends on the call, in milliseconds;
    /// `None` when it waits forever.
    pub wait_ms: Option<f64>,
    /// Calls reaching the callee per request (retries multiply, an open
    /// breaker stops them).
    pub load_factor: f64,
    /// Indices into [`Outcome::reasons`].
    pub reasons: Vec<usize>,
}

/// The traffic side of an outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadSummary {
    /// Requests per second entering at the clients in this scenario.
    pub entry_rps: f64,
    /// The peak rate from the requirements (the average when no peak
    /// factor is stated), before the scenario's multiplier.
    pub baseline_rps: f64,
    pub traffic: f64,
    pub reads_per_write: Option<f64>,
    /// The component that breaks first as traffic grows: the highest
    /// utilisation among those that cannot add instances on their own (or
    /// among all, when everything autoscales).
    pub bottleneck: Option<Id>,
    /// Assumptions made for missing inputs.
    pub notes: Vec<String>,
}

/// Everything a scenario shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub scenario: Scenario,
    /// Request paths first, then background paths, each in a stable order.
    pub paths: Vec<PathOutcome>,
    pub entries: Vec<EntryOutcome>,
    /// Every component, in diagram order.
    pub components: Vec<ComponentOutcome>,
    /// Every connection between two components, in diagram order.
    pub calls: Vec<CallOutcome>,
    /// `None` when the requirements give no traffic estimate.
    pub load: Option<LoadSummary>,
    pub reasons: Vec<Reason>,
    /// Set when a design has more paths than the simulation lists.
    pub paths_truncated: bool,
}

/// The affected part of the design.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlastRadius {
    pub components: Vec<Id>,
    pub connections: Vec<Id>,
    /// Indices into [`Outcome::paths`].
    pub paths: Vec<usize>,
}

impl Outcome {
    /// The worst verdict of any path (works when there is none).
    pub fn worst(&self) -> Verdict {
        self.paths
            .iter()
            .map(|p| p.verdict)
            .max()
            .unwrap_or(Verdict::Works)
    }

    pub fn component(&self, id: Id) -> Option<&ComponentOutcome> {
        self.components
            .binary_search_by_key(&id, |c| c.id)
            .ok()
            .and_then(|i| self.components.get(i))
            .or_else(|| self.components.iter().find(|c| c.id == id))
    }

    pub fn call(&self, id: Id) -> Option<&CallOutcome> {
        self.calls
            .binary_search_by_key(&id, |c| c.id)
            .ok()
            .and_then(|i| self.calls.get(i))
            .or_else(|| self.calls.iter().find(|c| c.id == id))
    }

    pub fn path(&self, key: &str) -> Option<&PathOutcome> {
        self.paths.iter().find(|p| p.key == key)
    }

    /// The reasons behind a list of indices.
    pub fn reasons_of<'s>(&'s self, indices: &'s [usize]) -> impl Iterator<Item = &'s Reason> {
        indices.iter().filter_map(|&i| self.reasons.get(i))
    }

    /// Components, connections and paths that do not simply work.
    pub fn blast_radius(&self) -> BlastRadius {
        BlastRadius {
            components: self
                .components
                .iter()
                .filter(|c| c.verdict != Verdict::Works)
                .map(|c| c.id)
                .collect(),
            connections: self
                .calls
                .iter()
                .filter(|c| c.verdict != Verdict::Works)
                .map(|c| c.id)
                .collect(),
            paths: self
                .paths
                .iter()
                .enumerate()
                .filter(|(_, p)| p.verdict != Verdict::Works)
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// How many paths have each verdict: (works, degraded, fails).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |v| self.paths.iter().filter(|p| p.verdict == v).count();
        (
            count(Verdict::Works),
            count(Verdict::Degraded),
            count(Verdict::Fails),
        )
    }

    /// The subjects the failure spreads along, for highlighting: every
    /// place a reason of a failing or degraded path is recorded at.
    pub fn spread(&self) -> Vec<Subject> {
        let mut seen = std::collections::BTreeSet::new();
        for path in self.paths.iter().filter(|p| p.verdict != Verdict::Works) {
            for reason in self.reasons_of(&path.reasons) {
                seen.insert(reason.at);
            }
        }
        seen.into_iter().collect()
    }
}

/// Runs `scenario` on `diagram`, linking reasons to the findings of
/// `rules::check`.
pub fn simulate(diagram: &Diagram, scenario: Scenario) -> Result<Outcome, ScenarioError> {
    let findings = rules::check(diagram);
    simulate_with(diagram, &findings, scenario)
}

/// The same as [`simulate`] with findings the caller already has (the app
/// keeps them per revision).
pub fn simulate_with(
    diagram: &Diagram,
    findings: &[Finding],
    scenario: Scenario,
) -> Result<Outcome, ScenarioError> {
    scenario.validate(diagram)?;
    let graph = graph::Graph::new(diagram);
    let mut sim = engine::Sim::new(graph, scenario, explain::Recorder::new(findings));
    sim.run();
    Ok(paths::finish(sim))
}
