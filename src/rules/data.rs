//! Data and consistency: the consistency each kind of data needs, and
//! whether the data survives a mistake.
//!
//! A component is part of a money flow when its name sounds like payment or
//! billing, or when it calls such a component synchronously; a store is on
//! that flow when it is linked to one of them. Data that must not be claimed
//! twice (leases, bookings, seats, stock) is judged like money: a conflict
//! there runs a job twice or sells a seat twice.
//!
//! Two rules read the requirements and labels in words: a cache's TTL
//! against the freshness the requirements ask for, and the way ids are
//! minted against how many items the design will hold.

use super::context::{Context, contains_word, off, on, update_component};
use super::text::{self, has_any, same_noun, verb};
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{Component, Consistency, ConsistencyNeed, Invalidation};

const CAT: Category = Category::DataAndConsistency;

/// Money kept in an eventually consistent store.
pub static DATA_001: Rule = Rule {
    id: "DATA-001",
    category: CAT,
    severity: Severity::Error,
    title: "Financial or strongly consistent data on an eventually consistent store",
    why: "With eventual consistency a reader can see an old balance or miss a payment that was just recorded, which leads to double charges or overselling. For money, consistency should win over availability.",
    fix: "Use strong consistency (or a transactional relational store) for this data, and keep eventual consistency for data that tolerates it.",
    question: "Two requests read this balance at the same moment from different replicas: can both spend it?",
};

/// Money written in several regions at once.
pub static DATA_002: Rule = Rule {
    id: "DATA-002",
    category: CAT,
    severity: Severity::Warning,
    title: "Multi-region writes on data that must not conflict",
    why: "When every region accepts writes, two regions can change the same record at once and one change is resolved away. Financial records, leases and bookings cannot lose writes to a conflict policy: both sides believe they won, so a job runs twice or a seat is sold twice.",
    fix: "Write this data in one region (with failover), or partition it so each record has a single home region.",
    question: "Two regions update the same payment at the same time: which write wins, and what happens to the other?",
};

/// Strong consistency paid for where eventual would do.
pub static DATA_003: Rule = Rule {
    id: "DATA-003",
    category: CAT,
    severity: Severity::Info,
    title: "Strong consistency where eventual consistency is enough",
    why: "Feeds, likes and timelines tolerate a few seconds of staleness. Strong consistency there costs latency, throughput and availability for no visible gain.",
    fix: "Use session or eventual consistency for this data and keep strong consistency for data that needs it.",
    question: "Does it matter if a like shows up a second later for a user on another continent?",
};

/// A database with backups turned off.
pub static DATA_004: Rule = Rule {
    id: "DATA-004",
    category: CAT,
    severity: Severity::Warning,
    title: "Database without backups",
    why: "Replicas copy mistakes as faithfully as good writes: a bad migration or a deleted table is gone everywhere. Only backups bring data back from before the mistake.",
    fix: "Turn on point-in-time backups with a retention that covers how late a mistake may be noticed, and test a restore.",
    question: "Someone runs a delete without a where clause: how do you get the data back?",
};

/// Cached data kept longer than the requirements allow it to be stale.
pub static DATA_005: Rule = Rule {
    id: "DATA-005",
    category: CAT,
    severity: Severity::Warning,
    title: "Cached data staler than the requirements allow",
    why: "A cache or CDN that only expires entries serves them unchanged until their TTL runs out. When the TTL is longer than the freshness the requirements ask for, users see old prices, deleted content or outdated state for that long.",
    fix: "Invalidate or update the entry when the data changes (purge the CDN path, delete or write the cache key from the change event), or keep the TTL within the freshness bound.",
    question: "The data changed a second ago: how long until every user sees the new value?",
};

/// Ids minted in a space too small for the data, with no collision check.
pub static DATA_006: Rule = Rule {
    id: "DATA-006",
    category: CAT,
    severity: Severity::Warning,
    title: "Id scheme that will collide",
    why: "Random or hashed ids collide long before the id space is full: by the birthday bound, collisions are expected once the number of items passes the square root of the space. A collision that is not detected overwrites someone else's item or silently skips a new one.",
    fix: "Insert only if the id is absent and draw a new id on conflict, or make the space large enough (more characters, a 64- or 128-bit hash plus the original to compare), or mint ids from a sequence or a Snowflake-style generator.",
    question: "Two items get the same id: which one survives, and does anyone notice?",
};

pub(super) static RULES: &[&Rule] = &[
    &DATA_001, &DATA_002, &DATA_003, &DATA_004, &DATA_005, &DATA_006,
];

/// Name fragments of data that tolerates staleness.
const FEED_WORDS: &[&str] = &[
    "feed", "timeline", "post", "like", "comment", "social", "activity", "follower",
];

fn is_feed_name(name: &str) -> bool {
    FEED_WORDS.iter().any(|word| contains_word(name, word))
}

/// Claims whose double grant is a real loss (a seat sold twice, a lease
/// held by two workers), for the consistency of a single store.
const GRANTED_ONCE: &[&str] = &[
    "lease",
    "booking",
    "reserv",
    "seat",
    "balance",
    "conditional update",
    "exactly once",
    "lock",
];

/// Words that say a store holds claims that must never be granted twice.
const CLAIM_WORDS: &[&str] = &[
    "lease",
    "claim",
    "lock",
    "booking",
    "reserv",
    "seat",
    "ticket",
    "inventory",
    "stock",
    "balance",
    "conditional update",
    "exactly once",
    "only one",
];

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let need = ctx.diagram.requirements.consistency;
    for (i, c, _) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;

        if c.kind == K::DocumentDb {
            let money_link = ctx.touching(i).find_map(|l| {
                let (other, index) = if l.from_index == i {
                    (l.to, l.to_index)
                } else {
                    (l.from, l.from_index)
                };
                ctx.node(index).is_some_and(|n| n.money).then_some(other)
            });
            let claims = on(props.multi_region_writes)
                .then(|| {
                    ctx.says_beyond_name(i, CLAIM_WORDS).or_else(|| {
                        ctx.says(i, CLAIM_WORDS)
                            .map(|_| format!("its name, {name}"))
                    })
                })
                .flatten();
            let strong_needed = need == ConsistencyNeed::Strong || money_link.is_some();
            // Claims read on an eventually consistent store can be granted
            // twice: two readers both see the seat free.
            let eventual_claims = (!strong_needed
                && props.consistency.unwrap_or_default().is_eventual())
            .then(|| ctx.says(i, GRANTED_ONCE))
            .flatten();
            let reason = match money_link {
                Some(other) => format!(
                    "holds data for {}, which is part of a payment flow,",
                    other.name
                ),
                None => "must be strongly consistent by the requirements".to_owned(),
            };
            let consistency = props.consistency.unwrap_or_default();

            if (strong_needed || eventual_claims.is_some()) && consistency.is_eventual() {
                let reason = match &eventual_claims {
                    Some(quote) => format!(
                        "holds claims that must be granted once (\"{quote}\"), so two readers can both see the same one free,"
                    ),
                    None => reason.clone(),
                };
                sink.component(
                    &DATA_001,
                    c,
                    format!(
                        "{name} {reason} but reads are only eventually consistent ({})",
                        consistency_name(consistency)
                    ),
                    Some(QuickFix {
                        label: "Use strong consistency",
                        edit: update_component(c, |p| {
                            p.consistency = Some(Consistency::Strong);
                            p.multi_region_writes = p.multi_region_writes.map(|_| false);
                        }),
                    }),
                );
            }

            if (strong_needed || claims.is_some()) && on(props.multi_region_writes) {
                let fix = Some(QuickFix {
                    label: "Write in a single region",
                    edit: update_component(c, |p| p.multi_region_writes = Some(false)),
                });
                let accepts = verb(name, "accepts", "accept");
                match &claims {
                    Some(quote) => {
                        sink.component(
                            &DATA_002,
                            c,
                            format!(
                                "{name} {accepts} writes in several regions, yet {} claims that must be granted once (\"{quote}\"): two regions can both win the same claim, so a job runs twice or a seat is sold twice. Write claims in one region, or give each record one home region",
                                verb(name, "it holds", "they hold")
                            ),
                            fix,
                        )
                        .at(Severity::Error);
                    }
                    None => {
                        let severity = if money_link.is_some() {
                            Severity::Error
                        } else {
                            DATA_002.severity
                        };
                        sink.component(
                            &DATA_002,
                            c,
                            format!("{name} {reason} but {accepts} writes in several regions"),
                            fix,
                        )
                        .at(severity);
                    }
                }
            }

            let tolerant =
                need == ConsistencyNeed::Eventual || (is_feed_name(name) && money_link.is_none());
            if consistency == Consistency::Strong && tolerant && !strong_needed {
                sink.component(
                    &DATA_003,
                    c,
                    format!(
                        "{name} {} for strong consistency on data that can be a little stale",
                        verb(name, "pays", "pay")
                    ),
                    Some(QuickFix {
                        label: "Use session consistency",
                        edit: update_component(c, |p| p.consistency = Some(Consistency::Session)),
                    }),
                );
            }
        }

        if matches!(c.kind, K::RelationalDb | K::DocumentDb) && off(props.backups) {
            sink.component(
                &DATA_004,
                c,
                format!("{name} {} no backups", verb(name, "has", "have")),
                Some(QuickFix {
                    label: "Turn on backups",
                    edit: update_component(c, |p| p.backups = Some(true)),
                }),
            );
        }

        freshness(ctx, i, c, sink);
        ids(ctx, i, c, sink);
    }
}

fn consistency_name(consistency: Consistency) -> &'static str {
    match consistency {
        Consistency::Session => "session",
        Consistency::Strong => "strong",
        Consistency::BoundedStaleness => "bounded staleness",
        Consistency::ConsistentPrefix => "consistent prefix",
        Consistency::Eventual => "eventual",
    }
}

/// DATA-005: a cache or CDN that only expires entries, with a TTL longer
/// than the freshness the requirements or notes state.
fn freshness(ctx: &Context<'_>, i: usize, c: &Component, sink: &mut Sink<'_>) {
    if !matches!(c.kind, K::Cache | K::Cdn) || ctx.is_backplane(i) {
        return;
    }
    let Some((bound, quote)) = &ctx.said.freshness else {
        return;
    };
    let ttl = f64::from(c.properties.ttl_s.unwrap_or(0));
    let invalidation = c.properties.invalidation.unwrap_or(Invalidation::None);
    let events = matches!(
        invalidation,
        Invalidation::EventDriven | Invalidation::TtlAndEvents
    );
    if ttl == 0.0 || ttl <= *bound || events {
        return;
    }
    let name = &c.name;
    sink.component(
        &DATA_005,
        c,
        format!(
            "{name} {} entries for {} with expiry only, but the requirements say \"{quote}\": users see data up to {} old. Invalidate or purge on every change, or cache for at most {}",
            verb(name, "keeps", "keep"),
            text::human_seconds(ttl),
            text::human_seconds(ttl),
            text::human_seconds(*bound)
        ),
        Some(QuickFix {
            label: "Invalidate on change events",
            edit: update_component(c, |p| p.invalidation = Some(Invalidation::TtlAndEvents)),
        }),
    );
}

/// Alphabets candidates mint ids from, with their size.
const ALPHABETS: [(&str, f64); 11] = [
    ("base62", 62.0),
    ("base64", 64.0),
    ("base58", 58.0),
    ("base36", 36.0),
    ("base32", 32.0),
    ("alphanumeric", 62.0),
    ("hex", 16.0),
    ("hexadecimal", 16.0),
    ("letters", 52.0),
    ("digits", 10.0),
    ("numeric", 10.0),
];

/// Hashes and widths written as one word, with their bits.
const NARROW_HASHES: [(&str, f64); 7] = [
    ("crc32", 32.0),
    ("crc-32", 32.0),
    ("murmur32", 32.0),
    ("fnv32", 32.0),
    ("xxhash32", 32.0),
    ("hashcode", 32.0),
    ("adler32", 32.0),
];

/// Schemes that do not collide in practice.
const SAFE_SCHEMES: &[&str] = &[
    "snowflake",
    "uuid",
    "guid",
    "ulid",
    "ksuid",
    "auto-increment",
    "autoincrement",
    "auto increment",
    "identity column",
    "sequence",
    "serial",
];

/// Phrases that say a collision is detected and retried.
const HANDLED: &[&str] = &[
    "retry on collision",
    "retries on collision",
    "retry on conflict",
    "retries on conflict",
    "regenerate",
    "insert if absent",
    "insert-if-absent",
    "if not exists",
    "check for collision",
    "collision check",
];

/// Phrases that say a collision goes unnoticed or loses data.
const UNHANDLED: &[&str] = &[
    "or replace",
    "replace into",
    "no existence check",
    "without checking",
    "upsert",
    "overwrit",
    "skipped if",
    "skip if",
    "ignored if",
];

/// The id space a text describes, in bits, with a short description:
/// "6 random base62 characters" → 35.7 bits, "CRC32(url)" → 32 bits.
fn id_space(text: &str) -> Option<(f64, String)> {
    if has_any(text, SAFE_SCHEMES) {
        return None;
    }
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if let Some((_, bits)) = NARROW_HASHES.iter().find(|(h, _)| w.starts_with(h)) {
            return Some((*bits, format!("a {bits}-bit hash ({w})")));
        }
        // "32-bit hash", "40 bit"
        if let Some(n) = w
            .strip_suffix("-bit")
            .and_then(|n| n.parse::<f64>().ok())
            .or_else(|| {
                (words.get(i + 1) == Some(&"bit"))
                    .then(|| w.parse::<f64>().ok())
                    .flatten()
            })
            && n <= 64.0
        {
            return Some((n, format!("{n}-bit values")));
        }
        // "8-digit account ids" (not one-time codes, which expire)
        let names_an_id = || {
            words
                .get(i + 1..(i + 4).min(words.len()))
                .unwrap_or_default()
                .iter()
                .any(|w| ["id", "ids", "key", "keys", "identifier", "slug", "number"].contains(w))
        };
        if let Some(n) = w.strip_suffix("-digit").and_then(|n| n.parse::<f64>().ok())
            && (1.0..=20.0).contains(&n)
            && names_an_id()
        {
            return Some((n * 10f64.log2(), format!("{n}-digit numbers")));
        }
        // "first 6 characters of the md5"
        if *w == "first"
            && let Some(n) = words.get(i + 1).and_then(|n| n.parse::<f64>().ok())
            && words
                .get(i + 2..(i + 6).min(words.len()))
                .unwrap_or_default()
                .iter()
                .any(|w| ["md5", "sha", "hash"].iter().any(|h| w.starts_with(h)))
        {
            return Some((n * 4.0, format!("the first {n} hex characters of a hash")));
        }
        // "6 random base62 characters", "8-char hex ids", "a random 7-character code"
        let length = w.parse::<f64>().ok().or_else(|| {
            w.strip_suffix("-char")
                .or_else(|| w.strip_suffix("-character"))
                .or_else(|| w.strip_suffix("-letter"))
                .and_then(|n| n.parse::<f64>().ok())
        });
        let Some(length) = length.filter(|&n| (1.0..=64.0).contains(&n)) else {
            continue;
        };
        let window = words
            .get(i + 1..(i + 5).min(words.len()))
            .unwrap_or_default();
        let alphabet = window
            .iter()
            .find_map(|w| ALPHABETS.iter().find(|(a, _)| w.starts_with(a)));
        let chars = w.contains("-char")
            || w.contains("-letter")
            || window.iter().any(|w| {
                w.starts_with("char")
                    || w.starts_with("letter")
                    || w.starts_with("digit")
                    || w.starts_with("symbol")
            });
        if let Some((name, size)) = alphabet
            && chars
        {
            let what = if matches!(*name, "letters" | "digits") {
                format!("{length} random {name}")
            } else {
                format!("{length} {name} characters")
            };
            return Some((length * size.log2(), what));
        }
        // A random code with no alphabet named: letters and digits are the
        // common choice.
        let random = words
            .get(i.saturating_sub(2)..(i + 4).min(words.len()))
            .unwrap_or_default()
            .iter()
            .any(|w| w.starts_with("random"));
        if chars && random {
            return Some((length * 62f64.log2(), format!("{length} random characters")));
        }
    }
    None
}

/// DATA-006: a component that mints ids in a space the data outgrows,
/// without detecting collisions.
fn ids(ctx: &Context<'_>, i: usize, c: &Component, sink: &mut Sink<'_>) {
    if !off(c.properties.collision_handling) {
        return;
    }
    // What the component's own writes and notes say about its ids.
    let written_as_is = text::joined(
        std::iter::once(c.properties.id_scheme.as_deref().unwrap_or(""))
            .chain(
                ctx.outgoing(i)
                    .filter(|l| l.conn.kind == crate::model::ConnectionKind::Write)
                    .map(|l| l.conn.label.as_str()),
            )
            .chain(ctx.noted(i)),
    );
    let written = written_as_is.to_lowercase();
    if written.trim_matches([' ', '|']).is_empty() {
        return;
    }
    let Some((bits, how)) = id_space(&written) else {
        return;
    };
    if text::affirmed(&written, HANDLED).is_some() && text::affirmed(&written, UNHANDLED).is_none()
    {
        return;
    }
    let items = expected_items(ctx, i);
    let space = bits.exp2();
    let expected_collisions = items.map(|n| n * n / (2.0 * space));
    if expected_collisions.is_none_or(|e| e < 1.0) && !(items.is_none() && bits <= 32.0) {
        return;
    }
    let name = &c.name;
    let lost = match text::affirmed(&written, UNHANDLED) {
        Some(range) => format!(
            " (\"{}\")",
            text::quote_from(&written_as_is, &written, range)
        ),
        None => String::new(),
    };
    let scale = match (items, expected_collisions) {
        (Some(n), Some(e)) if e >= 1e6 => format!(
            "with about {} items collisions are certain",
            text::human_count(n)
        ),
        (Some(n), Some(e)) => format!(
            "with about {} items expect around {} collisions",
            text::human_count(n),
            text::human_count(e.round())
        ),
        _ => "collisions start after a few tens of thousands of items".to_owned(),
    };
    sink.component(
        &DATA_006,
        c,
        format!(
            "{name} {} ids as {how}, about {} values, with no collision check{lost}: {scale}, and each one overwrites or drops an item. Insert only if absent and draw a new id on conflict, widen the id, or use a sequence or Snowflake-style id",
            verb(name, "mints", "mint"),
            text::human_count(space),
        ),
        Some(QuickFix {
            label: "Detect collisions and retry",
            edit: update_component(c, |p| p.collision_handling = Some(true)),
        }),
    );
}

/// How many items the minted ids will name: the largest count the notes
/// and requirements give for something the component's text mentions, or
/// else the writes a day times the retention.
fn expected_items(ctx: &Context<'_>, i: usize) -> Option<f64> {
    let t = ctx.text(i);
    let words: Vec<&str> = t
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .collect();
    let counted = ctx
        .said
        .counts
        .iter()
        .filter(|(n, noun)| *n >= 1_000.0 && words.iter().any(|w| same_noun(w, noun)))
        .map(|(n, _)| *n)
        .fold(None, |best: Option<f64>, n| {
            Some(best.map_or(n, |b| b.max(n)))
        });
    counted.or_else(|| {
        let req = &ctx.diagram.requirements;
        ctx.scale
            .writes_per_day
            .zip(req.retention_days)
            .map(|(w, days)| w * f64::from(days.max(1)))
    })
}
