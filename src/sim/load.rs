//! The load pass: the peak traffic from the requirements, times the
//! scenario's multiplier, flows from the clients along the connections
//! (callers before callees, `Graph::flow_order`): routers split it by what
//! each route does (reads or writes), caches and CDNs absorb their hits,
//! handlers call each dependency once per request, producers publish one
//! message per write, topics hand every message to each subscriber, and the
//! first answer pass's retry factors multiply what reaches a failing
//! dependency (an open breaker stops it). Utilisation is load over
//! effective capacity: the kind's capacity per instance, node or partition,
//! fewer after losing instances, and, for services, hubs, workers and
//! workflows, no more than their requests in flight allow at the current
//! latency (Little's law).

use super::engine::{
    Call, IN_FLIGHT_PER_INSTANCE, READS, Sim, WRITES, is_consumer, waits_on_dependencies,
};
use super::graph::EdgeRole;
use crate::catalog::ComponentKind as K;
use crate::interview::{EstimateKind, Estimates};
use crate::model::ConnectionKind;

/// Reads and writes per second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Flow {
    pub reads: f64,
    pub writes: f64,
}

impl Flow {
    pub fn total(self) -> f64 {
        self.reads + self.writes
    }

    fn scaled(self, factor: f64) -> Self {
        Self {
            reads: self.reads * factor,
            writes: self.writes * factor,
        }
    }

    fn add(&mut self, other: Flow) {
        self.reads += other.reads;
        self.writes += other.writes;
    }
}

/// The load pass's results.
#[derive(Clone, Debug, Default)]
pub(super) struct Load {
    /// Requests per second entering at the clients (peak × traffic).
    pub entry_rps: f64,
    /// The peak (or average) rate from the requirements, before × traffic.
    pub baseline_rps: f64,
    pub reads_per_write: Option<f64>,
    pub notes: Vec<String>,
    pub inflow: Vec<Flow>,
    /// Effective capacity in operations per second, where the kind has one.
    pub capacity: Vec<Option<f64>>,
    pub utilisation: Vec<Option<f64>>,
}

impl Sim<'_> {
    /// The traffic entering at the clients, or `None` when the requirements
    /// do not give a rate.
    fn entry_rate(&self) -> Option<(f64, f64, Option<f64>, Vec<String>)> {
        let req = &self.g.diagram.requirements;
        let estimates = Estimates::from_requirements(req);
        let mut notes = Vec::new();
        let baseline = match estimates.get(EstimateKind::PeakRps) {
            Some(peak) => peak.value,
            None => {
                let average = estimates.get(EstimateKind::AverageRps)?;
                notes.push(
                    "No peak factor in the requirements: the average rate is used".to_owned(),
                );
                average.value
            }
        };
        let ratio = req.read_write_ratio.filter(|r| r.is_finite() && *r >= 0.0);
        if ratio.is_none() {
            notes.push(
                "No read:write ratio in the requirements: reads and writes are taken as equal"
                    .to_owned(),
            );
        }
        Some((baseline, self.scenario.traffic, ratio, notes))
    }

    pub(super) fn propagate_load(&self) -> Option<Load> {
        let (baseline, traffic, ratio, mut notes) = self.entry_rate()?;
        let entry = baseline * traffic;
        let (reads, writes) = match ratio {
            Some(r) => (entry * r / (r + 1.0), entry / (r + 1.0)),
            None => (entry / 2.0, entry / 2.0),
        };
        let n = self.g.len();
        let mut inflow = vec![Flow::default(); n];
        let clients: Vec<usize> = (0..n).filter(|&i| self.g.kind(i) == K::Client).collect();
        let share = |i: usize| {
            f64::from(
                self.sizing
                    .get(i)
                    .and_then(|s| s.traffic_share)
                    .unwrap_or(100),
            )
        };
        let total_share: f64 = clients.iter().map(|&i| share(i)).sum();
        let mut skipped_sign_in = false;
        for &c in &clients {
            let weight = if total_share > 0.0 {
                share(c) / total_share
            } else {
                1.0 / clients.len().max(1) as f64
            };
            let flow = Flow {
                reads: reads * weight,
                writes: writes * weight,
            };
            let hops: Vec<usize> = self
                .flow_edges(c)
                .filter(|&e| {
                    let kind = self
                        .g
                        .edge(e)
                        .map_or(K::Client, |edge| self.g.kind(edge.to));
                    if kind == K::IdentityProvider {
                        skipped_sign_in = true;
                    }
                    !matches!(kind, K::IdentityProvider | K::Client)
                })
                .collect();
            if let Some(slot) = inflow.get_mut(c) {
                *slot = flow;
            }
            self.split_by_role(flow, &hops, &mut inflow);
        }
        if skipped_sign_in {
            notes.push(
                "Sign-ins are not counted: a token is reused for its whole lifetime".to_owned(),
            );
        }
        for &i in &self.g.flow_order {
            let kind = self.g.kind(i);
            if kind == K::Client || self.states.get(i).is_some_and(|s| s.down) {
                continue;
            }
            let flow = inflow.get(i).copied().unwrap_or_default();
            if flow.total() <= 0.0 {
                continue;
            }
            self.pass_on(i, kind, flow, &mut inflow);
        }
        let mut capacity = vec![None; n];
        let mut utilisation = vec![None; n];
        for i in 0..n {
            let flow = inflow.get(i).copied().unwrap_or_default();
            let (cap, util) = self.utilisation(i, flow);
            if let Some(slot) = capacity.get_mut(i) {
                *slot = cap;
            }
            if let Some(slot) = utilisation.get_mut(i) {
                *slot = util;
            }
        }
        Some(Load {
            entry_rps: entry,
            baseline_rps: baseline,
            reads_per_write: ratio,
            notes: std::mem::take(&mut notes),
            inflow,
            capacity,
            utilisation,
        })
    }

    /// Out-edges of `i` that carry load, in order.
    fn flow_edges(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.g.out(i).iter().copied().filter(move |&e| {
            !self.g.flow_back.get(e).copied().unwrap_or(true)
                && self.g.edge(e).is_some_and(|edge| {
                    matches!(
                        edge.role,
                        EdgeRole::Call | EdgeRole::Publish | EdgeRole::Consume
                    )
                })
        })
    }

    fn send(&self, e: usize, flow: Flow, inflow: &mut [Flow]) {
        let Some(edge) = self.g.edge(e) else { return };
        let factor = self.calls.get(e).map_or(1.0, |c| c.load_factor);
        if let Some(slot) = inflow.get_mut(edge.to) {
            slot.add(flow.scaled(factor));
        }
    }

    /// A router's or client's traffic: reads spread over the routes that
    /// read, writes over those that write.
    fn split_by_role(&self, flow: Flow, edges: &[usize], inflow: &mut [Flow]) {
        let role = |e: &usize| self.edge_roles.get(*e).copied().unwrap_or(READS | WRITES);
        let readers: Vec<usize> = edges
            .iter()
            .copied()
            .filter(|e| role(e) & READS != 0)
            .collect();
        let writers: Vec<usize> = edges
            .iter()
            .copied()
            .filter(|e| role(e) & WRITES != 0)
            .collect();
        let readers = if readers.is_empty() {
            edges.to_vec()
        } else {
            readers
        };
        let writers = if writers.is_empty() {
            edges.to_vec()
        } else {
            writers
        };
        for &e in &readers {
            let part = Flow {
                reads: flow.reads / readers.len() as f64,
                writes: 0.0,
            };
            self.send(e, part, inflow);
        }
        for &e in &writers {
            let part = Flow {
                reads: 0.0,
                writes: flow.writes / writers.len() as f64,
            };
            self.send(e, part, inflow);
        }
    }

    /// What component `i` sends on, given what reaches it.
    fn pass_on(&self, i: usize, kind: K, flow: Flow, inflow: &mut [Flow]) {
        // A consumer takes messages at its own pace; the rest wait in the
        // queue, so what it calls sees at most its capacity (unless it
        // scales out).
        let mut flow = flow;
        let autoscales = self
            .g
            .component(i)
            .is_some_and(|c| c.properties.autoscaling == Some(true));
        if is_consumer(kind)
            && !autoscales
            && let (Some(capacity), _) = self.utilisation(i, flow)
            && flow.total() > capacity
            && capacity > 0.0
        {
            flow = flow.scaled(capacity / flow.total());
        }
        let edges: Vec<usize> = self.flow_edges(i).collect();
        let role_of = |e: usize| self.g.edge(e).map(|edge| edge.role);
        let consumes: Vec<usize> = edges
            .iter()
            .copied()
            .filter(|&e| role_of(e) == Some(EdgeRole::Consume))
            .collect();
        let publishes: Vec<usize> = edges
            .iter()
            .copied()
            .filter(|&e| role_of(e) == Some(EdgeRole::Publish))
            .collect();
        let calls: Vec<usize> = edges
            .iter()
            .copied()
            .filter(|&e| role_of(e) == Some(EdgeRole::Call))
            .collect();
        // Messages: one per write, or one per request for read-only work.
        let messages = Flow {
            reads: 0.0,
            writes: if flow.writes > 0.0 {
                flow.writes
            } else {
                flow.reads
            },
        };
        for &e in &publishes {
            self.send(e, messages, inflow);
        }
        if !consumes.is_empty() && !self.states.get(i).is_some_and(|s| s.consumers_stopped) {
            // Every subscriber of a topic gets every message.
            let all = Flow {
                reads: 0.0,
                writes: flow.total(),
            };
            for &e in &consumes {
                self.send(e, all, inflow);
            }
        }
        match kind {
            K::LoadBalancer | K::TrafficManager => {
                let probes = self.g.component(i).is_some_and(|c| {
                    c.properties.health_checks == Some(true)
                        || c.properties.multi_region_routing == Some(true)
                });
                let healthy: Vec<usize> = calls
                    .iter()
                    .copied()
                    .filter(|&e| !probes || !self.calls.get(e).is_some_and(Call::fails))
                    .collect();
                let targets = if healthy.is_empty() { &calls } else { &healthy };
                for &e in targets {
                    self.send(e, flow.scaled(1.0 / targets.len() as f64), inflow);
                }
            }
            K::ApiGateway => self.split_by_role(flow, &calls, inflow),
            K::Cdn => {
                let origin = Flow {
                    reads: flow.reads * (1.0 - self.hit_ratio(i)),
                    writes: flow.writes,
                };
                self.split_by_role(origin, &calls, inflow);
            }
            K::Cache => {
                let behind = Flow {
                    reads: flow.reads * (1.0 - self.hit_ratio(i)),
                    writes: flow.writes,
                };
                for &e in &calls {
                    self.send(e, behind, inflow);
                }
            }
            _ => self.handler_flow(i, flow, &calls, inflow),
        }
    }

    /// A handler calls each dependency once per request it handles: reads
    /// along reads, writes along writes, everything along requests. A
    /// handler that receives only one kind passes it along both.
    fn handler_flow(&self, i: usize, flow: Flow, calls: &[usize], inflow: &mut [Flow]) {
        let aside = self.cache_aside(i);
        let cache_ok = aside.as_ref().is_some_and(|(caches, _)| {
            caches
                .iter()
                .all(|&e| !self.calls.get(e).is_some_and(Call::fails))
        });
        let miss = aside
            .as_ref()
            .and_then(|(caches, _)| caches.first())
            .and_then(|&e| self.g.edge(e))
            .map_or(1.0, |edge| 1.0 - self.hit_ratio(edge.to));
        let (_, tenants) = self.split_tenants(calls, aside.as_ref());
        let total = flow.total();
        for &e in calls {
            let Some(edge) = self.g.edge(e) else { continue };
            let mut part = match edge.conn.kind {
                ConnectionKind::Read => Flow {
                    reads: if flow.reads > 0.0 { flow.reads } else { total },
                    writes: 0.0,
                },
                ConnectionKind::Write => Flow {
                    reads: 0.0,
                    writes: if flow.writes > 0.0 {
                        flow.writes
                    } else {
                        total
                    },
                },
                _ => flow,
            };
            if let Some((_, stores)) = &aside
                && stores.binary_search(&e).is_ok()
                && cache_ok
            {
                part = part.scaled(miss);
            }
            if tenants.binary_search(&e).is_ok() {
                part = part.scaled(1.0 / tenants.len() as f64);
            }
            self.send(e, part, inflow);
        }
    }

    /// Effective capacity and utilisation of component `i`.
    fn utilisation(&self, i: usize, flow: Flow) -> (Option<f64>, Option<f64>) {
        let Some(c) = self.g.component(i) else {
            return (None, None);
        };
        let state = self.states.get(i).cloned().unwrap_or_default();
        if state.down {
            return (None, None);
        }
        let p = &c.properties;
        let z = self.sizing.get(i).copied().unwrap_or_default();
        let instances = f64::from(p.instances.unwrap_or(1).max(1));
        let per = |v: Option<u32>| v.map(f64::from);
        let nodes = 1.0 + f64::from(p.replicas.unwrap_or(0));
        let capacity = match c.kind {
            K::ApiGateway | K::Service | K::RealtimeHub => {
                per(z.capacity_rps).map(|v| v * instances)
            }
            K::Worker | K::Workflow => per(z.consumer_rate).map(|v| v * instances),
            K::SearchIndex => per(z.capacity_rps).map(|v| v * nodes),
            K::DocumentDb | K::Queue => {
                per(z.partition_ops).map(|v| v * f64::from(z.partitions.unwrap_or(1).max(1)))
            }
            K::RelationalDb | K::Cache | K::ObjectStorage | K::EventStore | K::ExternalService => {
                per(z.capacity_rps)
            }
            _ => None,
        };
        let Some(capacity) = capacity else {
            return (None, None);
        };
        let mut effective = capacity * state.share_left;
        if waits_on_dependencies(c.kind) {
            // Little's law: with a bounded number of requests in flight, the
            // rate an instance sustains falls as each request takes longer.
            let latency_s = self.answers.get(i).map_or(0.0, |a| a.latency_ms) / 1_000.0;
            let in_flight = IN_FLIGHT_PER_INSTANCE * instances * state.share_left;
            if latency_s.is_infinite() {
                effective = 0.0;
            } else if latency_s > 0.0 {
                effective = effective.min(in_flight / latency_s);
            }
        }
        let load = if c.kind == K::RelationalDb {
            // Reads spread over the primary and its replicas; writes all
            // land on the primary.
            let read_nodes = if state.read_only { nodes - 1.0 } else { nodes };
            flow.reads / read_nodes.max(1.0) + if state.read_only { 0.0 } else { flow.writes }
        } else {
            flow.total()
        };
        let util = if effective > 0.0 {
            load / effective
        } else if load > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
        (Some(effective), Some(util))
    }
}
