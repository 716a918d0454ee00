//! Every pass over a design, on designs large enough to show anything worse
//! than O(n log n): the checklist, the review, `check`'s text and JSON
//! output, the session report, and encoding and parsing the file.
//!
//! Cases (shared DESIGN.md §7):
//! - 80,000 components, 160,000 connections and about 2,500 groups
//!   (`common::generate`), every finding accepted as a trade-off, so the
//!   JSON output pairs every finding with its decision;
//! - 100,000 groups over 20,000 components, for the report's group
//!   membership;
//! - the 5,000-component budget design for load and save (under 100 ms).
//!
//! Also on the 80,000-component design: deleting every component and
//! undoing it (the edit layer's largest insert), clone included.
//!
//! Run with `cargo bench --bench passes`; prints the median, min and max of
//! a few runs per pass (the large cases take seconds, not microseconds).

use std::hint::black_box;
use std::time::{Duration, Instant};

use archboard::cli::{Format, render_check};
use archboard::interview::{InterviewSession, session_report};
use archboard::model::edit::Edit;
use archboard::model::{Decision, DecisionStatus, Diagram, Group, GroupKind, Id, Rect};
use archboard::{io, rules};

mod common;

/// Runs `f` `runs` times and prints min, median and max in milliseconds.
fn measure<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    println!(
        "{label}: median {:.1} ms, min {:.1} ms, max {:.1} ms over {runs} runs",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1])
    );
}

/// Accepts every finding of `d` as a trade-off.
fn accept_everything(d: &mut Diagram) {
    let findings = rules::check(d);
    d.decisions = findings
        .iter()
        .map(|f| Decision {
            rule_id: f.rule.id.to_owned(),
            subject: f.subject,
            status: DecisionStatus::AcceptedTradeOff,
            note: "accepted for the benchmark".to_owned(),
        })
        .collect();
    d.sort_items();
    d.decisions
        .dedup_by(|a, b| a.rule_id == b.rule_id && a.subject == b.subject);
}

/// `groups` small groups tiled over the design, each around a few cards.
fn with_groups(mut d: Diagram, groups: usize) -> Diagram {
    let cols = common::columns(d.components.len());
    let mut next = d.next_id;
    for i in 0..groups {
        let (gx, gy) = ((i % cols) as f32, (i / cols) as f32 % 200.0);
        d.groups.push(Group {
            id: Id(next),
            kind: GroupKind::ALL[i % GroupKind::ALL.len()],
            label: format!("Group {i}"),
            rect: Rect::new(
                gx * common::STEP_X - 20.0,
                gy * common::STEP_Y - 20.0,
                2.0 * common::STEP_X,
                2.0 * common::STEP_Y,
            ),
        });
        next += 1;
    }
    d.next_id = next;
    d
}

fn passes(label: &str, d: &Diagram, runs: usize) {
    let findings = rules::check(d);
    let review = rules::review(d, &findings);
    println!(
        "{label}: {} components, {} connections, {} groups, {} findings, {} accepted",
        d.components.len(),
        d.connections.len(),
        d.groups.len(),
        findings.len(),
        review.accepted.len()
    );
    measure(&format!("{label}: check"), runs, || rules::check(d));
    measure(&format!("{label}: review"), runs, || {
        rules::review(d, &findings).open.len()
    });
    measure(&format!("{label}: check text output"), runs, || {
        render_check("design.ron", &findings, &review, Format::Text)
    });
    measure(&format!("{label}: check JSON output"), runs, || {
        render_check("design.ron", &findings, &review, Format::Json)
    });
    measure(&format!("{label}: report"), runs, || {
        session_report(d, &InterviewSession::new(), 0.0)
    });
}

fn main() {
    let mut big = common::generate(80_000);
    accept_everything(&mut big);
    passes("80k", &big, 5);
    measure("80k: encode compact", 5, || io::to_ron_compact(&big));
    // Deleting everything and undoing it: one Remove, then one Insert of
    // 80,000 components and 160,000 connections.
    let all: Vec<Id> = big.components.iter().map(|c| c.id).collect();
    measure("80k: delete every component, then undo", 5, || {
        let mut d = big.clone();
        let undo = Edit::Remove(all.clone()).apply(&mut d).ok();
        undo.map(|inverse| inverse.apply(&mut d).is_ok())
    });
    let compact = io::to_ron_compact(&big).unwrap_or_default();
    println!("80k: compact text {} bytes", compact.len());
    drop(big);

    let groups = with_groups(common::generate(20_000), 100_000);
    passes("100k groups", &groups, 5);
    drop(groups);

    let budget = common::generate(5_000);
    let pretty = io::to_ron_string(&budget).unwrap_or_default();
    println!("5k: pretty text {} bytes", pretty.len());
    measure("5k: encode (to_ron_string)", 20, || {
        io::to_ron_string(&budget)
    });
    measure("5k: parse + check (from_ron_str)", 20, || {
        io::from_ron_str(&pretty).map(|d| d.components.len())
    });
    let dir = std::env::temp_dir().join(format!("archboard-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("budget.ron");
    measure("5k: save (io::save)", 20, || io::save(&path, &budget));
    measure("5k: load (io::load)", 20, || {
        io::load(&path).map(|d| d.components.len())
    });
    let _ = std::fs::remove_dir_all(&dir);
}
