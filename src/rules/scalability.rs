//! Scalability and performance: where the design breaks at ten times the
//! traffic, what sits on the latency-critical path without need, and where
//! the design is bigger than what it is asked to do.
//!
//! Several rules reason across the drawing: a partition key against the
//! keys the drawn reads look up by, traffic skew in the requirements
//! against the keys of stores and caches, a cache's expensive miss path, a
//! fleet of producers calling a much smaller consumer synchronously, and
//! the design's moving parts against the stated users and traffic.

use super::context::{
    Context, instances, is_scaled_out, off, on, update_component, update_connection,
};
use super::text::{self, has_any, identifier_tokens, join_and, same_noun, verb};
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{Component, ConnectionKind, GroupKind, Invalidation};

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
    title: "Public entry point without rate limiting",
    why: "One misbehaving client, a scraper or a retry loop can use all the capacity meant for everyone else.",
    fix: "Limit requests per client, IP or API key at the entry point (gateway, balancer or the service itself) and answer 429 with a retry hint; for anonymous endpoints add size caps and a CAPTCHA or proof of work on bursts.",
    question: "One client sends a thousand requests per second: what happens to everyone else?",
};

/// Reads that cannot use the store's partition key.
pub static SCALE_008: Rule = Rule {
    id: "SCALE-008",
    category: CAT,
    severity: Severity::Warning,
    title: "Queries the partition key cannot serve",
    why: "A partitioned store answers fast only for queries that name the partition key. A hot query that filters on something else has to ask every partition (a cross-partition query), so its cost grows with the whole store instead of with the answer.",
    fix: "Partition by what the hot queries look up, or keep a second copy or index keyed by it, and leave cross-partition queries to rare, offline work.",
    question: "Your most frequent query filters on this field: how many partitions does it have to visit?",
};

/// Skewed traffic onto a few keys.
pub static SCALE_009: Rule = Rule {
    id: "SCALE-009",
    category: CAT,
    severity: Severity::Warning,
    title: "Hot key under skewed traffic",
    why: "When a few keys draw most of the traffic (a celebrity with millions of followers, one concert everyone books at once), the partition or cache node that owns them saturates while the rest idle, and adding capacity does not help.",
    fix: "Handle the hot keys on purpose: split them across partitions with a suffix, replicate them to several cache nodes, or serve them another way (pull a celebrity's posts at read time instead of fanning them out).",
    question: "Your biggest account posts: which single partition or cache node takes that load?",
};

/// Many entries expiring at once in front of an expensive miss.
pub static SCALE_010: Rule = Rule {
    id: "SCALE-010",
    category: CAT,
    severity: Severity::Warning,
    title: "Cache stampede on an expensive miss",
    why: "When popular entries expire together, or the cache restarts, every request misses at once and each one runs the expensive rebuild against the store behind it. The store is flooded exactly when the cache cannot help.",
    fix: "Coalesce concurrent misses for one key (single-flight or a short lock), add random jitter to the TTLs, serve the stale entry while one request refreshes it, and refresh hot entries early.",
    question: "The cache restarts at peak: how many rebuild queries hit the database in the next second?",
};

/// Fixed capacity under a variable load.
pub static SCALE_011: Rule = Rule {
    id: "SCALE-011",
    category: CAT,
    severity: Severity::Warning,
    title: "Fixed instance count under a variable load",
    why: "A fleet sized for the average falls over at the daily peak, and one sized for the peak idles most of the day. With peaks several times the average, capacity has to follow the load.",
    fix: "Autoscale on CPU, request rate or queue depth with sensible minimums, and scale out ahead of known peaks.",
    question: "Evening traffic is several times the average: what does this service do at 8 p.m.?",
};

/// Reporting and aggregation on the store that takes the writes.
pub static SCALE_012: Rule = Rule {
    id: "SCALE-012",
    category: CAT,
    severity: Severity::Warning,
    title: "Analytical reads on the transactional primary",
    why: "Reports, aggregations and full scans read large parts of the data and hold I/O, memory and locks for a long time. On the primary that takes the writes, they slow down every transaction at the moment they run.",
    fix: "Run them on a readable replica or a reporting copy fed by the change feed (a warehouse), or keep the aggregates up to date from events, and cache the results.",
    question: "The nightly report starts a full scan while customers are writing: what happens to their latency?",
};

/// A fast producer calling a much smaller consumer and waiting.
pub static SCALE_013: Rule = Rule {
    id: "SCALE-013",
    category: CAT,
    severity: Severity::Warning,
    title: "Fast producer calls a slower consumer synchronously",
    why: "When a large fleet pushes work synchronously into a much smaller service, the consumer saturates, the producers block on long calls and retry into the overload, and the whole pipeline runs at the consumer's pace with errors on top.",
    fix: "Put a queue or stream between them so the consumer takes work at its own rate (back-pressure) and scales on the backlog.",
    question: "The producers make work faster than this service can take it: where does the excess go?",
};

/// More moving parts than the requirements need.
pub static SCALE_014: Rule = Rule {
    id: "SCALE-014",
    category: CAT,
    severity: Severity::Warning,
    title: "Design more complex than its requirements",
    why: "Every broker, extra service, event-sourced store and region is more to build, deploy, monitor and debug. Interviewers respect simplicity: not every system needs Kafka, CQRS and microservices, and seniority shows in choosing what the requirements justify.",
    fix: "Start from the simplest design that meets the stated users, traffic and availability (often one service and one database), add each heavy part only for a requirement it serves, and state the trade-off.",
    question: "Would one service and one database serve these users, and what would each extra part have to justify?",
};

pub(super) static RULES: &[&Rule] = &[
    &SCALE_001, &SCALE_002, &SCALE_003, &SCALE_004, &SCALE_005, &SCALE_006, &SCALE_007, &SCALE_008,
    &SCALE_009, &SCALE_010, &SCALE_011, &SCALE_012, &SCALE_013, &SCALE_014,
];

/// Read:write ratio from which reads dominate.
const READ_HEAVY_RATIO: f64 = 10.0;

/// Reads per second at peak below which any database serves them easily.
const TRIVIAL_READ_RPS: f64 = 100.0;

/// Key tokens that suggest few distinct values or time-based keys.
const HOT_KEY_WORDS: &[&str] = &[
    "date",
    "time",
    "timestamp",
    "created",
    "updated",
    "modified",
    "day",
    "week",
    "month",
    "year",
    "hour",
    "minute",
    "status",
    "state",
    "type",
    "kind",
    "category",
    "country",
    "region",
    "bool",
    "flag",
    "gender",
    "tier",
    "priority",
];

/// Key tokens that name no entity of their own.
const GENERIC_KEY_WORDS: &[&str] = &[
    "id", "key", "hash", "code", "no", "number", "uuid", "guid", "value",
];

/// Whether a partition key is likely to concentrate load: one of its whole
/// tokens is time-based or has few values, or it reads as a boolean
/// (`isActive`).
pub(super) fn is_hot_key(key: &str) -> bool {
    let tokens = identifier_tokens(key);
    let boolean =
        tokens.len() >= 2 && matches!(tokens.first().map(String::as_str), Some("is" | "has"));
    boolean || tokens.iter().any(|t| HOT_KEY_WORDS.contains(&t.as_str()))
}

/// The tokens of a key that name something (not `id`, `key`, `hash`…).
fn entity_tokens(key: &str) -> Vec<String> {
    identifier_tokens(key)
        .into_iter()
        .filter(|t| !GENERIC_KEY_WORDS.contains(&t.as_str()) && t.chars().any(char::is_alphabetic))
        .collect()
}

/// Words that say an entry point limits request rates.
const RATE_WORDS: &[&str] = &[
    "rate limit",
    "rate-limit",
    "ratelimit",
    "throttl",
    "caps ",
    "per-ip limit",
    "per ip limit",
    "quota",
    "429",
];

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    read_heavy(ctx, sink);
    for (i, c, node) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;

        if c.kind == K::Cache && !ctx.is_backplane(i) {
            let ttl = props.ttl_s.unwrap_or(0);
            let invalidation = props.invalidation.unwrap_or(Invalidation::None);
            if ttl == 0 && matches!(invalidation, Invalidation::None | Invalidation::Ttl) {
                const TTL_CUES: &[&str] = &[
                    "ttl",
                    "expire",
                    "expires",
                    "max-age",
                    "cached for",
                    "kept for",
                ];
                let stated = ctx
                    .says(i, TTL_CUES)
                    .and_then(|_| text::duration_near(ctx.text(i), TTL_CUES))
                    .map(|s| s.round().clamp(1.0, f64::from(u32::MAX)) as u32);
                match stated {
                    Some(seconds) => {
                        sink.component(
                            &SCALE_002,
                            c,
                            text::written_but_unset(
                                name,
                                ("expires entries", "expire entries"),
                                Some(&format!(
                                    "after {}",
                                    text::human_seconds(f64::from(seconds))
                                )),
                                "TTL is 0",
                            ),
                            Some(QuickFix {
                                label: "Set the TTL the design states",
                                edit: update_component(c, |p| {
                                    p.ttl_s = Some(seconds);
                                    if p.invalidation == Some(Invalidation::None) {
                                        p.invalidation = Some(Invalidation::Ttl);
                                    }
                                }),
                            }),
                        )
                        .at(Severity::Info);
                    }
                    None => {
                        sink.component(
                            &SCALE_002,
                            c,
                            format!(
                                "{name} {} entries forever and nothing invalidates them",
                                verb(name, "keeps", "keep")
                            ),
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
            }
            stampede(ctx, i, c, sink);
        }

        if let Some(key) = props.partition_key.as_deref() {
            let key = key.trim();
            if key.is_empty() {
                sink.component(
                    &SCALE_003,
                    c,
                    format!("{name} {} no partition key: pick one with many values that the hot queries filter on", verb(name, "has", "have")),
                    None,
                );
            } else if is_hot_key(key) {
                sink.component(
                    &SCALE_004,
                    c,
                    format!("{name} {} partitioned by \"{key}\", which has few distinct values or follows time: use a high-cardinality key or add a spreading suffix", verb(name, "is", "are")),
                    None,
                );
            } else if let Some((count, noun)) = few_values(ctx, key) {
                sink.component(
                    &SCALE_004,
                    c,
                    format!(
                        "{name} {} partitioned by \"{key}\", but the design speaks of only {} {noun}: that many values cannot spread the load. Use a key with many more values, or combine it with one",
                        verb(name, "is", "are"),
                        text::human_count(count)
                    ),
                    None,
                );
            }
            partition_reads(ctx, i, c, key, sink);
        }
        hot_keys(ctx, i, c, sink);

        if off(props.stateless) && is_scaled_out(c) {
            let how = match props.instances {
                Some(n) if n >= 2 => format!("{} {n} instances", verb(name, "runs", "run")),
                _ => verb(name, "autoscales", "autoscale").to_owned(),
            };
            sink.component(
                &SCALE_005,
                c,
                format!(
                    "{name} {} session state in memory but {how}: move the state to a shared store",
                    verb(name, "keeps", "keep")
                ),
                None,
            );
        }

        rate_limits(ctx, i, c, node, sink);
        autoscaling(ctx, i, c, sink);
        fast_producer(ctx, i, c, sink);

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
        analytical_reads(ctx, i, c, sink);
    }
    complexity(ctx, sink);
}

/// SCALE-001: one finding for the design, naming the first store read.
fn read_heavy(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(ratio) = ctx.diagram.requirements.read_write_ratio else {
        return;
    };
    if ratio < READ_HEAVY_RATIO || ctx.has_kind(K::Cache) || ctx.has_kind(K::Cdn) {
        return;
    }
    // A few reads a second are no reason for a cache.
    let reads = ctx.scale.peak_rps.map(|r| r * ratio / (1.0 + ratio));
    if reads.is_some_and(|r| r < TRIVIAL_READ_RPS) {
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
                "Reads outnumber writes {ratio}:1 but nothing caches them in front of {}: add a cache-aside cache or a CDN for the hot reads",
                store.name
            ),
        );
    }
}

/// SCALE-004 from the requirements: a key named after something the design
/// says there are few of ("120 cities" and a key `cityId`).
fn few_values(ctx: &Context<'_>, key: &str) -> Option<(f64, String)> {
    let tokens = entity_tokens(key);
    ctx.said
        .counts
        .iter()
        .filter(|(n, _)| *n < 1_000.0)
        .find(|(_, noun)| tokens.iter().any(|t| same_noun(t, noun)))
        .cloned()
}

/// Words after which "by" does not name a lookup key.
const NOT_LOOKUP: &[&str] = &[
    "order",
    "sort",
    "sorted",
    "ordered",
    "group",
    "grouped",
    "rank",
    "ranked",
    "partitioned",
    "keyed",
    "sharded",
    "called",
    "used",
    "owned",
    "written",
    "sent",
    "triggered",
    "followed",
    "replaced",
    "signed",
    "protected",
    "limited",
    "capped",
    "served",
];

/// Words after "by" that are not keys.
const NOT_KEYS: &[&str] = &[
    "default",
    "design",
    "hand",
    "then",
    "now",
    "far",
    "itself",
    "themselves",
    "way",
    "score",
];

/// The keys a read's label says it looks up by: "query by host", "orders
/// by customer e-mail", "where tenantId =". Sorting and grouping ("ORDER
/// BY", "group by") are not lookups.
fn lookup_keys(label: &str) -> Vec<Vec<String>> {
    let words: Vec<&str> = label
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut keys = Vec::new();
    for (i, &w) in words.iter().enumerate() {
        let key = match w {
            "by" => {
                let prev = i
                    .checked_sub(1)
                    .and_then(|p| words.get(p))
                    .copied()
                    .unwrap_or("");
                if NOT_LOOKUP.contains(&prev) {
                    continue;
                }
                words
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .find(|w| !matches!(**w, "the" | "a" | "an" | "its" | "their" | "one" | "each"))
                    .copied()
            }
            // "open orders per customer", not "per second" or "per IP"
            "per" => words.get(i + 1).copied().filter(|w| {
                !matches!(
                    *w,
                    "ip" | "request"
                        | "call"
                        | "page"
                        | "minute"
                        | "second"
                        | "hour"
                        | "day"
                        | "month"
                        | "year"
                        | "week"
                        | "s"
                )
            }),
            // "the open orders for a given customer"
            "given" if i.checked_sub(2).and_then(|j| words.get(j)).copied() == Some("for") => {
                words.get(i + 1).copied()
            }
            // "where tenantId = …", not "where does this tenant live?"
            "where" => words.get(i + 1).copied().filter(|key| {
                label.contains(&format!("where {key} ="))
                    || label.contains(&format!("where {key}="))
            }),
            _ => None,
        };
        let Some(key) = key else { continue };
        if NOT_KEYS.contains(&key) || key.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let tokens = entity_tokens(key);
        if !tokens.is_empty() {
            keys.push(tokens);
        }
    }
    keys
}

/// SCALE-008: reads of a partitioned store whose label names a lookup key
/// that shares nothing with the partition key.
fn partition_reads(
    ctx: &Context<'_>,
    index: usize,
    store: &Component,
    key: &str,
    sink: &mut Sink<'_>,
) {
    if key.is_empty() || store.kind != K::DocumentDb {
        return;
    }
    let partition = entity_tokens(key);
    for link in ctx
        .incoming(index)
        .filter(|l| l.conn.kind == ConnectionKind::Read)
    {
        if link.conn.label.is_empty() {
            continue;
        }
        let label = link.conn.label.to_lowercase();
        let lookups = lookup_keys(&label);
        if lookups.is_empty() {
            continue;
        }
        let usable = lookups
            .iter()
            .any(|l| l.iter().any(|t| partition.iter().any(|p| same_noun(p, t))));
        if usable {
            continue;
        }
        let wanted = lookups.first().map(|l| l.join(" ")).unwrap_or_default();
        sink.connection(
            &SCALE_008,
            link,
            format!(
                "{} reads {} by {wanted} (\"{}\"), but the partition key is {key}: every such read is a cross-partition query over all partitions. Partition by {wanted}, or keep a copy keyed by it",
                link.from.name,
                store.name,
                text::shorten(link.conn.label.trim(), 70)
            ),
            None,
        );
    }
}

/// Everyday nouns that stand for the same kind of key, so that "creators"
/// in a requirement and `authorId` in a key are recognised as one thing.
const KEY_FAMILIES: [&[&str]; 4] = [
    &[
        "author",
        "creator",
        "user",
        "account",
        "celebrity",
        "influencer",
        "artist",
        "channel",
        "streamer",
        "seller",
        "owner",
        "profile",
        "member",
        "follower",
        "followee",
        "publisher",
    ],
    &[
        "event", "show", "concert", "match", "game", "drop", "launch", "sale", "ticket", "lot",
    ],
    &[
        "tenant",
        "customer",
        "org",
        "organisation",
        "organization",
        "company",
        "merchant",
    ],
    &[
        "post", "video", "tweet", "photo", "story", "article", "product", "item", "listing",
    ],
];

/// Words in a store's labels and notes that say it is read or written for
/// every follower at once.
const FAN_OUT_WORDS: &[&str] = &[
    "all followers",
    "every follower",
    "fan-out",
    "fan out",
    "fanout",
    "celebrit",
];

/// Whether `token` and a word of `sentence` name the same thing.
fn mentions_entity(sentence: &str, token: &str) -> bool {
    let family = KEY_FAMILIES
        .iter()
        .find(|f| f.iter().any(|w| same_noun(w, token)));
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| same_noun(w, token) || family.is_some_and(|f| f.iter().any(|m| same_noun(m, w))))
}

/// SCALE-009: a partitioned store or cache keyed by something the design
/// says is skewed.
fn hot_keys(ctx: &Context<'_>, index: usize, c: &Component, sink: &mut Sink<'_>) {
    if ctx.said.skew.is_empty() || !off(c.properties.hot_key_handling) || ctx.is_backplane(index) {
        return;
    }
    let key = c.properties.partition_key.as_deref().unwrap_or("").trim();
    // A cache has no partition key: what it holds is in its name.
    let tokens: Vec<String> = if key.is_empty() {
        entity_tokens(&c.name.to_lowercase().replace(' ', "_"))
            .into_iter()
            .filter(|t| !STORAGE_WORDS.contains(&t.as_str()))
            .collect()
    } else {
        entity_tokens(key)
    };
    let Some(skew) = ctx
        .said
        .skew
        .iter()
        .find(|s| tokens.iter().any(|t| mentions_entity(s, t)))
    else {
        return;
    };
    let fan_out = has_any(ctx.text(index), FAN_OUT_WORDS);
    let name = &c.name;
    let fix = Some(QuickFix {
        label: "Handle hot keys",
        edit: update_component(c, |p| p.hot_key_handling = Some(true)),
    });
    if let Some(quote) = ctx.says(index, HOT_KEYS_HANDLED) {
        sink.written_but_unset(
            &SCALE_009,
            c,
            ("handles hot keys", "handle hot keys"),
            &quote,
            "Hot keys handled switch is off",
            fix,
        );
        return;
    }
    let keyed = if key.is_empty() {
        format!(
            "{name} {} entries per {}",
            verb(name, "keeps", "keep"),
            tokens.join(" ")
        )
    } else {
        format!("{name} {} partitioned by {key}", verb(name, "is", "are"))
    };
    let how = if fan_out {
        ", and every post is fanned out to each follower through it"
    } else {
        ""
    };
    sink.component(
        &SCALE_009,
        c,
        format!(
            "{keyed}, while the design says traffic is skewed (\"{}\"){how}: the partition or node that owns the hottest key takes their whole load. Handle hot keys: split them, replicate them, or serve them another way (for example pull instead of fan-out for the biggest accounts)",
            text::shorten(skew, 80)
        ),
        fix,
    );
}

/// Words in a cache's name that say where data lives, not what it is.
const STORAGE_WORDS: &[&str] = &[
    "cache",
    "redis",
    "memcached",
    "store",
    "db",
    "database",
    "index",
    "cluster",
];

/// Words that say hot keys are handled.
const HOT_KEYS_HANDLED: &[&str] = &[
    "split",
    "salt",
    "spreading suffix",
    "replicate hot",
    "replicates hot",
    "replicated hot",
    "replicated to every",
    "hot keys are",
    "no single key",
    "pull at read time",
    "fan-out on read",
    "fan out on read",
    "hybrid fan-out",
    "local cache",
];

/// Words in a store read that say a miss is expensive.
const COSTLY_MISS: &[&str] = &[
    "rebuild",
    "recompute",
    "re-compute",
    "aggregat",
    "group by",
    "join",
    "scan",
    "render",
    "expensive",
    "heavy",
    "everyone",
];

/// Words that say many entries expire at the same moment.
const UNIFORM_EXPIRY: &[&str] = &[
    "same ttl",
    "same expiry",
    "expire at the same",
    "expire together",
    "all expire",
    "expire at midnight",
    "flushed every",
    "cleared every",
];

/// Words that say a cache protects against stampedes.
const STAMPEDE_WORDS: &[&str] = &[
    "single-flight",
    "single flight",
    "singleflight",
    "coalesc",
    "request collapsing",
    "stale-while-revalidate",
    "serve stale",
    "jitter",
    "early refresh",
    "early expiration",
    "mutex",
];

/// SCALE-010: a cache whose entries expire, read by a component that
/// rebuilds expensively on a miss.
fn stampede(ctx: &Context<'_>, index: usize, cache: &Component, sink: &mut Sink<'_>) {
    if !off(cache.properties.stampede_protection) || cache.properties.ttl_s.unwrap_or(0) == 0 {
        return;
    }
    let costly = ctx
        .incoming(index)
        .filter(|l| l.conn.kind == ConnectionKind::Read)
        .find_map(|reader| {
            ctx.outgoing(reader.from_index).find(|l| {
                l.conn.kind == ConnectionKind::Read
                    && matches!(
                        l.to.kind,
                        K::RelationalDb | K::DocumentDb | K::SearchIndex | K::Service
                    )
                    && has_any(&l.conn.label, COSTLY_MISS)
            })
        });
    // Entries that all expire at once ("the same TTL for every key",
    // "everything expires at midnight") stampede any store behind them.
    let uniform = ctx.says(index, UNIFORM_EXPIRY);
    let costly = costly.or_else(|| {
        uniform.as_ref()?;
        ctx.incoming(index)
            .filter(|l| l.conn.kind == ConnectionKind::Read)
            .find_map(|reader| {
                ctx.outgoing(reader.from_index).find(|l| {
                    l.conn.kind == ConnectionKind::Read
                        && matches!(
                            l.to.kind,
                            K::RelationalDb | K::DocumentDb | K::SearchIndex | K::Service
                        )
                })
            })
    });
    let Some(miss) = costly else { return };
    let fix = Some(QuickFix {
        label: "Protect against stampedes",
        edit: update_component(cache, |p| p.stampede_protection = Some(true)),
    });
    let name = &cache.name;
    if let Some(quote) = ctx.says(index, STAMPEDE_WORDS) {
        sink.written_but_unset(
            &SCALE_010,
            cache,
            ("guards against stampedes", "guard against stampedes"),
            &quote,
            "Stampede protection switch is off",
            fix,
        );
        return;
    }
    let ttl = text::human_seconds(f64::from(cache.properties.ttl_s.unwrap_or(0)));
    sink.component(
        &SCALE_010,
        cache,
        format!(
            "{name} {} entries after {ttl}, and a miss makes {} rebuild from {} (\"{}\"): when many expire at once, or the cache restarts, the rebuilds stampede the store. Coalesce concurrent misses (single-flight), jitter the TTLs or serve stale while one request refreshes",
            verb(name, "expires", "expire"),
            miss.from.name,
            miss.to.name,
            text::shorten(miss.conn.label.trim(), 60)
        ),
        fix,
    );
}

/// SCALE-007 for one component: a public entry point that some client
/// reaches without a rate limit on the way.
fn rate_limits(
    ctx: &Context<'_>,
    i: usize,
    c: &Component,
    node: &super::context::Node,
    sink: &mut Sink<'_>,
) {
    let entry = matches!(c.kind, K::ApiGateway | K::Service | K::RealtimeHub);
    if !(entry && node.public && node.rate_exposed && off(c.properties.rate_limiting)) {
        return;
    }
    // Anonymous by requirement, and this entry takes anonymous callers: it
    // checks nobody, or its own connections say so ("anonymous or signed in").
    let anonymous = ctx.said.anonymous.is_some()
        && (!authenticates(c) || ctx.says(i, super::context::ANONYMOUS).is_some());
    // A small internal tool whose users all sign in is not where an
    // interviewer asks about throttling.
    if !anonymous && authenticates(c) && ctx.scale.is_small() {
        return;
    }
    let name = &c.name;
    let fix = Some(QuickFix {
        label: "Turn on rate limiting",
        edit: update_component(c, |p| p.rate_limiting = Some(true)),
    });
    if let Some(quote) = ctx.says(i, RATE_WORDS) {
        sink.written_but_unset(
            &SCALE_007,
            c,
            ("limits request rates", "limit request rates"),
            &quote,
            "Rate limiting switch is off",
            fix,
        );
    } else if anonymous {
        sink.component(
            &SCALE_007,
            c,
            format!(
                "{name} {} anonymous traffic from the internet and nothing in front of it limits requests per client: one script can flood it or run up its costs. Rate-limit per IP and session (429), cap sizes, and add a CAPTCHA or proof of work against abuse",
                verb(name, "takes", "take")
            ),
            fix,
        );
    } else {
        sink.component(
            &SCALE_007,
            c,
            format!(
                "{name} {} public traffic without rate limiting",
                verb(name, "takes", "take")
            ),
            fix,
        );
    }
}

/// The component checks who is calling: a gateway that authenticates, or
/// a service or hub that validates tokens.
pub(super) fn authenticates(c: &Component) -> bool {
    on(c.properties.authentication) || on(c.properties.validates_tokens)
}

/// Peak-to-average ratio from which capacity has to follow the load.
const VARIABLE_LOAD: f64 = 3.0;

/// Requests a second at peak below which a fixed fleet is fine.
const AUTOSCALE_RPS: f64 = 100.0;

/// SCALE-011: a component on the request path with a fixed instance count
/// while the requirements state a strong peak.
fn autoscaling(ctx: &Context<'_>, i: usize, c: &Component, sink: &mut Sink<'_>) {
    if !(matches!(c.kind, K::ApiGateway | K::Service | K::RealtimeHub)
        && off(c.properties.autoscaling))
    {
        return;
    }
    let req = &ctx.diagram.requirements;
    let peak = req
        .peak_factor
        .or_else(|| text::peak_multiple(&ctx.said.all_text));
    let Some(peak) = peak.filter(|&p| p >= VARIABLE_LOAD) else {
        return;
    };
    if ctx.scale.peak_rps.is_none_or(|r| r < AUTOSCALE_RPS) {
        return;
    }
    let on_request_path = ctx.nodes.get(i).is_some_and(|n| n.public)
        || ctx.incoming(i).any(|l| {
            l.conn.kind == ConnectionKind::Request
                && matches!(
                    l.from.kind,
                    K::ApiGateway | K::LoadBalancer | K::Service | K::Cdn | K::TrafficManager
                )
        });
    if !on_request_path {
        return;
    }
    let name = &c.name;
    sink.component(
        &SCALE_011,
        c,
        format!(
            "{name} {} a fixed {} while the requirements put the peak at {peak}× the average ({}): sized for the average it falls over at peak, sized for the peak it idles. Autoscale on CPU or request rate",
            verb(name, "runs", "run"),
            text::plural(u64::from(instances(c)), "instance", "instances"),
            ctx.scale.describe()
        ),
        Some(QuickFix {
            label: "Turn on autoscaling",
            edit: update_component(c, |p| p.autoscaling = Some(true)),
        }),
    );
}

/// Words that make a read analytical.
const ANALYTICAL: &[&str] = &[
    "report",
    "analytic",
    "aggregat",
    "group by",
    "full scan",
    "scans",
    "joins over",
    "trending",
    "leaderboard",
    "dashboard",
    "statistic",
    "most-liked",
    "most liked",
    "top stories",
    "rollup",
    "roll-up",
    "ad-hoc",
    "ad hoc",
    "bi tool",
    "data science",
    "training data",
    "full-table",
    "olap",
    "sum(",
    "count(*",
    "top 10",
    "top 100",
    "per month",
    "monthly totals",
];

/// Words that say the read goes to the primary.
const ON_PRIMARY: &[&str] = &[
    "primary",
    "not readable",
    "only for failover",
    "master",
    "writer",
];

/// SCALE-012: an analytical read of a relational or document store that
/// also takes the application's writes, with no replica to read from.
fn analytical_reads(ctx: &Context<'_>, i: usize, store: &Component, sink: &mut Sink<'_>) {
    if !matches!(store.kind, K::RelationalDb | K::DocumentDb) {
        return;
    }
    let writers = ctx
        .incoming(i)
        .filter(|l| l.conn.kind == ConnectionKind::Write)
        .count();
    if writers == 0 {
        return;
    }
    let said_primary = ctx
        .says(i, &["not readable", "only for failover"])
        .is_some();
    for link in ctx
        .incoming(i)
        .filter(|l| l.conn.kind == ConnectionKind::Read)
    {
        let label = &link.conn.label;
        let analytical = link.from.kind == K::Analytics
            || has_any(label, ANALYTICAL)
            || has_any(&link.from.name, ANALYTICAL);
        if !analytical {
            continue;
        }
        let replicas = store.properties.replicas.unwrap_or(0);
        let primary = has_any(label, ON_PRIMARY) || said_primary;
        if replicas > 0 && !primary {
            continue;
        }
        let why = if replicas == 0 {
            format!("{} has no replica to take them", store.name)
        } else {
            "they run on the primary".to_owned()
        };
        sink.connection(
            &SCALE_012,
            link,
            format!(
                "{} runs analytical reads on {} (\"{}\") and {why}, next to the transactional writes: serve them from a read replica or a reporting copy (change feed into a warehouse), or keep precomputed aggregates",
                link.from.name,
                store.name,
                text::shorten(link.conn.label.trim(), 60)
            ),
            None,
        );
    }
}

/// A producer fleet this many times larger than its synchronous consumer.
const FLEET_RATIO: u32 = 4;

/// SCALE-013: a worker fleet that pushes work synchronously into a much
/// smaller service.
fn fast_producer(ctx: &Context<'_>, i: usize, c: &Component, sink: &mut Sink<'_>) {
    // A worker fleet produces work at its own pace; a service fleet does
    // too when the one it calls cannot grow with it.
    if !matches!(c.kind, K::Worker | K::Service) {
        return;
    }
    let producers = instances(c);
    for link in ctx.outgoing(i).filter(|l| {
        l.conn.kind == ConnectionKind::Request
            && matches!(l.to.kind, K::Service | K::RealtimeHub | K::Workflow)
    }) {
        let consumers = instances(link.to);
        if producers < FLEET_RATIO.saturating_mul(consumers.max(1))
            || (c.kind == K::Service && !off(link.to.properties.autoscaling))
        {
            continue;
        }
        let scaling = if on(link.to.properties.autoscaling) {
            " (autoscaling reacts only after the backlog has built up)"
        } else {
            ""
        };
        sink.connection(
            &SCALE_013,
            link,
            format!(
                "{} ({}) {} work synchronously into {} ({}){scaling}: when {} is slower than the producers, they block and retry into the overload. Put a queue between them so {} takes work at its own pace (back-pressure)",
                c.name,
                text::plural(u64::from(producers), "instance", "instances"),
                verb(&c.name, "pushes", "push"),
                link.to.name,
                text::plural(u64::from(consumers), "instance", "instances"),
                link.to.name,
                link.to.name,
            ),
            None,
        );
    }
}

/// Words in the requirements that justify an event-sourced store.
const AUDIT_WORDS: &[&str] = &[
    "audit",
    "replay",
    "every change",
    "every state change",
    "history of every",
    "point in time",
    "time travel",
    "undo",
];

/// SCALE-014: the design's heavy parts against the stated scale. Heavy
/// parts are brokers, event sourcing with projections, several regions or
/// multi-region writers, and a long list of services; each is justified by
/// a matching requirement (traffic, availability, regions, audit). Small
/// stated scale with two or more unjustified parts is a warning; no stated
/// scale at all with a heavy design asks for the requirements.
fn complexity(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let d = ctx.diagram;
    let scale = &ctx.scale;
    let mut brokers = Vec::new();
    let mut logs = Vec::new();
    let mut services = 0usize;
    let mut projections = Vec::new();
    let mut writers = Vec::new();
    for (i, c, _) in ctx.components() {
        match c.kind {
            K::Queue => brokers.push(c.name.as_str()),
            K::EventStore => logs.push(c.name.as_str()),
            K::Service | K::Worker | K::Workflow | K::RealtimeHub => services += 1,
            _ => {}
        }
        let projection = match c.kind {
            K::Worker => &["projection", "projector", "read model"][..],
            K::DocumentDb | K::RelationalDb => &["read model", "projection", "view store"][..],
            _ => &[][..],
        };
        if !projection.is_empty() && ctx.says(i, projection).is_some() {
            projections.push(c.name.as_str());
        }
        if on(c.properties.multi_region_writes) {
            writers.push(c.name.as_str());
        }
    }
    let regions = d
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Region)
        .count();
    let said_es = has_any(&ctx.said.all_text, &["event-sourc", "event sourc", "cqrs"]);

    // Each heavy part with its weight: event sourcing and several regions are
    // a lot on their own; a broker pair or a long service list only adds up.
    let mut parts: Vec<(String, u32)> = Vec::new();
    let small = scale.is_small();
    let heavy_traffic = scale.peak_rps.is_some_and(|r| r >= 500.0);
    if (!logs.is_empty() || said_es) && !has_any(&ctx.said.requirement_text, AUDIT_WORDS) {
        let mut what = Vec::new();
        what.extend(logs.iter().copied());
        what.extend(projections.iter().copied());
        if what.is_empty() {
            parts.push(("event sourcing with CQRS projections".to_owned(), 2));
        } else {
            parts.push((format!("event sourcing and CQRS ({})", join_and(&what)), 2));
        }
    }
    let heavy_brokers = brokers.len() >= 2
        || (brokers.len() == 1 && small && is_log_broker(brokers.first().copied().unwrap_or("")));
    if heavy_brokers && !heavy_traffic {
        let noun = if brokers.len() == 1 {
            "broker"
        } else {
            "brokers"
        };
        parts.push((
            format!("{} {noun} ({})", brokers.len(), join_and(&brokers)),
            1,
        ));
    }
    let availability = scale.availability.unwrap_or(0.0);
    if (regions >= 2 || !writers.is_empty()) && scale.regions < 2 && availability < 99.99 {
        let mut what = Vec::new();
        if regions >= 2 {
            what.push(format!("{regions} regions"));
        }
        if !writers.is_empty() {
            what.push(format!("multi-region writes on {}", join_and(&writers)));
        }
        parts.push((join_and(&what), 2));
    }
    if services >= 6 && !heavy_traffic {
        parts.push((
            format!("{services} services and workers"),
            if services >= 10 { 2 } else { 1 },
        ));
    }
    // At a handful of requests a second even one database has room to spare.
    let tiny = scale.peak_rps.is_some_and(|r| r < 5.0);
    let stores = d
        .components
        .iter()
        .filter(|c| matches!(c.kind, K::RelationalDb | K::DocumentDb | K::SearchIndex))
        .count();
    if tiny && stores >= 3 {
        parts.push((format!("{stores} separate data stores"), 1));
    }
    let caches: Vec<&str> = d
        .components
        .iter()
        .enumerate()
        .filter(|&(i, c)| c.kind == K::Cache && !ctx.is_backplane(i))
        .map(|(_, c)| c.name.as_str())
        .collect();
    if tiny && !caches.is_empty() {
        parts.push((format!("a cache ({})", join_and(&caches)), 1));
    }
    if tiny && d.groups.iter().any(|g| g.kind == GroupKind::Cluster) {
        parts.push(("a Kubernetes cluster".to_owned(), 1));
    }

    let weight: u32 = parts.iter().map(|(_, w)| w).sum();
    let parts: Vec<String> = parts.into_iter().map(|(p, _)| p).collect();
    if small && weight >= 2 {
        let target = scale
            .availability
            .map(|a| format!(" at {a}%"))
            .unwrap_or_default();
        sink.design(
            &SCALE_014,
            format!(
                "The requirements ask for {}{target}, yet the design runs {}: would one service and one database do? Keep each heavy part only for a requirement it serves, and state the trade-off",
                scale.describe(),
                join_and(&parts)
            ),
        );
    } else if scale.is_unstated() && weight >= 2 {
        sink.design(
            &SCALE_014,
            format!(
                "The design runs {}, but the requirements state no users, traffic or availability: what scale justifies them? State the requirements first",
                join_and(&parts)
            ),
        )
        .at(Severity::Info);
    }
}

/// A broker named like a log platform (Kafka, Event Hubs…), heavy to run
/// for a small system.
fn is_log_broker(name: &str) -> bool {
    has_any(
        &name.to_lowercase(),
        &["kafka", "event hub", "kinesis", "pulsar"],
    )
}
