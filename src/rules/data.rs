//! Data and consistency: the consistency each kind of data needs, and
//! whether the data survives a mistake.
//!
//! A component is part of a money flow when its name sounds like payment or
//! billing, or when it calls such a component synchronously; a store is on
//! that flow when it is linked to one of them.

use super::context::{Context, contains_word, off, on, update_component};
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{Consistency, ConsistencyNeed};

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
    why: "When every region accepts writes, two regions can change the same record at once and one change is resolved away. Financial records cannot lose writes to a conflict policy.",
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

pub(super) static RULES: &[&Rule] = &[&DATA_001, &DATA_002, &DATA_003, &DATA_004];

/// Name fragments of data that tolerates staleness.
const FEED_WORDS: [&str; 8] = [
    "feed", "timeline", "post", "like", "comment", "social", "activity", "follower",
];

fn is_feed_name(name: &str) -> bool {
    FEED_WORDS.iter().any(|word| contains_word(name, word))
}

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
            let strong_needed = need == ConsistencyNeed::Strong || money_link.is_some();
            let reason = match money_link {
                Some(other) => format!(
                    "holds data for {}, which is part of a payment flow,",
                    other.name
                ),
                None => "must be strongly consistent by the requirements".to_owned(),
            };
            let consistency = props.consistency.unwrap_or_default();

            if strong_needed && consistency.is_eventual() {
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

            if strong_needed && on(props.multi_region_writes) {
                sink.component(
                    &DATA_002,
                    c,
                    format!("{name} {reason} but accepts writes in several regions"),
                    Some(QuickFix {
                        label: "Write in a single region",
                        edit: update_component(c, |p| p.multi_region_writes = Some(false)),
                    }),
                );
            }

            let tolerant =
                need == ConsistencyNeed::Eventual || (is_feed_name(name) && money_link.is_none());
            if consistency == Consistency::Strong && tolerant && !strong_needed {
                sink.component(
                    &DATA_003,
                    c,
                    format!(
                        "{name} pays for strong consistency on data that can be a little stale"
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
                format!("{name} has no backups"),
                Some(QuickFix {
                    label: "Turn on backups",
                    edit: update_component(c, |p| p.backups = Some(true)),
                }),
            );
        }
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
