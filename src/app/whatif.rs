//! What-if mode without the UI: a scenario (a failure, more traffic, or
//! both) played through the open design by `crate::sim`, kept up to date
//! as the design changes, and the interviewer questions it raises.
//!
//! The mode is view state, like the selection: the scenario lives in the
//! session, never in the diagram or its undo history, and leaving the mode
//! forgets it. Commands that change it ([`WhatIfCommand`]) are logged, so a
//! recording of the session sees every scenario that was run.

use serde::{Deserialize, Serialize};

use super::derived::DocKey;
use crate::catalog::ComponentKind as K;
use crate::interview::{CurveballKind, Probe, ProbeSource};
use crate::model::{Diagram, GroupKind};
use crate::rules::Finding;
use crate::sim::{self, Failure, Outcome, Scenario, ScenarioProbe};

/// A change of what-if mode.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum WhatIfCommand {
    /// Shows `scenario` over the design, entering the mode when it is off.
    /// A scenario that does not fit the design (a component that is not
    /// there, a group that is not a zone) is refused.
    Run(Scenario),
    /// Leaves the mode: the canvas shows the design as it is.
    Leave,
}

/// What-if mode while it is on: the scenario and its outcome on the
/// current document state.
#[derive(Debug)]
pub struct WhatIf {
    scenario: Scenario,
    /// The document state `outcome` and `probes` were computed for.
    key: Option<DocKey>,
    outcome: Option<Outcome>,
    probes: Vec<Probe>,
}

impl WhatIf {
    pub(super) fn new(scenario: Scenario) -> Self {
        Self {
            scenario,
            key: None,
            outcome: None,
            probes: Vec::new(),
        }
    }

    /// The scenario being shown, a plain value (`Scenario::key` names it
    /// stably, `Scenario::title` in words).
    pub fn scenario(&self) -> Scenario {
        self.scenario
    }

    /// Its outcome on the current design.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// The interviewer questions it raises (none for the baseline: nothing
    /// fails and traffic is as stated).
    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    /// Brings the outcome up to the document state `key`. An edit that
    /// removed what the scenario fails (or turned a zone into another kind
    /// of group) drops the failure and keeps the traffic; the message says
    /// so. Returns whether anything was recomputed, and that message.
    pub(super) fn refresh(
        &mut self,
        key: DocKey,
        diagram: &Diagram,
        findings: &[Finding],
    ) -> (bool, Option<String>) {
        if self.key == Some(key) {
            return (false, None);
        }
        let mut message = None;
        if self.scenario.validate(diagram).is_err() {
            let title = self.scenario.title(diagram);
            self.scenario = Scenario::traffic(self.scenario.traffic);
            message = Some(format!(
                "What if: the scenario no longer fits the design ({title}); showing traffic only"
            ));
        }
        self.key = Some(key);
        self.outcome = sim::simulate_with(diagram, findings, self.scenario).ok();
        self.probes = match &self.outcome {
            Some(outcome) if self.scenario != Scenario::baseline() => sim::probes(diagram, outcome)
                .into_iter()
                .map(interview_probe)
                .collect(),
            _ => Vec::new(),
        };
        (true, message)
    }
}

/// The scenario an interviewer's curveball asks for, on top of
/// `current` (the scenario shown, if any): traffic ×10 keeps the failure,
/// a failure keeps the traffic. A region, a cache or a dependency is the
/// one `detail` names, else the first in the design; `None` when the
/// design has none (or for a new requirement, which is no scenario).
pub fn curveball_scenario(
    kind: CurveballKind,
    detail: &str,
    diagram: &Diagram,
    current: Option<Scenario>,
) -> Option<Scenario> {
    let current = current.unwrap_or_default();
    let detail = detail.to_lowercase();
    // The candidate named in the detail (the longest name wins: "Orders
    // DB replica" over "Orders DB"), else the first.
    let pick = |candidates: Vec<(crate::model::Id, &str)>| {
        candidates
            .iter()
            .filter(|(_, name)| !name.is_empty() && detail.contains(&name.to_lowercase()))
            .max_by_key(|(_, name)| name.len())
            .or(candidates.first())
            .map(|&(id, _)| id)
    };
    let components = |kinds: &[K]| -> Vec<(crate::model::Id, &str)> {
        diagram
            .components
            .iter()
            .filter(|c| kinds.contains(&c.kind))
            .map(|c| (c.id, c.name.as_str()))
            .collect()
    };
    let failure = match kind {
        CurveballKind::TrafficSurge => return Some(current.with_traffic(10.0)),
        CurveballKind::NewRequirement => return None,
        CurveballKind::RegionDown => Failure::Region(pick(
            diagram
                .groups
                .iter()
                .filter(|g| g.kind == GroupKind::Region)
                .map(|g| (g.id, g.label.as_str()))
                .collect(),
        )?),
        CurveballKind::ColdCache => Failure::CacheCold(pick(components(&[K::Cache, K::Cdn]))?),
        CurveballKind::DependencyFails => Failure::Down(pick(components(&[K::ExternalService]))?),
    };
    Some(Scenario::failing(failure).with_traffic(current.traffic))
}

/// A scenario's question as an interview probe.
fn interview_probe(p: ScenarioProbe) -> Probe {
    Probe {
        key: p.key,
        source: ProbeSource::WhatIf,
        subject: p.subject,
        subject_name: p.subject_name,
        question: p.question,
        hint: p.hint,
    }
}

/// Every what-if question raised in this session, in the order first
/// raised, one per key (the latest wording wins). The probes list shows
/// the current scenario's, plus those of earlier scenarios that the
/// interviewer noted something on, so a rating never turns into a note on
/// "a probe the design no longer raises" when the scenario changes.
#[derive(Debug, Default)]
pub(super) struct RaisedProbes {
    probes: Vec<Probe>,
}

impl RaisedProbes {
    pub fn remember(&mut self, raised: &[Probe]) {
        for probe in raised {
            match self.probes.iter_mut().find(|p| p.key == probe.key) {
                Some(known) => known.clone_from(probe),
                None => self.probes.push(probe.clone()),
            }
        }
    }

    /// The ones to show: raised by `current`, or noted on (`noted` says
    /// whether a key has a record).
    pub fn shown(&self, current: &[Probe], noted: impl Fn(&str) -> bool) -> Vec<Probe> {
        self.probes
            .iter()
            .filter(|p| current.iter().any(|c| c.key == p.key) || noted(&p.key))
            .cloned()
            .collect()
    }
}
