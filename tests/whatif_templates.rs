//! What if on the built-in templates: the references keep the promises
//! their notes make when any single component fails, and the starters
//! lose a path when one of their single points of failure goes down.

// Test helpers unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use archboard::catalog::ComponentKind as K;
use archboard::model::{Diagram, GroupKind, Subject};
use archboard::rules;
use archboard::sim::{self, Outcome, PathKind, PathOutcome, Scenario, Verdict};
use archboard::templates::{self, Variant};

fn diagram(name: &str) -> Diagram {
    templates::find(name).unwrap().diagram().unwrap()
}

fn component_name(d: &Diagram, path: &PathOutcome) -> Vec<String> {
    path.components
        .iter()
        .map(|&id| d.component(id).unwrap().name.clone())
        .collect()
}

/// A promise a reference's notes make, in our words: when any one of
/// `failing` goes down (every component when empty), no path that `guards`
/// selects fails.
struct Claim {
    template: &'static str,
    /// What the note says, briefly.
    note: &'static str,
    failing: &'static [&'static str],
    guards: fn(&Diagram, &PathOutcome) -> bool,
}

fn request_paths(_: &Diagram, p: &PathOutcome) -> bool {
    p.kind == PathKind::Request
}

fn every_path(_: &Diagram, _: &PathOutcome) -> bool {
    true
}

const CLAIMS: &[Claim] = &[
    Claim {
        template: "url-shortener-reference",
        note: "click events leave the redirect path through Event Hubs",
        failing: &["Click events", "Click analytics"],
        guards: request_paths,
    },
    Claim {
        template: "url-shortener-reference",
        note: "the CDN and Redis answer almost all redirects; the store is behind them",
        failing: &["Redis code cache", "Links store", "Redirect API"],
        guards: |d, p| {
            p.kind == PathKind::Request && component_name(d, p).contains(&"Redirect API".to_owned())
        },
    },
    Claim {
        template: "catalogue-caching-reference",
        note: "cache-aside keeps the cache optional: a Redis outage only slows reads",
        failing: &["Redis product cache"],
        guards: every_path,
    },
    Claim {
        template: "catalogue-caching-reference",
        note: "invalidation is event-driven, the TTL is the safety net when an event is lost",
        failing: &["Product changes", "Cache invalidator"],
        guards: request_paths,
    },
    Claim {
        template: "order-processing-reference",
        note: "the outbox means no order is lost between the database and the bus",
        failing: &["Order events", "Orders DB (outbox)"],
        guards: every_path,
    },
    Claim {
        template: "order-processing-reference",
        note: "when a step fails, the saga runs the compensations in reverse",
        failing: &[
            "Payment service",
            "Inventory service",
            "Shipping service",
            "Payment provider",
            "Carrier API",
            "Payments DB",
            "Inventory DB",
            "Order event log",
            "Order saga",
        ],
        guards: every_path,
    },
    Claim {
        template: "multi-tenant-saas-reference",
        note: "each tenancy model has its own database; database per tenant is fully isolated",
        failing: &[
            "Shared database",
            "Elastic pool DB",
            "Contoso database",
            "Tenant catalogue",
        ],
        guards: every_path,
    },
    Claim {
        template: "realtime-chat-reference",
        note: "notifications for offline users go through a queue, off the live path",
        failing: &["Message events", "Notification worker", "Push (APNs, FCM)"],
        guards: request_paths,
    },
    Claim {
        template: "realtime-chat-reference",
        note: "the store and the backplane have replicas",
        failing: &["Messages store", "Redis backplane"],
        guards: every_path,
    },
];

fn failing_paths(
    d: &Diagram,
    o: &Outcome,
    guards: fn(&Diagram, &PathOutcome) -> bool,
) -> Vec<String> {
    o.paths
        .iter()
        .filter(|p| guards(d, p) && p.verdict == Verdict::Fails)
        .map(|p| {
            let why: Vec<&str> = o.reasons_of(&p.reasons).map(|r| r.text.as_str()).collect();
            format!(
                "{} ({}): {why:#?}",
                p.name,
                component_name(d, p).join(" → ")
            )
        })
        .collect()
}

#[test]
fn references_work_as_drawn_at_their_stated_peak() {
    for t in templates::all()
        .iter()
        .filter(|t| t.variant == Variant::Reference)
    {
        let d = t.diagram().unwrap();
        let o = sim::simulate(&d, Scenario::baseline()).unwrap();
        assert!(
            o.load.is_some(),
            "{}: references state their traffic",
            t.name
        );
        let not_working: Vec<_> = o
            .paths
            .iter()
            .filter(|p| p.verdict != Verdict::Works)
            .map(|p| {
                (
                    &p.name,
                    o.reasons_of(&p.reasons)
                        .map(|r| r.text.clone())
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        assert!(not_working.is_empty(), "{}: {not_working:#?}", t.name);
    }
}

#[test]
fn failing_any_component_of_a_reference_keeps_the_promises_of_its_notes() {
    for t in templates::all()
        .iter()
        .filter(|t| t.variant == Variant::Reference)
    {
        assert!(
            CLAIMS.iter().any(|c| c.template == t.name),
            "{}: no claim read from its notes",
            t.name
        );
    }
    for claim in CLAIMS {
        let d = diagram(claim.template);
        let findings = rules::check(&d);
        for name in claim.failing {
            assert!(
                d.components.iter().any(|c| c.name == *name),
                "{}: no component {name}",
                claim.template
            );
        }
        for c in &d.components {
            if !claim.failing.is_empty() && !claim.failing.contains(&c.name.as_str()) {
                continue;
            }
            let o = sim::simulate_with(&d, &findings, Scenario::down(c.id)).unwrap();
            let broken = failing_paths(&d, &o, claim.guards);
            assert!(
                broken.is_empty(),
                "{}: with {} down, the note \"{}\" does not hold: {broken:#?}",
                claim.template,
                c.name,
                claim.note
            );
            let guarded = o.paths.iter().filter(|p| (claim.guards)(&d, p)).count();
            assert!(guarded > 0, "{}: the claim guards no path", claim.template);
        }
    }
}

#[test]
fn in_every_reference_failures_behind_a_queue_and_telemetry_never_fail_a_request() {
    for t in templates::all()
        .iter()
        .filter(|t| t.variant == Variant::Reference)
    {
        let d = t.diagram().unwrap();
        let findings = rules::check(&d);
        let consumed: Vec<_> = d
            .connections
            .iter()
            .filter(|c| c.kind == archboard::model::ConnectionKind::Consume)
            .map(|c| c.to)
            .collect();
        for c in &d.components {
            let telemetry = matches!(c.kind, K::LogSink | K::Metrics | K::Tracing);
            if !telemetry && !consumed.contains(&c.id) {
                continue;
            }
            let o = sim::simulate_with(&d, &findings, Scenario::down(c.id)).unwrap();
            let broken = failing_paths(&d, &o, request_paths);
            assert!(
                broken.is_empty(),
                "{}: {} down: {broken:#?}",
                t.name,
                c.name
            );
        }
    }
}

#[test]
fn failing_a_single_point_of_failure_of_a_starter_makes_a_path_fail() {
    for t in templates::all()
        .iter()
        .filter(|t| t.variant == Variant::Starter)
    {
        let d = t.diagram().unwrap();
        let findings = rules::check(&d);
        // The checklist names the single points of failure: one instance
        // of a service, a database with nothing to fail over to.
        let spofs: Vec<_> = findings
            .iter()
            .filter(|f| matches!(f.rule.id, "FAIL-009" | "FAIL-010"))
            .filter_map(|f| match f.subject {
                Subject::Component(id) => Some(id),
                _ => None,
            })
            .collect();
        assert!(!spofs.is_empty(), "{}: no single point of failure", t.name);
        for id in spofs {
            let o = sim::simulate_with(&d, &findings, Scenario::down(id)).unwrap();
            assert_eq!(
                o.worst(),
                Verdict::Fails,
                "{}: {} down, yet every path survives",
                t.name,
                d.component(id).unwrap().name
            );
        }
    }
}

/// Every scenario that fits a template runs, is deterministic and explains
/// itself with valid references.
#[test]
fn every_scenario_runs_on_every_template() {
    for t in templates::all() {
        let d = t.diagram().unwrap();
        let findings = rules::check(&d);
        let mut scenarios = vec![Scenario::baseline(), Scenario::traffic(10.0)];
        for c in &d.components {
            scenarios.push(Scenario::down(c.id));
            scenarios.push(Scenario::slow(c.id, 20.0).with_traffic(2.0));
            if matches!(c.kind, K::Cache | K::Cdn) {
                scenarios.push(Scenario::cache_cold(c.id));
            }
            if matches!(c.kind, K::Queue | K::EventStore) {
                scenarios.push(Scenario::consumers_stopped(c.id));
            }
        }
        for g in &d.groups {
            match g.kind {
                GroupKind::Zone => scenarios.push(Scenario::zone(g.id)),
                GroupKind::Region => scenarios.push(Scenario::region(g.id)),
                _ => {}
            }
        }
        for scenario in scenarios {
            let o = sim::simulate_with(&d, &findings, scenario).unwrap();
            assert_eq!(o, sim::simulate_with(&d, &findings, scenario).unwrap());
            assert_eq!(o.components.len(), d.components.len());
            for p in &o.paths {
                assert!(p.reasons.iter().all(|&r| r < o.reasons.len()), "{}", t.name);
                assert_eq!(
                    p.verdict == Verdict::Works,
                    p.reasons.is_empty(),
                    "{} {}: {} has {} reasons",
                    t.name,
                    scenario.key(),
                    p.name,
                    p.reasons.len()
                );
            }
            for probe in sim::probes(&d, &o) {
                assert!(probe.key.starts_with("whatif:"), "{}", probe.key);
            }
        }
    }
}

#[test]
fn a_region_loss_fails_single_region_references_that_accept_it() {
    // Every reference runs in one region and says so (FAIL-011 accepted or
    // not needed): losing that region stops the requests that live in it.
    for t in templates::all()
        .iter()
        .filter(|t| t.variant == Variant::Reference)
    {
        let d = t.diagram().unwrap();
        for g in d.groups.iter().filter(|g| g.kind == GroupKind::Region) {
            let o = sim::simulate(&d, Scenario::region(g.id)).unwrap();
            assert_eq!(o.worst(), Verdict::Fails, "{}: {}", t.name, g.label);
        }
    }
}
