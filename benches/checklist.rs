//! Benchmark of the design checklist: a full `check` of a 5,000-component,
//! 10,000-connection diagram with groups. The budget (shared DESIGN.md §7) is
//! under 5 ms in a release build.
//!
//! Run with `cargo bench --bench checklist`; prints min, median and max.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use archboard::catalog::{ComponentKind, default_connection_kind};
use archboard::model::{
    Component, Connection, Diagram, Group, GroupKind, Id, Point, Policy, Rect, Retry,
};

const COMPONENTS: usize = 5_000;
const CONNECTIONS: usize = 10_000;
const RUNS: usize = 200;

/// A small deterministic generator (xorshift), so every run checks the same diagram.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A large design: every kind of the palette, one component in
/// `careful_every` configured with care and the rest left at the hurried
/// defaults, so rules both fire and stay quiet.
fn big_diagram(careful_every: usize) -> Diagram {
    let kinds: Vec<ComponentKind> = ComponentKind::all().collect();
    let names = [
        "Orders",
        "Payment",
        "Inventory",
        "Feed",
        "Catalog",
        "Shipping",
        "Users",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut d = Diagram::new("Benchmark design");
    d.requirements.read_write_ratio = Some(50.0);
    d.requirements.availability_percent = Some(99.99);
    for i in 0..COMPONENTS {
        let kind = kinds[rng.below(kinds.len())];
        let mut properties = kind.default_properties();
        if i % careful_every == 0 {
            for flag in [
                &mut properties.logging,
                &mut properties.metrics,
                &mut properties.tracing,
                &mut properties.health_checks,
                &mut properties.dead_letter_queue,
                &mut properties.idempotent,
                &mut properties.validates_tokens,
            ] {
                if flag.is_some() {
                    *flag = Some(true);
                }
            }
            if properties.instances.is_some() {
                properties.instances = Some(3);
            }
        }
        let x = (i % 100) as f32 * 240.0;
        let y = (i / 100) as f32 * 120.0;
        d.components.push(Component {
            id: Id(i as u64 + 1),
            kind,
            name: format!("{} {} {i}", names[i % names.len()], kind.name()),
            position: Point::new(x, y),
            properties,
        });
    }
    let mut next = COMPONENTS as u64 + 1;
    for _ in 0..CONNECTIONS {
        let from = rng.below(COMPONENTS);
        let mut to = rng.below(COMPONENTS);
        if to == from {
            to = (to + 1) % COMPONENTS;
        }
        let (a, b) = (&d.components[from], &d.components[to]);
        let careful = rng.below(2) == 0;
        let policy = if careful {
            Policy {
                timeout_ms: Some(2_000),
                retry: Retry::ExponentialJitter,
                max_retries: 3,
                circuit_breaker: true,
                fallback: false,
                bulkhead: true,
            }
        } else {
            Policy::default()
        };
        d.connections.push(Connection {
            id: Id(next),
            from: a.id,
            to: b.id,
            kind: default_connection_kind(a.kind, b.kind),
            label: String::new(),
            policy,
            idempotent: careful,
        });
        next += 1;
    }
    for (i, kind) in [
        GroupKind::Region,
        GroupKind::Zone,
        GroupKind::Network,
        GroupKind::Cluster,
    ]
    .into_iter()
    .cycle()
    .take(40)
    .enumerate()
    {
        d.groups.push(Group {
            id: Id(next),
            kind,
            label: format!("{} {i}", kind.label()),
            rect: Rect::new(i as f32 * 2_400.0, 0.0, 2_400.0, 6_000.0),
        });
        next += 1;
    }
    d.next_id = next;
    d
}

/// Times `check` on `diagram` and prints min, median and max.
fn measure(label: &str, diagram: &Diagram, budget: &str) {
    let findings = archboard::rules::check(diagram);
    println!(
        "{label}: {} components, {} connections, {} groups -> {} findings",
        diagram.components.len(),
        diagram.connections.len(),
        diagram.groups.len(),
        findings.len()
    );
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(archboard::rules::check(black_box(diagram)));
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    println!(
        "{label}: check min {:.3} ms, median {:.3} ms, max {:.3} ms over {RUNS} runs{budget}",
        ms(times[0]),
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
}

fn main() {
    // The budget case: half the components configured with care.
    measure("mixed", &big_diagram(2), " (budget 5 ms)");
    // For reference: the cost grows with the number of findings.
    measure("mostly naive", &big_diagram(10), "");
    let retrying = Policy {
        retry: Retry::ExponentialJitter,
        max_retries: 3,
        ..Policy::default()
    };
    measure("star", &common::star(COMPONENTS / 2, false, &retrying), "");
}
