//! Benchmark of the export and of Tidy up on generated designs
//! (`benches/common`). Budgets (shared DESIGN.md §7 and issues 13/14):
//! SVG of 50 components under 50 ms, PNG under 150 ms; SVG and PNG of
//! 5,000 under 2 s; Tidy up of 1,000 under 200 ms. Release build.
//!
//! Run with `cargo bench --bench export`; prints median, min and max.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use archboard::export::{self, SvgOptions};

/// Runs `f` `runs` times (after one warm-up) and prints the timings.
fn measure<T>(label: &str, runs: usize, budget_ms: f64, mut f: impl FnMut() -> T) {
    black_box(f());
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    let median = ms(times[runs / 2]);
    println!(
        "{label}: median {median:.2} ms, min {:.2} ms, max {:.2} ms over {runs} runs (budget {budget_ms} ms{})",
        ms(times[0]),
        ms(times[runs - 1]),
        if median <= budget_ms { "" } else { ", OVER" }
    );
}

fn main() {
    let options = SvgOptions::default();
    for (n, runs, svg_budget, png_budget) in [(50, 30, 50.0, 150.0), (5_000, 5, 2_000.0, 2_000.0)] {
        let d = common::generate(n);
        let svg = export::svg(&d, &options);
        println!(
            "{n} components, {} connections, {} groups: SVG {} KB",
            d.connections.len(),
            d.groups.len(),
            svg.len() / 1024
        );
        measure(&format!("svg {n}"), runs, svg_budget, || {
            export::svg(&d, &options)
        });
        measure(&format!("png 1x {n}"), runs, png_budget, || {
            export::png(&d, &options, 1.0).map(|b| b.len()).unwrap_or(0)
        });
        measure(&format!("png 2x {n}"), runs, png_budget, || {
            export::png(&d, &options, 2.0).map(|b| b.len()).unwrap_or(0)
        });
    }
    let d = common::generate(1_000);
    measure("tidy 1000", 20, 200.0, || archboard::layout::tidy(&d, None));
    let d = common::generate(5_000);
    measure("tidy 5000 (no budget)", 5, f64::INFINITY, || {
        archboard::layout::tidy(&d, None)
    });
}
