//! Scalability and performance: where the design breaks at ten times the
//! traffic, and what sits on the latency-critical path without need.

use super::context::{Context, is_scaled_out, off, update_component, update_connection};
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{ConnectionKind, Invalidation};

const CAT: Category = Category::Scalability;

/// A read-heavy workload with nothing cached.
pub static SCALE_001: Rule = Rule {
    id: "SCALE-001",
    category: CAT,
    severity: Severity::Warning,
    title: "Read-heavy workload without a cache or CDN",
    why: "When reads far outnumber writes, serving every read from the database wastes its capacity on the same answers. A cache or CDN absorbs the repeats and cuts latency.",
    fix: "Put a cache (cache-aside is the usual start) or a CDN in front of the store for the hot reads.",
    question: "Most of these reads ask for the same few items: why does each one reach the database?",
};

/// A cache with no way to get fresh data.
pub static SCALE_002: Rule = Rule {
    id: "SCALE-002",
    category: CAT,
    severity: Severity::Warning,
    title: "Cache without a freshness strategy",
    why: "Entries that never expire and are never invalidated serve stale data forever, and the cache grows until it evicts at random.",
    fix: "Give entries a TTL that matches how stale the data may be, and invalidate on change events where staleness hurts.",
    question: "A product's price changes: how long until every user sees the new one?",
};

/// A partitioned store with no partition key.
pub static SCALE_003: Rule = Rule {
    id: "SCALE-003",
    category: CAT,
    severity: Severity::Warning,
    title: "Partitioned store without a partition key",
    why: "The partition key decides how data and load spread. Choosing it late means a migration; choosing it badly means one hot partition caps the whole store.",
    fix: "Pick a key with many distinct values that the hot queries filter on (for example the customer or tenant id).",
    question: "What is the partition key here, and do your most frequent queries include it?",
};

/// A partition key that concentrates load.
pub static SCALE_004: Rule = Rule {
    id: "SCALE-004",
    category: CAT,
    severity: Severity::Warning,
    title: "Partition key likely to be hot",
    why: "A key with few distinct values (a status, a type, a country) or one based on time sends most traffic to a handful of partitions, so adding capacity does not help.",
    fix: "Use a high-cardinality key, or combine the current one with a spreading suffix (synthetic key).",
    question: "Today's writes all share one key value: how much of the store's capacity can they use?",
};

/// Session state in memory on a scaled-out service.
pub static SCALE_005: Rule = Rule {
    id: "SCALE-005",
    category: CAT,
    severity: Severity::Warning,
    title: "Stateful service scaled out",
    why: "With session state in memory, a user's next request may land on an instance that does not know them, and scaling in or restarting loses sessions.",
    fix: "Move session state to a shared store (a distributed cache or a database) so any instance can serve any request.",
    question: "An instance is replaced during a deployment: what happens to the sessions it held?",
};

/// Analytics called synchronously on the request path.
pub static SCALE_006: Rule = Rule {
    id: "SCALE-006",
    category: CAT,
    severity: Severity::Warning,
    title: "Analytics on the latency-critical path",
    why: "Waiting for an analytics pipeline adds its latency and its failures to every user request, for work the user does not need done right away.",
    fix: "Publish events asynchronously (a queue or event stream) and let the analytics pipeline consume them.",
    question: "The analytics cluster is slow today: why does that make the user's request slow?",
};

/// A public API with no throttling.
pub static SCALE_007: Rule = Rule {
    id: "SCALE-007",
    category: CAT,
    severity: Severity::Warning,
    title: "Public API without rate limiting",
    why: "One misbehaving client, a scraper or a retry loop can use all the capacity meant for everyone else.",
    fix: "Limit requests per client or API key at the gateway, and answer 429 with a retry hint.",
    question: "One client sends a thousand requests per second: what happens to everyone else?",
};

pub(super) static RULES: &[&Rule] = &[
    &SCALE_001, &SCALE_002, &SCALE_003, &SCALE_004, &SCALE_005, &SCALE_006, &SCALE_007,
];

/// Read:write ratio from which reads dominate.
const READ_HEAVY_RATIO: f64 = 10.0;

/// Key fragments that suggest few distinct values or time-based keys.
const HOT_KEY_WORDS: [&str; 16] = [
    "date", "time", "created", "updated", "day", "month", "year", "hour", "status", "state",
    "type", "category", "country", "region", "bool", "flag",
];

/// Whether a partition key is likely to concentrate load.
pub(super) fn is_hot_key(key: &str) -> bool {
    let key: String = key
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    HOT_KEY_WORDS.iter().any(|word| key.contains(word))
}

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    read_heavy(ctx, sink);
    for (i, c, node) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;

        if c.kind == K::Cache {
            let ttl = props.ttl_s.unwrap_or(0);
            let invalidation = props.invalidation.unwrap_or(Invalidation::None);
            if ttl == 0 && matches!(invalidation, Invalidation::None | Invalidation::Ttl) {
                sink.component(
                    &SCALE_002,
                    c,
                    format!("{name} keeps entries forever and nothing invalidates them"),
                    Some(QuickFix {
                        label: "Expire entries after five minutes",
                        edit: update_component(c, |p| {
                            p.ttl_s = Some(300);
                            if p.invalidation == Some(Invalidation::None) {
                                p.invalidation = Some(Invalidation::Ttl);
                            }
                        }),
                    }),
                );
            }
        }

        if let Some(key) = props.partition_key.as_deref() {
            if key.trim().is_empty() {
                sink.component(&SCALE_003, c, format!("{name} has no partition key"), None);
            } else if is_hot_key(key) {
                sink.component(
                    &SCALE_004,
                    c,
                    format!("{name} is partitioned by \"{}\", which has few distinct values or follows time", key.trim()),
                    None,
                );
            }
        }

        if off(props.stateless) && is_scaled_out(c) {
            let how = match props.instances {
                Some(n) if n >= 2 => format!("runs {n} instances"),
                _ => "autoscales".to_owned(),
            };
            sink.component(
                &SCALE_005,
                c,
                format!("{name} keeps session state in memory but {how}"),
                None,
            );
        }

        if c.kind == K::ApiGateway && off(props.rate_limiting) && node.public {
            sink.component(
                &SCALE_007,
                c,
                format!("{name} takes public traffic without rate limiting"),
                Some(QuickFix {
                    label: "Turn on rate limiting",
                    edit: update_component(c, |p| p.rate_limiting = Some(true)),
                }),
            );
        }

        if c.kind == K::Analytics {
            for link in ctx.incoming(i).filter(|l| l.is_policy_call()) {
                sink.connection(
                    &SCALE_006,
                    link,
                    format!("{} waits for {name} on its request path", link.from.name),
                    Some(QuickFix {
                        label: "Publish events asynchronously",
                        edit: update_connection(link.conn, |conn| {
                            conn.kind = ConnectionKind::Publish;
                        }),
                    }),
                );
            }
        }
    }
}

/// SCALE-001: one finding for the design, naming the first store read.
fn read_heavy(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(ratio) = ctx.diagram.requirements.read_write_ratio else {
        return;
    };
    if ratio < READ_HEAVY_RATIO || ctx.has_kind(K::Cache) || ctx.has_kind(K::Cdn) {
        return;
    }
    let store = ctx
        .diagram
        .components
        .iter()
        .find(|c| matches!(c.kind, K::RelationalDb | K::DocumentDb | K::ObjectStorage));
    if let Some(store) = store {
        sink.design(
            &SCALE_001,
            format!(
                "Reads outnumber writes {ratio}:1 but nothing caches them in front of {}",
                store.name
            ),
        );
    }
}
