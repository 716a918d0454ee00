//! Failure handling: what happens when a dependency is slow, down or flaky,
//! and where a single failure takes the whole system with it.
//!
//! Availability-driven rules (single instances, databases without failover,
//! zones, deployments) scale with the stated target: a 99% internal tool is
//! not judged like a 99.99% payment system. Cross-drawing rules follow a
//! chain of calls: a caller's timeout against the callee's own worst case,
//! and retries multiplied by a broker's redeliveries.

use std::collections::BTreeSet;

use super::context::{
    Context, Link, contains_word, instances, is_caller, lower, off, on, update_component,
    update_connection,
};
use super::text::{self, has_any, human_seconds, join_and, verb};
use super::{Category, Gap, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{ConnectionKind, GroupKind, Redundancy, Retry};

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
    why: "A request that timed out may still have succeeded. Retrying a write that is not idempotent can charge a card twice or create duplicate orders; where the call moves money the finding is an error.",
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

/// Broker redeliveries multiplied by a consumer's own retries.
pub static FAIL_013: Rule = Rule {
    id: "FAIL-013",
    category: CAT,
    severity: Severity::Warning,
    title: "Redeliveries and retries multiply into a flood of attempts",
    why: "A broker that redelivers a failed message and a consumer that retries each call multiply their attempts: ten deliveries of five attempts each hit a failing dependency fifty times for one message, exactly when it is struggling, and a failure takes far longer to be reported.",
    fix: "Retry in one place: either let the broker redeliver (a few deliveries, then the dead-letter queue) with no retries in the consumer, or retry briefly in the consumer and dead-letter after one or two deliveries.",
    question: "A job's endpoint is down: how many times does it get called for one message before anyone hears about it?",
};

/// A caller that gives up before the callee has finished trying.
pub static FAIL_014: Rule = Rule {
    id: "FAIL-014",
    category: CAT,
    severity: Severity::Warning,
    title: "Caller's timeout shorter than the callee's worst case",
    why: "When a callee's own calls can take longer than its caller is willing to wait (their timeout times their attempts), the caller gives up and may retry while the callee keeps working, and paying, for an answer nobody reads. The layers' budgets have to fit inside each other.",
    fix: "Fit the inner timeouts and retries inside the caller's timeout (and the latency target), pass the remaining deadline down with the request, and stop work whose caller has gone.",
    question: "The caller gave up after its timeout: what is the service behind it still doing, and who pays for it?",
};

/// One availability zone against a target that needs more.
pub static FAIL_015: Rule = Rule {
    id: "FAIL-015",
    category: CAT,
    severity: Severity::Error,
    title: "Single availability zone against the availability target",
    why: "A zone outage or a zone-wide network fault takes down everything in it, primary and standby alike, for hours. From about 99.95% a year's budget is a few hours, so one zone cannot meet the target.",
    fix: "Spread instances across zones (zone-redundant node pools or app plans), put the database standby in another zone, and use zone-redundant storage.",
    question: "Availability zone 1 loses power for three hours: which of your components are still serving?",
};

/// Deployments that stop every instance or send traffic too early.
pub static FAIL_016: Rule = Rule {
    id: "FAIL-016",
    category: CAT,
    severity: Severity::Warning,
    title: "Deployments that take the service down",
    why: "A deployment that stops every instance before starting the new version is a planned outage each release, and a probe that reports healthy before the database pool and clients are ready sends requests to instances that cannot serve them. Against a tight availability budget a few releases use it up.",
    fix: "Roll out a few instances at a time (rolling, blue-green or canary) with connection draining, and add a readiness probe that checks the dependencies, separate from the liveness probe.",
    question: "You release twice a day: what do users see while a new version starts?",
};

pub(super) static RULES: &[&Rule] = &[
    &FAIL_001, &FAIL_002, &FAIL_003, &FAIL_004, &FAIL_005, &FAIL_006, &FAIL_007, &FAIL_008,
    &FAIL_009, &FAIL_010, &FAIL_011, &FAIL_012, &FAIL_013, &FAIL_014, &FAIL_015, &FAIL_016,
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

/// Calls per message beyond which redeliveries times retries are load,
/// not resilience (FAIL-013).
const ATTEMPT_BOUND: u64 = 25;

/// Words in a label that say a timeout.
const TIMEOUT_WORDS: &[&str] = &["timeout", "times out after", "time out after", "deadline"];

/// Words that say an operation is safe to repeat.
pub(super) const IDEMPOTENT_WORDS: &[&str] = &[
    "idempoten",
    "dedup",
    "deduplicat",
    "conditional update",
    "if-match",
    "etag",
    "upsert",
    "exactly once",
    "exactly-once",
    "insert if absent",
];

/// Words in a label that say money moves.
const MONEY_WORDS: &[&str] = &[
    "charge", "payment", "transfer", "payout", "refund", "posting", "debit",
];

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    calls(ctx, sink);
    components(ctx, sink);
    saga(ctx, sink);
    regions(ctx, sink);
    budgets(ctx, sink);
    redeliveries(ctx, sink);
    zones(ctx, sink);
}

/// The label of a connection in lower case.
fn label(link: &Link<'_>) -> String {
    link.conn.label.to_lowercase()
}

/// Attempts a retrying call makes in all (the first one plus retries).
fn attempts(link: &Link<'_>) -> u64 {
    match link.conn.policy.retry {
        Retry::None => 1,
        _ => 1 + u64::from(link.conn.policy.max_retries),
    }
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
        let label = if conn.label.is_empty() {
            String::new()
        } else {
            label(link)
        };

        if policy.timeout_ms.is_none_or(|t| t == 0) {
            let stated = text::duration_near(&label, TIMEOUT_WORDS)
                .map(|s| (s * 1_000.0).round().clamp(1.0, f64::from(u32::MAX)) as u32);
            match stated {
                Some(timeout_ms) => {
                    sink.connection(
                        &FAIL_001,
                        link,
                        format!(
                            "{from} {verb} {to} with a {} timeout in its label but none set on the call: set it so the design shows it",
                            human_seconds(f64::from(timeout_ms) / 1_000.0)
                        ),
                        Some(QuickFix {
                            label: "Set the timeout the label states",
                            edit: update_connection(conn, |c| c.policy.timeout_ms = Some(timeout_ms)),
                        }),
                    )
                    .at(Severity::Info);
                }
                None => {
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
                            edit: update_connection(conn, |c| {
                                c.policy.timeout_ms = Some(timeout_ms);
                            }),
                        }),
                    );
                }
            }
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
            let fix = QuickFix {
                label: "Add a circuit breaker",
                edit: update_connection(conn, |c| c.policy.circuit_breaker = true),
            };
            match text::affirmed(&label, &["circuit breaker", "circuit-breaker", "breaker"]) {
                Some(range) => {
                    sink.connection(
                        &FAIL_003,
                        link,
                        format!(
                            "{from} calls {to} with a circuit breaker in its label (\"{}\") but none set on the call: set it so the design shows it",
                            text::quote_from(&conn.label, &label, range)
                        ),
                        Some(fix),
                    )
                    .at(Severity::Info);
                }
                None => {
                    sink.connection(
                        &FAIL_003,
                        link,
                        format!("{from} calls {to} without a circuit breaker"),
                        Some(fix),
                    );
                }
            }
        }

        if policy.retry != Retry::None
            && !conn.idempotent
            && matches!(conn.kind, ConnectionKind::Request | ConnectionKind::Write)
        {
            let fix = QuickFix {
                label: "Make the call idempotent",
                edit: update_connection(conn, |c| c.idempotent = true),
            };
            let retries = text::plural(u64::from(policy.max_retries.max(1)), "time", "times");
            if let Some(range) = text::affirmed(&label, IDEMPOTENT_WORDS) {
                sink.connection(
                    &FAIL_004,
                    link,
                    format!(
                        "{from} retries its call to {to}, whose label says it is safe to repeat (\"{}\"), but the call is not marked idempotent: mark it so the design shows it",
                        text::quote_from(&conn.label, &label, range)
                    ),
                    Some(fix),
                )
                .at(Severity::Info);
            } else if moves_money(ctx, link, &label) {
                sink.connection(
                    &FAIL_004,
                    link,
                    format!(
                        "{from} retries its call to {to} up to {retries} and the call moves money but is not idempotent: a call that timed out after it succeeded runs again and moves the money twice. Send an idempotency key that {to} deduplicates on"
                    ),
                    Some(fix),
                )
                .at(Severity::Error);
            } else {
                sink.connection(
                    &FAIL_004,
                    link,
                    format!("{from} retries a call to {to} that is not marked idempotent"),
                    Some(fix),
                );
            }
        }

        if policy.retry != Retry::None && is_caller(link.to.kind) {
            let inner = first_retrying_call.get(link.to_index).copied().flatten();
            if let Some(inner) = inner {
                let total = attempts(link) * attempts(inner);
                sink.connection(
                    &FAIL_005,
                    link,
                    format!(
                        "{from} retries its call to {to}, which retries its own call to {} too: up to {total} calls reach {} for one request",
                        inner.to.name, inner.to.name
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

/// The call moves money: the callee is part of a payment flow, or the label
/// says it charges, pays or transfers.
fn moves_money(ctx: &Context<'_>, link: &Link<'_>, label: &str) -> bool {
    ctx.node(link.to_index).is_some_and(|n| n.money) || has_any(label, MONEY_WORDS)
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

/// FAIL-009's message: plain where the target needs a second instance,
/// with the trade-off to state where the target allows the downtime.
fn single_instance_message(ctx: &Context<'_>, name: &str) -> String {
    let runs = verb(name, "runs", "run");
    match ctx.scale.availability {
        Some(a) if a < 99.9 => format!(
            "{name} {runs} as a single instance, which a {a}% target can allow if a restart or a deployment may drop requests for a minute: state it as a trade-off, or run two"
        ),
        _ => format!("{name} {runs} as a single instance"),
    }
}

/// Words that say a platform restarts or hosts an instance for you.
const MANAGED_COMPUTE: &[&str] = &[
    "app service",
    "azure functions",
    "cloud run",
    "lambda",
    "container apps",
    "serverless",
    "platform restarts",
    "fargate",
    "heroku",
    "managed platform",
];

/// Words that say a database fails over by itself.
const BUILT_IN_FAILOVER: &[&str] = &[
    "automatic failover",
    "auto-failover",
    "built-in high availability",
    "built-in ha",
    "service-managed failover",
    "zone-redundant",
    "multi-az",
];

/// Managed relational services with a built-in standby.
const MANAGED_DATABASES: &[&str] = &[
    "azure sql",
    "aurora",
    "cloud sql",
    "rds",
    "managed",
    "serverless",
    "flexible server",
];

/// Words that say a component has health probes.
const PROBE_WORDS: &[&str] = &[
    "health check",
    "health probe",
    "health endpoint",
    "liveness",
    "readiness",
];

/// Rules about one component: FAIL-009, FAIL-010, FAIL-012, FAIL-016.
fn components(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut single = (0, Vec::new());
    let mut unprobed = (0, Vec::new());
    for (i, c, _) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;

        // Workers behind a queue are left out on purpose: the queue buffers
        // work while a single worker restarts.
        let serves_requests = matches!(c.kind, K::ApiGateway | K::Service | K::RealtimeHub);
        if serves_requests && props.instances.is_some() {
            single.0 += 1;
            if instances(c) < 2 {
                let fix = Some(QuickFix {
                    label: "Run two instances",
                    edit: update_component(c, |p| p.instances = Some(2)),
                });
                match ctx.says(i, MANAGED_COMPUTE) {
                    Some(quote) => {
                        let severity = lower(ctx.scale.single_instance_severity());
                        sink.component(
                            &FAIL_009,
                            c,
                            format!(
                                "{name} {} as a single instance; the platform restarts it (\"{quote}\"), but a restart or a deployment still drops requests: run a second instance if the target needs it",
                                verb(name, "runs", "run")
                            ),
                            fix,
                        )
                        .at(severity);
                    }
                    None => single.1.push(Gap {
                        component: c,
                        message: Box::new(move || single_instance_message(ctx, name)),
                        fix,
                    }),
                }
            }
        }

        if c.kind == K::RelationalDb && off(props.failover) {
            let fix = Some(QuickFix {
                label: "Add a replica with automatic failover",
                edit: update_component(c, |p| {
                    p.failover = Some(true);
                    p.replicas = Some(p.replicas.unwrap_or(0).max(1));
                }),
            });
            let has = verb(name, "has", "have");
            if let Some(quote) = ctx.says(i, BUILT_IN_FAILOVER) {
                sink.written_but_unset(
                    &FAIL_010,
                    c,
                    ("fails over automatically", "fail over automatically"),
                    &quote,
                    "Automatic failover switch is off",
                    fix,
                );
            } else {
                let message = match props.replicas.unwrap_or(0) {
                    0 => format!("{name} {has} no replica to fail over to"),
                    1 => format!("{name} {has} a replica but no automatic failover"),
                    n => format!("{name} {has} {n} replicas but no automatic failover"),
                };
                let mut severity = ctx.scale.by_availability(Severity::Error);
                if ctx.says(i, MANAGED_DATABASES).is_some() {
                    // A managed database keeps a standby of its own; the
                    // question is whether its tier and zone fit the target.
                    severity = lower(severity);
                }
                sink.component(&FAIL_010, c, message, fix).at(severity);
            }
        }

        let probed = if matches!(c.kind, K::LoadBalancer | K::TrafficManager) {
            ctx.outgoing(i).next().is_some()
        } else if c.kind.is_compute() {
            let balanced = ctx.incoming(i).any(|l| {
                matches!(
                    l.from.kind,
                    K::LoadBalancer | K::ApiGateway | K::TrafficManager
                )
            });
            balanced || instances(c) >= 2
        } else {
            false
        };
        if probed && props.health_checks.is_some() {
            unprobed.0 += 1;
        }
        if probed && off(props.health_checks) {
            let fix = Some(QuickFix {
                label: "Turn on health checks",
                edit: update_component(c, |p| p.health_checks = Some(true)),
            });
            if let Some(quote) = ctx.says(i, PROBE_WORDS) {
                sink.written_but_unset(
                    &FAIL_012,
                    c,
                    ("has health probes", "have health probes"),
                    &quote,
                    "Health checks switch is off",
                    fix,
                );
            } else {
                let balancer = matches!(c.kind, K::LoadBalancer | K::TrafficManager);
                let message = Box::new(move || {
                    if balancer {
                        format!("{name} routes traffic without probing the health of its targets")
                    } else {
                        format!(
                            "{name} {} no health checks, so a sick instance keeps getting traffic",
                            verb(name, "has", "have")
                        )
                    }
                });
                unprobed.1.push(Gap {
                    component: c,
                    message,
                    fix,
                });
            }
        }

        deployments(ctx, i, c, sink);
    }
    let severity = ctx.scale.single_instance_severity();
    sink.gaps(
        &FAIL_009,
        severity,
        single.0,
        single.1,
        |n, names| format!("All {n} services that take requests run as a single instance: {names}"),
        "Run two instances of each",
    );
    sink.gaps(
        &FAIL_012,
        Severity::Warning,
        unprobed.0,
        unprobed.1,
        |n, names| format!("None of the {n} balanced components has health checks: {names}"),
        "Turn on health checks everywhere",
    );
}

/// Phrases that say a deployment stops every instance at once.
const DOWNTIME_DEPLOYS: &[&str] = &[
    "recreate",
    "stop all",
    "stops all",
    "stop every",
    "stops every",
    "downtime during deploy",
    "maintenance window",
    "taken down to deploy",
    "short outage",
    "brief outage",
    "downtime while",
    "big-bang",
    "in-place deploy",
    "in place upgrade",
    "stop the old version",
];

/// Phrases that say the only probe is a liveness check.
const LIVENESS_ONLY: &[&str] = &[
    "liveness ping",
    "liveness only",
    "liveness-only",
    "only a liveness",
    "only liveness",
    "no readiness",
    "without readiness",
];

/// FAIL-016 for one component: a downtime deployment or a liveness-only
/// probe written in the design, weighed against the availability target.
fn deployments(ctx: &Context<'_>, i: usize, c: &crate::model::Component, sink: &mut Sink<'_>) {
    let props = &c.properties;
    if props.zero_downtime_deploys.is_none() || !ctx.has_description(i) {
        return;
    }
    let recreate = off(props.zero_downtime_deploys)
        .then(|| ctx.says(i, DOWNTIME_DEPLOYS))
        .flatten();
    let liveness_only = off(props.readiness_checks)
        .then(|| ctx.says(i, LIVENESS_ONLY))
        .flatten();
    if recreate.is_none() && liveness_only.is_none() {
        return;
    }
    let name = &c.name;
    let mut parts = Vec::new();
    if let Some(quote) = &recreate {
        parts.push(format!(
            "every deployment stops all of {name} before the new version starts (\"{quote}\")"
        ));
    }
    if let Some(quote) = &liveness_only {
        parts.push(format!(
            "its probe says healthy before it can serve (\"{quote}\")"
        ));
    }
    let severity = match ctx.scale.availability {
        Some(a) if a >= 99.95 => Severity::Error,
        Some(a) if a < 99.5 => Severity::Info,
        _ => Severity::Warning,
    };
    let target = ctx
        .scale
        .availability
        .map(|a| format!(" against the {a}% target"))
        .unwrap_or_default();
    sink.component(
        &FAIL_016,
        c,
        format!(
            "{}{target}: deploy with rolling or blue-green updates and gate traffic on a readiness probe that checks the dependencies",
            capitalise(&join_and(&parts))
        ),
        Some(QuickFix {
            label: "Roll out gradually behind readiness checks",
            edit: update_component(c, |p| {
                if recreate.is_some() {
                    p.zero_downtime_deploys = Some(true);
                }
                if liveness_only.is_some() {
                    p.readiness_checks = Some(true);
                }
            }),
        }),
    )
    .at(severity);
}

/// The first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
    let list = join_and(&steps.into_iter().collect::<Vec<_>>());
    match workflows().find(|w| off(w.properties.compensation)) {
        Some(workflow) => {
            sink.component(
                &FAIL_008,
                workflow,
                format!(
                    "{} coordinates {list} but has no compensation steps",
                    workflow.name
                ),
                Some(QuickFix {
                    label: "Add compensation steps",
                    edit: update_component(workflow, |p| p.compensation = Some(true)),
                }),
            );
        }
        None => {
            sink.design(
                &FAIL_008,
                format!("The design spans {list} services but has no saga with compensation to undo a half-finished transaction: add a workflow whose steps each have an undo action"),
            );
        }
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
                "The availability target is {target}% but the design has {drawn} {}: draw a second region with routing between them",
                plural(drawn)
            ),
        );
    } else if wanted >= 2 && drawn < wanted {
        sink.design(
            &FAIL_011,
            format!(
                "The requirements ask for {wanted} regions but the design has {drawn} {}: draw the missing ones with routing between them",
                plural(drawn)
            ),
        );
    }
}

/// FAIL-014: for every call with a timeout, the callee's longest own call
/// (its timeout times its attempts) against it. Only the timeouts and
/// attempts are counted, never the backoff between them, so a finding is a
/// sure gap and not an estimate. One pass over the calls.
fn budgets(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut worst: Vec<Option<(u64, &Link<'_>)>> = vec![None; ctx.nodes.len()];
    for link in ctx.links.iter().filter(|l| l.is_policy_call()) {
        let Some(timeout) = link.conn.policy.timeout_ms.filter(|&t| t > 0) else {
            continue;
        };
        let total = u64::from(timeout) * attempts(link);
        if let Some(slot) = worst.get_mut(link.from_index)
            && slot.is_none_or(|(best, _)| total > best)
        {
            *slot = Some((total, link));
        }
    }
    let target_ms = ctx.diagram.requirements.latency_target_ms.map(u64::from);
    for link in ctx.links.iter().filter(|l| l.is_policy_call()) {
        let Some(timeout) = link.conn.policy.timeout_ms.filter(|&t| t > 0) else {
            continue;
        };
        let Some((inner_ms, inner)) = worst.get(link.to_index).copied().flatten() else {
            continue;
        };
        if inner_ms <= u64::from(timeout) {
            continue;
        }
        let inner_timeout = inner.conn.policy.timeout_ms.unwrap_or(0);
        let how = if attempts(inner) > 1 {
            format!(
                "{} × {} attempts",
                human_seconds(f64::from(inner_timeout) / 1_000.0),
                attempts(inner)
            )
        } else {
            "its timeout".to_owned()
        };
        // The latency target is about user requests: mention it only for a
        // caller on a client's request path.
        let on_request_path = ctx.node(link.from_index).is_some_and(|n| n.public)
            || ctx.incoming(link.from_index).any(|l| {
                l.conn.kind.is_synchronous() && ctx.node(l.from_index).is_some_and(|n| n.public)
            });
        let latency = target_ms
            .filter(|&t| on_request_path && inner_ms > t)
            .map(|t| {
                format!(
                    ", beyond the {} latency target too",
                    human_seconds(t as f64 / 1_000.0)
                )
            })
            .unwrap_or_default();
        sink.connection(
            &FAIL_014,
            link,
            format!(
                "{} gives {} {} to answer, but {} can spend at least {} on {} alone ({how}){latency}: fit the inner timeouts and retries inside the caller's budget and pass the deadline down",
                link.from.name,
                link.to.name,
                human_seconds(f64::from(timeout) / 1_000.0),
                link.to.name,
                human_seconds(inner_ms as f64 / 1_000.0),
                inner.to.name,
            ),
            None,
        );
    }
}

/// FAIL-013: a consumer that retries its calls, behind a broker that
/// redelivers a failed message.
fn redeliveries(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for link in ctx
        .links
        .iter()
        .filter(|l| l.conn.kind == ConnectionKind::Consume)
    {
        // Consume arrows are drawn from the queue or towards it.
        let (queue, consumer) = if link.from.kind == K::Queue {
            (link.from, link.to_index)
        } else if link.to.kind == K::Queue {
            (link.to, link.from_index)
        } else {
            continue;
        };
        let deliveries = u64::from(queue.properties.max_delivery_count.unwrap_or(0));
        if deliveries < 2 {
            continue;
        }
        for call in ctx
            .outgoing(consumer)
            .filter(|l| l.is_policy_call() && l.conn.policy.retry != Retry::None)
        {
            let per_delivery = attempts(call);
            let total = deliveries * per_delivery;
            if per_delivery < 2 || total <= ATTEMPT_BOUND {
                continue;
            }
            sink.connection(
                &FAIL_013,
                call,
                format!(
                    "{} {} a failing message up to {deliveries} times and {} retries each call to {} {}: up to {total} attempts per message. Retry in one place",
                    queue.name,
                    verb(&queue.name, "redelivers", "redeliver"),
                    call.from.name,
                    call.to.name,
                    text::plural(per_delivery - 1, "more time", "more times"),
                ),
                Some(QuickFix {
                    label: "Let the broker do the retrying",
                    edit: update_connection(call.conn, |c| {
                        c.policy.retry = Retry::None;
                        c.policy.max_retries = 0;
                    }),
                }),
            );
        }
    }
}

/// Phrases that say everything sits in one availability zone.
const ONE_ZONE: &[&str] = &[
    "one availability zone",
    "single availability zone",
    "single az",
    "one az",
    "same zone",
    "same availability zone",
    "availability zone 1",
    "in zone 1",
    "single zone",
    "single-az",
    "single-zone",
    "not zone-redundant",
    "not zone redundant",
    "without zone redundancy",
    "no zone redundancy",
    "only one zone",
];

/// Phrases that say the design spans zones.
const ZONE_REDUNDANT: &[&str] = &[
    "zone-redundant",
    "zone redundant",
    "across zones",
    "across availability zones",
    "multi-az",
    "multiple zones",
    "three zones",
    "availability zones",
];

/// Kinds that the team runs and that a zone outage takes down.
fn is_ours(kind: K) -> bool {
    kind.is_compute() || kind.is_store() || matches!(kind, K::Queue | K::Workflow | K::LoadBalancer)
}

/// FAIL-015: one zone (drawn as the only zone group around everything, or
/// written down) against a target of 99.9% or more.
fn zones(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(target) = ctx.scale.availability.filter(|&a| a >= 99.9) else {
        return;
    };
    if ctx.region_count >= 2 {
        return;
    }
    let d = ctx.diagram;
    let mut zone_groups = d.groups.iter().filter(|g| g.kind == GroupKind::Zone);
    let drawn_one = match (zone_groups.next(), zone_groups.next()) {
        (Some(zone), None) => {
            let ours: Vec<_> = d.components.iter().filter(|c| is_ours(c.kind)).collect();
            !ours.is_empty() && ours.iter().all(|c| zone.rect.contains_rect(c.rect()))
        }
        _ => false,
    };
    let written = ctx.said.quote(ONE_ZONE);
    if !(drawn_one || written.is_some()) || ctx.said.quote(ZONE_REDUNDANT).is_some() {
        return;
    }
    let local: Vec<&str> = d
        .components
        .iter()
        .filter(|c| c.properties.redundancy == Some(Redundancy::Local))
        .map(|c| c.name.as_str())
        .collect();
    let how = match &written {
        Some(quote) => format!("runs in one availability zone (\"{quote}\")"),
        None => "sits in one availability zone group".to_owned(),
    };
    let storage = if local.is_empty() {
        String::new()
    } else {
        format!(
            ", and {} {} only locally redundant",
            join_and(&local),
            if local.len() == 1 { "is" } else { "are" }
        )
    };
    let severity = if target >= 99.95 {
        Severity::Error
    } else {
        Severity::Warning
    };
    sink.design(
        &FAIL_015,
        format!(
            "The design {how}{storage}, against a {target}% target: one zone outage takes everything down, standby included. Spread instances and the database standby across zones"
        ),
    )
    .at(severity);
}
