//! What every rule needs to know about a diagram, computed once per check:
//! connections resolved to their end components, adjacency lists (compressed,
//! indexed by component position), and per-component facts that depend on
//! neighbours (telemetry links, public reachability, money flows).

use std::collections::HashMap;
use std::ops::Range;

use crate::catalog::ComponentKind as K;
use crate::model::{Component, Connection, ConnectionKind, Diagram, GroupKind, Id};

/// A connection with both ends resolved.
#[derive(Clone, Copy, Debug)]
pub(super) struct Link<'a> {
    pub conn: &'a Connection,
    pub from: &'a Component,
    pub to: &'a Component,
    /// Positions of the ends in `Diagram::components`.
    pub from_index: usize,
    pub to_index: usize,
}

impl Link<'_> {
    /// A synchronous call made by code that can carry a resilience policy
    /// (a service, gateway, worker, hub or workflow) to something that is not
    /// a telemetry sink.
    pub fn is_policy_call(&self) -> bool {
        self.conn.kind.is_synchronous() && is_caller(self.from.kind) && !is_telemetry(self.to.kind)
    }

    /// "calls", "reads from" or "writes to", for messages.
    pub fn verb(&self) -> &'static str {
        match self.conn.kind {
            ConnectionKind::Read => "reads from",
            ConnectionKind::Write => "writes to",
            _ => "calls",
        }
    }
}

/// Per-component facts.
#[derive(Clone, Debug, Default)]
pub(super) struct Node {
    out: Range<usize>,
    inc: Range<usize>,
    /// Structured logging, as a property or through a link to a log store.
    pub logs: bool,
    /// Metrics, as a property or through a link to a metrics component.
    pub metrics: bool,
    /// Tracing, as a property or through a link to a tracing backend.
    pub traces: bool,
    /// Reached from a client with only edge components (CDN, traffic
    /// manager, load balancer) in between: a public entry point.
    pub public: bool,
    /// Named like a payment or billing step, or calls one synchronously.
    pub money: bool,
}

pub(super) struct Context<'a> {
    pub diagram: &'a Diagram,
    pub links: Vec<Link<'a>>,
    pub nodes: Vec<Node>,
    out_links: Vec<usize>,
    in_links: Vec<usize>,
    /// Region groups drawn on the canvas.
    pub region_count: usize,
}

/// Kinds that run code and can carry a caller-side policy.
pub(super) fn is_caller(kind: K) -> bool {
    kind.is_compute() || kind == K::Workflow
}

pub(super) fn is_telemetry(kind: K) -> bool {
    matches!(kind, K::LogSink | K::Metrics | K::Tracing)
}

/// Edge components that pass client traffic on to an entry point.
fn is_edge(kind: K) -> bool {
    matches!(kind, K::TrafficManager | K::Cdn | K::LoadBalancer)
}

/// True when a flag property applies and is switched on.
pub(super) fn on(flag: Option<bool>) -> bool {
    flag == Some(true)
}

/// True when a flag property applies and is switched off. `None` means the
/// property does not apply, which is never a gap.
pub(super) fn off(flag: Option<bool>) -> bool {
    flag == Some(false)
}

/// Whether `haystack` contains `needle` (lower-case ASCII), ignoring ASCII
/// case. Allocation-free: rules call it for every component name.
pub(super) fn contains_word(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether a name sounds like a step that moves money.
pub(super) fn is_money_name(name: &str) -> bool {
    [
        "payment", "billing", "invoice", "wallet", "ledger", "checkout", "refund",
    ]
    .iter()
    .any(|word| contains_word(name, word))
}

/// Finds a component's position in `Diagram::components` by id. Components
/// are kept sorted by id, so a binary search finds them; a hand-built,
/// unsorted diagram falls back to a hash map.
pub(crate) struct ComponentIndex<'a> {
    components: &'a [Component],
    unsorted: Option<HashMap<Id, usize>>,
}

impl<'a> ComponentIndex<'a> {
    pub fn new(components: &'a [Component]) -> Self {
        let unsorted = (!components.is_sorted_by_key(|c| c.id)).then(|| {
            components
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id, i))
                .collect()
        });
        Self {
            components,
            unsorted,
        }
    }

    pub fn position(&self, id: Id) -> Option<usize> {
        match &self.unsorted {
            None => self.components.binary_search_by_key(&id, |c| c.id).ok(),
            Some(map) => map.get(&id).copied(),
        }
    }
}

impl<'a> Context<'a> {
    pub fn new(diagram: &'a Diagram) -> Self {
        let components = &diagram.components;
        let index = ComponentIndex::new(components);
        let position = |id: Id| index.position(id);
        let links: Vec<Link<'a>> = diagram
            .connections
            .iter()
            .filter_map(|conn| {
                let from_index = position(conn.from)?;
                let to_index = position(conn.to)?;
                Some(Link {
                    conn,
                    from: components.get(from_index)?,
                    to: components.get(to_index)?,
                    from_index,
                    to_index,
                })
            })
            .collect();

        // Compressed adjacency: count degrees, prefix sums, then fill.
        let n = components.len();
        let mut nodes = vec![Node::default(); n];
        let mut out_degree = vec![0usize; n];
        let mut in_degree = vec![0usize; n];
        for link in &links {
            if let Some(d) = out_degree.get_mut(link.from_index) {
                *d += 1;
            }
            if let Some(d) = in_degree.get_mut(link.to_index) {
                *d += 1;
            }
        }
        let mut out_next = Vec::with_capacity(n);
        let mut in_next = Vec::with_capacity(n);
        let (mut out_at, mut in_at) = (0, 0);
        for ((node, od), id) in nodes.iter_mut().zip(&out_degree).zip(&in_degree) {
            node.out = out_at..out_at + od;
            node.inc = in_at..in_at + id;
            out_next.push(out_at);
            in_next.push(in_at);
            out_at += od;
            in_at += id;
        }
        let mut out_links = vec![0; links.len()];
        let mut in_links = vec![0; links.len()];
        for (l, link) in links.iter().enumerate() {
            if let Some(next) = out_next.get_mut(link.from_index) {
                if let Some(slot) = out_links.get_mut(*next) {
                    *slot = l;
                }
                *next += 1;
            }
            if let Some(next) = in_next.get_mut(link.to_index) {
                if let Some(slot) = in_links.get_mut(*next) {
                    *slot = l;
                }
                *next += 1;
            }
        }

        // Facts from properties and from telemetry links in either direction.
        for (node, c) in nodes.iter_mut().zip(components) {
            node.logs = on(c.properties.logging);
            node.metrics = on(c.properties.metrics);
            node.traces = on(c.properties.tracing);
            node.money = matches!(
                c.kind,
                K::Service | K::ExternalService | K::Worker | K::Workflow
            ) && is_money_name(&c.name);
        }
        let mut callers_of_money = Vec::new();
        for link in &links {
            for (this, other) in [(link.from_index, link.to), (link.to_index, link.from)] {
                if let Some(node) = nodes.get_mut(this) {
                    match other.kind {
                        K::LogSink => node.logs = true,
                        K::Metrics => node.metrics = true,
                        K::Tracing => node.traces = true,
                        _ => {}
                    }
                }
            }
            let to_money = nodes.get(link.to_index).is_some_and(|n| n.money);
            if to_money && link.is_policy_call() {
                callers_of_money.push(link.from_index);
            }
        }
        for i in callers_of_money {
            if let Some(node) = nodes.get_mut(i) {
                node.money = true;
            }
        }

        let mut ctx = Self {
            diagram,
            links,
            nodes,
            out_links,
            in_links,
            region_count: diagram
                .groups
                .iter()
                .filter(|g| g.kind == GroupKind::Region)
                .count(),
        };
        ctx.mark_public();
        ctx
    }

    /// Marks entry points: what clients reach directly or through edge
    /// components only. A breadth-first walk from every client.
    fn mark_public(&mut self) {
        let components = &self.diagram.components;
        let mut seen = vec![false; components.len()];
        let mut queue: Vec<usize> = Vec::new();
        for (i, c) in components.iter().enumerate() {
            if c.kind == K::Client {
                queue.push(i);
                if let Some(s) = seen.get_mut(i) {
                    *s = true;
                }
            }
        }
        let mut entries = Vec::new();
        let mut reached = Vec::new();
        while let Some(i) = queue.pop() {
            reached.clear();
            for link in self.outgoing(i) {
                if link.conn.kind != ConnectionKind::Publish {
                    reached.push(link.to_index);
                }
            }
            // A hub that pushes to a client holds the client's connection.
            for link in self.incoming(i) {
                if link.conn.kind == ConnectionKind::Push {
                    reached.push(link.from_index);
                }
            }
            for &j in &reached {
                let Some(kind) = components.get(j).map(|c| c.kind) else {
                    continue;
                };
                let Some(s) = seen.get_mut(j) else { continue };
                if *s {
                    continue;
                }
                *s = true;
                if is_edge(kind) {
                    queue.push(j);
                } else if kind != K::Client {
                    entries.push(j);
                }
            }
        }
        for j in entries {
            if let Some(node) = self.nodes.get_mut(j) {
                node.public = true;
            }
        }
    }

    /// Components with their facts, in diagram order.
    pub fn components(&self) -> impl Iterator<Item = (usize, &'a Component, &Node)> + '_ {
        self.diagram
            .components
            .iter()
            .zip(&self.nodes)
            .enumerate()
            .map(|(i, (c, n))| (i, c, n))
    }

    pub fn node(&self, index: usize) -> Option<&Node> {
        self.nodes.get(index)
    }

    /// Connections that start at the component at `index`.
    pub fn outgoing(&self, index: usize) -> impl Iterator<Item = &Link<'a>> + '_ {
        let range = self.nodes.get(index).map_or(0..0, |n| n.out.clone());
        self.out_links
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter_map(|&l| self.links.get(l))
    }

    /// Connections that end at the component at `index`.
    pub fn incoming(&self, index: usize) -> impl Iterator<Item = &Link<'a>> + '_ {
        let range = self.nodes.get(index).map_or(0..0, |n| n.inc.clone());
        self.in_links
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter_map(|&l| self.links.get(l))
    }

    /// Connections at either end of the component at `index`.
    pub fn touching(&self, index: usize) -> impl Iterator<Item = &Link<'a>> + '_ {
        self.outgoing(index).chain(self.incoming(index))
    }

    /// Whether any component of `kind` is on the canvas.
    pub fn has_kind(&self, kind: K) -> bool {
        self.diagram.components.iter().any(|c| c.kind == kind)
    }
}

/// Instances a component runs, treating "not applicable" as one.
pub(super) fn instances(c: &Component) -> u32 {
    c.properties.instances.unwrap_or(1)
}

/// Runs more than one copy, now or under autoscaling.
pub(super) fn is_scaled_out(c: &Component) -> bool {
    instances(c) >= 2 || on(c.properties.autoscaling)
}

/// A copy of `c` with its properties changed by `change`, as a component update.
pub(super) fn update_component(
    c: &Component,
    change: impl FnOnce(&mut crate::model::Properties),
) -> crate::model::edit::Edit {
    let mut new = c.clone();
    change(&mut new.properties);
    crate::model::edit::Edit::UpdateComponent(new)
}

/// A copy of `conn` changed by `change`, as a connection update.
pub(super) fn update_connection(
    conn: &Connection,
    change: impl FnOnce(&mut Connection),
) -> crate::model::edit::Edit {
    let mut new = conn.clone();
    change(&mut new);
    crate::model::edit::Edit::UpdateConnection(new)
}
