//! The coverage catalogue (`docs/coverage.md`): the concepts a strong
//! interviewer probes, gathered from the domain guide, interview
//! preparation material and the well-known failure modes of distributed
//! systems, each with how Archboard judges it — the rules that catch it,
//! the property that records it, or why a drawing cannot show it.
//!
//! A test keeps the file in step with this table, checks that every rule
//! appears in it and that every rule id and property it names exists.

use std::fmt::Write as _;

use super::rule;

/// Where a concept comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The interview guide this product is built on (`DOMAIN.md`).
    Guide,
    /// Common interview-preparation material.
    Preparation,
    /// Well-known failure modes of distributed systems.
    FailureMode,
}

impl Source {
    fn label(self) -> &'static str {
        match self {
            Self::Guide => "guide",
            Self::Preparation => "interview preparation",
            Self::FailureMode => "failure mode",
        }
    }
}

/// How a concept is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Judged {
    /// These rules catch it.
    Rules(&'static [&'static str]),
    /// A property records it (by its inspector label); no rule fires on it
    /// alone.
    Property(&'static str),
    /// A drawing cannot show it; the concept's note says why.
    NotDrawable,
}

/// One concept of the catalogue.
#[derive(Clone, Copy, Debug)]
pub struct Concept {
    pub area: &'static str,
    pub name: &'static str,
    pub source: Source,
    pub judged: Judged,
    /// One line: what the rules look at, or why a drawing cannot show it.
    pub note: &'static str,
}

use Judged::{NotDrawable, Property, Rules};
use Source::{FailureMode, Guide, Preparation};

const REQ: &str = "Requirements and simplicity";
const FAIL: &str = "Failure handling";
const OBS: &str = "Observability";
const SCALE: &str = "Scalability and performance";
const DATA: &str = "Data and consistency";
const SEC: &str = "Security";
const RT: &str = "Real-time";
const MSG: &str = "Messaging";
const OPS: &str = "Operations";

const fn c(
    area: &'static str,
    name: &'static str,
    source: Source,
    judged: Judged,
    note: &'static str,
) -> Concept {
    Concept {
        area,
        name,
        source,
        judged,
        note,
    }
}

/// Every concept, grouped by area.
pub static CONCEPTS: &[Concept] = &[
    c(
        REQ,
        "Clarify the requirements before designing",
        Guide,
        Rules(&["SCALE-014"]),
        "A heavy design with no stated users, traffic or availability is asked for its requirements.",
    ),
    c(
        REQ,
        "Simplicity against the scale asked for",
        Guide,
        Rules(&["SCALE-014"]),
        "Brokers, event sourcing, regions, multi-writer stores and many services are weighed against the stated users, traffic and availability.",
    ),
    c(
        REQ,
        "Back-of-the-envelope estimates",
        Guide,
        NotDrawable,
        "Estimates are worked out in conversation; interview mode computes them from the requirements and the rules use them to calibrate (SCALE-001, SCALE-011, DATA-006).",
    ),
    c(
        REQ,
        "Trade-offs stated explicitly",
        Guide,
        NotDrawable,
        "A drawing shows choices, not the reasoning behind them; trade-offs are recorded by accepting a finding with a note.",
    ),
    c(
        REQ,
        "Cost against performance",
        Preparation,
        NotDrawable,
        "Prices are not part of a drawing; SCALE-014 covers the cost of parts the requirements do not need.",
    ),
    c(
        FAIL,
        "Timeouts on synchronous calls",
        Guide,
        Rules(&["FAIL-001"]),
        "Every synchronous call made by code, with the timeout written in a label counted as stated.",
    ),
    c(
        FAIL,
        "Retries with backoff and jitter (retry storms)",
        Guide,
        Rules(&["FAIL-002"]),
        "Fixed delays and backoff without jitter on a call's policy.",
    ),
    c(
        FAIL,
        "Retries stacked at several layers",
        Guide,
        Rules(&["FAIL-005", "FAIL-013"]),
        "Two retrying synchronous hops in a row, and a broker's redeliveries multiplied by its consumer's retries.",
    ),
    c(
        FAIL,
        "Retrying operations that are not idempotent",
        Guide,
        Rules(&["FAIL-004"]),
        "An error where the call moves money; an idempotency key in the label counts as written.",
    ),
    c(
        FAIL,
        "Timeout budgets along a call chain",
        FailureMode,
        Rules(&["FAIL-014"]),
        "A caller's timeout against the callee's own timeout times attempts, and the latency target.",
    ),
    c(
        FAIL,
        "Circuit breakers against cascading failure",
        Guide,
        Rules(&["FAIL-003"]),
        "Calls to other services and third parties.",
    ),
    c(
        FAIL,
        "Bulkheads and connection-pool exhaustion",
        Guide,
        Rules(&["FAIL-006"]),
        "A third-party call that shares its caller's threads with other dependencies.",
    ),
    c(
        FAIL,
        "Fallbacks and graceful degradation",
        Guide,
        Rules(&["FAIL-007"]),
        "Read paths that could serve something stale or a default; never for payments.",
    ),
    c(
        FAIL,
        "Sagas and compensation for business transactions",
        Guide,
        Rules(&["FAIL-008"]),
        "Order, payment, inventory and shipping steps in different services without a compensating workflow.",
    ),
    c(
        FAIL,
        "Single points of failure",
        Guide,
        Rules(&["FAIL-009"]),
        "Single instances of services that take requests, graded by the availability target and managed platforms.",
    ),
    c(
        FAIL,
        "Database failover",
        Guide,
        Rules(&["FAIL-010"]),
        "Relational databases without a standby, graded by the target; a managed built-in standby counts.",
    ),
    c(
        FAIL,
        "Regions against the availability target",
        Guide,
        Rules(&["FAIL-011"]),
        "Region groups against 99.99% or the regions the requirements ask for.",
    ),
    c(
        FAIL,
        "Availability zones against the availability target",
        Guide,
        Rules(&["FAIL-015"]),
        "One zone group around everything, or notes that say one zone, against 99.9% and more; locally redundant storage is named.",
    ),
    c(
        FAIL,
        "Health checks and readiness probes",
        Guide,
        Rules(&["FAIL-012", "FAIL-016"]),
        "Balanced components without probes, and liveness-only probes written in the design.",
    ),
    c(
        FAIL,
        "Zero-downtime deployments",
        Preparation,
        Rules(&["FAIL-016"]),
        "Recreate-style deployments written in the design, weighed against the target.",
    ),
    c(
        FAIL,
        "Load shedding under overload",
        FailureMode,
        NotDrawable,
        "How a service sheds load is behaviour, not structure; the drawing shows the entry's rate limits (SCALE-007) and back-pressure (SCALE-013) instead.",
    ),
    c(
        FAIL,
        "Split brain, leader election and fencing",
        FailureMode,
        Rules(&["DATA-002"]),
        "Consensus happens inside a store; the visible case, several regions granting the same claim, is DATA-002.",
    ),
    c(
        FAIL,
        "Clock skew and time-based ordering",
        FailureMode,
        NotDrawable,
        "Clocks are not drawn; time-based partition keys are caught by SCALE-004.",
    ),
    c(
        FAIL,
        "Gray failures that pass health checks",
        FailureMode,
        NotDrawable,
        "A half-working instance shows only in production signals; FAIL-016 asks for readiness that checks dependencies.",
    ),
    c(
        FAIL,
        "Disaster recovery objectives (RTO, RPO)",
        Preparation,
        NotDrawable,
        "The objectives are numbers agreed in conversation; FAIL-010, FAIL-011 and DATA-004 judge the mechanisms behind them.",
    ),
    c(
        OBS,
        "Structured logging to a central store",
        Guide,
        Rules(&["OBS-001"]),
        "Code that neither logs nor links to a log store; reported once when nothing logs.",
    ),
    c(
        OBS,
        "Metrics on latency, errors, throughput and saturation",
        Guide,
        Rules(&["OBS-002"]),
        "Code that publishes no metrics; reported once when nothing does.",
    ),
    c(
        OBS,
        "Alerts on symptoms",
        Guide,
        Rules(&["OBS-003"]),
        "Metrics components that alert nobody.",
    ),
    c(
        OBS,
        "Distributed tracing across services",
        Guide,
        Rules(&["OBS-004"]),
        "Services on a shared request path without trace propagation.",
    ),
    c(
        OBS,
        "Queue depth and message age",
        Guide,
        Rules(&["OBS-005"]),
        "Queues nobody watches.",
    ),
    c(
        OBS,
        "SLOs and error budgets",
        Preparation,
        NotDrawable,
        "Objectives are agreed in conversation; the availability target in the requirements calibrates the rules instead.",
    ),
    c(
        SCALE,
        "Caching a read-heavy workload",
        Guide,
        Rules(&["SCALE-001"]),
        "A stated read:write ratio with no cache or CDN, unless the reads are only a few a second.",
    ),
    c(
        SCALE,
        "Cache freshness and invalidation",
        Guide,
        Rules(&["SCALE-002"]),
        "Caches that never expire nor invalidate; a TTL written in a note counts; backplanes are not caches.",
    ),
    c(
        SCALE,
        "Cache TTL against the freshness asked for",
        Guide,
        Rules(&["DATA-005"]),
        "TTL-only caches and CDNs whose TTL exceeds a freshness bound read from the requirements or notes.",
    ),
    c(
        SCALE,
        "Cache stampedes and thundering herds",
        FailureMode,
        Rules(&["SCALE-010"]),
        "Expiring entries in front of an expensive rebuild, without coalescing, jitter or serve-stale.",
    ),
    c(
        SCALE,
        "Hot keys and skewed traffic",
        Guide,
        Rules(&["SCALE-009"]),
        "Stores and caches keyed by something the requirements say is skewed (celebrities, flash sales).",
    ),
    c(
        SCALE,
        "Fan-out on write amplification",
        Preparation,
        Rules(&["SCALE-009"]),
        "A skewed key on a fan-out path is named in the hot-key finding.",
    ),
    c(
        SCALE,
        "Partitioned store without a partition key",
        Guide,
        Rules(&["SCALE-003"]),
        "Document stores with an empty partition key.",
    ),
    c(
        SCALE,
        "Low-cardinality or time-based partition keys",
        Guide,
        Rules(&["SCALE-004"]),
        "Whole tokens of the key (dates, statuses, booleans) and entities the design counts in the hundreds.",
    ),
    c(
        SCALE,
        "Cross-partition queries",
        Guide,
        Rules(&["SCALE-008"]),
        "Reads whose label says what they look up by, against the partition key.",
    ),
    c(
        SCALE,
        "Stateful services scaled out",
        Guide,
        Rules(&["SCALE-005"]),
        "Session state in memory on several instances.",
    ),
    c(
        SCALE,
        "Analytics on the latency-critical path",
        Guide,
        Rules(&["SCALE-006"]),
        "Synchronous calls into an analytics pipeline.",
    ),
    c(
        SCALE,
        "Analytical reads on the transactional primary",
        Preparation,
        Rules(&["SCALE-012"]),
        "Reports, aggregations and scans read from a store that takes the writes, with no replica to read.",
    ),
    c(
        SCALE,
        "Rate limiting and throttling",
        Guide,
        Rules(&["SCALE-007"]),
        "Every public entry point, whatever its kind; a limiting edge covers what stands behind it.",
    ),
    c(
        SCALE,
        "Autoscaling under variable load",
        Guide,
        Rules(&["SCALE-011"]),
        "Fixed instance counts on the request path against a stated peak factor and real traffic.",
    ),
    c(
        SCALE,
        "Back-pressure between a fast producer and a slow consumer",
        FailureMode,
        Rules(&["SCALE-013"]),
        "A worker fleet calling a much smaller service synchronously.",
    ),
    c(
        SCALE,
        "CDN for static and cacheable content",
        Guide,
        Rules(&["SCALE-001", "DATA-005"]),
        "A CDN counts as a cache; its TTL is weighed against freshness.",
    ),
    c(
        SCALE,
        "Search indexed off the write path",
        Guide,
        Property("Asynchronous indexing"),
        "Recorded on search indexes and asked in interview mode; no rule fires on it alone.",
    ),
    c(
        SCALE,
        "Cache penetration (misses for keys that do not exist)",
        FailureMode,
        NotDrawable,
        "Whether absent keys are cached is code; SCALE-010 covers the expensive miss path that makes it hurt.",
    ),
    c(
        DATA,
        "Financial data on an eventually consistent store",
        Guide,
        Rules(&["DATA-001"]),
        "Document stores linked to a payment flow or under a strong requirement.",
    ),
    c(
        DATA,
        "Conflicting multi-region writes",
        Guide,
        Rules(&["DATA-002"]),
        "An error where the store holds claims, leases, bookings or money.",
    ),
    c(
        DATA,
        "Strong consistency where eventual is enough",
        Guide,
        Rules(&["DATA-003"]),
        "Feeds and social data on strongly consistent stores.",
    ),
    c(
        DATA,
        "Backups that survive mistakes",
        Preparation,
        Rules(&["DATA-004"]),
        "Databases with backups off.",
    ),
    c(
        DATA,
        "Id generation and collisions",
        Guide,
        Rules(&["DATA-006"]),
        "Random or hashed ids (in the Id scheme property, labels or notes) against the number of items, without collision checks.",
    ),
    c(
        DATA,
        "Dual writes and the transactional outbox",
        Preparation,
        Rules(&["MSG-007"]),
        "A component that writes a database and publishes an event in two steps.",
    ),
    c(
        DATA,
        "Replication lag and read-your-writes",
        FailureMode,
        Rules(&["DATA-001", "DATA-003"]),
        "The consistency level of each document store, weighed against what its data needs.",
    ),
    c(
        DATA,
        "Multi-tenant data isolation",
        Guide,
        Rules(&["SEC-005"]),
        "Tenants in the title or requirements with no tenant boundary drawn.",
    ),
    c(
        DATA,
        "Schema evolution and event versioning",
        Preparation,
        NotDrawable,
        "Contracts live in code; the interview probe for event stores asks about upcasting.",
    ),
    c(
        DATA,
        "Data residency and compliance",
        Guide,
        NotDrawable,
        "Compliance is stated in the requirements, but which data a regulation covers is not something the rules can read from boxes and regions.",
    ),
    c(
        DATA,
        "Encryption at rest",
        Preparation,
        NotDrawable,
        "Managed stores encrypt at rest by default; nothing in a drawing distinguishes one that does not.",
    ),
    c(
        SEC,
        "Authentication at public entry points",
        Guide,
        Rules(&["SEC-001"]),
        "Every entry point clients reach; anonymous-by-requirement entries are judged for abuse instead.",
    ),
    c(
        SEC,
        "An identity provider for users who sign in",
        Guide,
        Rules(&["SEC-002"]),
        "Only when users or callers authenticate, and not for clients that only receive pushes.",
    ),
    c(
        SEC,
        "Token validation in every service (zero trust)",
        Guide,
        Rules(&["SEC-003"]),
        "Services called synchronously that do not validate tokens; under anonymous access only those serving a user's own data.",
    ),
    c(
        SEC,
        "Service-to-service identity",
        Guide,
        Rules(&["SEC-004"]),
        "Services that call others without a managed identity or client credentials.",
    ),
    c(
        SEC,
        "TLS on the public hop",
        Preparation,
        Rules(&["SEC-006"]),
        "The component clients connect to, and labels that say plain HTTP.",
    ),
    c(
        SEC,
        "User identity propagated to the data owner (confused deputy)",
        Guide,
        Rules(&["SEC-007"]),
        "Calls that carry only the caller's identity or name the user by a parameter, into a service with users' own data.",
    ),
    c(
        SEC,
        "Abuse protection on anonymous endpoints",
        Preparation,
        Rules(&["SCALE-007"]),
        "Anonymous entries without rate limits get the abuse questions (per-IP limits, CAPTCHA, size caps).",
    ),
    c(
        SEC,
        "DDoS protection and a web application firewall",
        Preparation,
        Rules(&["SCALE-007"]),
        "A rate-limiting edge (CDN, balancer, gateway) counts for what stands behind it.",
    ),
    c(
        SEC,
        "Secrets management",
        Preparation,
        NotDrawable,
        "Where secrets live is configuration; SEC-004 asks for identities instead of shared secrets.",
    ),
    c(
        SEC,
        "Token lifetime and refresh",
        Guide,
        Property("Token lifetime (minutes)"),
        "Recorded on identity providers, with refresh tokens; asked in interview mode.",
    ),
    c(
        RT,
        "Backplane for scaled-out real-time connections",
        Guide,
        Rules(&["RT-001"]),
        "Hubs and any service that pushes to clients over WebSockets on several instances.",
    ),
    c(
        RT,
        "Sticky sessions for WebSockets behind a balancer",
        Guide,
        Rules(&["RT-002"]),
        "Connection holders on several instances without affinity at themselves or their balancer.",
    ),
    c(
        RT,
        "Offline delivery",
        Guide,
        Rules(&["RT-003"]),
        "Hubs that push to clients but keep nothing for those who are away.",
    ),
    c(
        RT,
        "Presence",
        Guide,
        Property("Presence"),
        "Recorded on hubs; whether it is needed depends on the product.",
    ),
    c(
        MSG,
        "Dead-letter queues for poison messages",
        Guide,
        Rules(&["MSG-001"]),
        "Queues with dead-lettering off; a dead-letter queue in a note counts as written.",
    ),
    c(
        MSG,
        "Maximum delivery count",
        Guide,
        Rules(&["MSG-002"]),
        "Queues that retry forever, with or without a dead-letter queue.",
    ),
    c(
        MSG,
        "Poison events in an event log",
        FailureMode,
        Rules(&["MSG-006"]),
        "Kafka-like logs get a parking-topic strategy instead of a dead-letter queue.",
    ),
    c(
        MSG,
        "Idempotent consumers (duplicates are normal)",
        Guide,
        Rules(&["MSG-003"]),
        "Consumers of queues and event stores that are not idempotent.",
    ),
    c(
        MSG,
        "Queues without consumers",
        Guide,
        Rules(&["MSG-004"]),
        "Published to, never consumed.",
    ),
    c(
        MSG,
        "Event replay",
        Guide,
        Rules(&["MSG-005"]),
        "Event stores that do not allow replay.",
    ),
    c(
        MSG,
        "Snapshots for long event streams",
        Guide,
        Property("Snapshots"),
        "Recorded on event stores; asked in interview mode.",
    ),
    c(
        MSG,
        "Ordering per key",
        Guide,
        Property("Ordered delivery"),
        "Recorded on queues; whether order matters depends on the data.",
    ),
    c(
        MSG,
        "Duplicate detection at the broker",
        Guide,
        Property("Duplicate detection"),
        "Recorded on queues; MSG-003 asks the consumer to be idempotent regardless.",
    ),
    c(
        MSG,
        "Retention that bounds replay",
        Guide,
        Property("Retention (days)"),
        "Recorded on queues and event stores.",
    ),
    c(
        OPS,
        "Feature flags and configuration rollout",
        Preparation,
        NotDrawable,
        "Configuration is not drawn; FAIL-016 covers how new versions reach instances.",
    ),
    c(
        OPS,
        "Capacity planning against the peak",
        Preparation,
        Rules(&["SCALE-011", "SCALE-013"]),
        "Stated peaks against fixed fleets, and producer fleets against their consumers.",
    ),
];

/// The Markdown of `docs/coverage.md`.
pub fn render_markdown() -> String {
    let mut md = String::new();
    md.push_str("# Coverage: what the checklist judges\n\n");
    md.push_str(
        "<!-- Generated from src/rules/coverage.rs by `rules::coverage::render_markdown`. Do not \
         edit by hand: run `UPDATE_DOCS=1 cargo test --lib rules` to regenerate. -->\n\n",
    );
    md.push_str(
        "The concepts a strong interviewer probes, from the interview guide, interview \
         preparation material and the well-known failure modes of distributed systems. Each \
         one is judged by rules (see `docs/rules.md`), recorded by a property the inspector \
         shows, or cannot be shown by a drawing, with the reason.\n\n",
    );
    let count = |f: fn(&Judged) -> bool| CONCEPTS.iter().filter(|c| f(&c.judged)).count();
    let _ = writeln!(
        md,
        "{} concepts: {} judged by rules, {} recorded by a property, {} that a drawing cannot show.",
        CONCEPTS.len(),
        count(|j| matches!(j, Rules(_))),
        count(|j| matches!(j, Property(_))),
        count(|j| matches!(j, NotDrawable)),
    );
    let mut area = "";
    for concept in CONCEPTS {
        if concept.area != area {
            area = concept.area;
            let _ = write!(
                md,
                "\n## {area}\n\n| Concept | From | Judged by | How |\n|---|---|---|---|\n"
            );
        }
        let judged = match concept.judged {
            Rules(ids) => ids
                .iter()
                .map(|id| {
                    let title = rule(id).map_or("", |r| r.title);
                    format!("{id} ({title})")
                })
                .collect::<Vec<_>>()
                .join(", "),
            Property(label) => format!("property *{label}*"),
            NotDrawable => "not drawable".to_owned(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            concept.name,
            concept.source.label(),
            judged,
            concept.note
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::super::rules;
    use super::*;
    use crate::model::PropKey;

    /// Whether a property with this inspector label exists.
    fn property_exists(label: &str) -> bool {
        PropKey::ALL.iter().any(|k| k.label() == label)
    }

    #[test]
    fn the_catalogue_is_large_consistent_and_covers_every_rule() {
        assert!(CONCEPTS.len() >= 60, "{} concepts", CONCEPTS.len());
        for concept in CONCEPTS {
            assert!(
                !concept.note.is_empty() && concept.note.ends_with('.'),
                "{}",
                concept.name
            );
            match concept.judged {
                Rules(ids) => {
                    assert!(!ids.is_empty(), "{}", concept.name);
                    for id in ids {
                        assert!(
                            rule(id).is_some(),
                            "{} names the unknown rule {id}",
                            concept.name
                        );
                    }
                }
                Property(label) => assert!(property_exists(label), "{label}"),
                NotDrawable => {}
            }
        }
        for r in rules() {
            assert!(
                CONCEPTS
                    .iter()
                    .any(|c| matches!(c.judged, Rules(ids) if ids.contains(&r.id))),
                "{} judges no concept in the catalogue",
                r.id
            );
        }
        let mut names: Vec<&str> = CONCEPTS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "a concept is listed twice");
    }

    #[test]
    fn the_coverage_catalogue_in_docs_is_up_to_date() {
        super::super::docs::assert_doc_up_to_date("docs/coverage.md", &render_markdown());
    }
}
