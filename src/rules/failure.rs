//! Failure handling: what happens when a dependency is slow, down or flaky,
//! and where a single failure takes the whole system with it.

use std::collections::BTreeSet;

use super::context::{
    Context, Link, contains_word, instances, is_caller, off, on, update_component,
    update_connection,
};
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{ConnectionKind, Retry};

const CAT: Category = Category::FailureHandling;

/// A synchronous call with no timeout.
pub static FAIL_001: Rule = Rule {
    id: "FAIL-001",
    category: CAT,
    severity: Severity::Error,
    title: "Synchronous call without a timeout",
    why: "Without a timeout the caller waits as long as the dependency hangs. Its threads and connections fill up with stuck requests and the slowdown spreads to everything upstream.",
    fix: "Give every synchronous call a timeout that fits the caller's own latency budget.",
    question: "If this dependency stops answering but keeps the connection open, how long does your caller wait?",
};

/// Retries without exponential backoff and jitter.
pub static FAIL_002: Rule = Rule {
    id: "FAIL-002",
    category: CAT,
    severity: Severity::Warning,
    title: "Retries without backoff and jitter",
    why: "Fixed delays, or backoff without randomness, make every client retry at the same moments. A struggling dependency then gets waves of traffic exactly when it is trying to recover.",
    fix: "Retry a bounded number of times with exponential backoff and random jitter.",
    question: "When this dependency blips, what does the retry traffic from all your instances look like?",
};

/// A call to a service or external dependency with no circuit breaker.
pub static FAIL_003: Rule = Rule {
    id: "FAIL-003",
    category: CAT,
    severity: Severity::Error,
    title: "Call to a dependency without a circuit breaker",
    why: "When a dependency is down, every request still pays the full timeout before failing. A circuit breaker fails fast after repeated errors, which protects the caller and gives the dependency room to recover.",
    fix: "Wrap calls to other services and third parties in a circuit breaker (for example a Polly pipeline on the HttpClient).",
    question: "This dependency has been failing for five minutes: what does each new request to your service cost in the meantime?",
};

/// Retrying an operation that is not safe to repeat.
pub static FAIL_004: Rule = Rule {
    id: "FAIL-004",
    category: CAT,
    severity: Severity::Warning,
    title: "Retrying an operation that is not idempotent",
    why: "A request that timed out may still have succeeded. Retrying a write that is not idempotent can charge a card twice or create duplicate orders.",
    fix: "Make the operation idempotent (an idempotency key the callee deduplicates on) or stop retrying it.",
    question: "The first attempt timed out after the payment went through: what does the retry do?",
};

/// Retries at more than one layer of the same call chain.
pub static FAIL_005: Rule = Rule {
    id: "FAIL-005",
    category: CAT,
    severity: Severity::Warning,
    title: "Retries stacked at several layers",
    why: "When each layer of a call chain retries, the attempts multiply: three retries at two layers turn one failing request into sixteen calls at the bottom, right when it is overloaded.",
    fix: "Retry at one layer only, usually the one closest to the failing dependency, and let the outer layers fail fast.",
    question: "How many requests reach the bottom of this chain when it starts failing?",
};

/// A call to an external dependency that shares the caller's resources.
pub static FAIL_006: Rule = Rule {
    id: "FAIL-006",
    category: CAT,
    severity: Severity::Info,
    title: "External call without a bulkhead",
    why: "When one slow third party holds every thread or connection of the caller, the caller's other, healthy dependencies become unreachable too.",
    fix: "Give calls to this dependency their own limited pool of connections or concurrent requests.",
    question: "If this provider slows to ten seconds per call, can your service still serve requests that do not need it?",
};

/// A read path that could serve stale data but fails instead.
pub static FAIL_007: Rule = Rule {
    id: "FAIL-007",
    category: CAT,
    severity: Severity::Info,
    title: "Read path without a fallback",
    why: "Many reads can degrade gracefully: a slightly stale cached answer or a sensible default is better than an error page when the source is down.",
    fix: "Return a cached or default answer when the call fails or the circuit is open.",
    question: "When this source is unavailable, what does the user see?",
};

/// A multi-step business transaction without compensation.
pub static FAIL_008: Rule = Rule {
    id: "FAIL-008",
    category: CAT,
    severity: Severity::Warning,
    title: "Business transaction across services without a saga",
    why: "An order that spans payment, inventory and shipping cannot use one database transaction. Without compensating steps, a failure halfway leaves money taken and no order, or stock reserved forever.",
    fix: "Coordinate the steps with a saga (orchestrated or choreographed) where each step has a compensating action.",
    question: "Payment succeeded but reserving stock failed: what undoes the payment?",
};

/// A service that runs as a single instance.
pub static FAIL_009: Rule = Rule {
    id: "FAIL-009",
    category: CAT,
    severity: Severity::Error,
    title: "Single instance of a service",
    why: "One instance is a single point of failure: a crash, a deployment or a node reboot takes the whole function offline.",
    fix: "Run at least two instances, spread across zones, behind a load balancer.",
    question: "What happens to requests while this instance restarts during a deployment?",
};

/// A relational database with no failover target.
pub static FAIL_010: Rule = Rule {
    id: "FAIL-010",
    category: CAT,
    severity: Severity::Error,
    title: "Database without a replica to fail over to",
    why: "A single primary database is the classic single point of failure, and restoring from a backup takes far longer than failing over to a standby.",
    fix: "Add a replica with automatic failover (a zone-redundant or geo-replicated setup).",
    question: "The primary database's host dies: how long are you down, and how much data do you lose?",
};

/// A very high availability target met with one region.
pub static FAIL_011: Rule = Rule {
    id: "FAIL-011",
    category: CAT,
    severity: Severity::Error,
    title: "Availability target needs more regions than the design has",
    why: "Four nines allow under an hour of downtime a year, and a whole-region outage alone can exceed that. Meeting such a target, or serving several geographies, takes more than one region and routing between them.",
    fix: "Deploy to at least two regions (drawn as region groups) with global traffic routing and replicated data, or restate the target.",
    question: "Your cloud region goes down for three hours: what happens to your availability promise?",
};

/// Instances or balancers without health checks.
pub static FAIL_012: Rule = Rule {
    id: "FAIL-012",
    category: CAT,
    severity: Severity::Warning,
    title: "No health checks where traffic is balanced",
    why: "A balancer or orchestrator that cannot tell a sick instance from a healthy one keeps sending it traffic, so one bad instance fails a share of all requests.",
    fix: "Expose liveness and readiness probes on each instance and have the balancer or orchestrator use them.",
    question: "One instance has lost its database connection but still accepts requests: who notices?",
};

pub(super) static RULES: &[&Rule] = &[
    &FAIL_001, &FAIL_002, &FAIL_003, &FAIL_004, &FAIL_005, &FAIL_006, &FAIL_007, &FAIL_008,
    &FAIL_009, &FAIL_010, &FAIL_011, &FAIL_012,
];

/// Default timeout offered by the quick fix, by call kind.
fn default_timeout_ms(kind: ConnectionKind) -> u32 {
    match kind {
        ConnectionKind::Read | ConnectionKind::Write => 1_000,
        _ => 2_000,
    }
}

fn is_remote_service(kind: K) -> bool {
    matches!(kind, K::Service | K::ExternalService)
}

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    calls(ctx, sink);
    components(ctx, sink);
    saga(ctx, sink);
    regions(ctx, sink);
}

/// Rules about one synchronous call: FAIL-001 to FAIL-007.
fn calls(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    // Per-caller facts gathered in one pass, so that a component with
    // thousands of calls does not make the rules below quadratic.
    let n = ctx.nodes.len();
    let mut first_retrying_call: Vec<Option<&Link<'_>>> = vec![None; n];
    let mut reads_cache = vec![false; n];
    for link in ctx.links.iter().filter(|l| l.is_policy_call()) {
        if link.conn.policy.retry != Retry::None
            && let Some(slot @ None) = first_retrying_call.get_mut(link.from_index)
        {
            *slot = Some(link);
        }
        if link.to.kind == K::Cache
            && link.conn.kind == ConnectionKind::Read
            && let Some(flag) = reads_cache.get_mut(link.from_index)
        {
            *flag = true;
        }
    }

    for link in ctx.links.iter().filter(|l| l.is_policy_call()) {
        let conn = link.conn;
        let policy = &conn.policy;
        let (from, to) = (&link.from.name, &link.to.name);
        let verb = link.verb();

        if policy.timeout_ms.is_none_or(|t| t == 0) {
            let timeout_ms = default_timeout_ms(conn.kind);
            sink.connection(
                &FAIL_001,
                link,
                format!("{from} {verb} {to} without a timeout"),
                Some(QuickFix {
                    label: if timeout_ms == 1_000 {
                        "Set a 1 s timeout"
                    } else {
                        "Set a 2 s timeout"
                    },
                    edit: update_connection(conn, |c| c.policy.timeout_ms = Some(timeout_ms)),
                }),
            );
        }

        if matches!(policy.retry, Retry::Fixed | Retry::Exponential) {
            let how = if policy.retry == Retry::Fixed {
                "with a fixed delay"
            } else {
                "with backoff but no jitter"
            };
            sink.connection(
                &FAIL_002,
                link,
                format!("{from} retries its call to {to} {how}"),
                Some(QuickFix {
                    label: "Use exponential backoff with jitter",
                    edit: update_connection(conn, |c| {
                        c.policy.retry = Retry::ExponentialJitter;
                        c.policy.max_retries = c.policy.max_retries.clamp(1, 3);
                    }),
                }),
            );
        }

        let calls_service = matches!(conn.kind, ConnectionKind::Request | ConnectionKind::Read)
            && is_remote_service(link.to.kind);
        if calls_service && link.from.kind != K::ApiGateway && !policy.circuit_breaker {
            sink.connection(
                &FAIL_003,
                link,
                format!("{from} calls {to} without a circuit breaker"),
                Some(QuickFix {
                    label: "Add a circuit breaker",
                    edit: update_connection(conn, |c| c.policy.circuit_breaker = true),
                }),
            );
        }

        if policy.retry != Retry::None
            && !conn.idempotent
            && matches!(conn.kind, ConnectionKind::Request | ConnectionKind::Write)
        {
            sink.connection(
                &FAIL_004,
                link,
                format!("{from} retries a call to {to} that is not marked idempotent"),
                Some(QuickFix {
                    label: "Make the call idempotent",
                    edit: update_connection(conn, |c| c.idempotent = true),
                }),
            );
        }

        if policy.retry != Retry::None && is_caller(link.to.kind) {
            let inner = first_retrying_call.get(link.to_index).copied().flatten();
            if let Some(inner) = inner {
                sink.connection(
                    &FAIL_005,
                    link,
                    format!(
                        "{from} retries its call to {to}, which retries its own call to {} too",
                        inner.to.name
                    ),
                    Some(QuickFix {
                        label: "Retry only at the inner call",
                        edit: update_connection(conn, |c| {
                            c.policy.retry = Retry::None;
                            c.policy.max_retries = 0;
                        }),
                    }),
                );
            }
        }

        if link.to.kind == K::ExternalService && !policy.bulkhead {
            let dependencies = ctx
                .outgoing(link.from_index)
                .filter(|l| l.is_policy_call())
                .take(2)
                .count();
            if dependencies >= 2 {
                sink.connection(
                    &FAIL_006,
                    link,
                    format!("{from} shares its connections and threads between {to} and its other dependencies"),
                    Some(QuickFix {
                        label: "Add a bulkhead",
                        edit: update_connection(conn, |c| c.policy.bulkhead = true),
                    }),
                );
            }
        }

        let caller_reads_cache = reads_cache.get(link.from_index).copied().unwrap_or(false);
        if !policy.fallback && fallback_makes_sense(ctx, link, caller_reads_cache) {
            sink.connection(
                &FAIL_007,
                link,
                format!("{from} has no fallback answer when {to} fails"),
                Some(QuickFix {
                    label: "Add a fallback",
                    edit: update_connection(conn, |c| c.policy.fallback = true),
                }),
            );
        }
    }
}

/// A read of a service or search index, or a call from a caller that also
/// reads a cache and so has something stale to serve. Calls that move money
/// are left out: there is no sensible stale answer to a payment.
fn fallback_makes_sense(ctx: &Context<'_>, link: &Link<'_>, caller_reads_cache: bool) -> bool {
    if ctx.node(link.to_index).is_some_and(|n| n.money) {
        return false;
    }
    let target_degrades = is_remote_service(link.to.kind) || link.to.kind == K::SearchIndex;
    match link.conn.kind {
        ConnectionKind::Read => target_degrades,
        ConnectionKind::Request => is_remote_service(link.to.kind) && caller_reads_cache,
        _ => false,
    }
}

/// Rules about one component: FAIL-009, FAIL-010, FAIL-012.
fn components(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for (i, c, _) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;

        // Workers behind a queue are left out on purpose: the queue buffers
        // work while a single worker restarts.
        let serves_requests = matches!(c.kind, K::ApiGateway | K::Service | K::RealtimeHub);
        if serves_requests && instances(c) < 2 && props.instances.is_some() {
            sink.component(
                &FAIL_009,
                c,
                format!("{name} runs as a single instance"),
                Some(QuickFix {
                    label: "Run two instances",
                    edit: update_component(c, |p| p.instances = Some(2)),
                }),
            );
        }

        if c.kind == K::RelationalDb && off(props.failover) {
            let message = match props.replicas.unwrap_or(0) {
                0 => format!("{name} has no replica to fail over to"),
                1 => format!("{name} has a replica but no automatic failover"),
                n => format!("{name} has {n} replicas but no automatic failover"),
            };
            sink.component(
                &FAIL_010,
                c,
                message,
                Some(QuickFix {
                    label: "Add a replica with automatic failover",
                    edit: update_component(c, |p| {
                        p.failover = Some(true);
                        p.replicas = Some(p.replicas.unwrap_or(0).max(1));
                    }),
                }),
            );
        }

        if off(props.health_checks) {
            let message = if matches!(c.kind, K::LoadBalancer | K::TrafficManager) {
                let routes = ctx.outgoing(i).next().is_some();
                routes.then(|| {
                    format!("{name} routes traffic without probing the health of its targets")
                })
            } else if c.kind.is_compute() {
                let balanced = ctx.incoming(i).any(|l| {
                    matches!(
                        l.from.kind,
                        K::LoadBalancer | K::ApiGateway | K::TrafficManager
                    )
                });
                (balanced || instances(c) >= 2).then(|| {
                    format!("{name} has no health checks, so a sick instance keeps getting traffic")
                })
            } else {
                None
            };
            if let Some(message) = message {
                sink.component(
                    &FAIL_012,
                    c,
                    message,
                    Some(QuickFix {
                        label: "Turn on health checks",
                        edit: update_component(c, |p| p.health_checks = Some(true)),
                    }),
                );
            }
        }
    }
}

/// The business steps a name belongs to, for FAIL-008.
fn business_step(name: &str) -> Option<&'static str> {
    [
        ("order", "order"),
        ("payment", "payment"),
        ("billing", "payment"),
        ("checkout", "payment"),
        ("inventory", "inventory"),
        ("stock", "inventory"),
        ("shipping", "shipping"),
        ("shipment", "shipping"),
        ("delivery", "shipping"),
        ("fulfil", "shipping"),
    ]
    .iter()
    .find(|(word, _)| contains_word(name, word))
    .map(|(_, step)| *step)
}

/// FAIL-008: two or more business steps in different services, and no
/// workflow with compensation.
fn saga(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut steps = BTreeSet::new();
    for c in &ctx.diagram.components {
        if matches!(c.kind, K::Service | K::Worker | K::ExternalService)
            && let Some(step) = business_step(&c.name)
        {
            steps.insert(step);
        }
    }
    if steps.len() < 2 {
        return;
    }
    let workflows = || {
        ctx.diagram
            .components
            .iter()
            .filter(|c| c.kind == K::Workflow)
    };
    if workflows().any(|w| on(w.properties.compensation)) {
        return;
    }
    let list = steps.into_iter().collect::<Vec<_>>().join(", ");
    match workflows().find(|w| off(w.properties.compensation)) {
        Some(workflow) => sink.component(
            &FAIL_008,
            workflow,
            format!("{} coordinates {list} but has no compensation steps", workflow.name),
            Some(QuickFix {
                label: "Add compensation steps",
                edit: update_component(workflow, |p| p.compensation = Some(true)),
            }),
        ),
        None => sink.design(
            &FAIL_008,
            format!("The design spans {list} services but has no saga with compensation to undo a half-finished transaction"),
        ),
    }
}

/// FAIL-011: availability or region requirements against region groups.
fn regions(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let req = &ctx.diagram.requirements;
    let drawn = ctx.region_count;
    let plural = |n: usize| if n == 1 { "region" } else { "regions" };
    let needs_two = req.availability_percent.is_some_and(|a| a >= 99.99);
    let wanted = req.regions.unwrap_or(0) as usize;
    if needs_two && drawn < 2 {
        let target = req.availability_percent.unwrap_or_default();
        sink.design(
            &FAIL_011,
            format!(
                "The availability target is {target}% but the design has {drawn} {}",
                plural(drawn)
            ),
        );
    } else if wanted >= 2 && drawn < wanted {
        sink.design(
            &FAIL_011,
            format!(
                "The requirements ask for {wanted} regions but the design has {drawn} {}",
                plural(drawn)
            ),
        );
    }
}
