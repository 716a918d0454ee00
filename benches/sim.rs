//! Benchmark of the what-if simulation (issue 18): one scenario on the
//! generated 5,000-component, 10,000-connection design of `benches/common`,
//! with a traffic estimate so the load pass runs too. The budget is under
//! 50 ms per scenario in a release build.
//!
//! Run with `cargo bench --bench sim`; prints min, median and max per case.
//! `simulate_with` reuses the checklist's findings (as the app will, which
//! keeps them per revision); `simulate` runs the checklist as well.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use archboard::model::{Diagram, GroupKind, Policy, Retry};
use archboard::sim::{self, Scenario};

const COMPONENTS: usize = 5_000;
const RUNS: usize = 60;

fn design() -> Diagram {
    let mut d = common::generate(COMPONENTS);
    let r = &mut d.requirements;
    r.daily_active_users = Some(10_000_000);
    r.requests_per_user_per_day = Some(20.0);
    r.peak_factor = Some(3.0);
    r.read_write_ratio = Some(10.0);
    r.latency_target_ms = Some(300);
    d
}

/// 2,500 clients, each behind its own gateway, all calling one service
/// that calls 2,500 services, every call retrying with a timeout.
fn star() -> Diagram {
    let retrying = Policy {
        timeout_ms: Some(1_000),
        retry: Retry::ExponentialJitter,
        max_retries: 3,
        ..Policy::default()
    };
    let mut d = common::star(COMPONENTS / 2, true, &retrying);
    d.requirements = design().requirements;
    d
}

fn measure(label: &str, mut run: impl FnMut()) {
    run();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    println!(
        "{label}: min {:.2} ms, median {:.2} ms, max {:.2} ms over {RUNS} runs",
        ms(times[0]),
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
}

fn main() {
    let d = design();
    let findings = archboard::rules::check(&d);
    // A component in the middle of the grid, with callers and callees.
    let middle = d.components[COMPONENTS / 2].id;
    let zone = d
        .groups
        .iter()
        .find(|g| g.kind == GroupKind::Zone)
        .unwrap()
        .id;
    let cases = [
        ("component down", Scenario::down(middle)),
        ("zone lost", Scenario::zone(zone)),
        ("traffic x10", Scenario::traffic(10.0)),
    ];
    let o = sim::simulate_with(&d, &findings, cases[0].1).unwrap();
    let (works, degraded, fails) = o.counts();
    println!(
        "{} components, {} connections, {} groups; component down: {} paths ({works} work, {degraded} degraded, {fails} fail), {} reasons",
        d.components.len(),
        d.connections.len(),
        d.groups.len(),
        o.paths.len(),
        o.reasons.len()
    );
    for (label, scenario) in cases {
        measure(&format!("{label} (findings reused, budget 50 ms)"), || {
            black_box(sim::simulate_with(black_box(&d), &findings, scenario).unwrap());
        });
    }
    measure("component down, checklist included", || {
        black_box(sim::simulate(black_box(&d), cases[0].1).unwrap());
    });

    // For reference: the worst shape for the chains of reasons, one failing
    // callee behind a service that 2,500 paths go through.
    let star = star();
    let star_findings = archboard::rules::check(&star);
    let callee = star.components[1].id;
    let o = sim::simulate_with(&star, &star_findings, Scenario::down(callee)).unwrap();
    println!(
        "star: {} components, {} connections; one callee down: {} paths, {} reasons",
        star.components.len(),
        star.connections.len(),
        o.paths.len(),
        o.reasons.len()
    );
    measure("star, one callee down", || {
        black_box(
            sim::simulate_with(black_box(&star), &star_findings, Scenario::down(callee)).unwrap(),
        );
    });
}
