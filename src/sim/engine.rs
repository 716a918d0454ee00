//! The simulation's passes over one diagram and one scenario:
//!
//! 1. **States**: what the scenario does to each component (down, a replica
//!    takes over, instances lost with a zone, slowed, a cold cache…).
//! 2. **Answers, first pass** (dependencies first): can each component
//!    answer, how long it takes, whether its callers wait forever, and per
//!    call how much load it sends on (retries multiply it, an open circuit
//!    breaker cuts it).
//! 3. **Load** (callers first): the peak traffic from the requirements
//!    flows from the clients along the connections, through caches and
//!    routers, multiplied by the first pass's retry factors; utilisation is
//!    load over capacity, where capacity shrinks with lost instances and
//!    with the time a component spends waiting on failing calls.
//! 4. **Answers, second pass**: as in 2, now with overloaded components.
//!
//! Everything is a pure function of the diagram, the scenario and the
//! findings; the passes are linear in components plus connections.

use std::collections::BTreeSet;

use super::explain::{Cause, Effect, PolicyPart, Recorder};
use super::graph::{EdgeRole, Graph, is_edge};
use super::load::Load;
use super::{Failure, Scenario, Verdict};
use crate::catalog::ComponentKind as K;
use crate::model::{ConnectionKind, GroupKind, Id, PropKey, Redundancy, Retry, Subject};

/// What edge services (CDN, load balancer, traffic manager) wait for their
/// origin before they give up: their built-in timeout.
const EDGE_TIMEOUT_MS: f64 = 30_000.0;
/// What a message broker's client library waits before a send fails.
const PUBLISH_TIMEOUT_MS: f64 = 60_000.0;
/// Utilisation above which a component is overloaded.
const SATURATED: f64 = 1.0;
/// Requests one instance of a service, hub, worker or workflow keeps in
/// flight before its threads or connections run out (docs/whatif.md).
pub(super) const IN_FLIGHT_PER_INSTANCE: f64 = 200.0;

/// The expected time a component spends on a request itself, without its
/// dependencies, in milliseconds (docs/whatif.md).
pub(super) fn own_latency_ms(kind: K) -> f64 {
    match kind {
        K::Client | K::TrafficManager | K::LogSink | K::Metrics | K::Tracing => 0.0,
        K::LoadBalancer | K::Cache => 1.0,
        K::Cdn | K::ApiGateway | K::RealtimeHub => 5.0,
        K::RelationalDb | K::DocumentDb | K::Queue | K::EventStore | K::Analytics => 5.0,
        K::Service | K::Worker | K::Workflow => 10.0,
        K::ObjectStorage | K::SearchIndex => 20.0,
        K::IdentityProvider => 50.0,
        K::ExternalService => 200.0,
    }
}

/// Read and write flags for routing traffic by what a route does.
pub(super) const READS: u8 = 1;
pub(super) const WRITES: u8 = 2;

/// The simulation's properties of one component: the file's value, or the
/// kind's default (`ComponentKind::simulation_defaults`).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Sizing {
    pub capacity_rps: Option<u32>,
    pub consumer_rate: Option<u32>,
    pub cache_hit_percent: Option<u32>,
    pub partitions: Option<u32>,
    pub partition_ops: Option<u32>,
    pub traffic_share: Option<u32>,
    pub zones: Option<u32>,
}

impl Sizing {
    fn of(c: &crate::model::Component) -> Self {
        let d = c.kind.simulation_defaults();
        let p = &c.properties;
        Self {
            capacity_rps: p.capacity_rps.or(d.capacity_rps),
            consumer_rate: p.consumer_rate.or(d.consumer_rate),
            cache_hit_percent: p.cache_hit_percent.or(d.cache_hit_percent),
            partitions: p.partitions.or(d.partitions),
            partition_ops: p.partition_ops.or(d.partition_ops),
            traffic_share: p.traffic_share.or(d.traffic_share),
            zones: p.zones.or(d.zones),
        }
    }
}

/// What the scenario does to one component.
#[derive(Clone, Debug)]
pub(super) struct State {
    pub down: bool,
    /// The primary is lost and nothing promotes the replica: reads only.
    pub read_only: bool,
    /// A replica or another zone or region took over.
    pub failed_over: bool,
    /// Share of the instances still running.
    pub share_left: f64,
    /// Lost instances still receive traffic (no health checks).
    pub misrouted: bool,
    /// Latency multiplier.
    pub slow: f64,
    pub cold: bool,
    pub consumers_stopped: bool,
    /// Reasons for the above.
    pub reasons: Vec<usize>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            down: false,
            read_only: false,
            failed_over: false,
            share_left: 1.0,
            misrouted: false,
            slow: 1.0,
            cold: false,
            consumers_stopped: false,
            reasons: Vec::new(),
        }
    }
}

impl State {
    /// Whether the component still answers, but in a degraded way. Stopped
    /// consumers leave the queue itself answering normally.
    fn answers_degraded(&self) -> bool {
        self.read_only || self.failed_over || self.share_left < 1.0 || self.slow > 1.0 || self.cold
    }

    /// The verdict the state alone gives (before dependencies).
    pub fn verdict(&self) -> Verdict {
        if self.down || self.misrouted {
            Verdict::Fails
        } else if self.read_only
            || self.failed_over
            || self.share_left < 1.0
            || self.slow > 1.0
            || self.cold
            || self.consumers_stopped
        {
            Verdict::Degraded
        } else {
            Verdict::Works
        }
    }
}

/// Whether and how a component answers a request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Answer {
    pub verdict: Verdict,
    /// For a failure: the caller waits forever rather than getting an error.
    pub hang: bool,
    /// Expected time to the answer (or to the error); infinite when hanging.
    pub latency_ms: f64,
}

impl Answer {
    fn works(latency_ms: f64) -> Self {
        Self {
            verdict: Verdict::Works,
            hang: false,
            latency_ms,
        }
    }
}

/// The result of one call along one connection.
#[derive(Clone, Debug)]
pub(super) struct Call {
    pub verdict: Verdict,
    pub hang: bool,
    /// Expected time the caller spends on the call; infinite when hanging.
    pub wait_ms: f64,
    /// Calls that reach the callee per request (retries multiply, an open
    /// breaker stops them).
    pub load_factor: f64,
    pub reasons: Vec<usize>,
}

impl Default for Call {
    fn default() -> Self {
        Self {
            verdict: Verdict::Works,
            hang: false,
            wait_ms: 0.0,
            load_factor: 1.0,
            reasons: Vec::new(),
        }
    }
}

impl Call {
    pub(super) fn fails(&self) -> bool {
        self.verdict == Verdict::Fails
    }
}

pub(super) struct Sim<'a> {
    pub g: Graph<'a>,
    pub scenario: Scenario,
    pub rec: Recorder,
    pub states: Vec<State>,
    /// Expected latency with nothing failing.
    pub nominal_ms: Vec<f64>,
    pub answers: Vec<Answer>,
    /// Per component: its own answer (see [`Sim::answer`]).
    pub own: Vec<Answer>,
    /// Per component: a hanging call used up its threads.
    exhausted: Vec<bool>,
    /// Reasons recorded on each component by the answer pass.
    pub comp_reasons: Vec<Vec<usize>>,
    /// Per edge, the call as the caller's answer saw it.
    pub calls: Vec<Call>,
    /// Per edge: read/write flags of what the edge leads to.
    pub edge_roles: Vec<u8>,
    /// Per component: the tenant group it sits in, for stores.
    pub tenant: Vec<Option<Id>>,
    pub load: Option<Load>,
    /// Per component: capacity and placement.
    pub sizing: Vec<Sizing>,
}

fn is_store(kind: K) -> bool {
    kind.is_store()
}

/// Kinds that consume messages and whose overload grows a backlog.
pub(super) fn is_consumer(kind: K) -> bool {
    matches!(kind, K::Worker | K::Workflow)
}

/// Kinds whose capacity shrinks while they wait on their dependencies.
/// Gateways are left out: they forward asynchronously and are limited by
/// their own capacity, not by how long the backends take.
pub(super) fn waits_on_dependencies(kind: K) -> bool {
    matches!(kind, K::Service | K::Worker | K::RealtimeHub | K::Workflow)
}

impl<'a> Sim<'a> {
    pub fn new(g: Graph<'a>, scenario: Scenario, rec: Recorder) -> Self {
        let n = g.len();
        let m = g.edges.len();
        let sizing = g.diagram.components.iter().map(Sizing::of).collect();
        Self {
            sizing,
            g,
            scenario,
            rec,
            states: vec![State::default(); n],
            nominal_ms: vec![0.0; n],
            answers: vec![Answer::works(0.0); n],
            own: vec![Answer::works(0.0); n],
            exhausted: vec![false; n],
            comp_reasons: vec![Vec::new(); n],
            calls: vec![Call::default(); m],
            edge_roles: vec![READS | WRITES; m],
            tenant: vec![None; n],
            load: None,
        }
    }

    /// Runs every pass.
    pub fn run(&mut self) {
        self.apply_scenario();
        self.place_tenants();
        self.roles_and_nominal();
        // First pass: no reasons, no overload; its calls feed the load pass.
        let real = std::mem::replace(&mut self.rec, Recorder::disabled());
        self.answer_all(None);
        self.rec = real;
        self.load = self.propagate_load();
        let utilisation = self.load.as_ref().map(|l| l.utilisation.clone());
        self.answer_all(utilisation.as_deref());
    }

    fn component_subject(&self, i: usize) -> Subject {
        Subject::Component(self.g.id(i))
    }

    fn property(&self, i: usize, key: PropKey) -> Cause {
        Cause::Property {
            component: self.g.id(i),
            key,
        }
    }

    fn add_state_reason(
        &mut self,
        i: usize,
        effect: Effect,
        causes: Vec<Cause>,
        rules: &[(&'static str, Subject)],
    ) {
        let at = self.component_subject(i);
        let r = self.rec.add(at, effect, causes, rules);
        if let Some(state) = self.states.get_mut(i) {
            state.reasons.push(r);
        }
    }

    // ---- 1. States -----------------------------------------------------

    fn apply_scenario(&mut self) {
        let Some(failure) = self.scenario.failure else {
            return;
        };
        match failure {
            Failure::Down(id) => {
                if let Some(i) = self.g.index_of(id) {
                    self.fail_component(i);
                }
            }
            Failure::Zone(group) | Failure::Region(group) => self.lose_group(group),
            Failure::Slow { component, factor } => {
                if let Some(i) = self.g.index_of(component) {
                    if let Some(s) = self.states.get_mut(i) {
                        s.slow = factor.max(1.0);
                    }
                    let factor_x100 = (factor * 100.0).round().clamp(0.0, 1e9) as u32;
                    self.add_state_reason(
                        i,
                        Effect::Slowed { factor_x100 },
                        vec![Cause::Scenario],
                        &[],
                    );
                }
            }
            Failure::CacheCold(id) => {
                if let Some(i) = self.g.index_of(id) {
                    if let Some(s) = self.states.get_mut(i) {
                        s.cold = true;
                    }
                    self.add_state_reason(i, Effect::Cold, vec![Cause::Scenario], &[]);
                }
            }
            Failure::ConsumersStopped(id) => {
                if let Some(i) = self.g.index_of(id) {
                    if let Some(s) = self.states.get_mut(i) {
                        s.consumers_stopped = true;
                    }
                    self.add_state_reason(i, Effect::ConsumersStopped, vec![Cause::Scenario], &[]);
                }
            }
        }
    }

    /// The component fails as a whole: every instance of a service, the
    /// primary of a store (a replica may take over), a whole managed or
    /// external service.
    fn fail_component(&mut self, i: usize) {
        let Some(c) = self.g.component(i) else {
            return;
        };
        let props = &c.properties;
        let subject = self.component_subject(i);
        let replicas = props.replicas.unwrap_or(0);
        let failover = props.failover.unwrap_or(true);
        // A replica drawn as its own card, fed by a replication connection.
        let drawn_replica = self.g.out(i).iter().find_map(|&e| {
            let edge = self.g.edge(e)?;
            (edge.conn.kind == ConnectionKind::Replication && edge.to != i).then_some(edge.conn.id)
        });
        let has_replica = is_store(c.kind) && (replicas > 0 || drawn_replica.is_some());
        let mut replica_causes = vec![self.property(i, PropKey::Replicas)];
        if let Some(conn) = drawn_replica {
            replica_causes.push(Cause::Connection(conn));
        }
        if has_replica && failover {
            if let Some(s) = self.states.get_mut(i) {
                s.failed_over = true;
            }
            replica_causes.insert(0, Cause::Scenario);
            if props.failover.is_some() {
                replica_causes.push(self.property(i, PropKey::Failover));
            }
            self.add_state_reason(i, Effect::ReplicaTakesOver, replica_causes, &[]);
        } else if has_replica {
            if let Some(s) = self.states.get_mut(i) {
                s.read_only = true;
            }
            replica_causes.insert(0, Cause::Scenario);
            replica_causes.push(self.property(i, PropKey::Failover));
            self.add_state_reason(
                i,
                Effect::ReadsFromReplica,
                replica_causes,
                &[("FAIL-010", subject)],
            );
        } else if c.kind == K::ObjectStorage && props.redundancy == Some(Redundancy::Geo) {
            if let Some(s) = self.states.get_mut(i) {
                s.read_only = true;
            }
            self.add_state_reason(
                i,
                Effect::ReadsFromReplica,
                vec![Cause::Scenario, self.property(i, PropKey::Redundancy)],
                &[],
            );
        } else {
            if let Some(s) = self.states.get_mut(i) {
                s.down = true;
            }
            let mut causes = vec![Cause::Scenario];
            if props.instances.is_some() {
                causes.push(self.property(i, PropKey::Instances));
            }
            if is_store(c.kind) && props.replicas.is_some() {
                causes.push(self.property(i, PropKey::Replicas));
            }
            self.add_state_reason(
                i,
                Effect::Down,
                causes,
                &[("FAIL-009", subject), ("FAIL-010", subject)],
            );
        }
    }

    /// A zone or region is lost: what sits in it goes down, unless it runs
    /// elsewhere too.
    fn lose_group(&mut self, group_id: Id) {
        let Some(group) = self.g.diagram.group(group_id) else {
            return;
        };
        let region = group.kind == GroupKind::Region;
        let rect = group.rect;
        for i in 0..self.g.len() {
            let Some(c) = self.g.component(i) else {
                continue;
            };
            if !rect.contains(c.rect().center()) {
                continue;
            }
            let props = &c.properties;
            let sizing = self.sizing.get(i).copied().unwrap_or_default();
            let zones = sizing.zones.unwrap_or(1);
            let group_cause = Cause::Group(group_id);
            let subject = self.component_subject(i);
            if region {
                let other_region =
                    (c.kind == K::DocumentDb && props.multi_region_writes == Some(true))
                        .then_some(PropKey::MultiRegionWrites)
                        .or((c.kind == K::ObjectStorage
                            && props.redundancy == Some(Redundancy::Geo))
                        .then_some(PropKey::Redundancy));
                if let Some(key) = other_region {
                    if let Some(s) = self.states.get_mut(i) {
                        if key == PropKey::Redundancy {
                            s.read_only = true;
                        } else {
                            s.failed_over = true;
                        }
                    }
                    let causes = vec![group_cause, self.property(i, key)];
                    self.add_state_reason(
                        i,
                        Effect::OtherRegionTakesOver { group: group_id },
                        causes,
                        &[],
                    );
                } else {
                    if let Some(s) = self.states.get_mut(i) {
                        s.down = true;
                    }
                    self.add_state_reason(
                        i,
                        Effect::InGroup { group: group_id },
                        vec![group_cause],
                        &[("FAIL-011", Subject::Design)],
                    );
                }
                continue;
            }
            let zone_redundant_storage = c.kind == K::ObjectStorage
                && matches!(props.redundancy, Some(Redundancy::Zone | Redundancy::Geo));
            let spread = zones >= 2 || zone_redundant_storage;
            let instances = props.instances;
            match (spread, instances) {
                (true, Some(n)) if n >= 2 => {
                    let lost = n.div_ceil(zones.max(1)).max(1);
                    let left = n.saturating_sub(lost);
                    let balanced = matches!(c.kind, K::ApiGateway | K::Service | K::RealtimeHub);
                    let probed = props.health_checks != Some(false);
                    if let Some(s) = self.states.get_mut(i) {
                        s.share_left = f64::from(left) / f64::from(n);
                        s.misrouted = balanced && !probed;
                    }
                    let causes = vec![
                        group_cause,
                        self.property(i, PropKey::Zones),
                        self.property(i, PropKey::Instances),
                    ];
                    self.add_state_reason(
                        i,
                        Effect::InstancesLeft {
                            group: group_id,
                            left,
                            of: n,
                        },
                        causes,
                        &[],
                    );
                    if balanced && !probed {
                        let causes = vec![self.property(i, PropKey::HealthChecks)];
                        self.add_state_reason(
                            i,
                            Effect::Misrouted,
                            causes,
                            &[("FAIL-012", subject)],
                        );
                    }
                }
                (true, None) => {
                    if let Some(s) = self.states.get_mut(i) {
                        s.failed_over = true;
                    }
                    let key = if zone_redundant_storage {
                        PropKey::Redundancy
                    } else {
                        PropKey::Zones
                    };
                    let causes = vec![group_cause, self.property(i, key)];
                    self.add_state_reason(
                        i,
                        Effect::OtherZonesTakeOver { group: group_id },
                        causes,
                        &[],
                    );
                }
                _ => {
                    if let Some(s) = self.states.get_mut(i) {
                        s.down = true;
                    }
                    let mut causes = vec![group_cause];
                    if sizing.zones.is_some() {
                        causes.push(self.property(i, PropKey::Zones));
                    }
                    if instances.is_some() {
                        causes.push(self.property(i, PropKey::Instances));
                    }
                    self.add_state_reason(
                        i,
                        Effect::InGroup { group: group_id },
                        causes,
                        &[("FAIL-009", subject)],
                    );
                }
            }
        }
    }

    /// Which tenant group each store sits in (only stores matter).
    fn place_tenants(&mut self) {
        let tenants: Vec<_> = self
            .g
            .diagram
            .groups
            .iter()
            .filter(|g| g.kind == GroupKind::Tenant)
            .collect();
        if tenants.is_empty() {
            return;
        }
        for i in 0..self.g.len() {
            let Some(c) = self.g.component(i) else {
                continue;
            };
            if !is_store(c.kind) {
                continue;
            }
            let center = c.rect().center();
            if let Some(slot) = self.tenant.get_mut(i) {
                *slot = tenants
                    .iter()
                    .find(|g| g.rect.contains(center))
                    .map(|g| g.id);
            }
        }
    }

    // ---- Shared facts --------------------------------------------------

    /// Dependency edges of `i` that the answer passes follow.
    fn dependencies(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.g.out(i).iter().copied().filter(move |&e| {
            !self.g.answer_back.get(e).copied().unwrap_or(true)
                && self
                    .g
                    .edge(e)
                    .is_some_and(|edge| matches!(edge.role, EdgeRole::Call | EdgeRole::Publish))
        })
    }

    pub(super) fn hit_ratio(&self, i: usize) -> f64 {
        if self.states.get(i).is_some_and(|s| s.cold) {
            return 0.0;
        }
        let percent = self
            .sizing
            .get(i)
            .and_then(|s| s.cache_hit_percent)
            .unwrap_or(0);
        f64::from(percent.min(100)) / 100.0
    }

    /// The caller-side cache-aside pairs: a component that reads a cache and
    /// also reads a store treats the cache as sitting in front of it.
    pub(super) fn cache_aside(&self, i: usize) -> Option<(Vec<usize>, Vec<usize>)> {
        let mut caches = Vec::new();
        let mut stores = Vec::new();
        for e in self.dependencies(i) {
            let Some(edge) = self.g.edge(e) else { continue };
            if edge.role != EdgeRole::Call || edge.conn.kind != ConnectionKind::Read {
                continue;
            }
            let kind = self.g.kind(edge.to);
            if kind == K::Cache {
                caches.push(e);
            } else if is_store(kind) {
                stores.push(e);
            }
        }
        (!caches.is_empty() && !stores.is_empty()).then_some((caches, stores))
    }

    /// Read and write flags per edge, and each component's expected latency
    /// with nothing failing: one pass, dependencies first.
    fn roles_and_nominal(&mut self) {
        let mut role = vec![0u8; self.g.len()];
        let order = self.g.answer_order.clone();
        for &i in &order {
            let kind = self.g.kind(i);
            let mut mine = 0u8;
            let mut latency = own_latency_ms(kind);
            let mut slowest: f64 = 0.0;
            let aside = self.cache_aside(i);
            let miss = aside
                .as_ref()
                .and_then(|(caches, _)| caches.first())
                .and_then(|&e| self.g.edge(e))
                .map_or(1.0, |edge| 1.0 - self.hit_ratio(edge.to));
            let deps: Vec<usize> = self.dependencies(i).collect();
            for e in deps {
                let Some(edge) = self.g.edge(e).copied() else {
                    continue;
                };
                let flags = match (edge.role, edge.conn.kind) {
                    (EdgeRole::Publish, _) => 0,
                    (_, ConnectionKind::Read) => READS,
                    (_, ConnectionKind::Write) => WRITES,
                    (_, ConnectionKind::Push) => READS | WRITES,
                    _ => role.get(edge.to).copied().unwrap_or(READS | WRITES),
                };
                if let Some(r) = self.edge_roles.get_mut(e) {
                    *r = if flags == 0 { READS | WRITES } else { flags };
                }
                if edge.role == EdgeRole::Call {
                    mine |= flags;
                }
                let target_ms = self.nominal_ms.get(edge.to).copied().unwrap_or(0.0);
                let weight = match &aside {
                    Some((_, stores)) if stores.binary_search(&e).is_ok() => miss,
                    _ => 1.0,
                };
                if matches!(kind, K::LoadBalancer | K::TrafficManager | K::ApiGateway) {
                    slowest = slowest.max(target_ms);
                } else {
                    latency += weight * target_ms;
                }
            }
            if let Some(r) = role.get_mut(i) {
                *r = if mine == 0 { READS | WRITES } else { mine };
            }
            if let Some(n) = self.nominal_ms.get_mut(i) {
                *n = latency + slowest;
            }
        }
    }

    // ---- 2 and 4. Answers ----------------------------------------------

    fn answer_all(&mut self, utilisation: Option<&[Option<f64>]>) {
        for reasons in &mut self.comp_reasons {
            reasons.clear();
        }
        self.exhausted.iter_mut().for_each(|x| *x = false);
        let order = self.g.answer_order.clone();
        for &i in &order {
            let util = utilisation.and_then(|u| u.get(i).copied().flatten());
            let (answer, own) = self.answer(i, util);
            if let Some(slot) = self.answers.get_mut(i) {
                *slot = answer;
            }
            if let Some(slot) = self.own.get_mut(i) {
                *slot = own;
            }
        }
    }

    fn push_comp_reason(&mut self, i: usize, r: usize) {
        if !self.rec.is_enabled() {
            return;
        }
        if let Some(list) = self.comp_reasons.get_mut(i)
            && !list.contains(&r)
        {
            list.push(r);
        }
    }

    /// Answers of component `i`: the full one its callers get, and its own
    /// (what the component itself does, without what is behind it), which
    /// route hops and the canvas use for routers.
    fn answer(&mut self, i: usize, util: Option<f64>) -> (Answer, Answer) {
        let kind = self.g.kind(i);
        let state = self.states.get(i).cloned().unwrap_or_default();
        for &r in &state.reasons {
            self.push_comp_reason(i, r);
        }
        if state.down {
            let down = Answer {
                verdict: Verdict::Fails,
                hang: true,
                latency_ms: f64::INFINITY,
            };
            return (down, down);
        }
        let own_ms = own_latency_ms(kind) * state.slow;
        let mut own = Answer::works(own_ms);
        if state.misrouted {
            // Part of the requests go to lost instances and never return.
            own.verdict = Verdict::Fails;
            own.hang = true;
        } else if state.answers_degraded() {
            own.verdict = Verdict::Degraded;
        }
        let mut answer = own;

        let deps: Vec<usize> = self.dependencies(i).collect();
        let (publishes, calls): (Vec<usize>, Vec<usize>) = deps.into_iter().partition(|&e| {
            self.g
                .edge(e)
                .is_some_and(|edge| edge.role == EdgeRole::Publish)
        });
        match kind {
            K::Client => {
                // A client's calls matter per path (see paths.rs).
                for &e in &calls {
                    let target = self.target_answer(e);
                    let call = self.call(e, target);
                    self.store_call(e, call);
                }
            }
            K::LoadBalancer | K::TrafficManager if calls.len() >= 2 => {
                self.alternatives(i, &calls, &mut answer);
                own = answer;
            }
            K::Cdn | K::Cache => self.serve_from_copies(i, &calls, &mut answer),
            _ => self.handler(i, &calls, &mut answer),
        }
        if answer.hang && !own.hang && self.exhausted(i) {
            own.verdict = Verdict::Fails;
            own.hang = true;
        }
        for e in publishes {
            let target = self.target_answer(e);
            let call = self.call(e, target);
            let effect = if call.fails() {
                Verdict::Degraded
            } else {
                call.verdict
            };
            answer.verdict = answer.verdict.max(effect);
            own.verdict = own.verdict.max(effect);
            self.store_call(e, call);
        }
        if let Some(util) = util {
            self.overload(i, util, &mut answer);
            self.overload(i, util, &mut own);
        }
        for a in [&mut answer, &mut own] {
            if a.hang {
                a.latency_ms = f64::INFINITY;
            }
        }
        (answer, own)
    }

    /// Whether the answer pass found `i`'s threads used up by a hanging call.
    fn exhausted(&self, i: usize) -> bool {
        self.exhausted.get(i).copied().unwrap_or(false)
    }

    fn store_call(&mut self, e: usize, call: Call) {
        if let Some(slot) = self.calls.get_mut(e) {
            *slot = call;
        }
    }

    /// The callee's answer as this edge sees it: a write to a store that
    /// only serves reads fails at once.
    pub(super) fn target_answer(&self, e: usize) -> Answer {
        let Some(edge) = self.g.edge(e) else {
            return Answer::works(0.0);
        };
        let answer = self
            .answers
            .get(edge.to)
            .copied()
            .unwrap_or(Answer::works(0.0));
        let read_only = self.states.get(edge.to).is_some_and(|s| s.read_only);
        if read_only && edge.conn.kind != ConnectionKind::Read && answer.verdict != Verdict::Fails {
            return Answer {
                verdict: Verdict::Fails,
                hang: false,
                latency_ms: answer.latency_ms,
            };
        }
        answer
    }

    /// A handler needs every dependency, except that a cache in front of a
    /// store can cover for it (and the store for the cache), and stores in
    /// different tenant groups serve different tenants.
    fn handler(&mut self, i: usize, calls: &[usize], answer: &mut Answer) {
        let aside = self.cache_aside(i);
        let (mut required, tenant_calls) = self.split_tenants(calls, aside.as_ref());
        let mut hanging: Option<usize> = None;
        let aside_edges: BTreeSet<usize> = aside
            .iter()
            .flat_map(|(a, b)| a.iter().chain(b.iter()).copied())
            .collect();
        required.retain(|e| !aside_edges.contains(e));
        // A gateway sends each request along one route: the slowest counts.
        let one_route = self.g.kind(i) == K::ApiGateway;
        let mut slowest: f64 = 0.0;
        for e in required {
            let target = self.target_answer(e);
            let call = self.call(e, target);
            answer.verdict = answer.verdict.max(call.verdict);
            if one_route {
                slowest = slowest.max(call.wait_ms);
            } else {
                answer.latency_ms += call.wait_ms;
            }
            if call.hang && hanging.is_none() {
                hanging = Some(e);
            }
            self.store_call(e, call);
        }
        answer.latency_ms += slowest;
        if let Some((caches, stores)) = aside {
            self.cache_aside_answer(i, &caches, &stores, answer, &mut hanging);
        }
        if !tenant_calls.is_empty() {
            self.tenants_answer(i, &tenant_calls, answer, &mut hanging);
        }
        if let Some(e) = hanging {
            self.pool_exhausted(i, e, answer);
        }
    }

    /// Splits off the calls to stores placed in two or more tenant groups.
    pub(super) fn split_tenants(
        &self,
        calls: &[usize],
        aside: Option<&(Vec<usize>, Vec<usize>)>,
    ) -> (Vec<usize>, Vec<usize>) {
        // Edge lists are in ascending order, so membership is a binary search.
        let in_aside = |e: &usize| {
            aside.is_some_and(|(a, b)| a.binary_search(e).is_ok() || b.binary_search(e).is_ok())
        };
        let tenant_of = |e: usize| {
            self.g
                .edge(e)
                .and_then(|edge| self.tenant.get(edge.to).copied().flatten())
        };
        let groups: BTreeSet<Id> = calls
            .iter()
            .filter(|e| !in_aside(e))
            .filter_map(|&e| tenant_of(e))
            .collect();
        if groups.len() < 2 {
            return (calls.to_vec(), Vec::new());
        }
        calls
            .iter()
            .partition(|&&e| in_aside(&e) || tenant_of(e).is_none())
    }

    fn cache_aside_answer(
        &mut self,
        i: usize,
        caches: &[usize],
        stores: &[usize],
        answer: &mut Answer,
        hanging: &mut Option<usize>,
    ) {
        let mut cache_calls = Vec::new();
        for &e in caches {
            let target = self.target_answer(e);
            cache_calls.push((e, self.call(e, target)));
        }
        let mut store_calls = Vec::new();
        for &e in stores {
            let target = self.target_answer(e);
            store_calls.push((e, self.call(e, target)));
        }
        let cache_fail = cache_calls
            .iter()
            .find(|(_, c)| c.fails())
            .map(|(e, c)| (*e, c.hang));
        let store_fail = store_calls
            .iter()
            .find(|(_, c)| c.fails())
            .map(|(e, c)| (*e, c.hang));
        let cache_ms: f64 = cache_calls.iter().map(|(_, c)| c.wait_ms).sum();
        let store_ms: f64 = store_calls.iter().map(|(_, c)| c.wait_ms).sum();
        let miss = caches
            .first()
            .and_then(|&e| self.g.edge(e))
            .map_or(1.0, |edge| 1.0 - self.hit_ratio(edge.to));
        let worst_ok = cache_calls
            .iter()
            .chain(&store_calls)
            .filter(|(_, c)| !c.fails())
            .map(|(_, c)| c.verdict)
            .max()
            .unwrap_or(Verdict::Works);
        answer.verdict = answer.verdict.max(worst_ok);
        let store_target = |sim: &Self, e: usize| sim.g.edge(e).map_or(Id(0), |edge| edge.conn.to);
        match (cache_fail, store_fail) {
            (None, None) => answer.latency_ms += cache_ms + miss * store_ms,
            (Some((e, true)), _) | (None, Some((e, true))) => {
                // A hanging cache read, or misses that hang: threads fill up.
                answer.verdict = Verdict::Fails;
                hanging.get_or_insert(e);
            }
            (Some((e, false)), None) => {
                let cache = self.g.edge(e).map_or(Id(0), |edge| edge.conn.to);
                let r = self.rec.add(
                    self.component_subject(i),
                    Effect::CacheBypassed { cache },
                    vec![Cause::Connection(
                        self.g.edge(e).map_or(Id(0), |x| x.conn.id),
                    )],
                    &[],
                );
                self.push_comp_reason(i, r);
                answer.verdict = answer.verdict.max(Verdict::Degraded);
                answer.latency_ms += cache_ms + store_ms;
            }
            (None, Some((e, false))) => {
                let store = store_target(self, e);
                let cache_id = caches
                    .first()
                    .and_then(|&c| self.g.edge(c))
                    .map_or(Id(0), |edge| edge.conn.to);
                let causes = vec![
                    Cause::Connection(self.g.edge(e).map_or(Id(0), |x| x.conn.id)),
                    Cause::Property {
                        component: cache_id,
                        key: PropKey::CacheHitPercent,
                    },
                ];
                let r = self.rec.add(
                    self.component_subject(i),
                    Effect::ServedFromCache { store },
                    causes,
                    &[],
                );
                self.push_comp_reason(i, r);
                answer.verdict = answer.verdict.max(Verdict::Degraded);
                answer.latency_ms += cache_ms + miss * store_ms;
            }
            (Some(_), Some(_)) => {
                answer.verdict = Verdict::Fails;
                answer.latency_ms += cache_ms + store_ms;
            }
        }
        for (e, call) in cache_calls.into_iter().chain(store_calls) {
            self.store_call(e, call);
        }
    }

    fn tenants_answer(
        &mut self,
        i: usize,
        calls: &[usize],
        answer: &mut Answer,
        hanging: &mut Option<usize>,
    ) {
        let mut results = Vec::new();
        for &e in calls {
            let target = self.target_answer(e);
            results.push((e, self.call(e, target)));
        }
        let failing: Vec<usize> = results
            .iter()
            .filter(|(_, c)| c.fails())
            .map(|(e, _)| *e)
            .collect();
        let mut slowest: f64 = 0.0;
        for (e, call) in &results {
            if call.hang {
                // A hanging tenant store fills the shared pool for everyone.
                hanging.get_or_insert(*e);
            }
            if !call.fails() {
                answer.verdict = answer.verdict.max(call.verdict);
                slowest = slowest.max(call.wait_ms);
            }
        }
        answer.latency_ms += slowest;
        if failing.len() == results.len() {
            answer.verdict = Verdict::Fails;
        } else if !failing.is_empty() {
            answer.verdict = answer.verdict.max(Verdict::Degraded);
            for e in failing {
                let group = self
                    .g
                    .edge(e)
                    .and_then(|edge| self.tenant.get(edge.to).copied().flatten())
                    .unwrap_or(Id(0));
                let r = self.rec.add(
                    self.component_subject(i),
                    Effect::TenantIsolated { group },
                    vec![Cause::Group(group)],
                    &[],
                );
                self.push_comp_reason(i, r);
            }
        }
        for (e, call) in results {
            self.store_call(e, call);
        }
    }

    /// A dependency that never answers holds the caller's threads.
    fn pool_exhausted(&mut self, i: usize, e: usize, answer: &mut Answer) {
        let Some(conn) = self.g.edge(e).map(|edge| edge.conn.id) else {
            return;
        };
        let subject = Subject::Connection(conn);
        let r = self.rec.add(
            self.component_subject(i),
            Effect::PoolExhausted { connection: conn },
            vec![
                Cause::Policy {
                    connection: conn,
                    part: PolicyPart::Timeout,
                },
                Cause::Policy {
                    connection: conn,
                    part: PolicyPart::Bulkhead,
                },
            ],
            &[("FAIL-001", subject), ("FAIL-006", subject)],
        );
        self.push_comp_reason(i, r);
        if let Some(x) = self.exhausted.get_mut(i) {
            *x = true;
        }
        answer.verdict = Verdict::Fails;
        answer.hang = true;
    }

    /// A load balancer or traffic manager with several targets: one that
    /// answers is enough when health is probed.
    fn alternatives(&mut self, i: usize, calls: &[usize], answer: &mut Answer) {
        let mut results = Vec::new();
        for &e in calls {
            let target = self.target_answer(e);
            results.push((e, self.call(e, target)));
        }
        let ok: Vec<&Call> = results
            .iter()
            .map(|(_, c)| c)
            .filter(|c| !c.fails())
            .collect();
        let slowest = ok.iter().map(|c| c.wait_ms).fold(0.0, f64::max);
        if ok.len() == results.len() {
            answer.verdict = answer
                .verdict
                .max(ok.iter().map(|c| c.verdict).max().unwrap_or(Verdict::Works));
            answer.latency_ms += slowest;
        } else if ok.is_empty() {
            answer.verdict = Verdict::Fails;
            answer.hang |= results.iter().any(|(_, c)| c.hang);
        } else {
            let props = self.g.component(i).map(|c| &c.properties);
            let probes = props.is_some_and(|p| {
                p.health_checks == Some(true) || p.multi_region_routing == Some(true)
            });
            let subject = self.component_subject(i);
            if probes {
                let key = if props.is_some_and(|p| p.health_checks == Some(true)) {
                    PropKey::HealthChecks
                } else {
                    PropKey::MultiRegionRouting
                };
                let r = self.rec.add(
                    subject,
                    Effect::RoutedAround,
                    vec![self.property(i, key)],
                    &[],
                );
                self.push_comp_reason(i, r);
                answer.verdict = answer.verdict.max(Verdict::Degraded);
                answer.latency_ms += slowest;
            } else {
                let r = self.rec.add(
                    subject,
                    Effect::Misrouted,
                    vec![self.property(i, PropKey::HealthChecks)],
                    &[("FAIL-012", subject)],
                );
                self.push_comp_reason(i, r);
                answer.verdict = Verdict::Fails;
                answer.hang |= results.iter().any(|(_, c)| c.hang);
            }
        }
        for (e, call) in results {
            self.store_call(e, call);
        }
    }

    /// A CDN or a read-through cache keeps serving its copies when what is
    /// behind it fails.
    fn serve_from_copies(&mut self, i: usize, calls: &[usize], answer: &mut Answer) {
        let mut failing = None;
        for &e in calls {
            let target = self.target_answer(e);
            let call = self.call(e, target);
            if call.fails() {
                failing.get_or_insert(e);
            } else {
                answer.verdict = answer.verdict.max(call.verdict);
                answer.latency_ms += (1.0 - self.hit_ratio(i)) * call.wait_ms;
            }
            self.store_call(e, call);
        }
        if let Some(e) = failing {
            let effect = if self.g.kind(i) == K::Cdn {
                Effect::CdnServesCached
            } else {
                Effect::ServedFromCache {
                    store: self.g.edge(e).map_or(Id(0), |edge| edge.conn.to),
                }
            };
            let r = self.rec.add(
                self.component_subject(i),
                effect,
                vec![self.property(i, PropKey::CacheHitPercent)],
                &[],
            );
            self.push_comp_reason(i, r);
            answer.verdict = answer.verdict.max(Verdict::Degraded);
        }
    }

    /// What overload does, by kind.
    fn overload(&mut self, i: usize, util: f64, answer: &mut Answer) {
        if util <= SATURATED || (answer.verdict == Verdict::Fails && answer.hang) {
            return;
        }
        let Some(c) = self.g.component(i) else {
            return;
        };
        let percent = (util * 100.0).round().min(1e9) as u32;
        let subject = self.component_subject(i);
        let capacity_key = match c.kind {
            K::Worker | K::Workflow => PropKey::ConsumerRate,
            K::DocumentDb | K::Queue => PropKey::PartitionOps,
            _ => PropKey::CapacityRps,
        };
        let mut causes = vec![Cause::Estimate, self.property(i, capacity_key)];
        if c.properties.instances.is_some() {
            causes.push(self.property(i, PropKey::Instances));
        }
        if self.sizing.get(i).is_some_and(|s| s.partitions.is_some()) {
            causes.push(self.property(i, PropKey::Partitions));
        }
        if is_consumer(c.kind) {
            let r = self
                .rec
                .add(subject, Effect::Backlog { percent }, causes, &[]);
            self.push_comp_reason(i, r);
            answer.verdict = answer.verdict.max(Verdict::Degraded);
            return;
        }
        if c.properties.autoscaling == Some(true) {
            let n = f64::from(c.properties.instances.unwrap_or(1).max(1));
            let instances = (n * util).ceil().min(1e9) as u32;
            causes.push(self.property(i, PropKey::Autoscaling));
            let r = self
                .rec
                .add(subject, Effect::ScalesOut { instances }, causes, &[]);
            self.push_comp_reason(i, r);
            answer.verdict = answer.verdict.max(Verdict::Degraded);
            return;
        }
        let r = self.rec.add(
            subject,
            Effect::Overloaded { percent },
            causes,
            &[("SCALE-001", Subject::Design)],
        );
        self.push_comp_reason(i, r);
        answer.verdict = Verdict::Fails;
        // Brokers and external services refuse at once (throttling);
        // everything else lets requests queue until callers give up.
        answer.hang = !matches!(c.kind, K::Queue | K::EventStore | K::ExternalService);
    }

    /// One call along edge `e` to a callee that answers with `target`,
    /// following the connection's caller-side policy.
    pub(super) fn call(&mut self, e: usize, target: Answer) -> Call {
        let Some(edge) = self.g.edge(e).copied() else {
            return Call::default();
        };
        let conn = edge.conn;
        let at = Subject::Connection(conn.id);
        let policy = &conn.policy;
        let caller_kind = self.g.kind(edge.from);
        let publish = edge.role == EdgeRole::Publish;
        let timeout = policy
            .timeout_ms
            .filter(|&t| t > 0)
            .map(f64::from)
            .or_else(|| is_edge(caller_kind).then_some(EDGE_TIMEOUT_MS))
            .or_else(|| publish.then_some(PUBLISH_TIMEOUT_MS));
        let part = |part| Cause::Policy {
            connection: conn.id,
            part,
        };
        let mut reasons = Vec::new();
        let per_attempt = match target.verdict {
            Verdict::Works | Verdict::Degraded => match timeout {
                Some(t) if target.latency_ms > t => {
                    let latency_ms = target.latency_ms.min(1e9) as u32;
                    reasons.push(self.rec.add(
                        at,
                        Effect::TooSlow {
                            latency_ms,
                            timeout_ms: t as u32,
                        },
                        vec![part(PolicyPart::Timeout)],
                        &[],
                    ));
                    t
                }
                _ => {
                    return Call {
                        verdict: target.verdict,
                        hang: false,
                        wait_ms: target.latency_ms,
                        load_factor: 1.0,
                        reasons,
                    };
                }
            },
            Verdict::Fails => {
                if self.states.get(edge.to).is_some_and(|s| s.read_only)
                    && conn.kind != ConnectionKind::Read
                {
                    reasons.push(self.rec.add(at, Effect::WritesRejected, vec![], &[]));
                }
                if target.hang {
                    match timeout {
                        Some(t) => {
                            if policy.timeout_ms.is_some_and(|t| t > 0) {
                                reasons.push(self.rec.add(
                                    at,
                                    Effect::TimesOut {
                                        timeout_ms: t as u32,
                                    },
                                    vec![part(PolicyPart::Timeout)],
                                    &[],
                                ));
                            }
                            t
                        }
                        None => {
                            reasons.push(self.rec.add(
                                at,
                                Effect::Hangs,
                                vec![part(PolicyPart::Timeout)],
                                &[("FAIL-001", at)],
                            ));
                            f64::INFINITY
                        }
                    }
                } else {
                    timeout.map_or(target.latency_ms, |t| t.min(target.latency_ms))
                }
            }
        };

        let retries = if policy.retry == Retry::None {
            0
        } else {
            policy.max_retries
        };
        let attempts = 1 + retries;
        let detectable = per_attempt.is_finite() || policy.bulkhead;
        let mut wait_ms;
        let load_factor;
        if policy.circuit_breaker && detectable {
            reasons.push(self.rec.add(
                at,
                Effect::BreakerOpens,
                vec![part(PolicyPart::CircuitBreaker)],
                &[],
            ));
            wait_ms = 0.0;
            load_factor = 0.0;
        } else {
            if policy.circuit_breaker {
                reasons.push(self.rec.add(
                    at,
                    Effect::BreakerCannotOpen,
                    vec![part(PolicyPart::CircuitBreaker), part(PolicyPart::Timeout)],
                    &[("FAIL-001", at)],
                ));
            }
            if per_attempt.is_finite() {
                wait_ms = f64::from(attempts) * per_attempt;
                load_factor = f64::from(attempts);
                if attempts > 1 {
                    let jitter = policy.retry == Retry::ExponentialJitter;
                    let mut causes = vec![part(PolicyPart::Retry)];
                    if !policy.circuit_breaker {
                        causes.push(part(PolicyPart::CircuitBreaker));
                    }
                    reasons.push(self.rec.add(
                        at,
                        Effect::Retries { attempts, jitter },
                        causes,
                        &[("FAIL-002", at), ("FAIL-003", at), ("FAIL-004", at)],
                    ));
                }
            } else {
                wait_ms = f64::INFINITY;
                load_factor = 1.0;
            }
            if wait_ms.is_infinite() && policy.bulkhead {
                reasons.push(self.rec.add(
                    at,
                    Effect::BulkheadRejects,
                    vec![part(PolicyPart::Bulkhead)],
                    &[],
                ));
                wait_ms = 0.0;
            }
        }
        let hang = wait_ms.is_infinite();
        let verdict = if policy.fallback {
            if hang {
                reasons.push(self.rec.add(
                    at,
                    Effect::FallbackNeverRuns,
                    vec![part(PolicyPart::Fallback), part(PolicyPart::Timeout)],
                    &[("FAIL-001", at)],
                ));
                Verdict::Fails
            } else {
                let effect = if publish {
                    Effect::PublishKept
                } else {
                    Effect::FallbackAnswers
                };
                reasons.push(
                    self.rec
                        .add(at, effect, vec![part(PolicyPart::Fallback)], &[]),
                );
                Verdict::Degraded
            }
        } else if publish {
            reasons.push(self.rec.add(
                at,
                Effect::PublishLost,
                vec![part(PolicyPart::Fallback), Cause::Connection(conn.id)],
                &[],
            ));
            Verdict::Fails
        } else if caller_kind == K::Client {
            // Nobody expects a fallback from the user's own app.
            Verdict::Fails
        } else {
            reasons.push(self.rec.add(
                at,
                Effect::CallFails,
                vec![part(PolicyPart::Fallback)],
                &[("FAIL-007", at)],
            ));
            Verdict::Fails
        };
        Call {
            verdict,
            hang,
            wait_ms,
            load_factor,
            reasons,
        }
    }
}
