//! Observability: could someone find the cause of a problem at 3 a.m.?
//!
//! Telemetry counts when it is a property of the component or when the
//! component is linked (either direction) to a log store, metrics component
//! or tracing backend.

use super::context::{Context, off, update_component};
use super::text::verb;
use super::{Category, Gap, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;

const CAT: Category = Category::Observability;

/// Code that writes no structured logs anywhere central.
pub static OBS_001: Rule = Rule {
    id: "OBS-001",
    category: CAT,
    severity: Severity::Warning,
    title: "Service without structured logging",
    why: "Logs that stay on an instance disappear with it and cannot be searched across instances. Structured logs in one place are where an investigation starts.",
    fix: "Send structured logs (with a correlation id) to a central log store.",
    question: "A customer reports a failed order an hour ago: where do you look first?",
};

/// Code that publishes no metrics.
pub static OBS_002: Rule = Rule {
    id: "OBS-002",
    category: CAT,
    severity: Severity::Warning,
    title: "Service without metrics",
    why: "Without latency, error rate, throughput and saturation numbers you learn about problems from users, and you cannot tell whether a change made things better or worse.",
    fix: "Publish request latency, error rate, throughput and resource usage to a metrics system.",
    question: "How would you know this service got slower after yesterday's deployment?",
};

/// Metrics collected but nobody is told when they go wrong.
pub static OBS_003: Rule = Rule {
    id: "OBS-003",
    category: CAT,
    severity: Severity::Warning,
    title: "Metrics without alerts",
    why: "Dashboards only help when someone is looking at them. Alerts on symptoms users feel (errors, latency, backlog) turn metrics into a response.",
    fix: "Define alerts on error rate, latency and queue backlog, routed to whoever is on call.",
    question: "Who gets woken up when the error rate triples at night, and how?",
};

/// Several services in a request path with no tracing.
pub static OBS_004: Rule = Rule {
    id: "OBS-004",
    category: CAT,
    severity: Severity::Warning,
    title: "Request path across services without distributed tracing",
    why: "When one user request crosses several services, per-service logs cannot show which hop was slow. Tracing stitches the hops of one request together.",
    fix: "Propagate trace context (W3C traceparent, OpenTelemetry) through every service on the path and export the spans.",
    question: "A request that crosses these services takes four seconds: which hop is slow?",
};

/// A queue whose backlog nobody watches.
pub static OBS_005: Rule = Rule {
    id: "OBS-005",
    category: CAT,
    severity: Severity::Warning,
    title: "Queue without depth monitoring",
    why: "A growing backlog is the first sign that consumers are failing or too slow. Unwatched, it grows until messages expire or users notice the delay.",
    fix: "Track queue depth and the age of the oldest message, and alert when either keeps growing.",
    question: "Your consumers silently stopped an hour ago: how do you find out?",
};

pub(super) static RULES: &[&Rule] = &[&OBS_001, &OBS_002, &OBS_003, &OBS_004, &OBS_005];

/// Per-component gaps of one rule, with how many components it judged.
type Gaps<'a> = (usize, Vec<Gap<'a>>);

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut unlogged: Gaps<'_> = (0, Vec::new());
    let mut unmeasured: Gaps<'_> = (0, Vec::new());
    let mut untraced: Gaps<'_> = (0, Vec::new());
    for (i, c, node) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;
        let runs_code = c.kind.is_compute() || c.kind == K::Workflow;

        if runs_code && props.logging.is_some() {
            unlogged.0 += 1;
            if off(props.logging) && !node.logs {
                unlogged.1.push(Gap {
                    component: c,
                    message: Box::new(move || {
                        format!(
                            "{name} {} no structured logs to a central store",
                            verb(name, "sends", "send")
                        )
                    }),
                    fix: Some(QuickFix {
                        label: "Turn on structured logging",
                        edit: update_component(c, |p| p.logging = Some(true)),
                    }),
                });
            }
        }

        if runs_code && props.metrics.is_some() {
            unmeasured.0 += 1;
            if off(props.metrics) && !node.metrics {
                unmeasured.1.push(Gap {
                    component: c,
                    message: Box::new(move || {
                        format!("{name} {} no metrics", verb(name, "publishes", "publish"))
                    }),
                    fix: Some(QuickFix {
                        label: "Turn on metrics",
                        edit: update_component(c, |p| p.metrics = Some(true)),
                    }),
                });
            }
        }

        if c.kind == K::Metrics && off(props.alerts) {
            sink.component(
                &OBS_003,
                c,
                format!(
                    "{name} {} metrics but {} nobody",
                    verb(name, "collects", "collect"),
                    verb(name, "alerts", "alert")
                ),
                Some(QuickFix {
                    label: "Turn on alerts",
                    edit: update_component(c, |p| p.alerts = Some(true)),
                }),
            );
        }

        if c.kind.is_compute() && props.tracing.is_some() {
            let on_shared_path = ctx.touching(i).any(|l| {
                l.conn.kind.is_synchronous() && l.from.kind.is_compute() && l.to.kind.is_compute()
            });
            if on_shared_path {
                untraced.0 += 1;
                if off(props.tracing) && !node.traces {
                    untraced.1.push(Gap {
                        component: c,
                        message: Box::new(move || format!(
                            "{name} {} a request path with other services but {} not propagate traces",
                            verb(name, "shares", "share"),
                            verb(name, "does", "do")
                        )),
                        fix: Some(QuickFix {
                            label: "Turn on distributed tracing",
                            edit: update_component(c, |p| p.tracing = Some(true)),
                        }),
                    });
                }
            }
        }

        if c.kind == K::Queue && off(props.metrics) && !node.metrics {
            sink.component(
                &OBS_005,
                c,
                format!("Nobody watches the depth of {name}"),
                Some(QuickFix {
                    label: "Monitor depth and alert",
                    edit: update_component(c, |p| {
                        p.metrics = Some(true);
                        p.alerts = Some(true);
                    }),
                }),
            );
        }
    }
    sink.gaps(
        &OBS_001,
        OBS_001.severity,
        unlogged.0,
        unlogged.1,
        |n, names| {
            format!("None of the {n} services sends structured logs to a central store: {names}")
        },
        "Turn on structured logging everywhere",
    );
    sink.gaps(
        &OBS_002,
        OBS_002.severity,
        unmeasured.0,
        unmeasured.1,
        |n, names| format!("None of the {n} services publishes metrics: {names}"),
        "Turn on metrics everywhere",
    );
    sink.gaps(
        &OBS_004,
        OBS_004.severity,
        untraced.0,
        untraced.1,
        |n, names| {
            format!("None of the {n} services on shared request paths propagates traces: {names}")
        },
        "Turn on distributed tracing everywhere",
    );
}
