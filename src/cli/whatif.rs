//! `archboard whatif FILE (--fail NAME | --zone NAME | --region NAME |
//! --slow NAME=FACTOR | --cold NAME | --stop-consumers NAME) [--traffic N]
//! [--format text|json]`: plays a failure or more traffic through a design
//! (`crate::sim`) and prints every path's verdict with its reasons.
//!
//! Exit codes: 0 when every path works or degrades, 1 when some path
//! fails, 2 on a usage error (an unknown name lists the names there are),
//! 3 when the file cannot be loaded.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::output::Stdout;
use super::{EXIT_LOAD_FAILED, EXIT_USAGE};
use crate::catalog::ComponentKind as K;
use crate::model::{Component, Diagram, GroupKind, Id, Subject};
use crate::sim::{self, Cause, Outcome, PathKind, Reason, Scenario, Verdict};

/// Exit code when some path fails.
const EXIT_PATH_FAILS: u8 = 1;

#[derive(Debug, clap::Args)]
#[command(
    group(
        clap::ArgGroup::new("failure")
            .args(["fail", "zone", "region", "slow", "cold", "stop_consumers"])
            .multiple(false)
    ),
    group(
        clap::ArgGroup::new("scenario")
            .args(["fail", "zone", "region", "slow", "cold", "stop_consumers", "traffic"])
            .required(true)
            .multiple(true)
    )
)]
pub struct WhatifArgs {
    /// The design file (.ron).
    pub path: PathBuf,

    /// A component goes down (its name, or #ID).
    #[arg(long, value_name = "NAME")]
    pub fail: Option<String>,

    /// An availability zone (a zone group) is lost.
    #[arg(long, value_name = "NAME")]
    pub zone: Option<String>,

    /// A region (a region group) is lost.
    #[arg(long, value_name = "NAME")]
    pub region: Option<String>,

    /// A component answers FACTOR times slower, e.g. `--slow "Payment provider=10"`.
    #[arg(long, value_name = "NAME=FACTOR")]
    pub slow: Option<String>,

    /// A cache or CDN starts empty.
    #[arg(long, value_name = "NAME")]
    pub cold: Option<String>,

    /// A queue's consumers stop; the queue keeps accepting messages.
    #[arg(long, value_name = "NAME")]
    pub stop_consumers: Option<String>,

    /// Multiplies the peak traffic from the requirements (alone, or with a failure).
    #[arg(long, value_name = "N", value_parser = parse_traffic)]
    pub traffic: Option<f64>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How `whatif` prints its outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Paths with their reasons, then the load, for people.
    Text,
    /// One JSON document for tools.
    Json,
}

/// Accepts `10`, `2.5`, `x10` or `×10`.
fn parse_traffic(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_start_matches(['x', 'X', '×']).trim();
    match number.parse::<f64>() {
        Ok(n) if (sim::MIN_TRAFFIC..=sim::MAX_TRAFFIC).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{}` is not a number from 0.001 to 1,000,000 such as 10 or 2.5",
            terminal_safe(text)
        )),
    }
}

/// Runs the command and returns the exit code.
pub fn run(args: &WhatifArgs) -> u8 {
    let Some(diagram) = super::load_or_report(&args.path) else {
        return EXIT_LOAD_FAILED;
    };
    let scenario = match scenario_from(&diagram, args) {
        Ok(scenario) => scenario,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let outcome = match sim::simulate(&diagram, scenario) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!("error: {}", terminal_safe(&err.to_string()));
            return EXIT_USAGE;
        }
    };
    let mut out = Stdout::new();
    match args.format {
        Format::Text => out.print(&render_text(&diagram, &outcome)),
        Format::Json => {
            let file = args.path.display().to_string();
            match serde_json::to_string_pretty(&render_json(&file, &diagram, &outcome)) {
                Ok(text) => out.line(&text),
                Err(err) => {
                    eprintln!("could not encode the outcome: {err}");
                    return EXIT_LOAD_FAILED;
                }
            }
        }
    }
    out.finish(if outcome.worst() == Verdict::Fails {
        EXIT_PATH_FAILS
    } else {
        0
    })
}

/// Builds the scenario from the flags, resolving names; a message on error.
fn scenario_from(diagram: &Diagram, args: &WhatifArgs) -> Result<Scenario, String> {
    let any = |_: &Component| true;
    let mut scenario = if let Some(name) = &args.fail {
        Scenario::down(find_component(diagram, name, "component", any)?)
    } else if let Some(name) = &args.zone {
        Scenario::zone(find_group(diagram, name, GroupKind::Zone)?)
    } else if let Some(name) = &args.region {
        Scenario::region(find_group(diagram, name, GroupKind::Region)?)
    } else if let Some(spec) = &args.slow {
        let Some((name, factor)) = spec.rsplit_once('=') else {
            return Err(format!(
                "--slow takes NAME=FACTOR, e.g. --slow \"Payment provider=10\", not `{}`",
                terminal_safe(spec)
            ));
        };
        let factor = match factor
            .trim()
            .trim_start_matches(['x', 'X', '×'])
            .parse::<f64>()
        {
            Ok(f) if (1.0..=sim::MAX_SLOW_FACTOR).contains(&f) => f,
            _ => {
                return Err(format!(
                    "the slow-down factor must be a number from 1 to 1,000,000, not `{}`",
                    terminal_safe(factor)
                ));
            }
        };
        Scenario::slow(
            find_component(diagram, name.trim(), "component", any)?,
            factor,
        )
    } else if let Some(name) = &args.cold {
        let caches = |c: &Component| matches!(c.kind, K::Cache | K::Cdn);
        Scenario::cache_cold(find_component(diagram, name, "cache or CDN", caches)?)
    } else if let Some(name) = &args.stop_consumers {
        let queues = |c: &Component| matches!(c.kind, K::Queue | K::EventStore);
        Scenario::consumers_stopped(find_component(diagram, name, "queue or event log", queues)?)
    } else {
        Scenario::baseline()
    };
    if let Some(traffic) = args.traffic {
        scenario = scenario.with_traffic(traffic);
    }
    Ok(scenario)
}

/// A component by `#ID`, exact name, or name ignoring case.
fn find_component(
    diagram: &Diagram,
    name: &str,
    what: &str,
    fits: impl Fn(&Component) -> bool,
) -> Result<Id, String> {
    let candidates: Vec<&Component> = diagram.components.iter().filter(|c| fits(c)).collect();
    let items: Vec<(Id, &str)> = candidates.iter().map(|c| (c.id, c.name.as_str())).collect();
    find_named(&items, name, what)
}

fn find_group(diagram: &Diagram, name: &str, kind: GroupKind) -> Result<Id, String> {
    let items: Vec<(Id, &str)> = diagram
        .groups
        .iter()
        .filter(|g| g.kind == kind)
        .map(|g| (g.id, g.label.as_str()))
        .collect();
    let what = match kind {
        GroupKind::Zone => "availability zone",
        _ => "region",
    };
    find_named(&items, name, what)
}

fn find_named(items: &[(Id, &str)], name: &str, what: &str) -> Result<Id, String> {
    if let Some(id) = name
        .strip_prefix('#')
        .and_then(|n| n.trim().parse::<u64>().ok())
        .map(Id)
        && items.iter().any(|(i, _)| *i == id)
    {
        return Ok(id);
    }
    let exact: Vec<Id> = items
        .iter()
        .filter(|(_, n)| *n == name)
        .map(|(i, _)| *i)
        .collect();
    let matches = if exact.is_empty() {
        let wanted = name.trim().to_lowercase();
        items
            .iter()
            .filter(|(_, n)| n.trim().to_lowercase() == wanted)
            .map(|(i, _)| *i)
            .collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => {
            let mut names: Vec<String> = items
                .iter()
                .map(|(id, n)| format!("  {} ({id})", terminal_safe(n)))
                .collect();
            names.sort();
            let list = if names.is_empty() {
                format!("the design has no {what}")
            } else {
                format!("the design's {what} names are:\n{}", names.join("\n"))
            };
            Err(format!(
                "no {what} is named `{}`; {list}",
                terminal_safe(name)
            ))
        }
        several => Err(format!(
            "several {what}s are named `{}`: {}; pass one as #ID",
            terminal_safe(name),
            several
                .iter()
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Escapes control characters (and the bidirectional-text controls that can
/// disguise a line) so that names cannot move the cursor or recolour the
/// terminal.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn name(diagram: &Diagram, id: Id) -> String {
    terminal_safe(diagram.component(id).map_or("?", |c| c.name.as_str()))
}

fn route_text(diagram: &Diagram, components: &[Id]) -> String {
    components
        .iter()
        .map(|&id| name(diagram, id))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn rate(value: f64) -> String {
    if value >= 100.0 {
        let whole = value.round() as u64;
        let digits = whole.to_string();
        let mut out = String::new();
        for (k, ch) in digits.chars().enumerate() {
            if k > 0 && (digits.len() - k).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        out
    } else if value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Paths with their reasons, entry points, load and blast radius.
fn render_text(diagram: &Diagram, outcome: &Outcome) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "What if: {}\n{}\n",
        terminal_safe(&outcome.scenario.title(diagram)),
        terminal_safe(&diagram.title)
    ));
    for (kind, heading) in [
        (PathKind::Request, "Request paths"),
        (PathKind::Background, "Background paths"),
    ] {
        let paths: Vec<_> = outcome.paths.iter().filter(|p| p.kind == kind).collect();
        if paths.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{heading}\n"));
        for path in paths {
            out.push_str(&format!(
                "  {:<8}  {} ({})\n",
                path.verdict.as_str(),
                terminal_safe(&path.name),
                route_text(diagram, &path.components)
            ));
            if path.verdict != Verdict::Works {
                for reason in outcome.reasons_of(&path.reasons) {
                    out.push_str(&format!("            - {}\n", terminal_safe(&reason.text)));
                }
                if path.reasons_truncated {
                    out.push_str("            - (more steps left out)\n");
                }
            }
        }
    }
    if outcome.paths.is_empty() {
        out.push_str("\nNo paths: the design has no client and no queue with a consumer\n");
    }
    if outcome.paths_truncated {
        out.push_str("(only the first paths are listed: the design has very many)\n");
    }
    if !outcome.entries.is_empty() {
        out.push_str("\nEntry points\n");
        for entry in &outcome.entries {
            out.push_str(&format!(
                "  {:<8}  {}\n",
                entry.verdict.as_str(),
                name(diagram, entry.id)
            ));
        }
    }
    out.push_str(&load_text(diagram, outcome));
    let radius = outcome.blast_radius();
    let (works, degraded, fails) = outcome.counts();
    out.push_str(&format!(
        "\nBlast radius: {}, {}, {}\n",
        count(radius.components.len(), "component"),
        count(radius.connections.len(), "connection"),
        count(radius.paths.len(), "path")
    ));
    out.push_str(&format!(
        "Paths: {fails} {}, {degraded} degraded, {works} {}\n",
        if fails == 1 { "fails" } else { "fail" },
        if works == 1 { "works" } else { "work" }
    ));
    out
}

/// "1 path", "3 paths".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn load_text(diagram: &Diagram, outcome: &Outcome) -> String {
    let Some(load) = &outcome.load else {
        return "\nLoad: not simulated, because the requirements give no traffic (daily users and requests per user)\n".to_owned();
    };
    let mut out = format!(
        "\nLoad: {} requests/s ({} at peak × {})\n",
        rate(load.entry_rps),
        rate(load.baseline_rps),
        sim_number(load.traffic)
    );
    for note in &load.notes {
        out.push_str(&format!("  {}\n", terminal_safe(note)));
    }
    let mut rows: Vec<_> = outcome
        .components
        .iter()
        .filter_map(|c| {
            let l = c.load?;
            let util = l.utilisation?;
            Some((c.id, l, util))
        })
        .collect();
    rows.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    if rows.is_empty() {
        return out;
    }
    let names: Vec<String> = rows.iter().map(|(id, _, _)| name(diagram, *id)).collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    out.push_str(&format!(
        "  {:<width$}  {:>10}  {:>10}  {:>6}  {:>8}\n",
        "Component", "load/s", "capacity/s", "used", "headroom"
    ));
    for ((id, l, util), n) in rows.iter().zip(&names) {
        let pad = width.saturating_sub(n.chars().count());
        let headroom = l
            .headroom()
            .map_or_else(|| "-".to_owned(), |h| format!("×{h:.1}"));
        let mut notes = Vec::new();
        if load.bottleneck == Some(*id) {
            notes.push("first bottleneck");
        }
        if l.autoscaling {
            notes.push("autoscales");
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!("  ({})", notes.join(", "))
        };
        out.push_str(&format!(
            "  {n}{:pad$}  {:>10}  {:>10}  {:>5.0}%  {:>8}{notes}\n",
            "",
            rate(l.total_per_s()),
            l.capacity_per_s.map_or_else(|| "-".to_owned(), rate),
            util * 100.0,
            headroom,
        ));
    }
    out
}

fn sim_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

fn subject_json(diagram: &Diagram, subject: Subject) -> Value {
    let (kind, id) = match subject {
        Subject::Design => ("design", None),
        Subject::Component(id) => ("component", Some(id)),
        Subject::Connection(id) => ("connection", Some(id)),
        Subject::Group(id) => ("group", Some(id)),
    };
    let name = match id {
        Some(id) => diagram.item_name(id).unwrap_or_default(),
        None => diagram.title.clone(),
    };
    json!({ "kind": kind, "id": id.map(|i| i.0), "name": name })
}

fn cause_json(diagram: &Diagram, cause: &Cause) -> Value {
    match *cause {
        Cause::Scenario => json!({ "type": "scenario" }),
        Cause::Group(id) => json!({ "type": "group", "id": id.0 }),
        Cause::Policy { connection, part } => {
            json!({ "type": "policy", "connection": connection.0, "part": part.as_str() })
        }
        Cause::Property { component, key } => json!({
            "type": "property",
            "component": component.0,
            "key": format!("{key:?}"),
            "label": key.label(),
        }),
        Cause::Rule { rule_id, subject } => json!({
            "type": "rule",
            "rule": rule_id,
            "subject": subject_json(diagram, subject),
        }),
        Cause::Connection(id) => json!({ "type": "connection", "id": id.0 }),
        Cause::Estimate => json!({ "type": "estimate" }),
    }
}

fn reason_json(diagram: &Diagram, reason: &Reason) -> Value {
    json!({
        "at": subject_json(diagram, reason.at),
        "effect": reason.effect.as_str(),
        "text": reason.text,
        "decided_by": reason.decided_by.iter().map(|c| cause_json(diagram, c)).collect::<Vec<_>>(),
    })
}

fn render_json(file: &str, diagram: &Diagram, outcome: &Outcome) -> Value {
    let raw_name = |id: Id| diagram.component(id).map_or("?", |c| c.name.as_str());
    let paths: Vec<Value> = outcome
        .paths
        .iter()
        .map(|p| {
            json!({
                "key": p.key,
                "kind": p.kind.as_str(),
                "name": p.name,
                "verdict": p.verdict.as_str(),
                "route": p.components.iter().map(|&id| raw_name(id)).collect::<Vec<_>>(),
                "components": p.components.iter().map(|id| id.0).collect::<Vec<_>>(),
                "connections": p.connections.iter().map(|id| id.0).collect::<Vec<_>>(),
                "reasons": outcome.reasons_of(&p.reasons).map(|r| reason_json(diagram, r)).collect::<Vec<_>>(),
                "reasons_truncated": p.reasons_truncated,
            })
        })
        .collect();
    let entries: Vec<Value> = outcome
        .entries
        .iter()
        .map(|e| json!({ "id": e.id.0, "name": raw_name(e.id), "verdict": e.verdict.as_str() }))
        .collect();
    let components: Vec<Value> = outcome
        .components
        .iter()
        .map(|c| {
            let load = c.load.map(|l| {
                json!({
                    "reads_per_s": l.reads_per_s,
                    "writes_per_s": l.writes_per_s,
                    "capacity_per_s": l.capacity_per_s,
                    "utilisation": l.utilisation,
                    "headroom": l.headroom(),
                    "autoscaling": l.autoscaling,
                })
            });
            json!({
                "id": c.id.0,
                "name": raw_name(c.id),
                "verdict": c.verdict.as_str(),
                "reasons": outcome.reasons_of(&c.reasons).map(|r| reason_json(diagram, r)).collect::<Vec<_>>(),
                "load": load,
            })
        })
        .collect();
    let calls: Vec<Value> = outcome
        .calls
        .iter()
        .filter(|c| c.verdict != Verdict::Works || c.load_factor != 1.0)
        .map(|c| {
            json!({
                "id": c.id.0,
                "name": diagram.item_name(c.id).unwrap_or_default(),
                "verdict": c.verdict.as_str(),
                "wait_ms": c.wait_ms,
                "load_factor": c.load_factor,
                "reasons": outcome.reasons_of(&c.reasons).map(|r| reason_json(diagram, r)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let load = outcome.load.as_ref().map(|l| {
        json!({
            "entry_rps": l.entry_rps,
            "baseline_rps": l.baseline_rps,
            "traffic": l.traffic,
            "reads_per_write": l.reads_per_write,
            "bottleneck": l.bottleneck.map(|id| json!({ "id": id.0, "name": raw_name(id) })),
            "notes": l.notes,
        })
    });
    let radius = outcome.blast_radius();
    let (works, degraded, fails) = outcome.counts();
    let probes: Vec<Value> = sim::probes(diagram, outcome)
        .into_iter()
        .map(|p| json!({ "key": p.key, "question": p.question, "hint": p.hint }))
        .collect();
    json!({
        "file": file,
        "design": diagram.title,
        "scenario": {
            "key": outcome.scenario.key(),
            "title": outcome.scenario.title(diagram),
            "traffic": outcome.scenario.traffic,
        },
        "summary": { "works": works, "degraded": degraded, "fails": fails },
        "paths": paths,
        "entries": entries,
        "components": components,
        "calls": calls,
        "load": load,
        "blast_radius": {
            "components": radius.components.iter().map(|id| id.0).collect::<Vec<_>>(),
            "connections": radius.connections.iter().map(|id| id.0).collect::<Vec<_>>(),
            "paths": radius.paths.iter().filter_map(|&k| outcome.paths.get(k)).map(|p| p.key.clone()).collect::<Vec<_>>(),
        },
        "probes": probes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bidi_controls_are_escaped() {
        assert_eq!(terminal_safe("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal_safe("x\ny"), "x\\ny");
        assert_eq!(terminal_safe("ab\u{202e}c"), "ab\\u{202e}c");
        assert_eq!(terminal_safe("Café → API"), "Café → API");
    }

    #[test]
    fn traffic_accepts_a_leading_x_and_rejects_nonsense() {
        assert_eq!(parse_traffic("10"), Ok(10.0));
        assert_eq!(parse_traffic("x2.5"), Ok(2.5));
        assert_eq!(parse_traffic("×3"), Ok(3.0));
        assert!(parse_traffic("0").is_err());
        assert!(parse_traffic("-1").is_err());
        assert!(parse_traffic("NaN").is_err());
        assert!(parse_traffic("ten").is_err());
    }

    #[test]
    fn rates_are_grouped_by_thousands() {
        assert_eq!(rate(11_574.3), "11,574");
        assert_eq!(rate(1_000_000.0), "1,000,000");
        assert_eq!(rate(42.4), "42");
        assert_eq!(rate(3.25), "3.2");
    }
}
