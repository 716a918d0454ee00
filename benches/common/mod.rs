//! Generated designs for the benchmarks: a grid of cards with two
//! connections each (one to a neighbour, one a few rows away, every 25th
//! across the whole design), a group around every other 4×4 block, a few
//! notes, labels and policies on some wires; and a star, the shape that
//! exposes anything quadratic in one component's connections.
//! Deterministic: the same arguments always give the same diagram.

// Each bench includes this module and uses some of its designs.
#![allow(dead_code)]

use archboard::catalog::ComponentKind;
use archboard::model::{
    Component, Connection, ConnectionKind, Diagram, Group, GroupKind, Id, Note, Point, Policy,
    Rect, Retry,
};

/// Distance between card origins, in canvas units (cards are 200×76).
pub const STEP_X: f32 = 320.0;
pub const STEP_Y: f32 = 180.0;

/// Columns of the grid for `n` cards (a landscape block, like a screen).
pub fn columns(n: usize) -> usize {
    ((n as f32).sqrt() * 1.3).ceil().max(1.0) as usize
}

/// A small deterministic generator (64-bit LCG), so runs are comparable.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A design of `n` components and `2 n` connections.
pub fn generate(n: usize) -> Diagram {
    let mut d = Diagram::new(format!("Generated design of {n} components"));
    let kinds: Vec<ComponentKind> = ComponentKind::all().collect();
    let cols = columns(n);
    let mut rng = Lcg(n as u64 ^ 0x5eed);
    let mut next = 1u64;
    let mut id = || {
        let i = Id(next);
        next += 1;
        i
    };
    for i in 0..n {
        let kind = kinds[i % kinds.len()];
        d.components.push(Component {
            id: id(),
            kind,
            name: format!("{} {i}", kind.name()),
            position: Point::new((i % cols) as f32 * STEP_X, (i / cols) as f32 * STEP_Y),
            properties: kind.default_properties(),
        });
    }
    let comp_id = |i: usize| Id(i as u64 + 1);
    for i in 0..n.max(2) * 2 {
        if n < 2 {
            break;
        }
        let from = (i / 2) % n;
        let to = if i % 2 == 0 {
            (from + 1) % n
        } else if i % 50 == 1 {
            rng.below(n)
        } else {
            let rows = 1 + rng.below(3);
            let shift = rng.below(5) as isize - 2;
            ((from + rows * cols) as isize + shift).rem_euclid(n as isize) as usize
        };
        let to = if to == from { (from + 1) % n } else { to };
        let policy = Policy {
            timeout_ms: (i % 3 == 0).then_some(500),
            retry: if i % 5 == 0 {
                Retry::ExponentialJitter
            } else {
                Retry::None
            },
            circuit_breaker: i % 7 == 0,
            ..Policy::default()
        };
        d.connections.push(Connection {
            id: id(),
            from: comp_id(from),
            to: comp_id(to),
            kind: ConnectionKind::ALL[i % ConnectionKind::ALL.len()],
            label: if i % 4 == 0 {
                format!("call {i}")
            } else {
                String::new()
            },
            policy,
            idempotent: i % 2 == 0,
        });
    }
    let rows = n.div_ceil(cols);
    let mut g = 0;
    for by in (0..rows).step_by(4) {
        for bx in (0..cols).step_by(4) {
            g += 1;
            if g % 2 == 0 {
                continue;
            }
            let x = bx as f32 * STEP_X - 30.0;
            let y = by as f32 * STEP_Y - 50.0;
            d.groups.push(Group {
                id: id(),
                kind: GroupKind::ALL[g % GroupKind::ALL.len()],
                label: format!("Block {g}"),
                rect: Rect::new(x, y, 4.0 * STEP_X - 60.0, 4.0 * STEP_Y - 20.0),
            });
        }
    }
    for k in 0..(n / 200).max(1) {
        let i = rng.below(n.max(1));
        d.notes.push(Note {
            id: id(),
            text: format!("Note {k}: why this part scales the way it does"),
            rect: Rect::new(
                (i % cols) as f32 * STEP_X + 210.0,
                (i / cols) as f32 * STEP_Y + 80.0,
                200.0,
                90.0,
            ),
        });
    }
    d.next_id = next;
    d.sort_items();
    d
}

/// A pathological shape: one service that calls `pairs` services and is
/// called by `pairs` gateways (each with a client of its own when
/// `with_clients`), every call with `policy`.
pub fn star(pairs: usize, with_clients: bool, policy: &Policy) -> Diagram {
    let mut d = Diagram::new("Star");
    let mut next = 1;
    let mut add = |d: &mut Diagram, kind: ComponentKind, name: String| {
        let id = Id(next);
        next += 1;
        d.components.push(Component {
            id,
            kind,
            name,
            position: Point::new(0.0, 0.0),
            properties: kind.default_properties(),
        });
        id
    };
    let center = add(&mut d, ComponentKind::Service, "Center".into());
    let mut links = Vec::new();
    for i in 0..pairs {
        let callee = add(&mut d, ComponentKind::Service, format!("Callee {i}"));
        let caller = add(&mut d, ComponentKind::ApiGateway, format!("Caller {i}"));
        links.push((center, callee));
        links.push((caller, center));
        if with_clients {
            let client = add(&mut d, ComponentKind::Client, format!("Client {i}"));
            links.push((client, caller));
        }
    }
    let mut id = next;
    for (from, to) in links {
        d.connections.push(Connection {
            id: Id(id),
            from,
            to,
            kind: ConnectionKind::Request,
            label: String::new(),
            policy: policy.clone(),
            idempotent: true,
        });
        id += 1;
    }
    d.next_id = id;
    d
}
