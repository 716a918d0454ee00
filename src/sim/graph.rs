//! The diagram as the simulation walks it: connections resolved to component
//! positions, compressed adjacency lists, what each connection means to the
//! simulation ([`EdgeRole`]), and two orders over the components that make
//! every pass a single linear sweep:
//!
//! - `answer_order`: dependencies before the components that call them, for
//!   the bottom-up passes (a component's answer needs its dependencies').
//! - `flow_order`: callers and producers before what they call or feed, for
//!   the top-down load pass.
//!
//! Designs may contain cycles (A calls B calls A). Each order comes from one
//! depth-first walk, started from the clients; a connection that closes a
//! cycle on that walk is marked as a back edge and the pass that uses the
//! order ignores it (docs/whatif.md, known limits).

use crate::catalog::ComponentKind as K;
use crate::model::{Component, Connection, ConnectionKind, Diagram, Id};
use crate::rules::ComponentIndex;

/// What a connection means to the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EdgeRole {
    /// The caller waits for the answer: a request, read or write, or a
    /// real-time connection towards a hub.
    Call,
    /// The caller hands a message to a broker and moves on.
    Publish,
    /// A consumer takes messages from a queue or log (the edge points from
    /// the queue to the consumer, like the messages).
    Consume,
    /// Logs, metrics and traces: never needed to serve a request.
    Telemetry,
    /// Anything else: replication, a push towards a client.
    Other,
}

/// A connection with both ends resolved.
#[derive(Clone, Copy, Debug)]
pub(super) struct Edge<'a> {
    pub conn: &'a Connection,
    pub from: usize,
    pub to: usize,
    pub role: EdgeRole,
}

pub(super) struct Graph<'a> {
    pub diagram: &'a Diagram,
    pub edges: Vec<Edge<'a>>,
    index: ComponentIndex,
    out_start: Vec<usize>,
    out_list: Vec<usize>,
    in_start: Vec<usize>,
    in_list: Vec<usize>,
    /// Dependencies first (post-order over calls and publishes).
    pub answer_order: Vec<usize>,
    /// Per edge: closes a cycle in `answer_order`, so answers ignore it.
    pub answer_back: Vec<bool>,
    /// Callers and producers first (reverse post-order over calls,
    /// publishes and consumes).
    pub flow_order: Vec<usize>,
    /// Per edge: closes a cycle in `flow_order`, so load ignores it.
    pub flow_back: Vec<bool>,
}

pub(super) fn is_telemetry(kind: K) -> bool {
    matches!(kind, K::LogSink | K::Metrics | K::Tracing)
}

/// Edge components that pass traffic on without handling it.
pub(super) fn is_edge(kind: K) -> bool {
    matches!(kind, K::TrafficManager | K::Cdn | K::LoadBalancer)
}

fn role_of(conn: &Connection, from: &Component, to: &Component) -> EdgeRole {
    if is_telemetry(to.kind) || is_telemetry(from.kind) {
        return EdgeRole::Telemetry;
    }
    match conn.kind {
        ConnectionKind::Request | ConnectionKind::Read | ConnectionKind::Write => EdgeRole::Call,
        ConnectionKind::Push if to.kind != K::Client => EdgeRole::Call,
        ConnectionKind::Publish => EdgeRole::Publish,
        ConnectionKind::Consume => EdgeRole::Consume,
        ConnectionKind::Push | ConnectionKind::Replication => EdgeRole::Other,
    }
}

impl<'a> Graph<'a> {
    pub fn new(diagram: &'a Diagram) -> Self {
        let components = &diagram.components;
        let index = ComponentIndex::new(components, components.len() + diagram.connections.len());
        let position = |id: Id| index.position(id);
        let edges: Vec<Edge<'a>> = diagram
            .connections
            .iter()
            .filter_map(|conn| {
                let from = position(conn.from)?;
                let to = position(conn.to)?;
                let role = role_of(conn, components.get(from)?, components.get(to)?);
                Some(Edge {
                    conn,
                    from,
                    to,
                    role,
                })
            })
            .collect();
        let n = components.len();
        let (out_start, out_list) = compress(n, edges.iter().map(|e| e.from));
        let (in_start, in_list) = compress(n, edges.iter().map(|e| e.to));
        let mut graph = Self {
            diagram,
            edges,
            index,
            out_start,
            out_list,
            in_start,
            in_list,
            answer_order: Vec::new(),
            answer_back: Vec::new(),
            flow_order: Vec::new(),
            flow_back: Vec::new(),
        };
        let (order, back) =
            graph.post_order(|role| matches!(role, EdgeRole::Call | EdgeRole::Publish));
        graph.answer_order = order;
        graph.answer_back = back;
        let (mut order, back) = graph.post_order(|role| {
            matches!(role, EdgeRole::Call | EdgeRole::Publish | EdgeRole::Consume)
        });
        order.reverse();
        graph.flow_order = order;
        graph.flow_back = back;
        graph
    }

    pub fn len(&self) -> usize {
        self.diagram.components.len()
    }

    pub fn component(&self, i: usize) -> Option<&'a Component> {
        self.diagram.components.get(i)
    }

    pub fn kind(&self, i: usize) -> K {
        self.component(i).map_or(K::Client, |c| c.kind)
    }

    pub fn id(&self, i: usize) -> Id {
        self.component(i).map_or(Id(0), |c| c.id)
    }

    pub fn name(&self, i: usize) -> &'a str {
        self.component(i).map_or("?", |c| c.name.as_str())
    }

    pub fn index_of(&self, id: Id) -> Option<usize> {
        self.index.position(id)
    }

    pub fn edge(&self, e: usize) -> Option<&Edge<'a>> {
        self.edges.get(e)
    }

    /// Edge indices leaving component `i`, in connection order.
    pub fn out(&self, i: usize) -> &[usize] {
        slice(&self.out_start, &self.out_list, i)
    }

    /// Edge indices arriving at component `i`, in connection order.
    pub fn inc(&self, i: usize) -> &[usize] {
        slice(&self.in_start, &self.in_list, i)
    }

    /// An iterative depth-first post-order over the edges whose role passes
    /// `follow`, started from the clients and then every other component in
    /// order. Returns the order and, per edge, whether it closed a cycle.
    fn post_order(&self, follow: impl Fn(EdgeRole) -> bool) -> (Vec<usize>, Vec<bool>) {
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let n = self.len();
        let mut mark = vec![NEW; n];
        let mut back = vec![false; self.edges.len()];
        let mut order = Vec::with_capacity(n);
        let mut stack: Vec<(usize, usize)> = Vec::new();
        let clients = (0..n).filter(|&i| self.kind(i) == K::Client);
        let others = (0..n).filter(|&i| self.kind(i) != K::Client);
        for root in clients.chain(others) {
            if mark.get(root) != Some(&NEW) {
                continue;
            }
            if let Some(m) = mark.get_mut(root) {
                *m = OPEN;
            }
            stack.push((root, 0));
            while let Some(top) = stack.last_mut() {
                let (v, cursor) = *top;
                let out = self.out(v);
                let Some(&e) = out.get(cursor) else {
                    if let Some(m) = mark.get_mut(v) {
                        *m = DONE;
                    }
                    order.push(v);
                    stack.pop();
                    continue;
                };
                top.1 += 1;
                let Some(edge) = self.edges.get(e) else {
                    continue;
                };
                if !follow(edge.role) {
                    continue;
                }
                match mark.get(edge.to).copied() {
                    Some(NEW) => {
                        if let Some(m) = mark.get_mut(edge.to) {
                            *m = OPEN;
                        }
                        stack.push((edge.to, 0));
                    }
                    Some(OPEN) => {
                        if let Some(b) = back.get_mut(e) {
                            *b = true;
                        }
                    }
                    _ => {}
                }
            }
        }
        (order, back)
    }
}

/// Compressed adjacency: for each node, the positions (in edge order) of
/// the edges whose key is that node.
fn compress(n: usize, keys: impl Iterator<Item = usize> + Clone) -> (Vec<usize>, Vec<usize>) {
    let mut start = vec![0usize; n + 1];
    for k in keys.clone() {
        if let Some(s) = start.get_mut(k + 1) {
            *s += 1;
        }
    }
    for i in 0..n {
        let before = start.get(i).copied().unwrap_or(0);
        if let Some(s) = start.get_mut(i + 1) {
            *s += before;
        }
    }
    let mut next = start.clone();
    let total = start.get(n).copied().unwrap_or(0);
    let mut list = vec![0usize; total];
    for (e, k) in keys.enumerate() {
        if let Some(slot) = next.get_mut(k) {
            if let Some(l) = list.get_mut(*slot) {
                *l = e;
            }
            *slot += 1;
        }
    }
    (start, list)
}

fn slice<'s>(start: &[usize], list: &'s [usize], i: usize) -> &'s [usize] {
    let (Some(&a), Some(&b)) = (start.get(i), start.get(i + 1)) else {
        return &[];
    };
    list.get(a..b).unwrap_or_default()
}
